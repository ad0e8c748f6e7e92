#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <array>
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "api/http_request.h"
#include "api/metrics.h"
#include "api/router.h"
#include "ledger/checkpoints.h"
#include "util/files.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
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

Result<std::shared_ptr<ssl::context>> tls_context(const ServerOptions& o) {
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

// Bytes of requests pipelined behind the one being read that a connection
// holds at most; more wait in the socket.
constexpr std::size_t kPipelinedBytesMax = 64 << 10;

// How long a connection closed by the server's stop waits for the client's
// close_notify.
constexpr std::chrono::milliseconds kDrainCloseTimeout{100};
// How long a connection refused before its body was read goes on reading
// what the client sends, to throw it away.
constexpr std::chrono::seconds kLingerTimeout{1};

// One connection: the TLS handshake, then requests one after the other
// (pipelined ones wait in the read buffer), each answered before the next
// is read.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ssl::context& ctx, const Router& router, const Limits& limits,
          const std::atomic<bool>& draining, Metrics& metrics, net::thread_pool& blocking)
      : stream_(std::move(socket), ctx),
        buffer_(limits.header_bytes_max + limits.body_bytes_max + kPipelinedBytesMax),
        router_(router),
        blocking_(blocking),
        limits_(limits),
        draining_(draining),
        metrics_(metrics) {
    metrics_.connection_opened();
    boost::system::error_code ec;
    const tcp::endpoint peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) peer_ = peer.address().to_string() + ":" + std::to_string(peer.port());
  }
  ~Session() {
    finished();
    metrics_.connection_closed();
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

  // The server is stopping: a connection waiting for its next request is
  // closed now; one with a request in flight is closed once it is answered.
  void drain() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

 private:
  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(limits_.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read_header();
    });
  }

  void read_header() {
    busy_ = false;
    if (draining_) return close();
    parser_.emplace();
    limit_parser(*parser_, limits_);
    beast::get_lowest_layer(stream_).expires_after(limits_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    busy_ = true;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted) {
      return close();
    }
    started();
    // A body over the limit is refused from its announced length, unread
    // (the parser stops at such a Content-Length).
    if (ec == http::error::body_limit) {
      return refuse(Code::kBodyTooLarge, "the body is over " + std::to_string(limits_.body_bytes_max) + " bytes");
    }
    if (ec) return refuse(Code::kBadRequest, "the request is not HTTP/1.1 this server reads");
    if (std::optional<Response> refusal = refuse_header(*parser_, limits_)) return refuse(*refusal);
    beast::get_lowest_layer(stream_).expires_after(limits_.body_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == beast::error::timeout || ec == net::error::operation_aborted) return close();
    if (ec == http::error::body_limit) {
      return refuse(Code::kBodyTooLarge, "the body is over " + std::to_string(limits_.body_bytes_max) + " bytes");
    }
    if (ec) return refuse(Code::kBadRequest, "the request's body could not be read");
    const auto& req = parser_->get();
    if (draining_) {
      return respond(error_response(Code::kShuttingDown, "the server is stopping; try again shortly"), false,
                     req.version());
    }
    const auto started = std::chrono::steady_clock::now();
    const Request request = router_request(req);
    const RouteMatch match = match_route(request);
    if (match.blocks()) {
      // On the pool for work that blocks, so that the connections' threads
      // go on serving (and the appends of many connections meet in one
      // group commit).
      net::post(blocking_, [self = shared_from_this(), request, match, started] {
        auto r = std::make_shared<Response>(self->router_.handle(request, match));
        net::post(self->stream_.get_executor(), [self, r, started] { self->answered(*r, started); });
      });
      return;
    }
    answered(router_.handle(request, match), started);
  }

  // Counts and logs the answer to the request just read, and sends it.
  void answered(const Response& r, std::chrono::steady_clock::time_point started) {
    const auto& req = parser_->get();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    metrics_.request(r.route, r.status, seconds);
    // The access log: never the Authorization header, never a body.
    const std::string_view target(req.target().data(), req.target().size());
    log::info("request", {{"peer", peer_},
                          {"method", std::string(req.method_string())},
                          {"path", std::string(target.substr(0, target.find('?')))},
                          {"route", r.route},
                          {"status", r.status},
                          {"ms", static_cast<double>(static_cast<std::int64_t>(seconds * 1e5)) / 100},
                          {"bytes", r.body.size()}});
    respond(r, req.keep_alive(), req.version(), req.method() == http::verb::head ? kHead : kWhole);
  }

  // A request refused before its body was read: the answer, then a
  // lingering close, so that the client, still sending, reads it.
  void refuse(Code code, const std::string& message) { refuse(error_response(code, message)); }
  void refuse(const Response& r) { respond(r, false, 11, kWhole, true); }

  enum Body { kWhole, kHead };  // HEAD: the header of GET's answer alone
  void respond(const Response& r, bool keep_alive, unsigned version, Body body = kWhole, bool linger = false) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "fundledger");
    res->set(http::field::content_type, r.content_type);
    res->set(http::field::cache_control, r.cache_control);
    // HTTPS only, for two years (Mozilla's recommendation).
    res->set(http::field::strict_transport_security, "max-age=63072000");
    if (!r.etag.empty()) res->set(http::field::etag, r.etag);
    if (!r.allow.empty()) res->set(http::field::allow, r.allow);
    for (const auto& [name, value] : r.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    res->body() = r.body;
    res->prepare_payload();  // Content-Length, kept for HEAD
    if (body == kHead) res->body().clear();
    beast::get_lowest_layer(stream_).expires_after(limits_.write_timeout);
    http::async_write(stream_, *res,
                      [self = shared_from_this(), res, keep_alive, linger](beast::error_code ec, std::size_t) {
                        self->finished();
                        if (!ec && linger) return self->lingering_close();
                        if (ec || !keep_alive || self->draining_) return self->close();
                        self->read_header();
                      });
  }

  // As nginx's lingering_close: the sending half is shut, and what the
  // client still sends is read and thrown away, for a second at most, so
  // that the connection is not reset while the answer is on its way (a
  // close with unread bytes sends a reset, and the client's system then
  // drops the answer it has not read yet).
  void lingering_close() {
    beast::error_code ignored;
    auto& tcp = beast::get_lowest_layer(stream_);
    tcp.socket().shutdown(tcp::socket::shutdown_send, ignored);
    tcp.expires_after(kLingerTimeout);
    discard();
  }
  void discard() {
    auto bytes = std::make_shared<std::array<char, 16384>>();
    beast::get_lowest_layer(stream_).async_read_some(
        net::buffer(*bytes), [self = shared_from_this(), bytes](beast::error_code ec, std::size_t) {
          if (!ec) return self->discard();
          beast::error_code ignored;
          beast::get_lowest_layer(self->stream_).socket().close(ignored);
        });
  }

  // A request is in flight from its header's arrival to its answer's
  // last byte (Metrics: fundledger_requests_in_flight).
  void started() {
    if (!in_flight_) metrics_.request_started();
    in_flight_ = true;
  }
  void finished() {
    if (in_flight_) metrics_.request_finished();
    in_flight_ = false;
  }

  // Sends TLS's close_notify and waits for the client's, up to the close
  // timeout; while the server stops, only long enough to send it, so that an
  // idle keep-alive client that answers nothing does not hold the stop.
  void close() {
    beast::get_lowest_layer(stream_).expires_after(draining_ ? kDrainCloseTimeout : limits_.close_timeout);
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  // What is read and not yet parsed: one request, and a little of those
  // pipelined behind it (kPipelinedBytesMax).
  beast::flat_buffer buffer_;
  std::optional<HttpParser> parser_;
  const Router& router_;
  net::thread_pool& blocking_;
  const Limits& limits_;
  const std::atomic<bool>& draining_;
  Metrics& metrics_;
  std::string peer_;
  bool busy_ = false;  // a request is being read or answered; on the strand
  bool in_flight_ = false;  // counted in the metrics; on the strand
};

}  // namespace

