// The fund by business date, told as the Secretariat's finance officer
// would: three donors give and the fund pays over 2014-2016; the Board is
// shown the 2015 statement at event 20; then a Norwegian contribution
// received on 20 December 2015 is recorded in 2016, moves into 2015, and
// the statement names it under "recorded after".

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/view_as_of.h"
#include "tests/statement_story.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;
using test::story::fund_to_2016;
using test::story::kLate;

json statement(const test::Ledger& ledger, const std::string& name, std::optional<std::uint64_t> as_of,
               std::optional<std::uint64_t> after = std::nullopt) {
  Result<json> s = statement_as_of(*ledger.store->reader(), *named_period(name), as_of, after);
  REQUIRE(s.is_ok());
  return (*s)["view"];
}

// Payments less refunds of `total` by call and programme, and `by_region`;
// the story has no costs.
json money_out(const std::string& total, const json& by_region) {
  json regions = {{"AFR", "0.00"}, {"APG", "0.00"}, {"EEG", "0.00"}, {"GRULAC", "0.00"}, {"WEOG", "0.00"}};
  for (const auto& [r, a] : by_region.items()) regions[r] = a;
  return {{"by_call", {{"c-2014", total}}},
          {"by_programme", {{"spp", total}}},
          {"by_region", regions},
          {"transfers", total},
          {"costs",
           {{"total", "0.00"},
            {"by_kind", {{"admin_fee", "0.00"}, {"bank_charge", "0.00"}, {"direct_cost", "0.00"}, {"other", "0.00"}}}}}};
}

// The story has no income but its contributions.
const json kNoIncome = {{"total", "0.00"}, {"by_kind", {{"interest", "0.00"}, {"investment", "0.00"}, {"other", "0.00"}}}};

