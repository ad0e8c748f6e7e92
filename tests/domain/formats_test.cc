// Field formats: ids, business dates, timestamps, regions, actors, and the
// ISO 4217 and ISO 3166-1 tables.

#include <span>
#include <string>

#include <catch2/catch.hpp>

#include "domain/formats.h"
#include "domain/iso_codes.h"

namespace fundledger {
namespace {

TEST_CASE("event ids and business ids", "[formats]") {
  CHECK(is_event_id("pledge-JPN-2014"));
  CHECK(is_event_id("a"));
  CHECK(is_event_id("A.b_c:d-9"));
  CHECK(is_event_id(std::string(128, 'x')));
  CHECK_FALSE(is_event_id(std::string(129, 'x')));
  CHECK_FALSE(is_event_id(""));
  CHECK_FALSE(is_event_id("-leading"));
  CHECK_FALSE(is_event_id(".leading"));
  CHECK_FALSE(is_event_id("has space"));
  CHECK_FALSE(is_event_id("slash/no"));
  CHECK_FALSE(is_event_id("caf\xC3\xA9"));
  CHECK(is_business_id(std::string(64, 'x')));
  CHECK_FALSE(is_business_id(std::string(65, 'x')));
}

TEST_CASE("business dates name days that exist", "[formats]") {
  CHECK(is_business_date("2014-06-27"));
  CHECK(is_business_date("2016-02-29"));   // leap year
  CHECK(is_business_date("2000-02-29"));   // divisible by 400
  CHECK_FALSE(is_business_date("2015-02-29"));
  CHECK_FALSE(is_business_date("2100-02-29"));  // divisible by 100, not 400
  CHECK_FALSE(is_business_date("2014-04-31"));
  CHECK_FALSE(is_business_date("2014-13-01"));
  CHECK_FALSE(is_business_date("2014-00-10"));
  CHECK_FALSE(is_business_date("2014-01-00"));
  CHECK_FALSE(is_business_date("2014-6-27"));
  CHECK_FALSE(is_business_date("2014-06-27T00:00:00Z"));
  CHECK_FALSE(is_business_date("0214-06-27"));
  CHECK(is_business_date("1900-01-01"));
  CHECK(is_business_date("2999-12-31"));
  CHECK_FALSE(is_business_date("1899-12-31"));
  CHECK_FALSE(is_business_date("3000-01-01"));
}

TEST_CASE("timestamps are RFC 3339 UTC with milliseconds", "[formats]") {
  CHECK(format_timestamp(1795428930123) == "2026-11-23T10:15:30.123Z");
  CHECK(format_timestamp(0) == "1970-01-01T00:00:00.000Z");
  CHECK(*parse_timestamp("2026-11-23T10:15:30.123Z") == 1795428930123);
  CHECK_FALSE(parse_timestamp("2026-11-23T10:15:30Z").has_value());
  CHECK_FALSE(parse_timestamp("2026-11-23T24:00:00.000Z").has_value());
  CHECK_FALSE(parse_timestamp("2026-11-23 10:15:30.123Z").has_value());
}

TEST_CASE("regions are the five UN regional groups", "[formats]") {
  CHECK(*region_index("AFR") == 0);
  CHECK(*region_index("WEOG") == 4);
  CHECK_FALSE(region_index("afr").has_value());
  CHECK_FALSE(region_index("EUR").has_value());
}

TEST_CASE("actors are ROLE:NAME", "[formats]") {
  CHECK(is_actor("manager:alice"));
  CHECK(is_actor("auditor:ext-audit@un.org"));
  CHECK_FALSE(is_actor("admin:alice"));
  CHECK_FALSE(is_actor("manager:"));
  CHECK_FALSE(is_actor("manager"));
  CHECK_FALSE(is_actor("manager:al ice"));
}

TEST_CASE("currencies carry their ISO 4217 minor units", "[formats]") {
  CHECK(*currency_minor_units("USD") == 2);
  CHECK(*currency_minor_units("JPY") == 0);
  CHECK(*currency_minor_units("KRW") == 0);
  CHECK(*currency_minor_units("KWD") == 3);
  CHECK(*currency_minor_units("BHD") == 3);
  CHECK(*currency_minor_units("CLF") == 4);
  CHECK(*currency_minor_units("EUR") == 2);
  CHECK(*currency_minor_units("HRK") == 2);  // withdrawn in 2023, kept for history
  CHECK_FALSE(currency_minor_units("XAU").has_value());  // gold has no minor unit
  CHECK_FALSE(currency_minor_units("usd").has_value());
  CHECK_FALSE(currency_minor_units("ZZZ").has_value());
  CHECK_FALSE(currency_minor_units("").has_value());
}

TEST_CASE("countries are ISO 3166-1 alpha-3", "[formats]") {
  CHECK(is_country_code("JPN"));
  CHECK(is_country_code("BRA"));
  CHECK(is_country_code("CIV"));
  CHECK(is_country_code("ZWE"));
  CHECK_FALSE(is_country_code("XKX"));  // user-assigned, not ISO
  CHECK_FALSE(is_country_code("JP"));
  CHECK_FALSE(is_country_code("jpn"));
}

// Every three capital letters: named exactly when the table knows the code.
template <typename Known>
void names_match(std::span<const IsoName> names, Known known) {
  std::size_t at = 0;
  for (char a = 'A'; a <= 'Z'; ++a) {
    for (char b = 'A'; b <= 'Z'; ++b) {
      for (char c = 'A'; c <= 'Z'; ++c) {
        const std::string code{a, b, c};
        const bool named = at < names.size() && names[at].code == code;
        INFO(code);
        CHECK(named == known(code));
        if (named) {
          CHECK_FALSE(names[at].name.empty());
          ++at;
        }
      }
    }
  }
  CHECK(at == names.size());
}

TEST_CASE("every currency and country has its English name, and only those", "[formats]") {
  names_match(currency_names(), [](const std::string& code) { return currency_minor_units(code).has_value(); });
  names_match(country_names(), [](const std::string& code) { return is_country_code(code); });
  CHECK(currency_names().size() == 179);
  CHECK(country_names().size() == 249);
  CHECK(currency_names()[0].code == "AED");
  CHECK(currency_names()[0].name == "UAE Dirham");
  CHECK(country_names()[0].name == "Aruba");
}

}  // namespace
}  // namespace fundledger
