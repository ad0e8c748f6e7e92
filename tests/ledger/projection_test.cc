// The projection under generated streams: the rules hold whatever mix of
// valid and invalid events arrives, what the writer keeps as events land is
// what a replay of the log gives, and threads racing to spend one cash
// balance never overdraw it (snapshots: snapshots_test.cc).

#include <atomic>
#include <map>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/data_view.h"
#include "domain/generator.h"
#include "domain/state.h"
#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/verify.h"
#include "ledger/view_as_of.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;
using test::all_views;
using test::Dice;
using test::mutate;

// The rules SPEC section 2 keeps for every proposal and call, checked from
// the entities themselves rather than from the fund's running totals.
std::string broken_rule(const FundState& s, const std::vector<std::string>& proposals) {
  for (const Call* c : s.calls()) {
    if (c->total.approved > c->budget) return "call " + c->id + " approved beyond its budget";
  }
  for (const std::string& id : proposals) {
    const Proposal* p = s.proposal(id);
    if (p == nullptr) continue;
    if (p->approved_initial > p->requested) return "proposal " + id + " approved beyond its request";
    if (p->disbursed < 0 || p->disbursed > p->approved) return "proposal " + id + " paid beyond its allocation";
    if (p->status != ProposalStatus::kApproved && p->disbursements > 0) {
      return "proposal " + id + " paid without approval";
    }
  }
  return "";
}

std::string proposal_id(const std::string& line) {
  json e = json::parse(line);
  if (e["type"] != "proposal.submitted") return "";
  return e["data"]["proposal"].get<std::string>();
}

TEST_CASE("no mix of valid and invalid events breaks a rule or the cash identity", "[property]") {
  std::uint64_t accepted = 0;
  std::uint64_t refused = 0;
  std::map<std::string, std::uint64_t> refusals;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    INFO("seed " << seed);
    Generator gen({.seed = seed});
    Dice dice(seed);
    FundState state;
    std::vector<std::string> proposals;
    for (int i = 0; i < 1500; ++i) {
      const std::string original = gen.next();
      if (std::string p = proposal_id(original); !p.empty()) proposals.push_back(p);
      std::vector<std::string> tries;
      if (dice.one_in(4)) tries.push_back(mutate(original, dice));
      tries.push_back(original);
      for (const std::string& line : tries) {
        INFO(line);
        Result<Draft> draft = decode_draft(line);
        REQUIRE(draft.status().to_string() == "ok");
        Status s = state.prepare(*draft);
        const DataView data = DataView::of(draft->data);
        if (s) s = state.check(draft->type, data, "manager:alice");
        if (!s) {
          ++refused;
          ++refusals[std::string(code_name(s.code()))];
          continue;
        }
        ++accepted;
        state.apply(draft->type, data, state.seq() + 1, "manager:alice");
        state.set_seq(state.seq() + 1);
        REQUIRE(state.invariants().to_string() == "ok");
        if (draft->type == EventType::kProposalApproved || draft->type == EventType::kDisbursementMade ||
            draft->type == EventType::kRefundReceived || draft->type == EventType::kAllocationReleased) {
          REQUIRE(broken_rule(state, proposals) == "");
        }
      }
    }
    REQUIRE(broken_rule(state, proposals) == "");
  }
  // The streams exercised both sides, and refusals of many kinds.
  CHECK(accepted > 40 * 1500 * 9 / 10);
  CHECK(refused > 40 * 1500 / 20);
  for (const char* code : {"duplicate", "unknown_donor", "unknown_pledge", "unknown_call", "unknown_proposal",
                           "exceeds_outstanding", "exceeds_budget", "insufficient_funds", "already_decided"}) {
    INFO(code);
    CHECK(refusals[code] > 0);
  }
}

TEST_CASE("what the writer keeps as events land equals a replay of the log", "[property]") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    INFO("seed " << seed);
    test::Ledger ledger;
    Generator gen({.seed = seed});
    Dice dice(seed + 100);
    std::vector<std::string> proposals;
    std::uint64_t refused = 0;
    auto fund_now = [&] {
      std::string v;
      REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head&) { v = test::fund_view(s); }).is_ok());
      return v;
    };
    while (gen.count() < 1200) {
      // A request of 1 to 30 valid events, or one variation of an event
      // alone, which may be refused.
      std::string request;
      if (dice.one_in(5)) {
        const std::string line = gen.next();
        if (std::string p = proposal_id(line); !p.empty()) proposals.push_back(p);
        const std::string variation = mutate(line, dice);
        const Head before = ledger.store->head();
        const std::string fund_before = fund_now();
        const AppendResult r = ledger.try_append(variation);
        if (!r.status) {
          ++refused;
          CHECK(ledger.store->head() == before);
          CHECK(fund_now() == fund_before);
        }
        request = line;
      } else {
        const std::uint64_t n = 1 + dice.next() % 30;
        for (std::uint64_t i = 0; i < n; ++i) {
          const std::string line = gen.next();
          if (std::string p = proposal_id(line); !p.empty()) proposals.push_back(p);
          request += line + "\n";
        }
      }
      // After an accepted variation the original may be refused too (its
      // record now exists, or the money went elsewhere); either way the
      // log and the fund must stay whole.
      const Head before = ledger.store->head();
      const std::string fund_before = fund_now();
      const AppendResult r = ledger.try_append(request);
      if (!r.status) {
        ++refused;
        CHECK(ledger.store->head() == before);
        CHECK(fund_now() == fund_before);
      }
    }
    CHECK(refused > 0);
    const std::uint64_t head = ledger.store->head().size;
    std::string incremental;
    REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head& h) {
                  CHECK(h.size == head);
                  CHECK(s.seq() == head);
                  incremental = all_views(s, proposals);
                }).is_ok());
    CHECK(incremental == all_views(*test::replayed(*ledger.store, head), proposals));
    Result<ProjectionReport> report = verify_projection(*ledger.store);
    REQUIRE(report.status().to_string() == "ok");
    CHECK(report->ok());
  }
}

