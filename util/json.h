#pragma once
// A strict JSON reader. It accepts RFC 8259 text with more refusals than the
// RFC asks for, because the ledger must never guess what a client meant:
// duplicate keys, invalid UTF-8 (including lone surrogates written as \u
// escapes), floating-point numbers (any fraction or exponent), integers
// outside the signed 64-bit range, nesting deeper than the caller allows and
// strings longer than the caller allows are all refused, each with its own
// error code and the path of the value (`data.regions[2]`).
//
// Error codes: malformed_json, invalid_utf8, duplicate_key, float_not_allowed,
// integer_out_of_range, too_deep, string_too_long, not_canonical.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "util/status.h"

namespace fundledger {

struct JsonLimits {
  // Containers nested deeper than this are refused; the outermost is depth 1.
  std::size_t depth_max = 64;
  // Unescaped UTF-8 bytes per string, keys included.
  std::size_t string_bytes_max = 1024;
};

// A parsed JSON text, flattened: its values in document order in one
// vector, each container followed by its subtree. Strings are views into
// the text parsed, or into the document's own buffer for strings that held
// escapes, so a JsonDoc must not outlive the text it was parsed from.
class JsonDoc {
 public:
  enum class Kind : std::uint8_t { kNull, kBool, kInteger, kString, kArray, kObject };
  struct Node {
    Kind kind = Kind::kNull;
    bool boolean = false;
    std::int64_t integer = 0;
    std::string_view key;     // the member's key, when its parent is an object
    std::string_view text;    // a string's value
    std::uint32_t size = 0;   // a container's number of children
    std::uint32_t end = 0;    // the index one past this node's subtree
  };

  // Walks the children of a container.
  class Children {
   public:
    class Iterator {
     public:
      Iterator(const JsonDoc* doc, std::uint32_t at, std::uint32_t left)
          : doc_(doc), at_(at), left_(left) {}
      std::uint32_t operator*() const { return at_; }
      Iterator& operator++() {
        at_ = doc_->nodes_[at_].end;
        --left_;
        return *this;
      }
      bool operator!=(const Iterator& other) const { return left_ != other.left_; }

     private:
      const JsonDoc* doc_;
      std::uint32_t at_;
      std::uint32_t left_;
    };
    Iterator begin() const { return {doc_, first_, size_}; }
    Iterator end() const { return {doc_, 0, 0}; }

   private:
    friend class JsonDoc;
    Children(const JsonDoc* doc, std::uint32_t first, std::uint32_t size)
        : doc_(doc), first_(first), size_(size) {}
    const JsonDoc* doc_;
    std::uint32_t first_;
    std::uint32_t size_;
  };

  static constexpr std::uint32_t kRoot = 0;

  const Node& operator[](std::uint32_t i) const { return nodes_[i]; }
  Children children(std::uint32_t i) const { return {this, i + 1, nodes_[i].size}; }
  // The member `key` of object `i`, or nullptr.
  const Node* member(std::uint32_t i, std::string_view key) const;

 private:
  friend class DocSink;
  std::vector<Node> nodes_;
  std::unique_ptr<char[]> arena_;  // unescaped strings; sized to the text, never moved
  std::size_t arena_used_ = 0;
};

// Parses exactly one JSON value, surrounded by optional whitespace.
Result<JsonDoc> parse_json_doc(std::string_view text, const JsonLimits& limits);

// The same, into an nlohmann::json value, for code that wants a tree to edit.
Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits);
nlohmann::json to_nlohmann(const JsonDoc& doc, std::uint32_t node = JsonDoc::kRoot);

// A scalar member of the outermost object, as found by check_canonical.
struct TopLevelScalar {
  std::string key;
  bool is_integer = false;
  std::string text;          // the string's value when !is_integer
  std::int64_t integer = 0;  // the number when is_integer
};

// Checks that `text` is exactly the RFC 8785 serialisation of a JSON value
// that parse_json accepts: no whitespace, members in UTF-16 key order, only
// the escapes RFC 8785 writes, integers in their shortest form and within
// +-(2^53 - 1). Refusals use the codes above, `not_canonical` for text that
// is valid JSON written another way. When `top` is not null it receives the
// string and integer members of the outermost object, in order (its
// strings are reused, so checking many texts with one vector allocates
// little).
Status check_canonical(std::string_view text, const JsonLimits& limits,
                       std::vector<TopLevelScalar>* top = nullptr);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no
// surrogates, nothing above U+10FFFF).
bool is_valid_utf8(std::string_view text);

}  // namespace fundledger
