#pragma once
// The fund as the events so far make it (ledger/fund.h), with the rules of
// SPEC section 2 that decide whether the next event may land, and the
// effect of each event that does.
//
// The writer keeps one FundState: complete, in memory, changed only by the
// leader under the state lock; refused requests and failed writes are taken
// back through a journal. A view of an older seq builds its own FundState,
// whose entities are loaded on demand from a snapshot (EntitySource).
//
// Thread safety: none inside. The Ledger (ledger/ledger.h) guards the
// writer's state with a shared lock; a state with a source is used by one
// thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <variant>
#include <vector>

#include "ledger/data_view.h"
#include "ledger/event.h"
#include "ledger/fund.h"
#include "ledger/status.h"

namespace fundledger {

// The kinds of entity a snapshot holds, by the byte that starts their keys.
enum class EntityKind : char {
  kTotals = 'T',
  kDonor = 'D',
  kProgramme = 'G',
  kCall = 'C',
  kProposal = 'R',
  kPledge = 'P',        // pledge id -> the donor that holds it
  kContribution = 'K',  // business ids, kept to refuse their reuse
  kDisbursement = 'S',
  kRefund = 'F',
};

// Where entities come from when they are not in memory: a snapshot.
class EntitySource {
 public:
  virtual ~EntitySource() = default;
  // The stored record of one entity, or nullopt when the snapshot has none.
  virtual std::optional<std::string> load(EntityKind kind, std::string_view id) = 0;
  // Every stored record of one kind, as (id, record).
  virtual std::vector<std::pair<std::string, std::string>> load_all(EntityKind kind) = 0;
  // The first storage error met while loading; what it could not load
  // reads as absent.
  virtual Status status() const = 0;
};

class FundState {
 public:
  FundState() = default;
  // A state whose entities come from `source` when not yet in memory.
  explicit FundState(std::unique_ptr<EntitySource> source) : source_(std::move(source)) {}

  // The source's first storage error, ok when there is none (or no source).
  // Whoever reads a state with a source checks it after reading.
  Status source_status() const { return source_ ? source_->status() : Status::ok(); }

  // The seq of the last event applied; 0 for the empty fund.
  std::uint64_t seq() const { return seq_; }
  void set_seq(std::uint64_t seq) { seq_ = seq; }

  // Completes a draft that needs the state: a write-off's amount takes the
  // decimals of its pledge's currency. Refusals: unknown_pledge,
  // invalid_amount.
  Status prepare(Draft& draft) const;
  // The rules of SPEC section 2 for the next event. Refusals carry the
  // codes of SPEC section 2, and unknown_pledge, unknown_call,
  // unknown_proposal, duplicate (an id already used for its kind),
  // invalid_dates (a call closed before it opened), amount_overflow (a total
  // the ledger cannot count).
  Status check(EventType type, const DataView& data) const;
  // The effect of an event that check() accepted, as event `seq`.
  void apply(EventType type, const DataView& data, std::uint64_t seq);

  // Undo. mark() starts a unit (one request); rollback(m) undoes every
  // change since mark m was taken, seq included; commit() forgets the
  // journal.
  struct Mark {
    std::size_t journal = 0;
    std::uint64_t seq = 0;
  };
  Mark mark();
  void rollback(const Mark& mark);
  void commit();

  // Entities changed since clear_dirty(): (kind, id) keys, for snapshots.
  const std::unordered_set<std::string>& dirty() const { return dirty_; }
  void clear_dirty() { dirty_.clear(); }
  // The record a snapshot stores for the entity of `key` (a dirty() key),
  // or nullopt when it does not exist (its creation was taken back).
  std::optional<std::string> record(const std::string& key) const;
  // Puts a stored record back (when a snapshot is loaded). False when the
  // record cannot be decoded.
  bool restore(EntityKind kind, std::string_view id, std::string_view record);

