#pragma once
// The strict JSON reader's parser (util/json.h), private to util/json.cc
// and util/json_doc.cc: one pass over the text, handing what it reads to a
// sink that builds a JsonDoc (DocSink) or only checks the text is
// canonical (CanonicalSink). Sink::kCanonical makes the parser refuse
// whatever RFC 8785 would not have written.

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/canonical.h"
#include "util/json.h"

namespace fundledger::json_parser {


inline bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Bytes that stand for themselves inside a string: printable ASCII but the
// quote and the backslash.
inline constexpr std::array<bool, 256> kPlain = [] {
  std::array<bool, 256> t{};
  for (int c = 0x20; c < 0x80; ++c) t[c] = c != '"' && c != '\\';
  return t;
}();

// The first byte at or after p that is not plain (end when there is none).
// Strings are most of an event's bytes, so this loop is the reader's hot
// spot: it looks at sixteen bytes at a time where SSE2 is there.
inline const char* skip_plain(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // Bytes below 0x20 or at 0x80 and above are, as signed bytes, below 0x20.
  const __m128i space = _mm_set1_epi8(0x20);
  while (end - p >= 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i special = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
        _mm_cmplt_epi8(chunk, space));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p != end && kPlain[static_cast<unsigned char>(*p)]) ++p;
  return p;
}

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the UTF-8 sequence at p (p < end), or 0 when it is not valid.
inline std::size_t utf8_sequence_length(const char* p, const char* end) {
  const auto b0 = static_cast<unsigned char>(p[0]);
  if (b0 < 0x80) return 1;
  std::size_t n;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    n = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    n = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    n = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) < n) return 0;
  const auto b1 = static_cast<unsigned char>(p[1]);
  if (b1 < lo || b1 > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    const auto b = static_cast<unsigned char>(p[k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return n;
}

inline void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// One step of the path to the value being read: a key or an array index.
struct PathStep {
  std::string_view key;  // valid while the member is read
  std::size_t index = 0;
  bool is_index = false;
};


template <typename Sink>
class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits, Sink& sink)
      : begin_(text.data()), p_(text.data()), end_(text.data() + text.size()),
        limits_(limits), sink_(sink) {
  }

  Status parse() {
    skip_ws();
    FL_RETURN_IF_ERROR(value(1));
    skip_ws();
    if (p_ != end_) return malformed("unexpected text after the value");
    return Status::ok();
  }

 private:
  static constexpr bool kCanonical = Sink::kCanonical;

  Status value(std::size_t depth) {
    if (p_ == end_) return malformed("unexpected end of text");
    switch (*p_) {
      case '{': return object(depth);
      case '[': return array(depth);
      case '"': {
        std::string_view s;
        FL_RETURN_IF_ERROR(string(s));
        sink_.string(s);
        return Status::ok();
      }
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }

  Status object(std::size_t depth) {
    if (depth > limits_.depth_max) return too_deep();
    ++p_;
    sink_.begin_object();
    skip_ws();
    path_.push({});
    // A key that held escapes lives in scratch_ until the next string is
    // read; it is copied into `owned` to outlive its value. `previous`
    // keeps the key before, for the canonical order check.
    std::string owned[2];
    int turn = 0;
    std::string_view previous;
    bool first = true;
    if (peek() == '}') {
      ++p_;
    } else {
      for (;;) {
        if (peek() != '"') return malformed("expected a string as object key");
        path_.back().key = {};  // an error inside the key is the object's
        std::string_view key;
        FL_RETURN_IF_ERROR(string(key));
        if (!in_text(key)) {
          owned[turn].assign(key);
          key = owned[turn];
          turn ^= 1;
        }
        path_.back().key = key;
        if constexpr (kCanonical) {
          if (!first && !utf16_key_less(previous, key)) {
            return fail(Code::kNotCanonical, "object keys are not in RFC 8785 order");
          }
        }
        first = false;
        if (!sink_.key(key)) {
          return fail(Code::kDuplicateKey, "the key \"" + std::string(key) + "\" appears twice");
        }
        skip_ws();
        if (peek() != ':') return malformed("expected ':' after an object key");
        ++p_;
        skip_ws();
        FL_RETURN_IF_ERROR(value(depth + 1));
        skip_ws();
        const char c = peek();
        if (c == '}') {
          ++p_;
          break;
        }
        if (c != ',') return malformed("expected ',' or '}' in an object");
        ++p_;
        skip_ws();
        previous = key;
      }
    }
    path_.pop();
    sink_.end_container();
    return Status::ok();
  }

  Status array(std::size_t depth) {
    if (depth > limits_.depth_max) return too_deep();
    ++p_;
    sink_.begin_array();
    skip_ws();
    path_.push({{}, 0, true});
    if (peek() == ']') {
      ++p_;
    } else {
      for (;;) {
        FL_RETURN_IF_ERROR(value(depth + 1));
        skip_ws();
        const char c = peek();
        if (c == ']') {
          ++p_;
          break;
        }
        if (c != ',') return malformed("expected ',' or ']' in an array");
        ++p_;
        ++path_.back().index;
        skip_ws();
      }
    }
    path_.pop();
    sink_.end_container();
    return Status::ok();
  }

  // Reads a string token. `out` views the text when the string held no
  // escapes, else scratch_, which the next string read overwrites.
  Status string(std::string_view& out) {
    ++p_;  // opening quote
    const char* start = p_;
    p_ = skip_plain(p_, end_);
    if (p_ != end_ && *p_ == '"') {  // the common case: nothing to unescape
      out = {start, static_cast<std::size_t>(p_ - start)};
      ++p_;
      if (out.size() > limits_.string_bytes_max) return string_too_long();
      return Status::ok();
    }
    scratch_.assign(start, p_);
    for (;;) {
      if (scratch_.size() > limits_.string_bytes_max) return string_too_long();
      if (p_ == end_) return malformed("unterminated string");
      const char c = *p_;
      if (c == '"') {
        ++p_;
        out = scratch_;
        return Status::ok();
      }
      if (c == '\\') {
        FL_RETURN_IF_ERROR(escape(scratch_));
      } else if (static_cast<unsigned char>(c) < 0x20) {
        return malformed("control character in a string must be escaped");
      } else if (static_cast<unsigned char>(c) < 0x80) {
        const char* run = p_;
        p_ = skip_plain(p_, end_);
        scratch_.append(run, p_);
      } else {
        const std::size_t n = utf8_sequence_length(p_, end_);
        if (n == 0) return fail(Code::kInvalidUtf8, "invalid UTF-8 in a string");
        scratch_.append(p_, n);
        p_ += n;
      }
    }
  }

  Status escape(std::string& out) {
    if (end_ - p_ < 2) return malformed("unterminated escape");
    const char e = p_[1];
    p_ += 2;
    switch (e) {
      case '"': out += '"'; return Status::ok();
      case '\\': out += '\\'; return Status::ok();
      case 'b': out += '\b'; return Status::ok();
      case 'f': out += '\f'; return Status::ok();
      case 'n': out += '\n'; return Status::ok();
      case 'r': out += '\r'; return Status::ok();
      case 't': out += '\t'; return Status::ok();
      case '/':
        if (kCanonical) return not_canonical_escape();
        out += '/';
        return Status::ok();
      case 'u': return unicode_escape(out);
      default: return malformed("unknown escape in a string");
    }
  }

  Status unicode_escape(std::string& out) {
    const char* digits = p_;
    std::uint32_t cp = 0;
    FL_RETURN_IF_ERROR(hex4(cp));
    if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return fail(Code::kInvalidUtf8, "a lone low surrogate escape in a string");
    }
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') {
        return fail(Code::kInvalidUtf8, "a high surrogate escape without its low half");
      }
      p_ += 2;
      std::uint32_t low = 0;
      FL_RETURN_IF_ERROR(hex4(low));
      if (low < 0xDC00 || low > 0xDFFF) {
        return fail(Code::kInvalidUtf8, "a high surrogate escape without its low half");
      }
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    if constexpr (kCanonical) {
      // RFC 8785 writes \u only for control characters without a short
      // escape, in lower-case hex.
      const bool short_form = cp == '\b' || cp == '\f' || cp == '\n' || cp == '\r' || cp == '\t';
      if (cp >= 0x20 || short_form) return not_canonical_escape();
      for (const char* d = digits; d < digits + 4; ++d) {
        if (*d >= 'A' && *d <= 'F') return not_canonical_escape();
      }
    }
    append_utf8(out, cp);
    return Status::ok();
  }

  Status hex4(std::uint32_t& cp) {
    if (end_ - p_ < 4) return malformed("truncated \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const int d = hex_digit(p_[i]);
      if (d < 0) return malformed("bad hex digit in a \\u escape");
      cp = cp * 16 + static_cast<std::uint32_t>(d);
    }
    p_ += 4;
    return Status::ok();
  }

  Status number() {
    const char* start = p_;
    const bool negative = peek() == '-';
    if (negative) ++p_;
    if (!is_digit(peek())) return malformed("unexpected character");
    if (peek() == '0' && is_digit(peek(1))) return malformed("a number has a leading zero");
    // Accumulate negatively so that INT64_MIN fits.
    std::int64_t v = 0;
    bool overflow = false;
    while (is_digit(peek())) {
      const int d = *p_ - '0';
      if (v < (std::numeric_limits<std::int64_t>::min() + d) / 10) overflow = true;
      if (!overflow) v = v * 10 - d;
      ++p_;
    }
    bool is_float = false;
    if (peek() == '.') {
      ++p_;
      if (!is_digit(peek())) return malformed("a number has no digits after '.'");
      while (is_digit(peek())) ++p_;
      is_float = true;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++p_;
      if (peek() == '+' || peek() == '-') ++p_;
      if (!is_digit(peek())) return malformed("a number has no digits in its exponent");
      while (is_digit(peek())) ++p_;
      is_float = true;
    }
    if (is_float) {
      p_ = start;
      return fail(Code::kFloatNotAllowed,
                  "floating-point numbers are not allowed; amounts are strings such as "
                  "\"2500000.00\"");
    }
    if (!negative) {
      if (v == std::numeric_limits<std::int64_t>::min()) overflow = true;
      v = -v;
    }
    if (overflow) {
      p_ = start;
      return fail(Code::kIntegerOutOfRange, "an integer is outside the 64-bit range");
    }
    if constexpr (kCanonical) {
      if (negative && v == 0) return fail(Code::kNotCanonical, "-0 is written 0");
      if (v > kCanonicalIntegerMax || v < -kCanonicalIntegerMax) {
        return fail(Code::kNotCanonical, "an integer is outside the range RFC 8785 writes as digits");
      }
    }
    sink_.integer(v);
    return Status::ok();
  }

  Status literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return malformed("unexpected character");
    }
    p_ += word.size();
    if (word == "null") {
      sink_.null();
    } else {
      sink_.boolean(word == "true");
    }
    return Status::ok();
  }

  void skip_ws() {
    if constexpr (kCanonical) return;  // whitespace is then an error where it stands
    while (p_ != end_ && is_ws(*p_)) ++p_;
  }
  char peek(std::size_t ahead = 0) const {
    return static_cast<std::size_t>(end_ - p_) > ahead ? p_[ahead] : '\0';
  }
  bool in_text(std::string_view s) const { return s.data() >= begin_ && s.data() <= end_; }

  Status too_deep() {
    return fail(Code::kTooDeep, "nesting deeper than " + std::to_string(limits_.depth_max) + " levels");
  }
  Status string_too_long() {
    return fail(Code::kStringTooLong,
                "a string is longer than " + std::to_string(limits_.string_bytes_max) + " bytes");
  }
  Status not_canonical_escape() {
    return fail(Code::kNotCanonical, "a string escape that RFC 8785 does not write");
  }
  Status malformed(const std::string& what) {
    if constexpr (kCanonical) {
      if (p_ != end_ && is_ws(*p_)) return fail(Code::kNotCanonical, "whitespace outside strings");
    }
    return fail(Code::kMalformedJson, what);
  }
  Status fail(Code code, const std::string& what) {
    return Status::error(code, what + " at byte " + std::to_string(p_ - begin_), path_string());
  }
  std::string path_string() const {
    std::string p;
    for (std::size_t i = 0; i < path_.size(); ++i) {
      const PathStep& step = path_[i];
      if (step.is_index) {
        p += "[" + std::to_string(step.index) + "]";
      } else if (!step.key.empty()) {
        if (!p.empty()) p += '.';
        p += step.key;
      }
    }
    return p;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const JsonLimits& limits_;
  Sink& sink_;
  // The path to the value being read: one step per open container. Kept
  // inline for the depths events have; deeper documents spill to the heap.
  class Path {
   public:
    void push(PathStep step) {
      if (size_ < inline_.size()) {
        inline_[size_] = step;
      } else {
        spill_.push_back(step);
      }
      ++size_;
    }
    void pop() {
      if (size_ > inline_.size()) spill_.pop_back();
      --size_;
    }
    PathStep& back() { return size_ > inline_.size() ? spill_.back() : inline_[size_ - 1]; }
    std::size_t size() const { return size_; }
    const PathStep& operator[](std::size_t i) const {
      return i < inline_.size() ? inline_[i] : spill_[i - inline_.size()];
    }

   private:
    std::array<PathStep, 8> inline_;
    std::vector<PathStep> spill_;
    std::size_t size_ = 0;
  };

  Path path_;
  std::string scratch_;
};


}  // namespace fundledger::json_parser
