// entry.reversed at each of its boundaries: the event that can be taken
// back and the one that cannot, the state of the fund in which undoing it
// still keeps every rule of SPEC 2 and the one a minor unit short of it.
// The original's amount is what it was; the fund around it moves by a cent.
// Each refusal is checked whole (code, field, message, the ledger as it
// was), as in rules_test.cc.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/event_lines.h"
#include "tests/ledger/rules_fixture.h"

namespace fundledger {
namespace {

using nlohmann::json;
using namespace test::event_lines;
using test::Fund;

// with_cash and 100.00 USD from JPN (event 7), with call C1 of 300,000.00
// and proposal A in it asking for all of it (events 8 and 9).
void with_small_gift(Fund& f) {
  f.with_cash();
  f.append(lines({contribution("c-jpn", "JPN", "", "100.00", "USD", "100.00"), call("C1", "300000.00"),
                  proposal("A", "C1", "300000.00")}));
}

TEST_CASE("a contribution is taken back while the fund holds its cash: insufficient_cash", "[rules][reversal]") {
  Fund f;
  with_small_gift(f);
  // 200,000.01 paid out of 200,100.00: 99.99 USD of cash, a cent short.
  f.append(lines({approval("approve-A", "A", "200000.01"), disbursement("d-A", "A", "200000.01")}));
  f.refuses(reversal("rev-5", 7), "insufficient_cash", "data.usd",
            "the reversal of event 7 takes 100.00 USD out of the fund, more than the cash on hand of 99.99 USD");
  // A cent refunded: the cash is exactly the contribution, and it goes.
  f.append(refund("r-A", "A", "0.01"));
  CHECK(f.fund_view()["cash"] == "100.00");
  f.append(reversal("rev-5", 7));
  const json fund = f.fund_view();
  CHECK(fund["cash"] == "0.00");
  CHECK(fund["unallocated"] == "0.00");
  CHECK(fund["received"] == "200000.00");
  CHECK(fund["counts"]["contributions"] == 1);
  CHECK(fund["counts"]["reversals"] == 1);
}

TEST_CASE("a contribution is taken back while the fund has not promised it: insufficient_funds",
          "[rules][reversal]") {
  Fund f;
  with_small_gift(f);
  // Approved, not paid: the cash is all there, 99.99 USD of it unallocated.
  f.append(approval("approve-A", "A", "200000.01"));
  f.refuses(reversal("rev-5", 7), "insufficient_funds", "data.usd",
            "the reversal of event 7 takes 100.00 USD out of the fund, more than its unallocated 99.99 USD");
  f.append(release("release-A", "A", "0.01"));
  f.append(reversal("rev-5", 7));
  const json fund = f.fund_view();
  CHECK(fund["unallocated"] == "0.00");
  CHECK(fund["cash"] == "200000.00");
}

TEST_CASE("a payment is taken back up to what its proposal was paid net of refunds: exceeds_disbursed",
          "[rules][reversal]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "1000.00"), proposal("A", "C1", "100.00"), approval("approve-A", "A", "100.00"),
                  disbursement("d-1", "A", "50.00"), disbursement("d-2", "A", "30.00")}));
  // d-1 is event 10. Refunded 30.01 of the 80.00 paid: 49.99 USD is left.
  SECTION("a cent short") {
    f.append(refund("r-1", "A", "30.01"));
    f.refuses(reversal("rev-8", 10), "exceeds_disbursed", "data.amount_usd",
              "the reversal of event 10 takes back 50.00 USD, more than the 49.99 USD paid to proposal \"A\" net of "
              "its refunds");
  }
  SECTION("exactly what is left") {
    f.append(refund("r-1", "A", "30.00"));
    f.append(reversal("rev-8", 10));
    const json fund = f.fund_view();
    CHECK(fund["disbursed"] == "0.00");
    // The payment undone, its allocation is unpaid again.
    CHECK(fund["undisbursed"] == "70.00");
    CHECK(fund["cash"] == "200000.00");
  }
}

// with_cash; call C1 of 1,000.00 with proposal A approved for all of it,
// paid 100.00, then 50.00 refunded (event 11) and 50.00 released (event
// 12): 100.00 USD is left in C1's budget, 199,100.00 unallocated. Proposal
// B asks C1 for 100.00; call C2 of 300,000.00 has proposal Big.
void with_returned_money(Fund& f) {
  f.with_cash();
  f.append(lines({call("C1", "1000.00"), proposal("A", "C1", "1000.00"), approval("approve-A", "A", "1000.00"),
                  disbursement("d-1", "A", "100.00"), refund("r-1", "A", "50.00"), release("rel-1", "A", "50.00"),
                  proposal("B", "C1", "100.00"), call("C2", "300000.00"), proposal("Big", "C2", "300000.00")}));
}

