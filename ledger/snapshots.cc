#include "ledger/snapshots.h"

#include <algorithm>

#include "ledger/check.h"
#include "ledger/data_view.h"
#include "ledger/event.h"

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
        remember(Status::error("store_corrupt", "a snapshot record's key is damaged"));
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

std::size_t write_snapshot(const FundState& state, std::uint64_t seq, StoreBatch& batch) {
  // In key order: each insert into the memtable then starts where the one
  // before it ended, instead of searching from the top.
  std::vector<const std::string*> keys;
  keys.reserve(state.dirty().size());
  for (const std::string& key : state.dirty()) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(), [](auto* a, auto* b) { return *a < *b; });
  std::size_t records = 0;
  for (const std::string* key_ptr : keys) {
    const std::string& key = *key_ptr;
    // A creation that was taken back leaves no entity to record.
    const std::optional<std::string> record = state.record(key);
    if (!record) continue;
    batch.put(Family::kState, state_key(key, seq), *record);
    ++records;
  }
  // The mark's value, the count of records, is 8 big-endian bytes like a seq.
  batch.put(Family::kSnapshots, seq_key(seq), seq_key(records));
  return records;
}

Result<std::uint64_t> snapshot_at_or_before(const StoreReader& reader, std::uint64_t seq) {
  // Snapshots are few (one per kSnapshotEvents events): walk them.
  std::uint64_t found = 0;
  Status bad;
  FL_RETURN_IF_ERROR(reader.scan(Family::kSnapshots, "", [&](std::string_view key, std::string_view) {
    const auto at = seq_from_key(key);
    if (!at) {
      bad = Status::error("store_corrupt", "a snapshot mark is damaged");
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

Status replay(const StoreReader& reader, FundState& state, std::uint64_t to,
              const AfterEvent& after_each) {
  const std::uint64_t from = state.seq() + 1;
  if (from > to) return Status::ok();
  const auto events = reader.cursor(Family::kEvents, seq_key(from));
  for (std::uint64_t seq = from; seq <= to; ++seq, events->next()) {
    const auto unreadable = [&] {
      return Status::error("store_corrupt", "event " + std::to_string(seq) +
                                                " cannot be read; run `fundledger verify`");
    };
    if (!events->valid() || events->key() != seq_key(seq)) {
      FL_RETURN_IF_ERROR(events->status());
      return unreadable();
    }
    const std::optional<Envelope> e = read_envelope(events->value());
    if (!e || e->seq != seq) return unreadable();
    const std::optional<DataView> data = DataView::parse(e->data);
    if (!data) return unreadable();
    const Status allowed = state.check(e->type, *data);
    if (!allowed) {
      return Status::error("rule_violation",
                           "event " + std::to_string(seq) + " breaks a rule: " + allowed.to_string());
    }
    state.apply(e->type, *data, seq);
    if (after_each) FL_RETURN_IF_ERROR(after_each(state, e->type, *data));
  }
  return Status::ok();
}

Result<std::unique_ptr<FundState>> state_as_of(std::shared_ptr<const StoreReader> reader,
                                               std::uint64_t seq) {
  FL_CHECK(seq <= reader->head().size);
  Result<std::uint64_t> snapshot = snapshot_at_or_before(*reader, seq);
  if (!snapshot) return snapshot.status();
  auto state = *snapshot == 0 ? std::make_unique<FundState>()
                              : std::make_unique<FundState>(snapshot_source(reader, *snapshot));
  state->set_seq(*snapshot);
  FL_RETURN_IF_ERROR(replay(*reader, *state, seq));
  FL_RETURN_IF_ERROR(state->source_status());
  return state;
}

Result<nlohmann::json> as_of_block(const StoreReader& reader, std::uint64_t seq) {
  Hash chain = kZeroHash;
  if (seq > 0) {
    auto hashes = reader.hashes(seq);
    if (!hashes) return hashes.status();
    if (!hashes->has_value()) {
      return Status::error("store_corrupt", "no hashes are stored for event " + std::to_string(seq));
    }
    chain = (*hashes)->chain;
  }
  return nlohmann::json{{"tree_size", seq}, {"chain_hash", to_hex(chain)}};
}

Result<nlohmann::json> view_as_of(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                  std::string_view id, std::optional<std::uint64_t> as_of) {
  const std::uint64_t head = reader->head().size;
  const std::uint64_t seq = as_of.value_or(head);
  if (seq > head) {
    return Status::error("invalid_as_of", "as_of " + std::to_string(seq) +
                                              " is beyond the log, which holds " +
                                              std::to_string(head) + " events",
                         "as_of");
  }
  Result<std::unique_ptr<FundState>> state = state_as_of(reader, seq);
  if (!state) return state.status();
  Result<nlohmann::json> view = render_view(**state, kind, id);
  FL_RETURN_IF_ERROR((*state)->source_status());
  if (!view) return view.status();
  Result<nlohmann::json> block = as_of_block(*reader, seq);
  if (!block) return block.status();
  return nlohmann::json{{"as_of", std::move(*block)}, {"view", std::move(*view)}};
}

}  // namespace fundledger
