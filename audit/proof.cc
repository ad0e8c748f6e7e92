#include "audit/proof.h"

#include <bit>

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

// RFC 9162's step after hashing a node in from the left: right-shift fn
// and sn together until fn's lowest bit is set or fn is 0.
void shift_to_set_bit(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
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

std::string check_inclusion(std::uint64_t index, std::uint64_t size, const Hash& leaf,
                            const std::vector<Hash>& path, const Hash& root) {
  if (index >= size) {
    return "leaf index " + std::to_string(index) + " is not below the tree size " + std::to_string(size);
  }
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash r = leaf;
  for (const Hash& p : path) {
    if (sn == 0) return "the path is longer than the tree is deep";
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      shift_to_set_bit(fn, sn);
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return "the path is shorter than the tree is deep";
  if (r != root) return "the path leads to " + to_hex(r) + ", not to the root " + to_hex(root);
  return "";
}

std::string check_consistency(std::uint64_t first, std::uint64_t second, const Hash& first_root,
                              const Hash& second_root, const std::vector<Hash>& path) {
  if (first > second) {
    return "the first size " + std::to_string(first) + " is larger than the second " + std::to_string(second);
  }
  if (first == second) {
    if (!path.empty()) return "trees of one size need an empty proof";
    if (first_root != second_root) return "trees of one size have different roots";
    return "";
  }
  if (first == 0) {
    if (!path.empty()) return "the empty tree needs an empty proof";
    return "";
  }
  if (path.empty()) return "the proof is empty";
  // When the first tree is a perfect subtree of the second, its root is
  // the proof's implicit first element.
  std::vector<Hash> p;
  p.reserve(path.size() + 1);
  if (std::has_single_bit(first)) p.push_back(first_root);
  p.insert(p.end(), path.begin(), path.end());
  std::uint64_t fn = first - 1;
  std::uint64_t sn = second - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash fr = p[0];
  Hash sr = p[0];
  for (std::size_t i = 1; i < p.size(); ++i) {
    const Hash& c = p[i];
    if (sn == 0) return "the proof is longer than the trees are deep";
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      shift_to_set_bit(fn, sn);
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return "the proof is shorter than the trees are deep";
  if (fr != first_root) return "the proof leads to " + to_hex(fr) + ", not to the first root " + to_hex(first_root);
  if (sr != second_root) {
    return "the proof leads to " + to_hex(sr) + ", not to the second root " + to_hex(second_root);
  }
  return "";
}

}  // namespace fundledger
