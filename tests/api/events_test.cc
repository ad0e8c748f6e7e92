// Events over HTTPS: a manager posts them (201, a repeat 200, refusals with
// their codes), 32 connections at once land each once, pages of events
// carry immutable ETags, and the proofs fetched verify with the audit code.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <set>
#include <thread>

#include "audit/checkpoint.h"
#include "audit/proof.h"
#include "audit/receipt.h"
#include "ledger/verify.h"
#include "tests/api/served.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
namespace http = boost::beast::http;

using test::check_error;
using test::donor_event;
using test::Served;

TEST_CASE("a manager posts events: 201, a repeat 200, conflicts and refusals with their codes", "[server]") {
  Served s;
  Client c(s.port());
  Reply r = c.send(http::verb::post, "/v1/events", s.manager, donor_event("d-new"));
  REQUIRE(r.status == 201);
  REQUIRE(r.body["events"].size() == 1);
  CHECK(r.body["events"][0]["seq"] == 301);
  CHECK(r.body["events"][0]["id"] == "d-new");
  const nlohmann::json first = r.body;
  // The same event again: the original, no new seq.
  r = c.send(http::verb::post, "/v1/events", s.manager, donor_event("d-new"));
  CHECK(r.status == 200);
  CHECK(r.body == first);
  // An array lands whole, in order.
  r = c.send(http::verb::post, "/v1/events", s.manager, "[" + donor_event("d-a") + "," + donor_event("d-b") + "]");
  REQUIRE(r.status == 201);
  CHECK(r.body["events"][0]["seq"] == 302);
  CHECK(r.body["events"][1]["seq"] == 303);
  // Its actor is the token's.
  r = c.send(http::verb::get, "/v1/events/302", s.auditor);
  CHECK(r.status == 200);
  CHECK(r.body["actor"] == "manager:alice");
  CHECK(r.body["seq"] == 302);
  CHECK(r.body["leaf_hash"].is_string());

  // The same id with other content.
  std::string other = donor_event("d-new");
  other.replace(other.find("foundation"), 10, "government");
  check_error(c.send(http::verb::post, "/v1/events", s.manager, other), 409, "id_conflict");
  // A rule: a pledge of a donor never registered, in the second place.
  const std::string pledge =
      R"({"id":"p-x","type":"pledge.recorded","data":{"pledge":"p-x","donor":"NOBODY","amount":"10","currency":"USD","pledged_on":"2015-01-01"}})";
  r = c.send(http::verb::post, "/v1/events", s.manager, "[" + donor_event("d-c") + "," + pledge + "]");
  check_error(r, 422, "unknown_donor");
  CHECK(r.body["error"]["field"] == "[1].data.donor");
  // Nothing of that request landed.
  CHECK(c.send(http::verb::get, "/healthz").body["tree_size"] == 303);
  // Malformed, unknown field, unknown type, wrong media type, too many.
  check_error(c.send(http::verb::post, "/v1/events", s.manager, "{\"id\":"), 400, "malformed_json");
  r = c.send(http::verb::post, "/v1/events", s.manager,
             R"({"id":"x","type":"donor.registered","data":{"donor":"x","name":"X","kind":"other"},"seq":9})");
  check_error(r, 400, "unknown_field");
  CHECK(r.body["error"]["field"] == "seq");
  check_error(c.send(http::verb::post, "/v1/events", s.manager, R"({"id":"x","type":"donor.gone","data":{}})"), 400,
              "unknown_type");
  // Not JSON by its media type.
  check_error(c.send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.manager +
                         "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}"),
              415, "unsupported_media_type");
  // The media type and the scheme are case-insensitive (RFC 9110), and a
  // parameter may follow a space.
  const Reply any_case = c.send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: bearer  " + s.manager +
                                    "\r\nContent-Type: APPLICATION/JSON ; charset=utf-8\r\nContent-Length: " +
                                    std::to_string(donor_event("any-case").size()) + "\r\n\r\n" +
                                    donor_event("any-case"));
  CHECK(any_case.status == 201);
  check_error(c.send_raw("GET /v1/fund HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer" + s.manager + "\r\n\r\n"), 401,
              "unauthorized");
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) many += (i ? "," : "") + donor_event("m" + std::to_string(i));
  check_error(c.send(http::verb::post, "/v1/events", s.manager, many + "]"), 400, "too_many_events");
}

