#include "audit/note.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "util/check.h"
#include "util/hash.h"

namespace fundledger {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kDash = "\xE2\x80\x94 ";  // U+2014 and a space

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values beyond U+10FFFF.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

std::string key_bytes(const Ed25519PublicKey& key) {
  return std::string(reinterpret_cast<const char*>(key.data()), key.size());
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (static_cast<std::uint8_t>(bytes[i]) << 16) |
                            (static_cast<std::uint8_t>(bytes[i + 1]) << 8) | static_cast<std::uint8_t>(bytes[i + 2]);
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (const std::size_t rest = bytes.size() - i; rest > 0) {
    std::uint32_t v = static_cast<std::uint8_t>(bytes[i]) << 16;
    if (rest == 2) v |= static_cast<std::uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[v >> 18];
    out += kAlphabet[(v >> 12) & 63];
    out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    int pad = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      if (c == '=') {
        // Padding only at the very end: one or two of the last characters.
        if (i + 4 != text.size() || k < 2) return std::nullopt;
        ++pad;
        v <<= 6;
        continue;
      }
      if (pad > 0) return std::nullopt;
      const auto at = kAlphabet.find(c);
      if (at == std::string_view::npos) return std::nullopt;
      v = (v << 6) | static_cast<std::uint32_t>(at);
    }
    out += static_cast<char>(v >> 16);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xFF);
    if (pad < 1) out += static_cast<char>(v & 0xFF);
    // The bits the padding leaves over must be zero: one encoding only.
    if ((pad == 1 && (v & 0xFF) != 0) || (pad == 2 && (v & 0xFFFF) != 0)) return std::nullopt;
  }
  return out;
}

std::uint32_t note_key_id(std::string_view name, const Ed25519PublicKey& key, std::uint8_t type) {
  std::string input(name);
  input += '\n';
  input += static_cast<char>(type);
  input += key_bytes(key);
  const Hash h = sha256(input);
  return (static_cast<std::uint32_t>(h[0]) << 24) | (static_cast<std::uint32_t>(h[1]) << 16) |
         (static_cast<std::uint32_t>(h[2]) << 8) | h[3];
}

std::string verifier_key_text(std::string_view name, std::uint8_t type, const Ed25519PublicKey& key) {
  char id[9];
  std::snprintf(id, sizeof id, "%08x", note_key_id(name, key, type));
  return std::string(name) + "+" + id + "+" + base64_encode(std::string(1, static_cast<char>(type)) + key_bytes(key));
}

std::optional<VerifierKey> parse_verifier_key(std::string_view text, std::uint8_t type) {
  const auto first = text.find('+');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = text.find('+', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  const std::string_view name = text.substr(0, first);
  const std::string_view id_hex = text.substr(first + 1, second - first - 1);
  const std::optional<std::string> key = base64_decode(text.substr(second + 1));
  if (!valid_key_name(name) || id_hex.size() != 8 || !key || key->size() != 33 ||
      static_cast<std::uint8_t>((*key)[0]) != type) {
    return std::nullopt;
  }
  VerifierKey v;
  for (const char c : id_hex) {
    const auto at = std::string_view("0123456789abcdef").find(c);
    if (at == std::string_view::npos) return std::nullopt;
    v.key_id = (v.key_id << 4) | static_cast<std::uint32_t>(at);
  }
  v.name = std::string(name);
  v.type = type;
  std::copy(key->begin() + 1, key->end(), v.public_key.begin());
  if (note_key_id(v.name, v.public_key, type) != v.key_id) return std::nullopt;
  return v;
}

Result<SplitNote> split_note(std::string_view note) {
  const auto malformed = [](std::string what) { return Status::error(Code::kNoteMalformed, std::move(what)); };
  if (!valid_utf8(note)) return malformed("the note is not UTF-8");
  const auto blank = note.rfind("\n\n");
  if (blank == std::string_view::npos) return malformed("the note has no blank line before its signatures");
  SplitNote out;
  out.body = std::string(note.substr(0, blank + 1));
  std::string_view signatures = note.substr(blank + 2);
  FL_RETURN_IF_ERROR(check_note_text(out.body));
  if (signatures.empty() || signatures.back() != '\n') {
    return malformed("the note's signature lines do not end with a newline");
  }
  while (!signatures.empty()) {
    const auto end = signatures.find('\n');
    const std::string_view line = signatures.substr(0, end);
    signatures.remove_prefix(end + 1);
    if (out.signatures.size() == kNoteSignaturesMax) {
      return malformed("the note has more than " + std::to_string(kNoteSignaturesMax) + " signatures");
    }
    if (!line.starts_with(kDash)) return malformed("a signature line does not start with an em dash and a space");
    const std::string_view rest = line.substr(kDash.size());
    const auto space = rest.rfind(' ');
    if (space == std::string_view::npos) return malformed("a signature line has no key name and signature");
    const std::string_view name = rest.substr(0, space);
    std::optional<std::string> sig = base64_decode(rest.substr(space + 1));
    if (!valid_key_name(name) || !sig || sig->size() < 5) return malformed("a signature line is malformed");
    const std::uint32_t id = (static_cast<std::uint32_t>(static_cast<std::uint8_t>((*sig)[0])) << 24) |
                             (static_cast<std::uint32_t>(static_cast<std::uint8_t>((*sig)[1])) << 16) |
                             (static_cast<std::uint32_t>(static_cast<std::uint8_t>((*sig)[2])) << 8) |
                             static_cast<std::uint8_t>((*sig)[3]);
    out.signatures.push_back({std::string(name), id, sig->substr(4)});
  }
  return out;
}

std::string note_signature_line(std::string_view name, std::uint32_t key_id, std::string_view signature) {
  std::string out(kDash);
  out += name;
  out += ' ';
  out += base64_encode(be32(key_id) + std::string(signature));
  out += '\n';
  return out;
}

Ed25519PublicKey ed25519_public_key(const Ed25519Seed& seed) {
  const Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  FL_CHECK(key != nullptr);
  Ed25519PublicKey out{};
  std::size_t length = out.size();
  FL_CHECK(EVP_PKEY_get_raw_public_key(key.get(), out.data(), &length) == 1 && length == 32);
  return out;
}

Ed25519Signature ed25519_sign(const Ed25519Seed& seed, std::string_view message) {
  const Pkey key(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
  const MdCtx ctx(EVP_MD_CTX_new());
  FL_CHECK(key != nullptr && ctx != nullptr);
  FL_CHECK(EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1);
  Ed25519Signature signature{};
  std::size_t length = signature.size();
  FL_CHECK(EVP_DigestSign(ctx.get(), signature.data(), &length,
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1 &&
           length == signature.size());
  return signature;
}

bool ed25519_verifies(const Ed25519PublicKey& public_key, std::string_view message, const Ed25519Signature& signature) {
  const Pkey key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()));
  const MdCtx ctx(EVP_MD_CTX_new());
  FL_CHECK(key != nullptr && ctx != nullptr);
  FL_CHECK(EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1);
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                          reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
}

bool valid_key_name(std::string_view name) {
  if (name.empty() || !valid_utf8(name)) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '+') return false;
  }
  return true;
}

