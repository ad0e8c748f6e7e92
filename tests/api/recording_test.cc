// Recording through the API: a dry run answers the figures an event would
// change and writes nothing, only a manager may ask for one, and
// GET /v1/reference serves the tables a form chooses from.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/api/served.h"
#include "tests/event_lines.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
using nlohmann::json;
using namespace fundledger::test::event_lines;
using test::check_error;
using test::Served;
using test::ServedOptions;
namespace http = boost::beast::http;

// Programme spp; JPN pledged 1,000.00 EUR and paid 400.00 EUR (440.00
// USD); the Board's decisions BD-2014-1 and BD-2014-3; call C1 (budget
// 1,000.00) with proposal A, 100.00 requested and 50.00 approved: seqs 1
// to 9.
ServedOptions small_fund() {
  ServedOptions o;
  o.events = lines({programme("spp"), donor("JPN"), pledge("pledge-P1", "P1", "JPN", "1000.00", "EUR"),
                    contribution("c-1", "JPN", "P1", "400.00", "EUR", "440.00"),
                    decision("BD-2014-1", "call", "2014-05-15"), decision("BD-2014-3", "approval", "2014-10-15"),
                    call("C1", "1000.00"),
                    proposal("A", "C1", "100.00"), approval("approve-A", "A", "50.00")});
  return o;
}

json change(const char* view, const char* id, const char* figure, json before, json after) {
  json c = {{"view", view}, {"figure", figure}, {"before", std::move(before)}, {"after", std::move(after)}};
  if (*id != '\0') c["id"] = id;
  return c;
}

TEST_CASE("a dry run answers the figures an event would change, and writes nothing", "[server]") {
  Served s(small_fund());
  Client c(s.port());
  const Head head = s.ledger.store->head();
  const std::string fund = c.send(http::verb::get, "/v1/fund", s.board).text;
  const std::string proposal_view = c.send(http::verb::get, "/v1/proposals/A", s.board).text;

  const std::string payment = disbursement("d-A-1", "A", "20.00");
  Reply dry = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, payment);
  REQUIRE(dry.status == 200);
  REQUIRE(dry.body["dry_run"] == true);
  REQUIRE(dry.body["events"].size() == 1);
  const json& event = dry.body["events"][0];
  CHECK(event["seq"] == 10);
  CHECK(event["id"] == "d-A-1");
  CHECK(event["repeat"] == false);
  CHECK(event["leaf_hash"].get<std::string>().size() == 64);
  CHECK(event["changes"] == json::array({
                                change("fund", "", "cash", "440.00", "420.00"),
                                change("fund", "", "counts.disbursements", 0, 1),
                                change("fund", "", "disbursed", "0.00", "20.00"),
                                change("fund", "", "undisbursed", "50.00", "30.00"),
                                change("call", "C1", "by_region[AFR].disbursed", "0.00", "20.00"),
                                change("call", "C1", "disbursed", "0.00", "20.00"),
                                change("proposal", "A", "disbursed", "0.00", "20.00"),
                                change("proposal", "A", "disbursements", 0, 1),
                                change("proposal", "A", "trail[10].seq", nullptr, 10),
                                change("proposal", "A", "trail[10].type", nullptr, "disbursement.made"),
                                change("proposal", "A", "undisbursed", "50.00", "30.00"),
                                change("regions", "", "regions[AFR].disbursed", "0.00", "20.00"),
                                change("programmes", "", "programmes[spp].disbursed", "0.00", "20.00"),
                            }));
  // Nothing was written: the same head, no event 10, the same views.
  CHECK(s.ledger.store->head() == head);
  check_error(c.send(http::verb::get, "/v1/events/10", s.auditor), 404, "not_found");
  CHECK(c.send(http::verb::get, "/v1/fund", s.board).text == fund);
  CHECK(c.send(http::verb::get, "/v1/proposals/A", s.board).text == proposal_view);

  // The real post lands where the dry run said, and changes what it said.
  Reply real = c.send(http::verb::post, "/v1/events", s.manager, payment);
  REQUIRE(real.status == 201);
  CHECK(real.body["events"][0]["seq"] == 10);
  const json after = c.send(http::verb::get, "/v1/fund", s.board).body["view"];
  CHECK(after["cash"] == "420.00");
  CHECK(after["undisbursed"] == "30.00");

  // Again: a repeat changes nothing, and says so.
  dry = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, payment);
  REQUIRE(dry.status == 200);
  CHECK(dry.body["events"][0]["seq"] == 10);
  CHECK(dry.body["events"][0]["repeat"] == true);
  CHECK(dry.body["events"][0]["changes"] == json::array());
  CHECK(dry.body["events"][0]["chain_hash"] == real.body["events"][0]["chain_hash"]);

  // A payment beyond what is approved and unpaid: the post's very refusal,
  // nothing written.
  const std::string too_much = disbursement("d-A-2", "A", "30.01");
  const Reply refused = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, too_much);
  check_error(refused, 422, "exceeds_allocation");
  CHECK(refused.text == c.send(http::verb::post, "/v1/events", s.manager, too_much).text);
  CHECK(s.ledger.store->head().size == 10);
}

