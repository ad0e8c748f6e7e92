#include "ledger/replay.h"

#include <algorithm>
#include <future>
#include <map>
#include <vector>

#include "util/check.h"
#include "domain/data_view.h"
#include "util/keyed_hash.h"
#include "ledger/snapshots.h"
#include "domain/state.h"

namespace fundledger {
namespace {

// What a snapshot holds, summed: how many records, and a digest of them.
struct Summary {
  std::uint64_t records = 0;
  std::uint64_t digest = 0;  // XOR of keyed hashes of key and record
  bool operator==(const Summary&) const = default;
};

std::uint64_t record_hash(std::string_view key, std::string_view record, std::uint64_t hash_key) {
  return keyed_hash(key, hash_key) ^ (keyed_hash(record, hash_key) * 0x9E3779B97F4A7C15ull);
}

// Checks the projection against a replay of the log.
class ProjectionCheck {
 public:
  ProjectionCheck(const StoreReader& reader, const ProgressFn& progress)
      : reader_(reader), progress_(progress), size_(reader.head().size), hash_key_(random_hash_key()) {}

  Result<VerifyReport> run() {
    VerifyReport report;
    report.size = size_;
    report.chain = reader_.head().chain;
    business_event_.assign(size_ + 1, 0);
    business_index_.assign(size_ + 1, 0);
    FL_RETURN_IF_ERROR(read_marks());
    if (!failure_) FL_RETURN_IF_ERROR(read_records());
    if (!failure_) FL_RETURN_IF_ERROR(read_business_index());
    if (!failure_) FL_RETURN_IF_ERROR(replay_all());
    if (!failure_) compare_business();
    report.failure = failure_;
    return report;
  }

 private:
  // The snapshot marks: seq -> the number of records the writer says it
  // wrote there.
  Status read_marks() {
    return reader_.scan(Family::kSnapshots, "", [&](std::string_view key, std::string_view value) {
      const auto seq = seq_from_key(key);
      const auto mark = read_snapshot_mark(value);
      if (!seq || !mark || *seq == 0 || *seq > size_) {
        failure_ = Failure(seq.value_or(0), Code::kProjectionMismatch,
                           "a snapshot mark is damaged or lies beyond the head");
        return false;
      }
      if (mark->version != kRecordVersion) {
        failure_ = Failure(*seq, Code::kSnapshotsOutdated,
                           "the snapshot at " + std::to_string(*seq) + " was written by an earlier fundledger "
                           "(records of version " + std::to_string(mark->version) +
                           "): run `fundledger rebuild`, which writes the snapshots again from the log");
        return false;
      }
      marks_[*seq] = mark->records;
      return true;
    });
  }

  // One pass over every stored record, summed by snapshot.
  Status read_records() {
    return reader_.scan(Family::kState, "", [&](std::string_view key, std::string_view value) {
      std::string_view entity;
      std::uint64_t seq = 0;
      if (!split_state_key(key, entity, seq) || !marks_.contains(seq)) {
        failure_ = Failure(split_state_key(key, entity, seq) ? seq : 0, Code::kProjectionMismatch,
                           "a snapshot record lies outside any snapshot");
        return false;
      }
      Summary& s = stored_[seq];
      ++s.records;
      s.digest ^= record_hash(key, value, hash_key_);
      return true;
    });
  }

  // The id index's business keys: which event created each.
  Status read_business_index() {
    return reader_.scan(Family::kIds, "\x01", [&](std::string_view key, std::string_view value) {
      if (key[0] != '\x01') return false;
      const auto seq = seq_from_key(value);
      if (!seq || *seq == 0 || *seq > size_ || business_index_[*seq] != 0) {
        business_failure(seq && *seq != 0 ? *seq : size_ + 1, key);
        return true;
      }
      business_index_[*seq] = keyed_hash(key, hash_key_);
      return true;
    });
  }

  void business_failure(std::uint64_t seq, std::string_view key) {
    if (business_failure_ && business_failure_->seq <= seq) return;
    const auto [what, id] = business_key_parts(key);
    business_failure_ = Failure(seq, Code::kBusinessIndexMismatch,
                                "the id index's entry for " + std::string(what) + " \"" +
                                    std::string(id) + "\" does not name the event that created it");
  }

