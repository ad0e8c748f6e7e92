// Money (SPEC 1.3): every way an amount can be wrong, and normalisation to
// the currency's minor units.

#include <catch2/catch.hpp>

#include "domain/money.h"

namespace fundledger {
namespace {

std::string refusal(std::string_view text, int minor_units) {
  const Result<std::int64_t> r = parse_amount(text, minor_units);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.status().code() == Code::kInvalidAmount);
  return r.status().message();
}

TEST_CASE("amounts are read in minor units", "[money]") {
  CHECK(*parse_amount("2500000.00", 2) == 250000000);
  CHECK(*parse_amount("2500000", 2) == 250000000);
  CHECK(*parse_amount("0.5", 2) == 50);
  CHECK(*parse_amount("0.01", 2) == 1);
  CHECK(*parse_amount("100", 0) == 100);
  CHECK(*parse_amount("1.234", 3) == 1234);
  CHECK(*parse_amount("0.0001", 4) == 1);
}

TEST_CASE("too many decimals for the currency are refused", "[money]") {
  CHECK(refusal("100.0", 0) ==
        "\"100.0\" is not a valid amount: at most 0 decimal places are allowed for this currency");
  CHECK(refusal("1.001", 2) ==
        "\"1.001\" is not a valid amount: at most 2 decimal places are allowed for this currency");
  CHECK(*parse_amount("1.00", 2) == 100);
}

TEST_CASE("zero, signs, exponents and stray characters are refused", "[money]") {
  CHECK(refusal("0", 2) == "\"0\" is not a valid amount: amounts must be greater than zero");
  CHECK(refusal("0.00", 2) == "\"0.00\" is not a valid amount: amounts must be greater than zero");
  CHECK(refusal("-1", 2) ==
        "\"-1\" is not a valid amount: amounts have no sign; they are greater than zero");
  CHECK(refusal("+1", 2) ==
        "\"+1\" is not a valid amount: amounts have no sign; they are greater than zero");
  CHECK(refusal("1e3", 2) == "\"1e3\" is not a valid amount: exponents are not allowed");
  CHECK(refusal("1E3", 2) == "\"1E3\" is not a valid amount: exponents are not allowed");
  CHECK(refusal("1,000.00", 2) ==
        "\"1,000.00\" is not a valid amount: only digits and one decimal point are allowed");
  CHECK(refusal(" 1", 2) ==
        "\" 1\" is not a valid amount: only digits and one decimal point are allowed");
  CHECK(refusal("1.2.3", 2) ==
        "\"1.2.3\" is not a valid amount: only digits and one decimal point are allowed");
  CHECK(refusal("", 2) == "\"\" is not a valid amount: it is empty");
  CHECK(refusal(".5", 2) == "\".5\" is not a valid amount: it needs a digit before the decimal point");
  CHECK(refusal("5.", 2) == "\"5.\" is not a valid amount: it needs a digit after the decimal point");
}

TEST_CASE("leading zeros are refused", "[money]") {
  CHECK(refusal("007", 2) == "\"007\" is not a valid amount: leading zeros are not allowed");
  CHECK(refusal("00.50", 2) == "\"00.50\" is not a valid amount: leading zeros are not allowed");
  CHECK(*parse_amount("0.50", 2) == 50);
}

TEST_CASE("the largest amount is 10^12 major units", "[money]") {
  CHECK(*parse_amount("1000000000000", 2) == 100000000000000);
  CHECK(*parse_amount("1000000000000.00", 2) == 100000000000000);
  CHECK(*parse_amount("1000000000000.0000", 4) == 10000000000000000);
  CHECK(refusal("1000000000001", 2) == "\"1000000000001\" is not a valid amount: the largest amount is 10^12");
  CHECK(refusal("1000000000000.01", 2) ==
        "\"1000000000000.01\" is not a valid amount: the largest amount is 10^12");
  CHECK(refusal("99999999999999999999999", 2) ==
        "\"99999999999999999999999\" is not a valid amount: the largest amount is 10^12");
}

TEST_CASE("amounts are written with exactly the minor-unit places", "[money]") {
  CHECK(format_amount(250000000, 2) == "2500000.00");
  CHECK(format_amount(50, 2) == "0.50");
  CHECK(format_amount(1, 2) == "0.01");
  CHECK(format_amount(100, 0) == "100");
  CHECK(format_amount(1234, 3) == "1.234");
  CHECK(format_amount(-150, 2) == "-1.50");
  CHECK(format_amount(INT64_MIN, 2) == "-92233720368547758.08");
}

TEST_CASE("money is formatted for people with thousands separators", "[money]") {
  CHECK(format_money(12000000, 2, "USD") == "120,000.00 USD");
  CHECK(format_money(8000000, 2, "USD") == "80,000.00 USD");
  CHECK(format_money(100, 0, "JPY") == "100 JPY");
  CHECK(format_money(123456789, 0, "JPY") == "123,456,789 JPY");
  CHECK(format_money(-100000, 2, "USD") == "-1,000.00 USD");
}

TEST_CASE("sums and differences are checked for overflow", "[money]") {
  CHECK(*checked_add(1, 2) == 3);
  CHECK_FALSE(checked_add(INT64_MAX, 1).has_value());
  CHECK(*checked_sub(1, 2) == -1);
  CHECK_FALSE(checked_sub(INT64_MIN, 1).has_value());
}

}  // namespace
}  // namespace fundledger
