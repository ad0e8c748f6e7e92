// A served ledger follows its tokens file: a token revoked, expired or made
// is refused or taken within a second, on connections already open; every
// grant and revocation is an event of the log.

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <thread>

#include "api/access.h"
#include "api/ledger_dir.h"
#include "util/files.h"
#include "tests/api/served.h"

namespace fundledger::api::test {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

TokenChange by_sam() {
  TokenChange c;
  c.by = "manager:sam";
  return c;
}

using Clock = std::chrono::steady_clock;

// Sends GET /v1/fund with `token` on `c` until it answers `status`, for 5 s
// at most; how long that took.
std::chrono::milliseconds until_status(Client& c, const std::string& token, int status) {
  const auto start = Clock::now();
  while (c.send(http::verb::get, "/v1/fund", token).status != status && Clock::now() - start < std::chrono::seconds(5)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

}  // namespace

TEST_CASE("a revoked token is refused within a second, a new one taken, on the same connection", "[server][tokens]") {
  ServedOptions options;
  options.follow_tokens = true;
  Served s(options);
  const auto tokens = s.ledger.dir.path() / "tokens";
  Client c(s.port());
  // The three grants of the file were recorded when the server started.
  Reply r = c.send(http::verb::get, "/v1/events?from=301", s.auditor);
  REQUIRE(r.status == 200);
  REQUIRE(r.body["events"].size() == 3);
  CHECK(r.body["events"][0]["type"] == "access.granted");
  CHECK(r.body["events"][0]["data"]["name"] == "alice");
  CHECK(r.body["events"][0]["data"]["role"] == "manager");
  CHECK(r.body["events"][0]["data"]["token"] == to_hex(sha256(s.manager)).substr(0, 16));
  CHECK(r.body["events"][0]["actor"] == "manager:ledger");
  CHECK(r.body["events"][2]["data"]["name"] == "abe");

  REQUIRE(c.send(http::verb::get, "/v1/fund", s.board).status == 200);
  REQUIRE(TokenStore::revoke(tokens, "bea", by_sam()).status().to_string() == "ok");
  const std::chrono::milliseconds took = until_status(c, s.board, 401);
  INFO("revoked after " << took.count() << " ms");
  CHECK(took < std::chrono::milliseconds(1000));
  r = c.send(http::verb::get, "/v1/fund", s.board);
  CHECK(r.status == 401);
  CHECK(r.body["error"]["message"].get<std::string>().rfind("the token was revoked on ", 0) == 0);
  // The same connection goes on with the tokens in force.
  CHECK(c.send(http::verb::get, "/v1/fund", s.manager).status == 200);

  const Result<std::string> carl = TokenStore::add(tokens, "carl", Role::kAuditor, by_sam());
  REQUIRE(carl.status().to_string() == "ok");
  CHECK(until_status(c, *carl, 200) < std::chrono::milliseconds(1000));

  // Both changes are in the log, as the actor who made them.
  r = c.send(http::verb::get, "/v1/events?from=304", s.auditor);
  REQUIRE(r.body["events"].size() == 2);
  CHECK(r.body["events"][0]["type"] == "access.revoked");
  CHECK(r.body["events"][0]["id"] == "access-revoked-bea-" + to_hex(sha256(s.board)).substr(0, 16));
  CHECK(r.body["events"][0]["actor"] == "manager:sam");
  CHECK(r.body["events"][1]["type"] == "access.granted");
  CHECK(r.body["events"][1]["data"]["name"] == "carl");
  CHECK(r.body["events"][1]["data"].size() == 3);  // no expiry

  // A client may not send one.
  r = c.send(http::verb::post, "/v1/events", s.manager,
             R"({"id":"fake","type":"access.granted","data":{"name":"mallory","role":"manager","token":"0123456789abcdef"}})");
  check_error(r, 422, "reserved_type");
  CHECK(r.body["error"]["field"] == "type");
}

TEST_CASE("a tokens file that cannot be read leaves the tokens before in force", "[server][tokens]") {
  ServedOptions options;
  options.follow_tokens = true;
  Served s(options);
  const auto tokens = s.ledger.dir.path() / "tokens";
  Client c(s.port());
  REQUIRE(replace_file(tokens, "not a token line\n", 0600).to_string() == "ok");
  // The server has read it (its stamp changed) when a later good change is taken.
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CHECK(c.send(http::verb::get, "/v1/fund", s.board).status == 200);
  CHECK(std::filesystem::exists(s.ledger.dir.path() / kTokensUsedFile) == false);
  s.server->stop();
  // At the stop, the last uses are written.
  const std::map<std::string, Millis> used = read_used(s.ledger.dir.path() / kTokensUsedFile);
  CHECK(used.count(to_hex(sha256(s.board)).substr(0, 16)) == 1);
  CHECK(used.count(to_hex(sha256(s.manager)).substr(0, 16)) == 0);
}

}  // namespace fundledger::api::test