  void compare_business() {
    for (std::uint64_t seq = 1; seq <= size_; ++seq) {
      if (business_event_[seq] == business_index_[seq]) continue;
      if (!business_failure_ || seq < business_failure_->seq) {
        business_failure_ = Failure(seq, Code::kBusinessIndexMismatch,
                                    "the id index does not hold the business id of this event as "
                                    "the event created it");
      }
      break;
    }
    failure_ = business_failure_;
  }

  Status replay_all() {
    FundState state;
    auto mark = marks_.begin();
    const Status replayed = replay(reader_, state, size_, [&](FundState& s, EventType type,
                                                              const DataView& data) -> Result<Next> {
      if (const auto key = business_key(type, data)) business_event_[s.seq()] = keyed_hash(*key, hash_key_);
      if (const Status broken = s.invariants(); !broken) {
        failure_ = Failure(s.seq(), broken.code(), broken.message());
        return Next::kStop;
      }
      if (mark != marks_.end() && mark->first == s.seq()) {
        if (!snapshot_matches(s, mark->first, mark->second)) return Next::kStop;
        s.clear_dirty();
        ++mark;
      }
      if (progress_ && s.seq() % kProgressEvents == 0) progress_(s.seq(), size_);
      return Next::kGoOn;
    });
    if (failure_) return Status::ok();
    if (replayed.code() == Code::kRuleViolation || replayed.code() == Code::kStoreCorrupt) {
      failure_ = Failure(state.seq() + 1, replayed.code(), replayed.message());
      return Status::ok();
    }
    FL_RETURN_IF_ERROR(replayed);
    if (progress_) progress_(size_, size_);
    return Status::ok();
  }

  // Whether the snapshot stored at `seq` holds exactly the records of what
  // the replay changed since the snapshot before. On a mismatch, names the
  // first entity (in key order) that differs.
  bool snapshot_matches(const FundState& state, std::uint64_t seq, std::uint64_t marked) {
    Summary replayed;
    std::vector<std::string> keys(state.dirty().begin(), state.dirty().end());
    for (const std::string& key : keys) {
      const std::optional<std::string> record = state.record(key);
      if (!record) continue;
      ++replayed.records;
      replayed.digest ^= record_hash(state_key(key, seq), *record, hash_key_);
    }
    const Summary stored = stored_[seq];
    if (replayed == stored && stored.records == marked) return true;
    std::sort(keys.begin(), keys.end());
    std::string which = "it holds " + std::to_string(stored.records) + " records (its mark says " +
                        std::to_string(marked) + "); the replay changed " +
                        std::to_string(replayed.records) + " entities";
    for (const std::string& key : keys) {
      const std::optional<std::string> record = state.record(key);
      if (!record) continue;
      auto found = reader_.get(Family::kState, state_key(key, seq));
      if (!found.is_ok() || *found != record) {
        which = "its record of " + std::string(1, key[0]) + " \"" + key.substr(1) +
                "\" is not what the replay gives";
        break;
      }
    }
    failure_ = Failure(seq, Code::kProjectionMismatch, "the snapshot at " + std::to_string(seq) +
                                                       " does not match the replay: " + which);
    return false;
  }

