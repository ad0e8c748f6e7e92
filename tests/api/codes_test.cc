// Every code of util/error_codes.h that the server answers with, provoked
// over HTTPS as a client would, and answered with the status the table
// gives it: a malformed field 400 on every route and event type, a rule of
// SPEC 2 422, the server's own failures 500 internal_error, a failing disk
// 503; each refusal of a post given the same by its dry run. A code the
// table gives an HTTP status without a request here fails the test.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <functional>
#include <map>

#include "ledger/snapshots.h"
#include "ledger/view_as_of.h"
#include "tests/api/served.h"
#include "tests/event_lines.h"
#include "tests/faulty_disk.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
using nlohmann::json;
using namespace fundledger::test::event_lines;
using test::Served;
using test::ServedOptions;
namespace http = boost::beast::http;

// Call C3's event, changed by `change`.
template <typename Change>
std::string call_c3(Change change) {
  json e = json::parse(call("C3", "1.00"));
  change(e["data"]);
  return e.dump();
}

// A fund where every rule can be met: 200,000.00 USD received from USA; a
// pledge of 100 JPY by JPN and one of 100.00 USD by USA; the Board's
// decisions BD-2014-1 and BD-2014-3; call C1 (AFR only,
// budget 1,000.00) with proposals A (approved 50.00), B and Big; call C2
// (budget 10,000,000.00) with proposal Huge.
std::string scenario() {
  std::string out;
  for (const std::string& e :
       {programme("spp"), donor("JPN"), donor("USA"), pledge("pledge-P1", "P1", "JPN", "100", "JPY"),
        pledge("pledge-PU", "PU", "USA", "100.00", "USD"),
        contribution("c-usa", "USA", "", "200000.00", "USD", "200000.00"),
        decision("BD-2014-1", "call", "2014-05-15"), decision("BD-2014-3", "approval", "2014-10-15"),
        call("C1", "1000.00", {"AFR"}),
        call("C2", "10000000.00"), proposal("A", "C1", "100.00"),
        proposal("B", "C1", "100.00"), proposal("Big", "C1", "2000.00"), proposal("Huge", "C2", "5000000.00"),
        approval("approve-A", "A", "50.00")}) {
    out += e + "\n";
  }
  return out;
}

