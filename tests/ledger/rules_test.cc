// Every refusal of SPEC section 2 at its boundary: the largest amount (or
// the last date) that passes and the smallest that is refused, one minor
// unit (or one day) beyond it. A refusal names its code, the field and the
// figures in a fund manager's words, and leaves the ledger as it was: the
// head, the fund's figures and even the refused event's id are untouched.

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

TEST_CASE("a donor, programme, pledge, call or proposal is recorded once: duplicate", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({pledge("pledge-1", "P1", "JPN", "100", "JPY"), call("C1", "1000.00"),
                  proposal("A", "C1", "10.00")}));
  f.refuses(event("donor-JPN-again", "donor.registered", {{"donor", "JPN"}, {"name", "Japan"}, {"kind", "government"}}),
            "duplicate", "data.donor", "there is already a donor \"JPN\"");
  f.refuses(event("prog-spp-again", "programme.registered", {{"programme", "spp"}, {"name", "SPP"}}), "duplicate",
            "data.programme", "there is already a programme \"spp\"");
  f.refuses(pledge("pledge-1-again", "P1", "USA", "5.00", "USD"), "duplicate", "data.pledge",
            "there is already a pledge \"P1\"");
  f.refuses(event("open-C1-again", "call.opened",
                  {{"call", "C1"}, {"title", "Again"}, {"programme", "spp"}, {"budget_usd", "5.00"},
                   {"opened_on", "2014-06-01"}, {"closes_on", "2014-06-30"}, {"decision", "BD-2014-1"}}),
            "duplicate", "data.call", "there is already a call \"C1\"");
  f.refuses(event("submit-A-again", "proposal.submitted",
                  {{"proposal", "A"}, {"call", "C1"}, {"applicant", "Other"}, {"country", "PER"},
                   {"region", "GRULAC"}, {"requested_usd", "1.00"}, {"submitted_on", "2014-07-01"}}),
            "duplicate", "data.proposal", "there is already a proposal \"A\"");
  // A new id of each kind passes.
  f.append(lines({donor("DEU"), programme("ci"), pledge("pledge-2", "P2", "USA", "5.00", "USD"),
                  call("C2", "5.00"), proposal("B", "C1", "1.00")}));
  CHECK(f.store->head().size == 14);
}

TEST_CASE("a reference to a donor, programme, pledge, call or proposal that does not exist", "[rules]") {
  Fund f;
  f.with_cash();
  f.refuses(pledge("pledge-1", "P1", "FRA", "100.00", "EUR"), "unknown_donor", "data.donor",
            "there is no donor \"FRA\"");
  json earmarked = json::parse(pledge("pledge-1", "P1", "JPN", "100", "JPY"));
  earmarked["data"]["programme"] = "energy";
  f.refuses(earmarked.dump(), "unknown_programme", "data.programme", "there is no programme \"energy\"");
  f.refuses(contribution("c-fra", "FRA", "", "1.00", "USD", "1.00"), "unknown_donor", "data.donor",
            "there is no donor \"FRA\"");
  f.refuses(contribution("c-jpn", "JPN", "P9", "100", "JPY", "1.00"), "unknown_pledge", "data.pledge",
            "there is no pledge \"P9\"");
  f.refuses(write_off("w-1", "P9", "1"), "unknown_pledge", "data.pledge", "there is no pledge \"P9\"");
  json other_programme = json::parse(call("C1", "10.00"));
  other_programme["data"]["programme"] = "energy";
  f.refuses(other_programme.dump(), "unknown_programme", "data.programme", "there is no programme \"energy\"");
  f.refuses(close("close-C9", "C9", "2014-08-01"), "unknown_call", "data.call", "there is no call \"C9\"");
  f.refuses(proposal("A", "C9", "10.00"), "unknown_call", "data.call", "there is no call \"C9\"");
  f.refuses(approval("approve-X", "X", "1.00"), "unknown_proposal", "data.proposal", "there is no proposal \"X\"");
  f.refuses(rejection("reject-X", "X"), "unknown_proposal", "data.proposal", "there is no proposal \"X\"");
  f.refuses(disbursement("d-X", "X", "1.00"), "unknown_proposal", "data.proposal", "there is no proposal \"X\"");
  f.refuses(refund("r-X", "X", "1.00"), "unknown_proposal", "data.proposal", "there is no proposal \"X\"");
  f.refuses(release("release-X", "X", "1.00"), "unknown_proposal", "data.proposal", "there is no proposal \"X\"");
  // Once they exist, the same events pass: the refusals left no trace, not
  // even their ids.
  f.append(lines({pledge("pledge-1", "P1", "JPN", "100", "JPY"), call("C1", "10.00"),
                  proposal("A", "C1", "10.00")}));
  CHECK(f.store->head().size == 9);
}

