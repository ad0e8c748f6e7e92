#pragma once
// Signed notes (c2sp.org/signed-note) with Ed25519 keys (signature type
// 0x01), as the ledger's checkpoints are signed (SPEC section 4).
//
// A note is text (UTF-8 lines, each ending in a newline), a blank line,
// then one line per signature: "— " (U+2014 and a space), the key's name,
// a space, and base64 of the key id (4 bytes, big-endian) followed by the
// 64-byte Ed25519 signature of the text. The key id is the first four
// bytes of SHA-256(name || 0x0A || 0x01 || public key). A verifier key is
// published as "name+<key id, 8 hex digits>+base64(0x01 || public key)".

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace fundledger {

using Ed25519Seed = std::array<std::uint8_t, 32>;
using Ed25519PublicKey = std::array<std::uint8_t, 32>;
using Ed25519Signature = std::array<std::uint8_t, 64>;

// Base64 (RFC 4648, with padding), and back; nullopt for anything that is
// not exactly what encoding some bytes gives.
std::string base64_encode(std::string_view bytes);
std::optional<std::string> base64_decode(std::string_view text);

// The key id of a key name and Ed25519 public key: the first four bytes
// of SHA-256(name || 0x0A || type || public key), with the signature type
// 0x01 of a note's signer unless another is given (a cosigner's is 0x04,
// audit/cosignature.h).
inline constexpr std::uint8_t kEd25519NoteType = 0x01;
std::uint32_t note_key_id(std::string_view name, const Ed25519PublicKey& key, std::uint8_t type = kEd25519NoteType);

// A verifier key "name+<key id hex>+base64(type || public key)" of a
// 32-byte key, and its parts.
struct VerifierKey {
  std::string name;
  std::uint32_t key_id = 0;
  std::uint8_t type = 0;
  Ed25519PublicKey public_key{};
};
std::string verifier_key_text(std::string_view name, std::uint8_t type, const Ed25519PublicKey& key);
// nullopt when `text` is not a verifier key of a 32-byte key of `type`
// whose key id matches.
std::optional<VerifierKey> parse_verifier_key(std::string_view text, std::uint8_t type);

// A note taken apart: its text (ending in a newline) and its signature
// lines, each its key name, key id and the bytes after the key id.
struct NoteSignatureLine {
  std::string name;
  std::uint32_t key_id = 0;
  std::string signature;
};
struct SplitNote {
  std::string body;
  std::vector<NoteSignatureLine> signatures;
};
// Refusal: note_malformed (no blank line before the signatures, a text
// that check_note_text refuses, a malformed signature line, more than
// kNoteSignaturesMax of them).
inline constexpr std::size_t kNoteSignaturesMax = 100;
Result<SplitNote> split_note(std::string_view note);
// "— name base64(key id || signature)\n".
std::string note_signature_line(std::string_view name, std::uint32_t key_id, std::string_view signature);
// Whether `signature` is the Ed25519 signature of `message` by `key`.
bool ed25519_verifies(const Ed25519PublicKey& key, std::string_view message, const Ed25519Signature& signature);
// The Ed25519 signature of `message` by the key of `seed`.
Ed25519Signature ed25519_sign(const Ed25519Seed& seed, std::string_view message);
// The public key of `seed`.
Ed25519PublicKey ed25519_public_key(const Ed25519Seed& seed);

// Whether `name` may name a key: non-empty, printable, no spaces and no '+'.
bool valid_key_name(std::string_view name);

class NoteSigner {
 public:
  // The signer of the Ed25519 key made from `seed` (RFC 8032's 32-byte
  // private key). nullopt when `name` is not a valid key name.
  static std::optional<NoteSigner> from_seed(std::string name, const Ed25519Seed& seed);
  // A new random key.
  static std::optional<NoteSigner> generate(std::string name);

  const std::string& name() const { return name_; }
  const Ed25519Seed& seed() const { return seed_; }
  const Ed25519PublicKey& public_key() const { return public_; }
  std::uint32_t key_id() const { return note_key_id(name_, public_); }
  // "name+<key id hex>+base64(0x01 || public key)".
  std::string verifier_key() const;
  // The signed note of `text`, which must be non-empty UTF-8 lines each
  // ending in a newline (check_note_text).
  std::string sign(std::string_view text) const;
  // The Ed25519 signature of any bytes (an audited view's, SPEC 3).
  Ed25519Signature signature(std::string_view message) const;

 private:
  NoteSigner() = default;
  std::string name_;
  Ed25519Seed seed_{};
  Ed25519PublicKey public_{};
};

// ok when `text` may be a note's text: non-empty UTF-8 lines, each ending
// in a newline, without control characters. Refusal: note_malformed.
Status check_note_text(std::string_view text);

class NoteVerifier {
 public:
  // Parses a verifier key; nullopt when it is not one (a bad name, a key id
  // that does not match the key, an unknown signature type, bad base64).
  static std::optional<NoteVerifier> parse(std::string_view verifier_key);

  const std::string& name() const { return name_; }
  std::uint32_t key_id() const { return key_id_; }
  const Ed25519PublicKey& public_key() const { return public_; }

  // Checks that `note` is a well-formed signed note carrying a valid
  // signature by this key, and returns its text. Refusals: note_malformed
  // (not a signed note), note_unsigned (no signature by this key: its name
  // or key id differ), note_signature_invalid (this key's signature does
  // not verify). Signatures by other keys are allowed and ignored, as the
  // format asks.
  Result<std::string> check(std::string_view note) const;
  // Whether `signature` is this key's Ed25519 signature of `message`.
  bool verifies(std::string_view message, const Ed25519Signature& signature) const;

 private:
  NoteVerifier() = default;
  std::string name_;
  std::uint32_t key_id_ = 0;
  Ed25519PublicKey public_{};
};

}  // namespace fundledger
