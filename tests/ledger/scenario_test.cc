// A year of the fund as its manager would tell it, and every figure the
// Board and the donors would read after it, worked out by hand.
//
// June 2014: Japan pledges 50,000,000 JPY, Germany 300,000.00 EUR earmarked
// for sustainable public procurement, Brazil 100,000.00 USD. By August
// Japan has paid 30,000,000 JPY (290,000.00 USD), Germany 200,000.00 EUR
// (270,000.00 USD), Brazil 60,000.00 USD. Two calls open in September: one
// on procurement (400,000.00 USD, all regions), one on consumer
// information (150,000.00 USD, AFR, APG and GRULAC only). Seven proposals
// come in from all five regions. In November the Board approves five (one
// for less than asked), rejects one and leaves one pending; Brazil gives
// 5,000.00 USD more without a pledge; the first payments go out. In 2015
// Japan writes off 5,000,000 JPY of its pledge, Kenya gets its second
// payment, Viet Nam returns 10,000.00 USD it did not spend, and Moldova's
// project releases 15,000.00 USD it will not need. In 2016 the Secretariat
// corrects four entries: a second payment to Costa Rica typed in by
// mistake, Viet Nam's refund (the bank sent it back), Japan's write-off
// (its budget restored) and Brazil's gift without a pledge (meant for
// another fund).

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/view_as_of.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;

// Chapter by chapter; the comment on each event is the seq it gets.
const char* kPledges = R"(
{"id":"prog-spp","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}}
{"id":"prog-ci","type":"programme.registered","data":{"programme":"ci","name":"Consumer information"}}
{"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government","country":"JPN"}}
{"id":"donor-DEU","type":"donor.registered","data":{"donor":"DEU","name":"Germany","kind":"government","country":"DEU"}}
{"id":"donor-BRA","type":"donor.registered","data":{"donor":"BRA","name":"Brazil","kind":"government","country":"BRA"}}
{"id":"pledge-jpn","type":"pledge.recorded","data":{"pledge":"pledge-jpn","donor":"JPN","amount":"50000000","currency":"JPY","pledged_on":"2014-06-10"}}
{"id":"pledge-bra","type":"pledge.recorded","data":{"pledge":"pledge-bra","donor":"BRA","amount":"100000","currency":"USD","pledged_on":"2014-06-25"}}
{"id":"pledge-deu","type":"pledge.recorded","data":{"pledge":"pledge-deu","donor":"DEU","amount":"300000.00","currency":"EUR","pledged_on":"2014-06-20","programme":"spp","due_on":"2015-06-30"}}
{"id":"c-jpn-1","type":"contribution.received","data":{"contribution":"c-jpn-1","donor":"JPN","pledge":"pledge-jpn","amount":"30000000","currency":"JPY","usd":"290000.00","received_on":"2014-07-01"}}
{"id":"c-deu-1","type":"contribution.received","data":{"contribution":"c-deu-1","donor":"DEU","pledge":"pledge-deu","amount":"200000.00","currency":"EUR","usd":"270000.00","received_on":"2014-07-15"}}
{"id":"c-bra-1","type":"contribution.received","data":{"contribution":"c-bra-1","donor":"BRA","pledge":"pledge-bra","amount":"60000.00","currency":"USD","usd":"60000.00","received_on":"2014-08-01"}}
)";  // seqs 1-11

