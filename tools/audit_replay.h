#pragma once
// The views an audit bundle implies: its events replayed through the fund's
// rules in memory (fundledger_domain), never through a store.
//
// A bundle is checked on one thread (canonical lines, hashes) while its
// events are replayed on a second. Decoding an event costs about as much
// as either, so every other run of events is decoded on the first thread
// and the rest on the second, which keeps both busy.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "audit/bundle.h"
#include "domain/event.h"
#include "domain/state.h"

namespace fundledger::cli {

class BundleReplay {
 public:
  BundleReplay();
  ~BundleReplay();
  BundleReplay(const BundleReplay&) = delete;
  BundleReplay& operator=(const BundleReplay&) = delete;

  // BundleOptions::on_event: queues the run's events, decoded or as bytes,
  // to be checked as the ledger checks what it stores (envelope and data,
  // each recorded no earlier than the last, the rules) and applied.
  std::optional<Failure> add(std::uint64_t first_seq, const std::vector<std::string_view>& lines);
  // Waits until every event queued went through the rules; the first event
  // they refused, if any.
  std::optional<Failure> finish();
  // The fund, once finished.
  const FundState& state() const { return state_; }
  // Once finished: whether each reversal holds the facts of the event it
  // reverses, read again from the bundle's events at `dir` (the writer
  // copied them; a log written otherwise is found here). The first that
  // does not, if any.
  std::optional<Failure> check_reversals(const std::filesystem::path& dir) const;

 private:
  static constexpr std::size_t kRunsAhead = 4;
  struct Run {
    std::uint64_t first_seq = 0;
    std::vector<Event> events;     // decoded, or
    std::string bytes;             // the events' bytes, one after another,
    std::vector<std::size_t> ends;  // each ending here
  };
  void apply_runs();
  std::optional<Failure> apply(Run& run);

  FundState state_;  // the rules thread's until finish()
  // The reversals met, by the seq they reverse: (that seq, the reversal).
  std::vector<std::pair<std::uint64_t, Event>> reversals_;  // the rules thread's until finish()
  Millis last_recorded_ = 0;  // the rules thread's
  std::uint64_t runs_ = 0;
  std::optional<Failure> failure_;  // the rules thread's until finish()
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Run> ready_;  // guarded by mu_
  bool failed_ = false;    // guarded by mu_
  bool closed_ = false;    // guarded by mu_
  std::thread thread_;     // last: it starts at once
};

// Checks the bundle at `dir` (check_bundle) and replays it into `replay`;
// the failure reported is the first of both.
BundleReport audit_bundle(const std::filesystem::path& dir, BundleOptions options, BundleReplay& replay);

}  // namespace fundledger::cli
