#include "api/session.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <array>
#include <memory>
#include <optional>
#include <string>

#include "api/http_request.h"
#include "util/log.h"

namespace fundledger::api {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

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
class Session final : public Evictable, public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const SessionShared& shared)
      : stream_(std::move(socket), shared.tls),
        buffer_(shared.limits.header_bytes_max + shared.limits.body_bytes_max + kPipelinedBytesMax),
        handler_(shared.handler),
        blocking_(shared.blocking),
        limits_(shared.limits),
        draining_(shared.draining),
        metrics_(shared.metrics),
        connections_(shared.connections),
        body_timer_(stream_.get_executor()) {
    metrics_.connection_opened();
    boost::system::error_code ec;
    const tcp::endpoint peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec) {
      address_ = peer.address().to_string();
      peer_ = address_ + ":" + std::to_string(peer.port());
    }
  }
  ~Session() override {
    finished();
    connections_.release(slot_);
    metrics_.connection_closed();
  }

  // Takes a slot and begins; false when there is none (the socket is
  // closed as the session ends).
  bool admit() {
    slot_ = connections_.admit(address_, weak_from_this());
    return slot_ != 0;
  }

  void run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->handshake(); });
  }

  // Its slot went to another connection, or the server is stopping: a
  // connection in its handshake or waiting for its next request is closed
  // now; one answering a request is closed once it is answered.
  void evict() override {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->stage_ != Connections::Stage::kAnswering) beast::get_lowest_layer(self->stream_).cancel();
    });
  }

 private:
  void stage(Connections::Stage s) {
    stage_ = s;
    connections_.set_stage(slot_, s);
  }

  void handshake() {
    beast::get_lowest_layer(stream_).expires_after(limits_.handshake_timeout);
    stream_.async_handshake(ssl::stream_base::server, [self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read_header();
    });
  }

  void read_header() {
    stage(Connections::Stage::kWaiting);
    if (draining_) return close();
    parser_.emplace();
    limit_parser(*parser_, limits_);
    beast::get_lowest_layer(stream_).expires_after(limits_.header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    stage(Connections::Stage::kAnswering);
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
    // The body has a timer of its own, not the stream's, which would close
    // the socket: when it fires, the read is cancelled and the client told.
    beast::get_lowest_layer(stream_).expires_never();
    body_late_ = false;
    body_timer_.expires_after(limits_.body_timeout);
    body_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec) return;
      self->body_late_ = true;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().cancel(ignored);
    });
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code e, std::size_t) { self->on_body(e); });
  }

  void on_body(beast::error_code ec) {
    body_timer_.cancel();
    if (body_late_) {
      return refuse(Code::kRequestTimeout, "the request's body did not arrive within " +
                                               std::to_string(limits_.body_timeout.count()) + " seconds");
    }
    if (ec == net::error::operation_aborted) return close();
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
    Request request = router_request(req);
    request.client = address_;
    const RouteMatch match = handler_.match(request);
    if (match.blocks()) {
      // On the pool for work that blocks, so that the connections' threads
      // go on serving (and the appends of many connections meet in one
      // group commit).
      net::post(blocking_, [self = shared_from_this(), request, match, started] {
        auto r = std::make_shared<Response>(self->handler_.handle(request, match));
        net::post(self->stream_.get_executor(), [self, r, started] { self->answered(*r, started); });
      });
      return;
    }
    answered(handler_.handle(request, match), started);
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
    stage(Connections::Stage::kWaiting);
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
    stage(Connections::Stage::kWaiting);
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
  const Handler& handler_;
  net::thread_pool& blocking_;
  const Limits& limits_;
  const std::atomic<bool>& draining_;
  Metrics& metrics_;
  Connections& connections_;
  Connections::Id slot_ = 0;
  std::string address_;
  std::string peer_;
  Connections::Stage stage_ = Connections::Stage::kHandshake;  // on the strand
  net::steady_timer body_timer_;
  bool body_late_ = false;  // the body timer fired; on the strand
  bool in_flight_ = false;  // counted in the metrics; on the strand
};

}  // namespace

void start_session(tcp::socket socket, const SessionShared& shared) {
  auto session = std::make_shared<Session>(std::move(socket), shared);
  if (!session->admit()) {
    log::warn("connection refused: every slot is answering a request", {{"open", shared.connections.open()}});
    return;  // the socket closes with the session
  }
  session->run();
}

}  // namespace fundledger::api
