#include "util/hash.h"

#include <cstring>

#include <openssl/evp.h>

#include "util/check.h"

namespace fundledger {
namespace {

// Fetched once: an explicit fetch saves OpenSSL 3 a provider lookup on every
// digest, which would cost more than hashing a short event.
const EVP_MD* sha256_md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  FL_CHECK(md != nullptr);
  return md;
}

}  // namespace

Sha256& thread_sha256() {
  thread_local Sha256 hasher;
  return hasher;
}

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  FL_CHECK(ctx_ != nullptr);
  FL_CHECK(EVP_DigestInit_ex(ctx_, sha256_md(), nullptr) == 1);
}

Sha256::~Sha256() { EVP_MD_CTX_free(ctx_); }

Sha256& Sha256::update(std::string_view bytes) {
  FL_CHECK(EVP_DigestUpdate(ctx_, bytes.data(), bytes.size()) == 1);
  return *this;
}

Sha256& Sha256::update(const Hash& h) { return update(hash_bytes(h)); }

Sha256& Sha256::update_byte(std::uint8_t b) {
  FL_CHECK(EVP_DigestUpdate(ctx_, &b, 1) == 1);
  return *this;
}

Hash Sha256::finish() {
  Hash out;
  unsigned int n = 0;
  FL_CHECK(EVP_DigestFinal_ex(ctx_, out.data(), &n) == 1 && n == out.size());
  FL_CHECK(EVP_DigestInit_ex(ctx_, sha256_md(), nullptr) == 1);
  return out;
}

Hash sha256(std::string_view bytes) {
  return thread_sha256().update(bytes).finish();
}

Hash leaf_hash(std::string_view canonical_bytes) {
  // One update instead of two when the event fits the buffer: each EVP
  // call costs about as much as hashing a block, and verify hashes every
  // event.
  constexpr std::size_t kBufferBytes = 1024;
  if (canonical_bytes.size() < kBufferBytes) {
    char buffer[kBufferBytes];
    buffer[0] = 0x00;
    std::memcpy(buffer + 1, canonical_bytes.data(), canonical_bytes.size());
    return thread_sha256().update({buffer, canonical_bytes.size() + 1}).finish();
  }
  return thread_sha256().update_byte(0x00).update(canonical_bytes).finish();
}

Hash chain_hash(const Hash& previous, const Hash& leaf) {
  char buffer[64];
  std::memcpy(buffer, previous.data(), 32);
  std::memcpy(buffer + 32, leaf.data(), 32);
  return thread_sha256().update({buffer, sizeof buffer}).finish();
}

std::string to_hex(const Hash& h) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(h.size() * 2, '0');
  for (std::size_t i = 0; i < h.size(); ++i) {
    out[2 * i] = kHex[h[i] >> 4];
    out[2 * i + 1] = kHex[h[i] & 0xF];
  }
  return out;
}

std::optional<Hash> hash_from_hex(std::string_view hex) {
  Hash h;
  if (hex.size() != h.size() * 2) return std::nullopt;
  const auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < h.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    h[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return h;
}

std::optional<Hash> hash_from_bytes(std::string_view bytes) {
  Hash h;
  if (bytes.size() != h.size()) return std::nullopt;
  std::memcpy(h.data(), bytes.data(), h.size());
  return h;
}

}  // namespace fundledger