TEST_CASE("a contribution or write-off of the pledge's outstanding passes, one minor unit more is refused: "
          "exceeds_outstanding",
          "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({pledge("pledge-jpn", "pledge-jpn", "JPN", "1000000", "JPY"),
                  contribution("c-jpn-1", "JPN", "pledge-jpn", "400000", "JPY", "3600.00")}));

  SECTION("contribution, in yen (no minor unit)") {
    f.refuses(contribution("c-jpn-2", "JPN", "pledge-jpn", "600001", "JPY", "5400.01"), "exceeds_outstanding",
              "data.amount", "contribution of 600,001 JPY exceeds the 600,000 JPY outstanding on pledge \"pledge-jpn\"");
    f.append(contribution("c-jpn-2", "JPN", "pledge-jpn", "600000", "JPY", "5400.00"));
    f.refuses(contribution("c-jpn-3", "JPN", "pledge-jpn", "1", "JPY", "0.01"), "exceeds_outstanding",
              "data.amount", "contribution of 1 JPY exceeds the 0 JPY outstanding on pledge \"pledge-jpn\"");
    // Without a pledge, a contribution is not bounded by one.
    f.append(contribution("c-jpn-3", "JPN", "", "1", "JPY", "0.01"));
  }
  SECTION("write-off, in euro") {
    f.append(lines({donor("DEU"), pledge("pledge-deu", "pledge-deu", "DEU", "500000.00", "EUR"),
                    contribution("c-deu-1", "DEU", "pledge-deu", "200000.00", "EUR", "220000.00")}));
    f.refuses(write_off("w-deu-1", "pledge-deu", "300000.01"), "exceeds_outstanding", "data.amount",
              "write-off of 300,000.01 EUR exceeds the 300,000.00 EUR outstanding on pledge \"pledge-deu\"");
    f.append(write_off("w-deu-1", "pledge-deu", "300000"));
    f.refuses(write_off("w-deu-2", "pledge-deu", "0.01"), "exceeds_outstanding", "data.amount",
              "write-off of 0.01 EUR exceeds the 0.00 EUR outstanding on pledge \"pledge-deu\"");
    f.refuses(contribution("c-deu-2", "DEU", "pledge-deu", "0.01", "EUR", "0.01"), "exceeds_outstanding",
              "data.amount", "contribution of 0.01 EUR exceeds the 0.00 EUR outstanding on pledge \"pledge-deu\"");
  }
}

TEST_CASE("a contribution against another donor's pledge, or in another currency: pledge_mismatch", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(pledge("pledge-jpn", "pledge-jpn", "JPN", "1000000", "JPY"));
  f.refuses(contribution("c-usa-2", "USA", "pledge-jpn", "100", "JPY", "0.90"), "pledge_mismatch", "data.pledge",
            "pledge \"pledge-jpn\" is donor \"JPN\"'s, in JPY; this contribution is donor \"USA\"'s, in JPY");
  f.refuses(contribution("c-jpn-1", "JPN", "pledge-jpn", "100.00", "USD", "100.00"), "pledge_mismatch",
            "data.pledge", "pledge \"pledge-jpn\" is donor \"JPN\"'s, in JPY; this contribution is donor \"JPN\"'s, in USD");
  f.append(contribution("c-jpn-1", "JPN", "pledge-jpn", "100", "JPY", "0.90"));
}

TEST_CASE("a contribution in US dollars credits exactly its amount: usd_mismatch", "[rules]") {
  // A rule within one event: it is checked as the event is read, before the
  // writer sees it.
  const Result<Draft> over = decode_draft(contribution("c-1", "USA", "", "100.00", "USD", "100.01"));
  CHECK(over.status().code() == Code::kUsdMismatch);
  CHECK(over.status().field() == "data.usd");
  CHECK(over.status().message() == "a contribution in USD credits exactly its amount: 100.00 USD, not 100.01");
  const Result<Draft> under = decode_draft(contribution("c-1", "USA", "", "100.00", "USD", "99.99"));
  CHECK(under.status().code() == Code::kUsdMismatch);
  CHECK(decode_draft(contribution("c-1", "USA", "", "100", "USD", "100.00")).is_ok());
  // In another currency the US dollar figure is the rate of the day's.
  CHECK(decode_draft(contribution("c-1", "USA", "", "100.00", "EUR", "108.37")).is_ok());
}

