#pragma once
// Cosignatures (c2sp.org/tlog-cosignature), Ed25519 "cosignature/v1": a
// witness's statement that, at a time, the checkpoint is the largest
// consistent tree head of the log it has seen.
//
// A cosignature is a signed note's signature line by the cosigner's key,
// whose key id is the first four bytes of SHA-256(name || 0x0A || 0x04 ||
// public key), and whose signature bytes are the time (8 bytes, big-endian
// seconds since 1970) followed by the Ed25519 signature of
//
//   cosignature/v1
//   time <the time in decimal>
//   <the checkpoint's text, every line of it>
//
// A cosigner's verifier key is "name+<key id hex>+base64(0x04 || key)".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "audit/note.h"

namespace fundledger {

inline constexpr std::uint8_t kCosignatureType = 0x04;
// The latest time a cosignature may carry (2^63 - 1 seconds).
inline constexpr std::uint64_t kCosignatureTimeMax = 0x7FFF'FFFF'FFFF'FFFFull;

// The bytes a cosigner signs for `checkpoint_text` at `time`.
std::string cosigned_message(std::string_view checkpoint_text, std::uint64_t time);

class Cosigner {
 public:
  // nullopt when `name` is not a valid key name.
  static std::optional<Cosigner> from_seed(std::string name, const Ed25519Seed& seed);
  static std::optional<Cosigner> generate(std::string name);

  const std::string& name() const { return name_; }
  const Ed25519Seed& seed() const { return seed_; }
  const Ed25519PublicKey& public_key() const { return public_; }
  std::uint32_t key_id() const { return note_key_id(name_, public_, kCosignatureType); }
  std::string verifier_key() const { return verifier_key_text(name_, kCosignatureType, public_); }
  // The signature line ("— name base64(...)\n") of its cosignature of
  // `checkpoint_text` at `time` (at most kCosignatureTimeMax).
  std::string cosign(std::string_view checkpoint_text, std::uint64_t time) const;

 private:
  Cosigner() = default;
  std::string name_;
  Ed25519Seed seed_{};
  Ed25519PublicKey public_{};
};

// What a note holds of one cosigner: no line of its name and key id, a
// valid cosignature (with its time), or a line that does not verify.
enum class Cosigned { kAbsent, kValid, kInvalid };
struct CosignatureCheck {
  Cosigned outcome = Cosigned::kAbsent;
  std::uint64_t time = 0;
};

class CosignatureVerifier {
 public:
  // nullopt when `verifier_key` is not a cosigner's (type 0x04) verifier key.
  static std::optional<CosignatureVerifier> parse(std::string_view verifier_key);

  const std::string& name() const { return key_.name; }
  std::uint32_t key_id() const { return key_.key_id; }
  const Ed25519PublicKey& public_key() const { return key_.public_key; }

  // This cosigner's signature lines in `note`: valid when one verifies
  // and none fails; its time is the valid one's.
  CosignatureCheck check(const SplitNote& note) const;

 private:
  CosignatureVerifier() = default;
  VerifierKey key_;
};

}  // namespace fundledger
