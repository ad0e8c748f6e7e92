#include "ledger/replay.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/data_view.h"
#include "ledger/snapshots.h"
#include "util/check.h"

namespace fundledger {
namespace {

// An event read from the log and parsed, for replay() to apply.
struct ReadEvent {
  std::uint64_t seq = 0;
  EventType type = EventType::kDonorRegistered;
  DataView data;
  std::string_view actor;  // into the run's bytes
};

// Consecutive events read together: their bytes in one buffer, which the
// parsed events point into.
struct EventRun {
  std::string bytes;
  std::vector<ReadEvent> events;
  Status status;  // why the run ends before its last seq, ok when it does not
};

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
      run.status = cursor.status().is_ok() ? unreadable_event(seq) : cursor.status();
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
      run.status = unreadable_event(seq);
      break;
    }
    run.events.push_back({seq, e->type, std::move(*data), e->actor});
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

// Whether the reversal `e` holds the facts of the event it reverses, read
// from the log: the writer copied them, and a log written otherwise is
// found here.
Status check_reversal(const StoreReader& reader, const ReadEvent& e) {
  const std::optional<std::uint64_t> seq = parse_seq(e.data.get("seq"));
  if (!seq || *seq >= e.seq) {
    return Status::error(Code::kUnknownEvent, "the reversal names no earlier event", "data.seq");
  }
  Result<std::optional<std::string>> bytes = reader.event(*seq);
  if (!bytes) return bytes.status();
  const std::optional<Envelope> original = bytes->has_value() ? read_envelope(**bytes) : std::nullopt;
  const std::optional<DataView> data = original ? DataView::parse(original->data) : std::nullopt;
  if (!data) return unreadable_event(*seq);
  return check_reversal_facts(*seq, e.data, original->type, *data);
}

// Applies the events of `run`, each checked by the rules first; then the
// run's own refusal, if it ended early. kStop when `after_each` stopped the
// replay.
Result<Next> apply_run(const StoreReader& reader, const EventRun& run, FundState& state,
                       const AfterEvent& after_each) {
  // Most events name a proposal, one of hundreds of thousands, in no order:
  // each would wait on memory for it. Ask for it some events ahead.
  constexpr std::size_t kSlotAhead = 8, kEntryAhead = 4;
  const std::size_t n = run.events.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kSlotAhead < n) state.prefetch(run.events[i + kSlotAhead].data, false);
    if (i + kEntryAhead < n) state.prefetch(run.events[i + kEntryAhead].data, true);
    const ReadEvent& e = run.events[i];
    Status allowed = state.check(e.type, e.data, e.actor);
    if (allowed && e.type == EventType::kEntryReversed) allowed = check_reversal(reader, e);
    if (!allowed) {
      return Status::error(Code::kRuleViolation,
                           "event " + std::to_string(e.seq) + " breaks a rule: " + allowed.to_string());
    }
    state.apply(e.type, e.data, e.seq, e.actor);
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
    return apply_run(reader, run, state, after_each).status();
  }
  ReadAhead ahead(reader, from, to);
  while (std::unique_ptr<EventRun> run = ahead.next()) {
    const Result<Next> next = apply_run(reader, *run, state, after_each);
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
  FL_RETURN_IF_ERROR(store.clear_projection());
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
      return unreadable_event(seq);
    }
    each(*event);
    if (progress && seq % kProgressEvents == 0) progress(seq, last);
  }
  return Status::ok();
}

}  // namespace fundledger
