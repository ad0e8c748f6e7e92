#include "audit/merkle.h"

namespace fundledger {

Hash node_hash(const Hash& left, const Hash& right) {
  return thread_sha256().update_byte(0x01).update(left).update(right).finish();
}

Hash empty_root() { return sha256(""); }

void RootBuilder::add_leaf(const Hash& leaf) {
  subtrees_.push_back(leaf);
  ++size_;
  // Each trailing one bit of the new size closes a perfect subtree: merge the
  // two equal-sized subtrees at the top of the stack.
  for (std::uint64_t n = size_; (n & 1) == 0; n >>= 1) {
    const Hash right = subtrees_.back();
    subtrees_.pop_back();
    subtrees_.back() = node_hash(subtrees_.back(), right);
  }
}

Hash RootBuilder::root() const {
  if (subtrees_.empty()) return empty_root();
  // RFC 6962 splits at the largest power of two below the size, so the
  // root folds the perfect subtrees from the smallest (rightmost) up.
  Hash acc = subtrees_.back();
  for (auto it = subtrees_.rbegin() + 1; it != subtrees_.rend(); ++it) acc = node_hash(*it, acc);
  return acc;
}

}  // namespace fundledger
