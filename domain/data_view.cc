#include "domain/data_view.h"

namespace fundledger {
namespace {

// Reads canonical JSON from the front of `s`.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool eat(char c) {
    if (s_.empty() || s_[0] != c) return false;
    s_.remove_prefix(1);
    return true;
  }
  bool at(char c) const { return !s_.empty() && s_[0] == c; }
  bool empty() const { return s_.empty(); }
  // A string; unescapes into `scratch` (created on first need) when it
  // holds escapes.
  std::optional<std::string_view> string(std::shared_ptr<std::string>& scratch, std::size_t size_hint) {
    if (!eat('"')) return std::nullopt;
    // (find_first_of would call memchr once for every character here.)
    std::size_t end = 0;
    while (end < s_.size() && s_[end] != '"' && s_[end] != '\\') ++end;
    if (end == s_.size()) return std::nullopt;
    if (s_[end] == '"') {
      const std::string_view v = s_.substr(0, end);
      s_.remove_prefix(end + 1);
      return v;
    }
    if (!scratch) {
      scratch = std::make_shared<std::string>();
      scratch->reserve(size_hint);
    }
    const std::size_t start = scratch->size();
    while (!s_.empty() && s_[0] != '"') {
      if (s_[0] != '\\') {
        *scratch += s_[0];
        s_.remove_prefix(1);
        continue;
      }
      if (s_.size() < 2) return std::nullopt;
      const char e = s_[1];
      s_.remove_prefix(2);
      switch (e) {
        case '"': *scratch += '"'; break;
        case '\\': *scratch += '\\'; break;
        case 'b': *scratch += '\b'; break;
        case 'f': *scratch += '\f'; break;
        case 'n': *scratch += '\n'; break;
        case 'r': *scratch += '\r'; break;
        case 't': *scratch += '\t'; break;
        case 'u': {  // canonical form writes \u only for control characters
          if (s_.size() < 4 || s_[0] != '0' || s_[1] != '0') return std::nullopt;
          const auto hex = [](char c) { return c >= 'a' ? c - 'a' + 10 : c - '0'; };
          *scratch += static_cast<char>(hex(s_[2]) * 16 + hex(s_[3]));
          s_.remove_prefix(4);
          break;
        }
        default: return std::nullopt;
      }
    }
    if (!eat('"')) return std::nullopt;
    return std::string_view(scratch->data() + start, scratch->size() - start);
  }

 private:
  std::string_view s_;
};

}  // namespace

DataView DataView::of(const EventData& data) {
  DataView v;
  for (const DataField& f : data.fields()) {
    if (f.is_list) {
      v.has_regions_ = true;
      for (const std::string& r : f.list) {
        if (v.region_count_ < v.regions_.size()) v.regions_[v.region_count_++] = r;
      }
      continue;
    }
    if (v.size_ == kFieldsMax) break;
    v.names_[v.size_] = f.name;
    v.values_[v.size_++] = f.value;
  }
  return v;
}

std::optional<DataView> DataView::parse(std::string_view object) {
  DataView v;
  Reader r(object);
  if (!r.eat('{')) return std::nullopt;
  // Unescaped text is never longer than the object it came from.
  const std::size_t hint = object.size();
  while (!r.at('}')) {
    if (v.size_ != 0 || v.has_regions_) {
      if (!r.eat(',')) return std::nullopt;
    }
    const auto name = r.string(v.unescaped_, hint);
    if (!name || !r.eat(':')) return std::nullopt;
    if (r.eat('[')) {
      if (v.has_regions_) return std::nullopt;
      v.has_regions_ = true;
      while (!r.at(']')) {
        if (v.region_count_ != 0 && !r.eat(',')) return std::nullopt;
        const auto item = r.string(v.unescaped_, hint);
        if (!item || v.region_count_ == v.regions_.size()) return std::nullopt;
        v.regions_[v.region_count_++] = *item;
      }
      r.eat(']');
      continue;
    }
    const auto value = r.string(v.unescaped_, hint);
    if (!value || v.size_ == kFieldsMax) return std::nullopt;
    v.names_[v.size_] = *name;
    v.values_[v.size_++] = *value;
  }
  r.eat('}');
  if (!r.empty()) return std::nullopt;
  return v;
}

std::string_view DataView::get(std::string_view name) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (names_[i] == name) return values_[i];
  }
  return {};
}

bool DataView::has(std::string_view name) const {
  for (std::size_t i = 0; i < size_; ++i) {
    if (names_[i] == name) return true;
  }
  return false;
}

}  // namespace fundledger
