#pragma once
// A ledger served over HTTPS on a free port, in this process, for the
// tests of the API: its events, the log's key, a token for each role.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "api/certificate.h"
#include "api/server.h"
#include "api/tokens.h"
#include "ledger/checkpoints.h"
#include "tests/client.h"
#include "tests/support.h"

namespace fundledger::api::test {

using fundledger::test::Client;
using fundledger::test::Reply;

struct ServedOptions {
  std::string events = fundledger::test::generated(300, 8);  // appended before the server starts
  std::chrono::seconds checkpoint_interval{60};
  Limits limits = {};
  // Called with the ledger's directory, the ledger closed, before it is
  // served: for tests that damage it as a tamperer or a bad disk would.
  std::function<void(const std::filesystem::path&)> before_serving;
  rocksdb::Env* env = nullptr;  // the store's environment while served
  std::filesystem::path backups;  // serve --backups
  bool follow_tokens = false;     // as serve: the tokens file read again on change, access recorded
  std::string donor;              // a donor: a donor's token for it, `dora`
  PublicViews public_views;       // serve --public
  RateLimiter::Limits public_limits;
};

struct Served {
  fundledger::test::Ledger ledger;
  std::string manager, board, auditor;
  std::string donor;  // ServedOptions::donor's token, "" without one
  NoteSigner signer = *NoteSigner::generate("test.example/ledger");
  std::unique_ptr<Server> server;

  explicit Served(const ServedOptions& options = {}) {
    if (!options.events.empty()) ledger.append(options.events);
    const auto dir = ledger.dir.path();
    REQUIRE(write_self_signed_certificate(dir / "tls.crt", dir / "tls.key").to_string() == "ok");
    manager = *TokenStore::add(dir / "tokens", "alice", Role::kManager);
    board = *TokenStore::add(dir / "tokens", "bea", Role::kBoard);
    auditor = *TokenStore::add(dir / "tokens", "abe", Role::kAuditor);
    if (!options.donor.empty()) donor = *TokenStore::add(dir / "tokens", "dora", Role::kDonor, {}, options.donor);
    REQUIRE(sign_checkpoint(*ledger.store, signer).status().to_string() == "ok");
    if (options.before_serving || options.env != nullptr) {
      ledger.close();
      if (options.before_serving) options.before_serving(dir);
      ledger.options.env = options.env;
      ledger.reopen();
    }
    ServerOptions o;
    o.port = 0;
    o.cert = dir / "tls.crt";
    o.key = dir / "tls.key";
    o.threads = 2;
    o.checkpoint_interval = options.checkpoint_interval;
    o.limits = options.limits;
    o.backups = options.backups;
    if (options.follow_tokens) o.tokens_file = dir / "tokens";
    o.public_views = options.public_views;
    o.public_limits = options.public_limits;
    Result<std::unique_ptr<Server>> s =
        Server::start(*ledger.store, *ledger.writer, *TokenStore::load(dir / "tokens"), signer, o);
    REQUIRE(s.status().to_string() == "ok");
    server = std::move(*s);
  }
  std::uint16_t port() const { return server->port(); }
};

inline void check_error(const Reply& r, int status, const std::string& code) {
  CHECK(r.status == status);
  REQUIRE(r.body.contains("error"));
  CHECK(r.body["error"]["code"] == code);
  CHECK(r.body["error"]["message"].is_string());
}

// A fresh event for the served ledger: a donor of its own.
inline std::string donor_event(const std::string& id) {
  return R"({"id":")" + id + R"(","type":"donor.registered","data":{"donor":")" + id +
         R"(","name":"Donor )" + id + R"(","kind":"foundation"}})";
}

// A POST whose body the server is still reading when it begins to stop:
// its answer, once the rest of the body is sent. Stops `s`.
inline Reply request_while_stopping(Served& s) {
  Client c(s.port());
  const std::string body = donor_event("late");
  boost::asio::write(c.raw(), boost::asio::buffer("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                                  s.manager + "\r\nContent-Type: application/json\r\n"
                                                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                                                  body.substr(0, 10)));
  while (fundledger::test::requests_in_flight(s.port(), s.auditor) < 1) std::this_thread::yield();
  std::thread stopper([&] { s.server->stop(); });
  while (!s.server->stopping()) std::this_thread::yield();
  Reply r = c.send_raw(body.substr(10));
  stopper.join();
  return r;
}

}  // namespace fundledger::api::test
