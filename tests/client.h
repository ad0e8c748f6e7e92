// A TLS client for the tests of the HTTPS API: one connection, requests
// sent one after another, answers read whole.

#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <map>
#include <string>

namespace fundledger::test {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string text;  // the body as sent
  std::string content_type;
  std::string etag;
  std::string cache_control;
  std::string allow;
  bool keep_alive = false;
  std::map<std::string, std::string> headers;  // every header, by its name in lower case
};

// A TLS client of one connection, sending requests one after another.
class Client {
 public:
  explicit Client(std::uint16_t port, int max_version = TLS1_3_VERSION, int min_version = TLS1_2_VERSION)
      : ctx_(ssl::context::tls_client), stream_(io_, ctx_) {
    // On the connection's own SSL object, made when the stream was.
    SSL* ssl = stream_.native_handle();
    SSL_set_security_level(ssl, 0);  // let old versions be offered, to be refused
    SSL_set_min_proto_version(ssl, min_version);
    SSL_set_max_proto_version(ssl, max_version);
    SSL_set_verify(ssl, SSL_VERIFY_NONE, nullptr);  // the test's own self-signed certificate
    beast::get_lowest_layer(stream_).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    stream_.handshake(ssl::stream_base::client, handshake_error);
  }
  beast::error_code handshake_error;
  int version() { return SSL_version(stream_.native_handle()); }

  Reply send(http::verb method, const std::string& target, const std::string& token = "",
             const std::string& body = "", const std::string& if_none_match = "") {
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, "localhost");
    if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream_, req);
    return read();
  }

  beast::ssl_stream<beast::tcp_stream>& raw() { return stream_; }

  // Sends `bytes` as they are, and reads the answer.
  Reply send_raw(const std::string& bytes) {
    net::write(stream_, net::buffer(bytes));
    return read();
  }
  // HEAD `target`: the answer's header, which announces a body that does
  // not follow.
  Reply head(const std::string& target) {
    net::write(stream_, net::buffer("HEAD " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
    return read(true);
  }
  // Sends `bytes`, then reads until the server closes the connection
  // without answering; how long that took.
  std::chrono::milliseconds time_until_closed(const std::string& bytes) {
    const auto start = std::chrono::steady_clock::now();
    if (!bytes.empty()) net::write(stream_, net::buffer(bytes));
    char byte;
    beast::error_code ec;
    const std::size_t n = stream_.read_some(net::buffer(&byte, 1), ec);
    CHECK(n == 0);
    CHECK(ec);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  }

  // Sends only the header of a request announcing `length` bytes of body.
  Reply send_header_only(const std::string& target, std::size_t length) {
    const std::string head = "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    net::write(stream_, net::buffer(head));
    return read();
  }

 private:
  Reply read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.skip(head);
    http::read(stream_, buffer_, parser);
    const http::response<http::string_body>& res = parser.get();
    Reply r;
    r.status = static_cast<int>(res.result_int());
    r.text = res.body();
    r.etag = std::string(res[http::field::etag]);
    r.cache_control = std::string(res[http::field::cache_control]);
    r.content_type = std::string(res[http::field::content_type]);
    if (r.content_type == "application/json" && !res.body().empty()) r.body = nlohmann::json::parse(res.body());
    r.allow = std::string(res[http::field::allow]);
    r.keep_alive = res.keep_alive();
    for (const auto& f : res) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r.headers[name] = std::string(f.value());
    }
    return r;
  }

  net::io_context io_;
  ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// Requests in flight on the server, not counting the one that asks
// (fundledger_requests_in_flight of /metrics).
inline int requests_in_flight(std::uint16_t port, const std::string& token) {
  Client c(port);
  const std::string text = c.send(http::verb::get, "/metrics", token).text;
  const std::string name = "\nfundledger_requests_in_flight ";
  const auto at = text.find(name);
  REQUIRE(at != std::string::npos);
  return std::stoi(text.substr(at + name.size())) - 1;
}

}  // namespace fundledger::test
