#include "api/proofs.h"

#include <string>
#include <vector>

#include "audit/proof.h"
#include "audit/receipt.h"
#include "domain/event.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"

namespace fundledger::api {
namespace {

nlohmann::ordered_json hex_list(const std::vector<Hash>& path) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Hash& h : path) out.push_back(to_hex(h));
  return out;
}

Status beyond(const std::string& field, std::uint64_t size, std::uint64_t head) {
  return Status::error(Code::kInvalidTreeSize,
                       field + " " + std::to_string(size) + " is beyond the log, which holds " +
                           std::to_string(head) + " events",
                       field);
}

}  // namespace

Result<nlohmann::ordered_json> inclusion_answer(const StoreReader& reader, std::uint64_t seq,
                                                std::optional<std::uint64_t> tree_size) {
  const std::uint64_t head = reader.head().size;
  const std::uint64_t size = tree_size.value_or(head);
  if (size > head) return beyond("tree_size", size, head);
  if (seq == 0 || seq > size) {
    return Status::error(Code::kInvalidSeq,
                         "seq " + std::to_string(seq) + " is not in a tree of " + std::to_string(size) + " events",
                         "seq");
  }
  const StoredTree tree(reader);
  const std::optional<std::vector<Hash>> path = inclusion_proof(tree, seq - 1, size);
  const std::optional<Hash> leaf = tree.subtree(seq - 1, 1);
  if (!path || !leaf) return tree.status();
  nlohmann::ordered_json out;
  out["seq"] = seq;
  out["tree_size"] = size;
  out["leaf_hash"] = to_hex(*leaf);
  out["path"] = hex_list(*path);
  return out;
}

Result<nlohmann::ordered_json> consistency_answer(const StoreReader& reader, std::uint64_t first,
                                                  std::uint64_t second) {
  const std::uint64_t head = reader.head().size;
  if (second > head) return beyond("second", second, head);
  if (first > second) {
    return Status::error(Code::kInvalidTreeSize,
                         "the first size " + std::to_string(first) + " is larger than the second " +
                             std::to_string(second),
                         "first");
  }
  const StoredTree tree(reader);
  const std::optional<std::vector<Hash>> path = consistency_proof(tree, first, second);
  if (!path) return tree.status();
  nlohmann::ordered_json out;
  out["first"] = first;
  out["second"] = second;
  out["path"] = hex_list(*path);
  return out;
}

Result<nlohmann::json> checkpoint_answer(const StoreReader& reader) {
  Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(reader);
  if (!latest) return latest.status();
  if (!latest->has_value()) return Status::error(Code::kNotFound, "the ledger has signed no checkpoint yet");
  const auto& [size, note] = **latest;
  Result<LogHead> head = log_head(reader, size);
  if (!head) return head.status();
  nlohmann::json out{
      {"chain_hash", to_hex(head->chain)}, {"note", note}, {"root_hash", to_hex(head->root)}, {"tree_size", size}};
  if (size > 0) {
    Result<std::optional<std::string>> last = reader.event(size);
    if (!last) return last.status();
    const std::optional<Envelope> envelope = *last ? read_envelope(**last) : std::nullopt;
    if (!envelope) return Status::error(Code::kStoreCorrupt, "event " + std::to_string(size) + " unreadable");
    out["last_recorded_at"] = envelope->recorded_at;
  }
  return out;
}

Result<std::string> receipt_answer(const StoreReader& reader, std::uint64_t seq) {
  Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(reader);
  if (!latest) return latest.status();
  if (!latest->has_value() || (*latest)->first < seq) {
    return Status::error(Code::kNotCheckpointed, "event " + std::to_string(seq) +
                                                     " is not under a checkpoint yet; the server signs one within a "
                                                     "minute of an append");
  }
  const auto& [size, note] = **latest;
  const StoredTree tree(reader);
  std::optional<std::vector<Hash>> path = inclusion_proof(tree, seq - 1, size);
  if (!path) return tree.status();
  Result<std::optional<std::string>> event = reader.event(seq);
  if (!event) return event.status();
  if (!event->has_value()) return unreadable_event(seq);
  return receipt_text(EventReceipt{**event, seq - 1, std::move(*path), note});
}

}  // namespace fundledger::api
