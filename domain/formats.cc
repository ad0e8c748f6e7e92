#include "domain/formats.h"

#include <algorithm>

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

std::string with_article(std::string_view noun) {
  const bool vowel = !noun.empty() && std::string_view("aeiou").find(noun.front()) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
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

std::optional<std::uint64_t> parse_seq(std::string_view s) {
  if (s.empty() || s.size() > 19 || s[0] == '0') return std::nullopt;
  std::uint64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (n > static_cast<std::uint64_t>(INT64_MAX)) return std::nullopt;
  return n;
}

}  // namespace fundledger
