#pragma once
// Lookup tables for the ISO codes the ledger accepts: ISO 4217 currency codes
// (with the number of decimals an amount in that currency may carry) and
// ISO 3166-1 alpha-3 country codes. Both lookups are exact and case-sensitive.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundledger {

// Minor units (number of decimal places) of an ISO 4217 alphabetic currency
// code, or std::nullopt when the code is not in the table. Case-sensitive:
// codes are upper case.
std::optional<int> currency_minor_units(std::string_view code);

// True when `code` is an ISO 3166-1 alpha-3 country code (officially
// assigned). Upper case only.
bool is_country_code(std::string_view code);

// A list of alpha-3 country codes separated by single spaces ("UGA KEN"),
// each once: the codes in their order ("KEN UGA"). Refusals, without a
// field: invalid_country (a code that is not one, or an empty place),
// invalid_value (a code twice).
Result<std::string> country_list(std::string_view s);

// The ISO 3166-1 alpha-2 code of an alpha-3 country code ("JPN" -> "JP"),
// or std::nullopt when `alpha3` is not a country code.
std::optional<std::string_view> country_alpha2(std::string_view alpha3);

// A code and its English name, for people choosing one (iso_names.cc).
struct IsoName {
  std::string_view code;
  std::string_view name;
};
// Every currency currency_minor_units() knows, and every country
// is_country_code() knows, sorted by code, with their names.
std::span<const IsoName> currency_names();
std::span<const IsoName> country_names();

}  // namespace fundledger
