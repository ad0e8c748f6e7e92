#include "ledger/tree.h"

#include <bit>
#include <map>

#include "audit/merkle.h"
#include "util/check.h"

namespace fundledger {
namespace {

Status damaged(const std::string& what) {
  return Status::error(Code::kStoreCorrupt, what + " is missing or damaged; run `fundledger verify`");
}

// The leaf hashes of events first_seq .. first_seq + count - 1 (1-based),
// read from `cursor`, which stands on first_seq, and added to `tree`; the
// cursor is left on the event after.
Status add_leaves(HashesCursor& cursor, std::uint64_t first_seq, std::uint64_t count, RootBuilder& tree) {
  for (std::uint64_t seq = first_seq; seq < first_seq + count; ++seq, cursor.next()) {
    if (!cursor.valid() || cursor.seq() != seq) {
      FL_RETURN_IF_ERROR(cursor.status());
      return damaged("the hashes of event " + std::to_string(seq));
    }
    tree.add_leaf(cursor.hashes().leaf);
  }
  return Status::ok();
}

// The same, read with a cursor of their own.
Status add_stored_leaves(const StoreReader& reader, std::uint64_t first_seq, std::uint64_t count,
                         RootBuilder& tree) {
  if (count == 0) return Status::ok();
  // A few hundred hashes at most: a point read, through the block cache.
  const auto cursor = reader.hashes_from(first_seq, StoreReader::Seek::kPoint);
  return add_leaves(*cursor, first_seq, count, tree);
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
    if (status_.is_ok()) status_ = Status::error(Code::kInvalidTreeSize, "the tree holds " + std::to_string(reader_.head().size) + " leaves");
    return std::nullopt;
  }
  if (size >= kStoredTreeLeaves) {
    Result<Hash> node = stored_node(reader_, std::countr_zero(size), first / size);
    if (node) return *node;
    if (status_.is_ok()) status_ = node.status();
    return std::nullopt;
  }
  const std::uint64_t block = first - first % kStoredTreeLeaves;
  for (const Block& b : blocks_) {
    if (b.first == block) return b.levels[std::countr_zero(size)][(first - block) / size];
  }
  if (!load_block(block)) return std::nullopt;
  return subtree(first, size);
}

bool StoredTree::load_block(std::uint64_t first) const {
  const std::uint64_t count = std::min(kStoredTreeLeaves, reader_.head().size - first);
  Block& b = blocks_[next_block_];
  next_block_ = (next_block_ + 1) % kBlocksKept;
  b.first = UINT64_MAX;
  b.levels.assign(1, {});
  std::vector<Hash>& leaves = b.levels[0];
  leaves.reserve(count);
  const auto cursor = reader_.hashes_from(first + 1, StoreReader::Seek::kPoint);
  for (std::uint64_t seq = first + 1; seq <= first + count; ++seq, cursor->next()) {
    if (!cursor->valid() || cursor->seq() != seq) {
      if (status_.is_ok()) {
        status_ = cursor->status().is_ok() ? damaged("the hashes of event " + std::to_string(seq)) : cursor->status();
      }
      return false;
    }
    leaves.push_back(cursor->hashes().leaf);
  }
  while (b.levels.back().size() >= 2) {
    const std::vector<Hash>& below = b.levels.back();
    std::vector<Hash> above;
    above.reserve(below.size() / 2);
    for (std::size_t i = 0; i + 1 < below.size(); i += 2) above.push_back(node_hash(below[i], below[i + 1]));
    b.levels.push_back(std::move(above));
  }
  b.first = first;
  return true;
}

Status add_tree_nodes(const StoreReader& reader, std::uint64_t first_seq, const std::vector<EventHashes>& hashes,
                      StoreBatch& batch) {
  const std::uint64_t before = first_seq - 1;  // leaves already stored
  const std::uint64_t after = before + hashes.size();
  std::map<std::pair<int, std::uint64_t>, Hash> made;
  for (std::uint64_t end = (before / kStoredTreeLeaves + 1) * kStoredTreeLeaves; end <= after; end += kStoredTreeLeaves) {
    const std::uint64_t start = end - kStoredTreeLeaves;  // leaf index of the block's first leaf
    RootBuilder block;
    // The block's leaves stored before this write, then the new ones.
    if (start < before) FL_RETURN_IF_ERROR(add_stored_leaves(reader, start + 1, before - start, block));
    for (std::uint64_t i = std::max(start, before); i < end; ++i) block.add_leaf(hashes[i - before].leaf);
    made[{kStoredTreeLevel, start / kStoredTreeLeaves}] = block.root();
  }
  FL_RETURN_IF_ERROR(complete_upwards(reader, made));
  put_nodes(made, batch);
  return Status::ok();
}

Status backfill_tree(Store& store) {
  const auto reader = store.reader();
  const std::uint64_t size = reader->head().size;
  if (size < kStoredTreeLeaves) return Status::ok();
  // Nodes are written with the events that complete them: when the last
  // block's node is there, every node is.
  Result<std::optional<std::string>> last =
      reader->get(Family::kTree, tree_key(kStoredTreeLevel, size / kStoredTreeLeaves - 1));
  if (!last) return last.status();
  if (last->has_value()) return Status::ok();
  // Each node of the lowest stored level from its leaves, then the nodes
  // above them; all in memory (32 bytes each, a few thousand per million
  // events) and written in one go. Every left sibling is among those made,
  // so nothing more is read.
  std::map<std::pair<int, std::uint64_t>, Hash> made;
  const auto cursor = reader->hashes_from(1);
  for (std::uint64_t block = 0; block < size / kStoredTreeLeaves; ++block) {
    RootBuilder leaves;
    FL_RETURN_IF_ERROR(add_leaves(*cursor, block * kStoredTreeLeaves + 1, kStoredTreeLeaves, leaves));
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
      return Status::error(Code::kStoreCorrupt, "no hashes are stored for event " + std::to_string(size));
    }
    head.chain = (*hashes)->chain;
  }
  const StoredTree tree(reader);
  const std::optional<Hash> root = tree_root(tree, size);
  if (!root) return tree.status();
  head.root = *root;
  return head;
}

