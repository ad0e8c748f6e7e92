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

// Reads a checkpoint from a note's text: "" and `out` set when the text is
// one, otherwise what is wrong with it.
std::string parse_checkpoint(std::string_view text, Checkpoint& out);

// The log's signing key as a PEM file (PKCS #8), created with mode 0600;
// refuses to overwrite a file that exists. Returns "" or what went wrong.
std::string write_signing_key(const std::filesystem::path& path, const NoteSigner& signer);

// Reads a signing key written by write_signing_key, for the key name
// `name`. Refuses a file that others than its owner may read or write.
// Returns the signer, or sets `error`.
std::optional<NoteSigner> read_signing_key(const std::filesystem::path& path, const std::string& name,
                                           std::string& error);

}  // namespace fundledger
