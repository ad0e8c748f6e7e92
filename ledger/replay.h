#pragma once
// Replaying the whole log: rebuilding the projection's snapshots from the
// events alone, and checking that the stored snapshots are what a replay
// gives.

#include <cstdint>
#include <functional>

#include "ledger/status.h"
#include "ledger/store.h"
#include "ledger/verify.h"

namespace fundledger {

using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Drops the projection's snapshots and replays the log from its first
// event, writing a snapshot every kSnapshotEvents events, as the writer
// would have. `store` must be open for writing and no writer may be using
// it. Refusals: those of replay() (ledger/snapshots.h), storage_error.
Status rebuild_projection(Store& store, const ProgressFn& progress = nullptr);

// Replays the log into a fresh fund and checks, after every event, the
// rules (an event they refuse: rule_violation) and the fund's invariants
// (invariant_broken, the cash identity among them), and at every stored
// snapshot that its records are the replay's (projection_mismatch), and
// that no record is stored outside a snapshot (projection_mismatch). A
// storage error is the Status; a failed check is a report with a failure.
Result<VerifyReport> verify_projection(const Store& store, const ProgressFn& progress = nullptr);

}  // namespace fundledger
