// The fund's terms (terms.set): the countries proposals may come from and
// the administrative agent's fee on contributions, each from its day on,
// with each refusal at its boundary: the last day (or amount) that passes
// and the first refused.

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

// A contribution in US dollars from USA received on `on`, with the fee the
// client names, if any.
std::string gift(const std::string& id, const std::string& amount, const std::string& on, const std::string& fee = "") {
  json e = json::parse(contribution(id, "USA", "", amount, "USD", amount));
  e["data"]["received_on"] = on;
  if (!fee.empty()) e["data"]["admin_fee_usd"] = fee;
  return e.dump();
}

TEST_CASE("a proposal from a country the terms in force leave out is refused from their day: country_not_eligible",
          "[rules][terms]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "100000.00"), terms("2014-07-15", {{"eligible_countries", "UGA KEN"}})}));
  CHECK(f.fund_view()["terms"] ==
        json::parse(R"([{"effective_on":"2014-07-15","admin_fee_bps":"0","eligible_countries":["KEN","UGA"],"seq":8}])"));
  // The day before the terms, any country; from their day, those listed.
  f.append(proposal("A", "C1", "100.00", "AFR", "2014-07-14", "TZA"));
  f.refuses(proposal("B", "C1", "100.00", "AFR", "2014-07-15", "TZA"), "country_not_eligible", "data.country",
            "TZA is not among the countries the fund's terms from 2014-07-15 open it to");
  f.append(proposal("B", "C1", "100.00", "AFR", "2014-07-15", "UGA"));
  // Later terms of no list open the fund to every country again.
  f.append(terms("2014-08-01", json::object()));
  f.refuses(proposal("C", "C1", "100.00", "AFR", "2014-07-31", "TZA"), "country_not_eligible", "data.country",
            "TZA is not among the countries the fund's terms from 2014-07-15 open it to");
  f.append(proposal("C", "C1", "100.00", "AFR", "2014-08-01", "TZA"));
}

TEST_CASE("the terms' fee is taken from each contribution received from their day, rounded half up; a fee "
          "that is not theirs is refused: fee_mismatch",
          "[rules][terms]") {
  Fund f;
  f.with_cash();
  f.append(terms("2015-01-01", {{"admin_fee_bps", "100"}}));
  f.append(gift("c-before", "100000.00", "2014-12-31"));
  f.append(gift("c-first-day", "100000.00", "2015-01-01"));
  json fund = f.fund_view();
  CHECK(fund["received"] == "400000.00");
  CHECK(fund["costs"]["by_kind"]["admin_fee"] == "1000.00");
  CHECK(fund["costs"]["total"] == "1000.00");
  CHECK(fund["cash"] == "399000.00");
  CHECK(fund["unallocated"] == "399000.00");
  // The writer filled the fee in: the log says what was taken.
  CHECK(f.event_data(9) == json::parse(R"({"admin_fee_usd":"1000.00","amount":"100000.00","contribution":"c-first-day",
        "currency":"USD","donor":"USA","received_on":"2015-01-01","usd":"100000.00"})"));
  CHECK_FALSE(f.event_data(8).contains("admin_fee_usd"));
  // Half a cent rounds up; less than half a cent is no fee.
  f.append(gift("c-half", "0.50", "2015-02-01"));
  f.append(gift("c-less", "0.49", "2015-02-01"));
  CHECK(f.event_data(10)["admin_fee_usd"] == "0.01");
  CHECK_FALSE(f.event_data(11).contains("admin_fee_usd"));
  // A client may name the fee; it must be the terms' own.
  f.refuses(gift("c-named", "2000.00", "2015-03-01", "20.01"), "fee_mismatch", "data.admin_fee_usd",
            "the administrative agent's fee on 2,000.00 USD received on 2015-03-01 is 20.00 USD (the terms from "
            "2015-01-01 take 1.00%), not 20.01 USD");
  f.refuses(gift("c-named", "2000.00", "2015-03-01", "19.99"), "fee_mismatch", "data.admin_fee_usd",
            "the administrative agent's fee on 2,000.00 USD received on 2015-03-01 is 20.00 USD (the terms from "
            "2015-01-01 take 1.00%), not 19.99 USD");
  f.refuses(gift("c-early", "2000.00", "2014-12-31", "20.00"), "fee_mismatch", "data.admin_fee_usd",
            "the administrative agent's fee on 2,000.00 USD received on 2014-12-31 is 0.00 USD (no terms are set for "
            "2014-12-31), not 20.00 USD");
  f.append(gift("c-named", "2000.00", "2015-03-01", "20.00"));
  fund = f.fund_view();
  CHECK(fund["costs"]["by_kind"]["admin_fee"] == "1020.01");
  CHECK(fund["cash"] == "400980.98");
  // Taking the contribution back gives its fee back too.
  f.append(reversal("rev-9", 9));
  CHECK(f.event_data(13)["admin_fee_usd"] == "1000.00");
  fund = f.fund_view();
  CHECK(fund["costs"]["by_kind"]["admin_fee"] == "20.01");
  CHECK(fund["received"] == "302000.99");
  CHECK(fund["cash"] == "301980.98");
}

TEST_CASE("a fee of all of a contribution leaves nothing of it to allocate", "[rules][terms]") {
  Fund f;
  f.with_cash();
  f.append(terms("2015-01-01", {{"admin_fee_bps", "10000"}, {"eligible_countries", "UGA KEN"}}));
  f.append(terms("2016-01-01", {{"admin_fee_bps", "0"}}));
  CHECK(f.event_data(7)["eligible_countries"] == "KEN UGA");
  f.append(gift("c-all", "10.00", "2015-06-01"));
  CHECK(f.event_data(9)["admin_fee_usd"] == "10.00");
  CHECK(f.fund_view()["unallocated"] == "200000.00");
  f.append(gift("c-none", "10.00", "2016-01-01"));
  CHECK(f.fund_view()["unallocated"] == "200010.00");
}

}  // namespace
}  // namespace fundledger
