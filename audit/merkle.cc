#include "audit/merkle.h"

#include <cstring>

#include "util/check.h"

namespace fundledger {

Hash node_hash(const Hash& left, const Hash& right) {
  // One update of the 65 bytes: each EVP call costs about a block's hashing.
  char buffer[65];
  buffer[0] = 0x01;
  std::memcpy(buffer + 1, left.data(), 32);
  std::memcpy(buffer + 33, right.data(), 32);
  return thread_sha256().update({buffer, sizeof buffer}).finish();
}

Hash empty_root() { return sha256(""); }

void RootBuilder::add_subtree(const Hash& root, std::uint64_t size) {
  FL_CHECK(size != 0 && (size & (size - 1)) == 0);
  FL_CHECK(subtrees_.empty() || subtrees_.back().size >= size);
  subtrees_.push_back({root, size});
  size_ += size;
  // Two subtrees of one size side by side make a subtree twice the size.
  while (subtrees_.size() >= 2 && subtrees_[subtrees_.size() - 2].size == subtrees_.back().size) {
    const Subtree right = subtrees_.back();
    subtrees_.pop_back();
    Subtree& left = subtrees_.back();
    left.root = node_hash(left.root, right.root);
    left.size *= 2;
  }
}

void RootBuilder::append(const RootBuilder& other) {
  for (const Subtree& s : other.subtrees_) add_subtree(s.root, s.size);
}

Hash RootBuilder::root() const {
  if (subtrees_.empty()) return empty_root();
  // RFC 6962 splits at the largest power of two below the size, so the
  // root folds the perfect subtrees from the smallest (rightmost) up.
  Hash acc = subtrees_.back().root;
  for (auto it = subtrees_.rbegin() + 1; it != subtrees_.rend(); ++it) acc = node_hash(it->root, acc);
  return acc;
}

void PartedRootBuilder::add_run(std::uint64_t first_index, const std::vector<Hash>& leaves) {
  RootBuilder part;
  for (const Hash& leaf : leaves) part.add_leaf(leaf);
  std::lock_guard lock(mu_);
  parts_.emplace(first_index, std::move(part));
}

RootBuilder PartedRootBuilder::join() const {
  std::lock_guard lock(mu_);
  RootBuilder tree;
  for (const auto& [first_index, part] : parts_) {
    FL_CHECK(first_index == tree.size());
    tree.append(part);
  }
  return tree;
}

}  // namespace fundledger
