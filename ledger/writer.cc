#include "ledger/writer.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "domain/data_view.h"
#include "domain/formats.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/tree.h"
#include "util/check.h"
#include "util/log.h"

namespace fundledger {

namespace {

// " by event 60", or, for a reversal earlier in the same request, that.
[[gnu::noinline]] std::string reversed_by(std::optional<std::uint64_t> seq) {
  if (!seq.has_value()) return " earlier in this request";
  return " by event " + std::to_string(seq.value());
}

}  // namespace

struct Writer::Request {
  std::vector<Draft>* drafts;
  const std::string* actor;
  // Set for a dry run: the figures each event changes go here, and nothing
  // is written.
  std::vector<std::vector<FigureChange>>* changes;
  AppendResult result;
  bool done = false;
  std::condition_variable cv;
};

// An event accepted into the group being written. The draft it came from
// lives until the group is written.
struct Writer::Pending {
  std::uint64_t seq;
  const Draft* draft;
  EventHashes hashes;
};

// One synced write being assembled by the leader: the batch, the head it
// will move to, and the events it already holds, by id. A Group applies
// each event to the writer's state as it adds it; when a request is
// refused, the leader throws the Group and the state away and starts again
// without that request.
class Writer::Group {
 public:
  // The events go into `state`: the writer's, or a dry run's overlay of it.
  Group(Writer& writer, const StoreReader& reader, FundState& state)
      : writer_(writer), state_(state), reader_(reader), batch_(writer.store_),
        head_(reader.head()), first_seq_(head_.size + 1), last_recorded_(writer.last_recorded_) {}

  // Adds one request. When one of its events is refused after others of
  // it were added, the Group and the state hold part of it, and `partial`
  // is set: the caller must throw both away.
  AppendResult add(Request& request, bool& partial) {
    const std::uint64_t before = head_.size;
    AppendResult result = add_events(*request.drafts, *request.actor, request.changes);
    partial = !result.status && head_.size != before;
    return result;
  }

  // Adds the pages of hashes, the Merkle tree nodes they complete and the
  // id index entries of every event the group holds; call once, after the
  // last add(). Refusals: those of add_tree_nodes.
  Status finish() {
    for (std::size_t i = 0; i < hashes_.size(); i += kHashesPerPage) {
      batch_.put_hashes(first_seq_ + i, hashes_.data() + i,
                        std::min(kHashesPerPage, hashes_.size() - i));
    }
    FL_RETURN_IF_ERROR(add_tree_nodes(reader_, first_seq_, hashes_, batch_));
    // In key order: each insert into the memtable then starts where the one
    // before it ended, instead of searching from the top.
    std::sort(new_ids_.begin(), new_ids_.end());
    for (const auto& [id, seq] : new_ids_) batch_.put_id(id, seq);
    return Status::ok();
  }
  StoreBatch& batch() { return batch_; }
  const Head& head() const { return head_; }
  Millis last_recorded() const { return last_recorded_; }

 private:
  AppendResult add_events(std::vector<Draft>& drafts, const std::string& actor,
                          std::vector<std::vector<FigureChange>>* changes) {
    AppendResult result;
    last_recorded_ = std::max(writer_.options_.clock(), last_recorded_);
    const std::string recorded_at = format_timestamp(last_recorded_);
    // Which ids the log already holds, looked up together.
    result.receipts.reserve(drafts.size());
    pending_.reserve(pending_.size() + drafts.size());
    // The event ids, then the business ids (contributions, disbursements,
    // refunds) the drafts create: which the log already holds, looked up
    // together.
    std::vector<std::optional<std::string>> business(drafts.size());
    std::vector<std::string_view> wanted;
    wanted.reserve(drafts.size() * 2);
    for (const Draft& d : drafts) wanted.push_back(d.id);
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      business[i] = business_key(drafts[i].type, DataView::of(drafts[i].data));
      if (business[i]) wanted.push_back(*business[i]);
    }
    Result<std::vector<std::optional<std::uint64_t>>> in_log = reader_.seqs_of_ids(wanted);
    if (!in_log) return {in_log.status(), std::nullopt, {}};
    std::size_t next_business = drafts.size();
    for (std::size_t i = 0; i < drafts.size(); ++i) {
      const std::optional<std::uint64_t> business_in_log =
          business[i] ? (*in_log)[next_business++] : std::nullopt;
      std::vector<FigureChange>* event_changes = nullptr;
      if (changes) event_changes = &changes->emplace_back();
      Result<Receipt> receipt = add_event(drafts[i], (*in_log)[i], business[i], business_in_log, actor,
                                          recorded_at, event_changes);
      if (!receipt) return {receipt.status(), i, {}};
      result.receipts.push_back(std::move(*receipt));
    }
    return result;
  }

