#include "ledger/tree.h"

#include <bit>
#include <map>

#include "audit/merkle.h"
#include "ledger/check.h"

namespace fundledger {
namespace {

constexpr std::uint64_t kStoredLeaves = std::uint64_t{1} << kStoredTreeLevel;

Status damaged(const std::string& what) {
  return Status::error("store_corrupt", what + " is missing or damaged; run `fundledger verify`");
}

// The leaf hashes of events first_seq .. first_seq + count - 1 (1-based),
// added to `tree`.
Status add_stored_leaves(const StoreReader& reader, std::uint64_t first_seq, std::uint64_t count,
                         RootBuilder& tree) {
  if (count == 0) return Status::ok();
  const auto cursor = reader.hashes_from(first_seq);
  for (std::uint64_t seq = first_seq; seq < first_seq + count; ++seq, cursor->next()) {
    if (!cursor->valid() || cursor->seq() != seq) {
      FL_RETURN_IF_ERROR(cursor->status());
      return damaged("the hashes of event " + std::to_string(seq));
    }
    tree.add_leaf(cursor->hashes().leaf);
  }
  return Status::ok();
}

Result<Hash> stored_node(const StoreReader& reader, int level, std::uint64_t index) {
  Result<std::optional<std::string>> value = reader.get(Family::kTree, tree_key(level, index));
  if (!value) return value.status();
  if (!value->has_value() || (*value)->size() != 32) {
    return damaged("the tree node at level " + std::to_string(level) + ", index " + std::to_string(index));
  }
  Hash h;
  std::copy((*value)->begin(), (*value)->end(), h.begin());
  return h;
}

// The nodes above level kStoredTreeLevel that `made` completes, added to
// it: each right child made joins its left sibling, made or stored.
Status complete_upwards(const StoreReader& reader, std::map<std::pair<int, std::uint64_t>, Hash>& made) {
  for (int level = kStoredTreeLevel; level < 63; ++level) {
    std::vector<std::pair<std::uint64_t, Hash>> rights;
    for (auto it = made.lower_bound({level, 0}); it != made.end() && it->first.first == level; ++it) {
      if ((it->first.second & 1) != 0) rights.emplace_back(it->first.second, it->second);
    }
    for (const auto& [index, right] : rights) {
      Hash left;
      if (const auto found = made.find({level, index - 1}); found != made.end()) {
        left = found->second;
      } else {
        Result<Hash> stored = stored_node(reader, level, index - 1);
        if (!stored) return stored.status();
        left = *stored;
      }
      made[{level + 1, index / 2}] = node_hash(left, right);
    }
  }
  return Status::ok();
}

void put_nodes(const std::map<std::pair<int, std::uint64_t>, Hash>& made, StoreBatch& batch) {
  for (const auto& [at, h] : made) {
    batch.put(Family::kTree, tree_key(at.first, at.second),
              std::string_view(reinterpret_cast<const char*>(h.data()), h.size()));
  }
}

}  // namespace

std::string tree_key(int level, std::uint64_t index) {
  std::string key(1, static_cast<char>(level));
  key += seq_key(index);
  return key;
}

std::optional<Hash> StoredTree::subtree(std::uint64_t first, std::uint64_t size) const {
  FL_CHECK(size > 0 && std::has_single_bit(size) && first % size == 0);
  if (first + size > reader_.head().size) {
    if (status_.is_ok()) status_ = Status::error("invalid_tree_size", "the tree holds " + std::to_string(reader_.head().size) + " leaves");
    return std::nullopt;
  }
  if (size >= kStoredLeaves) {
    Result<Hash> node = stored_node(reader_, std::countr_zero(size), first / size);
    if (node) return *node;
    if (status_.is_ok()) status_ = node.status();
    return std::nullopt;
  }
  RootBuilder tree;
  const Status read = add_stored_leaves(reader_, first + 1, size, tree);
  if (!read) {
    if (status_.is_ok()) status_ = read;
    return std::nullopt;
  }
  return tree.root();
}

Status add_tree_nodes(const StoreReader& reader, std::uint64_t first_seq, const std::vector<EventHashes>& hashes,
                      StoreBatch& batch) {
  const std::uint64_t before = first_seq - 1;  // leaves already stored
  const std::uint64_t after = before + hashes.size();
  std::map<std::pair<int, std::uint64_t>, Hash> made;
  for (std::uint64_t end = (before / kStoredLeaves + 1) * kStoredLeaves; end <= after; end += kStoredLeaves) {
    const std::uint64_t start = end - kStoredLeaves;  // leaf index of the block's first leaf
    RootBuilder block;
    // The block's leaves stored before this write, then the new ones.
    if (start < before) FL_RETURN_IF_ERROR(add_stored_leaves(reader, start + 1, before - start, block));
    for (std::uint64_t i = std::max(start, before); i < end; ++i) block.add_leaf(hashes[i - before].leaf);
    made[{kStoredTreeLevel, start / kStoredLeaves}] = block.root();
  }
  FL_RETURN_IF_ERROR(complete_upwards(reader, made));
  put_nodes(made, batch);
  return Status::ok();
}

Status backfill_tree(Store& store) {
  const auto reader = store.reader();
  const std::uint64_t size = reader->head().size;
  if (size < kStoredLeaves) return Status::ok();
  // Nodes are written with the events that complete them: when the last
  // block's node is there, every node is.
  Result<std::optional<std::string>> last =
      reader->get(Family::kTree, tree_key(kStoredTreeLevel, size / kStoredLeaves - 1));
  if (!last) return last.status();
  if (last->has_value()) return Status::ok();
  // Each node of the lowest stored level from its leaves, then the nodes
  // above them; all in memory (32 bytes each, a few thousand per million
  // events) and written in one go. Every left sibling is among those made,
  // so nothing more is read.
  std::map<std::pair<int, std::uint64_t>, Hash> made;
  for (std::uint64_t block = 0; block < size / kStoredLeaves; ++block) {
    RootBuilder leaves;
    FL_RETURN_IF_ERROR(add_stored_leaves(*reader, block * kStoredLeaves + 1, kStoredLeaves, leaves));
    made[{kStoredTreeLevel, block}] = leaves.root();
  }
  FL_RETURN_IF_ERROR(complete_upwards(*reader, made));
  StoreBatch batch(store);
  put_nodes(made, batch);
  return store.write(batch, store.head());
}

Result<LogHead> log_head(const StoreReader& reader, std::uint64_t size) {
  LogHead head;
  head.tree_size = size;
  head.chain = kZeroHash;
  if (size > 0) {
    auto hashes = reader.hashes(size);
    if (!hashes) return hashes.status();
    if (!hashes->has_value()) {
      return Status::error("store_corrupt", "no hashes are stored for event " + std::to_string(size));
    }
    head.chain = (*hashes)->chain;
  }
  const StoredTree tree(reader);
  const std::optional<Hash> root = tree_root(tree, size);
  if (!root) return tree.status();
  head.root = *root;
  return head;
}

}  // namespace fundledger
