#pragma once
// The answers of GET /v1/audit/checkpoint, /v1/audit/inclusion,
// /v1/audit/consistency (SPEC 6) and /v1/events/{seq}/receipt, which
// `fundledger prove` and `receipt` print too: RFC 9162 proofs read through the
// Merkle tree kept in the store.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "ledger/store.h"
#include "util/status.h"

namespace fundledger::api {

// {"seq","tree_size","leaf_hash","path"}: event `seq` in the tree of
// `tree_size` events (default: the whole log). Refusals: invalid_tree_size
// (beyond the log, field tree_size), invalid_seq (not in that tree, field
// seq), store_corrupt, storage_error.
Result<nlohmann::ordered_json> inclusion_answer(const StoreReader& reader, std::uint64_t seq,
                                                std::optional<std::uint64_t> tree_size);

// {"first","second","path"}: the tree of `first` events is a prefix of the
// tree of `second`. Refusals: invalid_tree_size (second beyond the log, or
// first larger than second; field second or first), store_corrupt,
// storage_error.
Result<nlohmann::ordered_json> consistency_answer(const StoreReader& reader, std::uint64_t first,
                                                  std::uint64_t second);

// {"chain_hash","note","root_hash","tree_size","last_recorded_at"?}: the
// latest checkpoint kept, with every cosignature gathered, the log head it
// states and when the log reached that size (the time of its last event).
// Refusals: not_found (none signed yet), store_corrupt, storage_error.
Result<nlohmann::json> checkpoint_answer(const StoreReader& reader);

// The receipt (audit/receipt.h, c2sp.org/tlog-proof) of event `seq`, which
// the log holds, under the latest checkpoint kept. Refusals:
// not_checkpointed (that checkpoint is older than the event),
// store_corrupt, storage_error.
Result<std::string> receipt_answer(const StoreReader& reader, std::uint64_t seq);

}  // namespace fundledger::api
