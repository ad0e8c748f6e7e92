// A donor's token against every route: Norway reads the fund's views,
// statements and its own records with their proofs; another donor's
// records answer 404, exactly as records that do not exist, so that ids
// cannot be probed; writes and the Secretariat's reads answer 403.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "api/router.h"
#include "tests/api/served.h"
#include "tests/statement_story.h"

namespace fundledger::api {
namespace {

using fundledger::test::Client;
using fundledger::test::Reply;
using test::Served;
using test::ServedOptions;
namespace http = boost::beast::http;

// What Norway's token gets: for each route, the targets asked and their
// statuses. Events of the story: 2 Norway registered, 4 its pledge, 5
// China's, 6 Norway's first gift, 9 the call, 21 Norway's write-off
// (which names its pledge alone), 23 its late gift.
struct Ask {
  std::string target;
  int status;
};
const std::map<std::string, std::vector<Ask>> kDonorAnswers = {
    {"GET /", {{"/", 200}}},
    {"GET /dashboard.js", {{"/dashboard.js", 200}}},
    {"GET /dashboard.css", {{"/dashboard.css", 200}}},
    {"GET /healthz", {{"/healthz", 200}}},
    {"GET /openapi.json", {{"/openapi.json", 200}}},
    {"GET /metrics", {{"/metrics", 403}}},
    {"GET /v1/public", {{"/v1/public", 200}}},
    {"GET /v1/me", {{"/v1/me", 200}}},
    {"POST /v1/events", {{"/v1/events", 403}, {"/v1/events?dry_run=true", 403}}},
    {"GET /v1/events", {{"/v1/events", 403}}},
    {"GET /v1/events/{seq}",
     {{"/v1/events/2", 200}, {"/v1/events/4", 200}, {"/v1/events/6", 200}, {"/v1/events/21", 200},
      {"/v1/events/23", 200}, {"/v1/events/5", 404}, {"/v1/events/9", 404}, {"/v1/events/99", 404}}},
    {"GET /v1/events/{seq}/receipt",
     {{"/v1/events/4/receipt", 200}, {"/v1/events/23/receipt", 200}, {"/v1/events/5/receipt", 404},
      {"/v1/events/99/receipt", 404}}},
    {"POST /v1/imports", {{"/v1/imports", 403}}},
    {"GET /v1/reference", {{"/v1/reference", 403}}},
    {"GET /v1/fund", {{"/v1/fund", 200}, {"/v1/fund?as_of_date=2015-12-31", 200}}},
    {"GET /v1/donors", {{"/v1/donors", 403}}},
    {"GET /v1/donors/{id}", {{"/v1/donors/NOR", 200}, {"/v1/donors/CHN", 404}, {"/v1/donors/NOBODY", 404}}},
    {"GET /v1/calls", {{"/v1/calls", 200}}},
    {"GET /v1/calls/{id}", {{"/v1/calls/c-2014", 200}}},
    {"GET /v1/proposals/{id}", {{"/v1/proposals/p1", 403}}},
    {"GET /v1/programmes", {{"/v1/programmes", 200}}},
    {"GET /v1/regions", {{"/v1/regions", 200}}},
    {"GET /v1/decisions", {{"/v1/decisions", 403}}},
    {"GET /v1/decisions/{id}", {{"/v1/decisions/BD-2014-1", 403}}},
    {"GET /v1/board", {{"/v1/board", 403}}},
    {"GET /v1/statements", {{"/v1/statements?period=2015", 200}}},
    {"GET /v1/audit/checkpoint", {{"/v1/audit/checkpoint", 200}}},
    {"GET /v1/audit/key", {{"/v1/audit/key", 200}}},
    {"GET /v1/audit/inclusion",
     {{"/v1/audit/inclusion?seq=4", 200}, {"/v1/audit/inclusion?seq=5", 404}, {"/v1/audit/inclusion?seq=99", 404}}},
    {"GET /v1/audit/consistency", {{"/v1/audit/consistency?first=4&second=23", 200}}},
    {"GET /v1/exports/{file}",
     {{"/v1/exports/statement.csv?period=2015", 200}, {"/v1/exports/donors.csv", 403},
      {"/v1/exports/iati-activities.xml", 403}}},
    {"POST /v1/backups", {{"/v1/backups", 403}}},
};

TEST_CASE("a donor's token reads the fund and its own records, another donor's as none", "[server][roles]") {
  ServedOptions options;
  options.events = fundledger::test::story::fund_to_2016() + fundledger::test::story::kLate + "\n";
  options.donor = "NOR";
  Served s(options);
  Client c(s.port());
  for (const Route& route : routes()) {
    const std::string name = std::string(route.method) + " " + std::string(route.pattern);
    INFO(name);
    const auto asks = kDonorAnswers.find(name);
    REQUIRE(asks != kDonorAnswers.end());
    for (const Ask& ask : asks->second) {
      INFO(ask.target);
      const http::verb verb = route.method == "POST" ? http::verb::post : http::verb::get;
      const Reply r = c.send(verb, ask.target, s.donor, route.method == "POST" ? "{}" : "");
      CHECK(r.status == ask.status);
      if (ask.status == 403) CHECK(r.body["error"]["code"] == "forbidden");
      if (ask.status == 404) CHECK(r.body["error"]["code"] == "not_found");
    }
  }
  CHECK(kDonorAnswers.size() == routes().size());

  // Another donor's records read exactly as none.
  Reply other = c.send(http::verb::get, "/v1/donors/CHN", s.donor);
  Reply none = c.send(http::verb::get, "/v1/donors/CHX", s.donor);
  CHECK(other.text.size() == none.text.size());
  CHECK(other.body["error"]["message"] == "there is no donor \"CHN\"");
  CHECK(none.body["error"]["message"] == "there is no donor \"CHX\"");
  other = c.send(http::verb::get, "/v1/events/5", s.donor);
  none = c.send(http::verb::get, "/v1/events/99", s.donor);
  CHECK(other.body["error"]["message"] == "no event 5");
  CHECK(none.body["error"]["message"] == "no event 99");

  const Reply me = c.send(http::verb::get, "/v1/me", s.donor);
  CHECK(me.body == nlohmann::json{{"name", "dora"}, {"role", "donor"}, {"donor", "NOR"}});
  const Reply own = c.send(http::verb::get, "/v1/donors/NOR", s.donor);
  CHECK(own.body["view"]["received_usd"] == "1030000.00");
  // The Board still reads every donor.
  CHECK(c.send(http::verb::get, "/v1/donors/CHN", s.board).status == 200);
}

}  // namespace
}  // namespace fundledger::api
