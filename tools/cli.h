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
#include "audit/policy.h"
#include "domain/statement.h"
#include "ledger/store.h"
#include "util/status.h"

namespace fundledger::cli {

// Exit codes (SPEC 5).
inline constexpr int kExitOk = 0;
inline constexpr int kExitRefused = 1;  // a refusal or a failed verification
inline constexpr int kExitUsage = 2;

// Adds `--data DIR` to `command`: the ledger's directory, by default
// $FUNDLEDGER_DATA or ./fundledger-data.
void add_data_option(CLI::App& command, std::string& dir);

// A period of business dates, from --period (a year or a biennium) or
// --from and --to.
struct PeriodOptions {
  std::string name, from, to;
  bool given() const { return !name.empty() || !from.empty() || !to.empty(); }
  // The period. Refusals: usage (--period with --from or --to, or one of
  // --from and --to alone), invalid_period.
  Result<Period> period() const;
};
void add_period_options(CLI::App& command, PeriodOptions& period, const std::string& prefix = "");

// Prints one line of JSON on stdout.
void print_json(const nlohmann::ordered_json& value);
// A checkpoint's cosigners under a policy, as verify and audit print them:
// {"quorum","met","signed":[{"witness","time"}],"not_signed","bad_signature"}.
nlohmann::ordered_json quorum_json(const QuorumReport& report, const std::string& quorum);
// A policy file (c2sp.org/tlog-policy). Refusals: storage_error, policy.
Result<Policy> read_policy(const std::string& path);
void print_json(const nlohmann::json& value);

// Prints {"error":{"code","message","field"?,...extra}} on stderr and returns
// the exit code of its code (util/error_codes.h): kExitUsage for mistakes in
// how the command was called, kExitRefused for everything else.
int fail(const Status& status, const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());

// The ledger's signing key (api/ledger_dir.h), for `store` at `dir`; or
// prints why it cannot be read (no_signing_key) and sets `exit_code`.
std::optional<NoteSigner> ledger_key(const std::string& dir, const Store& store, int& exit_code);

// "manager:$USER" (or "manager:cli"): who appends from this command line.
std::string default_actor();

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