  const StoreReader& reader_;
  const ProgressFn& progress_;
  const std::uint64_t size_;
  const std::uint64_t hash_key_;
  std::map<std::uint64_t, std::uint64_t> marks_;
  std::map<std::uint64_t, Summary> stored_;
  // Keyed hashes of business keys by seq: as the events create them, and
  // as the id index holds them.
  std::vector<std::uint64_t> business_event_;
  std::vector<std::uint64_t> business_index_;
  std::optional<Failure> business_failure_;
  std::optional<Failure> failure_;
};

}  // namespace

namespace {

// One snapshot of a rebuild: its seq and its records in key order.
struct SnapshotRun {
  std::uint64_t seq = 0;
  SnapshotRecords records;
};

// Loads snapshots into the store as table files, several at a time, each
// group with its marks in one atomic step. The runs of a group interleave
// (the keys are entity first), so they are merged: for one entity the
// newer snapshot's record comes first, as state_key orders them.
Status load_snapshots(Store& store, const std::vector<SnapshotRun>& runs) {
  struct Next {
    const SnapshotRun* run;
    std::size_t index;
    const std::string& key() const { return run->records[index].first; }
  };
  // The heap's top is the smallest key; between two records of one entity,
  // the newer snapshot's.
  const auto after = [](const Next& a, const Next& b) {
    const int c = a.key().compare(b.key());
    return c != 0 ? c > 0 : a.run->seq < b.run->seq;
  };
  std::vector<Next> heap;
  for (const SnapshotRun& run : runs) {
    if (!run.records.empty()) heap.push_back({&run, 0});
  }
  std::make_heap(heap.begin(), heap.end(), after);
  StoreLoad load(store);
  while (!heap.empty()) {
    std::pop_heap(heap.begin(), heap.end(), after);
    Next& next = heap.back();
    const auto& [key, record] = next.run->records[next.index];
    FL_RETURN_IF_ERROR(load.put(Family::kState, state_key(key, next.run->seq), record));
    if (++next.index < next.run->records.size()) {
      std::push_heap(heap.begin(), heap.end(), after);
    } else {
      heap.pop_back();
    }
  }
  // The marks, in seq order (snapshot_mark: the count of records and their
  // layout's version).
  for (const SnapshotRun& run : runs) {
    FL_RETURN_IF_ERROR(load.put(Family::kSnapshots, seq_key(run.seq), snapshot_mark(run.records.size())));
  }
  return load.commit();
}

}  // namespace

Status rebuild_projection(Store& store, const ProgressFn& progress, std::size_t load_bytes) {
  FL_RETURN_IF_ERROR(store.reset(Family::kState));
  FL_RETURN_IF_ERROR(store.reset(Family::kSnapshots));
  const auto reader = store.reader();
  const std::uint64_t size = reader->head().size;
  FundState state;
  // Snapshots are gathered, load_bytes at a time, and loaded on a second
  // thread while the replay goes on. The records are encoded here, from
  // the state as it stands at each snapshot's seq, so the load needs
  // nothing of the state.
  std::vector<SnapshotRun> gathered;
  std::size_t gathered_bytes = 0;
  std::future<Status> loading;
  auto finish_loading = [&loading]() -> Status { return loading.valid() ? loading.get() : Status::ok(); };
  auto start_loading = [&]() -> Status {
    FL_RETURN_IF_ERROR(finish_loading());
    loading = std::async(std::launch::async, [&store, runs = std::move(gathered)] {
      return load_snapshots(store, runs);
    });
    gathered.clear();
    gathered_bytes = 0;
    return Status::ok();
  };
  const Status replayed = replay(*reader, state, size, [&](FundState& s, EventType, const DataView&) -> Result<Next> {
    if (s.seq() % kSnapshotEvents != 0) return Next::kGoOn;
    SnapshotRun run{s.seq(), snapshot_records(s)};
    s.clear_dirty();
    for (const auto& [key, record] : run.records) gathered_bytes += key.size() + record.size();
    gathered.push_back(std::move(run));
    if (gathered_bytes >= load_bytes) FL_RETURN_IF_ERROR(start_loading());
    if (progress) progress(s.seq(), size);
    return Next::kGoOn;
  });
  if (!replayed) {
    // Wait for the load in flight, which uses the store; a failed load is
    // the graver news.
    const Status loaded = finish_loading();
    return loaded ? replayed : loaded;
  }
  if (progress) progress(size, size);
  if (!gathered.empty()) FL_RETURN_IF_ERROR(start_loading());
  return finish_loading();
}

Result<VerifyReport> verify_projection(const Store& store, const ProgressFn& progress) {
  const auto reader = store.reader();
  ProjectionCheck check(*reader, progress);
  return check.run();
}

Status for_each_event(const StoreReader& reader, std::uint64_t last, const std::function<void(const Event&)>& each,
                      const ProgressFn& progress) {
  FL_CHECK(last <= reader.head().size);
  const auto cursor = reader.cursor(Family::kEvents, seq_key(1));
  for (std::uint64_t seq = 1; seq <= last; ++seq, cursor->next()) {
    Result<Event> event = cursor->valid() && cursor->key() == seq_key(seq)
                              ? decode_event(cursor->value())
                              : Result<Event>(Status::error(Code::kStoreCorrupt, "missing"));
    if (!event || event->seq != seq) {
      if (!cursor->status()) return cursor->status();
      return Status::error(Code::kStoreCorrupt,
                           "event " + std::to_string(seq) + " cannot be read; run `fundledger verify`");
    }
    each(*event);
    if (progress && seq % kProgressEvents == 0) progress(seq, last);
  }
  return Status::ok();
}

}  // namespace fundledger
