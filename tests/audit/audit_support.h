#pragma once
// What the audit tests share: RFC 6962's Merkle tree hash straight from its
// recursive definition, and reading the JSON files of tests/testdata.

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/merkle.h"
#include "audit/note.h"

namespace fundledger::test {

// MTH(D[begin:end]) = SHA-256(0x01 || MTH(D[begin:begin+k]) || MTH(D[begin+k:end])),
// k the largest power of two below the count; SHA-256("") for none.
inline Hash reference_root(const std::vector<Hash>& leaves, std::size_t begin, std::size_t end) {
  const std::size_t n = end - begin;
  if (n == 0) return sha256("");
  if (n == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return node_hash(reference_root(leaves, begin, begin + k), reference_root(leaves, begin + k, end));
}

// An Ed25519 seed of 32 times `fill`: a fixed key for a test.
inline Ed25519Seed seed_of(std::uint8_t fill) {
  Ed25519Seed seed;
  seed.fill(fill);
  return seed;
}

// A JSON file of tests/testdata, by its path under that directory.
inline nlohmann::json read_testdata(const std::filesystem::path& name) {
  std::ifstream in(std::filesystem::path(FUNDLEDGER_TESTDATA) / name);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  return nlohmann::json::parse(text.str());
}

}  // namespace fundledger::test
