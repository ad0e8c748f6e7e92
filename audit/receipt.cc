#include "audit/receipt.h"

#include <charconv>

#include "audit/proof.h"
#include "util/canonical.h"
#include "util/json.h"

namespace fundledger {
namespace {

Status bad(std::string what) { return Status::error(Code::kReceipt, std::move(what)); }

std::string base64_of(std::string_view bytes) { return base64_encode(bytes); }

}  // namespace

std::string receipt_text(const EventReceipt& r) {
  std::string out(kReceiptHeader);
  out += "\n";
  if (r.extra) out += "extra " + base64_of(*r.extra) + "\n";
  out += "index " + std::to_string(r.index) + "\n";
  for (const Hash& h : r.path) out += base64_of(std::string_view(reinterpret_cast<const char*>(h.data()), h.size())) + "\n";
  out += "\n";
  out += r.note;
  return out;
}

Result<EventReceipt> parse_receipt(std::string_view text) {
  EventReceipt r;
  const auto next_line = [&text]() -> std::optional<std::string_view> {
    const auto end = text.find('\n');
    if (end == std::string_view::npos) return std::nullopt;
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    return line;
  };
  std::optional<std::string_view> line = next_line();
  if (!line || *line != kReceiptHeader) return bad("a receipt starts with the line " + std::string(kReceiptHeader));
  line = next_line();
  if (line && line->starts_with("extra ")) {
    r.extra = base64_decode(line->substr(6));
    if (!r.extra) return bad("the extra line is not base64");
    line = next_line();
  }
  if (!line || !line->starts_with("index ")) return bad("a receipt's index line follows its header");
  const std::string_view index = line->substr(6);
  const auto [end, ec] = std::from_chars(index.data(), index.data() + index.size(), r.index);
  if (index.empty() || ec != std::errc() || end != index.data() + index.size() || (index.size() > 1 && index[0] == '0')) {
    return bad("the index is not a decimal number without leading zeros");
  }
  while ((line = next_line()) && !line->empty()) {
    if (r.path.size() == kReceiptPathMax) return bad("an inclusion path has at most 63 hashes");
    const std::optional<std::string> h = base64_decode(*line);
    if (!h || h->size() != 32) return bad("a line of the inclusion path is not the base64 of 32 bytes");
    Hash hash{};
    std::copy(h->begin(), h->end(), hash.begin());
    r.path.push_back(hash);
  }
  if (!line) return bad("the inclusion path ends with an empty line before the checkpoint");
  r.note = std::string(text);
  return r;
}

Result<std::string> event_canonical_bytes(std::string_view json) {
  Result<nlohmann::json> value = parse_json(json, JsonLimits{64, 64 * 1024});
  if (!value) return value.status();
  if (!value->is_object()) return bad("an event is a JSON object");
  value->erase("leaf_hash");
  value->erase("chain_hash");
  return canonical_json(*value);
}

Result<ReceiptCheck> check_receipt(const EventReceipt& receipt, const std::optional<std::string>& event_bytes,
                                   const NoteVerifier* key, const Policy* policy) {
  ReceiptCheck out;
  if (event_bytes && receipt.extra && *event_bytes != *receipt.extra) {
    return bad("the event given is not the one the receipt carries");
  }
  if (!event_bytes && !receipt.extra) return bad("the receipt carries no event, and none was given");
  out.event = event_bytes ? *event_bytes : *receipt.extra;
  Result<Checkpoint> checkpoint = Status::error(Code::kReceipt, "no key or policy to check the checkpoint with");
  if (policy != nullptr) {
    QuorumReport quorum;
    checkpoint = read_policy_checkpoint(receipt.note, *policy, quorum);
    out.quorum = quorum;
  } else if (key != nullptr) {
    checkpoint = read_checkpoint_note(receipt.note, *key);
  }
  if (!checkpoint) return checkpoint.status();
  out.checkpoint = std::move(*checkpoint);
  FL_RETURN_IF_ERROR(check_inclusion(receipt.index, out.checkpoint.size, leaf_hash(out.event), receipt.path,
                                     out.checkpoint.root));
  return out;
}

}  // namespace fundledger
