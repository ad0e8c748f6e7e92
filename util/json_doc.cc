// The strict reader's documents: JsonDoc built by the parser, and the
// same as nlohmann::json for code that wants a tree to edit.

#include <unordered_set>

#include "util/json.h"
#include "util/json_parser.h"

namespace fundledger {

using json_parser::Parser;
using json_parser::PathStep;

// Builds a JsonDoc. Refuses duplicate keys.
class DocSink {
 public:
  static constexpr bool kCanonical = false;

  DocSink(JsonDoc& doc, std::string_view text) : doc_(doc), text_(text) {
    doc_.arena_ = std::make_unique<char[]>(text.size() + 1);
    doc_.nodes_.reserve(text.size() / 16 + 4);
  }

  void begin_object() {
    open(JsonDoc::Kind::kObject);
    if (depth_ == objects_.size()) objects_.emplace_back();
    objects_[depth_].keys.clear();
    objects_[depth_].many.clear();
    ++depth_;
  }
  void begin_array() { open(JsonDoc::Kind::kArray); }
  void end_container() {
    JsonDoc::Node& n = doc_.nodes_[stack_.back()];
    n.end = static_cast<std::uint32_t>(doc_.nodes_.size());
    if (n.kind == JsonDoc::Kind::kObject) --depth_;
    stack_.pop_back();
  }
  // False when the object already has `k`.
  bool key(std::string_view k) {
    key_ = stable(k);
    return !seen(objects_[depth_ - 1], key_);
  }
  void string(std::string_view s) { add(JsonDoc::Kind::kString).text = stable(s); }
  void integer(std::int64_t v) { add(JsonDoc::Kind::kInteger).integer = v; }
  void boolean(bool v) { add(JsonDoc::Kind::kBool).boolean = v; }
  void null() { add(JsonDoc::Kind::kNull); }

 private:
  // Keys of one open object. Small objects are searched in a line; large
  // ones through a set, so that a body with many keys costs linear time.
  struct OpenObject {
    std::vector<std::string_view> keys;
    std::unordered_set<std::string_view> many;
  };
  static constexpr std::size_t kLinearKeysMax = 16;

  static bool seen(OpenObject& o, std::string_view k) {
    if (!o.many.empty()) return !o.many.insert(k).second;
    for (std::string_view x : o.keys) {
      if (x == k) return true;
    }
    o.keys.push_back(k);
    if (o.keys.size() > kLinearKeysMax) o.many.insert(o.keys.begin(), o.keys.end());
    return false;
  }

  // A view that lives as long as the document: into the text when it
  // points there, else copied into the arena.
  std::string_view stable(std::string_view s) {
    if (s.data() >= text_.data() && s.data() + s.size() <= text_.data() + text_.size()) return s;
    char* at = doc_.arena_.get() + doc_.arena_used_;
    std::memcpy(at, s.data(), s.size());
    doc_.arena_used_ += s.size();
    return {at, s.size()};
  }

  JsonDoc::Node& add(JsonDoc::Kind kind) {
    bool in_object = false;
    if (!stack_.empty()) {
      JsonDoc::Node& parent = doc_.nodes_[stack_.back()];
      ++parent.size;
      in_object = parent.kind == JsonDoc::Kind::kObject;
    }
    JsonDoc::Node& n = doc_.nodes_.emplace_back();
    n.kind = kind;
    if (in_object) n.key = key_;
    n.end = static_cast<std::uint32_t>(doc_.nodes_.size());
    return n;
  }
  void open(JsonDoc::Kind kind) {
    add(kind);
    stack_.push_back(static_cast<std::uint32_t>(doc_.nodes_.size() - 1));
  }

  JsonDoc& doc_;
  std::string_view text_;
  std::vector<std::uint32_t> stack_;  // open containers
  std::vector<OpenObject> objects_;   // keys of open objects, by object depth
  std::size_t depth_ = 0;             // open objects
  std::string_view key_;
};

const JsonDoc::Node* JsonDoc::member(std::uint32_t i, std::string_view key) const {
  for (std::uint32_t c : children(i)) {
    if (nodes_[c].key == key) return &nodes_[c];
  }
  return nullptr;
}

Result<JsonDoc> parse_json_doc(std::string_view text, const JsonLimits& limits) {
  JsonDoc doc;
  DocSink sink(doc, text);
  Parser<DocSink> parser(text, limits, sink);
  FL_RETURN_IF_ERROR(parser.parse());
  return doc;
}

nlohmann::json to_nlohmann(const JsonDoc& doc, std::uint32_t node) {
  const JsonDoc::Node& n = doc[node];
  switch (n.kind) {
    case JsonDoc::Kind::kNull: return nullptr;
    case JsonDoc::Kind::kBool: return n.boolean;
    case JsonDoc::Kind::kInteger: return n.integer;
    case JsonDoc::Kind::kString: return std::string(n.text);
    case JsonDoc::Kind::kArray: {
      nlohmann::json out = nlohmann::json::array();
      for (std::uint32_t c : doc.children(node)) out.push_back(to_nlohmann(doc, c));
      return out;
    }
    case JsonDoc::Kind::kObject: {
      nlohmann::json out = nlohmann::json::object();
      for (std::uint32_t c : doc.children(node)) out[std::string(doc[c].key)] = to_nlohmann(doc, c);
      return out;
    }
  }
  return nullptr;
}

Result<nlohmann::json> parse_json(std::string_view text, const JsonLimits& limits) {
  Result<JsonDoc> doc = parse_json_doc(text, limits);
  if (!doc) return doc.status();
  return to_nlohmann(*doc);
}

}  // namespace fundledger
