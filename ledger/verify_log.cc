#include "ledger/verify_log.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "domain/event.h"
#include "domain/formats.h"
#include "util/check.h"
#include "util/keyed_hash.h"

namespace fundledger {
namespace {

// Each chunk starts from the chain hash stored for the event before it; the
// chunk before checks that hash, so splitting the work checks exactly what
// one pass would.
constexpr std::uint64_t kChunkEvents = kVerifyChunkEvents;
// Chunks finished but not yet consumed, at most: bounds the memory held.
constexpr std::size_t kChunksAheadMax = 8;

struct Chunk {
  std::uint64_t first = 0;  // seqs first..last, inclusive
  std::uint64_t last = 0;
  std::vector<Hash> leaves;  // kept only for VerifyHooks::on_chunk
  std::optional<Failure> failure;
  Status status;  // a storage error, which ends the whole verification
  Millis first_recorded = 0;
  Millis last_recorded = 0;
  Hash last_chain = kZeroHash;
};

class Verifier {
 public:
  Verifier(const StoreReader& reader, const VerifyHooks& hooks)
      : reader_(reader), hooks_(hooks), size_(reader.head().size),
        id_key_(random_hash_key()),
        event_ids_(size_ + 1, 0), index_ids_(size_ + 1, 0) {}

  Result<VerifyReport> run();

 private:
  void verify_chunk(Chunk& c);
  std::optional<Failure> verify_event(std::uint64_t seq, std::string_view bytes,
                                            const EventHashes& stored, Chunk& c, Hash& chain);
  void scan_ids();
  void work();
  Result<std::optional<Failure>> consume(Hash& chain);
  Result<std::optional<Failure>> check_tail(const Hash& chain);
  std::optional<Failure> compare_ids(std::uint64_t limit);