TEST_CASE("a call closes on or after the day it opens: invalid_dates", "[rules]") {
  json opened = json::parse(call("C1", "10.00"));
  opened["data"]["closes_on"] = "2014-05-31";
  const Result<Draft> early = decode_draft(opened.dump());
  CHECK(early.status().code() == Code::kInvalidDates);
  CHECK(early.status().field() == "data.closes_on");
  CHECK(early.status().message() == "the call closes before it opens");
  opened["data"]["closes_on"] = "2014-06-01";
  CHECK(decode_draft(opened.dump()).is_ok());

  Fund f;
  f.with_cash();
  f.append(call("C1", "10.00"));
  f.refuses(close("close-C1", "C1", "2014-05-31"), "invalid_dates", "data.closed_on",
            "call \"C1\" cannot close on 2014-05-31, before it opened on 2014-06-01");
  f.append(close("close-C1", "C1", "2014-06-01"));
}

TEST_CASE("an event dated on the day of what it rests on passes, a day before is refused: invalid_dates",
          "[rules]") {
  Fund f;
  f.with_cash();
  // Pledge P1 made on 2014-06-10; proposal A submitted on 2014-07-15.
  f.append(lines({pledge("pledge-P1", "P1", "JPN", "1000", "JPY"), call("C1", "1000.00"),
                  proposal("A", "C1", "100.00"), decision("BD-2014-2", "approval", "2014-07-01")}));
  const std::string gift = contribution("c-jpn", "JPN", "P1", "100", "JPY", "0.90");
  f.refuses(changed(gift, "received_on", "2014-06-09"), "invalid_dates", "data.received_on",
            "received_on 2014-06-09 is before pledge \"P1\" was made on 2014-06-10");
  f.append(changed(gift, "received_on", "2014-06-10"));
  const std::string off = write_off("w-1", "P1", "100");
  f.refuses(changed(off, "written_off_on", "2014-06-09"), "invalid_dates", "data.written_off_on",
            "written_off_on 2014-06-09 is before pledge \"P1\" was made on 2014-06-10");
  f.append(changed(off, "written_off_on", "2014-06-10"));

  const std::string approve = changed(approval("approve-A", "A", "100.00"), "decision", "BD-2014-2");
  f.refuses(changed(approve, "decided_on", "2014-07-14"), "invalid_dates", "data.decided_on",
            "decided_on 2014-07-14 is before proposal \"A\" was submitted on 2014-07-15");
  f.append(changed(approve, "decided_on", "2014-07-15"));
  const std::string pay = disbursement("d-1", "A", "60.00");
  f.refuses(changed(pay, "paid_on", "2014-07-14"), "invalid_dates", "data.paid_on",
            "paid_on 2014-07-14 is before proposal \"A\" was approved on 2014-07-15");
  f.append(changed(pay, "paid_on", "2014-07-15"));
  const std::string back = refund("r-1", "A", "10.00");
  f.refuses(changed(back, "received_on", "2014-07-14"), "invalid_dates", "data.received_on",
            "received_on 2014-07-14 is before proposal \"A\" was approved on 2014-07-15");
  f.append(changed(back, "received_on", "2014-07-15"));
  const std::string free = release("rel-1", "A", "10.00");
  f.refuses(changed(free, "released_on", "2014-07-14"), "invalid_dates", "data.released_on",
            "released_on 2014-07-14 is before proposal \"A\" was approved on 2014-07-15");
  f.append(changed(free, "released_on", "2014-07-15"));

  // The refund is event 15; its reversal on the day of the refund.
  REQUIRE(f.store->head().size == 16);
  const std::string undo = reversal("rev-15", 15);
  f.refuses(changed(undo, "reversed_on", "2014-07-14"), "invalid_dates", "data.reversed_on",
            "reversed_on 2014-07-14 is before event 15 happened, on 2014-07-15");
  f.append(changed(undo, "reversed_on", "2014-07-15"));
}

