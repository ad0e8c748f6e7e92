#include "ledger/snapshots.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "audit/audited_view.h"
#include "util/check.h"
#include "domain/data_view.h"
#include "domain/event.h"
#include "ledger/tree.h"

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

namespace {

// An event read from the log and parsed, for replay() to apply.
struct ReadEvent {
  std::uint64_t seq = 0;
  EventType type = EventType::kDonorRegistered;
  DataView data;
};

// Consecutive events read together: their bytes in one buffer, which the
// parsed events point into.
struct EventRun {
  std::string bytes;
  std::vector<ReadEvent> events;
  Status status;  // why the run ends before its last seq, ok when it does not
};

Status unreadable(std::uint64_t seq) {
  return Status::error(Code::kStoreCorrupt,
                       "event " + std::to_string(seq) + " cannot be read; run `fundledger verify`");
}

// Reads events `first` to `last` from `cursor`, which stands on `first`,
// into `run` (emptied first), and leaves the cursor on the event after.
// Stops at the first event that cannot be read, with run.status saying so.
void read_run(StoreCursor& cursor, std::uint64_t first, std::uint64_t last, EventRun& run) {
  run.bytes.clear();
  run.events.clear();
  run.status = Status::ok();
  // The bytes first, then the views into them, which would not survive
  // the buffer growing.
  std::vector<std::size_t> ends;
  ends.reserve(last - first + 1);
  for (std::uint64_t seq = first; seq <= last; ++seq, cursor.next()) {
    if (!cursor.valid() || cursor.key() != seq_key(seq)) {
      run.status = cursor.status().is_ok() ? unreadable(seq) : cursor.status();
      break;
    }
    run.bytes.append(cursor.value());
    ends.push_back(run.bytes.size());
  }
  std::size_t begin = 0;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    const std::uint64_t seq = first + i;
    const std::string_view bytes(run.bytes.data() + begin, ends[i] - begin);
    begin = ends[i];
    const std::optional<Envelope> e = read_envelope(bytes);
    std::optional<DataView> data = e && e->seq == seq ? DataView::parse(e->data) : std::nullopt;
    if (!data) {
      run.status = unreadable(seq);
      break;
    }
    run.events.push_back({seq, e->type, std::move(*data)});
  }
}

// Reads a long stretch of the log on a thread of its own, a run ahead of
// the replay, which then spends its time on the rules alone.
class ReadAhead {
 public:
  static constexpr std::uint64_t kRunEvents = 2048;
  static constexpr std::size_t kRunsAhead = 4;

  ReadAhead(const StoreReader& reader, std::uint64_t from, std::uint64_t to)
      : reader_(reader), from_(from), to_(to), thread_([this] { read_all(); }) {}

  ~ReadAhead() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }

  // The next run, or null after the last.
  std::unique_ptr<EventRun> next() {
    std::unique_lock lock(mu_);
    changed_.wait(lock, [this] { return !ready_.empty() || done_; });
    if (ready_.empty()) return nullptr;
    auto run = std::move(ready_.front());
    ready_.pop_front();
    changed_.notify_all();
    return run;
  }

  // Gives back a run read, for its buffers to be used again.
  void recycle(std::unique_ptr<EventRun> run) {
    std::lock_guard lock(mu_);
    spare_.push_back(std::move(run));
  }

 private:
  void read_all() {
    const auto cursor = reader_.cursor(Family::kEvents, seq_key(from_));
    for (std::uint64_t first = from_; first <= to_; first += kRunEvents) {
      std::unique_ptr<EventRun> run;
      {
        std::unique_lock lock(mu_);
        changed_.wait(lock, [this] { return ready_.size() < kRunsAhead || stopping_; });
        if (stopping_) break;
        if (!spare_.empty()) {
          run = std::move(spare_.back());
          spare_.pop_back();
        }
      }
      if (!run) run = std::make_unique<EventRun>();
      read_run(*cursor, first, std::min(to_, first + kRunEvents - 1), *run);
      const bool stopped = !run->status.is_ok();
      {
        std::lock_guard lock(mu_);
        ready_.push_back(std::move(run));
      }
      changed_.notify_all();
      if (stopped) break;
    }
    {
      std::lock_guard lock(mu_);
      done_ = true;
    }
    changed_.notify_all();
  }

  const StoreReader& reader_;
  const std::uint64_t from_;
  const std::uint64_t to_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::unique_ptr<EventRun>> ready_;  // guarded by mu_
  std::vector<std::unique_ptr<EventRun>> spare_;  // guarded by mu_
  bool stopping_ = false;  // guarded by mu_
  bool done_ = false;      // guarded by mu_
  std::thread thread_;     // last: it starts reading at once
};

