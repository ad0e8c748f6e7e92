#pragma once
// RFC 8785 (JSON Canonicalization Scheme) for the JSON the ledger writes:
// objects, arrays, strings, integers, booleans and null. Events and views hold
// no floating-point numbers, so the serialisation is exact; a float reaching
// this code is a programming error and stops the program.

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fundledger {

// The largest integer RFC 8785 writes as plain digits (ECMAScript's safe
// integer range); larger ones would need its number formatting.
inline constexpr std::int64_t kCanonicalIntegerMax = (std::int64_t{1} << 53) - 1;

// The canonical bytes of `value`: members sorted by the UTF-16 code units of
// their keys, no whitespace, strings with the minimal escapes of RFC 8785
// section 3.2.2.2. Integers must lie within +-(2^53 - 1), the range RFC 8785
// writes as plain digits; strings must be valid UTF-8 (both checked).
std::string canonical_json(const nlohmann::json& value);
void append_canonical_json(std::string& out, const nlohmann::json& value);

// Appends `text` (valid UTF-8) as an RFC 8785 string literal, quotes included.
void append_canonical_string(std::string& out, std::string_view text);

// RFC 8785 key order: true when `a` sorts before `b` comparing their UTF-16
// code units. Both must be valid UTF-8.
bool utf16_key_less(std::string_view a, std::string_view b);

}  // namespace fundledger
