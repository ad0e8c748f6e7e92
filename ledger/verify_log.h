#pragma once
// Proves that the stored log is exactly what was appended, or names the
// first event that is not. Every leaf and chain hash is recomputed from the
// stored bytes and compared with the hashes recorded at append time; each
// event's envelope must be well formed and say its own seq, the seqs be
// continuous, the times never decreasing, the id index must name every
// event and nothing else, and the head must cover exactly the last event.
//
// What this cannot catch alone: someone who rewrites the log and recomputes
// every hash and the head (a shortened log, say) leaves a log that is
// consistent with itself. Signed checkpoints close that gap.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ledger/store.h"
#include "util/failure.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

// What verify_log finds (Failure::check): missing_event, malformed_key,
// event_beyond_head, hashes_beyond_head, missing_hashes, invalid_envelope,
// seq_mismatch, recorded_at_decreasing, leaf_hash_mismatch,
// chain_hash_mismatch, head_mismatch, id_index_mismatch, id_not_indexed.
struct VerifyReport {
  std::uint64_t size = 0;  // the head's size
  Hash chain = kZeroHash;  // the head's chain hash, recomputed
  std::optional<Failure> failure;
  bool ok() const { return !failure.has_value(); }
};

// Events are verified in chunks of kVerifyChunkEvents consecutive seqs, the
// first starting at seq 1, by worker threads.
inline constexpr std::uint64_t kVerifyChunkEvents = 1 << 14;

struct VerifyHooks {
  // The recomputed leaf hashes of a chunk that verified, from `first_seq`
  // on. Called from worker threads, concurrently and in any order, once per
  // chunk that verified; chunks after a failure may not be reported.
  std::function<void(std::uint64_t first_seq, const std::vector<Hash>& leaves)> on_chunk;
  // Called now and then from the calling thread.
  std::function<void(std::uint64_t done, std::uint64_t total)> on_progress;
};

// Verifies the log `store` holds. Uses up to two worker threads beside the
// caller. A storage error is returned as the Status; a wrong log is a report
// with a failure.
Result<VerifyReport> verify_log(const Store& store, const VerifyHooks& hooks = {});

}  // namespace fundledger
