#pragma once
// A small binary encoding for the projection's snapshots: varints, signed
// varints, and length-prefixed strings. Deterministic (the same value always
// gives the same bytes), so that verify can compare stored snapshots with a
// replay byte for byte.

#include <cstdint>
#include <string>
#include <string_view>

namespace fundledger {

class Encoder {
 public:
  explicit Encoder(std::string& out) : out_(out) {}
  Encoder& u64(std::uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>(v | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
    return *this;
  }
  // Zigzag, so that small negative numbers stay short.
  Encoder& i64(std::int64_t v) {
    return u64((static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63));
  }
  Encoder& str(std::string_view s) {
    u64(s.size());
    out_.append(s);
    return *this;
  }

 private:
  std::string& out_;
};

// Reads what an Encoder wrote. A read past the end or a malformed varint
// sets failed() and returns zeros and empty strings from then on.
class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  std::uint64_t u64() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return fail();
      const auto b = static_cast<unsigned char>(in_[pos_++]);
      v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return v;
    }
    return fail();
  }
  std::int64_t i64() {
    const std::uint64_t z = u64();
    return static_cast<std::int64_t>((z >> 1) ^ (0 - (z & 1)));
  }
  std::string str() {
    const std::uint64_t n = u64();
    if (failed_ || n > in_.size() - pos_) {
      fail();
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool failed() const { return failed_; }
  // True when everything was read, and nothing failed.
  bool done() const { return !failed_ && pos_ == in_.size(); }

 private:
  std::uint64_t fail() {
    failed_ = true;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace fundledger
