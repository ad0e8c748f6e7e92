#pragma once
// SHA-256 through OpenSSL's EVP interface, and the two hashes of SPEC 1.2
// that tie each event to the log: the RFC 6962 leaf hash and the chain hash.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct evp_md_ctx_st;

namespace fundledger {

using Hash = std::array<std::uint8_t, 32>;

// An incremental SHA-256. One object per thread: it is not thread-safe.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& update(std::string_view bytes);
  Sha256& update(const Hash& h);
  Sha256& update_byte(std::uint8_t b);
  // Returns the digest and makes the object ready for a new message.
  Hash finish();

 private:
  evp_md_ctx_st* ctx_;
};

// A context owned by the calling thread, for hashing many short messages
// without creating a context for each.
Sha256& thread_sha256();

Hash sha256(std::string_view bytes);

// SHA-256(0x00 || canonical bytes): the RFC 6962 leaf hash of an event.
Hash leaf_hash(std::string_view canonical_bytes);
// SHA-256(previous || leaf): chain_hash[n] from chain_hash[n-1] and leaf[n].
Hash chain_hash(const Hash& previous, const Hash& leaf);
// chain_hash[0]: 32 zero bytes.
inline constexpr Hash kZeroHash{};

std::string to_hex(const Hash& h);
// Parses 64 lower-case hex digits; nullopt for anything else.
std::optional<Hash> hash_from_hex(std::string_view hex);
// The 32 bytes as a string, for storing.
inline std::string_view hash_bytes(const Hash& h) {
  return {reinterpret_cast<const char*>(h.data()), h.size()};
}
// Reads 32 bytes; nullopt when `bytes` has another length.
std::optional<Hash> hash_from_bytes(std::string_view bytes);

}  // namespace fundledger
