// Signed notes (c2sp.org/signed-note) with Ed25519: a note signed here
// verifies with the published verifier key, and equals byte for byte the
// note the reference implementation (Go's golang.org/x/mod/sumdb/note)
// signs with the same key; every kind of tampering is refused.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/note.h"
#include "tests/audit/audit_support.h"
#include "util/hash.h"

namespace fundledger {
namespace {

// "ok", or the refusal of `note` by `verifier` as "code: message".
std::string outcome(const NoteVerifier& verifier, const std::string& note) {
  const Result<std::string> text = verifier.check(note);
  return text ? "ok" : text.status().to_string();
}

using test::read_testdata;

using test::seed_of;

const std::string kText = "example.org/fund\n42\nqiBfsVkmqq/LDE4izWy10TWPeterNeumannc74f20a3AYEKF=\n";

TEST_CASE("base64 encodes as RFC 4648 says and decodes only what it encodes", "[note]") {
  // RFC 4648 section 10.
  CHECK(base64_encode("") == "");
  CHECK(base64_encode("f") == "Zg==");
  CHECK(base64_encode("fo") == "Zm8=");
  CHECK(base64_encode("foo") == "Zm9v");
  CHECK(base64_encode("foob") == "Zm9vYg==");
  CHECK(base64_encode("fooba") == "Zm9vYmE=");
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  for (const std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    CHECK(base64_decode(base64_encode(s)) == s);
  }
  CHECK_FALSE(base64_decode("Zg=").has_value());    // not a multiple of four
  CHECK_FALSE(base64_decode("Zh==").has_value());   // bits left over
  CHECK_FALSE(base64_decode("Z===").has_value());   // too much padding
  CHECK_FALSE(base64_decode("Zg==Zg==").has_value());  // padding in the middle
  CHECK_FALSE(base64_decode("Zm9v\n").has_value());
  CHECK_FALSE(base64_decode("Zm-v").has_value());
}

TEST_CASE("the same key signs the same note as Go's golang.org/x/mod/sumdb/note, byte for byte", "[note]") {
  const nlohmann::json go = read_testdata("signed_note_go.json");
  // Go's signer key: PRIVATE+KEY+name+id+base64(0x01 || seed); the base64
  // may hold '+' too.
  const std::string skey = go["signer_key"];
  const std::string prefix = "PRIVATE+KEY+PeterNeumann+c74f20a3+";
  REQUIRE(skey.starts_with(prefix));
  const std::optional<std::string> seed_bytes = base64_decode(skey.substr(prefix.size()));
  REQUIRE(seed_bytes.has_value());
  REQUIRE(seed_bytes->size() == 33);
  REQUIRE((*seed_bytes)[0] == '\x01');
  Ed25519Seed seed;
  std::copy(seed_bytes->begin() + 1, seed_bytes->end(), seed.begin());
  const auto signer = NoteSigner::from_seed("PeterNeumann", seed);
  REQUIRE(signer.has_value());
  CHECK(signer->verifier_key() == go["verifier_key"].get<std::string>());
  CHECK(signer->key_id() == 0xc74f20a3);
  CHECK(signer->sign(go["text"].get<std::string>()) == go["signed"].get<std::string>());

  // Go's notes verify here: the one signature, and each of two.
  const auto peter = NoteVerifier::parse(go["verifier_key"].get<std::string>());
  const auto enoch = NoteVerifier::parse(go["other_verifier_key"].get<std::string>());
  REQUIRE(peter.has_value());
  REQUIRE(enoch.has_value());
  CHECK(enoch->key_id() == 0xaf0cfe78);
  CHECK(outcome(*peter, go["signed"].get<std::string>()) == "ok");
  CHECK(*peter->check(go["signed"].get<std::string>()) == go["text"].get<std::string>());
  CHECK(outcome(*peter, go["signed_by_both"].get<std::string>()) == "ok");
  CHECK(outcome(*enoch, go["signed_by_both"].get<std::string>()) == "ok");
  CHECK(outcome(*enoch, go["signed"].get<std::string>()) == "note_unsigned: the note carries no signature by EnochRoot");
}

TEST_CASE("a signed note verifies with the verifier key and gives back its text", "[note]") {
  const auto signer = NoteSigner::from_seed("example.org/fund", seed_of(7));
  REQUIRE(signer.has_value());
  const std::string note = signer->sign(kText);
  // The text, a blank line, and one signature line.
  REQUIRE(note.starts_with(kText + "\n\xE2\x80\x94 example.org/fund "));
  CHECK(note.back() == '\n');
  const auto verifier = NoteVerifier::parse(signer->verifier_key());
  REQUIRE(verifier.has_value());
  CHECK(verifier->key_id() == signer->key_id());
  CHECK(outcome(*verifier, note) == "ok");
  CHECK(*verifier->check(note) == kText);
  // The verifier key is name+id+base64(0x01 || key), and the id is the key
  // hash of SPEC section 4.
  const std::string vkey = signer->verifier_key();
  char id[9];
  std::snprintf(id, sizeof id, "%08x", signer->key_id());
  const std::string prefix = "example.org/fund+" + std::string(id) + "+";
  REQUIRE(vkey.starts_with(prefix));
  std::string typed_key = "\x01";
  typed_key.append(reinterpret_cast<const char*>(signer->public_key().data()), 32);
  CHECK(base64_decode(vkey.substr(prefix.size())) == typed_key);
  std::string input = "example.org/fund\n\x01";
  input.append(reinterpret_cast<const char*>(signer->public_key().data()), 32);
  const Hash h = sha256(input);
  CHECK(signer->key_id() == ((std::uint32_t{h[0]} << 24) | (std::uint32_t{h[1]} << 16) | (std::uint32_t{h[2]} << 8) | h[3]));
}

TEST_CASE("a tampered note, or one signed by another key, is refused", "[note]") {
  const auto signer = NoteSigner::from_seed("example.org/fund", seed_of(7));
  const auto verifier = *NoteVerifier::parse(signer->verifier_key());
  const std::string note = signer->sign(kText);

  // A flipped bit anywhere in the text.
  for (std::size_t i = 0; i < kText.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string bad = note;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      INFO("byte " << i << ", bit " << bit);
      CHECK(outcome(verifier, bad) != "ok");
    }
  }
  // A flipped bit in the signature's bytes (re-encoded, so that the base64
  // stays well-formed): key id bits make it another key's signature, and
  // then no signature by this key is left.
  const std::size_t sig_at = note.rfind(' ') + 1;
  const std::string sig = *base64_decode(note.substr(sig_at, note.size() - sig_at - 1));
  for (std::size_t i = 0; i < sig.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string flipped = sig;
      flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
      const std::string bad = note.substr(0, sig_at) + base64_encode(flipped) + "\n";
      INFO("signature byte " << i << ", bit " << bit);
      CHECK(outcome(verifier, bad) == (i < 4 ? "note_unsigned: the note carries no signature by example.org/fund"
                                             : "note_signature_invalid: the signature by example.org/fund does not verify"));
    }
  }
  // Another key name on the signature line.
  {
    std::string bad = note;
    bad.replace(bad.find("\xE2\x80\x94 example.org/fund") + 4, 16, "example.org/fun2");
    CHECK(outcome(verifier, bad) == "note_unsigned: the note carries no signature by example.org/fund");
  }
  // A verifier key whose id does not match its key is not a verifier key.
  {
    std::string vkey = signer->verifier_key();
    const auto plus = vkey.find('+');
    vkey[plus + 1] = vkey[plus + 1] == '0' ? '1' : '0';
    CHECK_FALSE(NoteVerifier::parse(vkey).has_value());
  }
  // No blank line before the signatures.
  {
    std::string bad = note;
    bad.erase(kText.size(), 1);
    CHECK(outcome(verifier, bad) == "note_malformed: the note has no blank line before its signatures");
  }
  // Signed by another key under the same name: another key id.
  {
    const auto other = NoteSigner::from_seed("example.org/fund", seed_of(8));
    CHECK(outcome(verifier, other->sign(kText)) == "note_unsigned: the note carries no signature by example.org/fund");
  }
  // Another key's signature beside this one's is allowed.
  {
    const auto other = NoteSigner::from_seed("witness.example", seed_of(9));
    const std::string both = note + other->sign(kText).substr(kText.size() + 1);
    CHECK(*verifier.check(both) == kText);
  }
  // Text that a note may not hold.
  CHECK(check_note_text("no newline").to_string() == "note_malformed: a note's text ends with a newline");
  CHECK(check_note_text("a\n\nb\n").to_string() == "note_malformed: a note's text has no empty lines");
  CHECK(check_note_text("tab\there\n").to_string() == "note_malformed: a note's text holds no control characters");
  CHECK(check_note_text("\xC3\x28\n").to_string() == "note_malformed: a note's text is UTF-8");
  CHECK_FALSE(NoteSigner::from_seed("two words", seed_of(1)).has_value());
  CHECK_FALSE(NoteSigner::from_seed("a+b", seed_of(1)).has_value());
}

}  // namespace
}  // namespace fundledger
