#pragma once
// A keyed 64-bit hash, for comparing two large sets (the id index against
// the events, stored snapshots against a replay) through digests instead of
// record by record. The key is random for each run, so two different sets
// agree by chance only with a probability of about 2^-63. Not for secrets.

#include <cstdint>
#include <random>
#include <string_view>

namespace fundledger {

inline std::uint64_t keyed_hash(std::string_view s, std::uint64_t key) {
  std::uint64_t h = key ^ (s.size() * 0x9E3779B97F4A7C15ull);
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ull;
    h ^= h >> 29;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h | 1;  // never 0, which callers use for "none"
}

inline std::uint64_t random_hash_key() {
  std::random_device device;
  return (static_cast<std::uint64_t>(device()) << 32) ^ device();
}

}  // namespace fundledger
