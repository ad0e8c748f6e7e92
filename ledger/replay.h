#pragma once
// Replaying the log: the fund as of any seq (the snapshot before it and
// the events after), every event in order, and rebuilding the projection's
// snapshots from the events alone.

#include <cstdint>
#include <functional>
#include <memory>

#include "domain/data_view.h"
#include "domain/event.h"
#include "domain/state.h"
#include "ledger/store.h"
#include "util/status.h"

namespace fundledger {

using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;
// A long pass reports its progress every this many events.
inline constexpr std::uint64_t kProgressEvents = 65536;

// Drops the projection's snapshots and replays the log from its first
// event, writing a snapshot every kSnapshotEvents events, as the writer
// would have. The snapshots go in as table files, a group of them at a
// time, each group with its marks atomically: a rebuild that stops
// half-way leaves the snapshots of the groups it loaded, each whole.
// `store` must be open for writing and no writer may be using it.
// `load_bytes`: how many bytes of records make a group (tests make it
// small, to see many groups in a small ledger). Refusals: those of
// replay(), storage_error.
inline constexpr std::size_t kRebuildLoadBytes = 32 << 20;
Status rebuild_projection(Store& store, const ProgressFn& progress = nullptr,
                          std::size_t load_bytes = kRebuildLoadBytes);

// Applies the events after state.seq() up to `to` to `state`, each checked
// by the rules first. Refusals: store_corrupt (an event that cannot be
// read), rule_violation (an event the rules refuse, with the rule's own
// code in the message), storage_error. `after_each` (optional) sees the
// state after each event, and the event: it goes on (kGoOn), stops the
// replay there (kStop: replay returns ok, the state standing after that
// event) or returns a refusal, which the replay returns. A replay of more
// than a few runs of events reads and parses the log on a second thread, a
// few runs ahead.
enum class Next : bool { kGoOn, kStop };
using AfterEvent = std::function<Result<Next>(FundState& state, EventType type, const DataView& data)>;
Status replay(const StoreReader& reader, FundState& state, std::uint64_t to,
              const AfterEvent& after_each = nullptr);

// The fund as of event `seq` (<= the reader's head): the snapshot at or
// before it, then the events after it.
Result<std::unique_ptr<FundState>> state_as_of(std::shared_ptr<const StoreReader> reader,
                                               std::uint64_t seq);

// Decodes events 1 to `last` (at most the reader's head) in seq order and
// hands each to `each`. Refusals: store_corrupt (an event missing or that
// does not decode), storage_error.
Status for_each_event(const StoreReader& reader, std::uint64_t last, const std::function<void(const Event&)>& each,
                      const ProgressFn& progress = nullptr);

}  // namespace fundledger
