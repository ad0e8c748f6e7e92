#include "ledger/snapshots.h"

#include <algorithm>

#include "domain/data_view.h"
#include "domain/event.h"
#include "util/check.h"

namespace fundledger {
namespace {

// Reads entities as of one snapshot: for each, the record with the largest
// snapshot seq at or before it. Newer records sort first (the seq is
// stored inverted), so a seek lands on the right one.
class SnapshotSource : public EntitySource {
 public:
  SnapshotSource(std::shared_ptr<const StoreReader> reader, std::uint64_t snapshot_seq)
      : reader_(std::move(reader)), seq_(snapshot_seq) {}

  std::optional<std::string> load(EntityKind kind, std::string_view id) override {
    if (seq_ == 0) return std::nullopt;
    const std::string entity = entity_key(kind, id);
    // One cursor serves every load: making a new one costs more than the
    // seek itself.
    if (!point_) {
      point_ = reader_->cursor(Family::kState, state_key(entity, seq_), StoreReader::Seek::kEntity);
    } else {
      point_->seek(state_key(entity, seq_));
    }
    std::string_view found;
    std::uint64_t at = 0;
    if (!point_->valid() || !split_state_key(point_->key(), found, at) || found != entity) {
      remember(point_->status());
      return std::nullopt;
    }
    return std::string(point_->value());
  }

  std::vector<std::pair<std::string, std::string>> load_all(EntityKind kind) override {
    std::vector<std::pair<std::string, std::string>> out;
    if (seq_ == 0) return out;
    const std::string prefix(1, static_cast<char>(kind));
    const auto c = reader_->cursor(Family::kState, prefix, StoreReader::Seek::kPoint);
    while (c->valid() && c->key().starts_with(prefix)) {
      std::string_view entity;
      std::uint64_t at = 0;
      if (!split_state_key(c->key(), entity, at)) {
        remember(Status::error(Code::kStoreCorrupt, "a snapshot record's key is damaged"));
        break;
      }
      // Versions of one entity come newest first. Seek past the newer
      // ones to the first at or before the snapshot (or, when there is
      // none, to the next entity); after taking it, seek past the older
      // ones to the next entity: ids are letters, digits and ._:-, so entity +
      // 0x01 sorts after all its versions and before any other entity.
      if (at > seq_) {
        c->seek(state_key(std::string(entity), seq_));
        continue;
      }
      std::string next_entity(entity);
      next_entity += '\x01';
      out.emplace_back(std::string(entity.substr(1)), std::string(c->value()));
      c->seek(next_entity);
    }
    remember(c->status());
    return out;
  }

  Status status() const override { return status_; }

 private:
  void remember(const Status& s) {
    if (status_.is_ok() && !s.is_ok()) status_ = s;
  }

  std::shared_ptr<const StoreReader> reader_;
  std::uint64_t seq_;
  std::unique_ptr<StoreCursor> point_;  // for load(), made at the first
  Status status_;
};

}  // namespace

std::string state_key(const std::string& entity_key, std::uint64_t snapshot_seq) {
  std::string key = entity_key;
  key += '\0';
  key += seq_key(~snapshot_seq);  // newest first
  return key;
}

bool split_state_key(std::string_view key, std::string_view& entity_key,
                     std::uint64_t& snapshot_seq) {
  if (key.size() < 10 || key[key.size() - 9] != '\0') return false;
  entity_key = key.substr(0, key.size() - 9);
  snapshot_seq = ~*seq_from_key(key.substr(key.size() - 8));
  return true;
}

bool snapshot_due(std::uint64_t before, std::uint64_t after) {
  return after / kSnapshotEvents != before / kSnapshotEvents;
}

SnapshotRecords snapshot_records(const FundState& state) {
  std::vector<const std::string*> keys;
  keys.reserve(state.dirty().size());
  for (const std::string& key : state.dirty()) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
  SnapshotRecords out;
  out.reserve(keys.size());
  for (const std::string* key : keys) {
    // A creation that was taken back leaves no entity to record.
    std::optional<std::string> record = state.record(*key);
    if (record) out.emplace_back(*key, std::move(*record));
  }
  return out;
}

std::size_t write_snapshot(const FundState& state, std::uint64_t seq, StoreBatch& batch) {
  // In key order: each insert into the memtable then starts where the one
  // before it ended, instead of searching from the top.
  const SnapshotRecords records = snapshot_records(state);
  for (const auto& [key, record] : records) batch.put(Family::kState, state_key(key, seq), record);
  batch.put(Family::kSnapshots, seq_key(seq), snapshot_mark(records.size()));
  return records.size();
}

std::string snapshot_mark(std::uint64_t records) { return seq_key(records) + seq_key(kRecordVersion); }

std::optional<SnapshotMark> read_snapshot_mark(std::string_view value) {
  // Marks of version 1 held the count alone.
  if (value.size() == 8) {
    const auto records = seq_from_key(value);
    if (!records) return std::nullopt;
    return SnapshotMark{*records, 1};
  }
  if (value.size() != 16) return std::nullopt;
  const auto records = seq_from_key(value.substr(0, 8));
  const auto version = seq_from_key(value.substr(8));
  if (!records || !version) return std::nullopt;
  return SnapshotMark{*records, *version};
}

Result<std::uint64_t> snapshot_at_or_before(const StoreReader& reader, std::uint64_t seq) {
  // Snapshots are few (one per kSnapshotEvents events): walk them.
  std::uint64_t found = 0;
  Status bad;
  FL_RETURN_IF_ERROR(reader.scan(Family::kSnapshots, "", [&](std::string_view key, std::string_view value) {
    const auto at = seq_from_key(key);
    const auto mark = read_snapshot_mark(value);
    if (!at || !mark) {
      bad = Status::error(Code::kStoreCorrupt, "a snapshot mark is damaged");
      return false;
    }
    if (mark->version != kRecordVersion) {
      bad = Status::error(Code::kSnapshotsOutdated,
                          "the ledger's snapshots were written by an earlier fundledger (records of version " +
                              std::to_string(mark->version) + ", this one reads version " +
                              std::to_string(kRecordVersion) + "): run `fundledger rebuild`, which writes them "
                              "again from the log");
      return false;
    }
    if (*at > seq) return false;
    found = *at;
    return true;
  }));
  FL_RETURN_IF_ERROR(bad);
  return found;
}

std::unique_ptr<EntitySource> snapshot_source(std::shared_ptr<const StoreReader> reader,
                                              std::uint64_t snapshot_seq) {
  return std::make_unique<SnapshotSource>(std::move(reader), snapshot_seq);
}

}  // namespace fundledger