TEST_CASE("the 2014, 2015 and 2014-2015 statements, before and after a late entry", "[statement]") {
  test::Ledger ledger;
  ledger.append(fund_to_2016());
  REQUIRE(ledger.store->head().size == 22);

  const json y2014 = statement(ledger, "2014", std::nullopt);
  CHECK(y2014["period"] == json{{"name", "2014"}, {"from", "2014-01-01"}, {"to", "2014-12-31"}});
  CHECK(y2014["opening_cash"] == "0.00");
  CHECK(y2014["sources"] ==
        json{{"contributions", "1300000.00"},
             {"income", kNoIncome},
             {"total", "1300000.00"},
             {"by_donor",
              {{"CHN", {{"name", "China"}, {"contributions", 1}, {"usd", "500000.00"}, {"by_currency", {{"USD", "500000.00"}}}}},
               {"NOR",
                {{"name", "Norway"}, {"contributions", 1}, {"usd", "800000.00"}, {"by_currency", {{"NOK", "5000000.00"}}}}}}}});
  json uses = money_out("200000.00", {{"AFR", "200000.00"}});
  uses["disbursed"] = "200000.00";
  uses["refunded"] = "0.00";
  uses["total"] = "200000.00";
  CHECK(y2014["uses"] == uses);
  CHECK(y2014["closing_cash"] == "1100000.00");
  CHECK(y2014["commitments"] == json{{"approved", "650000.00"},
                                      {"released", "0.00"},
                                      {"refunded", "0.00"},
                                      {"total", "650000.00"},
                                      {"undisbursed_at_end", "450000.00"}});
  CHECK(y2014["unallocated_at_end"] == "650000.00");
  CHECK(y2014["pledges"] ==
        json{{"by_donor",
              {{"CHN", {{"USD", {{"made", "1000000.00"}, {"written_off", "0.00"}, {"outstanding_at_end", "500000.00"}}}}},
               {"NOR",
                {{"NOK", {{"made", "10000000.00"}, {"written_off", "0.00"}, {"outstanding_at_end", "5000000.00"}}}}}}}});
  CHECK(y2014["cash_by_month"].size() == 12);
  CHECK(y2014["cash_by_month"][2] == json{{"month", "2014-03"}, {"cash", "800000.00"}});
  CHECK(y2014["cash_by_month"][9] == json{{"month", "2014-10"}, {"cash", "1100000.00"}});
  CHECK_FALSE(y2014.contains("recorded_after"));

  // 2015 as the Board saw it at event 20.
  const json seen = statement(ledger, "2015", std::nullopt);
  CHECK(seen["opening_cash"] == "1100000.00");
  CHECK(seen["sources"]["total"] == "155000.00");
  CHECK(seen["sources"]["by_donor"] ==
        json{{"GBR",
              {{"name", "United Kingdom"}, {"contributions", 1}, {"usd", "155000.00"}, {"by_currency", {{"GBP", "100000.00"}}}}}});
  uses = money_out("430000.00", {{"AFR", "200000.00"}, {"APG", "230000.00"}});
  uses["disbursed"] = "450000.00";
  uses["refunded"] = "-20000.00";
  uses["total"] = "430000.00";
  CHECK(seen["uses"] == uses);
  CHECK(seen["closing_cash"] == "825000.00");
  CHECK(seen["commitments"] == json{{"approved", "0.00"},
                                     {"released", "0.00"},
                                     {"refunded", "-20000.00"},
                                     {"total", "-20000.00"},
                                     {"undisbursed_at_end", "0.00"}});
  CHECK(seen["unallocated_at_end"] == "825000.00");
  CHECK(seen["pledges"]["by_donor"]["NOR"] ==
        json{{"NOK", {{"made", "0.00"}, {"written_off", "1000000.00"}, {"outstanding_at_end", "4000000.00"}}}});
  CHECK(seen["pledges"]["by_donor"]["CHN"] ==
        json{{"USD", {{"made", "0.00"}, {"written_off", "0.00"}, {"outstanding_at_end", "500000.00"}}}});
  CHECK(seen["cash_by_month"][11] == json{{"month", "2015-12"}, {"cash", "825000.00"}});

  // The late entry lands in 2015; 2014 does not move.
  ledger.append(kLate + "\n");
  CHECK(statement(ledger, "2014", std::nullopt) == y2014);
  CHECK(statement(ledger, "2015", 22) == seen);
  const json now = statement(ledger, "2015", std::nullopt, 22);
  CHECK(now["opening_cash"] == "1100000.00");
  CHECK(now["sources"]["total"] == "385000.00");
  CHECK(now["sources"]["by_donor"]["NOR"] ==
        json{{"name", "Norway"}, {"contributions", 1}, {"usd", "230000.00"}, {"by_currency", {{"NOK", "2000000.00"}}}});
  CHECK(now["uses"] == seen["uses"]);
  CHECK(now["closing_cash"] == "1055000.00");
  CHECK(now["commitments"] == seen["commitments"]);
  CHECK(now["unallocated_at_end"] == "1055000.00");
  CHECK(now["pledges"]["by_donor"]["NOR"]["NOK"]["outstanding_at_end"] == "2000000.00");
  CHECK(now["cash_by_month"][11] == json{{"month", "2015-12"}, {"cash", "1055000.00"}});
  REQUIRE(now["recorded_after"]["events"].size() == 1);
  const json late = now["recorded_after"]["events"][0];
  CHECK(now["recorded_after"]["seq"] == 22);
  CHECK(late["seq"] == 23);
  CHECK(late["id"] == "c-nor-2");
  CHECK(late["type"] == "contribution.received");
  CHECK(late["business_date"] == "2015-12-20");

  const json biennium = statement(ledger, "2014-2015", std::nullopt, 22);
  CHECK(biennium["period"] == json{{"name", "2014-2015"}, {"from", "2014-01-01"}, {"to", "2015-12-31"}});
  CHECK(biennium["opening_cash"] == "0.00");
  CHECK(biennium["sources"]["total"] == "1685000.00");
  CHECK(biennium["sources"]["by_donor"]["NOR"] ==
        json{{"name", "Norway"}, {"contributions", 2}, {"usd", "1030000.00"}, {"by_currency", {{"NOK", "7000000.00"}}}});
  uses = money_out("630000.00", {{"AFR", "400000.00"}, {"APG", "230000.00"}});
  uses["disbursed"] = "650000.00";
  uses["refunded"] = "-20000.00";
  uses["total"] = "630000.00";
  CHECK(biennium["uses"] == uses);
  CHECK(biennium["closing_cash"] == "1055000.00");
  CHECK(biennium["commitments"] == json{{"approved", "650000.00"},
                                         {"released", "0.00"},
                                         {"refunded", "-20000.00"},
                                         {"total", "630000.00"},
                                         {"undisbursed_at_end", "0.00"}});
  CHECK(biennium["unallocated_at_end"] == "1055000.00");
  CHECK(biennium["pledges"]["by_donor"]["NOR"] ==
        json{{"NOK", {{"made", "10000000.00"}, {"written_off", "1000000.00"}, {"outstanding_at_end", "2000000.00"}}}});
  CHECK(biennium["cash_by_month"].size() == 24);
  CHECK(biennium["recorded_after"]["events"] == now["recorded_after"]["events"]);

  // The fund on 31 December 2015: the late gift in, China's 2016 gift out,
  // and the as_of block naming the day with the log it came from.
  Result<json> fund = view_as_of_date(ledger.store->reader(), ViewKind::kFund, "", std::nullopt, "2015-12-31");
  REQUIRE(fund.is_ok());
  CHECK((*fund)["as_of"]["date"] == "2015-12-31");
  CHECK((*fund)["as_of"]["tree_size"] == 23);
  CHECK((*fund)["view"]["received"] == "1685000.00");
  CHECK((*fund)["view"]["cash"] == "1055000.00");
}

