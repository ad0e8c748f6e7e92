// The generator: the same stream for the same seed, every event decodable
// and accepted by the fund's rules, and every kind of event present.

#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "domain/data_view.h"
#include "domain/generator.h"
#include "domain/state.h"
#include "tests/events.h"

namespace fundledger {
namespace {

TEST_CASE("the same seed gives the same stream and another seed another", "[generator]") {
  CHECK(test::generated(500, 7) == test::generated(500, 7));
  CHECK(test::generated(500, 7) != test::generated(500, 8));
  Generator gen(GeneratorOptions{7, "2014-01-01"});
  CHECK(gen.next() ==
        R"({"data":{"name":"Consumer information","programme":"prog-01"},"id":"ev-00000001","type":"programme.registered"})");
  CHECK(gen.count() == 1);
}

TEST_CASE("generated events are canonical, valid, and pass the fund's rules one after the other", "[generator]") {
  const std::string stream = test::generated(5000, 21);
  std::map<EventType, int> counts;
  std::vector<Draft> drafts = test::drafts(stream);
  std::size_t line_start = 0;
  for (const Draft& d : drafts) {
    ++counts[d.type];
    const std::size_t end = stream.find('\n', line_start);
    // Each line is already the canonical form of what the client sends.
    CHECK(check_canonical(std::string_view(stream).substr(line_start, end - line_start),
                          kEventJsonLimits)
              .is_ok());
    line_start = end + 1;
  }
  CHECK(counts.size() == kFundEventTypeCount);  // the access events are the ledger's own
  // Plausible proportions: proposals and payments far outnumber donors.
  CHECK(counts[EventType::kProposalSubmitted] > 10 * counts[EventType::kDonorRegistered]);
  CHECK(counts[EventType::kDisbursementMade] > counts[EventType::kProposalApproved]);
  CHECK(counts[EventType::kRefundReceived] < counts[EventType::kDisbursementMade] / 10);
  // About three of each a thousand: interest now and then, a bank charge.
  CHECK(counts[EventType::kIncomeReceived] >= 5);
  CHECK(counts[EventType::kIncomeReceived] <= 30);
  CHECK(counts[EventType::kCostCharged] >= 5);
  CHECK(counts[EventType::kCostCharged] <= 30);
  // A request now and then, each cancelled a little later.
  CHECK(counts[EventType::kDisbursementRequested] >= 1);
  CHECK(counts[EventType::kDisbursementCancelled] >= 1);
  CHECK(counts[EventType::kDisbursementCancelled] <= counts[EventType::kDisbursementRequested]);
  // A Board of ten as the fund starts, and a member leaving now and then.
  CHECK(counts[EventType::kBoardMemberAppointed] >= 10);
  CHECK(counts[EventType::kBoardMemberLeft] >= 1);
  CHECK(counts[EventType::kBoardMemberLeft] <= 10);
  // A few corrections a thousand events, of every type that can be
  // reversed, each with the facts of the event it names.
  CHECK(counts[EventType::kEntryReversed] >= 2 * 5);
  CHECK(counts[EventType::kEntryReversed] <= 8 * 5);
  std::set<std::string> reversed;
  FundState fund;
  std::uint64_t seq = 0;
  for (Draft& d : drafts) {
    ++seq;
    INFO("event " << seq);
    REQUIRE(fund.prepare(d).to_string() == "ok");
    const DataView data = DataView::of(d.data);
    if (d.type == EventType::kEntryReversed) {
      const Draft& original = drafts[std::stoull(*d.data.get("seq")) - 1];
      CHECK(check_reversal_facts(std::stoull(*d.data.get("seq")), data, original.type, DataView::of(original.data))
                .to_string() == "ok");
      reversed.insert(*d.data.get("reverses"));
    }
    REQUIRE(fund.check(d.type, data, "manager:alice").to_string() == "ok");
    fund.apply(d.type, data, seq, "manager:alice");
  }
  CHECK(reversed.size() == 5);
  CHECK(fund.totals().proposals == static_cast<std::uint64_t>(counts[EventType::kProposalSubmitted]));
  CHECK(fund.invariants().to_string() == "ok");
}

}  // namespace
}  // namespace fundledger