TEST_CASE("a dry run of many events: each after the ones before it, a refusal at its place", "[server]") {
  Served s(small_fund());
  Client c(s.port());
  const std::string body = "[" + donor("FRA") + "," + pledge("pledge-F1", "F1", "FRA", "250,000.00", "EUR") + "," +
                           contribution("c-F1", "FRA", "F1", "100000", "EUR", "110000.00") + "]";
  // The API takes amounts in SPEC 1.3's form only (the page turns what an
  // officer types into it), and says which one is not.
  const Reply typed = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, body);
  check_error(typed, 400, "invalid_amount");
  CHECK(typed.body["error"]["field"] == "[1].data.amount");
  const std::string good = "[" + donor("FRA") + "," + pledge("pledge-F1", "F1", "FRA", "250000.00", "EUR") + "," +
                           contribution("c-F1", "FRA", "F1", "100000", "EUR", "110000.00") + "]";
  Reply dry = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, good);
  REQUIRE(dry.status == 200);
  REQUIRE(dry.body["events"].size() == 3);
  CHECK(dry.body["events"][2]["seq"] == 12);
  json donor_changes = json::array();
  for (const json& ch : dry.body["events"][2]["changes"]) {
    if (ch["view"] == "donor") donor_changes.push_back(ch);
  }
  CHECK(donor_changes == json::array({
                             change("donor", "FRA", "contributions", 0, 1),
                             change("donor", "FRA", "currencies[EUR].outstanding", "250000.00", "150000.00"),
                             change("donor", "FRA", "currencies[EUR].received", "0.00", "100000.00"),
                             change("donor", "FRA", "pledges[F1].outstanding", "250000.00", "150000.00"),
                             change("donor", "FRA", "pledges[F1].received", "0.00", "100000.00"),
                             change("donor", "FRA", "received_usd", "0.00", "110000.00"),
                         }));
  const std::string over = "[" + donor("FRA") + "," + pledge("pledge-F1", "F1", "FRA", "250000.00", "EUR") + "," +
                           contribution("c-F1", "FRA", "F1", "250000.01", "EUR", "275000.00") + "]";
  const Reply refused = c.send(http::verb::post, "/v1/events?dry_run=true", s.manager, over);
  check_error(refused, 422, "exceeds_outstanding");
  CHECK(refused.body["error"]["field"] == "[2].data.amount");
  CHECK(s.ledger.store->head().size == 9);
}

