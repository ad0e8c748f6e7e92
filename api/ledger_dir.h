#pragma once
// A ledger's directory: the database, and beside it the files `init`
// makes and the commands read. Each is written new, synced, and its name
// synced into the directory before the command that wrote it says so.
//
//   log.key       the log's Ed25519 signing key (PEM, mode 0600)
//   verifier.key  its verifier key (c2sp.org/signed-note), one line, public
//   tls.crt       the server's self-signed certificate (PEM, public)
//   tls.key       its ECDSA P-256 key (PEM, mode 0600)
//   tokens        the API's tokens as hashes (api/tokens.h, mode 0600)
//   tokens.used   when each token was last used, written by `serve`
//                 (api/access.h, mode 0600)

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "audit/note.h"
#include "util/status.h"

namespace fundledger::api {

inline constexpr std::string_view kSigningKeyFile = "log.key";
inline constexpr std::string_view kVerifierKeyFile = "verifier.key";
inline constexpr std::string_view kTokensFile = "tokens";
inline constexpr std::string_view kTokensUsedFile = "tokens.used";

// The files above, which a backup keeps with the database
// (ledger/backup.h).
std::vector<std::string> ledger_files();

// Creates a ledger at `dir` named `origin` (a valid key name), with its
// signing key and verifier key files and a self-signed TLS certificate for
// localhost, all synced with their names; returns the verifier key.
// Refusals: those of Store::create, storage_error, tls_error.
Result<std::string> create_ledger(const std::filesystem::path& dir, const std::string& origin);

// The ledger's signing key, for the log named `origin`. Refusal:
// no_signing_key, saying why.
Result<NoteSigner> read_ledger_key(const std::filesystem::path& dir, const std::string& origin);

// The one line of a verifier key file (newline removed). Refusal:
// no_signing_key when the file cannot be read, is empty or holds more than
// one line.
Result<std::string> read_key_file(const std::filesystem::path& path);

}  // namespace fundledger::api
