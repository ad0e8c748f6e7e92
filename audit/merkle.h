#pragma once
// The RFC 6962 / RFC 9162 Merkle tree over the log's leaf hashes (leaf index
// = seq - 1). Leaf hashes are made by leaf_hash() in ledger/hash.h; interior
// nodes are SHA-256(0x01 || left || right).

#include <cstdint>
#include <vector>

#include "ledger/hash.h"

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
  void add_leaf(const Hash& leaf);
  std::uint64_t size() const { return size_; }
  // The RFC 6962 root of the leaves added so far.
  Hash root() const;

 private:
  std::vector<Hash> subtrees_;  // largest first
  std::uint64_t size_ = 0;
};

}  // namespace fundledger
