// The public's views: off unless the fund turns them on; when on, answered
// without a token, with no actor's name and no free-text reason in any of
// them, cacheable by any HTTP cache, and limited per client address.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/exports.h"
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

ServedOptions story(std::string_view open) {
  ServedOptions options;
  options.events = fundledger::test::story::fund_to_2016() + fundledger::test::story::kLate + "\n";
  options.public_views = *parse_public_views(open);
  return options;
}

TEST_CASE("without --public nothing answers without a token", "[server][public]") {
  Served s(story(""));
  Client c(s.port());
  check_error(c.send(http::verb::get, "/v1/fund"), 401, "unauthorized");
  check_error(c.send(http::verb::get, "/v1/statements?period=2015"), 401, "unauthorized");
  const Reply open = c.send(http::verb::get, "/v1/public");
  CHECK(open.status == 200);
  CHECK(open.body == nlohmann::json{{"public", nlohmann::json::array()}});
  CHECK(parse_public_views("fund, dungeon").status().to_string() ==
        "usage: \"dungeon\" cannot be public; the views that can are fund, regions, programmes, calls, statements "
        "and exports (public)");
}

TEST_CASE("public views answer anyone, without actors or reasons, cacheable", "[server][public]") {
  ServedOptions options = story("statements,fund,regions,programmes,calls,exports");
  options.public_limits = {.per_second = 100, .burst = 1000};
  Served s(options);
  Client c(s.port());
  const Reply open = c.send(http::verb::get, "/v1/public");
  CHECK(open.body["public"] ==
        nlohmann::json{"fund", "regions", "programmes", "calls", "statements", "exports"});

  std::vector<std::string> targets = {"/v1/fund", "/v1/regions", "/v1/programmes", "/v1/calls", "/v1/calls/c-2014",
                                      "/v1/statements?period=2015&recorded_after=5",
                                      "/v1/fund?as_of_date=2015-12-31", "/v1/exports/statement.csv?period=2015",
                                      "/v1/exports/iati-activities.xml", "/v1/exports/iati-organisation.xml"};
  for (const CsvKind& kind : csv_kinds()) {
    if (std::string(kind.file) != "access.csv") targets.push_back(std::string("/v1/exports/") + kind.file);
  }
  for (const std::string& target : targets) {
    INFO(target);
    const Reply r = c.send(http::verb::get, target);
    REQUIRE(r.status == 200);
    CHECK(r.cache_control == "public, max-age=60");
    REQUIRE(r.etag.size() == 34);
    // No actor and no reason: the story's actor is manager:alice, its
    // write-off's reason a sentence of its own.
    CHECK(r.text.find("manager:") == std::string::npos);
    CHECK(r.text.find("alice") == std::string::npos);
    CHECK(r.text.find("Parliament cut the appropriation") == std::string::npos);
    // A cache asking again gets 304 without the body.
    const Reply again = c.send(http::verb::get, target, "", "", r.etag);
    CHECK(again.status == 304);
    CHECK(again.text.empty());
  }
  // The Board's token reads the same records whole.
  const Reply whole = c.send(http::verb::get, "/v1/exports/write_offs.csv", s.board);
  CHECK(whole.text.find("Parliament cut the appropriation") != std::string::npos);
  CHECK(whole.text.find("manager:alice") != std::string::npos);
  CHECK(whole.cache_control == "no-store");

  // A view of a seq never changes.
  CHECK(c.send(http::verb::get, "/v1/fund?as_of=10").cache_control == "public, max-age=31536000, immutable");
  // What is not public still needs a token; who may use the API is never public.
  for (const char* closed : {"/v1/donors", "/v1/donors/NOR", "/v1/proposals/p1", "/v1/events", "/v1/events/2",
                             "/v1/reference", "/metrics", "/v1/me"}) {
    INFO(closed);
    check_error(c.send(http::verb::get, closed), 401, "unauthorized");
  }
  check_error(c.send(http::verb::get, "/v1/exports/access.csv"), 404, "not_found");
  check_error(c.send(http::verb::post, "/v1/events", "", "{}"), 401, "unauthorized");
}

TEST_CASE("the public is limited per address with 429 and Retry-After, tokens are not", "[server][public]") {
  ServedOptions options = story("fund");
  options.public_limits = {.per_second = 0.001, .burst = 3};
  Served s(options);
  Client c(s.port());
  for (int i = 0; i < 3; ++i) CHECK(c.send(http::verb::get, "/v1/fund").status == 200);
  const Reply refused = c.send(http::verb::get, "/v1/fund");
  check_error(refused, 429, "rate_limited");
  CHECK(refused.headers.at("retry-after") == "1000");
  CHECK(refused.body["error"]["message"] ==
        "too many requests without a token from this address; try again in 1000 seconds");
  CHECK(c.send(http::verb::get, "/v1/fund", s.board).status == 200);
}

}  // namespace
}  // namespace fundledger::api
