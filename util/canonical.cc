#include "util/canonical.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "util/check.h"
#include "util/json.h"

namespace fundledger {
namespace {

// Decodes the code point that starts at s[i] (valid UTF-8 assumed).
std::uint32_t code_point_at(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char b0 = b(0);
  if (b0 < 0x80) return b0;
  if (b0 < 0xE0) return ((b0 & 0x1Fu) << 6) | (b(1) & 0x3Fu);
  if (b0 < 0xF0) return ((b0 & 0x0Fu) << 12) | ((b(1) & 0x3Fu) << 6) | (b(2) & 0x3Fu);
  return ((b0 & 0x07u) << 18) | ((b(1) & 0x3Fu) << 12) | ((b(2) & 0x3Fu) << 6) |
         (b(3) & 0x3Fu);
}

bool has_byte_at_least(std::string_view s, unsigned char floor) {
  return std::any_of(s.begin(), s.end(), [floor](char c) {
    return static_cast<unsigned char>(c) >= floor;
  });
}

}  // namespace

bool utf16_key_less(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  while (i < n && a[i] == b[i]) ++i;
  if (i == n) return a.size() < b.size();
  // Back up to the first byte of the code point that differs; both strings
  // share every byte before i, so it starts at the same place in both.
  while (i > 0 && (static_cast<unsigned char>(a[i]) & 0xC0) == 0x80) --i;
  const std::uint32_t ca = code_point_at(a, i);
  const std::uint32_t cb = code_point_at(b, i);
  // UTF-8 byte order is code point order. UTF-16 differs in one place: code
  // points above U+FFFF are written with surrogates (0xD800-0xDFFF), which
  // sort before the BMP characters U+E000-U+FFFF.
  const bool a_high = ca > 0xFFFF;
  const bool b_high = cb > 0xFFFF;
  if (a_high != b_high) {
    const std::uint32_t bmp = a_high ? cb : ca;
    if (bmp >= 0xE000) return a_high;
  }
  return ca < cb;
}

void append_canonical_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.substr(run));
  out += '"';
}

void append_canonical_json(std::string& out, const nlohmann::json& value) {
  using Type = nlohmann::json::value_t;
  switch (value.type()) {
    case Type::null: out += "null"; return;
    case Type::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Type::number_integer: {
      const auto v = value.get<std::int64_t>();
      FL_CHECK(v <= kCanonicalIntegerMax && v >= -kCanonicalIntegerMax);
      out += std::to_string(v);
      return;
    }
    case Type::number_unsigned: {
      const auto v = value.get<std::uint64_t>();
      FL_CHECK(v <= static_cast<std::uint64_t>(kCanonicalIntegerMax));
      out += std::to_string(v);
      return;
    }
    case Type::string: {
      const auto& s = value.get_ref<const std::string&>();
      FL_CHECK(is_valid_utf8(s));
      append_canonical_string(out, s);
      return;
    }
    case Type::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        append_canonical_json(out, item);
      }
      out += ']';
      return;
    }
    case Type::object: {
      // nlohmann keeps members in UTF-8 byte order, which is RFC 8785's
      // order unless a key holds a character at or above U+E000 (first byte
      // 0xEE or more); only then is a re-sort needed.
      std::vector<const nlohmann::json::object_t::value_type*> members;
      members.reserve(value.size());
      bool resort = false;
      for (const auto& member : value.get_ref<const nlohmann::json::object_t&>()) {
        FL_CHECK(is_valid_utf8(member.first));
        resort = resort || has_byte_at_least(member.first, 0xEE);
        members.push_back(&member);
      }
      if (resort) {
        std::sort(members.begin(), members.end(), [](auto* x, auto* y) {
          return utf16_key_less(x->first, y->first);
        });
      }
      out += '{';
      for (std::size_t i = 0; i < members.size(); ++i) {
        if (i != 0) out += ',';
        append_canonical_string(out, members[i]->first);
        out += ':';
        append_canonical_json(out, members[i]->second);
      }
      out += '}';
      return;
    }
    default:
      // Floating-point numbers, binary values and discarded values never
      // belong in an event or a view.
      FL_CHECK(false);
  }
}

std::string canonical_json(const nlohmann::json& value) {
  std::string out;
  append_canonical_json(out, value);
  return out;
}

}  // namespace fundledger