const char* kCalls = R"(
{"id":"decision-BD-2014-0","type":"decision.recorded","data":{"decision":"BD-2014-0","meeting_on":"2014-08-15","kind":"call","summary":"Two first calls, on procurement and on consumer information"}}
{"id":"decision-BD-2014-1","type":"decision.recorded","data":{"decision":"BD-2014-1","meeting_on":"2014-11-20","kind":"approval","summary":"The procurement call's proposals"}}
{"id":"decision-BD-2014-2","type":"decision.recorded","data":{"decision":"BD-2014-2","meeting_on":"2014-11-21","kind":"approval","summary":"A consumer information proposal"}}
{"id":"open-call-spp-1","type":"call.opened","data":{"call":"call-spp-1","title":"Sustainable public procurement: first call","programme":"spp","decision":"BD-2014-0","budget_usd":"400000.00","opened_on":"2014-09-01","closes_on":"2014-10-31"}}
{"id":"open-call-ci-1","type":"call.opened","data":{"call":"call-ci-1","title":"Consumer information: first call","programme":"ci","decision":"BD-2014-0","budget_usd":"150000.00","opened_on":"2014-09-15","closes_on":"2014-11-15","regions":["AFR","APG","GRULAC"]}}
{"id":"submit-p-afr","type":"proposal.submitted","data":{"proposal":"p-afr","call":"call-spp-1","applicant":"Public Procurement Regulatory Authority","country":"KEN","region":"AFR","requested_usd":"120000.00","submitted_on":"2014-09-20"}}
{"id":"submit-p-apg","type":"proposal.submitted","data":{"proposal":"p-apg","call":"call-spp-1","applicant":"Public Procurement Agency","country":"VNM","region":"APG","requested_usd":"90000.00","submitted_on":"2014-09-25"}}
{"id":"submit-p-eeg","type":"proposal.submitted","data":{"proposal":"p-eeg","call":"call-spp-1","applicant":"Public Procurement Agency","country":"MDA","region":"EEG","requested_usd":"80000.00","submitted_on":"2014-10-02"}}
{"id":"submit-p-grulac","type":"proposal.submitted","data":{"proposal":"p-grulac","call":"call-spp-1","applicant":"Ministry of Finance","country":"CRI","region":"GRULAC","requested_usd":"110000.00","submitted_on":"2014-10-10"}}
{"id":"submit-p-weog","type":"proposal.submitted","data":{"proposal":"p-weog","call":"call-spp-1","applicant":"Green Purchasing Network","country":"ESP","region":"WEOG","requested_usd":"40000.00","submitted_on":"2014-10-30"}}
{"id":"submit-p-ci-afr","type":"proposal.submitted","data":{"proposal":"p-ci-afr","call":"call-ci-1","applicant":"Consumer Protection Council","country":"GHA","region":"AFR","requested_usd":"60000.00","submitted_on":"2014-10-01"}}
{"id":"submit-p-ci-grulac","type":"proposal.submitted","data":{"proposal":"p-ci-grulac","call":"call-ci-1","applicant":"Servicio Nacional del Consumidor","country":"CHL","region":"GRULAC","requested_usd":"50000.00","submitted_on":"2014-11-10"}}
{"id":"close-call-spp-1","type":"call.closed","data":{"call":"call-spp-1","closed_on":"2014-10-31"}}
)";  // seqs 12-24

const char* kDecisions = R"(
{"id":"approve-p-afr","type":"proposal.approved","data":{"proposal":"p-afr","approved_usd":"100000.00","decision":"BD-2014-1","decided_on":"2014-11-20"}}
{"id":"approve-p-apg","type":"proposal.approved","data":{"proposal":"p-apg","approved_usd":"90000.00","decision":"BD-2014-1","decided_on":"2014-11-20"}}
{"id":"approve-p-eeg","type":"proposal.approved","data":{"proposal":"p-eeg","approved_usd":"80000.00","decision":"BD-2014-1","decided_on":"2014-11-20"}}
{"id":"approve-p-grulac","type":"proposal.approved","data":{"proposal":"p-grulac","approved_usd":"110000.00","decision":"BD-2014-1","decided_on":"2014-11-20"}}
{"id":"reject-p-weog","type":"proposal.rejected","data":{"proposal":"p-weog","decision":"BD-2014-1","decided_on":"2014-11-20","reason":"Outside the programme's scope"}}
{"id":"approve-p-ci-afr","type":"proposal.approved","data":{"proposal":"p-ci-afr","approved_usd":"60000.00","decision":"BD-2014-2","decided_on":"2014-11-21"}}
{"id":"c-bra-2","type":"contribution.received","data":{"contribution":"c-bra-2","donor":"BRA","amount":"5000.00","currency":"USD","usd":"5000.00","received_on":"2014-12-01"}}
{"id":"d-afr-1","type":"disbursement.made","data":{"disbursement":"d-afr-1","proposal":"p-afr","amount_usd":"50000.00","paid_on":"2014-12-05"}}
{"id":"d-apg-1","type":"disbursement.made","data":{"disbursement":"d-apg-1","proposal":"p-apg","amount_usd":"90000.00","paid_on":"2014-12-05"}}
{"id":"d-eeg-1","type":"disbursement.made","data":{"disbursement":"d-eeg-1","proposal":"p-eeg","amount_usd":"40000.00","paid_on":"2014-12-05"}}
{"id":"d-grulac-1","type":"disbursement.made","data":{"disbursement":"d-grulac-1","proposal":"p-grulac","amount_usd":"55000.00","paid_on":"2014-12-08"}}
{"id":"d-ci-afr-1","type":"disbursement.made","data":{"disbursement":"d-ci-afr-1","proposal":"p-ci-afr","amount_usd":"30000.00","paid_on":"2014-12-10"}}
)";  // seqs 25-36

