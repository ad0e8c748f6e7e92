// The strict reader's check that a text is canonical (RFC 8785), and
// UTF-8.

#include "util/json.h"
#include "util/json_parser.h"

namespace fundledger {
namespace {

// Builds nothing; the parser runs in canonical mode. Collects the scalar
// members of the outermost object when asked to, reusing the strings of the
// vector it is given.
class CanonicalSink {
 public:
  static constexpr bool kCanonical = true;

  explicit CanonicalSink(std::vector<TopLevelScalar>* top) : top_(top) {}

  void begin_object() { ++depth_; }
  void begin_array() { ++depth_; }
  void end_container() { --depth_; }
  bool key(std::string_view k) {
    if (top_ != nullptr && depth_ == 1) key_ = k;
    return true;  // order, and so uniqueness, is checked by the parser
  }
  void string(std::string_view s) {
    if (!collecting()) return;
    TopLevelScalar& t = slot();
    t.is_integer = false;
    t.text.assign(s);
  }
  void integer(std::int64_t v) {
    if (!collecting()) return;
    TopLevelScalar& t = slot();
    t.is_integer = true;
    t.integer = v;
  }
  void boolean(bool) {}
  void null() {}
  // Drops the entries of the vector that this text did not fill.
  void finish() {
    if (top_ != nullptr) top_->resize(count_);
  }

 private:
  bool collecting() const { return top_ != nullptr && depth_ == 1; }
  TopLevelScalar& slot() {
    if (count_ == top_->size()) top_->emplace_back();
    TopLevelScalar& t = (*top_)[count_++];
    t.key.assign(key_);
    return t;
  }

  std::vector<TopLevelScalar>* top_;
  std::size_t count_ = 0;
  int depth_ = 0;
  std::string_view key_;  // valid until the member's value is read
};


}  // namespace

Status check_canonical(std::string_view text, const JsonLimits& limits,
                       std::vector<TopLevelScalar>* top) {
  CanonicalSink sink(top);
  json_parser::Parser<CanonicalSink> parser(text, limits, sink);
  const Status parsed = parser.parse();
  sink.finish();
  return parsed;
}

bool is_valid_utf8(std::string_view text) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p != end) {
    const std::size_t n = json_parser::utf8_sequence_length(p, end);
    if (n == 0) return false;
    p += n;
  }
  return true;
}

}  // namespace fundledger