TEST_CASE("a proposal comes in while its call is open, from opening day to closing day: call_not_open", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(call("C1", "1000.00"));
  f.refuses(proposal("A", "C1", "10.00", "AFR", "2014-05-31"), "call_not_open", "data.submitted_on",
            "call \"C1\" takes proposals from 2014-06-01 to 2014-09-30, not on 2014-05-31");
  f.append(proposal("A", "C1", "10.00", "AFR", "2014-06-01"));
  f.refuses(proposal("B", "C1", "10.00", "AFR", "2014-10-01"), "call_not_open", "data.submitted_on",
            "call \"C1\" takes proposals from 2014-06-01 to 2014-09-30, not on 2014-10-01");
  f.append(proposal("B", "C1", "10.00", "AFR", "2014-09-30"));
  // Closed early, it takes no more, and it closes once.
  f.append(close("close-C1", "C1", "2014-08-01"));
  f.refuses(proposal("C", "C1", "10.00", "AFR", "2014-07-15"), "call_not_open", "data.call",
            "call \"C1\" closed on 2014-08-01");
  f.refuses(close("close-C1-again", "C1", "2014-08-02"), "call_not_open", "data.call",
            "call \"C1\" already closed on 2014-08-01");
}

TEST_CASE("a proposal comes from a region its call is open to: region_not_eligible", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "1000.00", {"GRULAC", "AFR"}), call("C2", "1000.00")}));
  f.refuses(proposal("A", "C1", "10.00", "APG"), "region_not_eligible", "data.region",
            "call \"C1\" is open to AFR, GRULAC, not to APG");
  f.refuses(proposal("A", "C1", "10.00", "WEOG"), "region_not_eligible", "data.region",
            "call \"C1\" is open to AFR, GRULAC, not to WEOG");
  f.append(lines({proposal("A", "C1", "10.00", "GRULAC"), proposal("B", "C1", "10.00", "AFR")}));
  // A call that names no regions is open to all five.
  for (const char* region : {"AFR", "APG", "EEG", "GRULAC", "WEOG"}) {
    f.append(proposal(std::string("C2-") + region, "C2", "10.00", region));
  }
  CHECK(f.store->head().size == 15);
}

TEST_CASE("the Board decides a proposal once: already_decided", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "1000.00"), proposal("A", "C1", "100.00"), proposal("B", "C1", "100.00")}));
  f.append(lines({approval("approve-A", "A", "100.00"), rejection("reject-B", "B")}));
  f.refuses(approval("approve-A-again", "A", "50.00"), "already_decided", "data.proposal",
            "proposal \"A\" was already approved on 2014-10-15");
  f.refuses(rejection("reject-A", "A"), "already_decided", "data.proposal",
            "proposal \"A\" was already approved on 2014-10-15");
  f.refuses(approval("approve-B", "B", "50.00"), "already_decided", "data.proposal",
            "proposal \"B\" was already rejected on 2014-10-16");
  // The same decision sent again is a repeat, not a second decision.
  const auto again = f.append(approval("approve-A", "A", "100.00"));
  CHECK(again[0].repeat);
  CHECK(again[0].seq == 10);
}

TEST_CASE("an approval up to the amount requested passes, a cent more is refused: exceeds_request", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), proposal("A", "C1", "50000.00")}));
  f.refuses(approval("approve-A", "A", "50000.01"), "exceeds_request", "data.approved_usd",
            "approval of 50,000.01 USD exceeds the 50,000.00 USD requested");
  f.append(approval("approve-A", "A", "50000.00"));
}

TEST_CASE("approvals up to the call's budget pass, a cent more is refused: exceeds_budget", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), proposal("A", "C1", "60000.00"), proposal("B", "C1", "50000.00"),
                  proposal("C", "C1", "10000.00"), approval("approve-A", "A", "60000.00")}));
  f.refuses(approval("approve-B", "B", "40000.01"), "exceeds_budget", "data.approved_usd",
            "approval of 40,000.01 USD exceeds the 40,000.00 USD left in call \"C1\"'s budget of 100,000.00 USD");
  f.append(approval("approve-B", "B", "40000.00"));
  f.refuses(approval("approve-C", "C", "0.01"), "exceeds_budget", "data.approved_usd",
            "approval of 0.01 USD exceeds the 0.00 USD left in call \"C1\"'s budget of 100,000.00 USD");
  // The budget counts net approvals: what A releases, C may have.
  f.append(release("release-A", "A", "5000.00"));
  f.refuses(approval("approve-C", "C", "5000.01"), "exceeds_budget", "data.approved_usd",
            "approval of 5,000.01 USD exceeds the 5,000.00 USD left in call \"C1\"'s budget of 100,000.00 USD");
  f.append(approval("approve-C", "C", "5000.00"));
}

