#include "domain/event.h"

#include <string.h>

#include <algorithm>
#include <cstring>
#include <initializer_list>

#include "domain/formats.h"
#include "domain/money.h"
#include "domain/schema.h"
#include "util/canonical.h"

namespace fundledger {
namespace {

using Kind = JsonDoc::Kind;

Status invalid_id_error() {
  return Status::error(Code::kInvalidId,
                       "must be 1 to 128 characters from A-Z a-z 0-9 . _ : -, "
                       "starting with a letter or digit",
                       "id");
}

// Checks that object `node` has exactly the members `names`, all strings
// but `data` (an object) and `seq` (an integer). Unknown members come
// first: a client that sends `seq` hears that it may not, not that `id` is
// missing. Fills `at` with the node of each name, in the order given.
Status check_members(const JsonDoc& doc, std::uint32_t node,
                     std::initializer_list<std::string_view> names, std::uint32_t* at) {
  if (doc[node].kind != Kind::kObject) {
    return Status::error(Code::kInvalidType, "an event must be a JSON object");
  }
  std::fill(at, at + names.size(), 0);
  for (std::uint32_t member : doc.children(node)) {
    const std::string_view key = doc[member].key;
    const auto it = std::find(names.begin(), names.end(), key);
    if (it == names.end()) {
      return Status::error(Code::kUnknownField, "an event has no field \"" + std::string(key) + "\"",
                           std::string(key));
    }
    at[it - names.begin()] = member;
  }
  std::size_t i = 0;
  for (std::string_view name : names) {
    const std::uint32_t member = at[i++];
    if (member == 0) {
      return Status::error(Code::kMissingField, "an event requires \"" + std::string(name) + "\"",
                           std::string(name));
    }
    const Kind expected = name == "data" ? Kind::kObject : name == "seq" ? Kind::kInteger
                                                                          : Kind::kString;
    if (doc[member].kind != expected) {
      return Status::error(Code::kInvalidType,
                           expected == Kind::kObject    ? "must be an object"
                           : expected == Kind::kInteger ? "must be an integer"
                                                        : "must be a string",
                           std::string(name));
    }
  }
  return Status::ok();
}

Result<EventType> decode_type(std::string_view name) {
  const auto type = event_type_from_name(name);
  if (!type) {
    return Status::error(Code::kUnknownType,
                         "\"" + std::string(name.substr(0, 64)) + "\" is not an event type", "type");
  }
  return *type;
}

}  // namespace

const DataField* EventData::find(std::string_view name) const {
  for (const DataField& f : fields_) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const std::string* EventData::get(std::string_view name) const {
  const DataField* f = find(name);
  return f != nullptr && !f->is_list ? &f->value : nullptr;
}

const std::vector<std::string>* EventData::list(std::string_view name) const {
  const DataField* f = find(name);
  return f != nullptr && f->is_list ? &f->list : nullptr;
}

void EventData::set(std::string_view name, std::string value) {
  for (DataField& f : fields_) {
    if (f.name != name) continue;
    FL_CHECK(!f.is_list);
    f.value = std::move(value);
    return;
  }
  FL_CHECK(false);  // the field must be present
}

void EventData::add(DataField field) {
  FL_CHECK(fields_.empty() || fields_.back().name < field.name);
  fields_.push_back(std::move(field));
}

void EventData::insert(DataField field) {
  const auto at = std::lower_bound(fields_.begin(), fields_.end(), field.name,
                                   [](const DataField& f, std::string_view name) { return f.name < name; });
  FL_CHECK(at == fields_.end() || at->name != field.name);
  fields_.insert(at, std::move(field));
}

void EventData::append_canonical(std::string& out) const {
  out += '{';
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const DataField& f = fields_[i];
    if (i != 0) out += ',';
    append_canonical_string(out, f.name);
    out += ':';
    if (!f.is_list) {
      append_canonical_string(out, f.value);
      continue;
    }
    out += '[';
    for (std::size_t k = 0; k < f.list.size(); ++k) {
      if (k != 0) out += ',';
      append_canonical_string(out, f.list[k]);
    }
    out += ']';
  }
  out += '}';
}

Result<Draft> decode_draft(std::string_view text) {
  if (text.size() > kEventBytesMax) {
    return Status::error(Code::kEventTooLarge, "an event is " + std::to_string(text.size()) +
                                                " bytes; at most " +
                                                std::to_string(kEventBytesMax) + " are allowed");
  }
  Result<JsonDoc> doc = parse_json_doc(text, kEventJsonLimits);
  if (!doc) return doc.status();
  return decode_draft(*doc, JsonDoc::kRoot);
}

Result<Draft> decode_draft(const JsonDoc& doc, std::uint32_t node) {
  std::uint32_t at[3];
  FL_RETURN_IF_ERROR(check_members(doc, node, {"data", "id", "type"}, at));
  Draft draft;
  draft.id.assign(doc[at[1]].text);
  if (!is_event_id(draft.id)) return invalid_id_error();
  const Result<EventType> type = decode_type(doc[at[2]].text);
  if (!type) return type.status();
  draft.type = *type;
  FL_RETURN_IF_ERROR(validate_data(draft.type, doc, at[0], draft.data).under("data"));
  draft.data.append_canonical(draft.data_bytes);
  if (draft.data_bytes.size() > kEventBytesMax) {
    return Status::error(Code::kEventTooLarge,
                         "an event's data is over " + std::to_string(kEventBytesMax) + " bytes",
                         "data");
  }
  return draft;
}

Status normalise_written_off_amount(Draft& draft, int minor_units) {
  FL_CHECK(draft.type == EventType::kPledgeWrittenOff);
  const Result<std::int64_t> minor = parse_amount(*draft.data.get("amount"), minor_units);
  if (!minor) return minor.status().under("data.amount");
  draft.data.set("amount", format_amount(*minor, minor_units));
  draft.data_bytes.clear();
  draft.data.append_canonical(draft.data_bytes);
  return Status::ok();
}

std::string event_bytes(const Draft& draft, std::uint64_t seq,
                        std::string_view recorded_at, std::string_view actor) {
  std::string out;
  write_event_bytes(out, draft, seq, recorded_at, actor);
  return out;
}

void write_event_bytes(std::string& out, const Draft& draft, std::uint64_t seq,
                       std::string_view recorded_at, std::string_view actor) {
  out.clear();
  out += "{\"actor\":";
  append_canonical_string(out, actor);
  out += ",\"data\":";
  out += draft.data_bytes;
  out += ",\"id\":";
  append_canonical_string(out, draft.id);
  out += ",\"recorded_at\":";
  append_canonical_string(out, recorded_at);
  out += ",\"seq\":";
  out += std::to_string(seq);
  out += ",\"type\":";
  append_canonical_string(out, event_type_name(draft.type));
  out += '}';
}

namespace {

// Reads the stored bytes backwards, one envelope member at a time. Values
// are strings without escapes (ids, times, types) or digits, so each ends
// at the quote before it.
class BackReader {
 public:
  explicit BackReader(std::string_view s) : begin_(s.data()), end_(s.data() + s.size()) {}
  // Removes `literal` from the end; false when the text does not end so.
  bool literal(std::string_view literal) {
    if (static_cast<std::size_t>(end_ - begin_) < literal.size() ||
        std::memcmp(end_ - literal.size(), literal.data(), literal.size()) != 0) {
      return false;
    }
    end_ -= literal.size();
    return true;
  }
  // Removes a string's value and its opening quote (its closing quote is
  // already gone), returning the value.
  std::optional<std::string_view> string() {
    const void* quote = memrchr(begin_, '"', static_cast<std::size_t>(end_ - begin_));
    if (quote == nullptr) return std::nullopt;
    const char* q = static_cast<const char*>(quote);
    const std::string_view value(q + 1, static_cast<std::size_t>(end_ - q - 1));
    end_ = q;
    return value;
  }
  std::string_view digits() {
    const char* p = end_;
    while (p > begin_ && p[-1] >= '0' && p[-1] <= '9') --p;
    const std::string_view value(p, static_cast<std::size_t>(end_ - p));
    end_ = p;
    return value;
  }
  std::string_view rest() const { return {begin_, static_cast<std::size_t>(end_ - begin_)}; }

