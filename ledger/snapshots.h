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
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/state.h"
#include "util/status.h"
#include "ledger/store.h"
#include "domain/views.h"

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

// Refuses, with invalid_as_of (field "as_of"), a seq beyond a log of
// `head` events: what a view or an export as of it cannot show.
Status check_as_of(std::uint64_t as_of, std::uint64_t head);

// A view of the ledger `reader` reads, as of event `as_of` (its head when
// nullopt), with the log position it stands at, unsigned (SPEC 3):
//   {"as_of":{"chain_hash","root_hash","tree_size"},"view":{...}}
// Refusals: invalid_as_of (beyond the head), not_found, and those of
// state_as_of.
Result<nlohmann::json> view_as_of(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                  std::string_view id, std::optional<std::uint64_t> as_of);

// The as_of block of a view of the ledger as of event `seq`.
Result<nlohmann::json> as_of_block(const StoreReader& reader, std::uint64_t seq);

}  // namespace fundledger
