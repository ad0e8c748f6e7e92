// The single writer under load from many threads: group commit gathers
// their appends into shared synced writes, and every caller learns its own
// seqs, with no gap and no event twice.

#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "ledger/verify.h"
#include "tests/support.h"

namespace fundledger {
namespace {

std::string programme(int thread, int i) {
  const std::string id = "t" + std::to_string(thread) + "-" + std::to_string(i);
  return R"({"id":")" + id + R"(","type":"programme.registered","data":{"programme":")" + id +
         R"(","name":"P"}})";
}

TEST_CASE("appends from many threads each land once, in one gapless log", "[writer]") {
  test::Ledger ledger;
  constexpr int kThreads = 8;
  constexpr int kRequests = 40;
  // Decoded up front: Catch's assertions are for the main thread only.
  std::vector<std::vector<std::vector<Draft>>> requests(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kRequests; ++i) {
      // Every other request is two events, sent as one atomic request.
      std::string lines = programme(t, 2 * i);
      if (i % 2 == 0) lines += "\n" + programme(t, 2 * i + 1);
      requests[t].push_back(test::drafts(lines));
    }
  }
  std::vector<std::vector<AppendResult>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (auto& drafts : requests[t]) {
        results[t].push_back(ledger.writer->append(std::move(drafts), "manager:alice"));
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::vector<Receipt>> receipts(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (AppendResult& r : results[t]) {
      REQUIRE(r.status.is_ok());
      // A request's events are consecutive.
      if (r.receipts.size() == 2) CHECK(r.receipts[1].seq == r.receipts[0].seq + 1);
      for (Receipt& receipt : r.receipts) receipts[t].push_back(std::move(receipt));
    }
  }
  std::set<std::uint64_t> seqs;
  std::set<std::string> ids;
  for (const auto& per_thread : receipts) {
    for (const Receipt& r : per_thread) {
      CHECK_FALSE(r.repeat);
      seqs.insert(r.seq);
      ids.insert(r.id);
    }
  }
  const std::size_t events = kThreads * (kRequests + kRequests / 2);
  CHECK(seqs.size() == events);
  CHECK(ids.size() == events);
  CHECK(*seqs.begin() == 1);
  CHECK(*seqs.rbegin() == events);
  CHECK(ledger.store->head().size == events);
  // Each synced write carried at least one request; none carried more than
  // all of them.
  CHECK(ledger.writer->groups() <= static_cast<std::uint64_t>(kThreads * kRequests));
  CHECK(ledger.store->writes() == ledger.writer->groups());
  Result<VerifyReport> report = verify_log(*ledger.store);
  REQUIRE(report.is_ok());
  CHECK(report->ok());
}

TEST_CASE("concurrent repeats of one id create one event", "[writer]") {
  test::Ledger ledger;
  const std::string event = programme(0, 0);
  std::vector<std::vector<Draft>> requests;
  for (int t = 0; t < 8; ++t) requests.push_back(test::drafts(event));
  std::vector<AppendResult> results(8);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      results[t] = ledger.writer->append(std::move(requests[t]), "manager:alice");
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::uint64_t> seqs;
  for (const AppendResult& r : results) {
    REQUIRE(r.status.is_ok());
    seqs.push_back(r.receipts[0].seq);
  }
  CHECK(std::set<std::uint64_t>(seqs.begin(), seqs.end()) == std::set<std::uint64_t>{1});
  CHECK(ledger.store->head().size == 1);
}

}  // namespace
}  // namespace fundledger