TEST_CASE("approvals up to the fund's unallocated money pass, a cent more is refused: insufficient_funds",
          "[rules]") {
  Fund f;
  f.append(lines({programme("spp"), donor("USA"), contribution("c-usa", "USA", "", "80000.00", "USD", "80000.00"),
                  decision("BD-2014-1", "call", "2014-05-15"), decision("BD-2014-3", "approval", "2014-10-15"),
                  call("C1", "1000000.00"), proposal("A", "C1", "30000.00"), proposal("B", "C1", "60000.00"),
                  approval("approve-A", "A", "30000.00")}));
  f.refuses(approval("approve-B", "B", "50000.01"), "insufficient_funds", "data.approved_usd",
            "approval of 50,000.01 USD exceeds the fund's unallocated 50,000.00 USD");
  f.append(approval("approve-B", "B", "50000.00"));
  CHECK(f.fund_view()["unallocated"] == "0.00");
}

TEST_CASE("money is paid only to an approved proposal: not_approved", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "1000.00"), proposal("A", "C1", "100.00"), proposal("B", "C1", "100.00"),
                  rejection("reject-B", "B")}));
  f.refuses(disbursement("d-A", "A", "10.00"), "not_approved", "data.proposal",
            "proposal \"A\" is submitted, not approved");
  f.refuses(disbursement("d-B", "B", "10.00"), "not_approved", "data.proposal",
            "proposal \"B\" is rejected, not approved");
  f.append(lines({approval("approve-A", "A", "100.00"), disbursement("d-A", "A", "10.00")}));
}

TEST_CASE("payments up to a proposal's allocation pass, a cent more is refused: exceeds_allocation", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), proposal("A", "C1", "50000.00"), approval("approve-A", "A", "50000.00"),
                  disbursement("d-A-1", "A", "20000.00")}));
  f.refuses(disbursement("d-A-2", "A", "30000.01"), "exceeds_allocation", "data.amount_usd",
            "disbursement of 30,000.01 USD exceeds the 30,000.00 USD of proposal \"A\"'s allocation not yet paid");
  f.append(disbursement("d-A-2", "A", "30000.00"));
  f.refuses(disbursement("d-A-3", "A", "0.01"), "exceeds_allocation", "data.amount_usd",
            "disbursement of 0.01 USD exceeds the 0.00 USD of proposal \"A\"'s allocation not yet paid");
}

TEST_CASE("a disbursement equal to the cash passes, a cent more is refused: insufficient_cash", "[rules]") {
  // Approvals never exceed what was received, so a proposal's unpaid
  // allocation never exceeds the cash: a payment beyond the cash is beyond
  // the allocation too, and the cash, checked first, is what it names.
  Fund f;
  f.append(lines({programme("spp"), donor("USA"), contribution("c-usa", "USA", "", "80000.00", "USD", "80000.00"),
                  decision("BD-2014-1", "call", "2014-05-15"), decision("BD-2014-3", "approval", "2014-10-15"),
                  call("C1", "1000000.00"), proposal("A", "C1", "200000.00"), approval("approve-A", "A", "80000.00")}));
  f.refuses(disbursement("d-A-1", "A", "120000.00"), "insufficient_cash", "data.amount_usd",
            "disbursement of 120,000.00 USD exceeds the cash on hand of 80,000.00 USD");
  f.refuses(disbursement("d-A-1", "A", "80000.01"), "insufficient_cash", "data.amount_usd",
            "disbursement of 80,000.01 USD exceeds the cash on hand of 80,000.00 USD");
  f.append(disbursement("d-A-1", "A", "80000.00"));
  const json fund = f.fund_view();
  CHECK(fund["cash"] == "0.00");
  CHECK(fund["disbursed"] == "80000.00");
}

TEST_CASE("refunds up to what was paid pass, a cent more is refused: exceeds_disbursed", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), proposal("A", "C1", "50000.00"), approval("approve-A", "A", "50000.00")}));
  f.refuses(refund("r-A-1", "A", "0.01"), "exceeds_disbursed", "data.amount_usd",
            "refund of 0.01 USD exceeds the 0.00 USD paid to proposal \"A\"");
  f.append(disbursement("d-A-1", "A", "30000.00"));
  f.refuses(refund("r-A-1", "A", "30000.01"), "exceeds_disbursed", "data.amount_usd",
            "refund of 30,000.01 USD exceeds the 30,000.00 USD paid to proposal \"A\"");
  f.append(refund("r-A-1", "A", "30000.00"));
  f.refuses(refund("r-A-2", "A", "0.01"), "exceeds_disbursed", "data.amount_usd",
            "refund of 0.01 USD exceeds the 0.00 USD paid to proposal \"A\"");
  // A refund returns the money to the fund: neither paid nor allocated.
  const json fund = f.fund_view();
  CHECK(fund["approved"] == "20000.00");
  CHECK(fund["disbursed"] == "0.00");
  CHECK(fund["cash"] == "200000.00");
}

