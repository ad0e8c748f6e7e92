#pragma once
// Fixtures shared by the tests: a directory that cleans itself up, a ledger
// built from JSON lines with a fixed clock, raw access to the database for
// corrupting it, and a way to run the `fundledger` binary.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/event.h"
#include "domain/state.h"
#include "ledger/store.h"
#include "ledger/writer.h"
#include "tests/events.h"
#include "tests/temp_dir.h"

namespace fundledger::test {

// The clock every test ledger runs on: 2026-11-23T10:15:30.123Z, moving one
// millisecond each time it is read.
WriterOptions fixed_clock_options();

// A ledger in a temporary directory, open for writing, with its writer.
struct Ledger {
  TempDir dir;
  std::unique_ptr<Store> store;
  std::unique_ptr<Writer> writer;
  OpenOptions options;  // how reopen() opens it
  std::string actor = "manager:alice";  // who append() records as

  Ledger();
  // Appends the lines as one request, as `actor`; requires success.
  std::vector<Receipt> append(std::string_view jsonl);
  // Appends and returns the whole result, refusals included.
  AppendResult try_append(std::string_view jsonl);
  // Closes the store (and writer), as a process would on exit.
  void close();
  void reopen();
};

// The database underneath a closed ledger, opened directly so that tests can
// change what no fundledger code would: the tamperer's view.
class RawDb {
 public:
  explicit RawDb(const std::filesystem::path& dir);
  ~RawDb();
  std::string get(Family family, std::string_view key);
  void put(Family family, std::string_view key, std::string_view value);
  void remove(Family family, std::string_view key);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The forger's way, for a closed ledger appended in one request (its
// hashes one page, at seq 1): event `seq` changed by `change` and every
// hash from it on made again, the head with them, so that the log is
// consistent with itself.
void forge_event(const std::filesystem::path& dir, std::uint64_t seq,
                 const std::function<void(nlohmann::json&)>& change);

// The fund view of `state`, as text.
std::string fund_view(const FundState& state);
// The fund as a fresh replay of the log up to `seq` makes it, without any
// snapshot.
std::unique_ptr<FundState> replayed(const Store& store, std::uint64_t seq);

// What a run of the fundledger binary printed, and how it exited.
struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};
// Runs the fundledger binary with `args` (shell words), feeding `input` on
// stdin.
Run run_cli(const std::string& args, const std::string& input = "");

}  // namespace fundledger::test
