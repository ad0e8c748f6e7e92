#pragma once
// Inclusion and consistency proofs of the RFC 9162 Merkle tree (sections
// 2.1.3 and 2.1.4), made from the hashes of perfect subtrees and checked
// with nothing but the proof, the sizes and the roots.
//
// A proof is made from a SubtreeSource, which answers the root of any
// perfect subtree: 2^k leaves from a leaf index that is a multiple of 2^k.
// Every range a proof needs is one of those, or a run of them from the
// left (the right part of a tree whose size is not a power of two), so a
// source that keeps those roots answers a proof in a number of reads
// logarithmic in the tree's size.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

class SubtreeSource {
 public:
  virtual ~SubtreeSource() = default;
  // The root of the `size` leaves from `first` (size a power of two, first
  // a multiple of it); nullopt when it cannot be read.
  virtual std::optional<Hash> subtree(std::uint64_t first, std::uint64_t size) const = 0;
};

// A source over leaf hashes held in memory, computing each subtree from
// its leaves: for tests and small trees.
class LeavesSource : public SubtreeSource {
 public:
  explicit LeavesSource(std::vector<Hash> leaves) : leaves_(std::move(leaves)) {}
  std::optional<Hash> subtree(std::uint64_t first, std::uint64_t size) const override;
  std::uint64_t size() const { return leaves_.size(); }

 private:
  std::vector<Hash> leaves_;
};

// The root of the first `size` leaves (empty_root() for none).
std::optional<Hash> tree_root(const SubtreeSource& source, std::uint64_t size);

// The inclusion proof (audit path) of leaf `index` in the tree of the first
// `size` leaves, RFC 9162 2.1.3.1; index < size.
std::optional<std::vector<Hash>> inclusion_proof(const SubtreeSource& source, std::uint64_t index,
                                                 std::uint64_t size);

// The consistency proof between the trees of the first `first` and
// `second` leaves, RFC 9162 2.1.4.1; first <= second. Empty when first is
// 0 or equals second.
std::optional<std::vector<Hash>> consistency_proof(const SubtreeSource& source, std::uint64_t first,
                                                   std::uint64_t second);

// RFC 9162 2.1.3.2: whether `path` proves that `leaf` is leaf `index` of
// the tree of `size` leaves whose root is `root`. The number of hashes is
// checked against the tree's shape before any is hashed. Refusals, each
// its own code: proof_index_beyond_size, proof_wrong_length,
// proof_root_mismatch.
Status check_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf, const std::vector<Hash>& path,
                       const Hash& root);

// RFC 9162 2.1.4.2: whether `path` proves that the tree of `first` leaves
// with root `first_root` is a prefix of the tree of `second` leaves with
// root `second_root`. Equal sizes need an empty path and equal roots; a
// first size of 0 needs an empty path (the empty tree is a prefix of every
// tree). Refusals: proof_sizes_reversed, proof_wrong_length (checked before
// any hashing), proof_first_root_mismatch, proof_root_mismatch.
Status check_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root, const Hash& second_root,
                         const std::vector<Hash>& path);

}  // namespace fundledger
