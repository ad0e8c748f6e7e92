#pragma once
// The ledger's clock and calendar: milliseconds since the Unix epoch, the
// RFC 3339 timestamps events are recorded with, and the years a business
// date may carry.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fundledger {

// The earliest and latest years a business date may carry. Wider than any
// fund's life, narrow enough to catch "0214-06-27" and "20140-06-27".
inline constexpr int kDateYearMin = 1900;
inline constexpr int kDateYearMax = 2999;

// The days of `month` (1 to 12) of `year`, leap years counted.
int days_in_month(int year, int month);

// Milliseconds since the Unix epoch, UTC.
using Millis = std::int64_t;
Millis to_millis(std::chrono::system_clock::time_point t);
// RFC 3339 with milliseconds in UTC: "2026-11-23T10:15:30.123Z".
std::string format_timestamp(Millis ms);
// Parses exactly the form format_timestamp writes; nullopt otherwise.
std::optional<Millis> parse_timestamp(std::string_view s);

}  // namespace fundledger
