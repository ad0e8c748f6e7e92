// The Merkle root built leaf by leaf equals RFC 6962's recursive definition,
// MTH(D[n]) = SHA-256(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest
// power of two below n, at every size.

#include <catch2/catch.hpp>

#include "audit/merkle.h"
#include "tests/audit/audit_support.h"

namespace fundledger {
namespace {

using test::reference_root;

TEST_CASE("the streamed root equals RFC 6962's recursive root at every size", "[merkle]") {
  std::vector<Hash> leaves;
  RootBuilder tree;
  CHECK(tree.root() == reference_root(leaves, 0, 0));
  for (int i = 0; i < 70; ++i) {
    leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
    tree.add_leaf(leaves.back());
    INFO("size " << leaves.size());
    CHECK(tree.root() == reference_root(leaves, 0, leaves.size()));
  }
  CHECK(tree.size() == 70);
}

TEST_CASE("a tree built in aligned runs, in any order, has the same root", "[merkle]") {
  std::vector<Hash> leaves;
  for (int i = 0; i < 37; ++i) leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
  PartedRootBuilder parts;
  // Runs of 8 from index 0, 8, 16, 24, and the last 5 from 32, added out of order.
  for (std::size_t first : {16u, 0u, 32u, 8u, 24u}) {
    const std::size_t end = std::min<std::size_t>(first + 8, leaves.size());
    parts.add_run(first, std::vector<Hash>(leaves.begin() + first, leaves.begin() + end));
  }
  const RootBuilder tree = parts.join();
  CHECK(tree.size() == 37);
  CHECK(tree.root() == reference_root(leaves, 0, leaves.size()));
}

TEST_CASE("node hashes are domain-separated from leaf hashes", "[merkle]") {
  const Hash a = leaf_hash("a");
  const Hash b = leaf_hash("b");
  Sha256 h;
  CHECK(node_hash(a, b) == h.update_byte(0x01).update(a).update(b).finish());
  CHECK(leaf_hash("a") == h.update_byte(0x00).update("a").finish());
  CHECK(node_hash(a, b) != node_hash(b, a));
}

}  // namespace
}  // namespace fundledger
