// Inclusion and consistency proofs, RFC 9162 sections 2.1.3 and 2.1.4:
// every proof of trees up to 40 leaves verifies, and any change to a valid
// proof (a flipped bit, an element added or taken away, another index,
// size or root, sizes swapped) is refused.

#include <bit>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/merkle.h"
#include "audit/proof.h"
#include "tests/audit/audit_support.h"

namespace fundledger {
namespace {

using test::read_testdata;
using test::reference_root;

std::string bytes_from_hex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

std::vector<Hash> hashes(const nlohmann::json& list) {
  std::vector<Hash> out;
  for (const auto& h : list) out.push_back(*hash_from_hex(h.get<std::string>()));
  return out;
}

TEST_CASE("the reference tree of certificate transparency: roots and published proofs", "[proof]") {
  const nlohmann::json kat = read_testdata("rfc6962_reference_tree.json");
  std::vector<Hash> leaves;
  for (const auto& leaf : kat["leaves"]) leaves.push_back(leaf_hash(bytes_from_hex(leaf.get<std::string>())));
  REQUIRE(leaves.size() == 8);
  const LeavesSource source(leaves);
  const std::vector<Hash> roots = hashes(kat["roots"]);
  REQUIRE(roots.size() == 9);
  for (std::uint64_t size = 0; size <= 8; ++size) {
    INFO("size " << size);
    CHECK(to_hex(*tree_root(source, size)) == to_hex(roots[size]));
    RootBuilder streamed;
    for (std::uint64_t i = 0; i < size; ++i) streamed.add_leaf(leaves[i]);
    CHECK(to_hex(streamed.root()) == to_hex(roots[size]));
  }
  for (const auto& c : kat["inclusion"]) {
    const std::uint64_t index = c["index"], size = c["size"];
    INFO("inclusion of leaf " << index << " in " << size);
    const std::vector<Hash> published = hashes(c["path"]);
    CHECK(*inclusion_proof(source, index, size) == published);
    CHECK(check_inclusion(index, size, leaves[index], published, roots[size]).to_string() == "ok");
  }
  for (const auto& c : kat["consistency"]) {
    const std::uint64_t first = c["first"], second = c["second"];
    INFO("consistency of " << first << " and " << second);
    const std::vector<Hash> published = hashes(c["path"]);
    CHECK(*consistency_proof(source, first, second) == published);
    CHECK(check_consistency(first, second, roots[first], roots[second], published).to_string() == "ok");
  }
}

std::vector<Hash> make_leaves(std::size_t n) {
  std::vector<Hash> leaves;
  for (std::size_t i = 0; i < n; ++i) leaves.push_back(leaf_hash("leaf " + std::to_string(i)));
  return leaves;
}

constexpr std::size_t kMax = 40;

TEST_CASE("every inclusion proof of trees up to 40 leaves verifies, and only for its own leaf", "[proof]") {
  const std::vector<Hash> leaves = make_leaves(kMax);
  const LeavesSource source(leaves);
  for (std::uint64_t size = 1; size <= kMax; ++size) {
    const Hash root = reference_root(leaves, 0, size);
    REQUIRE(tree_root(source, size) == root);
    for (std::uint64_t index = 0; index < size; ++index) {
      INFO("leaf " << index << " of " << size);
      const auto proof = inclusion_proof(source, index, size);
      REQUIRE(proof.has_value());
      CHECK(check_inclusion(index, size, leaves[index], *proof, root).to_string() == "ok");
      // Another leaf's hash, at the same place, is refused.
      CHECK(check_inclusion(index, size, leaves[(index + 1) % kMax], *proof, root).code() == Code::kProofRootMismatch);
    }
  }
  CHECK(tree_root(source, 0) == sha256(""));
}

TEST_CASE("every consistency proof of trees up to 40 leaves verifies", "[proof]") {
  const std::vector<Hash> leaves = make_leaves(kMax);
  const LeavesSource source(leaves);
  for (std::uint64_t second = 0; second <= kMax; ++second) {
    const Hash second_root = reference_root(leaves, 0, second);
    for (std::uint64_t first = 0; first <= second; ++first) {
      INFO(first << " to " << second);
      const Hash first_root = reference_root(leaves, 0, first);
      const auto proof = consistency_proof(source, first, second);
      REQUIRE(proof.has_value());
      CHECK(check_consistency(first, second, first_root, second_root, *proof).to_string() == "ok");
      if (first == 0 || first == second) CHECK(proof->empty());
      // A first tree that is not a prefix of the second is refused.
      if (first > 0 && first < second) {
        const Hash other = reference_root(make_leaves(first + 1), 1, first + 1);
        // When the first tree is a perfect subtree of the second, its root
        // is the proof's first hash, so the second root is what fails.
        CHECK(check_consistency(first, second, other, second_root, *proof).code() ==
              (std::has_single_bit(first) ? Code::kProofRootMismatch : Code::kProofFirstRootMismatch));
      }
    }
  }
}

// Every bit of every element flipped, one at a time: refused as leading
// to another root (the first tree's, for a consistency proof's hashes
// under the first tree).
template <typename Check>
void each_bit_flip_is_refused(const std::vector<Hash>& path, Check check) {
  for (std::size_t e = 0; e < path.size(); ++e) {
    for (std::size_t bit = 0; bit < 256; ++bit) {
      std::vector<Hash> bad = path;
      bad[e][bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
      INFO("element " << e << ", bit " << bit);
      const Code code = check(bad).code();
      CHECK((code == Code::kProofRootMismatch || code == Code::kProofFirstRootMismatch));
    }
  }
}

TEST_CASE("a changed inclusion proof is refused", "[proof]") {
  const std::vector<Hash> leaves = make_leaves(13);
  const LeavesSource source(leaves);
  const Hash root = reference_root(leaves, 0, 13);
  const std::uint64_t index = 5;
  const std::vector<Hash> path = *inclusion_proof(source, index, 13);
  REQUIRE(path.size() == 4);
  const auto check = [&](const std::vector<Hash>& p) { return check_inclusion(index, 13, leaves[index], p, root); };
  REQUIRE(check(path).to_string() == "ok");

  each_bit_flip_is_refused(path, check);
  // The length is checked against the tree's shape before any hashing.
  std::vector<Hash> longer = path;
  longer.push_back(leaves[0]);
  CHECK(check(longer).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof of leaf 5 in a tree of 13 leaves holds 4");
  std::vector<Hash> shorter(path.begin(), path.end() - 1);
  CHECK(check(shorter).to_string() ==
        "proof_wrong_length: the proof holds 3 hashes; a proof of leaf 5 in a tree of 13 leaves holds 4");
  CHECK(check({}).to_string() ==
        "proof_wrong_length: the proof holds 0 hashes; a proof of leaf 5 in a tree of 13 leaves holds 4");
  CHECK(check_inclusion(index + 1, 13, leaves[index], path, root).code() == Code::kProofRootMismatch);
  CHECK(check_inclusion(index - 1, 13, leaves[index], path, root).code() == Code::kProofRootMismatch);
  // Another size is refused where it changes the path's shape. Sizes
  // 9 to 16 give leaf 5 the same shape, so the path alone cannot tell
  // them apart: the root commits to the size, and a checkpoint signs the
  // two together.
  CHECK(check_inclusion(index, 8, leaves[index], path, root).to_string() ==
        "proof_wrong_length: the proof holds 4 hashes; a proof of leaf 5 in a tree of 8 leaves holds 3");
  CHECK(check_inclusion(index, 17, leaves[index], path, root).to_string() ==
        "proof_wrong_length: the proof holds 4 hashes; a proof of leaf 5 in a tree of 17 leaves holds 5");
  CHECK(check_inclusion(13, 13, leaves[index], path, root).to_string() ==
        "proof_index_beyond_size: leaf index 13 is not below the tree size 13");
  const Status other_root = check_inclusion(index, 13, leaves[index], path, reference_root(leaves, 0, 12));
  CHECK(other_root.code() == Code::kProofRootMismatch);
  CHECK(other_root.message() == "the path leads to " + to_hex(root) + ", not to the root " +
                                    to_hex(reference_root(leaves, 0, 12)));
}

TEST_CASE("a changed consistency proof is refused", "[proof]") {
  const std::vector<Hash> leaves = make_leaves(13);
  const LeavesSource source(leaves);
  const Hash root7 = reference_root(leaves, 0, 7);
  const Hash root13 = reference_root(leaves, 0, 13);
  const std::vector<Hash> path = *consistency_proof(source, 7, 13);
  REQUIRE(path.size() == 5);
  const auto check = [&](const std::vector<Hash>& p) { return check_consistency(7, 13, root7, root13, p); };
  REQUIRE(check(path).to_string() == "ok");

  each_bit_flip_is_refused(path, check);
  std::vector<Hash> longer = path;
  longer.push_back(leaves[0]);
  CHECK(check(longer).to_string() ==
        "proof_wrong_length: the proof holds 6 hashes; a proof from 7 to 13 leaves holds 5");
  std::vector<Hash> shorter(path.begin(), path.end() - 1);
  CHECK(check(shorter).to_string() ==
        "proof_wrong_length: the proof holds 4 hashes; a proof from 7 to 13 leaves holds 5");
  CHECK(check({}).to_string() == "proof_wrong_length: the proof holds 0 hashes; a proof from 7 to 13 leaves holds 5");
  CHECK(check_consistency(6, 13, root7, root13, path).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof from 6 to 13 leaves holds 4");
  CHECK(check_consistency(7, 8, root7, root13, path).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof from 7 to 8 leaves holds 4");
  CHECK(check_consistency(7, 17, root7, root13, path).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof from 7 to 17 leaves holds 6");
  CHECK(check_consistency(13, 7, root13, root7, path).to_string() ==
        "proof_sizes_reversed: the first size 13 is larger than the second 7");
  CHECK(check_consistency(7, 13, root13, root7, path).code() == Code::kProofFirstRootMismatch);
  CHECK(check_consistency(7, 13, root7, root7, path).code() == Code::kProofRootMismatch);
  // Equal sizes, and the empty tree.
  CHECK(check_consistency(13, 13, root13, root13, {}).to_string() == "ok");
  CHECK(check_consistency(13, 13, root13, root7, {}).to_string() ==
        "proof_root_mismatch: trees of one size have different roots");
  CHECK(check_consistency(13, 13, root13, root13, path).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof between trees of one size holds 0");
  CHECK(check_consistency(0, 13, sha256(""), root13, {}).to_string() == "ok");
  CHECK(check_consistency(0, 13, sha256(""), root13, path).to_string() ==
        "proof_wrong_length: the proof holds 5 hashes; a proof from the empty tree holds 0");
}

}  // namespace
}  // namespace fundledger
