#pragma once
// Replaying the whole log: rebuilding the projection's snapshots from the
// events alone, and checking that the stored snapshots are what a replay
// gives.

#include <cstdint>
#include <functional>

#include "domain/event.h"
#include "util/status.h"
#include "ledger/store.h"
#include "ledger/verify.h"

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
// replay() (ledger/snapshots.h), storage_error.
inline constexpr std::size_t kRebuildLoadBytes = 32 << 20;
Status rebuild_projection(Store& store, const ProgressFn& progress = nullptr,
                          std::size_t load_bytes = kRebuildLoadBytes);

// Replays the log into a fresh fund and checks, after every event, the
// rules (an event they refuse: rule_violation) and the fund's invariants
// (invariant_broken, the cash identity among them), and at every stored
// snapshot that its records are the replay's (projection_mismatch), and
// that no record is stored outside a snapshot (projection_mismatch). A
// storage error is the Status; a failed check is a report with a failure.
Result<VerifyReport> verify_projection(const Store& store, const ProgressFn& progress = nullptr);

// Decodes events 1 to `last` (at most the reader's head) in seq order and
// hands each to `each`. Refusals: store_corrupt (an event missing or that
// does not decode), storage_error.
Status for_each_event(const StoreReader& reader, std::uint64_t last, const std::function<void(const Event&)>& each,
                      const ProgressFn& progress = nullptr);

}  // namespace fundledger
