#include "audit/proof.h"

#include <bit>
#include <span>
#include <string>

#include "audit/merkle.h"
#include "util/check.h"

namespace fundledger {
namespace {

// The largest power of two below n (n >= 2): RFC 6962's split point k.
std::uint64_t split(std::uint64_t n) { return std::bit_floor(n - 1); }

// MTH of the leaves [first, first + size), where first is a multiple of
// the largest power of two no larger than size: a perfect subtree, or
// perfect subtrees from the left, joined as RFC 6962 joins them.
std::optional<Hash> range_root(const SubtreeSource& source, std::uint64_t first, std::uint64_t size) {
  FL_CHECK(size > 0);
  if (std::has_single_bit(size)) return source.subtree(first, size);
  const std::uint64_t k = split(size);
  const std::optional<Hash> left = source.subtree(first, k);
  const std::optional<Hash> right = range_root(source, first + k, size - k);
  if (!left || !right) return std::nullopt;
  return node_hash(*left, *right);
}

// PATH(m, D[first : first + size]) of RFC 9162 2.1.3.1, appended to `out`
// from the leaf up.
bool path(const SubtreeSource& source, std::uint64_t m, std::uint64_t first, std::uint64_t size,
          std::vector<Hash>& out) {
  if (size == 1) return true;
  const std::uint64_t k = split(size);
  if (m < k) {
    if (!path(source, m, first, k, out)) return false;
    const std::optional<Hash> right = range_root(source, first + k, size - k);
    if (!right) return false;
    out.push_back(*right);
  } else {
    if (!path(source, m - k, first + k, size - k, out)) return false;
    const std::optional<Hash> left = source.subtree(first, k);
    if (!left) return false;
    out.push_back(*left);
  }
  return true;
}

// SUBPROOF(m, D[first : first + size], b) of RFC 9162 2.1.4.1.
bool subproof(const SubtreeSource& source, std::uint64_t m, std::uint64_t first, std::uint64_t size,
              bool whole, std::vector<Hash>& out) {
  if (m == size) {
    if (whole) return true;
    const std::optional<Hash> root = range_root(source, first, size);
    if (!root) return false;
    out.push_back(*root);
    return true;
  }
  const std::uint64_t k = split(size);
  if (m <= k) {
    if (!subproof(source, m, first, k, whole, out)) return false;
    const std::optional<Hash> right = range_root(source, first + k, size - k);
    if (!right) return false;
    out.push_back(*right);
  } else {
    if (!subproof(source, m - k, first + k, size - k, false, out)) return false;
    const std::optional<Hash> left = source.subtree(first, k);
    if (!left) return false;
    out.push_back(*left);
  }
  return true;
}

// Checking a proof, as transparency-dev/merkle's proof/verify.go does it:
// the number of hashes a proof needs follows from the sizes alone, so it is
// checked before anything is hashed. An inclusion path splits where the
// paths to leaf `index` and to the last leaf part: below, the nodes on
// either side ("inner"); above, the left siblings on the tree's right
// border ("border").
std::size_t inner_proof_size(std::uint64_t index, std::uint64_t size) {
  return static_cast<std::size_t>(std::bit_width(index ^ (size - 1)));
}
std::size_t border_proof_size(std::uint64_t index, std::size_t inner) {
  return static_cast<std::size_t>(std::popcount(index >> inner));
}

using Path = std::span<const Hash>;

// The root of the subtree on the path at `index` (on its level) from the
// hashes below the split, lowest first.
Hash chain_inner(Hash seed, Path proof, std::uint64_t index) {
  for (std::size_t i = 0; i < proof.size(); ++i) {
    seed = ((index >> i) & 1) == 0 ? node_hash(seed, proof[i]) : node_hash(proof[i], seed);
  }
  return seed;
}
// The same with the hashes to the right of the path left out: the root of
// that subtree as it stood before the leaves on the right were added.
Hash chain_inner_right(Hash seed, Path proof, std::uint64_t index) {
  for (std::size_t i = 0; i < proof.size(); ++i) {
    if (((index >> i) & 1) == 1) seed = node_hash(proof[i], seed);
  }
  return seed;
}
// Up the tree's right border: every hash a left sibling.
Hash chain_border_right(Hash seed, Path proof) {
  for (const Hash& h : proof) seed = node_hash(h, seed);
  return seed;
}

// `what` names the proof the sizes call for: "a proof of leaf 5 in a tree
// of 13 leaves".
Status wrong_length(std::size_t got, std::size_t want, const std::string& what) {
  return Status::error(Code::kProofWrongLength, "the proof holds " + std::to_string(got) + " hashes; " + what +
                                                    " holds " + std::to_string(want));
}

}  // namespace

std::optional<Hash> LeavesSource::subtree(std::uint64_t first, std::uint64_t size) const {
  if (size == 0 || !std::has_single_bit(size) || first % size != 0 || first + size > leaves_.size()) {
    return std::nullopt;
  }
  RootBuilder tree;
  for (std::uint64_t i = first; i < first + size; ++i) tree.add_leaf(leaves_[i]);
  return tree.root();
}

std::optional<Hash> tree_root(const SubtreeSource& source, std::uint64_t size) {
  if (size == 0) return empty_root();
  return range_root(source, 0, size);
}

std::optional<std::vector<Hash>> inclusion_proof(const SubtreeSource& source, std::uint64_t index,
                                                 std::uint64_t size) {
  FL_CHECK(index < size);
  std::vector<Hash> out;
  if (!path(source, index, 0, size, out)) return std::nullopt;
  return out;
}

std::optional<std::vector<Hash>> consistency_proof(const SubtreeSource& source, std::uint64_t first,
                                                   std::uint64_t second) {
  FL_CHECK(first <= second);
  std::vector<Hash> out;
  if (first == 0 || first == second) return out;
  if (!subproof(source, first, 0, second, true, out)) return std::nullopt;
  return out;
}

Status check_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf, const std::vector<Hash>& path,
                       const Hash& root) {
  if (index >= size) {
    return Status::error(Code::kProofIndexBeyondSize, "leaf index " + std::to_string(index) +
                                                          " is not below the tree size " + std::to_string(size));
  }
  const std::size_t inner = inner_proof_size(index, size);
  const std::size_t border = border_proof_size(index, inner);
  if (path.size() != inner + border) {
    return wrong_length(path.size(), inner + border,
                        "a proof of leaf " + std::to_string(index) + " in a tree of " + std::to_string(size) + " leaves");
  }
  const Path p(path);
  const Hash r = chain_border_right(chain_inner(leaf, p.first(inner), index), p.subspan(inner));
  if (r != root) {
    return Status::error(Code::kProofRootMismatch, "the path leads to " + to_hex(r) + ", not to the root " + to_hex(root));
  }
  return Status::ok();
}

