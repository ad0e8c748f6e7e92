#pragma once
// The single writer. Every append in the process goes through it: it gives
// events their seq, time and hashes, checks them against the ledger so far,
// and makes them durable. Appends from many threads are gathered into one
// synced write (group commit): the first waiting thread leads, writes for
// everyone queued behind it, and each caller learns its own seqs.

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "ledger/event.h"
#include "ledger/formats.h"
#include "ledger/hash.h"
#include "ledger/state.h"
#include "ledger/status.h"
#include "ledger/store.h"

namespace fundledger {

// What one appended event became. `repeat` is true when its id was already
// in the log with the same type and data: nothing new was written and seq is
// the original one.
struct Receipt {
  std::uint64_t seq = 0;
  std::string id;
  Hash leaf;
  Hash chain;
  bool repeat = false;
};

struct AppendResult {
  Status status;                          // ok, or why nothing was appended
  std::optional<std::size_t> failed_at;   // index of the refused draft, if one was
  std::vector<Receipt> receipts;          // one per draft, in order, when ok
};

struct WriterOptions {
  // The ledger's clock. Tests fix it.
  std::function<Millis()> clock = [] { return to_millis(std::chrono::system_clock::now()); };
  // Events gathered into one synced write at most; a larger request is
  // written alone.
  std::size_t group_events_max = 20'000;
};

class Writer {
 public:
  // `store` must be open for writing and outlive the writer.
  Writer(Store& store, WriterOptions options = {});

  // Appends `drafts` atomically, as `actor`: all of them land or none does.
  // Blocks until they are synced to disk (or refused). Thread-safe.
  // Refusals: id_conflict, the state's codes (LedgerState::prepare),
  // store_failed and storage_error.
  AppendResult append(std::vector<Draft> drafts, const std::string& actor);

  // Synced writes made so far, and the events of the largest one.
  std::uint64_t groups() const;
  std::size_t largest_group() const;

 private:
  struct Request;
  struct Pending;  // an event accepted in the group being written
  class Group;

  void lead(std::vector<Request*>& group);
  Status load_state();

  Store& store_;
  const WriterOptions options_;

  mutable std::mutex mu_;
  std::deque<Request*> queue_;      // guarded by mu_; the front one leads
  std::uint64_t groups_ = 0;        // guarded by mu_
  std::size_t largest_group_ = 0;   // guarded by mu_

  // Only the leader touches these, and there is one leader at a time.
  bool state_loaded_ = false;
  LedgerState state_;
  Millis last_recorded_ = 0;
};

}  // namespace fundledger
