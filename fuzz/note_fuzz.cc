// The signed-note and checkpoint parsers (audit/note.h, audit/checkpoint.h).
// The first byte chooses what the rest is:
//   'k'  a verifier key
//   's'  a checkpoint's text, signed here and read back through the
//        signature check, so that the checkpoint parser sees any text
//   else a signed note checked with the Go vectors' key
//        (tests/testdata/signed_note_go.json, PeterNeumann)

#include <string>

#include "audit/checkpoint.h"
#include "audit/note.h"
#include "fuzz/fuzz_support.h"

using namespace fundledger;

namespace {

// PeterNeumann's key of Go's golang.org/x/mod/sumdb/note tests.
constexpr std::string_view kVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
// Its Ed25519 seed, from the vectors' signer_key (after the 0x01 of the type).
constexpr std::string_view kSeedBase64 = "gQoUAtUUbI2E8kQzMPVAgOv5juF9nHT2JS/F1ccoMXM=";

const NoteVerifier& verifier() {
  static const NoteVerifier v = *NoteVerifier::parse(kVerifierKey);
  return v;
}

const NoteSigner& signer() {
  static const NoteSigner s = [] {
    const std::optional<std::string> seed = base64_decode(kSeedBase64);
    fuzz::require(seed && seed->size() == 32, "the Go vectors' seed decodes");
    Ed25519Seed bytes{};
    std::copy(seed->begin(), seed->end(), bytes.begin());
    const std::optional<NoteSigner> made = NoteSigner::from_seed("PeterNeumann", bytes);
    fuzz::require(made && made->verifier_key() == kVerifierKey, "the Go vectors' key is PeterNeumann's");
    return *made;
  }();
  return s;
}

void key(std::string_view text) {
  const std::optional<NoteVerifier> v = NoteVerifier::parse(text);
  if (v) fuzz::require(valid_key_name(v->name()), "a parsed key has a valid name");
}

void signed_checkpoint(std::string_view text) {
  if (!check_note_text(text)) return;
  const std::string note = signer().sign(text);
  Result<std::string> checked = verifier().check(note);
  fuzz::require(checked.is_ok() && *checked == text, "a note signed here verifies and gives its text");
  Result<Checkpoint> c = parse_checkpoint(text);
  if (!c) return;
  fuzz::require(checkpoint_text(*c) == text, "a checkpoint reads back as its text");
  (void)read_checkpoint_note(note, verifier());
}

void note(std::string_view text) {
  Result<std::string> checked = verifier().check(text);
  if (!checked) return;
  fuzz::require(check_note_text(*checked).is_ok(), "a verified note's text is a note's text");
  (void)parse_checkpoint(*checked);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest = fuzz::text_of(data + 1, size - 1);
  switch (data[0]) {
    case 'k': key(rest); break;
    case 's': signed_checkpoint(rest); break;
    default: note(rest); break;
  }
  (void)base64_decode(rest);
  return 0;
}
