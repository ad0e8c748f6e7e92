#pragma once
// The single writer. Every append in the process goes through it: it gives
// events their seq, time and hashes, checks them against the rules and the
// fund as it stands, and makes them durable. Appends from many threads are
// gathered into one synced write (group commit): the first waiting thread
// leads, writes for everyone queued behind it, and each caller learns its
// own seqs. The rules are checked by that one leader, in order, so two
// appends can never both pass a check only one of them may pass.
//
// The writer keeps the fund's current state (domain/state.h); readers see it
// through read_state(), never half way through a write.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "domain/effects.h"
#include "domain/event.h"
#include "domain/formats.h"
#include "domain/state.h"
#include "ledger/store.h"
#include "util/hash.h"
#include "util/status.h"

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

// What one event of a dry run would become, and the figures it would
// change.
struct Preview {
  Receipt receipt;  // the seq, leaf and chain hash it would have now
  std::vector<FigureChange> changes;
};

struct DryRunResult {
  Status status;                          // ok, or the refusal the append would give
  std::optional<std::size_t> failed_at;   // index of the refused draft, if one was
  std::vector<Preview> events;            // one per draft, in order, when ok
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
  ~Writer();

  // Appends `drafts` atomically, as `actor`: all of them land or none does.
  // Blocks until they are synced to disk (or refused). Thread-safe.
  // Refusals: id_conflict, the rules' codes (FundState::check, prepare),
  // storage_unavailable, storage_error, store_corrupt.
  AppendResult append(std::vector<Draft> drafts, const std::string& actor);

  // What append(drafts, actor) would answer now, with the figures each
  // event would change, without writing anything: the same decoding,
  // rules and order as an append, in the writer's turn. The log, the head
  // and the fund are left as they were. Thread-safe.
  DryRunResult dry_run(std::vector<Draft> drafts, const std::string& actor);

  // dry_run when `dry`, else append, answered the same way: an append's
  // receipts with no changes.
  DryRunResult submit(std::vector<Draft> drafts, const std::string& actor, bool dry);

  // Calls `read` with the fund's current state and the head it stands at,
  // under the state lock (so no write is half applied). Thread-safe.
  Status read_state(const std::function<void(const FundState&, const Head&)>& read);

  // After the store's disk failed a write: Store::recover() between two
  // appends. The fund is loaded again from the store at the next append.
  // Thread-safe.
  Status recover();

  // Synced writes made so far, and the events of the largest one.
  std::uint64_t groups() const;
  std::size_t largest_group() const;
  // Events those writes carried, idempotent repeats included.
  std::uint64_t events_written() const;

 private:
  struct Request;
  struct Pending;  // an event accepted in the group being written
  class Group;

  // Takes the writer's turn for `request`, and the requests queued behind
  // it when it leads; returns once `request` is answered.
  void take_turn(Request& request);
  void lead(std::vector<Request*>& group);
  // Runs a dry run's request against the state, and leaves the state as
  // it was. Requires state_mu_.
  void preview(Request& request);
  // Builds the state from the last snapshot and the events after it, once.
  // Requires state_mu_.
  Status load_state();

  Store& store_;
  const WriterOptions options_;

  mutable std::mutex mu_;
  std::deque<Request*> queue_;      // guarded by mu_; the front one leads
  std::uint64_t groups_ = 0;        // guarded by mu_
  std::size_t largest_group_ = 0;   // guarded by mu_
  std::uint64_t events_written_ = 0;  // guarded by mu_

  // The leader holds state_mu_ while it checks, applies and writes a group;
  // readers hold it while they read.
  std::mutex state_mu_;
  std::unique_ptr<FundState> state_;  // guarded by state_mu_; null until loaded
  Millis last_recorded_ = 0;          // guarded by state_mu_
  bool tree_checked_ = false;         // backfill_tree done; guarded by state_mu_
};

}  // namespace fundledger
