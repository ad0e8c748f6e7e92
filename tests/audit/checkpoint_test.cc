// Checkpoints (c2sp.org/tlog-checkpoint): the text round-trips, malformed
// texts are refused, a signed checkpoint verifies with the verifier key,
// and the signing key is kept in a file only its owner can read.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "audit/checkpoint.h"
#include "audit/merkle.h"

namespace fundledger {
namespace {

// A directory removed when the test ends.
struct ScratchDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("fundledger-checkpoint-test-" + std::to_string(::getpid()));
  ScratchDir() { std::filesystem::create_directories(path); }
  ~ScratchDir() { std::filesystem::remove_all(path); }
};

TEST_CASE("a checkpoint's text is origin, size and base64 root, and reads back", "[checkpoint]") {
  Checkpoint c{"example.org/fund", 1000000, sha256("a root"), {}};
  const std::string text = checkpoint_text(c);
  CHECK(text == "example.org/fund\n1000000\n" + base64_encode(std::string(c.root.begin(), c.root.end())) + "\n");
  Result<Checkpoint> back = parse_checkpoint(text);
  REQUIRE(back.status().to_string() == "ok");
  CHECK(*back == c);
  // The empty tree: size 0, the root of nothing.
  Checkpoint empty{"example.org/fund", 0, empty_root(), {}};
  back = parse_checkpoint(checkpoint_text(empty));
  REQUIRE(back.status().to_string() == "ok");
  CHECK(*back == empty);
  // Extension lines are kept.
  c.extensions = {"witness: yes"};
  back = parse_checkpoint(checkpoint_text(c));
  REQUIRE(back.status().to_string() == "ok");
  CHECK(back->extensions == std::vector<std::string>{"witness: yes"});
}

TEST_CASE("texts that are not checkpoints are refused", "[checkpoint]") {
  const std::string root = base64_encode(std::string(32, 'x'));
  const auto refusal = [](const std::string& text) { return parse_checkpoint(text).status().to_string(); };
  CHECK(refusal("o\n12\n") == "checkpoint_text: a checkpoint has an origin, a tree size and a root hash");
  CHECK(refusal("o\n012\n" + root + "\n") ==
        "checkpoint_text: the tree size \"012\" is not a decimal number without leading zeros");
  CHECK(refusal("o\n+12\n" + root + "\n") ==
        "checkpoint_text: the tree size \"+12\" is not a decimal number without leading zeros");
  CHECK(refusal("o\n-1\n" + root + "\n") ==
        "checkpoint_text: the tree size \"-1\" is not a decimal number without leading zeros");
  CHECK(refusal("o\n12a\n" + root + "\n") ==
        "checkpoint_text: the tree size \"12a\" is not a decimal number without leading zeros");
  CHECK(refusal("o\n18446744073709551616\n" + root + "\n") ==  // 2^64
        "checkpoint_text: the tree size \"18446744073709551616\" is not a decimal number without leading zeros");
  CHECK(refusal("o\n12\n" + base64_encode(std::string(31, 'x')) + "\n") ==
        "checkpoint_text: the root hash is not the base64 of 32 bytes");
  CHECK(refusal("o\n12\n" + root) == "checkpoint_text: a note's text ends with a newline");
  CHECK(refusal("o\n\n12\n" + root + "\n") == "checkpoint_text: a note's text has no empty lines");
}

TEST_CASE("a signed checkpoint verifies with the published key and not with another", "[checkpoint]") {
  const auto signer = NoteSigner::generate("example.org/fund");
  REQUIRE(signer.has_value());
  const Checkpoint c{"example.org/fund", 42, sha256("root"), {}};
  const std::string note = signer->sign(checkpoint_text(c));
  const Result<std::string> text = NoteVerifier::parse(signer->verifier_key())->check(note);
  REQUIRE(text.status().to_string() == "ok");
  const Result<Checkpoint> back = parse_checkpoint(*text);
  REQUIRE(back.status().to_string() == "ok");
  CHECK(*back == c);
  CHECK(read_checkpoint_note(note, *NoteVerifier::parse(signer->verifier_key()))->size == 42);
  const auto other = NoteSigner::generate("example.org/fund");
  CHECK(NoteVerifier::parse(other->verifier_key())->check(note).status().to_string() ==
        "note_unsigned: the note carries no signature by example.org/fund");
}

TEST_CASE("the signing key is written with mode 0600 and read back only so", "[checkpoint]") {
  ScratchDir dir;
  const auto signer = NoteSigner::generate("example.org/fund");
  const auto path = dir.path / "log.key";
  REQUIRE(write_signing_key(path, *signer).to_string() == "ok");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  {
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    CHECK(first == "-----BEGIN PRIVATE KEY-----");
  }
  const Result<NoteSigner> back = read_signing_key(path, "example.org/fund");
  REQUIRE(back.status().to_string() == "ok");
  CHECK(back->verifier_key() == signer->verifier_key());
  // Never over a file that exists.
  CHECK(write_signing_key(path, *signer).to_string() ==
        "storage_error: cannot create " + path.string() + ": File exists");
  // Readable by the group: refused.
  std::filesystem::permissions(path, std::filesystem::perms::group_read, std::filesystem::perm_options::add);
  CHECK(read_signing_key(path, "example.org/fund").status().to_string() ==
        "no_signing_key: the signing key " + path.string() +
            " may be read or written by others than its owner (mode 0640); it must be 0600");
  // Not a key.
  const auto junk = dir.path / "junk.key";
  { std::ofstream(junk) << "not a key\n"; }
  std::filesystem::permissions(junk, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  CHECK(read_signing_key(junk, "example.org/fund").status().to_string() ==
        "no_signing_key: the signing key " + junk.string() + " is not an Ed25519 private key in PEM");
}

}  // namespace
}  // namespace fundledger