TEST_CASE("a refund or release is taken back while its call can allocate it again: exceeds_budget",
          "[rules][reversal]") {
  Fund f;
  with_returned_money(f);
  SECTION("a cent short") {
    f.append(approval("approve-B", "B", "50.01"));
    f.refuses(reversal("rev-9", 11), "exceeds_budget", "data.amount_usd",
              "the reversal of event 11 allocates 50.00 USD again, more than the 49.99 USD left in call \"C1\"'s "
              "budget of 1,000.00 USD");
  }
  SECTION("exactly what is left, once") {
    f.append(approval("approve-B", "B", "50.00"));
    f.append(reversal("rev-9", 11));
    f.refuses(reversal("rev-10", 12), "exceeds_budget", "data.amount_usd",
              "the reversal of event 12 allocates 50.00 USD again, more than the 0.00 USD left in call \"C1\"'s "
              "budget of 1,000.00 USD");
    // The refund undone: A was paid 100.00 again and holds 950.00.
    CHECK(f.fund_view()["disbursed"] == "100.00");
    CHECK(f.fund_view()["approved"] == "1000.00");
  }
}

TEST_CASE("a refund or release is taken back while the fund can allocate it again: insufficient_funds",
          "[rules][reversal]") {
  Fund f;
  with_returned_money(f);
  SECTION("a cent short") {
    f.append(approval("approve-Big", "Big", "199050.01"));
    f.refuses(reversal("rev-10", 12), "insufficient_funds", "data.amount_usd",
              "the reversal of event 12 allocates 50.00 USD again, more than the fund's unallocated 49.99 USD");
  }
  SECTION("exactly what is unallocated, once") {
    f.append(approval("approve-Big", "Big", "199050.00"));
    f.append(reversal("rev-10", 12));
    CHECK(f.fund_view()["unallocated"] == "0.00");
    f.refuses(reversal("rev-9", 11), "insufficient_funds", "data.amount_usd",
              "the reversal of event 11 allocates 50.00 USD again, more than the fund's unallocated 0.00 USD");
  }
}

TEST_CASE("what may be reversed, once, with the original's facts: unknown_event, not_reversible, "
          "already_reversed, reversal_mismatch",
          "[rules][reversal]") {
  Fund f;
  f.with_cash();
  // The log holds 6 events: the 7th would be the reversal itself.
  f.refuses(reversal("rev-5", 7), "unknown_event", "data.seq",
            "there is no event 7 to reverse: the log holds 6 events");
  f.refuses(reversal("rev-3", 3), "not_reversible", "data.seq",
            "event 3 is a donor.registered, which cannot be reversed: only contributions, write-offs, "
            "disbursements, refunds and releases can");
  // Facts restated must be the original's, to the cent.
  f.refuses(reversal("rev-4", 4, {{"amount", "199999.99"}, {"currency", "USD"}}), "reversal_mismatch", "data.amount",
            "event 4's amount is 200000.00, not 199999.99");
  f.append(reversal("rev-4", 4, {{"amount", "200000.00"}, {"currency", "USD"}, {"donor", "USA"}}));
  CHECK(f.fund_view()["cash"] == "0.00");
  f.refuses(reversal("rev-4-again", 4), "already_reversed", "data.seq",
            "event 4 was already reversed by event 7");
  f.refuses(reversal("rev-5", 7), "not_reversible", "data.seq",
            "event 7 is an entry.reversed, which cannot be reversed: only contributions, write-offs, "
            "disbursements, refunds and releases can");
  // The last event of the request before it, the largest seq there is.
  f.append(lines({contribution("c-late", "USA", "", "10.00", "USD", "10.00"), reversal("rev-6", 8)}));
  CHECK(f.store->head().size == 9);
  CHECK(f.fund_view()["received"] == "0.00");
}

TEST_CASE("a write-off is taken back whatever was received since: the pledge is owed again", "[rules][reversal]") {
  Fund f;
  f.with_cash();
  // Written off 400 of 1,000 JPY, then 600 received: nothing outstanding.
  f.append(lines({pledge("pledge-jpn", "P1", "JPN", "1000", "JPY"), write_off("w-1", "P1", "400"),
                  contribution("c-jpn", "JPN", "P1", "600", "JPY", "5.40")}));
  f.append(reversal("rev-6", 8));
  const json yen = f.fund_view()["pledges_by_currency"][0];
  CHECK(yen["currency"] == "JPY");
  CHECK(yen["outstanding"] == "400");
  CHECK(f.fund_view()["counts"]["write_offs"] == 0);
  f.refuses(reversal("rev-6-again", 8), "already_reversed", "data.seq", "event 8 was already reversed by event 10");
}

}  // namespace
}  // namespace fundledger
