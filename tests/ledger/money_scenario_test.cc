// The rest of the fund's money in one year (tests/money_story.h): the
// manager who requested a payment refused making it herself, every figure
// of the fund view and of the 2015 statement.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/view_as_of.h"
#include "tests/event_lines.h"
#include "tests/ledger/rules_fixture.h"
#include "tests/money_story.h"

namespace fundledger {
namespace {

using nlohmann::json;
using namespace test::event_lines;
namespace money_story = test::money_story;

json kinds(std::initializer_list<std::pair<const char*, const char*>> amounts, const char* total) {
  json each = json::object();
  for (const auto& [kind, a] : amounts) each[kind] = a;
  return {{"total", total}, {"by_kind", each}};
}

TEST_CASE("the Secretariat's 2015: fees, interest, costs and payments under dual control", "[scenario]") {
  test::Fund f;
  f.append(money_story::to_first_request());
  CHECK(f.event_data(6)["admin_fee_usd"] == "2500.00");
  // Alice asked for the first tranche; she may not pay it too.
  f.refuses(money_story::kSecondManager, "same_actor", "data.disbursement",
            "payment \"d-p1-1\" was requested by manager:alice; another manager makes it");
  f.refuses(money_story::pay("d-p1-x", "p1", "100000.00", "2015-08-12"), "not_requested", "data.amount_usd",
            "a payment of 100,000.00 USD is first requested by one manager and made by another: the terms from "
            "2015-01-01 ask it of payments of 100,000.00 USD or more");
  f.actor = "manager:bob";
  f.append(money_story::kSecondManager);
  f.actor = "manager:alice";
  f.append(money_story::after_payment());
  REQUIRE(f.store->head().size == 23);

  const json fund = f.fund_view();
  CHECK(fund == json{{"currency", "USD"},
                     {"received", "850000.00"},
                     {"income", kinds({{"interest", "1200.00"}, {"investment", "0.00"}, {"other", "0.00"}}, "1200.00")},
                     {"costs", kinds({{"admin_fee", "3500.00"}, {"direct_cost", "8000.00"}, {"bank_charge", "45.50"},
                                      {"other", "0.00"}},
                                     "11545.50")},
                     {"approved", "450000.00"},
                     {"disbursed", "210000.00"},
                     {"cash", "629654.50"},
                     {"unallocated", "389654.50"},
                     {"undisbursed", "240000.00"},
                     {"requested_not_paid", "100000.00"},
                     {"requests", json::parse(R"([{"disbursement":"d-p1-3","proposal":"p1","amount_usd":"100000.00",
                                                   "requested_on":"2015-12-01","seq":22}])")},
                     {"pledges_by_currency", json::array()},
                     {"earmarked_received", json::array()},
                     {"terms", json::parse(R"([{"effective_on":"2015-01-01","admin_fee_bps":"100",
                                                "eligible_countries":[],"dual_control_usd":"100000.00","seq":4}])")},
                     {"counts",
                      {{"donors", 2}, {"programmes", 1}, {"pledges", 0}, {"write_offs", 0}, {"contributions", 3},
                       {"calls", 1}, {"proposals", 2}, {"disbursements", 2}, {"refunds", 0}, {"releases", 0},
                       {"income", 1}, {"costs", 2}, {"payment_requests", 3}, {"cancellations", 1},
                       {"decisions", 2}, {"board_appointments", 0}, {"board_departures", 0},
                       {"reversals", 0}}}});

  Result<json> signed_2015 = statement_as_of(*f.store->reader(), *named_period("2015"), std::nullopt, std::nullopt);
  REQUIRE(signed_2015.is_ok());
  json s = (*signed_2015)["view"];
  CHECK(s["period"] == json{{"name", "2015"}, {"from", "2015-01-01"}, {"to", "2015-12-31"}});
  CHECK(s["opening_cash"] == "500000.00");
  CHECK(s["sources"] ==
        json{{"contributions", "250000.00"},
             {"income", kinds({{"interest", "1200.00"}, {"investment", "0.00"}, {"other", "0.00"}}, "1200.00")},
             {"total", "251200.00"},
             {"by_donor",
              {{"NOR", {{"name", "Norway"}, {"contributions", 1}, {"usd", "250000.00"},
                        {"by_currency", {{"NOK", "2000000.00"}}}}}}}});
  CHECK(s["uses"] ==
        json{{"disbursed", "210000.00"},
             {"refunded", "0.00"},
             {"transfers", "210000.00"},
             {"costs", kinds({{"admin_fee", "2500.00"}, {"bank_charge", "45.50"}, {"direct_cost", "8000.00"},
                              {"other", "0.00"}},
                             "10545.50")},
             {"total", "220545.50"},
             {"by_call", {{"c-2015", "210000.00"}}},
             {"by_programme", {{"spp", "210000.00"}}},
             {"by_region",
              {{"AFR", "150000.00"}, {"APG", "0.00"}, {"EEG", "0.00"}, {"GRULAC", "60000.00"}, {"WEOG", "0.00"}}}});
  CHECK(s["closing_cash"] == "530654.50");
  CHECK(s["commitments"] == json{{"approved", "450000.00"},
                                 {"released", "0.00"},
                                 {"refunded", "0.00"},
                                 {"total", "450000.00"},
                                 {"undisbursed_at_end", "240000.00"}});
  CHECK(s["unallocated_at_end"] == "290654.50");
  CHECK(s["pledges"] == json{{"by_donor", json::object()}});
  const char* months[] = {"500000.00", "747500.00", "747500.00", "747500.00", "747500.00", "748700.00",
                          "740654.50", "530654.50", "530654.50", "530654.50", "530654.50", "530654.50"};
  REQUIRE(s["cash_by_month"].size() == 12);
  for (std::size_t m = 0; m < 12; ++m) CHECK(s["cash_by_month"][m]["cash"] == months[m]);
}

}  // namespace
}  // namespace fundledger
