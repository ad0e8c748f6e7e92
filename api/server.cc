#include "api/server.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <atomic>
#include <thread>
#include <vector>

#include "api/router.h"
#include "ledger/log.h"

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
  if (!ok) return Status::error("tls_error", "the TLS settings were refused by OpenSSL");
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  ctx->use_certificate_chain_file(o.cert.string(), ec);
  if (ec) return Status::error("tls_error", "cannot use the certificate " + o.cert.string());
  ctx->use_private_key_file(o.key.string(), ssl::context::pem, ec);
  if (ec || SSL_CTX_check_private_key(native) != 1) {
    return Status::error("tls_error", "cannot use the key " + o.key.string() + " with the certificate");
  }
  return ctx;
}

// One connection: the TLS handshake, then requests one after the other
// (pipelined ones wait in the read buffer), each answered before the next
// is read.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, ssl::context& ctx, const Router& router, const Limits& limits,
          std::atomic<int>& open)
      : stream_(std::move(socket), ctx), router_(router), limits_(limits), open_(open) {
    ++open_;
  }
  ~Session() { --open_; }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

 private:
  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(limits_.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read_header(self->limits_.idle_timeout);
    });
  }

  void read_header(std::chrono::seconds timeout) {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes_max));
    parser_->body_limit(limits_.body_bytes_max);
    beast::get_lowest_layer(stream_).expires_after(timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted) {
      return close();
    }
    // A body over the limit is refused from its announced length, unread
    // (the parser stops at such a Content-Length).
    if (ec == http::error::body_limit) {
      return refuse(413, "body_too_large", "the body is over " + std::to_string(limits_.body_bytes_max) + " bytes");
    }
    if (ec) return refuse(400, "bad_request", "the request is not HTTP/1.1 this server reads");
    const auto& req = parser_->get();
    if (req.has_content_length() && parser_->content_length().value_or(0) > limits_.body_bytes_max) {
      return refuse(413, "body_too_large", "the body is over " + std::to_string(limits_.body_bytes_max) + " bytes");
    }
    beast::get_lowest_layer(stream_).expires_after(limits_.read_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    if (ec == beast::error::timeout || ec == net::error::operation_aborted) return close();
    if (ec == http::error::body_limit) {
      return refuse(413, "body_too_large", "the body is over " + std::to_string(limits_.body_bytes_max) + " bytes");
    }
    if (ec) return refuse(400, "bad_request", "the request's body could not be read");
    const auto& req = parser_->get();
    const auto auth = req[http::field::authorization];
    const auto type = req[http::field::content_type];
    const Response r = router_.handle(std::string_view(req.method_string().data(), req.method_string().size()),
                                      std::string_view(req.target().data(), req.target().size()),
                                      std::string_view(auth.data(), auth.size()),
                                      std::string_view(type.data(), type.size()), req.body());
    respond(r, req.keep_alive(), req.version());
  }

  void refuse(int status, std::string_view code, const std::string& message) {
    respond(error_response(status, code, message), false, 11);
  }

  void respond(const Response& r, bool keep_alive, unsigned version) {
    auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
    res->set(http::field::server, "fundledger");
    res->set(http::field::content_type, "application/json");
    res->set(http::field::cache_control, "no-store");
    if (!r.allow.empty()) res->set(http::field::allow, r.allow);
    res->keep_alive(keep_alive);
    res->body() = r.body;
    res->prepare_payload();
    beast::get_lowest_layer(stream_).expires_after(limits_.write_timeout);
    http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
      if (ec || !keep_alive) return self->close();
      self->read_header(self->limits_.idle_timeout);
    });
  }

  void close() {
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) {
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  const Router& router_;
  const Limits& limits_;
  std::atomic<int>& open_;
};

}  // namespace

struct Server::Impl {
  Impl(const Store& store, Writer& writer, TokenStore tokens, NoteSigner signer, const ServerOptions& o,
       std::shared_ptr<ssl::context> tls)
      : options(o), router(store, writer, std::move(tokens), std::move(signer)), tls(std::move(tls)), acceptor(io) {}

  void accept() {
    acceptor.async_accept(net::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
      if (!ec) std::make_shared<Session>(std::move(socket), *tls, router, options.limits, open)->run();
      accept();
    });
  }

  ServerOptions options;
  Router router;
  std::shared_ptr<ssl::context> tls;
  net::io_context io;
  tcp::acceptor acceptor;
  std::vector<std::thread> threads;
  std::atomic<int> open{0};
  std::atomic<bool> stopped{false};
};

Result<std::unique_ptr<Server>> Server::start(const Store& store, Writer& writer, TokenStore tokens,
                                              NoteSigner signer, const ServerOptions& options) {
  Result<std::shared_ptr<ssl::context>> tls = tls_context(options);
  if (!tls) return tls.status();
  boost::system::error_code ec;
  const net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return Status::error("usage", "\"" + options.address + "\" is not an IP address", "listen");
  auto impl = std::make_unique<Impl>(store, writer, std::move(tokens), std::move(signer), options, std::move(*tls));
  const tcp::endpoint endpoint(address, options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::error("storage_error", "cannot listen on " + options.address + ":" + std::to_string(options.port) +
                                              ": " + ec.message());
  }
  impl->accept();
  const unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < threads; ++i) impl->threads.emplace_back([io = &impl->io] { io->run(); });
  log::info("serving", {{"address", options.address}, {"port", impl->acceptor.local_endpoint().port()},
                        {"threads", threads}});
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Server::~Server() { stop(); }

std::uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::stop() {
  if (impl_->stopped.exchange(true)) return wait();
  net::post(impl_->io, [impl = impl_.get()] {
    beast::error_code ignored;
    impl->acceptor.close(ignored);
  });
  impl_->io.stop();
  wait();
}

void Server::wait() {
  for (std::thread& t : impl_->threads) {
    if (t.joinable()) t.join();
  }
}

}  // namespace fundledger::api
