// Cosignatures (c2sp.org/tlog-cosignature, Ed25519 cosignature/v1) against
// the vectors of tests/testdata/cosignature: the same key over the same
// checkpoint and time gives the same line, byte for byte; real witnesses'
// cosignatures verify here; every single-bit change of a cosignature or of
// the checkpoint it covers is refused.

#include <catch2/catch.hpp>

#include "audit/cosignature.h"
#include "tests/testdata_case.h"

namespace fundledger {
namespace {

using test::read_cases;
using test::TestdataCase;

Ed25519Seed seed_from_hex(const std::string& hex) {
  REQUIRE(hex.size() == 64);
  Ed25519Seed seed{};
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  return seed;
}

// The note of `c`: its own, or its checkpoint with its signature line.
std::string note_of(const TestdataCase& c) {
  if (c.sections.count("note") == 1) return c.sections.at("note");
  return c.sections.at("checkpoint") + "\n" + c.at("signature-line") + "\n";
}

CosignatureCheck check(const CosignatureVerifier& v, const std::string& note) {
  const Result<SplitNote> split = split_note(note);
  if (!split) return {Cosigned::kInvalid, 0};  // not a note at all
  return v.check(*split);
}

TEST_CASE("a cosigner's line over a fixed checkpoint and time equals the vectors', byte for byte", "[cosignature]") {
  int reproduced = 0;
  for (const TestdataCase& c : read_cases("cosignature")) {
    if (c.values.count("kind") == 0 || c.at("kind") != "reproducible") continue;
    INFO(c.name);
    const std::optional<Cosigner> cosigner = Cosigner::from_seed(c.at("witness-name"), seed_from_hex(c.at("witness-seed-hex")));
    REQUIRE(cosigner.has_value());
    CHECK(cosigner->verifier_key() == c.at("witness-vkey"));
    const std::string line = cosigner->cosign(c.sections.at("checkpoint"), std::stoull(c.at("timestamp")));
    CHECK(line == c.at("signature-line") + "\n");
    ++reproduced;
  }
  CHECK(reproduced == 3);
}

TEST_CASE("published cosignatures of real witnesses verify, with their time", "[cosignature]") {
  int verified = 0;
  for (const TestdataCase& c : read_cases("cosignature")) {
    if (c.values.count("kind") == 0 || c.at("kind") == "timestamp-only") continue;
    INFO(c.name);
    const std::optional<CosignatureVerifier> v = CosignatureVerifier::parse(c.at("witness-vkey"));
    REQUIRE(v.has_value());
    // A note signer's key of the same bytes is not a cosigner's key.
    CHECK_FALSE(CosignatureVerifier::parse(c.at("witness-note-vkey")).has_value());
    const CosignatureCheck found = check(*v, note_of(c));
    CHECK(found.outcome == Cosigned::kValid);
    CHECK(found.time == std::stoull(c.at("timestamp")));
    ++verified;
  }
  CHECK(verified == 7);
}

TEST_CASE("every single-bit change of a cosignature or of its checkpoint is refused", "[cosignature]") {
  for (const TestdataCase& c : read_cases("cosignature")) {
    if (c.values.count("kind") == 0 || c.at("kind") == "timestamp-only") continue;
    INFO(c.name);
    const CosignatureVerifier v = *CosignatureVerifier::parse(c.at("witness-vkey"));
    const std::string checkpoint = c.sections.at("checkpoint");
    const std::string bytes = *base64_decode(c.at("cosignature"));
    REQUIRE(bytes.size() == 4 + 8 + 64);
    for (std::size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      std::string changed = bytes;
      changed[bit / 8] = static_cast<char>(changed[bit / 8] ^ (1 << (bit % 8)));
      const std::string note = checkpoint + "\n— " + c.at("witness-name") + " " + base64_encode(changed) + "\n";
      INFO("bit " << bit);
      CHECK(check(v, note).outcome != Cosigned::kValid);
    }
    const std::string line = "— " + c.at("witness-name") + " " + c.at("cosignature") + "\n";
    for (std::size_t bit = 0; bit < checkpoint.size() * 8; ++bit) {
      std::string changed = checkpoint;
      changed[bit / 8] = static_cast<char>(changed[bit / 8] ^ (1 << (bit % 8)));
      INFO("checkpoint bit " << bit);
      CHECK(check(v, changed + "\n" + line).outcome != Cosigned::kValid);
    }
  }
}

TEST_CASE("a cosignature covers the checkpoint's extension lines too", "[cosignature]") {
  for (const TestdataCase& c : read_cases("cosignature")) {
    if (c.values.count("no-extension-cosignature") == 0) continue;
    const CosignatureVerifier v = *CosignatureVerifier::parse(c.at("witness-vkey"));
    const std::string note =
        c.sections.at("checkpoint") + "\n— " + c.at("witness-name") + " " + c.at("no-extension-cosignature") + "\n";
    CHECK(check(v, note).outcome == Cosigned::kInvalid);
  }
}

TEST_CASE("a cosignature's time is read as the reference reads it; other signatures are no cosignatures",
          "[cosignature]") {
  const TestdataCase c = test::read_case(std::filesystem::path(FUNDLEDGER_TESTDATA) / "cosignature/formats-timestamp-only.txt");
  const std::string bytes = *base64_decode(c.at("cosignature"));
  REQUIRE(bytes.size() == 76);
  std::uint64_t time = 0;
  for (std::size_t i = 4; i < 12; ++i) time = (time << 8) | static_cast<std::uint8_t>(bytes[i]);
  CHECK(time == 1727964367);
  // A key of that id: the note signer's 68-byte signature is not a
  // cosignature (a cosigner of the vector's name and key id would refuse it).
  CHECK(base64_decode(c.at("wrong-type-signature"))->size() == 68);
  // The C2SP example's cosignature line parses to its key id and time.
  const TestdataCase example = test::read_case(std::filesystem::path(FUNDLEDGER_TESTDATA) / "cosignature/c2sp-spec-example-parse-only.txt");
  const Result<SplitNote> note = split_note(example.sections.at("note"));
  REQUIRE(note.is_ok());
  REQUIRE(note->signatures.size() == 2);
  CHECK(note->signatures[1].key_id == std::stoul(example.at("key-id"), nullptr, 16));
  CHECK(note->signatures[1].signature.size() == 72);
}

}  // namespace
}  // namespace fundledger
