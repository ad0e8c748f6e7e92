#pragma once
// Proves that the stored log is exactly what was appended, or names the
// first event that is not. Every leaf and chain hash is recomputed from the
// stored bytes and compared with the hashes recorded at append time; the
// bytes must be canonical, the seqs continuous, the times never decreasing,
// the id index must name every event and nothing else, and the head must
// cover exactly the last event.
//
// What this cannot catch alone: someone who rewrites the log and recomputes
// every hash and the head (a shortened log, say) leaves a log that is
// consistent with itself. Signed checkpoints close that gap.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ledger/hash.h"
#include "ledger/status.h"
#include "ledger/store.h"

namespace fundledger {

struct VerifyFailure {
  std::uint64_t seq = 0;  // the first seq that is wrong (first_bad_seq)
  // missing_event, malformed_key, event_beyond_head, missing_hashes,
  // not_canonical, seq_mismatch, invalid_envelope, recorded_at_decreasing,
  // leaf_hash_mismatch, chain_hash_mismatch, head_mismatch,
  // id_index_mismatch, id_not_indexed
  std::string reason;
  std::string message;
  std::string expected;  // what the record says it should be, when it says
  std::string found;     // what the stored bytes give
};

struct VerifyReport {
  std::uint64_t size = 0;  // the head's size
  Hash chain = kZeroHash;  // the head's chain hash, recomputed
  std::optional<VerifyFailure> failure;
  bool ok() const { return !failure.has_value(); }
};

struct VerifyHooks {
  // Each event's recomputed leaf hash, in seq order, up to the first failure.
  std::function<void(std::uint64_t seq, const Hash& leaf)> on_leaf;
  // Called now and then from the calling thread.
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
};

// Verifies the log `store` holds. Uses up to two worker threads beside the
// caller. A storage error is returned as the Status; a wrong log is a report
// with a failure.
Result<VerifyReport> verify_log(const Store& store, const VerifyHooks& hooks = {});

}  // namespace fundledger