  // `in_log` is the seq the log already holds the draft's id at, if any;
  // `business` the business key the draft creates, if any, and
  // `business_in_log` the seq of the event that created it already. With
  // `changes`, the figures the event changes go there (none for a repeat).
  Result<Receipt> add_event(Draft& draft, std::optional<std::uint64_t> in_log,
                            const std::optional<std::string>& business,
                            std::optional<std::uint64_t> business_in_log, const std::string& actor,
                            const std::string& recorded_at, std::vector<FigureChange>* changes) {
    FL_RETURN_IF_ERROR(state_.prepare(draft));
    if (draft.type == EventType::kEntryReversed) FL_RETURN_IF_ERROR(complete_reversal(draft));
    Result<std::optional<Receipt>> repeat = repeat_of(draft, in_log);
    if (!repeat) return repeat.status();
    if (repeat->has_value()) return std::move(**repeat);
    if (business) {
      if (business_in_log || pending_business_.contains(*business)) {
        const auto [what, id] = business_key_parts(*business);
        if (draft.type == EventType::kEntryReversed) {
          return Status::error(Code::kAlreadyReversed,
                               "event " + std::string(id) + " was already reversed" + reversed_by(business_in_log),
                               "data.seq");
        }
        if (draft.type == EventType::kDisbursementRequested) {
          return Status::error(Code::kDuplicate, "payment \"" + std::string(id) + "\" was already requested",
                               "data.disbursement");
        }
        return Status::error(Code::kDuplicate,
                             "there is already " + with_article(what) + " \"" + std::string(id) + "\"",
                             "data." + std::string(what));
      }
    }
    const DataView data = DataView::of(draft.data);
    FL_RETURN_IF_ERROR(state_.check(draft.type, data, actor));
    const std::uint64_t seq = head_.size + 1;
    write_event_bytes(bytes_, draft, seq, recorded_at, actor);
    const Hash leaf = leaf_hash(bytes_);
    const EventHashes hashes{leaf, chain_hash(head_.chain, leaf)};
    batch_.put_event(seq, bytes_);
    hashes_.push_back(hashes);
    new_ids_.emplace_back(draft.id, seq);
    if (business) {
      const std::string& kept = *pending_business_.insert(*business).first;
      new_ids_.emplace_back(kept, seq);
    }
    std::optional<EffectProbe> probe;
    if (changes) probe.emplace(state_, draft.type, data);
    state_.apply(draft.type, data, seq, actor);
    if (probe) *changes = probe->changes(state_);
    // Snapshots fall on multiples of kSnapshotEvents, within a write or at
    // its end, holding the fund exactly as of their seq.
    if (seq % kSnapshotEvents == 0) {
      write_snapshot(state_, seq, batch_);
      state_.clear_dirty();
    }
    pending_.emplace(draft.id, Pending{seq, &draft, hashes});
    group_drafts_.push_back(&draft);
    head_ = Head{seq, hashes.chain};
    return Receipt{seq, draft.id, hashes.leaf, hashes.chain, false};
  }