TEST_CASE("interest comes in as a source and costs go out as uses, each in its period", "[statement]") {
  using test::event_lines::cost;
  using test::event_lines::income;
  test::Ledger ledger;
  ledger.append(fund_to_2016());
  ledger.append(test::event_lines::lines({cost("x-eval", "direct_cost", "10000.00", "2014-12-31"),
                                          income("i-2015", "interest", "5000.00", "2015-06-30"),
                                          cost("x-bank", "bank_charge", "250.00", "2015-09-30")}));
  const json y2015 = statement(ledger, "2015", std::nullopt);
  // 1,100,000.00 at the end of 2014 as before, less the evaluation's cost.
  CHECK(y2015["opening_cash"] == "1090000.00");
  CHECK(y2015["sources"]["contributions"] == "155000.00");
  CHECK(y2015["sources"]["income"] ==
        json{{"total", "5000.00"}, {"by_kind", {{"interest", "5000.00"}, {"investment", "0.00"}, {"other", "0.00"}}}});
  CHECK(y2015["sources"]["total"] == "160000.00");
  json uses = money_out("430000.00", {{"AFR", "200000.00"}, {"APG", "230000.00"}});
  uses["disbursed"] = "450000.00";
  uses["refunded"] = "-20000.00";
  uses["costs"] = {{"total", "250.00"},
                   {"by_kind", {{"admin_fee", "0.00"}, {"bank_charge", "250.00"}, {"direct_cost", "0.00"}, {"other", "0.00"}}}};
  uses["total"] = "430250.00";
  CHECK(y2015["uses"] == uses);
  // 1,090,000.00 + 160,000.00 - 430,250.00, all of it unallocated.
  CHECK(y2015["closing_cash"] == "819750.00");
  CHECK(y2015["unallocated_at_end"] == "819750.00");
  CHECK(y2015["commitments"]["undisbursed_at_end"] == "0.00");
  CHECK(y2015["cash_by_month"][5] == json{{"month", "2015-06"}, {"cash", "800000.00"}});
  CHECK(y2015["cash_by_month"][8] == json{{"month", "2015-09"}, {"cash", "799750.00"}});
  const json y2014 = statement(ledger, "2014", std::nullopt);
  CHECK(y2014["uses"]["costs"]["by_kind"]["direct_cost"] == "10000.00");
  CHECK(y2014["closing_cash"] == "1090000.00");
  CHECK(y2014["unallocated_at_end"] == "640000.00");
  const std::string csv = statement_csv(y2015);
  CHECK(csv.find("source_income,interest,USD,5000.00\r\n") != std::string::npos);
  CHECK(csv.find("use_cost,bank_charge,USD,250.00\r\n") != std::string::npos);
  CHECK(csv.find("uses_transfers,,USD,430000.00\r\n") != std::string::npos);
}

TEST_CASE("a log that dates a payment before its approval is refused by date, never followed", "[statement]") {
  test::Ledger ledger;
  ledger.append(fund_to_2016());
  ledger.close();
  // Event 15, the first payment (2014-10-01), dated before its approval
  // (2014-09-01), as no rule lets in now but an older log may hold.
  test::forge_event(ledger.dir.path(), 15, [](json& e) { e["data"]["paid_on"] = "2014-08-01"; });
  Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path(), OpenOptions{.read_only = true});
  REQUIRE(store.is_ok());
  const std::string refused =
      "rule_violation: event 15 (disbursement.made, dated 2014-08-01) is dated before what it rests on, so no view "
      "by date can hold it; fundledger verify names the rule it breaks";
  CHECK(statement_as_of(*(*store)->reader(), *period_between("2014-01-01", "2014-08-31"), std::nullopt, std::nullopt)
            .status()
            .to_string() == refused);
  CHECK(view_as_of_date((*store)->reader(), ViewKind::kFund, "", std::nullopt, "2014-08-31").status().to_string() ==
        refused);
  // By the year's end the approval stands before it again.
  CHECK(statement_as_of(*(*store)->reader(), *named_period("2014"), std::nullopt, std::nullopt).is_ok());
}

TEST_CASE("a period is a year, a biennium or a range of days", "[statement]") {
  CHECK(named_period("2015")->from == "2015-01-01");
  CHECK(named_period("2014-2015")->to == "2015-12-31");
  CHECK(named_period("2014-2016").status().to_string() ==
        "invalid_period: \"2014-2016\" is not a period: a year (2014), a biennium (2014-2015) or from and to dates (period)");
  CHECK(period_between("2014-01-01", "2015-12-31")->name == "2014-2015");
  CHECK(period_between("2015-01-01", "2015-12-31")->name == "2015");
  CHECK(period_between("2015-03-01", "2015-06-30")->name == "2015-03-01..2015-06-30");
  CHECK(period_between("2015-03-01", "2015-03-01")->name == "2015-03-01..2015-03-01");
  CHECK(period_between("2015-03-02", "2015-03-01").status().to_string() ==
        "invalid_period: the period starts on 2015-03-02, after it ends on 2015-03-01 (period)");
  CHECK(period_between("2015-02-29", "2015-03-01").status().to_string() ==
        "invalid_period: \"2015-02-29\" is not a date YYYY-MM-DD (period)");
}

}  // namespace
}  // namespace fundledger
