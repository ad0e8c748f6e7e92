#pragma once
// The log's Merkle tree kept in the store, so that a root at any size and
// any inclusion or consistency proof cost a number of reads logarithmic in
// the log's size instead of a pass over every leaf.
//
// Family `tree` holds the root of every perfect subtree of 2^4 = 16
// leaves or more (level, index), written in the same synced write as the
// events that complete it: about 6 bytes an event. A subtree under 16
// leaves is computed from its leaf hashes, which the `chain` family keeps
// in pages: at most two pages read, at most 15 hashes computed. (Nodes from
// 256 leaves up were tried first: the 255 hashes of a block then cost a
// third of a proof.)

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audited_view.h"
#include "audit/proof.h"
#include "ledger/store.h"
#include "util/failure.h"
#include "util/status.h"

namespace fundledger {

inline constexpr int kStoredTreeLevel = 4;
inline constexpr std::uint64_t kStoredTreeLeaves = std::uint64_t{1} << kStoredTreeLevel;

// The key of a stored node.
std::string tree_key(int level, std::uint64_t index);

// Perfect subtrees read from the store, for audit/proof.h. A subtree under
// kStoredTreeLeaves leaves is computed from the leaves of its block, which
// are read once and hashed into every subtree they hold: a proof needs
// those of one or two blocks. One StoredTree serves one thread.
class StoredTree : public SubtreeSource {
 public:
  explicit StoredTree(const StoreReader& reader) : reader_(reader) {}
  std::optional<Hash> subtree(std::uint64_t first, std::uint64_t size) const override;
  // Why a subtree could not be read: store_corrupt or storage_error; ok
  // when every one could.
  const Status& status() const { return status_; }

 private:
  // The block of kStoredTreeLeaves leaves from `first` (those the log holds), read and
  // hashed into levels: levels[k][i] is the subtree of 2^k leaves from
  // first + i * 2^k. False when it cannot be read (status_ says why).
  bool load_block(std::uint64_t first) const;

  const StoreReader& reader_;
  mutable Status status_;
  static constexpr int kBlocksKept = 2;
  struct Block {
    std::uint64_t first = UINT64_MAX;
    std::vector<std::vector<Hash>> levels;
  };
  mutable Block blocks_[kBlocksKept];
  mutable int next_block_ = 0;  // the one to replace next
};

// The log's first `size` events as a view's as_of names them: their
// Merkle root (through the stored tree) and the last one's chain hash.
// Refusals: store_corrupt, storage_error.
Result<LogHead> log_head(const StoreReader& reader, std::uint64_t size);

// The tree recomputed from leaves that verify_log checked, to check the
// stored nodes against: the root of each block of kStoredTreeLeaves leaves, and the
// leaves after the last whole block.
class RecomputedTree {
 public:
  explicit RecomputedTree(std::uint64_t size);
  // The leaves of events first_seq.. (verify's chunks; first_seq - 1 a
  // multiple of kStoredTreeLeaves). Thread-safe for chunks that do not overlap.
  void add_chunk(std::uint64_t first_seq, const std::vector<Hash>& leaves);
  // Once every chunk was added: the root of the whole log.
  Hash root() const;
  // Compares every node stored in family `tree` with these, and finds any
  // missing or extra one. The failure is the one of the lowest seq (the
  // first leaf under the node): tree_node_mismatch, tree_node_missing,
  // tree_node_beyond_head, malformed_key.
  Result<std::optional<Failure>> compare_stored(const StoreReader& reader) const;

 private:
  std::uint64_t size_;
  std::vector<Hash> blocks_;  // by block
  std::vector<Hash> tail_;    // the leaves after the last whole block
};

// Adds to `batch` every stored node that the leaves of events `first_seq`
// on (`hashes`, in seq order) complete, reading the earlier leaves and
// nodes they need through `reader`, whose head is first_seq - 1.
Status add_tree_nodes(const StoreReader& reader, std::uint64_t first_seq,
                      const std::vector<EventHashes>& hashes, StoreBatch& batch);

// Writes the nodes a ledger lacks when it was made before they were
// stored; nothing when it has them. Needs the store open for writing and
// no writer appending.
Status backfill_tree(Store& store);

}  // namespace fundledger