const char* k2015 = R"(
{"id":"w-jpn-1","type":"pledge.written_off","data":{"pledge":"pledge-jpn","amount":"5000000","written_off_on":"2015-01-15","reason":"Budget revision"}}
{"id":"d-afr-2","type":"disbursement.made","data":{"disbursement":"d-afr-2","proposal":"p-afr","amount_usd":"30000.00","paid_on":"2015-03-01"}}
{"id":"r-apg-1","type":"refund.received","data":{"refund":"r-apg-1","proposal":"p-apg","amount_usd":"10000.00","received_on":"2015-06-30"}}
{"id":"release-p-eeg","type":"allocation.released","data":{"proposal":"p-eeg","amount_usd":"15000.00","released_on":"2015-09-30","reason":"Project completed under budget"}}
)";  // seqs 37-40

const char* kCorrections = R"(
{"id":"d-grulac-2","type":"disbursement.made","data":{"disbursement":"d-grulac-2","proposal":"p-grulac","amount_usd":"55000.00","paid_on":"2016-01-10"}}
{"id":"reverse-41","type":"entry.reversed","data":{"seq":"41","reversed_on":"2016-01-12","reason":"The same transfer as d-grulac-1, typed in again"}}
{"id":"reverse-39","type":"entry.reversed","data":{"seq":"39","reversed_on":"2016-02-01","reason":"The bank returned Viet Nam's transfer"}}
{"id":"reverse-37","type":"entry.reversed","data":{"seq":"37","reversed_on":"2016-03-01","reason":"Japan's budget was restored"}}
{"id":"reverse-31","type":"entry.reversed","data":{"seq":"31","reversed_on":"2016-04-01","reason":"Meant for another fund; sent back to Brazil"}}
)";  // seqs 41-45

json view_of(test::Ledger& ledger, ViewKind kind, std::string_view id = "",
             std::optional<std::uint64_t> as_of = std::nullopt) {
  Result<json> v = view_as_of(ledger.store->reader(), kind, id, as_of);
  REQUIRE(v.status().to_string() == "ok");
  return *v;
}

json region(const char* code, int total, int submitted, int approved, int rejected, const char* requested,
            const char* approved_usd, const char* disbursed) {
  return {{"region", code},
          {"proposals", {{"total", total}, {"submitted", submitted}, {"approved", approved}, {"rejected", rejected}}},
          {"requested", requested},
          {"approved", approved_usd},
          {"disbursed", disbursed}};
}

// A proposal as its call's by_proposal lists it.
json listed(const char* id, const char* applicant, const char* region, const char* status, const char* requested,
            const char* approved, const char* disbursed, const char* undisbursed) {
  return {{"proposal", id},          {"applicant", applicant}, {"region", region},
          {"status", status},        {"requested", requested}, {"approved", approved},
          {"disbursed", disbursed},  {"undisbursed", undisbursed}};
}

json with(json j, const char* key, json value) {
  j[key] = std::move(value);
  return j;
}

json pledges_by_currency(const char* jpy_outstanding, const char* usd_received) {
  return json::parse(std::string(R"([
    {"currency":"EUR","pledged":"300000.00","outstanding":"100000.00","received":"200000.00"},
    {"currency":"JPY","pledged":"50000000","outstanding":")") + jpy_outstanding + R"(","received":"30000000"},
    {"currency":"USD","pledged":"100000.00","outstanding":"40000.00","received":")" + usd_received + R"("}])");
}

json counts(int write_offs, int contributions, int disbursements, int refunds, int releases, int reversals = 0) {
  return {{"donors", 3},        {"programmes", 2},       {"pledges", 3},
          {"write_offs", write_offs}, {"contributions", contributions}, {"calls", 2},
          {"proposals", 7},     {"disbursements", disbursements}, {"refunds", refunds},
          {"releases", releases},  {"reversals", reversals}, {"income", 0},
          {"costs", 0},         {"payment_requests", 0}, {"cancellations", 0},
          {"decisions", 3},     {"board_appointments", 0}, {"board_departures", 0}};
}

json fund(const char* received, const char* approved, const char* disbursed, const char* cash,
          const char* unallocated, const char* undisbursed, json pledges, json counts) {
  return {{"currency", "USD"},
          {"received", received},
          {"income", {{"total", "0.00"}, {"by_kind", {{"interest", "0.00"}, {"investment", "0.00"}, {"other", "0.00"}}}}},
          {"costs",
           {{"total", "0.00"},
            {"by_kind", {{"admin_fee", "0.00"}, {"bank_charge", "0.00"}, {"direct_cost", "0.00"}, {"other", "0.00"}}}}},
          {"approved", approved},
          {"disbursed", disbursed},
          {"cash", cash},
          {"unallocated", unallocated},
          {"undisbursed", undisbursed},
          {"requested_not_paid", "0.00"},
          {"requests", json::array()},
          {"pledges_by_currency", std::move(pledges)},
          {"earmarked_received", json::array({{{"programme", "spp"}, {"received", "270000.00"}}})},
          {"terms", json::array()},
          {"counts", std::move(counts)}};
}