 private:
  const char* begin_;
  const char* end_;
};

}  // namespace

std::optional<Envelope> read_envelope(std::string_view bytes) {
  constexpr std::string_view kActor = "{\"actor\":\"";
  constexpr std::string_view kData = "\",\"data\":";
  if (!bytes.starts_with(kActor)) return std::nullopt;
  BackReader r(bytes);
  Envelope e;
  if (!r.literal("\"}")) return std::nullopt;
  const auto type_name = r.string();
  if (!type_name || !r.literal(",\"type\":")) return std::nullopt;
  const std::string_view seq = r.digits();
  if (seq.empty() || seq.size() > 16 || seq[0] == '0' || !r.literal(",\"seq\":") ||
      !r.literal("\"")) {
    return std::nullopt;
  }
  for (char c : seq) e.seq = e.seq * 10 + static_cast<std::uint64_t>(c - '0');
  const auto recorded_at = r.string();
  if (!recorded_at || !r.literal(",\"recorded_at\":") || !r.literal("\"")) return std::nullopt;
  const auto id = r.string();
  if (!id || !r.literal(",\"id\":")) return std::nullopt;
  // What is left is {"actor":"NAME","data":{...}
  const std::string_view rest = r.rest();
  const std::size_t actor_end = rest.find('"', kActor.size());
  if (actor_end == std::string_view::npos || rest.substr(actor_end, kData.size()) != kData) {
    return std::nullopt;
  }
  e.actor = rest.substr(kActor.size(), actor_end - kActor.size());
  e.data = rest.substr(actor_end + kData.size());
  e.id = *id;
  e.recorded_at = *recorded_at;
  const auto known = event_type_from_name(*type_name);
  const auto recorded_ms = parse_timestamp(e.recorded_at);
  if (!known || !recorded_ms || !is_actor(e.actor) || !is_event_id(e.id) || e.data.size() < 2 ||
      e.data.front() != '{' || e.data.back() != '}') {
    return std::nullopt;
  }
  e.type = *known;
  e.recorded_ms = *recorded_ms;
  return e;
}

bool append_event_with_hashes(std::string& out, std::string_view bytes, const Hash& leaf,
                              const Hash& chain) {
  const std::optional<Envelope> e = read_envelope(bytes);
  if (!e) return false;
  // Keys in RFC 8785 order: actor, chain_hash, data, id, leaf_hash,
  // recorded_at, seq, type. The envelope's strings need no escapes.
  out += "{\"actor\":\"";
  out += e->actor;
  out += "\",\"chain_hash\":\"";
  out += to_hex(chain);
  out += "\",\"data\":";
  out += e->data;
  out += ",\"id\":\"";
  out += e->id;
  out += "\",\"leaf_hash\":\"";
  out += to_hex(leaf);
  out += "\",\"recorded_at\":\"";
  out += e->recorded_at;
  out += "\",\"seq\":";
  out += std::to_string(e->seq);
  out += ",\"type\":\"";
  out += event_type_name(e->type);
  out += "\"}";
  return true;
}

Result<Event> decode_event(std::string_view bytes) {
  Result<JsonDoc> parsed = parse_json_doc(bytes, kEventJsonLimits);
  if (!parsed) return parsed.status();
  const JsonDoc& doc = *parsed;
  std::uint32_t at[6];
  FL_RETURN_IF_ERROR(check_members(doc, JsonDoc::kRoot,
                                   {"actor", "data", "id", "recorded_at", "seq", "type"}, at));
  Event event;
  if (doc[at[4]].integer < 1) return Status::error(Code::kInvalidValue, "must be 1 or more", "seq");
  event.seq = static_cast<std::uint64_t>(doc[at[4]].integer);
  event.id.assign(doc[at[2]].text);
  if (!is_event_id(event.id)) return invalid_id_error();
  const Result<EventType> type = decode_type(doc[at[5]].text);
  if (!type) return type.status();
  event.type = *type;
  event.actor.assign(doc[at[0]].text);
  if (!is_actor(event.actor)) return Status::error(Code::kInvalidValue, "must be ROLE:NAME", "actor");
  event.recorded_at.assign(doc[at[3]].text);
  if (!parse_timestamp(event.recorded_at)) {
    return Status::error(Code::kInvalidValue, "must be an RFC 3339 UTC time with milliseconds",
                         "recorded_at");
  }
  FL_RETURN_IF_ERROR(validate_data(event.type, doc, at[1], event.data).under("data"));
  return event;
}

Status check_client_type(const Draft& draft) {
  if (!is_access_event(draft.type)) return Status::ok();
  return Status::error(Code::kReservedType,
                       std::string(event_type_name(draft.type)) +
                           " is recorded by the ledger itself when its tokens change: use fundledger token",
                       "type");
}

}  // namespace fundledger