TEST_CASE("events page by page, and proofs fetched over HTTPS verify with the audit code", "[server]") {
  Served s;
  Client c(s.port());
  Reply page = c.send(http::verb::get, "/v1/events?from=1&limit=100", s.auditor);
  REQUIRE(page.status == 200);
  CHECK(page.body["events"].size() == 100);
  CHECK(page.body["events"][0]["seq"] == 1);
  CHECK(page.body["next"] == 101);
  page = c.send(http::verb::get, "/v1/events?from=251", s.auditor);
  CHECK(page.body["events"].size() == 50);
  CHECK(page.body["next"].is_null());
  CHECK(c.send(http::verb::get, "/v1/events?from=400", s.auditor).body["events"].empty());
  check_error(c.send(http::verb::get, "/v1/events?limit=1001", s.auditor), 400, "invalid_limit");
  check_error(c.send(http::verb::get, "/v1/events?from=x", s.auditor), 400, "invalid_seq");
  check_error(c.send(http::verb::get, "/v1/events/301", s.auditor), 404, "not_found");
  check_error(c.send(http::verb::get, "/v1/events/0", s.auditor), 404, "not_found");

  // The checkpoint, signed with the published key.
  const Reply cp = c.send(http::verb::get, "/v1/audit/checkpoint");
  REQUIRE(cp.status == 200);
  const NoteVerifier verifier = *NoteVerifier::parse(c.send(http::verb::get, "/v1/audit/key").body["verifier_key"].get<std::string>());
  const Result<Checkpoint> read = read_checkpoint_note(cp.body["note"].get<std::string>(), verifier);
  REQUIRE(read.status().to_string() == "ok");
  const Checkpoint& checkpoint = *read;
  CHECK(checkpoint.size == 300);
  CHECK(cp.body["tree_size"] == 300);
  CHECK(cp.body["root_hash"] == to_hex(checkpoint.root));

  // An event's inclusion in that checkpoint's tree.
  const nlohmann::json e = c.send(http::verb::get, "/v1/events/137", s.auditor).body;
  const Reply inc = c.send(http::verb::get, "/v1/audit/inclusion?seq=137&tree_size=300", s.board);
  REQUIRE(inc.status == 200);
  CHECK(inc.body["leaf_hash"] == e["leaf_hash"]);
  std::vector<Hash> path;
  for (const auto& h : inc.body["path"]) path.push_back(*hash_from_hex(h.get<std::string>()));
  CHECK(check_inclusion(136, 300, *hash_from_hex(e["leaf_hash"].get<std::string>()), path, checkpoint.root).to_string() == "ok");
  // The log grows; its new tree extends the checkpoint.
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager, donor_event("later")).status == 201);
  const Reply con = c.send(http::verb::get, "/v1/audit/consistency?first=300&second=301", s.board);
  REQUIRE(con.status == 200);
  path.clear();
  for (const auto& h : con.body["path"]) path.push_back(*hash_from_hex(h.get<std::string>()));
  const nlohmann::json fund = c.send(http::verb::get, "/v1/fund", s.board).body;
  CHECK(fund["as_of"]["tree_size"] == 301);
  CHECK(check_consistency(300, 301, checkpoint.root, *hash_from_hex(fund["as_of"]["root_hash"].get<std::string>()),
                          path).to_string() == "ok");
  check_error(c.send(http::verb::get, "/v1/audit/inclusion?seq=400", s.board), 400, "invalid_seq");
  check_error(c.send(http::verb::get, "/v1/audit/consistency?first=2&second=1", s.board), 400, "invalid_tree_size");
  check_error(c.send(http::verb::get, "/v1/audit/consistency?first=2&second=900", s.board), 400,
              "invalid_tree_size");
}