  // Reading.
  const Totals& totals() const;
  const Donor* donor(std::string_view id) const;
  const Programme* programme(std::string_view id) const;
  const Call* call(std::string_view id) const;
  const Proposal* proposal(std::string_view id) const;
  // All of a kind, sorted by id.
  std::vector<const Donor*> donors() const;
  std::vector<const Programme*> programmes() const;
  std::vector<const Call*> calls() const;

  // The fund's invariants, recomputed from independent sums: cash equals
  // unallocated plus allocated-but-unpaid, the regions add up to the fund,
  // and nothing is negative. Returns what is broken, or "" when nothing is.
  std::string broken_invariant() const;

 private:
  using Copy = std::variant<std::monostate, Totals, Donor, Programme, Call, Proposal, std::string, bool>;
  struct Undo {
    std::string key;  // kind byte + id
    Copy before;      // monostate: the entity did not exist
    bool was_dirty;   // whether the key was in dirty_ before
  };

  // Mutable access; records the entity in the journal first and marks it
  // dirty.
  Totals& totals_for_change();
  Donor& donor_for_change(std::string_view id);
  Programme& programme_for_change(std::string_view id);
  Call& call_for_change(std::string_view id);
  Proposal& proposal_for_change(std::string_view id);
  void touch(EntityKind kind, std::string_view id);
  Copy copy_of(const std::string& key) const;
  void put_back(const std::string& key, Copy copy);

  // Whether the entity of `key` is in memory (without loading it).
  bool present(const std::string& key) const;
  bool has_id(EntityKind kind, std::string_view id) const;
  void add_id(EntityKind kind, std::string_view id, std::string_view value = {});
  // Loads an entity from the source into memory, once.
  void load(EntityKind kind, std::string_view id) const;
  void load_all(EntityKind kind) const;

  // Rules by event type (rules.cc) and effects (apply.cc).
  Status check_pledge(EventType type, const DataView& d) const;
  Status check_contribution(const DataView& d) const;
  Status check_call(EventType type, const DataView& d) const;
  Status check_proposal(EventType type, const DataView& d) const;
  Status check_money_out(EventType type, const DataView& d) const;
  void apply_pledge(EventType type, const DataView& d, std::uint64_t seq);
  void apply_contribution(const DataView& d);
  void apply_call(EventType type, const DataView& d, std::uint64_t seq);
  void apply_proposal(EventType type, const DataView& d, std::uint64_t seq);
  void apply_money_out(EventType type, const DataView& d);
  // Adds `amount` to the approved (or disbursed) figures of a proposal's
  // call, region, programme and the fund.
  void add_approved(const Proposal& p, std::int64_t amount);
  void add_disbursed(const Proposal& p, std::int64_t amount);
  // An amount of data that check() has accepted, in minor units.
  static std::int64_t amount(const DataView& d, std::string_view field, int minor_units);

  std::unique_ptr<EntitySource> source_;
  std::uint64_t seq_ = 0;
  mutable Totals totals_;
  mutable bool totals_loaded_ = false;
  mutable std::unordered_map<std::string, Donor> donors_;
  mutable std::unordered_map<std::string, Programme> programmes_;
  mutable std::unordered_map<std::string, Call> calls_;
  mutable std::unordered_map<std::string, Proposal> proposals_;
  mutable std::unordered_map<std::string, std::string> pledge_donor_;
  mutable std::unordered_set<std::string> contributions_, disbursements_, refunds_;
  // Keys looked for in the source and not found there, so as not to look twice.
  mutable std::unordered_set<std::string> absent_;
  mutable std::unordered_set<char> loaded_kinds_;

  bool journaling_ = false;  // between mark() and commit()
  std::vector<Undo> journal_;
  std::unordered_set<std::string> journalled_;  // keys saved since the last mark
  std::unordered_set<std::string> dirty_;
};

// The key of an entity in dirty() and in snapshots: its kind's byte, then
// its id.
std::string entity_key(EntityKind kind, std::string_view id);

}  // namespace fundledger
