#pragma once
// What the files of the fund's rules share (rules.cc, rules_money.cc):
// refusals that name their code and field and say in a fund manager's
// words what is wrong with the figures involved.

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/data_view.h"
#include "domain/money.h"
#include "util/status.h"

namespace fundledger::rule_text {

inline Status refuse(Code code, std::string message, std::string_view field) {
  return Status::error(code, std::move(message), "data." + std::string(field));
}

inline std::string usd(std::int64_t cents) { return format_money(cents, kUsdMinorUnits, "USD"); }

inline std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

inline Status unknown(Code code, std::string_view what, std::string_view id, std::string_view field) {
  return refuse(code, "there is no " + std::string(what) + " " + in_quotes(id), field);
}

inline Status duplicate(std::string_view what, std::string_view id, std::string_view field) {
  return refuse(Code::kDuplicate, "there is already a " + std::string(what) + " " + in_quotes(id), field);
}

// An amount of the event, in minor units; refuses what is not one.
inline Result<std::int64_t> amount_of(const DataView& d, std::string_view field, int minor_units) {
  Result<std::int64_t> a = parse_amount(d.get(field), minor_units);
  if (!a) return a.status().under("data." + std::string(field));
  return a;
}

// Adds to a total that bounds the others, refusing what it cannot count.
inline Status fits(std::int64_t total, std::int64_t amount, std::string_view what, std::string_view field) {
  if (checked_add(total, amount)) return Status::ok();
  return refuse(Code::kAmountOverflow, "the fund's " + std::string(what) + " would exceed what the ledger can count",
                field);
}

// An event dated before the event it rests on: it would stand in a view as
// of a day without what it rests on (SPEC 2's business dates).
inline Status not_before(const DataView& d, std::string_view field, std::string_view earlier, const std::string& what) {
  if (d.get(field) >= earlier) return Status::ok();
  return refuse(Code::kInvalidDates,
                std::string(field) + " " + std::string(d.get(field)) + " is before " + what + " on " +
                    std::string(earlier),
                field);
}


}  // namespace fundledger::rule_text
