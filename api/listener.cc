#include "api/listener.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <openssl/ssl.h>

#include <atomic>
#include <thread>
#include <vector>

#include "api/session.h"
#include "util/files.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

// Mozilla's "intermediate" configuration (version 5.7): TLS 1.2 and 1.3,
// these suites for TLS 1.2 (TLS 1.3's are OpenSSL's defaults, all three
// of them AEAD), these groups.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* kGroups = "X25519:prime256v1:secp384r1";
constexpr std::size_t kBlockingThreads = 64;
constexpr std::chrono::milliseconds kAcceptRetry{50};

Result<std::shared_ptr<ssl::context>> tls_context(const ListenOptions& o) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = ctx->native_handle();
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  const bool ok = SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) == 1 &&
                  SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) == 1 &&
                  SSL_CTX_set_cipher_list(native, kTls12Ciphers) == 1 && SSL_CTX_set1_groups_list(native, kGroups) == 1;
  if (!ok) return Status::error(Code::kTlsError, "the TLS settings were refused by OpenSSL");
  // Mozilla's intermediate profile lets the client choose among the
  // suites, all of them strong: no server preference.
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION);
  ctx->use_certificate_chain_file(o.cert.string(), ec);
  if (ec) return Status::error(Code::kTlsError, "cannot use the certificate " + o.cert.string());
  if (const Status shut = check_private(o.key); !shut) return Status::error(Code::kTlsError, shut.message());
  ctx->use_private_key_file(o.key.string(), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return Status::error(Code::kTlsError, "cannot use the key " + o.key.string() + " with the certificate");
  }
  return ctx;
}

}  // namespace

struct Listener::Impl {
  Impl(const ListenOptions& o, const Handler& handler, Metrics& metrics, std::shared_ptr<ssl::context> tls)
      : options(o),
        metrics(metrics),
        tls(std::move(tls)),
        connections(SlotLimits{static_cast<std::size_t>(o.limits.connections_max), o.limits.per_address_max,
                               o.limits.handshakes_max}),
        shared{*this->tls, handler, options.limits, draining, metrics, blocking, connections},
        acceptor(io),
        accept_timer(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) {
        start_session(std::move(socket), shared);
        return accept();
      }
      // Out of file descriptors, most likely: waiting a moment rather than
      // failing again at once keeps a core free for those being served.
      log::warn("accept failed", {{"message", ec.message()}});
      accept_timer.expires_after(kAcceptRetry);
      accept_timer.async_wait([this](beast::error_code e) {
        if (!e) accept();
      });
    });
  }

  ListenOptions options;
  Metrics& metrics;
  std::shared_ptr<ssl::context> tls;
  std::atomic<bool> draining{false};
  // Appends wait for their synced write here, as many at once as
  // connections post them, so that they meet in one group commit.
  net::thread_pool blocking{kBlockingThreads};
  Connections connections;
  SessionShared shared;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer accept_timer;
  std::vector<std::thread> threads;
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Listener>> Listener::open(const ListenOptions& options, const Handler& handler,
                                                 Metrics& metrics) {
  Result<std::shared_ptr<ssl::context>> tls = tls_context(options);
  if (!tls) return tls.status();
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return Status::error(Code::kUsage, "\"" + options.address + "\" is not an IP address", "listen");
  auto impl = std::make_unique<Impl>(options, handler, metrics, std::move(*tls));
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::error(Code::kStorageError, "cannot listen on " + options.address + ":" + std::to_string(options.port) +
                                              ": " + ec.message());
  }
  return std::unique_ptr<Listener>(new Listener(std::move(impl)));
}

Listener::Listener(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Listener::~Listener() { stop(); }

void Listener::start() {
  impl_->accept();
  const unsigned threads =
      impl_->options.threads != 0 ? impl_->options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) impl_->threads.emplace_back([io = &impl_->io] { io->run(); });
  log::info("serving", {{"address", impl_->options.address}, {"port", port()}, {"threads", threads}});
}

std::uint16_t Listener::port() const { return impl_->acceptor.local_endpoint().port(); }
bool Listener::draining() const { return impl_->draining; }
net::io_context& Listener::io() { return impl_->io; }
net::thread_pool& Listener::blocking() { return impl_->blocking; }

void Listener::stop() {
  if (impl_->stopped.exchange(true)) return wait();
  Impl& impl = *impl_;
  // Stop accepting; close idle connections; let those answering finish.
  impl.draining = true;
  net::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.accept_timer.cancel();
  });
  impl.connections.for_each([](Evictable& session) { session.evict(); });
  const auto deadline = std::chrono::steady_clock::now() + impl.options.drain_timeout;
  if (impl.metrics.open_connections() > 0) {
    log::info("waiting for connections to finish", {{"open", impl.metrics.open_connections()},
                                                     {"seconds_max", impl.options.drain_timeout.count()}});
  }
  while (impl.metrics.open_connections() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (impl.metrics.open_connections() > 0) {
    log::warn("stopping with connections still open", {{"open", impl.metrics.open_connections()}});
  }
  impl.io.stop();
  wait();
  impl.blocking.join();
}

void Listener::wait() {
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace fundledger::api