TEST_CASE("every code the server answers with comes back with the status of the table", "[server][codes][slow]") {
  ServedOptions options;
  options.events = scenario();
  Served s(options);
  Client c(s.port());
  // Each post is sent first as a dry run, which must answer the same
  // refusal, status and body, and write nothing.
  const auto post = [&](const std::string& body) {
    const Reply dry = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, body);
    Reply real = c.send(http::verb::post, "/v1/events", s.manager, body);
    CHECK(dry.status == real.status);
    CHECK(dry.text == real.text);
    return real;
  };
  const auto get = [&](const std::string& target, const std::string& token) {
    return c.send(http::verb::get, target, token);
  };
  std::string clf;  // 922 pledges of 10^12 CLF fill a 64-bit total; one more overflows it
  for (int i = 0; i < 923; ++i) {
    const std::string id = "CLF-" + std::to_string(i);
    clf += (i ? "," : "[") + pledge("pledge-" + id, id, "JPN", i < 922 ? "1000000000000" : "337203685477.5808", "CLF");
  }
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) many += (i ? "," : "") + test::donor_event("m" + std::to_string(i));
  const std::string long_name(1100, 'a');

  const std::map<Code, std::function<Reply()>> provoke = {
      // The JSON text.
      {Code::kMalformedJson, [&] { return post("{\"id\":"); }},
      {Code::kInvalidUtf8, [&] { return post(R"({"id":"x","type":"donor.registered","data":{"name":")"
                                             "\xC3\x28" R"("}})"); }},
      {Code::kDuplicateKey, [&] { return post(R"({"id":"a","id":"b","type":"donor.registered","data":{}})"); }},
      {Code::kFloatNotAllowed, [&] { return post(R"({"id":"x","type":"donor.registered","data":{"n":1.5}})"); }},
      {Code::kIntegerOutOfRange,
       [&] { return post(R"({"id":"x","type":"donor.registered","data":{"n":99999999999999999999}})"); }},
      {Code::kTooDeep, [&] { return post("[[[[[{}]]]]]"); }},
      {Code::kStringTooLong, [&] { return post(donor(long_name)); }},
      // The form of each field.
      {Code::kInvalidType, [&] { return post(R"({"id":"x","type":"donor.registered","data":"x"})"); }},
      {Code::kUnknownField, [&] { return post(R"({"id":"x","type":"donor.registered","data":{},"seq":9})"); }},
      {Code::kMissingField,
       [&] { return post(event("x", "donor.registered", {{"donor", "X"}, {"kind", "government"}})); }},
      {Code::kUnknownType, [&] { return post(R"({"id":"x","type":"donor.removed","data":{}})"); }},
      {Code::kInvalidId, [&] { return post(event("-x", "programme.registered", {{"programme", "p"}, {"name", "P"}})); }},
      {Code::kInvalidValue,
       [&] { return post(event("x", "donor.registered", {{"donor", "X"}, {"name", "X"}, {"kind", "emperor"}})); }},
      {Code::kInvalidDate, [&] {
         json e = json::parse(pledge("pledge-P2", "P2", "JPN", "1", "JPY"));
         e["data"]["pledged_on"] = "2015-02-29";
         return post(e.dump());
       }},
      // A write-off with more decimals than its pledge's currency: found
      // against the fund, still a malformed amount.
      {Code::kInvalidAmount, [&] { return post(write_off("w-PU", "PU", "1.001")); }},
      {Code::kInvalidCurrency, [&] { return post(pledge("pledge-P2", "P2", "JPN", "1", "ABC")); }},
      {Code::kInvalidCountry, [&] {
         return post(event("x", "donor.registered",
                           {{"donor", "X"}, {"name", "X"}, {"kind", "government"}, {"country", "XYZ"}}));
       }},
      {Code::kInvalidRegion, [&] { return post(proposal("C", "C1", "1.00", "ASIA")); }},
      {Code::kTooManyEvents, [&] { return post(many + "]"); }},
      // The rules of SPEC 2.
      {Code::kIdConflict, [&] {
         return post(event("donor-JPN", "donor.registered", {{"donor", "JPN"}, {"name", "Nippon"}, {"kind", "government"}}));
       }},
      {Code::kDuplicate, [&] {
         return post(event("donor-JPN-2", "donor.registered", {{"donor", "JPN"}, {"name", "J"}, {"kind", "government"}}));
       }},
      {Code::kInvalidDates, [&] { return post(call_c3([](json& d) { d["closes_on"] = "2014-05-01"; })); }},
      {Code::kUsdMismatch, [&] { return post(contribution("c-x", "USA", "", "10.00", "USD", "9.00")); }},
      {Code::kUnknownDonor, [&] { return post(pledge("pledge-P2", "P2", "FRA", "1.00", "EUR")); }},
      {Code::kUnknownProgramme, [&] { return post(call_c3([](json& d) { d["programme"] = "energy"; })); }},
      {Code::kUnknownPledge, [&] { return post(contribution("c-x", "JPN", "P9", "1", "JPY", "1.00")); }},
      {Code::kUnknownCall, [&] { return post(close("close-C9", "C9", "2014-09-30")); }},
      {Code::kUnknownProposal, [&] { return post(approval("approve-X", "X", "1.00")); }},
      {Code::kUnknownDecision, [&] { return post(call_c3([](json& d) { d["decision"] = "BD-1999-1"; })); }},
      {Code::kUnknownMember, [&] { return post(departure("m-x", "2014-01-01")); }},
      {Code::kSeatTaken, [&] {
         return post("[" + appointment("m-a", "CHL", "GRULAC", "GRULAC-1", "2013-09-01", "") + "," +
                     appointment("m-b", "MEX", "GRULAC", "GRULAC-1", "2014-09-01", "") + "]");
       }},
      {Code::kRegionFull, [&] {
         return post("[" + appointment("m-a", "CHL", "GRULAC", "GRULAC-1", "2013-09-01", "") + "," +
                     appointment("m-b", "MEX", "GRULAC", "GRULAC-2", "2013-09-01", "") + "," +
                     appointment("m-c", "PER", "GRULAC", "GRULAC-3", "2013-09-01", "") + "]");
       }},
      {Code::kExceedsOutstanding, [&] { return post(contribution("c-x", "JPN", "P1", "101", "JPY", "1.00")); }},
      {Code::kPledgeMismatch, [&] { return post(contribution("c-x", "USA", "P1", "1", "JPY", "1.00")); }},
      {Code::kCallNotOpen, [&] { return post(proposal("C", "C1", "1.00", "AFR", "2015-01-01")); }},
      {Code::kRegionNotEligible, [&] { return post(proposal("C", "C1", "1.00", "WEOG")); }},
      {Code::kCountryNotEligible, [&] {
         return post("[" + terms("2014-01-01", {{"eligible_countries", "UGA"}}) + "," + proposal("C", "C1", "1.00") + "]");
       }},
      {Code::kNotRequested, [&] {
         return post("[" + terms("2014-01-01", {{"dual_control_usd", "1.00"}}) + "," + disbursement("d-A", "A", "1.00") +
                     "]");
       }},
      {Code::kSameActor, [&] {
         return post("[" + payment_request("d-A", "A", "10.00") + "," + disbursement("d-A", "A", "10.00") + "]");
       }},
      {Code::kRequestMismatch, [&] {
         return post("[" + payment_request("d-A", "A", "10.00") + "," + disbursement("d-A", "A", "9.00") + "]");
       }},
      {Code::kFeeMismatch, [&] {
         json gift = json::parse(contribution("c-x", "USA", "", "10.00", "USD", "10.00"));
         gift["data"]["admin_fee_usd"] = "0.10";
         return post(gift.dump());
       }},
      {Code::kAlreadyDecided, [&] { return post(approval("approve-A-again", "A", "1.00")); }},
      {Code::kExceedsRequest, [&] { return post(approval("approve-B", "B", "100.01")); }},
      {Code::kExceedsBudget, [&] { return post(approval("approve-Big", "Big", "950.01")); }},
      {Code::kInsufficientFunds, [&] { return post(approval("approve-Huge", "Huge", "300000.00")); }},
      {Code::kNotApproved, [&] { return post(disbursement("d-B", "B", "1.00")); }},
      {Code::kExceedsAllocation, [&] { return post(disbursement("d-A", "A", "50.01")); }},
      {Code::kInsufficientCash, [&] { return post(disbursement("d-A", "A", "200000.01")); }},
      {Code::kExceedsDisbursed, [&] { return post(refund("r-A", "A", "0.01")); }},
      {Code::kUnknownEvent, [&] { return post(reversal("rev-99", 99)); }},
      {Code::kNotReversible, [&] { return post(reversal("rev-2", 2)); }},
      {Code::kReversalMismatch, [&] { return post(reversal("rev-6", 6, {{"amount", "1.00"}, {"currency", "USD"}})); }},
      {Code::kAlreadyReversed, [&] {
         // A contribution, its reversal and the same reversal again, in one
         // request: refused whole.
         return post("[" + contribution("c-late", "USA", "", "10.00", "USD", "10.00") + "," + reversal("rev-16", 16) +
                     "," + reversal("rev-16-again", 16) + "]");
       }},
      {Code::kExceedsUndisbursed, [&] { return post(release("rel-A", "A", "50.01")); }},
      {Code::kAmountOverflow, [&] { return post(clf + "]"); }},
      // The API's requests.
      {Code::kBadRequest, [&] {
         Client raw(s.port());
         return raw.send_raw("NOT HTTP AT ALL\r\n\r\n");
       }},
      {Code::kInvalidAsOf, [&] { return get("/v1/fund?as_of=x", s.board); }},
      {Code::kInvalidPeriod, [&] { return get("/v1/statements?period=2014-2016", s.board); }},
      {Code::kRateLimited,
       [&] {
         ServedOptions open;
         open.events.clear();
         open.public_views = *parse_public_views("fund");
         open.public_limits = {.per_second = 0.001, .burst = 1};
         Served limited(open);
         Client anyone(limited.port());
         REQUIRE(anyone.send(http::verb::get, "/v1/fund").status == 200);
         return anyone.send(http::verb::get, "/v1/fund");
       }},
      {Code::kInvalidSeq, [&] { return get("/v1/events?from=x", s.auditor); }},
      {Code::kInvalidLimit, [&] { return get("/v1/events?limit=0", s.auditor); }},
      {Code::kInvalidTreeSize, [&] { return get("/v1/audit/consistency?first=1&second=999999", s.board); }},
      {Code::kUnauthorized, [&] { return get("/v1/fund", ""); }},
      {Code::kForbidden, [&] { return get("/v1/events", s.board); }},
      {Code::kNotFound, [&] { return get("/v1/nowhere", s.board); }},
      {Code::kMethodNotAllowed, [&] { return c.send(http::verb::delete_, "/v1/fund", s.board); }},
      {Code::kBodyTooLarge, [&] {
         Client raw(s.port());
         return raw.send_header_only("/v1/events", (1 << 20) + 1);
       }},
      {Code::kUnsupportedMediaType, [&] {
         Client raw(s.port());
         return raw.send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + s.manager +
                             "\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}");
       }},
      {Code::kBackupsOff, [&] { return c.send(http::verb::post, "/v1/backups", s.manager); }},
      {Code::kInvalidCsv, [&] {
         return c.send(http::verb::post, "/v1/imports", s.manager,
                       R"({"files":[{"name":"donors.csv","content":"donor,colour\r\nX,red\r\n"}]})");
       }},
      {Code::kReservedType, [&] {
         return post(R"({"id":"a1","type":"access.revoked","data":{"name":"bea","role":"board","token":"0123456789abcdef"}})");
       }},
      {Code::kRequestTimeout, [] {
         ServedOptions o;
         o.limits.body_timeout = std::chrono::seconds(1);
         Served slow(o);
         return Client(slow.port()).send_raw("POST /v1/events HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{");
       }},
      {Code::kNotCheckpointed, [] {
         // A checkpoint of its events is signed as it starts; one event
         // more is under none until the next.
         Served fresh;
         Client c(fresh.port());
         REQUIRE(c.send(http::verb::post, "/v1/events", fresh.manager, test::donor_event("d-receipt")).status == 201);
         return c.send(http::verb::get, "/v1/events/" + std::to_string(fresh.ledger.store->head().size) + "/receipt",
                       fresh.auditor);
       }},
      {Code::kShuttingDown, [] {
         Served stopping;
         return test::request_while_stopping(stopping);
       }},
      // The server's own failures, each made as a bad disk or a tamperer
      // would, answered 500 internal_error.
      {Code::kStoreCorrupt, [] {
         ServedOptions o;
         o.before_serving = [](const std::filesystem::path& dir) {
           fundledger::test::RawDb(dir).put(Family::kEvents, seq_key(5), "not an event");
         };
         Served damaged(o);
         return Client(damaged.port()).send(http::verb::get, "/v1/events/5", damaged.auditor);
       }},
      {Code::kStorageError, [] {
         // The table files cannot be read: the first events are in them,
         // not in memory, since the ledger was closed and opened again, and
         // nothing has read them since (the open reads the last ones).
         fundledger::test::FaultyDisk disk;
         ServedOptions o;
         o.events = fundledger::test::generated(20000, 3);
         o.env = disk.env();
         Served failing(o);
         disk.fail(fundledger::test::FaultyDisk::kRead);
         Reply r = Client(failing.port()).send(http::verb::get, "/v1/events/2", failing.auditor);
         CHECK(disk.failed());
         disk.fail(0);
         return r;
       }},
      {Code::kStorageUnavailable, [] {
         fundledger::test::FaultyDisk disk;
         ServedOptions o;
         o.env = disk.env();
         Served failing(o);
         disk.fail(fundledger::test::FaultyDisk::kSync);
         Reply r = Client(failing.port()).send(http::verb::post, "/v1/events", failing.manager, test::donor_event("d1"));
         CHECK(r.body["error"]["message"] ==
               "the ledger cannot write to its disk (injected failure); nothing was acknowledged: send the same "
               "events again once it answers");
         disk.fail(0);
         return r;
       }},
      {Code::kSnapshotsOutdated, [] {
         ServedOptions o;
         o.events = fundledger::test::generated(kSnapshotEvents + 5, 3);
         o.before_serving = [](const std::filesystem::path& dir) {
           // The mark as an earlier fundledger wrote it: the count alone.
           fundledger::test::RawDb db(dir);
           db.put(Family::kSnapshots, seq_key(kSnapshotEvents),
                  db.get(Family::kSnapshots, seq_key(kSnapshotEvents)).substr(0, 8));
         };
         Served outdated(o);
         CHECK(view_as_of(outdated.ledger.store->reader(), ViewKind::kFund, "", kSnapshotEvents).status().code() ==
               Code::kSnapshotsOutdated);
         return Client(outdated.port()).send(http::verb::get, "/v1/fund?as_of=8192", outdated.board);
       }},
  };

  for (const CodeInfo& info : kCodes) {
    // internal_error is what every 500 below answers.
    if (info.http_status == 0 || info.code == Code::kOk || info.code == Code::kInternalError) continue;
    INFO(info.name << " (" << info.http_status << ")");
    const auto request = provoke.find(info.code);
    REQUIRE(request != provoke.end());  // every code the server answers with is provoked here
    const Reply r = request->second();
    INFO(r.text);
    CHECK(r.status == info.http_status);
    REQUIRE(r.body.contains("error"));
    CHECK(r.body["error"]["code"] == (info.http_status == 500 ? "internal_error" : info.name));
    if (info.http_status == 500) {
      CHECK(r.body["error"]["message"] == "the ledger could not answer; see the server's log");
    }
  }
  // None of the refusals above changed the fund: 13 events, as before.
  CHECK(c.send(http::verb::get, "/healthz").body["tree_size"] == 15);
}

