#include "ledger/formats.h"

#include <algorithm>
#include <cstdio>

namespace fundledger {
namespace {

bool is_alnum(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_id(std::string_view s, std::size_t length_max) {
  if (s.empty() || s.size() > length_max || !is_alnum(s[0])) return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
  });
}

// Reads `n` digits at s[pos]; -1 when any is not a digit.
int read_digits(std::string_view s, std::size_t pos, std::size_t n) {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

}  // namespace

bool is_event_id(std::string_view s) { return is_id(s, 128); }
bool is_business_id(std::string_view s) { return is_id(s, 64); }

bool is_business_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = read_digits(s, 0, 4);
  const int m = read_digits(s, 5, 2);
  const int d = read_digits(s, 8, 2);
  if (y < kDateYearMin || y > kDateYearMax || m < 1 || m > 12) return false;
  return d >= 1 && d <= days_in_month(y, m);
}

std::optional<std::size_t> region_index(std::string_view s) {
  const auto it = std::find(kRegions.begin(), kRegions.end(), s);
  if (it == kRegions.end()) return std::nullopt;
  return static_cast<std::size_t>(it - kRegions.begin());
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

bool is_actor(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view role = s.substr(0, colon);
  const std::string_view name = s.substr(colon + 1);
  if (std::find(kRoles.begin(), kRoles.end(), role) == kRoles.end()) return false;
  if (name.empty() || name.size() > 64 || !is_alnum(name[0])) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return is_alnum(c) || c == '.' || c == '_' || c == '@' || c == '-';
  });
}

}  // namespace fundledger
