#include "ledger/verify.h"

#include <algorithm>
#include <map>
#include <vector>

#include "audit/proof.h"
#include "domain/data_view.h"
#include "domain/state.h"
#include "ledger/checkpoints.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/tree.h"
#include "util/check.h"
#include "util/files.h"
#include "util/keyed_hash.h"

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

  Result<ProjectionReport> run() {
    ProjectionReport report;
    report.size = size_;
    report.chain = reader_.head().chain;
    business_event_.assign(size_ + 1, 0);
    business_index_.assign(size_ + 1, 0);
    FL_RETURN_IF_ERROR(read_marks());
    if (!failure_) FL_RETURN_IF_ERROR(read_records());
    if (!failure_) FL_RETURN_IF_ERROR(read_business_index());
    if (!failure_) FL_RETURN_IF_ERROR(replay_all());
    if (!failure_) compare_business();
    if (!failure_) {
      if (const Status ties = statement_.check(); !ties) {
        failure_ = Failure(size_, ties.code(), ties.message());
      } else {
        report.statement = LogStatement{statement_.first_date(), statement_.last_date(), statement_.figures()};
      }
    }
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
      // Registrations, the only events dated by their recorded_at, stand in
      // every statement, so the statement of the whole log needs neither.
      if (const Status dated = statement_.add(s.seq(), type, data, "", ""); !dated) {
        failure_ = Failure(s.seq(), dated.code(), dated.message());
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
  StatementBuilder statement_{whole_log_period(), std::nullopt};
  std::optional<Failure> failure_;
};

}  // namespace

Result<ProjectionReport> verify_projection(const Store& store, const ProgressFn& progress) {
  const auto reader = store.reader();
  ProjectionCheck check(*reader, progress);
  return check.run();
}

namespace {

// Whether the log extends the checkpoint or bundle at `path`: nullopt when
// it does (and `extends` is set to that checkpoint), the failure otherwise.
Result<std::optional<Failure>> check_earlier(const StoreReader& reader, const std::filesystem::path& path,
                                             const NoteVerifier& verifier, std::optional<Checkpoint>& extends) {
  Result<EarlierCheckpoint> earlier = read_earlier_checkpoint(path, verifier);
  if (!earlier) return std::optional<Failure>(Failure(0, earlier.status().code(), earlier.status().message()));
  const StoredTree tree(reader);
  Status read;
  // Leaves are asked for in seq order from 1: read them with one cursor.
  std::unique_ptr<HashesCursor> cursor;
  std::optional<Failure> f = check_extends(
      *earlier, reader.head().size,
      [&] {
        const std::optional<Hash> root = tree_root(tree, earlier->checkpoint.size);
        if (!root && read.is_ok()) read = tree.status();
        return root.value_or(Hash{});
      },
      [&](std::uint64_t seq) {
        if (!cursor) cursor = reader.hashes_from(seq);
        if (!cursor->valid() || cursor->seq() != seq) {
          if (read.is_ok()) {
            read = Status::error(Code::kStoreCorrupt, "the hashes of event " + std::to_string(seq) + " cannot be read");
          }
          return Hash{};
        }
        const Hash leaf = cursor->hashes().leaf;
        cursor->next();
        return leaf;
      });
  FL_RETURN_IF_ERROR(read);
  if (!f) extends = earlier->checkpoint;
  return f;
}

// Under a policy: the latest checkpoint kept, and the earlier one when it
// is a note, must meet the quorum; the latest's cosigners are reported.
Result<std::optional<Failure>> check_policy(const StoreReader& reader, const VerifyOptions& options,
                                            LedgerReport& report) {
  const Policy& policy = *options.policy;
  Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(reader);
  if (!latest) return latest.status();
  if (!latest->has_value()) {
    return std::optional<Failure>(Failure(0, Code::kQuorum, "the ledger kept no checkpoint for the witnesses to cosign"));
  }
  QuorumReport quorum;
  const Result<Checkpoint> cosigned = read_policy_checkpoint((*latest)->second, policy, quorum);
  report.quorum = quorum;
  if (!cosigned) return std::optional<Failure>(Failure(0, cosigned.status().code(), cosigned.status().message()));
  if (!options.earlier.empty() && std::filesystem::is_regular_file(options.earlier)) {
    Result<std::string> note = read_text_file(options.earlier);
    if (!note) return note.status();
    QuorumReport earlier;
    const Result<Checkpoint> then = read_policy_checkpoint(*note, policy, earlier);
    if (!then) {
      return std::optional<Failure>(
          Failure(0, then.status().code(), "the earlier checkpoint: " + then.status().message()));
    }
  }
  return std::optional<Failure>();
}

Status no_verifier(const char* why) {
  return Status::error(Code::kNoSigningKey, std::string("no verifier key: ") + why +
                                                "; give the one the fund published with --key FILE");
}

}  // namespace

Result<LedgerReport> verify_ledger(const Store& store, const VerifyOptions& options) {
  // A mistake in how verify was called, before a long pass over the log.
  if (!options.earlier.empty() && !options.verifier) return no_verifier("an earlier checkpoint needs it");
  const auto reader = store.reader();
  LedgerReport report;
  // Each verified chunk's blocks of the Merkle tree are hashed on the
  // worker that verified it.
  RecomputedTree tree(reader->head().size);
  VerifyHooks hooks;
  hooks.on_chunk = [&tree](std::uint64_t first_seq, const std::vector<Hash>& leaves) {
    tree.add_chunk(first_seq, leaves);
  };
  hooks.on_progress = options.on_log_progress;
  Result<VerifyReport> log = verify_log(store, hooks);
  if (!log) return log.status();
  report.size = log->size;
  report.chain = log->chain;
  report.failure = log->failure;
  if (!report.ok()) return report;
  FL_CHECK(report.size == reader->head().size);
  report.root = tree.root();

  // The stored tree, then every checkpoint the ledger kept, read through it.
  Result<std::optional<Failure>> nodes = tree.compare_stored(*reader);
  if (!nodes) return nodes.status();
  if ((report.failure = *nodes)) return report;
  if (options.verifier) {
    Result<KeptCheckpoints> kept = verify_kept_checkpoints(*reader, *options.verifier);
    if (!kept) return kept.status();
    report.checkpoints_kept = kept->count;
    if ((report.failure = kept->failure)) return report;
  } else {
    Result<std::optional<std::pair<std::uint64_t, std::string>>> latest = latest_checkpoint(*reader);
    if (!latest) return latest.status();
    if (latest->has_value()) return no_verifier("the ledger kept checkpoints, which need it");
  }
  if (!options.earlier.empty()) {
    Result<std::optional<Failure>> extended = check_earlier(*reader, options.earlier, *options.verifier, report.extends);
    if (!extended) return extended.status();
    if ((report.failure = *extended)) return report;
  }
  if (options.policy) {
    Result<std::optional<Failure>> quorum = check_policy(*reader, options, report);
    if (!quorum) return quorum.status();
    if ((report.failure = *quorum)) return report;
  }

  // The log is what was appended; now the projection must be what the log
  // gives, and every event must pass the rules.
  Result<ProjectionReport> projection = verify_projection(store, options.on_replay_progress);
  if (!projection) return projection.status();
  report.failure = projection->failure;
  report.statement = projection->statement;
  return report;
}

}  // namespace fundledger