  // An entry.reversed takes the facts of the event it reverses: one of the
  // log's, or one added to this group before it. Refusals: unknown_event,
  // and those of FundState::complete_reversal.
  Status complete_reversal(Draft& draft) const {
    const std::optional<std::uint64_t> seq = parse_seq(*draft.data.get("seq"));
    FL_CHECK(seq.has_value());  // the schema checked its form
    if (*seq > head_.size) {
      return Status::error(Code::kUnknownEvent,
                           "there is no event " + std::to_string(*seq) + " to reverse: the log holds " +
                               std::to_string(head_.size) + " events",
                           "data.seq");
    }
    if (*seq >= first_seq_) {
      const Draft& original = *group_drafts_[*seq - first_seq_];
      return state_.complete_reversal(draft, *seq, original.type, DataView::of(original.data));
    }
    auto bytes = reader_.event(*seq);
    if (!bytes) return bytes.status();
    const std::optional<Envelope> original = bytes->has_value() ? read_envelope(**bytes) : std::nullopt;
    const std::optional<DataView> data = original ? DataView::parse(original->data) : std::nullopt;
    if (!data) {
      return Status::error(Code::kStoreCorrupt, "event " + std::to_string(*seq) + " cannot be read");
    }
    return state_.complete_reversal(draft, *seq, original->type, *data);
  }

  // When `draft`'s id is already taken, in this group or in the log: the
  // original's receipt if the content is the same, id_conflict if not.
  Result<std::optional<Receipt>> repeat_of(const Draft& draft,
                                           std::optional<std::uint64_t> in_log) const {
    const auto same = [&](std::uint64_t seq, EventType type, std::string_view data_bytes,
                          const EventHashes& hashes) -> Result<std::optional<Receipt>> {
      if (type != draft.type || data_bytes != draft.data_bytes) {
        return Status::error(Code::kIdConflict,
                             "event " + std::to_string(seq) + " already has the id \"" +
                                 draft.id + "\" with other content",
                             "id");
      }
      return std::optional<Receipt>(Receipt{seq, draft.id, hashes.leaf, hashes.chain, true});
    };
    if (const auto it = pending_.find(draft.id); it != pending_.end()) {
      const Pending& p = it->second;
      return same(p.seq, p.draft->type, p.draft->data_bytes, p.hashes);
    }
    if (!in_log) return std::optional<Receipt>();
    const std::uint64_t seq = *in_log;
    auto bytes = reader_.event(seq);
    if (!bytes) return bytes.status();
    auto hashes = reader_.hashes(seq);
    if (!hashes) return hashes.status();
    // The stored bytes hold the original's canonical data as they are.
    const std::optional<Envelope> original =
        bytes->has_value() ? read_envelope(**bytes) : std::nullopt;
    if (!original || original->id != draft.id || !hashes->has_value()) {
      return Status::error(Code::kStoreCorrupt, "the id index names event " + std::to_string(seq) +
                                                " for \"" + draft.id + "\", which cannot be read");
    }
    return same(seq, original->type, original->data, **hashes);
  }

  Writer& writer_;
  FundState& state_;
  const StoreReader& reader_;
  StoreBatch batch_;
  Head head_;
  const std::uint64_t first_seq_;      // the seq the group's first new event gets
  std::vector<EventHashes> hashes_;    // of the group's new events, in seq order
  // The group's new event ids and business keys, with their seqs. The ids
  // view the drafts, the business keys pending_business_.
  std::vector<std::pair<std::string_view, std::uint64_t>> new_ids_;
  std::unordered_set<std::string> pending_business_;
  Millis last_recorded_;
  std::unordered_map<std::string_view, Pending> pending_;  // keys view the drafts' ids
  std::vector<const Draft*> group_drafts_;  // the group's new events, in seq order
  std::string bytes_;  // the event being added, reused from one to the next
};

Writer::Writer(Store& store, WriterOptions options)
    : store_(store), options_(std::move(options)) {
  FL_CHECK(!store_.read_only());
}

Writer::~Writer() = default;

AppendResult Writer::append(std::vector<Draft> drafts, const std::string& actor) {
  Request request{&drafts, &actor, nullptr, {}, false, {}};
  take_turn(request);
  return std::move(request.result);
}