RecomputedTree::RecomputedTree(std::uint64_t size) : size_(size), blocks_(size / kStoredTreeLeaves) {}

void RecomputedTree::add_chunk(std::uint64_t first_seq, const std::vector<Hash>& leaves) {
  const std::uint64_t first = first_seq - 1;
  FL_CHECK(first % kStoredTreeLeaves == 0 && first + leaves.size() <= size_);
  std::size_t i = 0;
  for (; i + kStoredTreeLeaves <= leaves.size(); i += kStoredTreeLeaves) {
    RootBuilder block;
    for (std::size_t j = i; j < i + kStoredTreeLeaves; ++j) block.add_leaf(leaves[j]);
    blocks_[(first + i) / kStoredTreeLeaves] = block.root();
  }
  if (i < leaves.size()) {
    FL_CHECK(first + leaves.size() == size_);  // only the last chunk ends in a part block
    tail_.assign(leaves.begin() + static_cast<std::ptrdiff_t>(i), leaves.end());
  }
}

Hash RecomputedTree::root() const {
  RootBuilder tree;
  for (const Hash& block : blocks_) tree.add_subtree(block, kStoredTreeLeaves);
  for (const Hash& leaf : tail_) tree.add_leaf(leaf);
  FL_CHECK(tree.size() == size_);
  return tree.root();
}

Result<std::optional<Failure>> RecomputedTree::compare_stored(const StoreReader& reader) const {
  // Every node there should be: the blocks, and every node they complete
  // above (all left siblings are among them, so nothing is read).
  std::map<std::pair<int, std::uint64_t>, Hash> expected;
  for (std::uint64_t b = 0; b < blocks_.size(); ++b) expected[{kStoredTreeLevel, b}] = blocks_[b];
  FL_RETURN_IF_ERROR(complete_upwards(reader, expected));

  std::optional<Failure> worst;
  auto found_bad = [&worst](Failure f) {
    if (!worst || f.seq < worst->seq) worst = std::move(f);
  };
  auto first_seq = [](int level, std::uint64_t index) { return (index << level) + 1; };
  auto where = [](int level, std::uint64_t index) {
    return "the tree node at level " + std::to_string(level) + ", index " + std::to_string(index);
  };
  auto next = expected.begin();
  // Expected nodes before `key` in key order are missing from the store.
  auto missing_before = [&](const std::pair<int, std::uint64_t>* key) {
    for (; next != expected.end() && (key == nullptr || next->first < *key); ++next) {
      const auto [level, index] = next->first;
      found_bad({first_seq(level, index), Code::kTreeNodeMissing, where(level, index) + " is not stored",
                 to_hex(next->second), ""});
    }
  };
  FL_RETURN_IF_ERROR(reader.scan(Family::kTree, "", [&](std::string_view key, std::string_view value) {
    const std::optional<std::uint64_t> index = key.size() == 9 ? seq_from_key(key.substr(1)) : std::nullopt;
    const int level = key.empty() ? 0 : static_cast<unsigned char>(key[0]);
    if (!index || level < kStoredTreeLevel || level > 63 || (*index >> (64 - level)) != 0) {
      found_bad({0, Code::kMalformedKey, "a record of the tree family has a key that names no node", "", ""});
      return false;
    }
    const std::pair<int, std::uint64_t> at{level, *index};
    missing_before(&at);
    Hash stored{};
    if (value.size() == 32) std::copy(value.begin(), value.end(), stored.begin());
    if (next == expected.end() || next->first != at) {
      found_bad({first_seq(level, *index), Code::kTreeNodeBeyondHead,
                 where(level, *index) + " is stored, but the log does not hold all its leaves", "", to_hex(stored)});
      return true;
    }
    if (value.size() != 32 || stored != next->second) {
      found_bad({first_seq(level, *index), Code::kTreeNodeMismatch,
                 where(level, *index) + " is not the hash of the leaves under it", to_hex(next->second),
                 value.size() == 32 ? to_hex(stored) : "not 32 bytes"});
    }
    ++next;
    return true;
  }));
  missing_before(nullptr);
  return worst;
}

}  // namespace fundledger
