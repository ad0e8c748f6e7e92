#pragma once
// Money as integer minor units (cents for USD, yen for JPY, fils for KWD).
// Amounts enter and leave as decimal strings (SPEC 1.3); nothing here ever
// touches floating point, and every sum is checked for overflow.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundledger {

// Minor units of US dollars, the fund's reporting currency.
inline constexpr int kUsdMinorUnits = 2;
// The most decimals any currency in the table has (CLF, UYW).
inline constexpr int kMinorUnitsMax = 4;
// The largest amount one event may carry, in major units (SPEC 1.3).
inline constexpr std::int64_t kAmountMajorMax = 1'000'000'000'000;

// Parses an amount written for a currency with `minor_units` decimals and
// returns it in minor units. Refuses (code `invalid_amount`, with a message
// that says why): an empty string, a sign, an exponent, any character but
// digits and one '.', leading zeros ("007", "00.5"), a '.' without digits on
// both sides, more decimals than `minor_units`, zero, and more than 10^12
// major units.
Result<std::int64_t> parse_amount(std::string_view text, int minor_units);

// Writes minor units with exactly `minor_units` decimals: 250000000 with 2
// gives "2500000.00", 100 with 0 gives "100". Negative values get a '-'.
std::string format_amount(std::int64_t minor, int minor_units);

// Formats for people: "2,500,000.00 USD". Used in refusal messages.
std::string format_money(std::int64_t minor, int minor_units,
                         std::string_view currency);

// A share of `minor` in basis points (hundredths of a percent, `bps` from
// 0 to 10000), rounded half up: the administrative agent's fee of 100 bps
// on 100,000.00 USD is 1,000.00 USD.
std::int64_t fee_of(std::int64_t minor, std::int64_t bps);

// Checked arithmetic: nullopt when the exact result does not fit.
std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b);
std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b);

}  // namespace fundledger
