// The HTTPS API over real TLS on loopback, with a Beast client: the public
// routes, tokens and roles, audited views that verify with the published
// key, the errors of SPEC 6 with their JSON bodies, TLS versions, keep-alive
// and the body limit.

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "api/certificate.h"
#include "api/server.h"
#include "api/tokens.h"
#include "audit/audited_view.h"
#include "ledger/snapshots.h"
#include "tests/support.h"

namespace fundledger::api {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

struct Reply {
  int status = 0;
  nlohmann::json body;
  std::string allow;
  bool keep_alive = false;
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
             const std::string& body = "") {
    http::request<http::string_body> req(method, target, 11);
    req.set(http::field::host, "localhost");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = body;
    }
    req.prepare_payload();
    http::write(stream_, req);
    return read();
  }

  // Sends only the header of a request announcing `length` bytes of body.
  Reply send_header_only(const std::string& target, std::size_t length) {
    const std::string head = "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                             "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    net::write(stream_, net::buffer(head));
    return read();
  }

 private:
  Reply read() {
    http::response<http::string_body> res;
    http::read(stream_, buffer_, res);
    Reply r;
    r.status = static_cast<int>(res.result_int());
    r.body = res.body().empty() ? nlohmann::json() : nlohmann::json::parse(res.body());
    r.allow = std::string(res[http::field::allow]);
    r.keep_alive = res.keep_alive();
    return r;
  }

  net::io_context io_;
  ssl::context ctx_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
};

// A ledger with events, its key and tokens, served on a free port.
struct Served {
  test::Ledger ledger;
  std::string manager, board, auditor;
  NoteSigner signer = *NoteSigner::generate("test.example/ledger");
  std::unique_ptr<Server> server;

  Served() {
    ledger.append(test::generated(300, 8));
    const auto dir = ledger.dir.path();
    REQUIRE(write_self_signed_certificate(dir / "tls.crt", dir / "tls.key") == "");
    manager = *TokenStore::add(dir / "tokens", "alice", Role::kManager);
    board = *TokenStore::add(dir / "tokens", "bea", Role::kBoard);
    auditor = *TokenStore::add(dir / "tokens", "abe", Role::kAuditor);
    ServerOptions o;
    o.port = 0;
    o.cert = dir / "tls.crt";
    o.key = dir / "tls.key";
    o.threads = 2;
    Result<std::unique_ptr<Server>> s = Server::start(*ledger.store, *TokenStore::load(dir / "tokens"), signer, o);
    REQUIRE(s.status().to_string() == "ok");
    server = std::move(*s);
  }
  std::uint16_t port() const { return server->port(); }
};

void check_error(const Reply& r, int status, const std::string& code) {
  CHECK(r.status == status);
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"]["code"] == code);
  CHECK(r.body["error"]["message"].is_string());
}

TEST_CASE("public routes answer without a token", "[server]") {
  Served s;
  Client c(s.port());
  REQUIRE_FALSE(c.handshake_error);
  Reply r = c.send(http::verb::get, "/healthz");
  CHECK(r.status == 200);
  CHECK(r.body == nlohmann::json{{"ok", true}, {"tree_size", 300}});
  CHECK(r.keep_alive);
  // The same connection again (keep-alive).
  r = c.send(http::verb::get, "/v1/audit/key");
  CHECK(r.status == 200);
  CHECK(r.body["origin"] == "test.example/ledger");
  CHECK(r.body["verifier_key"] == s.signer.verifier_key());
  CHECK(r.body["public_key_pem"].get<std::string>().rfind("-----BEGIN PUBLIC KEY-----\n", 0) == 0);
}

TEST_CASE("views need a token of any role and are audited views that verify", "[server]") {
  Served s;
  Client c(s.port());
  check_error(c.send(http::verb::get, "/v1/fund"), 401, "unauthorized");
  check_error(c.send(http::verb::get, "/v1/fund", "fl_not-a-token"), 401, "unauthorized");
  const NoteVerifier verifier = *NoteVerifier::parse(c.send(http::verb::get, "/v1/audit/key").body["verifier_key"].get<std::string>());
  for (const std::string& token : {s.manager, s.board, s.auditor}) {
    for (const std::string target : {"/v1/fund", "/v1/donors", "/v1/calls", "/v1/programmes", "/v1/regions",
                                      "/v1/fund?as_of=120", "/v1/regions?as_of=0"}) {
      INFO(target);
      const Reply r = c.send(http::verb::get, target, token);
      REQUIRE(r.status == 200);
      CHECK(check_audited_view(r.body, verifier) == "");
    }
  }
  // The view is the ledger's own, as of the seq asked.
  const Reply fund = c.send(http::verb::get, "/v1/fund?as_of=120", s.board);
  Result<nlohmann::json> expected = view_as_of(s.ledger.store->reader(), ViewKind::kFund, "", 120);
  REQUIRE(expected.is_ok());
  CHECK(fund.body["view"] == (*expected)["view"]);
  CHECK(fund.body["as_of"] == (*expected)["as_of"]);
  CHECK(fund.body["as_of"]["tree_size"] == 120);
  // Errors, each with its code.
  check_error(c.send(http::verb::get, "/v1/donors/NOBODY", s.board), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=abc", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=0120", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/fund?as_of=301", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/nothing", s.board), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/proposals", s.board), 404, "not_found");
  const Reply post = c.send(http::verb::post, "/v1/fund", s.manager, "{}");
  check_error(post, 405, "method_not_allowed");
  CHECK(post.allow == "GET");
}

TEST_CASE("TLS 1.2 and 1.3 are accepted, 1.0 and 1.1 refused", "[server]") {
  Served s;
  Client v13(s.port());
  REQUIRE_FALSE(v13.handshake_error);
  CHECK(v13.version() == TLS1_3_VERSION);
  Client v12(s.port(), TLS1_2_VERSION);
  REQUIRE_FALSE(v12.handshake_error);
  CHECK(v12.version() == TLS1_2_VERSION);
  CHECK(v12.send(http::verb::get, "/healthz").status == 200);
  Client v11(s.port(), TLS1_1_VERSION, TLS1_VERSION);
  CHECK(v11.handshake_error);
  Client v10(s.port(), TLS1_VERSION, TLS1_VERSION);
  CHECK(v10.handshake_error);
}

TEST_CASE("a body announced over 1 MiB is refused from its header", "[server]") {
  Served s;
  Client c(s.port());
  const Reply r = c.send_header_only("/v1/events", (1 << 20) + 1);
  check_error(r, 413, "body_too_large");
  CHECK_FALSE(r.keep_alive);
}

}  // namespace
}  // namespace fundledger::api
