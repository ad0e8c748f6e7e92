// The server on a disk that fails under it: it answers 503 and says so on
// /healthz, goes on serving reads, and appends again by itself once the
// disk answers, without a restart.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "tests/api/served.h"
#include "tests/faulty_disk.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::FaultyDisk;
using fundledger::test::Reply;
namespace http = boost::beast::http;

TEST_CASE("a failing disk is answered 503 and /healthz says so, until the server recovers by itself",
          "[server][disk][slow]") {
  FaultyDisk disk;
  test::ServedOptions o;
  o.env = disk.env();
  test::Served s(o);
  Client c(s.port());
  REQUIRE(c.send(http::verb::post, "/v1/events", s.manager, test::donor_event("d1")).status == 201);
  const std::uint64_t size = s.ledger.store->head().size;  // the served events and d1

  disk.fail(FaultyDisk::kSync);
  const Reply failed = c.send(http::verb::post, "/v1/events", s.manager, test::donor_event("d2"));
  CHECK(failed.status == 503);
  CHECK(failed.body["error"]["code"] == "storage_unavailable");
  CHECK(c.send(http::verb::post, "/v1/events", s.manager, test::donor_event("d3")).status == 503);
  const Reply health = c.send(http::verb::get, "/healthz");
  CHECK(health.status == 503);
  CHECK(health.body == nlohmann::json({{"code", "storage_unavailable"},
                                       {"ok", false},
                                       {"reason", "injected failure"},
                                       {"tree_size", size}}));
  // Reads go on from what is durable.
  const Reply donors = c.send(http::verb::get, "/v1/donors", s.board);
  CHECK(donors.status == 200);
  CHECK(donors.body["as_of"]["tree_size"] == size);

  // The disk answers again: within the first retry (1 s) the server
  // recovers, without a restart.
  disk.fail(0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (c.send(http::verb::get, "/healthz").status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(c.send(http::verb::get, "/healthz").body == nlohmann::json({{"ok", true}, {"tree_size", size + 1}}));
  // d2's bytes had reached the write-ahead log, only their sync failed:
  // the reopened store holds it, and sending it again is a repeat (200,
  // its seq); d3 was refused before any write and lands now.
  const Reply again = c.send(http::verb::post, "/v1/events", s.manager, test::donor_event("d2"));
  CHECK(again.status == 200);
  CHECK(again.body["events"][0]["seq"] == size + 1);
  const Reply next = c.send(http::verb::post, "/v1/events", s.manager, test::donor_event("d3"));
  CHECK(next.status == 201);
  CHECK(next.body["events"][0]["seq"] == size + 2);
}

}  // namespace
}  // namespace fundledger::api