Status check_note_text(std::string_view text) {
  const auto malformed = [](std::string what) { return Status::error(Code::kNoteMalformed, std::move(what)); };
  if (text.empty() || text.back() != '\n') return malformed("a note's text ends with a newline");
  if (!valid_utf8(text)) return malformed("a note's text is UTF-8");
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    if ((u < 0x20 && u != '\n') || u == 0x7F) return malformed("a note's text holds no control characters");
    if (text[i] == '\n' && (i == 0 || text[i - 1] == '\n')) return malformed("a note's text has no empty lines");
  }
  return Status::ok();
}

std::optional<NoteSigner> NoteSigner::from_seed(std::string name, const Ed25519Seed& seed) {
  if (!valid_key_name(name)) return std::nullopt;
  NoteSigner s;
  s.name_ = std::move(name);
  s.seed_ = seed;
  s.public_ = ed25519_public_key(seed);
  return s;
}

std::optional<NoteSigner> NoteSigner::generate(std::string name) {
  Ed25519Seed seed;
  FL_CHECK(RAND_bytes(seed.data(), static_cast<int>(seed.size())) == 1);
  return from_seed(std::move(name), seed);
}

std::string NoteSigner::verifier_key() const { return verifier_key_text(name_, kEd25519NoteType, public_); }

Ed25519Signature NoteSigner::signature(std::string_view message) const { return ed25519_sign(seed_, message); }

std::string NoteSigner::sign(std::string_view text) const {
  FL_CHECK_OK(check_note_text(text));
  const Ed25519Signature signature = this->signature(text);
  return std::string(text) + '\n' +
         note_signature_line(name_, key_id(), std::string_view(reinterpret_cast<const char*>(signature.data()), 64));
}

std::optional<NoteVerifier> NoteVerifier::parse(std::string_view verifier_key) {
  std::optional<VerifierKey> key = parse_verifier_key(verifier_key, kEd25519NoteType);
  if (!key) return std::nullopt;
  NoteVerifier v;
  v.name_ = std::move(key->name);
  v.key_id_ = key->key_id;
  v.public_ = key->public_key;
  return v;
}

Result<std::string> NoteVerifier::check(std::string_view note) const {
  Result<SplitNote> split = split_note(note);
  if (!split) return split.status();
  bool verified = false;
  for (const NoteSignatureLine& line : split->signatures) {
    if (line.name != name_ || line.key_id != key_id_) continue;  // another key's signature
    if (line.signature.size() != 64) {
      return Status::error(Code::kNoteMalformed, "the signature by " + name_ + " is not 64 bytes");
    }
    Ed25519Signature signature{};
    std::copy(line.signature.begin(), line.signature.end(), signature.begin());
    if (!verifies(split->body, signature)) {
      return Status::error(Code::kNoteSignatureInvalid, "the signature by " + name_ + " does not verify");
    }
    verified = true;
  }
  if (!verified) return Status::error(Code::kNoteUnsigned, "the note carries no signature by " + name_);
  return std::move(split->body);
}

bool NoteVerifier::verifies(std::string_view message, const Ed25519Signature& signature) const {
  return ed25519_verifies(public_, message, signature);
}

}  // namespace fundledger