// Appends `count` generated events in requests of 1,000.
constexpr std::string_view kFourGrants = R"(
{"id":"e1","type":"donor.registered","data":{"donor":"jp","name":"Japan","kind":"government"}}
{"id":"e1b","type":"decision.recorded","data":{"decision":"B-0","meeting_on":"2015-01-20","kind":"call","summary":"A first call"}}
{"id":"e1c","type":"decision.recorded","data":{"decision":"B-1","meeting_on":"2015-04-01","kind":"approval","summary":"Four grants"}}
{"id":"e2","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}}
{"id":"e3","type":"contribution.received","data":{"contribution":"c1","donor":"jp","amount":"1000.00","currency":"USD","usd":"1000.00","received_on":"2015-01-10"}}
{"id":"e4","type":"call.opened","data":{"call":"call-1","title":"First call","programme":"spp","decision":"B-0","budget_usd":"1000.00","opened_on":"2015-02-01","closes_on":"2015-03-31"}}
{"id":"e5","type":"proposal.submitted","data":{"proposal":"p0","call":"call-1","applicant":"A","country":"KEN","region":"AFR","requested_usd":"250.00","submitted_on":"2015-02-10"}}
{"id":"e6","type":"proposal.submitted","data":{"proposal":"p1","call":"call-1","applicant":"B","country":"VNM","region":"APG","requested_usd":"250.00","submitted_on":"2015-02-10"}}
{"id":"e7","type":"proposal.submitted","data":{"proposal":"p2","call":"call-1","applicant":"C","country":"BRA","region":"GRULAC","requested_usd":"250.00","submitted_on":"2015-02-10"}}
{"id":"e8","type":"proposal.submitted","data":{"proposal":"p3","call":"call-1","applicant":"D","country":"UKR","region":"EEG","requested_usd":"250.00","submitted_on":"2015-02-10"}}
{"id":"e9","type":"proposal.approved","data":{"proposal":"p0","approved_usd":"250.00","decision":"B-1","decided_on":"2015-04-01"}}
{"id":"e10","type":"proposal.approved","data":{"proposal":"p1","approved_usd":"250.00","decision":"B-1","decided_on":"2015-04-01"}}
{"id":"e11","type":"proposal.approved","data":{"proposal":"p2","approved_usd":"250.00","decision":"B-1","decided_on":"2015-04-01"}}
{"id":"e12","type":"proposal.approved","data":{"proposal":"p3","approved_usd":"250.00","decision":"B-1","decided_on":"2015-04-01"}}
)";

TEST_CASE("threads racing to pay from one cash balance never overdraw it", "[writer][property]") {
  test::Ledger ledger;
  ledger.append(kFourGrants);
  constexpr int kThreads = 8;
  constexpr int kTries = 20;
  // 160 payments of 50.00 against 1,000.00 of cash: exactly 20 can land,
  // five for each grant.
  std::vector<std::vector<std::vector<Draft>>> requests(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kTries; ++i) {
      const std::string id = "d-" + std::to_string(t) + "-" + std::to_string(i);
      const std::string line = R"({"id":")" + id + R"(","type":"disbursement.made","data":{"disbursement":")" + id +
                               R"(","proposal":"p)" + std::to_string((t + i) % 4) +
                               R"(","amount_usd":"50.00","paid_on":"2015-05-01"}})";
      requests[t].push_back(test::drafts(line));
    }
  }
  std::vector<std::vector<AppendResult>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (auto& drafts : requests[t]) results[t].push_back(ledger.writer->append(std::move(drafts), "manager:bob"));
    });
  }
  for (auto& t : threads) t.join();
  int landed = 0;
  std::map<std::string, int> codes;
  for (const auto& per_thread : results) {
    for (const AppendResult& r : per_thread) {
      if (r.status) {
        ++landed;
      } else {
        ++codes[std::string(code_name(r.status.code()))];
      }
    }
  }
  CHECK(landed == 20);
  // Each refusal is the rule that stops an overdraft: the grant is paid in
  // full, or the cash is gone.
  int refused = 0;
  for (const auto& [code, n] : codes) {
    INFO(code);
    CHECK((code == "exceeds_allocation" || code == "insufficient_cash"));
    refused += n;
  }
  CHECK(refused == kThreads * kTries - 20);
  CHECK(ledger.store->head().size == 14 + 20);
  REQUIRE(ledger.writer->read_state([](const FundState& s, const Head&) {
                  CHECK(s.totals().disbursed == 100000);
                  CHECK(s.totals().cash() == 0);
                  for (const char* p : {"p0", "p1", "p2", "p3"}) CHECK(s.proposal(p)->disbursed == 25000);
                }).is_ok());
  Result<VerifyReport> log = verify_log(*ledger.store);
  REQUIRE(log.is_ok());
  CHECK(log->ok());
  Result<ProjectionReport> projection = verify_projection(*ledger.store);
  REQUIRE(projection.is_ok());
  CHECK(projection->ok());
}

}  // namespace
}  // namespace fundledger