Status check_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root, const Hash& second_root,
                         const std::vector<Hash>& path) {
  if (first > second) {
    return Status::error(Code::kProofSizesReversed, "the first size " + std::to_string(first) +
                                                        " is larger than the second " + std::to_string(second));
  }
  if (first == second || first == 0) {
    // Trees of one size are the same tree; the empty tree is a prefix of
    // every tree. Neither needs a hash.
    if (!path.empty()) {
      return wrong_length(path.size(), 0, first == 0 ? "a proof from the empty tree" : "a proof between trees of one size");
    }
    if (first != 0 && first_root != second_root) {
      return Status::error(Code::kProofRootMismatch, "trees of one size have different roots");
    }
    return Status::ok();
  }
  // The proof is, in effect, the path of leaf first - 1 in the second tree
  // from level `shift` up, where the first tree's last perfect subtree
  // ends; that subtree's root comes first, unless it is the whole first
  // tree, whose root the auditor holds.
  const int shift = std::countr_zero(first);
  const std::size_t inner = inner_proof_size(first - 1, second) - static_cast<std::size_t>(shift);
  const std::size_t border = border_proof_size(first - 1, inner + static_cast<std::size_t>(shift));
  const bool whole = first == (std::uint64_t{1} << shift);
  const std::size_t start = whole ? 0 : 1;
  if (path.size() != start + inner + border) {
    return wrong_length(path.size(), start + inner + border,
                        "a proof from " + std::to_string(first) + " to " + std::to_string(second) + " leaves");
  }
  const Hash seed = whole ? first_root : path[0];
  const Path p = Path(path).subspan(start);
  const std::uint64_t mask = (first - 1) >> shift;
  const Hash fr = chain_border_right(chain_inner_right(seed, p.first(inner), mask), p.subspan(inner));
  if (fr != first_root) {
    return Status::error(Code::kProofFirstRootMismatch,
                         "the proof leads to " + to_hex(fr) + ", not to the first root " + to_hex(first_root));
  }
  const Hash sr = chain_border_right(chain_inner(seed, p.first(inner), mask), p.subspan(inner));
  if (sr != second_root) {
    return Status::error(Code::kProofRootMismatch,
                         "the proof leads to " + to_hex(sr) + ", not to the second root " + to_hex(second_root));
  }
  return Status::ok();
}

}  // namespace fundledger