TEST_CASE("only a manager may post or dry-run, and dry_run is true or false", "[server]") {
  Served s(small_fund());
  Client c(s.port());
  const std::string payment = disbursement("d-A-1", "A", "20.00");
  check_error(c.send(http::verb::post, "/v1/events?dry_run=true", s.board, payment), 403, "forbidden");
  check_error(c.send(http::verb::post, "/v1/events?dry_run=true", s.auditor, payment), 403, "forbidden");
  check_error(c.send(http::verb::post, "/v1/events", s.board, payment), 403, "forbidden");
  const Reply bad = c.send(http::verb::post, "/v1/events?dry_run=yes", s.manager, payment);
  check_error(bad, 400, "bad_request");
  CHECK(bad.body["error"]["message"] == "dry_run is true or false");
  CHECK(bad.body["error"]["field"] == "dry_run");
  // dry_run=false is the real post.
  CHECK(c.send(http::verb::post, "/v1/events?dry_run=false", s.manager, payment).status == 201);
  CHECK(s.ledger.store->head().size == 10);
}

TEST_CASE("POST /v1/imports: a dry run row by row, then every row, and a refusal naming its file and row", "[server]") {
  Served s(small_fund());
  Client c(s.port());
  const auto body = [](const std::string& rows) {
    return json{{"files", json::array({{{"name", "contributions.csv"},
                                        {"content", "contribution,donor,pledge,amount,currency,usd,received_on\r\n" + rows}}})}}
        .dump();
  };
  const std::string two = "c-2,JPN,P1,100.00,EUR,110.00,2014-08-01\r\nc-3,JPN,P1,500.00,EUR,550.00,2014-09-01\r\n";
  Reply r = c.send(http::verb::post, "/v1/imports?dry_run=true", s.manager, body(two));
  REQUIRE(r.status == 200);
  CHECK(r.body["dry_run"] == true);
  REQUIRE(r.body["events"].size() == 2);
  CHECK(r.body["events"][1]["file"] == "contributions.csv");
  CHECK(r.body["events"][1]["row"] == 3);
  CHECK(r.body["events"][1]["seq"] == 11);
  CHECK(r.body["events"][1]["id"] == "contribution-c-3");
  CHECK(r.body["events"][1]["changes"][0] == change("fund", "", "cash", "550.00", "1100.00"));
  CHECK(s.ledger.store->head().size == 9);
  r = c.send(http::verb::post, "/v1/imports", s.manager, body(two));
  REQUIRE(r.status == 201);
  CHECK(r.body["events"][0]["seq"] == 10);
  CHECK_FALSE(r.body["events"][0].contains("changes"));
  CHECK(s.ledger.store->head().size == 11);
  // Again: nothing new.
  CHECK(c.send(http::verb::post, "/v1/imports", s.manager, body(two)).status == 200);
  // The pledge is paid in full: a cent more against it, in the second row,
  // refuses both.
  r = c.send(http::verb::post, "/v1/imports", s.manager,
             body("c-4,JPN,,5.00,EUR,5.50,2014-10-01\r\nc-5,JPN,P1,0.01,EUR,0.01,2014-10-01\r\n"));
  check_error(r, 422, "exceeds_outstanding");
  CHECK(r.body["error"]["file"] == "contributions.csv");
  CHECK(r.body["error"]["row"] == 3);
  CHECK(r.body["error"]["field"] == "amount");
  CHECK(s.ledger.store->head().size == 11);
  r = c.send(http::verb::post, "/v1/imports", s.manager, R"({"files":[{"name":"donor.csv","content":""}]})");
  check_error(r, 400, "invalid_csv");
  CHECK(r.body["error"]["message"] == "donor.csv is not a file of `export --format csv`");
  // The body is read as strictly as every request's.
  check_error(c.send(http::verb::post, "/v1/imports", s.manager, R"({"files":[],"files":[]})"), 400, "duplicate_key");
  check_error(c.send(http::verb::post, "/v1/imports", s.manager, R"({"files":[]})"), 400, "invalid_type");
  check_error(c.send(http::verb::post, "/v1/imports", s.board, body(two)), 403, "forbidden");
}

