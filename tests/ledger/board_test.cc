// The Board's members (board.member.appointed, board.member.left): two
// seats for each regional group, each seat held by one member at a time,
// each refusal at its boundary; and the Board's view on a day.

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

// GRULAC's first two members, Mexico co-chairing until 2014-09-16.
void with_grulac(Fund& f) {
  f.append(lines({appointment("m-chl", "CHL", "GRULAC", "GRULAC-1", "2013-09-01", "2015-08-31"),
                  appointment("m-mex", "MEX", "GRULAC", "GRULAC-2", "2013-09-01", "2015-08-31",
                         {{"co_chair_to", "2014-09-16"}})}));
}

TEST_CASE("a seat is held by one member at a time: seat_taken", "[rules][board]") {
  Fund f;
  with_grulac(f);
  f.refuses(appointment("m-per", "PER", "GRULAC", "GRULAC-1", "2015-08-31", "2017-08-31"), "seat_taken", "data.seat",
            "seat \"GRULAC-1\" of GRULAC is held by member \"m-chl\" (CHL from 2013-09-01 to 2015-08-31)");
  f.refuses(appointment("m-per", "PER", "GRULAC", "GRULAC-1", "2012-09-01", "2013-09-01"), "seat_taken", "data.seat",
            "seat \"GRULAC-1\" of GRULAC is held by member \"m-chl\" (CHL from 2013-09-01 to 2015-08-31)");
  f.append(appointment("m-per", "PER", "GRULAC", "GRULAC-1", "2015-09-01", "2017-08-31"));
  f.append(appointment("m-ury", "URY", "GRULAC", "GRULAC-1", "2012-09-01", "2013-08-31"));
  // The same seat of another group is another seat.
  f.append(appointment("m-rou", "ROU", "EEG", "GRULAC-1", "2013-09-01", "2015-08-31"));
  f.refuses(appointment("m-chl", "COL", "GRULAC", "GRULAC-9", "2020-01-01", ""), "duplicate", "data.member",
            "there is already a member of the Board \"m-chl\"");
}

TEST_CASE("a regional group holds two seats on any day: region_full", "[rules][board]") {
  Fund f;
  with_grulac(f);
  // Mexico leaves: from 2015-06-30 it no longer sits.
  f.append(departure("m-mex", "2015-06-30"));
  f.refuses(appointment("m-col", "COL", "GRULAC", "GRULAC-3", "2015-06-29", ""), "region_full", "data.region",
            "GRULAC's two seats are held on 2015-06-29: \"GRULAC-1\" by CHL and \"GRULAC-2\" by MEX");
  // A term that ends on the day the first Board's begins.
  f.refuses(appointment("m-col", "COL", "GRULAC", "GRULAC-3", "2012-01-01", "2013-09-01"), "region_full", "data.region",
            "GRULAC's two seats are held on 2013-09-01: \"GRULAC-1\" by CHL and \"GRULAC-2\" by MEX");
  f.append(appointment("m-col", "COL", "GRULAC", "GRULAC-3", "2015-06-30", ""));
  f.append(appointment("m-ecu", "ECU", "GRULAC", "GRULAC-4", "2012-01-01", "2013-08-31"));
  // Peru takes Chile's seat when its term ends; a fourth seat never fits
  // beside Colombia's open term and Peru's.
  f.append(appointment("m-per", "PER", "GRULAC", "GRULAC-1", "2015-09-01", "2017-08-31"));
  f.refuses(appointment("m-bra", "BRA", "GRULAC", "GRULAC-2", "2017-08-31", ""), "region_full", "data.region",
            "GRULAC's two seats are held on 2017-08-31: \"GRULAC-3\" by COL and \"GRULAC-1\" by PER");
  f.append(appointment("m-bra", "BRA", "GRULAC", "GRULAC-2", "2017-09-01", ""));
}

TEST_CASE("a member leaves once, within its term: unknown_member, invalid_dates, duplicate", "[rules][board]") {
  Fund f;
  with_grulac(f);
  f.refuses(departure("m-per", "2014-01-01"), "unknown_member", "data.member", "there is no member of the Board \"m-per\"");
  f.refuses(departure("m-chl", "2013-08-31"), "invalid_dates", "data.left_on",
            "left_on 2013-08-31 is before member \"m-chl\"'s term began on 2013-09-01");
  f.refuses(departure("m-chl", "2015-09-01"), "invalid_dates", "data.left_on",
            "left_on 2015-09-01 is after member \"m-chl\"'s term ended on 2015-08-31");
  f.append(departure("m-chl", "2015-08-31"));
  f.refuses(departure("m-chl", "2015-01-01"), "duplicate", "data.member", "member \"m-chl\" already left on 2015-08-31");
  CHECK(f.fund_view()["counts"]["board_appointments"] == 2);
  CHECK(f.fund_view()["counts"]["board_departures"] == 1);
}

TEST_CASE("the Board's view: every member by group, or those who sit on a day with its co-chairs",
          "[views][board]") {
  Fund f;
  with_grulac(f);
  f.append(lines({appointment("m-fin", "FIN", "WEOG", "WEOG-2", "2013-09-01", "2015-08-31", {{"shared_with", "DEU"}}),
                  departure("m-mex", "2015-01-01")}));
  const auto board_on = [&](const std::string& day) {
    json out;
    REQUIRE(f.writer
                ->read_state([&](const FundState& state, const Head&) {
                  out = *render_view(state, ViewKind::kBoard, "", ViewDetail::kFull, day);
                })
                .is_ok());
    return out;
  };
  const json chl = json::parse(R"({"member":"m-chl","country":"CHL","seat":"GRULAC-1","from":"2013-09-01",
    "to":"2015-08-31","seq":1})");
  const json mex = json::parse(R"({"member":"m-mex","country":"MEX","seat":"GRULAC-2","from":"2013-09-01",
    "to":"2015-08-31","co_chair_to":"2014-09-16","left_on":"2015-01-01","seq":2})");
  const json fin = json::parse(R"({"member":"m-fin","country":"FIN","seat":"WEOG-2","from":"2013-09-01",
    "to":"2015-08-31","shared_with":"DEU","seq":3})");
  const auto regions = [](json grulac, json weog) {
    const json none = {{"seats", 0}, {"members", json::array()}};
    json out = json::array();
    for (const char* r : {"AFR", "APG", "EEG", "GRULAC", "WEOG"}) {
      json group = std::string(r) == "GRULAC" ? grulac : std::string(r) == "WEOG" ? weog : none;
      group["region"] = r;
      out.push_back(group);
    }
    return out;
  };
  CHECK(board_on("2014-09-16") ==
        json({{"on", "2014-09-16"},
              {"co_chairs", {"m-mex"}},
              {"regions", regions({{"seats", 2}, {"members", {chl, mex}}}, {{"seats", 1}, {"members", {fin}}})}}));
  CHECK(board_on("2014-09-17")["co_chairs"] == json::array());
  CHECK(board_on("2015-01-01")["regions"][3] ==
        json({{"region", "GRULAC"}, {"seats", 1}, {"members", {chl}}}));
  CHECK(board_on("2015-09-01")["regions"] ==
        regions({{"seats", 0}, {"members", json::array()}}, {{"seats", 0}, {"members", json::array()}}));
  CHECK(f.view(ViewKind::kBoard, "") ==
        json({{"co_chairs", {"m-mex"}},
              {"regions", regions({{"seats", 2}, {"members", {chl, mex}}}, {{"seats", 1}, {"members", {fin}}})}}));
}

}  // namespace
}  // namespace fundledger
