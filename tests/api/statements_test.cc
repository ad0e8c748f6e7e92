// Reporting periods over HTTPS: a Board member asks for the 2015 statement
// and the fund of 31 December 2015; both come signed, the statement as a
// CSV too, and a period or a day that is not one is refused by name.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/audited_view.h"
#include "ledger/view_as_of.h"
#include "tests/api/served.h"
#include "tests/statement_story.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
using test::check_error;
using test::Served;
using test::ServedOptions;
namespace http = boost::beast::http;

Served story_served() {
  ServedOptions options;
  options.events = fundledger::test::story::fund_to_2016() + fundledger::test::story::kLate + "\n";
  return Served(options);
}

TEST_CASE("the statement of a period and the fund of a day come signed", "[server][statement]") {
  Served s = story_served();
  Client c(s.port());
  const NoteVerifier verifier = *NoteVerifier::parse(s.signer.verifier_key());

  Reply r = c.send(http::verb::get, "/v1/statements?period=2015&recorded_after=22", s.board);
  REQUIRE(r.status == 200);
  CHECK(check_audited_view(r.body, verifier).to_string() == "ok");
  const Result<nlohmann::json> direct =
      statement_as_of(*s.ledger.store->reader(), *named_period("2015"), std::nullopt, 22);
  REQUIRE(direct.is_ok());
  CHECK(r.body["view"] == (*direct)["view"]);
  CHECK(r.body["as_of"]["tree_size"] == 23);
  CHECK(r.body["view"]["closing_cash"] == "1055000.00");
  CHECK(r.body["view"]["recorded_after"]["events"][0]["id"] == "c-nor-2");
  // As the Board saw it at event 22, by days.
  r = c.send(http::verb::get, "/v1/statements?from=2015-01-01&to=2015-12-31&as_of=22", s.board);
  REQUIRE(r.status == 200);
  CHECK(r.body["view"]["period"]["name"] == "2015");
  CHECK(r.body["view"]["closing_cash"] == "825000.00");
  CHECK(r.body["as_of"]["tree_size"] == 22);

  r = c.send(http::verb::get, "/v1/fund?as_of_date=2015-12-31", s.board);
  REQUIRE(r.status == 200);
  CHECK(check_audited_view(r.body, verifier).to_string() == "ok");
  CHECK(r.body["as_of"]["date"] == "2015-12-31");
  CHECK(r.body["view"]["cash"] == "1055000.00");
  r = c.send(http::verb::get, "/v1/fund?as_of_date=2015-12-31&as_of=22", s.board);
  CHECK(r.body["view"]["cash"] == "825000.00");
  r = c.send(http::verb::get, "/v1/donors/NOR?as_of_date=2014-12-31", s.board);
  REQUIRE(r.status == 200);
  CHECK(r.body["view"]["received_usd"] == "800000.00");

  check_error(c.send(http::verb::get, "/v1/fund?as_of_date=2015-02-29", s.board), 400, "invalid_date");
  r = c.send(http::verb::get, "/v1/fund?as_of_date=31/12/2015", s.board);
  CHECK(r.body["error"]["field"] == "as_of_date");
  check_error(c.send(http::verb::get, "/v1/statements?from=2015-01-01", s.board), 400, "invalid_period");
  check_error(c.send(http::verb::get, "/v1/statements?from=2015-02-01&to=2015-01-01", s.board), 400,
              "invalid_period");
  check_error(c.send(http::verb::get, "/v1/statements?period=2015&as_of=24", s.board), 400, "invalid_as_of");
  check_error(c.send(http::verb::get, "/v1/statements?period=2015", ""), 401, "unauthorized");
}

TEST_CASE("the statement as CSV, a line per figure", "[server][statement]") {
  Served s = story_served();
  Client c(s.port());
  const Reply r = c.send(http::verb::get, "/v1/exports/statement.csv?period=2014", s.auditor);
  REQUIRE(r.status == 200);
  CHECK(r.content_type == "text/csv; charset=utf-8; header=present");
  CHECK(r.headers.at("content-disposition") == "attachment; filename=\"statement-2014-23.csv\"");
  std::string months;
  const char* cash[] = {"0.00",       "0.00",       "800000.00",  "1300000.00", "1300000.00", "1300000.00",
                        "1300000.00", "1300000.00", "1300000.00", "1100000.00", "1100000.00", "1100000.00"};
  for (int m = 1; m <= 12; ++m) {
    months += "cash_at_month_end,2014-" + std::string(m < 10 ? "0" : "") + std::to_string(m) + ",USD," +
              cash[m - 1] + "\r\n";
  }
  CHECK(r.text ==
        "line,id,currency,amount\r\n"
        "period_from,,,2014-01-01\r\n"
        "period_to,,,2014-12-31\r\n"
        "opening_cash,,USD,0.00\r\n"
        "source_usd,CHN,USD,500000.00\r\n"
        "source,CHN,USD,500000.00\r\n"
        "source_usd,NOR,USD,800000.00\r\n"
        "source,NOR,NOK,5000000.00\r\n"
        "source_income,interest,USD,0.00\r\n"
        "source_income,investment,USD,0.00\r\n"
        "source_income,other,USD,0.00\r\n"
        "sources_total,,USD,1300000.00\r\n"
        "use_by_call,c-2014,USD,200000.00\r\n"
        "use_by_programme,spp,USD,200000.00\r\n"
        "use_by_region,AFR,USD,200000.00\r\n"
        "use_by_region,APG,USD,0.00\r\n"
        "use_by_region,EEG,USD,0.00\r\n"
        "use_by_region,GRULAC,USD,0.00\r\n"
        "use_by_region,WEOG,USD,0.00\r\n"
        "uses_disbursed,,USD,200000.00\r\n"
        "uses_refunded,,USD,0.00\r\n"
        "uses_transfers,,USD,200000.00\r\n"
        "use_cost,admin_fee,USD,0.00\r\n"
        "use_cost,bank_charge,USD,0.00\r\n"
        "use_cost,direct_cost,USD,0.00\r\n"
        "use_cost,other,USD,0.00\r\n"
        "uses_total,,USD,200000.00\r\n"
        "closing_cash,,USD,1100000.00\r\n" +
            months +
            "commitments_approved,,USD,650000.00\r\n"
            "commitments_released,,USD,0.00\r\n"
            "commitments_refunded,,USD,0.00\r\n"
            "commitments_total,,USD,650000.00\r\n"
            "commitments_undisbursed_at_end,,USD,450000.00\r\n"
            "unallocated_at_end,,USD,650000.00\r\n"
            "pledges_made,CHN,USD,1000000.00\r\n"
            "pledges_written_off,CHN,USD,0.00\r\n"
            "pledges_outstanding_at_end,CHN,USD,500000.00\r\n"
            "pledges_made,NOR,NOK,10000000.00\r\n"
            "pledges_written_off,NOR,NOK,0.00\r\n"
            "pledges_outstanding_at_end,NOR,NOK,5000000.00\r\n");
  check_error(c.send(http::verb::get, "/v1/exports/statement.csv", s.auditor), 400, "invalid_period");
}

}  // namespace
}  // namespace fundledger::api