TEST_CASE("a year of the fund: every figure the Board and the donors read", "[scenario]") {
  test::Ledger ledger;
  std::vector<Receipt> receipts;
  for (const char* chapter : {kPledges, kCalls, kDecisions, k2015}) {
    for (Receipt& r : ledger.append(chapter)) receipts.push_back(std::move(r));
  }
  REQUIRE(receipts.size() == 40);
  REQUIRE(receipts.back().seq == 40);

  const json fund_now = fund("625000.00", "415000.00", "285000.00", "340000.00", "210000.00", "130000.00",
                             pledges_by_currency("15000000", "65000.00"), counts(1, 4, 6, 1, 1));
  CHECK(view_of(ledger, ViewKind::kFund)["view"] == fund_now);

  CHECK(view_of(ledger, ViewKind::kDonors)["view"] == json::parse(R"({"donors":[
    {"donor":"BRA","name":"Brazil","kind":"government","country":"BRA","received_usd":"65000.00",
     "contributions":2,"pledges":1,"currencies":[{"currency":"USD","pledged":"100000.00","received":"65000.00",
     "unpledged":"5000.00","written_off":"0.00","outstanding":"40000.00"}]},
    {"donor":"DEU","name":"Germany","kind":"government","country":"DEU","received_usd":"270000.00",
     "contributions":1,"pledges":1,"currencies":[{"currency":"EUR","pledged":"300000.00","received":"200000.00",
     "unpledged":"0.00","written_off":"0.00","outstanding":"100000.00"}]},
    {"donor":"JPN","name":"Japan","kind":"government","country":"JPN","received_usd":"290000.00",
     "contributions":1,"pledges":1,"currencies":[{"currency":"JPY","pledged":"50000000","received":"30000000",
     "unpledged":"0","written_off":"5000000","outstanding":"15000000"}]}]})"));

  CHECK(view_of(ledger, ViewKind::kDonor, "JPN")["view"] == json::parse(R"({
    "donor":"JPN","name":"Japan","kind":"government","country":"JPN","seq":3,"received_usd":"290000.00",
    "contributions":1,
    "pledges":[{"pledge":"pledge-jpn","currency":"JPY","amount":"50000000","received":"30000000",
                "written_off":"5000000","outstanding":"15000000","pledged_on":"2014-06-10","seq":6}],
    "currencies":[{"currency":"JPY","pledged":"50000000","received":"30000000","unpledged":"0",
                   "written_off":"5000000","outstanding":"15000000"}],
    "earmarks":[]})"));

  CHECK(view_of(ledger, ViewKind::kDonor, "DEU")["view"] == json::parse(R"({
    "donor":"DEU","name":"Germany","kind":"government","country":"DEU","seq":4,"received_usd":"270000.00",
    "contributions":1,
    "pledges":[{"pledge":"pledge-deu","currency":"EUR","amount":"300000.00","received":"200000.00",
                "written_off":"0.00","outstanding":"100000.00","pledged_on":"2014-06-20","seq":8,
                "programme":"spp","due_on":"2015-06-30"}],
    "currencies":[{"currency":"EUR","pledged":"300000.00","received":"200000.00","unpledged":"0.00",
                   "written_off":"0.00","outstanding":"100000.00"}],
    "earmarks":[{"programme":"spp","currency":"EUR","pledged":"300000.00","received":"200000.00"}]})"));

  const json spp_summary = json::parse(R"({
    "call":"call-spp-1","title":"Sustainable public procurement: first call","programme":"spp",
    "decision":"BD-2014-0","status":"closed","opened_on":"2014-09-01","closes_on":"2014-10-31","closed_on":"2014-10-31",
    "currency":"USD","budget":"400000.00","requested":"440000.00","approved":"355000.00",
    "disbursed":"255000.00","remaining":"45000.00",
    "proposals":{"total":5,"submitted":0,"approved":4,"rejected":1}})");
  const json ci_summary = json::parse(R"({
    "call":"call-ci-1","title":"Consumer information: first call","programme":"ci",
    "decision":"BD-2014-0","status":"open","opened_on":"2014-09-15","closes_on":"2014-11-15",
    "currency":"USD","budget":"150000.00","requested":"110000.00","approved":"60000.00",
    "disbursed":"30000.00","remaining":"90000.00",
    "proposals":{"total":2,"submitted":1,"approved":1,"rejected":0}})");
  CHECK(view_of(ledger, ViewKind::kCalls)["view"] == json{{"calls", {ci_summary, spp_summary}}});

  json spp = spp_summary;
  spp["seq"] = 15;
  spp["regions"] = {"AFR", "APG", "EEG", "GRULAC", "WEOG"};
  spp["by_region"] = {
      with(region("AFR", 1, 0, 1, 0, "120000.00", "100000.00", "80000.00"), "eligible", true),
      with(region("APG", 1, 0, 1, 0, "90000.00", "80000.00", "80000.00"), "eligible", true),
      with(region("EEG", 1, 0, 1, 0, "80000.00", "65000.00", "40000.00"), "eligible", true),
      with(region("GRULAC", 1, 0, 1, 0, "110000.00", "110000.00", "55000.00"), "eligible", true),
      with(region("WEOG", 1, 0, 0, 1, "40000.00", "0.00", "0.00"), "eligible", true)};
  spp["by_proposal"] = {
      listed("p-afr", "Public Procurement Regulatory Authority", "AFR", "approved", "120000.00", "100000.00",
             "80000.00", "20000.00"),
      listed("p-apg", "Public Procurement Agency", "APG", "approved", "90000.00", "80000.00", "80000.00", "0.00"),
      listed("p-eeg", "Public Procurement Agency", "EEG", "approved", "80000.00", "65000.00", "40000.00",
             "25000.00"),
      listed("p-grulac", "Ministry of Finance", "GRULAC", "approved", "110000.00", "110000.00", "55000.00",
             "55000.00"),
      listed("p-weog", "Green Purchasing Network", "WEOG", "rejected", "40000.00", "0.00", "0.00", "0.00")};
  CHECK(view_of(ledger, ViewKind::kCall, "call-spp-1")["view"] == spp);

  json ci = ci_summary;
  ci["seq"] = 16;
  ci["regions"] = {"AFR", "APG", "GRULAC"};
  ci["by_region"] = {
      with(region("AFR", 1, 0, 1, 0, "60000.00", "60000.00", "30000.00"), "eligible", true),
      with(region("APG", 0, 0, 0, 0, "0.00", "0.00", "0.00"), "eligible", true),
      with(region("EEG", 0, 0, 0, 0, "0.00", "0.00", "0.00"), "eligible", false),
      with(region("GRULAC", 1, 1, 0, 0, "50000.00", "0.00", "0.00"), "eligible", true),
      with(region("WEOG", 0, 0, 0, 0, "0.00", "0.00", "0.00"), "eligible", false)};
  ci["by_proposal"] = {
      listed("p-ci-afr", "Consumer Protection Council", "AFR", "approved", "60000.00", "60000.00", "30000.00",
             "30000.00"),
      listed("p-ci-grulac", "Servicio Nacional del Consumidor", "GRULAC", "submitted", "50000.00", "0.00", "0.00",
             "0.00")};
  CHECK(view_of(ledger, ViewKind::kCall, "call-ci-1")["view"] == ci);

  // The Board's regional balance: each region's share of the 415,000.00
  // approved.
  const json regions_now = {
      {"currency", "USD"},
      {"approved", "415000.00"},
      {"regions",
       {with(region("AFR", 2, 0, 2, 0, "180000.00", "160000.00", "110000.00"), "share", "0.3855"),
        with(region("APG", 1, 0, 1, 0, "90000.00", "80000.00", "80000.00"), "share", "0.1928"),
        with(region("EEG", 1, 0, 1, 0, "80000.00", "65000.00", "40000.00"), "share", "0.1566"),
        with(region("GRULAC", 2, 1, 1, 0, "160000.00", "110000.00", "55000.00"), "share", "0.2651"),
        with(region("WEOG", 1, 0, 0, 1, "40000.00", "0.00", "0.00"), "share", "0.0000")}}};
  CHECK(view_of(ledger, ViewKind::kRegions)["view"] == regions_now);

  CHECK(view_of(ledger, ViewKind::kProgrammes)["view"] == json::parse(R"({"currency":"USD","programmes":[
    {"programme":"ci","name":"Consumer information","calls":1,"budget":"150000.00","requested":"110000.00",
     "approved":"60000.00","disbursed":"30000.00","earmarked_received":"0.00"},
    {"programme":"spp","name":"Sustainable public procurement","calls":1,"budget":"400000.00",
     "requested":"440000.00","approved":"355000.00","disbursed":"255000.00","earmarked_received":"270000.00"}]})"));

  // Moldova's project: approved 80,000.00, paid 40,000.00, released 15,000.00.
  json eeg = view_of(ledger, ViewKind::kProposal, "p-eeg")["view"];
  const json eeg_trail = eeg["trail"];
  eeg.erase("trail");
  CHECK(eeg == json::parse(R"({
    "proposal":"p-eeg","call":"call-spp-1","applicant":"Public Procurement Agency","country":"MDA",
    "region":"EEG","submitted_on":"2014-10-02","status":"approved","currency":"USD",
    "requested":"80000.00","approved":"65000.00","approved_initial":"80000.00","released":"15000.00",
    "refunded":"0.00","disbursed":"40000.00","undisbursed":"25000.00","requested_not_paid":"0.00","requests":[],"disbursements":1,"seq":19,
    "decision":"BD-2014-1","decided_on":"2014-11-20"})"));
  // Its trail: every event that touched it, each with its actor, time and data.
  REQUIRE(eeg_trail.size() == 4);
  CHECK(eeg_trail[0]["seq"] == 19);
  CHECK(eeg_trail[0]["type"] == "proposal.submitted");
  CHECK(eeg_trail[1]["seq"] == 27);
  CHECK(eeg_trail[1]["type"] == "proposal.approved");
  CHECK(eeg_trail[1]["data"] == json::parse(
      R"({"approved_usd":"80000.00","decided_on":"2014-11-20","decision":"BD-2014-1","proposal":"p-eeg"})"));
  CHECK(eeg_trail[2]["seq"] == 34);
  CHECK(eeg_trail[2]["type"] == "disbursement.made");
  CHECK(eeg_trail[2]["data"]["amount_usd"] == "40000.00");
  CHECK(eeg_trail[3]["seq"] == 40);
  CHECK(eeg_trail[3]["type"] == "allocation.released");
  CHECK(eeg_trail[3]["data"]["reason"] == "Project completed under budget");
  for (const json& t : eeg_trail) {
    CHECK(t["actor"] == "manager:alice");
    const std::optional<std::string> bytes = *ledger.store->reader()->event(t["seq"].get<std::uint64_t>());
    REQUIRE(bytes);
    CHECK(t["recorded_at"] == json::parse(*bytes)["recorded_at"]);
  }
  // Viet Nam's: paid in full, then 10,000.00 returned.
  json apg = view_of(ledger, ViewKind::kProposal, "p-apg")["view"];
  std::vector<std::pair<std::uint64_t, std::string>> apg_trail;
  for (const json& t : apg["trail"]) apg_trail.emplace_back(t["seq"], t["type"]);
  apg.erase("trail");
  CHECK(apg == json::parse(R"({
    "proposal":"p-apg","call":"call-spp-1","applicant":"Public Procurement Agency","country":"VNM",
    "region":"APG","submitted_on":"2014-09-25","status":"approved","currency":"USD",
    "requested":"90000.00","approved":"80000.00","approved_initial":"90000.00","released":"0.00",
    "refunded":"10000.00","disbursed":"80000.00","undisbursed":"0.00","requested_not_paid":"0.00","requests":[],"disbursements":1,"seq":18,
    "decision":"BD-2014-1","decided_on":"2014-11-20"})"));
  CHECK(apg_trail == std::vector<std::pair<std::uint64_t, std::string>>{
                         {18, "proposal.submitted"}, {26, "proposal.approved"}, {33, "disbursement.made"},
                         {39, "refund.received"}});

  SECTION("as of three points in the middle") {
    struct Point {
      std::uint64_t seq;
      json fund;
      json regions;
    };
    const std::vector<Point> points = {
        // Every proposal in, the procurement call closed, nothing decided.
        {24,
         fund("620000.00", "0.00", "0.00", "620000.00", "620000.00", "0.00",
              pledges_by_currency("20000000", "60000.00"), counts(0, 3, 0, 0, 0)),
         {{"currency", "USD"},
          {"approved", "0.00"},
          {"regions",
           {with(region("AFR", 2, 2, 0, 0, "180000.00", "0.00", "0.00"), "share", "0.0000"),
            with(region("APG", 1, 1, 0, 0, "90000.00", "0.00", "0.00"), "share", "0.0000"),
            with(region("EEG", 1, 1, 0, 0, "80000.00", "0.00", "0.00"), "share", "0.0000"),
            with(region("GRULAC", 2, 2, 0, 0, "160000.00", "0.00", "0.00"), "share", "0.0000"),
            with(region("WEOG", 1, 1, 0, 0, "40000.00", "0.00", "0.00"), "share", "0.0000")}}}},
        // The Board has decided and the first payments have gone out.
        {36,
         fund("625000.00", "440000.00", "265000.00", "360000.00", "185000.00", "175000.00",
              pledges_by_currency("20000000", "65000.00"), counts(0, 4, 5, 0, 0)),
         {{"currency", "USD"},
          {"approved", "440000.00"},
          {"regions",
           {with(region("AFR", 2, 0, 2, 0, "180000.00", "160000.00", "80000.00"), "share", "0.3636"),
            with(region("APG", 1, 0, 1, 0, "90000.00", "90000.00", "90000.00"), "share", "0.2045"),
            with(region("EEG", 1, 0, 1, 0, "80000.00", "80000.00", "40000.00"), "share", "0.1818"),
            with(region("GRULAC", 2, 1, 1, 0, "160000.00", "110000.00", "55000.00"), "share", "0.2500"),
            with(region("WEOG", 1, 0, 0, 1, "40000.00", "0.00", "0.00"), "share", "0.0000")}}}},
        // After the refund, before the release.
        {39,
         fund("625000.00", "430000.00", "285000.00", "340000.00", "195000.00", "145000.00",
              pledges_by_currency("15000000", "65000.00"), counts(1, 4, 6, 1, 0)),
         {{"currency", "USD"},
          {"approved", "430000.00"},
          {"regions",
           {with(region("AFR", 2, 0, 2, 0, "180000.00", "160000.00", "110000.00"), "share", "0.3721"),
            with(region("APG", 1, 0, 1, 0, "90000.00", "80000.00", "80000.00"), "share", "0.1860"),
            with(region("EEG", 1, 0, 1, 0, "80000.00", "80000.00", "40000.00"), "share", "0.1860"),
            with(region("GRULAC", 2, 1, 1, 0, "160000.00", "110000.00", "55000.00"), "share", "0.2558"),
            with(region("WEOG", 1, 0, 0, 1, "40000.00", "0.00", "0.00"), "share", "0.0000")}}}},
    };
    for (const Point& p : points) {
      INFO("as of " << p.seq);
      const json fund_then = view_of(ledger, ViewKind::kFund, "", p.seq);
      CHECK(fund_then["as_of"]["tree_size"] == p.seq);
      CHECK(fund_then["as_of"]["chain_hash"] == to_hex(receipts[p.seq - 1].chain));
      CHECK(fund_then["view"] == p.fund);
      CHECK(view_of(ledger, ViewKind::kRegions, "", p.seq)["view"] == p.regions);
    }
    // Before the decisions, Japan had written nothing off and Kenya's
    // proposal was only submitted.
    CHECK(view_of(ledger, ViewKind::kDonor, "JPN", 24)["view"]["currencies"][0]["written_off"] == "0");
    CHECK(view_of(ledger, ViewKind::kProposal, "p-afr", 24)["view"]["status"] == "submitted");
    const json spp_then = view_of(ledger, ViewKind::kCall, "call-spp-1", 36)["view"];
    CHECK(spp_then["approved"] == "380000.00");
    CHECK(spp_then["disbursed"] == "235000.00");
    CHECK(spp_then["remaining"] == "20000.00");
    // Before the donors existed there is no such donor to show.
    CHECK(view_as_of(ledger.store->reader(), ViewKind::kDonor, "BRA", 4).status().code() == Code::kNotFound);
  }

  SECTION("four corrections in 2016: each figure net of what was taken back") {
    const std::vector<Receipt> corrections = ledger.append(kCorrections);
    REQUIRE(corrections.size() == 5);
    REQUIRE(corrections.back().seq == 45);
    // The payment and its reversal cancel out; the refund undone puts
    // 10,000.00 back into Viet Nam's allocation and payments; the gift
    // undone leaves the fund.
    CHECK(view_of(ledger, ViewKind::kFund)["view"] ==
          fund("620000.00", "425000.00", "295000.00", "325000.00", "195000.00", "130000.00",
               pledges_by_currency("20000000", "60000.00"), counts(0, 3, 6, 0, 1, 4)));
    // Halfway, with the payment only: it was counted like any other.
    CHECK(view_of(ledger, ViewKind::kFund, "", 41)["view"]["disbursed"] == "340000.00");
    CHECK(view_of(ledger, ViewKind::kFund, "", 41)["view"]["counts"]["disbursements"] == 7);

    CHECK(view_of(ledger, ViewKind::kDonor, "BRA")["view"] == json::parse(R"({
      "donor":"BRA","name":"Brazil","kind":"government","country":"BRA","seq":5,"received_usd":"60000.00",
      "contributions":1,
      "pledges":[{"pledge":"pledge-bra","currency":"USD","amount":"100000.00","received":"60000.00",
                  "written_off":"0.00","outstanding":"40000.00","pledged_on":"2014-06-25","seq":7}],
      "currencies":[{"currency":"USD","pledged":"100000.00","received":"60000.00","unpledged":"0.00",
                     "written_off":"0.00","outstanding":"40000.00"}],
      "earmarks":[],
      "reversals":[{"seq":45,"reverses":31,"type":"contribution.received"}]})"));
    const json jpn = view_of(ledger, ViewKind::kDonor, "JPN")["view"];
    CHECK(jpn["pledges"][0]["written_off"] == "0");
    CHECK(jpn["pledges"][0]["outstanding"] == "20000000");
    CHECK(jpn["reversals"] == json::parse(R"([{"seq":44,"reverses":37,"type":"pledge.written_off"}])"));

    // Viet Nam's proposal: paid in full again, its trail with the reversal
    // beside the refund it takes back.
    json apg = view_of(ledger, ViewKind::kProposal, "p-apg")["view"];
    const json trail = apg["trail"];
    apg.erase("trail");
    CHECK(apg["approved"] == "90000.00");
    CHECK(apg["refunded"] == "0.00");
    CHECK(apg["disbursed"] == "90000.00");
    CHECK(apg["undisbursed"] == "0.00");
    REQUIRE(trail.size() == 5);
    CHECK(trail[4]["seq"] == 43);
    CHECK(trail[4]["type"] == "entry.reversed");
    CHECK(trail[4]["reverses"] == 39);
    CHECK(trail[4]["data"] == json::parse(R"({"amount_usd":"10000.00","proposal":"p-apg",
      "reason":"The bank returned Viet Nam's transfer","refund":"r-apg-1","reversed_on":"2016-02-01",
      "reverses":"refund.received","seq":"39"})"));
    const json grulac = view_of(ledger, ViewKind::kProposal, "p-grulac")["view"];
    std::vector<std::uint64_t> touched;
    for (const json& t : grulac["trail"]) touched.push_back(t["seq"]);
    CHECK(touched == std::vector<std::uint64_t>{20, 28, 35, 41, 42});
    CHECK(grulac["trail"][4]["reverses"] == 41);
    CHECK(grulac["disbursed"] == "55000.00");
    CHECK(grulac["disbursements"] == 1);

    CHECK(view_of(ledger, ViewKind::kRegions)["view"]["regions"] ==
          json{with(region("AFR", 2, 0, 2, 0, "180000.00", "160000.00", "110000.00"), "share", "0.3765"),
               with(region("APG", 1, 0, 1, 0, "90000.00", "90000.00", "90000.00"), "share", "0.2118"),
               with(region("EEG", 1, 0, 1, 0, "80000.00", "65000.00", "40000.00"), "share", "0.1529"),
               with(region("GRULAC", 2, 1, 1, 0, "160000.00", "110000.00", "55000.00"), "share", "0.2588"),
               with(region("WEOG", 1, 0, 0, 1, "40000.00", "0.00", "0.00"), "share", "0.0000")});
    const json spp_now = view_of(ledger, ViewKind::kCall, "call-spp-1")["view"];
    CHECK(spp_now["approved"] == "365000.00");
    CHECK(spp_now["disbursed"] == "265000.00");
    CHECK(spp_now["remaining"] == "35000.00");
    // As of 40 nothing was corrected yet.
    CHECK(view_of(ledger, ViewKind::kFund, "", 40)["view"] == fund_now);

    // A replay from the first event gives the writer's fund.
    const std::string live = view_of(ledger, ViewKind::kFund).dump();
    ledger.close();
    {
      Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path());
      REQUIRE(store.status().to_string() == "ok");
      REQUIRE(rebuild_projection(**store).to_string() == "ok");
    }
    ledger.reopen();
    CHECK(view_of(ledger, ViewKind::kFund).dump() == live);
  }

  SECTION("the same events give byte-identical views, reopened or rebuilt") {
    std::vector<std::string> before;
    const auto all_views = [&] {
      std::vector<std::string> out;
      for (std::uint64_t seq : {24, 36, 39, 40}) {
        for (ViewKind kind : {ViewKind::kFund, ViewKind::kDonors, ViewKind::kCalls, ViewKind::kRegions,
                              ViewKind::kProgrammes}) {
          out.push_back(view_of(ledger, kind, "", seq).dump());
        }
        out.push_back(view_of(ledger, ViewKind::kDonor, "DEU", seq).dump());
        out.push_back(view_of(ledger, ViewKind::kCall, "call-ci-1", seq).dump());
      }
      return out;
    };
    before = all_views();
    ledger.reopen();
    CHECK(all_views() == before);
    ledger.close();
    {
      Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path());
      REQUIRE(store.status().to_string() == "ok");
      REQUIRE(rebuild_projection(**store).to_string() == "ok");
    }
    ledger.reopen();
    CHECK(all_views() == before);
    CHECK(view_of(ledger, ViewKind::kFund)["view"] == fund_now);
  }
}

}  // namespace
}  // namespace fundledger