TEST_CASE("32 connections posting at once: every 201 lands once, no gaps, repeats add nothing", "[server]") {
  Served s;
  constexpr int kClients = 32, kEach = 8;
  std::vector<std::vector<std::uint64_t>> seqs(kClients);
  std::vector<int> failures(kClients, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      Client c(s.port());
      for (int i = 0; i < kEach; ++i) {
        const std::string event = donor_event("c" + std::to_string(t) + "-" + std::to_string(i));
        const Reply r = c.send(http::verb::post, "/v1/events", s.manager, event);
        if (r.status != 201) {
          ++failures[t];
          continue;
        }
        seqs[t].push_back(r.body["events"][0]["seq"]);
        // A repeat of every other one: the same seq back, 200.
        if (i % 2 == 0) {
          const Reply again = c.send(http::verb::post, "/v1/events", s.manager, event);
          if (again.status != 200 || again.body["events"][0]["seq"] != seqs[t].back()) ++failures[t];
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  std::set<std::uint64_t> all;
  for (int t = 0; t < kClients; ++t) {
    CHECK(failures[t] == 0);
    all.insert(seqs[t].begin(), seqs[t].end());
  }
  CHECK(all.size() == kClients * kEach);
  CHECK(*all.begin() == 301);
  CHECK(*all.rbegin() == 300 + kClients * kEach);  // no gaps, nothing twice
  CHECK(s.ledger.store->head().size == 300 + kClients * kEach);
  Result<VerifyReport> verified = verify_log(*s.ledger.store);
  REQUIRE(verified.is_ok());
  CHECK(verified->ok());
}

TEST_CASE("complete pages of events carry a strong ETag, are immutable, and answer If-None-Match with 304", "[server]") {
  Served s;
  Client c(s.port());
  const Reply full = c.send(http::verb::get, "/v1/events?from=101&limit=100", s.auditor);
  REQUIRE(full.status == 200);
  CHECK(full.cache_control == "private, max-age=31536000, immutable");
  const std::string chain200 = full.body["events"][99]["chain_hash"];
  CHECK(full.etag == "\"101-100-" + chain200.substr(0, 32) + "\"");
  const Reply again = c.send(http::verb::get, "/v1/events?from=101&limit=100", s.auditor, "", full.etag);
  CHECK(again.status == 304);
  CHECK(again.etag == full.etag);
  CHECK(again.text.empty());
  // Another tag: the page again.
  CHECK(c.send(http::verb::get, "/v1/events?from=101&limit=100", s.auditor, "", "\"other\"").status == 200);
  // The page that reaches the head is not complete: no tag, not cached.
  const Reply last = c.send(http::verb::get, "/v1/events?from=251&limit=100", s.auditor);
  CHECK(last.etag.empty());
  CHECK(last.cache_control == "no-store");
  // Roles still apply to a conditional request.
  check_error(c.send(http::verb::get, "/v1/events?from=101&limit=100", s.board, "", full.etag), 403, "forbidden");

  // A view as of a seq, asked twice, is the same document.
  const Reply v1 = c.send(http::verb::get, "/v1/calls?as_of=200", s.board);
  const Reply v2 = c.send(http::verb::get, "/v1/calls?as_of=200", s.board);
  CHECK(v1.text == v2.text);
  CHECK(v1.cache_control == "no-store");
}

TEST_CASE("an event's receipt is a file that verifies offline with the log's key alone", "[server][receipt]") {
  Served s;
  Client c(s.port());
  const Reply r = c.send(http::verb::get, "/v1/events/3/receipt", s.auditor);
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "text/plain; charset=utf-8");
  CHECK(r.headers.at("content-disposition") == "attachment; filename=\"event-3.tlog-proof\"");
  const Result<EventReceipt> receipt = parse_receipt(r.text);
  REQUIRE(receipt.is_ok());
  CHECK(receipt->index == 2);
  const NoteVerifier key = *NoteVerifier::parse(s.signer.verifier_key());
  const Result<ReceiptCheck> check = check_receipt(*receipt, std::nullopt, &key, nullptr);
  REQUIRE(check.is_ok());
  CHECK(check->checkpoint.size == s.ledger.store->head().size);
  // The event it carries is the one the log serves, less its hashes.
  const Reply event = c.send(http::verb::get, "/v1/events/3", s.auditor);
  CHECK(check->event == *event_canonical_bytes(event.text));
  // The Board reads views, not events; a seq the log does not hold is none.
  check_error(c.send(http::verb::get, "/v1/events/3/receipt", s.board), 403, "forbidden");
  check_error(c.send(http::verb::get, "/v1/events/999/receipt", s.auditor), 404, "not_found");
}

}  // namespace
}  // namespace fundledger::api
