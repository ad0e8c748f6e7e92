#pragma once
// Snapshots of the projection, so that neither opening a ledger nor asking
// for an old view replays the whole log.
//
// Every kSnapshotEvents events or so (at the end of the first synced write
// that crosses a multiple of it), the writer stores, in the same write as
// the events, the record of every entity that changed since the snapshot
// before, keyed by the entity and the snapshot's seq (family `state`), and
// marks the snapshot (family `snapshots`: seq -> how many records). The
// fund as of snapshot S is then, for each entity, its record with the
// largest snapshot seq at or before S; the fund as of any seq X is the fund
// of the last snapshot at or before X with events after it up to X applied.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/state.h"
#include "ledger/store.h"
#include "util/status.h"

namespace fundledger {

inline constexpr std::uint64_t kSnapshotEvents = 8192;

// The key of an entity's record at snapshot `snapshot_seq`, and back.
std::string state_key(const std::string& entity_key, std::uint64_t snapshot_seq);
bool split_state_key(std::string_view key, std::string_view& entity_key, std::uint64_t& snapshot_seq);

// Whether a write that moves the log from `before` to `after` events is
// where a snapshot goes.
bool snapshot_due(std::uint64_t before, std::uint64_t after);

// The records of every entity `state` has changed since its dirty set was
// last cleared, as (entity key, record), in key order.
using SnapshotRecords = std::vector<std::pair<std::string, std::string>>;
SnapshotRecords snapshot_records(const FundState& state);

// A snapshot's mark: how many records it holds, and the version of their
// layout (kRecordVersion), 8 big-endian bytes each.
std::string snapshot_mark(std::uint64_t records);
struct SnapshotMark {
  std::uint64_t records = 0;
  std::uint64_t version = 0;
};
std::optional<SnapshotMark> read_snapshot_mark(std::string_view value);

// Adds to `batch` the records of snapshot_records(state), and the
// snapshot's mark, as snapshot `seq`. Returns how many records it wrote.
std::size_t write_snapshot(const FundState& state, std::uint64_t seq, StoreBatch& batch);

// The last snapshot at or before `seq`; 0 when there is none. Refuses
// with snapshots_outdated when snapshots were written by an earlier
// fundledger, in another layout (`fundledger rebuild` writes them again).
Result<std::uint64_t> snapshot_at_or_before(const StoreReader& reader, std::uint64_t seq);

// Entities as of snapshot `snapshot_seq`, read through `reader`.
std::unique_ptr<EntitySource> snapshot_source(std::shared_ptr<const StoreReader> reader,
                                              std::uint64_t snapshot_seq);

}  // namespace fundledger