DryRunResult Writer::dry_run(std::vector<Draft> drafts, const std::string& actor) {
  std::vector<std::vector<FigureChange>> changes;
  Request request{&drafts, &actor, &changes, {}, false, {}};
  take_turn(request);
  DryRunResult result{std::move(request.result.status), request.result.failed_at, {}};
  if (!result.status) return result;
  FL_CHECK(changes.size() == request.result.receipts.size());
  result.events.reserve(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    result.events.push_back({std::move(request.result.receipts[i]), std::move(changes[i])});
  }
  return result;
}

DryRunResult Writer::submit(std::vector<Draft> drafts, const std::string& actor, bool dry) {
  if (dry) return dry_run(std::move(drafts), actor);
  AppendResult appended = append(std::move(drafts), actor);
  DryRunResult result{std::move(appended.status), appended.failed_at, {}};
  for (Receipt& r : appended.receipts) result.events.push_back({std::move(r), {}});
  return result;
}

void Writer::take_turn(Request& request) {
  std::unique_lock lock(mu_);
  queue_.push_back(&request);
  request.cv.wait(lock, [&] { return request.done || queue_.front() == &request; });
  if (request.done) return;

  // This thread leads: it writes for the requests queued from the front. A
  // dry run goes alone, so that what it answers is what its own append
  // would meet.
  std::vector<Request*> group;
  std::size_t events = 0;
  for (Request* r : queue_) {
    if (!group.empty() &&
        (r->changes || group.front()->changes || events + r->drafts->size() > options_.group_events_max)) {
      break;
    }
    group.push_back(r);
    events += r->drafts->size();
  }
  lock.unlock();
  if (group.front()->changes) {
    std::lock_guard state_lock(state_mu_);
    preview(*group.front());
  } else {
    lead(group);
  }
  // Only the requests that landed (or were repeats) count; a refused one
  // or a dry run wrote nothing.
  std::size_t carried = 0;
  for (const Request* r : group) {
    if (r->result.status && !r->changes) carried += r->drafts->size();
  }
  lock.lock();
  if (carried != 0) {
    ++groups_;
    events_written_ += carried;
    largest_group_ = std::max(largest_group_, carried);
  }
  for (Request* r : group) {
    FL_CHECK(queue_.front() == r);
    queue_.pop_front();
    r->done = true;
    if (r != &request) r->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();
}

void Writer::preview(Request& request) {
  const Status loaded = load_state();
  if (!loaded) {
    request.result = AppendResult{loaded, std::nullopt, {}};
    return;
  }
  // The events go into a state that reads through to the writer's and
  // keeps its own changes, so that the writer's is left as it was.
  FundState overlay(state_->overlay_source());
  overlay.set_seq(state_->seq());
  const std::unique_ptr<StoreReader> reader = store_.reader();
  Group group(*this, *reader, overlay);
  bool partial = false;
  request.result = group.add(request, partial);
  // The same check as before a write: the figures the preview shows must
  // add up.
  if (request.result.status) FL_CHECK_OK(overlay.invariants());
  if (const Status read = overlay.source_status(); !read) request.result = AppendResult{read, std::nullopt, {}};
}

void Writer::lead(std::vector<Request*>& requests) {
  const auto fail_all = [&](const Status& status) {
    for (Request* r : requests) {
      if (r->result.status) r->result = AppendResult{status, std::nullopt, {}};
    }
  };
  std::lock_guard state_lock(state_mu_);
  std::vector<Request*> accepted = requests;
  std::unique_ptr<StoreReader> reader;
  std::unique_ptr<Group> group;
  // Add the requests in order; when one is refused, start again from the
  // state on disk without it. Refusals are rare, so the common path never
  // copies or undoes anything.
  for (bool refused = true; refused;) {
    refused = false;
    const Status loaded = load_state();
    if (!loaded) return fail_all(loaded);
    group.reset();
    reader = store_.reader();
    group = std::make_unique<Group>(*this, *reader, *state_);
    for (auto it = accepted.begin(); it != accepted.end();) {
      bool partial = false;
      (*it)->result = group->add(**it, partial);
      if ((*it)->result.status) {
        ++it;
        continue;
      }
      it = accepted.erase(it);
      // Refused before any of its events went in: nothing to take back.
      if (!partial) continue;
      state_.reset();
      refused = true;
      break;
    }
  }
  if (accepted.empty() || group->head() == store_.head()) return;  // only refusals and repeats
  // The fund's figures must still add up before they are written: a break
  // here is the program's own error, never the client's, and no book is
  // written wrong.
  FL_CHECK_OK(state_->invariants());
  const Status finished = group->finish();
  if (!finished) {
    state_.reset();
    return fail_all(finished);
  }
  const Status written = store_.write(group->batch(), group->head());
  if (!written) {
    state_.reset();
    return fail_all(written);
  }
  FL_CHECK(store_.head() == group->head());
  FL_CHECK(state_->seq() == group->head().size);
  last_recorded_ = group->last_recorded();
}

Status Writer::load_state() {
  if (state_) return Status::ok();
  if (!tree_checked_) {
    // A ledger made before the tree's nodes were stored gets them first.
    FL_RETURN_IF_ERROR(backfill_tree(store_));
    tree_checked_ = true;
  }
  // The source reads records that never change once written, so it needs
  // no fixed instant and can live as long as the state.
  const std::shared_ptr<const StoreReader> latest = store_.reader(/*consistent=*/false);
  const auto reader = store_.reader();
  const std::uint64_t size = reader->head().size;
  Result<std::uint64_t> snapshot = snapshot_at_or_before(*reader, size);
  if (!snapshot) return snapshot.status();
  // With no snapshot yet, everything is in the events replayed below.
  auto state = *snapshot == 0 ? std::make_unique<FundState>()
                              : std::make_unique<FundState>(snapshot_source(latest, *snapshot));
  state->set_seq(*snapshot);
  // What changed after the snapshot goes into the next one.
  FL_RETURN_IF_ERROR(replay(*reader, *state, size));
  FL_RETURN_IF_ERROR(state->source_status());
  // What was read must add up before anything is written on top of it; a
  // store that gives figures that do not is damaged, not the program.
  if (const Status figures = state->invariants(); !figures) {
    return Status::error(Code::kStoreCorrupt, "the fund as stored does not add up (" + figures.message() +
                                                  "); run `fundledger verify`");
  }
  if (size > 0) {
    auto last = reader->event(size);
    if (!last) return last.status();
    const std::optional<Envelope> envelope = last->has_value() ? read_envelope(**last) : std::nullopt;
    if (!envelope) {
      return Status::error(Code::kStoreCorrupt, "the last event cannot be read; run `fundledger verify`");
    }
    last_recorded_ = envelope->recorded_ms;
  }
  state_ = std::move(state);
  log::debug("writer state loaded", {{"events", size}, {"snapshot", *snapshot}});
  return Status::ok();
}

Status Writer::read_state(const std::function<void(const FundState&, const Head&)>& read) {
  std::lock_guard lock(state_mu_);
  FL_RETURN_IF_ERROR(load_state());
  read(*state_, store_.head());
  return state_->source_status();
}

Status Writer::recover() {
  std::lock_guard lock(state_mu_);
  if (!store_.failure()) return Status::ok();
  // The fund holds a reader of the store, which a reopen waits for; it is
  // loaded again at the next append, from what the store then holds.
  state_.reset();
  return store_.recover();
}

std::uint64_t Writer::groups() const {
  std::lock_guard lock(mu_);
  return groups_;
}

std::size_t Writer::largest_group() const {
  std::lock_guard lock(mu_);
  return largest_group_;
}

std::uint64_t Writer::events_written() const {
  std::lock_guard lock(mu_);
  return events_written_;
}

}  // namespace fundledger
