#pragma once
// The RFC 6962 / RFC 9162 Merkle tree over the log's leaf hashes (leaf index
// = seq - 1). Leaf hashes are made by leaf_hash() in util/hash.h; interior
// nodes are SHA-256(0x01 || left || right).

#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "util/hash.h"

namespace fundledger {

// SHA-256(0x01 || left || right).
Hash node_hash(const Hash& left, const Hash& right);
// The root of the empty tree: SHA-256 of the empty string.
Hash empty_root();

// The root of a tree built leaf by leaf, in memory logarithmic in the number
// of leaves: it keeps the roots of the perfect subtrees the leaves so far
// make (one per bit of the count).
class RootBuilder {
 public:
  struct Subtree {
    Hash root;
    std::uint64_t size;  // leaves, a power of two
  };

  void add_leaf(const Hash& leaf) { add_subtree(leaf, 1); }
  // Appends the `size` leaves of a perfect subtree whose root is `root`.
  // `size` must be a power of two no larger than the smallest subtree held,
  // so that the leaves so far fill whole subtrees of that size: then a tree
  // can be built from parts built apart (as verify's chunks are).
  void add_subtree(const Hash& root, std::uint64_t size);
  // Appends every leaf `other` holds, as its subtrees.
  void append(const RootBuilder& other);

  std::uint64_t size() const { return size_; }
  // The perfect subtrees, largest (leftmost) first.
  const std::vector<Subtree>& subtrees() const { return subtrees_; }
  // The RFC 6962 root of the leaves added so far.
  Hash root() const;

 private:
  std::vector<Subtree> subtrees_;
  std::uint64_t size_ = 0;
};

// A tree whose leaves arrive in runs, from several threads and in any
// order (verify's chunks): each run's part of the tree is built by the
// thread that adds it, and join() puts the parts together in order. Every
// run but the last must hold a power-of-two number of leaves and start at
// a multiple of it, as the chunks do.
class PartedRootBuilder {
 public:
  // Thread-safe. `first_index` is the index of the run's first leaf.
  void add_run(std::uint64_t first_index, const std::vector<Hash>& leaves);
  // The whole tree; the runs must cover the leaves from index 0 without a
  // gap.
  RootBuilder join() const;

 private:
  mutable std::mutex mu_;
  std::map<std::uint64_t, RootBuilder> parts_;  // by first index
};

}  // namespace fundledger