TEST_CASE("a refusal names the field, with the event's place in an array", "[server][codes]") {
  ServedOptions options;
  options.events = scenario();
  Served s(options);
  Client c(s.port());
  const auto post = [&](const std::string& body) { return c.send(http::verb::post, "/v1/events", s.manager, body); };
  // The same malformed amount is 400 for every event type, whether the
  // schema or the pledge's currency finds it.
  Reply r = post(contribution("c-x", "USA", "", "1.001", "USD", "1.00"));
  CHECK(r.status == 400);
  CHECK(r.body["error"] == json{{"code", "invalid_amount"},
                                {"field", "data.amount"},
                                {"message", "\"1.001\" is not a valid amount: at most 2 decimal places are allowed "
                                            "for this currency"}});
  r = post("[" + donor("FRA") + "," + write_off("w-PU", "PU", "1.001") + "]");
  CHECK(r.status == 400);
  CHECK(r.body["error"] == json{{"code", "invalid_amount"},
                                {"field", "[1].data.amount"},
                                {"message", "\"1.001\" is not a valid amount: at most 2 decimal places are allowed "
                                            "for this currency"}});
  // A call that closes before it opens is a rule: 422, with its field.
  r = post(call_c3([](json& d) { d["closes_on"] = "2014-05-01"; }));
  CHECK(r.status == 422);
  CHECK(r.body["error"]["code"] == "invalid_dates");
  CHECK(r.body["error"]["field"] == "data.closes_on");
}

}  // namespace
}  // namespace fundledger::api