  const StoreReader& reader_;
  const VerifyHooks& hooks_;
  const std::uint64_t size_;
  const std::uint64_t id_key_;
  std::vector<std::uint64_t> event_ids_;  // by seq, written by the chunk that holds it
  std::vector<std::uint64_t> index_ids_;  // by seq, written by scan_ids
  std::optional<Failure> index_failure_;  // the lowest seq scan_ids found wrong
  Status index_status_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::uint64_t chunks_ = 0;
  std::uint64_t next_chunk_ = 0;       // guarded by mu_
  std::uint64_t stop_after_ = UINT64_MAX;  // guarded by mu_: no chunk after this is needed
  std::deque<std::unique_ptr<Chunk>> done_;  // guarded by mu_, any order
  bool ids_scanned_ = false;           // guarded by mu_
};

std::optional<Failure> Verifier::verify_event(std::uint64_t seq, std::string_view bytes,
                                                    const EventHashes& stored, Chunk& c,
                                                    Hash& chain) {
  const std::optional<Envelope> e = read_envelope(bytes);
  if (!e) return Failure(seq, Code::kInvalidEnvelope, "the stored bytes are not an event");
  if (e->seq != seq) {
    return Failure(seq, Code::kSeqMismatch, "the event stored at seq " + std::to_string(seq) +
                                            " says it is seq " + std::to_string(e->seq),
                   std::to_string(seq), std::to_string(e->seq));
  }
  const Millis recorded = e->recorded_ms;
  if (seq == c.first) c.first_recorded = recorded;
  if (seq != c.first && recorded < c.last_recorded) {
    return Failure(seq, Code::kRecordedAtDecreasing, "recorded before the event it follows",
                   format_timestamp(c.last_recorded), std::string(e->recorded_at));
  }
  c.last_recorded = recorded;
  const Hash leaf = leaf_hash(bytes);
  if (leaf != stored.leaf) {
    return Failure(seq, Code::kLeafHashMismatch, "the event's bytes do not give its leaf hash",
                   to_hex(stored.leaf), to_hex(leaf));
  }
  const Hash next = chain_hash(chain, leaf);
  if (next != stored.chain) {
    return Failure(seq, Code::kChainHashMismatch, "the chain hash does not follow from the one before",
                   to_hex(stored.chain), to_hex(next));
  }
  chain = next;
  if (hooks_.on_chunk) c.leaves.push_back(leaf);
  event_ids_[seq] = keyed_hash(e->id, id_key_);
  return std::nullopt;
}

void Verifier::verify_chunk(Chunk& c) {
  Hash chain = kZeroHash;
  if (c.first > 1) {
    auto before = reader_.hashes(c.first - 1);
    if (!before) {
      c.status = before.status();
      return;
    }
    // A missing record before is reported by the chunk that holds it.
    if (!before->has_value()) {
      c.failure = Failure(c.first - 1, Code::kMissingHashes, "no hashes are stored for this event");
      return;
    }
    chain = (*before)->chain;
  }
  if (hooks_.on_chunk) c.leaves.reserve(c.last - c.first + 1);
  const auto events = reader_.cursor(Family::kEvents, seq_key(c.first));
  const auto hashes = reader_.hashes_from(c.first);
  for (std::uint64_t seq = c.first; seq <= c.last; ++seq, events->next(), hashes->next()) {
    const std::string key = seq_key(seq);
    if (!events->valid() || events->key() != key) {
      c.status = events->status();
      if (events->valid() && events->key().size() != 8) {
        c.failure = Failure(seq, Code::kMalformedKey, "a record with a key that is not a seq");
      } else {
        c.failure = Failure(seq, Code::kMissingEvent, "no event is stored at this seq");
      }
      return;
    }
    if (!hashes->valid() || hashes->seq() != seq) {
      const Status why = hashes->status();
      if (why.code() == Code::kStorageError) c.status = why;
      c.failure = Failure(seq, Code::kMissingHashes,
                          why.is_ok() ? "no hashes are stored for this event" : why.message());
      return;
    }
    c.failure = verify_event(seq, events->value(), hashes->hashes(), c, chain);
    if (c.failure) return;
  }
  c.last_chain = chain;
  if (hooks_.on_chunk) {
    hooks_.on_chunk(c.first, c.leaves);
    c.leaves = {};
  }
}

void Verifier::scan_ids() {
  index_status_ = reader_.scan(Family::kIds, "", [&](std::string_view id, std::string_view value) {
    // Keys starting 0x01 are the business ids of contributions,
    // disbursements and refunds, which verify_projection checks against the
    // replay.
    if (id[0] == '\x01') return true;
    const auto seq = seq_from_key(value);
    if (seq && *seq >= 1 && *seq <= size_ && index_ids_[*seq] == 0) {
      index_ids_[*seq] = keyed_hash(id, id_key_);
      return true;
    }
    // An entry that names no event, or an event another entry names:
    // keep the one at the lowest seq.
    const std::uint64_t at = seq && *seq >= 1 ? *seq : size_ + 1;
    if (!index_failure_ || at < index_failure_->seq) {
      index_failure_ = Failure(at, Code::kIdIndexMismatch,
                               "the id index names an event that does not hold this id", {},
                               std::string(id));
    }
    return true;
  });
}

void Verifier::work() {
  for (;;) {
    std::unique_ptr<Chunk> c;
    {
      std::unique_lock lock(mu_);
      if (!ids_scanned_) {
        ids_scanned_ = true;
        lock.unlock();
        scan_ids();
        continue;
      }
      cv_.wait(lock, [&] { return done_.size() < kChunksAheadMax || next_chunk_ >= chunks_; });
      if (next_chunk_ >= chunks_ || next_chunk_ > stop_after_) return;
      c = std::make_unique<Chunk>();
      c->first = next_chunk_ * kChunkEvents + 1;
      c->last = std::min(size_, (next_chunk_ + 1) * kChunkEvents);
      ++next_chunk_;
    }
    verify_chunk(*c);
    std::lock_guard lock(mu_);
    if (c->failure || !c->status) stop_after_ = std::min(stop_after_, (c->first - 1) / kChunkEvents);
    done_.push_back(std::move(c));
    cv_.notify_all();
  }
}

// Takes the chunks in seq order as workers finish them. Returns the first
// failure, or nullopt when every event checked out; `chain` ends as the
// chain hash of the last event.
Result<std::optional<Failure>> Verifier::consume(Hash& chain) {
  Millis last_recorded = 0;
  for (std::uint64_t index = 0; index < chunks_; ++index) {
    std::unique_ptr<Chunk> c;
    {
      std::unique_lock lock(mu_);
      const std::uint64_t first = index * kChunkEvents + 1;
      auto is_next = [&](const auto& p) { return p->first == first; };
      cv_.wait(lock, [&] { return std::any_of(done_.begin(), done_.end(), is_next); });
      const auto it = std::find_if(done_.begin(), done_.end(), is_next);
      c = std::move(*it);
      done_.erase(it);
      cv_.notify_all();
    }
    if (!c->status) return c->status;
    std::optional<Failure> found = c->failure;
    if (index > 0 && !(found && found->seq == c->first) && c->first_recorded < last_recorded) {
      found = Failure(c->first, Code::kRecordedAtDecreasing, "recorded before the event it follows",
                      format_timestamp(last_recorded), format_timestamp(c->first_recorded));
    }
    if (found) return std::optional<Failure>(found);
    last_recorded = c->last_recorded;
    chain = c->last_chain;
    if (hooks_.on_progress) hooks_.on_progress(c->last, size_);
  }
  return std::optional<Failure>();
}

// After every event checked out: nothing may lie beyond the head or before
// seq 1, and the head must hold the last chain hash.
Result<std::optional<Failure>> Verifier::check_tail(const Hash& chain) {
  const std::string beyond_head = "a record lies beyond the head (size " + std::to_string(size_) + ")";
  for (Family f : {Family::kEvents, Family::kChain}) {
    const auto first = reader_.cursor(f, "");
    if (!first->status()) return first->status();
    if (first->valid() && first->key() < seq_key(1)) {
      return std::optional<Failure>(
          Failure(0, Code::kMalformedKey, "a record is stored before seq 1"));
    }
  }
  const auto event = reader_.cursor(Family::kEvents, seq_key(size_ + 1));
  if (!event->status()) return event->status();
  if (event->valid()) {
    const auto seq = seq_from_key(event->key());
    return std::optional<Failure>(
        Failure(seq.value_or(size_ + 1), Code::kEventBeyondHead, beyond_head));
  }
  const auto hashes = reader_.hashes_from(size_ + 1);
  if (hashes->status().code() == Code::kStorageError) return hashes->status();
  if (hashes->valid() || !hashes->status()) {
    return std::optional<Failure>(Failure(hashes->valid() ? hashes->seq() : size_ + 1,
                                                Code::kHashesBeyondHead, beyond_head));
  }
  if (chain != reader_.head().chain) {
    return std::optional<Failure>(
        Failure(size_, Code::kHeadMismatch, "the head's chain hash is not the last event's",
                to_hex(reader_.head().chain), to_hex(chain)));
  }
  return std::optional<Failure>();
}

// The first seq below `limit` where the id index and the events disagree.
std::optional<Failure> Verifier::compare_ids(std::uint64_t limit) {
  std::optional<Failure> first;
  if (index_failure_ && index_failure_->seq < limit) first = index_failure_;
  const std::uint64_t end = std::min<std::uint64_t>(limit, first ? first->seq : limit);
  for (std::uint64_t seq = 1; seq < end && seq <= size_; ++seq) {
    if (index_ids_[seq] == event_ids_[seq]) continue;
    if (index_ids_[seq] == 0) {
      return Failure(seq, Code::kIdNotIndexed, "the id index has no entry for this event's id");
    }
    return Failure(seq, Code::kIdIndexMismatch, "the id index and the event disagree on its id");
  }
  return first;
}

Result<VerifyReport> Verifier::run() {
  chunks_ = (size_ + kChunkEvents - 1) / kChunkEvents;
  const unsigned workers = std::max(1u, std::min(2u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (unsigned i = 0; i < workers; ++i) threads.emplace_back([this] { work(); });
  Hash chain = kZeroHash;
  Result<std::optional<Failure>> found = consume(chain);
  {
    std::lock_guard lock(mu_);
    stop_after_ = 0;
    next_chunk_ = chunks_;
    cv_.notify_all();
  }
  for (auto& t : threads) t.join();
  if (!found) return found.status();
  FL_RETURN_IF_ERROR(index_status_);
  VerifyReport report;
  report.size = size_;
  report.chain = chain;
  std::optional<Failure> failed = *found;
  if (!failed) {
    Result<std::optional<Failure>> tail = check_tail(chain);
    if (!tail) return tail.status();
    failed = *tail;
  }
  // Index entries that name no event (beyond the head, say) count too when
  // every event is fine.
  const std::uint64_t limit = failed ? failed->seq : UINT64_MAX;
  if (auto ids = compare_ids(limit)) failed = ids;
  report.failure = failed;
  return report;
}

}  // namespace

Result<VerifyReport> verify_log(const Store& store, const VerifyHooks& hooks) {
  const auto reader = store.reader();
  Verifier verifier(*reader, hooks);
  return verifier.run();
}

}  // namespace fundledger
