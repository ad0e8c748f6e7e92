#include "domain/money.h"

#include "util/check.h"

namespace fundledger {
namespace {

Status invalid(std::string_view text, const std::string& why) {
  return Status::error(Code::kInvalidAmount,
                       "\"" + std::string(text.substr(0, 64)) + "\" is not a valid amount: " + why);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

}  // namespace

Result<std::int64_t> parse_amount(std::string_view text, int minor_units) {
  FL_CHECK(minor_units >= 0 && minor_units <= kMinorUnitsMax);
  if (text.empty()) return invalid(text, "it is empty");
  if (text[0] == '-' || text[0] == '+') {
    return invalid(text, "amounts have no sign; they are greater than zero");
  }
  const std::size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  for (std::string_view part : {whole, fraction}) {
    for (char c : part) {
      if (c == 'e' || c == 'E') return invalid(text, "exponents are not allowed");
      if (!is_digit(c)) {
        return invalid(text, "only digits and one decimal point are allowed");
      }
    }
  }
  if (whole.empty()) return invalid(text, "it needs a digit before the decimal point");
  if (dot != std::string_view::npos && fraction.empty()) {
    return invalid(text, "it needs a digit after the decimal point");
  }
  if (whole.size() > 1 && whole[0] == '0') return invalid(text, "leading zeros are not allowed");
  if (fraction.size() > static_cast<std::size_t>(minor_units)) {
    return invalid(text, "at most " + std::to_string(minor_units) +
                             " decimal places are allowed for this currency");
  }
  // 10^12 has 13 digits; anything longer is over the limit, and the check
  // also keeps the arithmetic below far from overflow.
  if (whole.size() > 13) return invalid(text, "the largest amount is 10^12");
  std::int64_t major = 0;
  for (char c : whole) major = major * 10 + (c - '0');
  std::int64_t minor = 0;
  for (char c : fraction) minor = minor * 10 + (c - '0');
  minor *= pow10(minor_units - static_cast<int>(fraction.size()));
  if (major > kAmountMajorMax || (major == kAmountMajorMax && minor > 0)) {
    return invalid(text, "the largest amount is 10^12");
  }
  const std::int64_t total = major * pow10(minor_units) + minor;
  if (total == 0) return invalid(text, "amounts must be greater than zero");
  return total;
}

std::string format_amount(std::int64_t minor, int minor_units) {
  FL_CHECK(minor_units >= 0 && minor_units <= kMinorUnitsMax);
  // Work in unsigned so that the most negative value has a magnitude.
  const bool negative = minor < 0;
  const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(minor)
                                           : static_cast<std::uint64_t>(minor);
  const auto scale = static_cast<std::uint64_t>(pow10(minor_units));
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (minor_units > 0) {
    std::string frac = std::to_string(magnitude % scale);
    out += '.';
    out.append(static_cast<std::size_t>(minor_units) - frac.size(), '0');
    out += frac;
  }
  return out;
}

std::string format_money(std::int64_t minor, int minor_units,
                         std::string_view currency) {
  const std::string plain = format_amount(minor, minor_units);
  const std::size_t sign = plain[0] == '-' ? 1 : 0;
  const std::size_t dot = plain.find('.');
  const std::size_t whole_end = dot == std::string::npos ? plain.size() : dot;
  std::string out = plain.substr(0, sign);
  for (std::size_t i = sign; i < whole_end; ++i) {
    if (i != sign && (whole_end - i) % 3 == 0) out += ',';
    out += plain[i];
  }
  out += plain.substr(whole_end);
  out += ' ';
  out += currency;
  return out;
}

std::optional<std::int64_t> checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_add_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::optional<std::int64_t> checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) return std::nullopt;
  return r;
}

std::int64_t fee_of(std::int64_t minor, std::int64_t bps) {
  return static_cast<std::int64_t>((static_cast<__int128>(minor) * bps + 5000) / 10000);
}

}  // namespace fundledger