TEST_CASE("GET /v1/reference serves the ISO tables, the regions and each event type's fields", "[server]") {
  Served s(small_fund());
  Client c(s.port());
  const Reply r = c.send(http::verb::get, "/v1/reference", s.board);
  REQUIRE(r.status == 200);
  CHECK(r.cache_control == "private, max-age=3600");
  const json& ref = r.body;
  REQUIRE(ref["currencies"].size() == 179);
  CHECK(ref["currencies"][0] == json({{"code", "AED"}, {"minor_units", 2}, {"name", "UAE Dirham"}}));
  json jpy;
  for (const json& cur : ref["currencies"]) {
    if (cur["code"] == "JPY") jpy = cur;
  }
  CHECK(jpy == json({{"code", "JPY"}, {"minor_units", 0}, {"name", "Yen"}}));
  REQUIRE(ref["countries"].size() == 249);
  CHECK(ref["countries"][0] == json({{"code", "ABW"}, {"name", "Aruba"}}));
  CHECK(ref["regions"] == json::parse(R"([
    {"code":"AFR","name":"African States"},
    {"code":"APG","name":"Asia-Pacific States"},
    {"code":"EEG","name":"Eastern European States"},
    {"code":"GRULAC","name":"Latin American and Caribbean States"},
    {"code":"WEOG","name":"Western European and other States"}])"));
  CHECK(ref["donor_kinds"] == json({"government", "multilateral", "private", "foundation", "other"}));
  // The fund's nineteen types; the access events are the ledger's own.
  REQUIRE(ref["event_types"].size() == 22);
  CHECK(ref["income_kinds"] == json({"interest", "investment", "other"}));
  CHECK(ref["cost_kinds"] == json({"admin_fee", "direct_cost", "bank_charge", "other"}));
  CHECK(ref["decision_kinds"] == json({"call", "approval", "programme", "terms", "other"}));
  CHECK(ref["event_types"][2] == json::parse(R"({"type":"pledge.recorded","fields":[
    {"name":"amount","kind":"amount","required":true,"filled":false},
    {"name":"currency","kind":"currency","required":true,"filled":false},
    {"name":"donor","kind":"id","required":true,"filled":false},
    {"name":"due_on","kind":"date","required":false,"filled":false},
    {"name":"pledge","kind":"id","required":true,"filled":false},
    {"name":"pledged_on","kind":"date","required":true,"filled":false},
    {"name":"programme","kind":"id","required":false,"filled":false}]})"));
  CHECK(ref["event_types"][3]["fields"][0] ==
        json({{"name", "amount"}, {"kind", "pledge_amount"}, {"required", true}, {"filled", false}}));
  // A reversal: the client names the seq, the date and the reason; the
  // ledger fills in the rest from the event reversed.
  const json& reversal = ref["event_types"][21];
  CHECK(reversal["type"] == "entry.reversed");
  std::vector<std::string> sent, filled;
  for (const json& f : reversal["fields"]) (f["filled"].get<bool>() ? filled : sent).push_back(f["name"]);
  CHECK(sent == std::vector<std::string>{"reason", "reversed_on", "seq"});
  CHECK(filled == std::vector<std::string>{"admin_fee_usd", "amount", "amount_usd", "contribution", "currency",
                                           "disbursement", "donor", "pledge", "proposal", "refund", "reverses", "usd"});
  // A contribution's fee is the terms' own, which the ledger fills in.
  const json& contribution = ref["event_types"][4];
  CHECK(contribution["type"] == "contribution.received");
  CHECK(contribution["fields"][0] ==
        json({{"name", "admin_fee_usd"}, {"kind", "usd"}, {"required", false}, {"filled", true}}));
  CHECK(ref["event_types"][15]["type"] == "terms.set");
  CHECK(ref["event_types"][16]["type"] == "disbursement.requested");
  check_error(c.send(http::verb::get, "/v1/reference", ""), 401, "unauthorized");
}

}  // namespace
}  // namespace fundledger::api