TEST_CASE("releases up to the unpaid allocation pass, a cent more is refused: exceeds_undisbursed", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), proposal("A", "C1", "50000.00"), approval("approve-A", "A", "50000.00"),
                  disbursement("d-A-1", "A", "20000.00")}));
  f.refuses(release("release-A", "A", "30000.01"), "exceeds_undisbursed", "data.amount_usd",
            "release of 30,000.01 USD exceeds the 30,000.00 USD of proposal \"A\"'s allocation not yet paid");
  f.append(release("release-A", "A", "30000.00"));
  f.refuses(release("release-A-2", "A", "0.01"), "exceeds_undisbursed", "data.amount_usd",
            "release of 0.01 USD exceeds the 0.00 USD of proposal \"A\"'s allocation not yet paid");
  const json fund = f.fund_view();
  CHECK(fund["approved"] == "20000.00");
  CHECK(fund["unallocated"] == "180000.00");
}

TEST_CASE("a total the ledger cannot count is refused, not wrapped: amount_overflow", "[rules]") {
  // 922 pledges of 10^12 CLF (four decimals) count 9,220,000,000,000,000,000
  // ten-thousandths; a 64-bit total holds 3,372,036,854,775,807 more.
  Fund f;
  f.with_cash();
  std::string many;
  for (int i = 0; i < 922; ++i) {
    many += pledge("pledge-clf-" + std::to_string(i), "CLF-" + std::to_string(i), "JPN", "1000000000000", "CLF") +
            "\n";
  }
  f.append(many);
  f.refuses(pledge("pledge-clf-last", "CLF-last", "JPN", "337203685477.5808", "CLF"), "amount_overflow",
            "data.amount", "the fund's pledges in CLF would exceed what the ledger can count");
  f.append(pledge("pledge-clf-last", "CLF-last", "JPN", "337203685477.5807", "CLF"));
  const json clf = f.fund_view()["pledges_by_currency"][0];
  CHECK(clf["currency"] == "CLF");
  CHECK(clf["pledged"] == "922337203685477.5807");
  CHECK(clf["outstanding"] == "922337203685477.5807");
}

TEST_CASE("a request lands whole or not at all, each event checked against the ones before it", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "300000.00"), proposal("A", "C1", "150000.00"), proposal("B", "C1", "150000.00")}));
  const Head head = f.store->head();

  SECTION("an event refused late in a request takes the earlier ones with it") {
    const AppendResult r = f.try_append(lines({approval("approve-A", "A", "150000.00"),
                                               disbursement("d-A-1", "A", "100000.00"),
                                               disbursement("d-A-2", "A", "50000.01")}));
    CHECK(r.status.code() == Code::kExceedsAllocation);
    CHECK(r.failed_at == std::optional<std::size_t>(2));
    CHECK(r.receipts.empty());
    CHECK(f.store->head() == head);
    f.reopen();
    CHECK(f.store->head() == head);
    CHECK(f.fund_view()["approved"] == "0.00");
  }
  SECTION("two payments that together exceed the cash: the second is refused, and so is the request") {
    f.append(lines({approval("approve-A", "A", "150000.00"), approval("approve-B", "B", "50000.00")}));
    const Head approved = f.store->head();
    const AppendResult r = f.try_append(lines({disbursement("d-A-1", "A", "150000.00"),
                                               disbursement("d-B-1", "B", "50000.01")}));
    CHECK(r.status.code() == Code::kInsufficientCash);
    CHECK(r.status.message() == "disbursement of 50,000.01 USD exceeds the cash on hand of 50,000.00 USD");
    CHECK(r.failed_at == std::optional<std::size_t>(1));
    CHECK(f.store->head() == approved);
    const auto ok = f.append(lines({disbursement("d-A-1", "A", "150000.00"), disbursement("d-B-1", "B", "50000.00")}));
    CHECK(ok[1].seq == approved.size + 2);
    CHECK(f.fund_view()["cash"] == "0.00");
  }
  SECTION("an approval earlier in the request is what lets a payment in") {
    const auto ok = f.append(lines({approval("approve-A", "A", "150000.00"), disbursement("d-A-1", "A", "150000.00")}));
    CHECK(ok[1].seq == head.size + 2);
  }
}

}  // namespace
}  // namespace fundledger
