// The fund in memory, with no store: its invariants name what breaks them,
// and what the rules refuse leaves it as it was.

#include <catch2/catch.hpp>

#include "domain/data_view.h"
#include "domain/fund.h"
#include "domain/state.h"
#include "tests/events.h"

namespace fundledger {
namespace {

TEST_CASE("the fund's invariants say which figure stopped adding up", "[state]") {
  // Figures no sequence of events the rules accept can give, restored as a
  // damaged snapshot would give them.
  Totals t;
  t.received = 100;  // USD cents
  t.disbursed = 50;
  FundState fund;
  REQUIRE(fund.restore(EntityKind::kTotals, "", encode(t)));
  CHECK(fund.invariants().to_string() ==
        "invariant_broken: cash 0.50 is not unallocated 1.00 plus allocated but unpaid 0.00");
  // Approved beyond what was received, the regions agreeing.
  t.approved = 150;
  t.disbursed = 0;
  t.regions[0].approved = 150;
  FundState over_allocated;
  REQUIRE(over_allocated.restore(EntityKind::kTotals, "", encode(t)));
  CHECK(over_allocated.invariants().to_string() == "invariant_broken: unallocated is below zero");
}

TEST_CASE("a refused event leaves the fund in memory as it was", "[state]") {
  FundState fund;
  std::uint64_t seq = 0;
  for (Draft& d : test::drafts(
           R"({"id":"d1","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government"}})"
           "\n"
           R"({"id":"c1","type":"contribution.received","data":{"contribution":"c1","donor":"JPN","amount":"10.00","currency":"USD","usd":"10.00","received_on":"2014-07-01"}})")) {
    REQUIRE(fund.check(d.type, DataView::of(d.data), "manager:alice").to_string() == "ok");
    fund.apply(d.type, DataView::of(d.data), ++seq, "manager:alice");
  }
  std::vector<Draft> pay = test::drafts(
      R"({"id":"p1","type":"programme.registered","data":{"programme":"spp","name":"SPP"}})");
  const Status duplicate_donor = fund.check(
      EventType::kDonorRegistered,
      DataView::of(test::drafts(R"({"id":"d2","type":"donor.registered","data":{"donor":"JPN","name":"J","kind":"other"}})")[0].data),
      "manager:alice");
  CHECK(duplicate_donor.to_string() == "duplicate: there is already a donor \"JPN\" (data.donor)");
  CHECK(fund.totals().received == 1000);
  CHECK(fund.totals().donors == 1);
  CHECK(fund.invariants().to_string() == "ok");
  REQUIRE(fund.check(pay[0].type, DataView::of(pay[0].data), "manager:alice").to_string() == "ok");
}

}  // namespace
}  // namespace fundledger