// Applies the events of `run`, each checked by the rules first; then the
// run's own refusal, if it ended early. kStop when `after_each` stopped the
// replay.
Result<Next> apply_run(const EventRun& run, FundState& state, const AfterEvent& after_each) {
  // Most events name a proposal, one of hundreds of thousands, in no order:
  // each would wait on memory for it. Ask for it some events ahead.
  constexpr std::size_t kSlotAhead = 8, kEntryAhead = 4;
  const std::size_t n = run.events.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) state.prefetch(run.events[i + kSlotAhead].data, false);
    if (i + kEntryAhead < n) state.prefetch(run.events[i + kEntryAhead].data, true);
    const ReadEvent& e = run.events[i];
    const Status allowed = state.check(e.type, e.data);
    if (!allowed) {
      return Status::error(Code::kRuleViolation,
                           "event " + std::to_string(e.seq) + " breaks a rule: " + allowed.to_string());
    }
    state.apply(e.type, e.data, e.seq);
    if (!after_each) continue;
    Result<Next> next = after_each(state, e.type, e.data);
    if (!next || *next == Next::kStop) return next;
  }
  if (!run.status) return run.status;
  return Next::kGoOn;
}

// Below this many events, a replay reads them itself.
constexpr std::uint64_t kReadAheadEvents = 4 * ReadAhead::kRunEvents;

}  // namespace

Status replay(const StoreReader& reader, FundState& state, std::uint64_t to,
              const AfterEvent& after_each) {
  const std::uint64_t from = state.seq() + 1;
  if (from > to) return Status::ok();
  if (to - from + 1 < kReadAheadEvents) {
    EventRun run;
    const auto cursor = reader.cursor(Family::kEvents, seq_key(from));
    read_run(*cursor, from, to, run);
    return apply_run(run, state, after_each).status();
  }
  ReadAhead ahead(reader, from, to);
  while (std::unique_ptr<EventRun> run = ahead.next()) {
    const Result<Next> next = apply_run(*run, state, after_each);
    if (!next || *next == Next::kStop) return next.status();
    ahead.recycle(std::move(run));
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
  Result<LogHead> head = log_head(reader, seq);
  if (!head) return head.status();
  return log_head_json(*head);
}

namespace {

// Each entry of a proposal's trail, {"seq","type"}, gets its event's
// actor, recorded_at and data, read from the log.
Status add_trail_events(const StoreReader& reader, nlohmann::json& trail) {
  for (nlohmann::json& entry : trail) {
    const std::uint64_t seq = entry["seq"];
    Result<std::optional<std::string>> bytes = reader.event(seq);
    if (!bytes) return bytes.status();
    Result<Event> event = *bytes ? decode_event(**bytes) : Result<Event>(unreadable(seq));
    if (!event) return unreadable(seq);
    entry["actor"] = event->actor;
    entry["recorded_at"] = event->recorded_at;
    nlohmann::json data = nlohmann::json::object();
    for (const DataField& f : event->data.fields()) {
      data[std::string(f.name)] = f.is_list ? nlohmann::json(f.list) : nlohmann::json(f.value);
    }
    entry["data"] = std::move(data);
  }
  return Status::ok();
}

}  // namespace

Status check_as_of(std::uint64_t as_of, std::uint64_t head) {
  if (as_of <= head) return Status::ok();
  return Status::error(Code::kInvalidAsOf,
                       "as_of " + std::to_string(as_of) + " is beyond the log, which holds " + std::to_string(head) +
                           " events",
                       "as_of");
}

Result<nlohmann::json> view_as_of(std::shared_ptr<const StoreReader> reader, ViewKind kind,
                                  std::string_view id, std::optional<std::uint64_t> as_of) {
  const std::uint64_t seq = as_of.value_or(reader->head().size);
  FL_RETURN_IF_ERROR(check_as_of(seq, reader->head().size));
  Result<std::unique_ptr<FundState>> state = state_as_of(reader, seq);
  if (!state) return state.status();
  Result<nlohmann::json> view = render_view(**state, kind, id);
  FL_RETURN_IF_ERROR((*state)->source_status());
  if (!view) return view.status();
  if (kind == ViewKind::kProposal) FL_RETURN_IF_ERROR(add_trail_events(*reader, (*view)["trail"]));
  Result<nlohmann::json> block = as_of_block(*reader, seq);
  if (!block) return block.status();
  return nlohmann::json{{"as_of", std::move(*block)}, {"view", std::move(*view)}};
}

}  // namespace fundledger
