#pragma once
// Checkpoints (c2sp.org/tlog-checkpoint, SPEC section 4): the text of a
// signed note that states a log's Merkle tree head, and the log's signing
// key on disk.
//
// The text is at least three non-empty lines, each ending in a newline:
// the origin (the log's name), the tree size in decimal without leading
// zeros, and the root hash in base64; then optional extension lines.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/note.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;  // lines after the root, rarely any
  bool operator==(const Checkpoint&) const = default;
};

// The note text of a checkpoint.
std::string checkpoint_text(const Checkpoint& c);

// Reads a checkpoint from a note's text. Refusal: checkpoint_text, saying
// what is wrong with it.
Result<Checkpoint> parse_checkpoint(std::string_view text);

// A signed checkpoint note, checked with `verifier` and read. Refusals:
// those of NoteVerifier::check, checkpoint_text (not a checkpoint, or of
// another log than the key's).
Result<Checkpoint> read_checkpoint_note(std::string_view note, const NoteVerifier& verifier);

// The log's signing key as a PEM file (PKCS #8), created with mode 0600 and
// synced; refuses to overwrite a file that exists. Refusal: storage_error.
Status write_signing_key(const std::filesystem::path& path, const NoteSigner& signer);

// Reads a signing key written by write_signing_key, for the key name
// `name`. Refuses a file that others than its owner may read or write.
// Refusal: no_signing_key, saying why.
Result<NoteSigner> read_signing_key(const std::filesystem::path& path, const std::string& name);

}  // namespace fundledger
