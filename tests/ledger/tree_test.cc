// The Merkle tree kept in the store: roots and proofs read through it equal
// those computed from every leaf, whatever the sizes of the writes were;
// a ledger made before the nodes were stored gets them before it grows.

#include <random>
#include <sstream>

#include <catch2/catch.hpp>

#include "audit/merkle.h"
#include "audit/proof.h"
#include "ledger/tree.h"
#include "ledger/verify.h"
#include "tests/support.h"

namespace fundledger {
namespace {

// Appends `count` generated events in writes of the given sizes, in turn.
void append_in_writes(test::Ledger& ledger, std::size_t count, const std::vector<std::size_t>& sizes) {
  std::istringstream lines(test::generated(count, 5));
  std::string line;
  for (std::size_t i = 0, done = 0; done < count; ++i) {
    std::string request;
    const std::size_t n = std::min(sizes[i % sizes.size()], count - done);
    for (std::size_t k = 0; k < n && std::getline(lines, line); ++k) request += line + "\n";
    ledger.append(request);
    done += n;
  }
}

std::vector<Hash> all_leaves(const Store& store) {
  std::vector<Hash> leaves;
  const auto reader = store.reader();
  for (auto c = reader->hashes_from(1); c->valid(); c->next()) leaves.push_back(c->hashes().leaf);
  REQUIRE(leaves.size() == store.head().size);
  return leaves;
}

// Roots and proofs through the store equal those from the leaves.
void check_against_leaves(const Store& store) {
  const auto reader = store.reader();
  const StoredTree stored(*reader);
  const LeavesSource leaves(all_leaves(store));
  const std::uint64_t n = store.head().size;
  for (const std::uint64_t size : {std::uint64_t{1}, std::uint64_t{255}, std::uint64_t{256}, std::uint64_t{257},
                                   std::uint64_t{511}, std::uint64_t{512}, std::uint64_t{1024}, std::uint64_t{2049}, n}) {
    INFO("root at " << size);
    CHECK(tree_root(stored, size) == tree_root(leaves, size));
  }
  std::mt19937_64 dice(11);
  for (int i = 0; i < 60; ++i) {
    const std::uint64_t size = 1 + dice() % n;
    const std::uint64_t index = dice() % size;
    const std::uint64_t first = dice() % (size + 1);
    INFO("leaf " << index << " of " << size << "; " << first << " to " << size);
    const auto proof = inclusion_proof(stored, index, size);
    REQUIRE(proof.has_value());
    CHECK(*proof == *inclusion_proof(leaves, index, size));
    CHECK(check_inclusion(index, size, leaves.subtree(index, 1).value(), *proof, *tree_root(leaves, size)).to_string() == "ok");
    CHECK(*consistency_proof(stored, first, size) == *consistency_proof(leaves, first, size));
  }
  CHECK(stored.status().to_string() == "ok");
}

TEST_CASE("roots and proofs read through the stored tree equal those from every leaf", "[tree]") {
  test::Ledger ledger;
  // Writes that end on, just before and just after blocks of 16 and 256
  // leaves, and writes that span several blocks.
  append_in_writes(ledger, 5000, {1, 7, 8, 16, 15, 1, 248, 256, 255, 1, 600, 3, 1030, 17});
  check_against_leaves(*ledger.store);
  // One node per 16 leaves at level 4, half as many above, none below.
  const auto reader = ledger.store->reader();
  CHECK(reader->get(Family::kTree, tree_key(4, 5000 / 16 - 1))->has_value());
  CHECK_FALSE(reader->get(Family::kTree, tree_key(4, 5000 / 16))->has_value());
  CHECK_FALSE(reader->get(Family::kTree, tree_key(3, 0))->has_value());
  CHECK(reader->get(Family::kTree, tree_key(8, 5000 / 256 - 1))->has_value());
  CHECK_FALSE(reader->get(Family::kTree, tree_key(8, 5000 / 256))->has_value());
  CHECK(reader->get(Family::kTree, tree_key(12, 0))->has_value());  // 4,096 leaves
  CHECK_FALSE(reader->get(Family::kTree, tree_key(12, 1))->has_value());
}

TEST_CASE("a ledger without stored tree nodes gets them before it grows", "[tree]") {
  test::Ledger ledger;
  append_in_writes(ledger, 3000, {1000});
  ledger.close();
  {
    // As a ledger made before the nodes were stored.
    test::RawDb db(ledger.dir.path());
    for (int level = 4; level < 12; ++level) {
      for (std::uint64_t index = 0; index < (std::uint64_t{3000} >> level); ++index) db.remove(Family::kTree, tree_key(level, index));
    }
  }
  ledger.reopen();
  {
    const auto reader = ledger.store->reader();
    CHECK_FALSE(reader->get(Family::kTree, tree_key(4, 0))->has_value());
  }
  append_in_writes(ledger, 700, {700});
  check_against_leaves(*ledger.store);
}

// The tree verify recomputes from the leaves, in verify's chunks.
RecomputedTree recomputed(const Store& store) {
  const std::vector<Hash> leaves = all_leaves(store);
  RecomputedTree tree(leaves.size());
  for (std::size_t first = 0; first < leaves.size(); first += kVerifyChunkEvents) {
    const std::size_t end = std::min<std::size_t>(first + kVerifyChunkEvents, leaves.size());
    tree.add_chunk(first + 1, std::vector<Hash>(leaves.begin() + first, leaves.begin() + end));
  }
  CHECK(tree.root() == tree_root(LeavesSource(leaves), leaves.size()));
  return tree;
}

std::optional<Failure> node_failure(const Store& store, const RecomputedTree& tree) {
  Result<std::optional<Failure>> r = tree.compare_stored(*store.reader());
  REQUIRE(r.status().to_string() == "ok");
  return *r;
}

TEST_CASE("verify recomputes every stored node and names the first event under a wrong one", "[tree]") {
  test::Ledger ledger;
  append_in_writes(ledger, 20000, {999, 3000, 17});  // two of verify's chunks
  const RecomputedTree tree = recomputed(*ledger.store);
  CHECK_FALSE(node_failure(*ledger.store, tree).has_value());
  ledger.close();
  const Hash other = sha256("another history");
  const std::string other_bytes(other.begin(), other.end());

  SECTION("a node rewritten") {
    {
      test::RawDb db(ledger.dir.path());
      db.put(Family::kTree, tree_key(10, 5), other_bytes);  // leaves 5121..6144
      db.put(Family::kTree, tree_key(8, 70), other_bytes);  // leaves 17921..18176
    }
    ledger.reopen();
    const std::optional<Failure> f = node_failure(*ledger.store, tree);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kTreeNodeMismatch);
    CHECK(f->seq == 5121);
    CHECK(f->found == to_hex(other));
    CHECK(f->message == "the tree node at level 10, index 5 is not the hash of the leaves under it");
  }
  SECTION("a node missing") {
    {
      test::RawDb db(ledger.dir.path());
      db.remove(Family::kTree, tree_key(12, 2));  // leaves 8193..12288
    }
    ledger.reopen();
    const std::optional<Failure> f = node_failure(*ledger.store, tree);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kTreeNodeMissing);
    CHECK(f->seq == 8193);
  }
  SECTION("a node beyond the log") {
    {
      test::RawDb db(ledger.dir.path());
      db.put(Family::kTree, tree_key(8, 78), other_bytes);  // leaves 19969..20224, past 20000
    }
    ledger.reopen();
    const std::optional<Failure> f = node_failure(*ledger.store, tree);
    REQUIRE(f.has_value());
    CHECK(f->check == Code::kTreeNodeBeyondHead);
    CHECK(f->seq == 19969);
  }
}

}  // namespace
}  // namespace fundledger
