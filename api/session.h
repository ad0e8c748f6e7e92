#pragma once
// One connection of the server: its slot (api/connections.h), the TLS
// handshake, then requests one after the other (pipelined ones wait in
// the read buffer), each answered before the next is read, with the
// timeouts and limits of api/server.h's Limits.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>

#include "api/connections.h"
#include "api/metrics.h"
#include "api/router.h"
#include "api/listener.h"

namespace fundledger::api {

// What every connection shares with the server, which outlives them.
struct SessionShared {
  boost::asio::ssl::context& tls;
  const Handler& handler;
  const Limits& limits;
  const std::atomic<bool>& draining;
  Metrics& metrics;
  boost::asio::thread_pool& blocking;  // for requests that wait on the disk
  Connections& connections;
};

// Serves `socket` on a strand of its own until it closes, or closes it at
// once when there is no slot for it.
void start_session(boost::asio::ip::tcp::socket socket, const SessionShared& shared);

}  // namespace fundledger::api
