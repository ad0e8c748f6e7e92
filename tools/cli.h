#pragma once
// What every subcommand of `fundledger` shares: where the ledger lives, how
// results and errors are printed, exit codes, and progress on a terminal.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "audit/note.h"
#include "util/status.h"
#include "ledger/store.h"

namespace fundledger::cli {

// Exit codes (SPEC 5).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // a refusal or a failed verification
inline constexpr int kExitUsage = 2;

// Adds `--data DIR` to `command`: the ledger's directory, by default
// $FUNDLEDGER_DATA or ./fundledger-data.
void add_data_option(CLI::App& command, std::string& dir);

// Prints one line of JSON on stdout.
void print_json(const nlohmann::ordered_json& value);
void print_json(const nlohmann::json& value);

// Prints {"error":{"code","message","field"?,...extra}} on stderr and returns
// the exit code of its code (util/error_codes.h): kExitUsage for mistakes in
// how the command was called, kExitRefused for everything else.
int fail(const Status& status, const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());

// In a ledger's directory: the log's Ed25519 signing key (PEM, mode 0600)
// and its verifier key (c2sp.org/signed-note), one line, public.
inline constexpr std::string_view kSigningKeyFile = "log.key";
inline constexpr std::string_view kVerifierKeyFile = "verifier.key";
// The API's tokens: their hashes, roles and names (api/tokens.h), 0600.
inline constexpr std::string_view kTokensFile = "tokens";

// Creates a ledger at `dir` named `origin` (a valid key name), with its
// signing key and verifier key files and a self-signed TLS certificate for
// localhost; sets `verifier_key`. Refusals: those
// of Store::create, storage_error.
Status create_ledger(const std::string& dir, const std::string& origin, std::string& verifier_key);

// The ledger's signing key, for `store` at `dir`; or prints why it cannot
// be read (no_signing_key) and sets `exit_code`.
std::optional<NoteSigner> read_ledger_key(const std::string& dir, const Store& store, int& exit_code);

// The one line of a verifier key file (newline removed); nullopt when the
// file cannot be read or holds more than one line.
std::optional<std::string> read_key_file(const std::filesystem::path& path);

// Opens the ledger at `dir`, or prints why it cannot and sets `exit_code`.
std::unique_ptr<Store> open_store(const std::string& dir, const OpenOptions& options,
                                  int& exit_code);

// Shows "what: done / total events" on stderr (or "what: done events" when
// the total is not known, 0), redrawn at most ten times a second, when
// stderr is a terminal; silent otherwise.
class Progress {
 public:
  explicit Progress(std::string what);
  ~Progress();
  void update(std::uint64_t done, std::uint64_t total);
  // Clears the line.
  void finish();

 private:
  std::string what_;
  bool enabled_;
  bool drawn_ = false;
  std::int64_t started_ms_;
  std::int64_t last_ms_ = 0;
};

}  // namespace fundledger::cli
