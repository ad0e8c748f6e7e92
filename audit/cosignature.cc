#include "audit/cosignature.h"

#include <algorithm>

namespace fundledger {
namespace {

std::string be64(std::uint64_t v) {
  std::string out(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<std::size_t>(i)] = static_cast<char>(v & 0xFF);
  return out;
}

std::uint64_t read_be64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8; ++i) v = (v << 8) | static_cast<std::uint8_t>(bytes[i]);
  return v;
}

}  // namespace

std::string cosigned_message(std::string_view checkpoint_text, std::uint64_t time) {
  std::string out = "cosignature/v1\ntime " + std::to_string(time) + "\n";
  out += checkpoint_text;
  return out;
}

std::optional<Cosigner> Cosigner::from_seed(std::string name, const Ed25519Seed& seed) {
  if (!valid_key_name(name)) return std::nullopt;
  Cosigner c;
  c.name_ = std::move(name);
  c.seed_ = seed;
  c.public_ = ed25519_public_key(seed);
  return c;
}

std::optional<Cosigner> Cosigner::generate(std::string name) {
  const std::optional<NoteSigner> signer = NoteSigner::generate(name);
  if (!signer) return std::nullopt;
  return from_seed(std::move(name), signer->seed());
}

std::string Cosigner::cosign(std::string_view checkpoint_text, std::uint64_t time) const {
  const std::uint64_t t = std::min(time, kCosignatureTimeMax);
  const Ed25519Signature signature = ed25519_sign(seed_, cosigned_message(checkpoint_text, t));
  return note_signature_line(name_, key_id(),
                             be64(t) + std::string(reinterpret_cast<const char*>(signature.data()), signature.size()));
}

std::optional<CosignatureVerifier> CosignatureVerifier::parse(std::string_view verifier_key) {
  std::optional<VerifierKey> key = parse_verifier_key(verifier_key, kCosignatureType);
  if (!key) return std::nullopt;
  CosignatureVerifier v;
  v.key_ = std::move(*key);
  return v;
}

CosignatureCheck CosignatureVerifier::check(const SplitNote& note) const {
  CosignatureCheck out;
  for (const NoteSignatureLine& line : note.signatures) {
    if (line.name != key_.name || line.key_id != key_.key_id) continue;
    const std::string_view bytes = line.signature;
    Ed25519Signature signature{};
    const std::uint64_t time = bytes.size() == 8 + signature.size() ? read_be64(bytes) : 0;
    if (bytes.size() != 8 + signature.size() || time > kCosignatureTimeMax) return {Cosigned::kInvalid, 0};
    std::copy(bytes.begin() + 8, bytes.end(), signature.begin());
    if (!ed25519_verifies(key_.public_key, cosigned_message(note.body, time), signature)) {
      return {Cosigned::kInvalid, 0};
    }
    out = {Cosigned::kValid, time};
  }
  return out;
}

}  // namespace fundledger
