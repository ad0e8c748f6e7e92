#pragma once
// A TLS listener on Beast and Asio: the TLS settings (TLS 1.2 and 1.3,
// Mozilla's "intermediate" suites and groups), accepting, the
// connections' slots, a thread per core, the pool for requests that wait
// on the disk, and a graceful stop. The ledger's server (api/server.h)
// and a witness (api/witness.h) each answer through one, with their own
// Handler.

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "api/metrics.h"
#include "api/router.h"
#include "util/status.h"

namespace fundledger::api {

// Every limit of a server, in one place (README, "Limits").
struct Limits {
  std::size_t header_bytes_max = 16 * 1024;
  std::size_t body_bytes_max = 1 << 20;  // 413 above, from the header
  std::chrono::seconds handshake_timeout{10};
  // A request's header must have arrived this long after the connection
  // opened or the last answer was sent (an idle keep-alive connection is
  // closed then too); its body, this long after its header.
  std::chrono::seconds header_timeout{30};
  std::chrono::seconds body_timeout{10};
  std::chrono::seconds write_timeout{30};
  // A closing connection's TLS shutdown.
  std::chrono::seconds close_timeout{5};
  // Connections open at once, from one client address, and in their TLS
  // handshake; past each, a connection doing nothing gives up its slot
  // (api/connections.h).
  int connections_max = 1024;
  std::size_t per_address_max = 64;
  std::size_t handshakes_max = 256;
};

struct ListenOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8443;  // 0: any free port (tests)
  std::filesystem::path cert;
  std::filesystem::path key;
  unsigned threads = 0;  // 0: one per core
  Limits limits;
  // How long stop() waits for requests in flight.
  std::chrono::seconds drain_timeout{10};
};

class Listener {
 public:
  // Listens on the address and port; serves nothing until start().
  // Refusals: usage (a bad address), tls_error (the certificate or key
  // cannot be used), storage_error (the port cannot be listened on).
  // `handler` and `metrics` outlive the listener.
  static Result<std::unique_ptr<Listener>> open(const ListenOptions& options, const Handler& handler, Metrics& metrics);
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  // Accepts and serves on the threads.
  void start();
  // Stops accepting, closes idle connections, lets requests in flight
  // finish (up to drain_timeout; new ones on open connections get 503),
  // joins the threads and the pool.
  void stop();
  // Blocks until the threads have stopped.
  void wait();

  std::uint16_t port() const;
  bool draining() const;
  // Where timers of the server run, and its work that waits on the disk.
  boost::asio::io_context& io();
  boost::asio::thread_pool& blocking();

  struct Impl;

 private:
  explicit Listener(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fundledger::api