constexpr std::size_t kBlockingThreads = 64;
constexpr std::chrono::seconds kDiskRetryFirst{1};
constexpr std::chrono::seconds kDiskRetryMax{60};

struct Server::Impl {
  Impl(Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const ServerOptions& o,
       std::shared_ptr<ssl::context> tls)
      : options(o),
        store(store),
        writer(writer),
        signer(signer),
        router(store, writer, std::move(tokens), std::move(signer), metrics, o.backups),
        tls(std::move(tls)),
        acceptor(io),
        checkpoint_timer(io),
        disk_timer(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec && metrics.open_connections() >= options.limits.connections_max) {
        log::warn("connection refused: too many open", {{"open", metrics.open_connections()}});
        beast::error_code ignored;
        socket.close(ignored);
      } else if (!ec) {
        auto session =
            std::make_shared<Session>(std::move(socket), *tls, router, options.limits, draining, metrics, blocking);
        {
          std::lock_guard lock(sessions_mu);
          std::erase_if(sessions, [](const std::weak_ptr<Session>& w) { return w.expired(); });
          sessions.push_back(session);
        }
        session->run();
      }
      accept();
    });
  }

  // Signs a checkpoint when the log grew since the last one, under the
  // writer's lock, so that no append is half written meanwhile.
  void sign_if_grown() {
    const Status status = writer.read_state([this](const FundState&, const Head& head) {
      if (head.size == signed_size) return;
      Result<std::string> note = sign_checkpoint(store, signer);
      if (!note) {
        log::error("checkpoint not signed", {{"code", code_name(note.status().code())}, {"message", note.status().message()}});
        return;
      }
      signed_size = head.size;
      log::info("checkpoint signed", {{"tree_size", head.size}});
    });
    if (!status) log::error("checkpoint not signed", {{"code", code_name(status.code())}, {"message", status.message()}});
  }

  // While the store refuses writes, asks it to recover, first after a
  // second and then twice as long each time it still fails, up to a minute.
  void watch_disk() {
    disk_timer.expires_after(disk_retry);
    disk_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      if (!store.failure()) {
        disk_retry = kDiskRetryFirst;
        return watch_disk();
      }
      // Recovering flushes to disk: on the pool, not on a connection's thread.
      net::post(blocking, [this] {
        const Status status = writer.recover();
        net::post(io, [this, ok = status.is_ok()] {
          disk_retry = ok ? kDiskRetryFirst : std::min(disk_retry * 2, kDiskRetryMax);
          watch_disk();
        });
      });
    });
  }

  void schedule_checkpoint() {
    checkpoint_timer.expires_after(options.checkpoint_interval);
    checkpoint_timer.async_wait([this](beast::error_code ec) {
      if (ec) return;
      sign_if_grown();
      schedule_checkpoint();
    });
  }

  ServerOptions options;
  Metrics metrics;  // before the router, which reads it
  Store& store;
  Writer& writer;
  NoteSigner signer;
  Router router;
  std::shared_ptr<ssl::context> tls;
  net::io_context io;
  tcp::acceptor acceptor;
  net::steady_timer checkpoint_timer;
  net::steady_timer disk_timer;
  std::chrono::seconds disk_retry = kDiskRetryFirst;  // on io's threads, one timer at a time
  // Appends wait for their synced write here, as many at once as
  // connections post them, so that they meet in one group commit.
  net::thread_pool blocking{kBlockingThreads};
  std::uint64_t signed_size = UINT64_MAX;  // under the writer's lock
  std::vector<std::thread> threads;
  std::mutex sessions_mu;
  std::vector<std::weak_ptr<Session>> sessions;  // guarded by sessions_mu
  std::atomic<bool> draining{false};
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Server>> Server::start(Store& store, Writer& writer, TokenStore tokens,
                                              NoteSigner signer, const ServerOptions& options) {
  Result<std::shared_ptr<ssl::context>> tls = tls_context(options);
  if (!tls) return tls.status();
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return Status::error(Code::kUsage, "\"" + options.address + "\" is not an IP address", "listen");
  auto impl = std::make_unique<Impl>(store, writer, std::move(tokens), std::move(signer), options, std::move(*tls));
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::error(Code::kStorageError, "cannot listen on " + options.address + ":" + std::to_string(options.port) +
                                              ": " + ec.message());
  }
  impl->accept();
  impl->schedule_checkpoint();
  impl->watch_disk();
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  log::info("serving", {{"address", options.address}, {"port", impl->acceptor.local_endpoint().port()},
                        {"threads", threads}});
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

bool Server::stopping() const { return impl_->draining; }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return wait();
  Impl& impl = *impl_;
  // Stop accepting; close idle connections; let those answering finish.
  impl.draining = true;
  net::post(impl.io, [&impl] {
    beast::error_code ignored;
    impl.acceptor.close(ignored);
    impl.checkpoint_timer.cancel();
    impl.disk_timer.cancel();
  });
  {
    std::lock_guard lock(impl.sessions_mu);
    for (const std::weak_ptr<Session>& w : impl.sessions) {
      if (const std::shared_ptr<Session> session = w.lock()) session->drain();
    }
  }
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
  // A last checkpoint of everything appended.
  impl.sign_if_grown();
  log::info("stopped");
}

void Server::wait() {
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace fundledger::api
