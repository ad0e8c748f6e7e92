#include "util/timestamp.h"

#include <cstdio>

namespace fundledger {

int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

Millis to_millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch())
      .count();
}

std::string format_timestamp(Millis ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(ms)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()),
                static_cast<int>(hms.subseconds().count()));
  return buf;
}

std::optional<Millis> parse_timestamp(std::string_view s) {
  // 2026-11-23T10:15:30.123Z: fixed punctuation, digits everywhere else.
  static constexpr std::string_view kShape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (s.size() != kShape.size()) return std::nullopt;
  int digits[17];
  int n = 0;
  for (std::size_t i = 0; i < kShape.size(); ++i) {
    if (kShape[i] == 'd') {
      if (s[i] < '0' || s[i] > '9') return std::nullopt;
      digits[n++] = s[i] - '0';
    } else if (s[i] != kShape[i]) {
      return std::nullopt;
    }
  }
  int y = digits[0] * 1000 + digits[1] * 100 + digits[2] * 10 + digits[3];
  const int m = digits[4] * 10 + digits[5];
  const int d = digits[6] * 10 + digits[7];
  const int h = digits[8] * 10 + digits[9];
  const int mi = digits[10] * 10 + digits[11];
  const int sec = digits[12] * 10 + digits[13];
  const int milli = digits[14] * 100 + digits[15] * 10 + digits[16];
  if (y < kDateYearMin || y > kDateYearMax || m < 1 || m > 12 || d < 1 ||
      d > days_in_month(y, m) || h > 23 || mi > 59 || sec > 59) {
    return std::nullopt;
  }
  // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
  // days_from_civil): verify reads a timestamp per event.
  y -= m <= 2 ? 1 : 0;
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return ((days * 24 + h) * 60 + mi) * 60 * 1000 + sec * 1000 + milli;
}

}  // namespace fundledger
