#pragma once
// The fund as the events so far make it (domain/fund.h), with the rules of
// SPEC section 2 that decide whether the next event may land, and the
// effect of each event that does.
//
// The writer keeps one FundState, its entities loaded on demand from the
// last snapshot (EntitySource) and changed only by the leader under the
// state lock. Changes are never taken back in place: when a request is
// refused or a write fails, the writer drops its state and loads it again
// from the store, which holds only what landed. A view of an older seq
// builds its own FundState the same way, from the snapshot before it.
//
// Thread safety: none inside. The writer (ledger/writer.h) guards its
// state with a lock; a state with a source is used by one
// thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "domain/data_view.h"
#include "domain/entity_table.h"
#include "domain/event.h"
#include "domain/fund.h"
#include "util/status.h"

namespace fundledger {

// The kinds of entity a snapshot holds, by the byte that starts their keys.
enum class EntityKind : char {
  kTotals = 'T',
  kDonor = 'D',
  kProgramme = 'G',
  kCall = 'C',
  kProposal = 'R',
  kPledge = 'P',  // pledge id -> the donor that holds it
  kDecision = 'B',  // the Board's decisions
  kMember = 'M',    // the Board's members
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

  // For a state of the events chosen by business date (a view as of a
  // day): the rules let each event in with the figures of the log's order,
  // so here a sum may go below zero or beyond its bound (cash spent before,
  // by date, the contribution that covered it arrived). apply() then keeps
  // such sums as they come instead of stopping on them.
  void accept_any_sums() { sums_checked_ = false; }

  // The seq of the last event applied; 0 for the empty fund.
  std::uint64_t seq() const { return seq_; }
  void set_seq(std::uint64_t seq) { seq_ = seq; }

  // Completes a draft that needs the state: a write-off's amount takes the
  // decimals of its pledge's currency; a contribution gets the fee the
  // terms in force on its day take (admin_fee_usd), unless it names one.
  // Refusals: unknown_pledge, invalid_amount.
  Status prepare(Draft& draft) const;
  // Completes an entry.reversed draft with the facts of the event it
  // reverses, event `seq` of `type` with `original` data, which the caller
  // read from the log (domain/reversal.cc). Refusals: not_reversible,
  // reversal_mismatch (a fact the client sent that is not the original's).
  Status complete_reversal(Draft& draft, std::uint64_t seq, EventType type,
                           const DataView& original) const;
  // The rules of SPEC section 2 for the next event, recorded by `actor`
  // (the manager who makes a payment under dual control is not the one who
  // requested it). Refusals carry the codes of SPEC section 2, and
  // unknown_pledge, unknown_call, unknown_proposal, unknown_decision,
  // unknown_member, duplicate (an id already used for its kind),
  // invalid_dates (a call closed before it opened, an event dated before
  // what it rests on), seat_taken and region_full (the Board's seats),
  // amount_overflow (a total the ledger cannot count).
  Status check(EventType type, const DataView& data, std::string_view actor) const;
  // The effect of an event that check() accepted, as event `seq` by
  // `actor`.
  void apply(EventType type, const DataView& data, std::uint64_t seq, std::string_view actor);
  // Reading ahead of a replay: asks the processor to bring in the proposal
  // an event names, a few events before it is checked (EntityTable:
  // `entry` false for the first step, true for the second).
  void prefetch(const DataView& data, bool entry) const;

  // Entities changed since clear_dirty(): (kind, id) keys, each once, in
  // the order first changed; for snapshots.
  const std::vector<std::string>& dirty() const { return dirty_; }
  void clear_dirty();
  // The record a snapshot stores for the entity of `key` (a dirty() key),
  // or nullopt when there is no such entity.
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
  const Decision* decision(std::string_view id) const;
  const BoardMember* member(std::string_view id) const;
  // All of a kind, sorted by id.
  std::vector<const Donor*> donors() const;
  std::vector<const Programme*> programmes() const;
  std::vector<const Call*> calls() const;
  std::vector<const Decision*> decisions() const;
  std::vector<const BoardMember*> members() const;
  // The donor that holds a pledge, "" when there is no such pledge.
  std::string_view pledge_owner(std::string_view pledge) const;

  // A source that reads through to this state, for a state that starts
  // as this one stands and then changes apart from it (a dry run): each
  // entity is copied from here as it is first read. This state must
  // outlive the source and not change while it is read.
  std::unique_ptr<EntitySource> overlay_source() const;
  // The record of one entity, loaded first if need be (nullopt when there
  // is none), and every record of a kind: what overlay_source() reads.
  std::optional<std::string> record_of(EntityKind kind, std::string_view id) const;
  std::vector<std::pair<std::string, std::string>> records_of(EntityKind kind) const;

  // The fund's invariants, recomputed from independent sums: cash equals
  // unallocated plus allocated-but-unpaid, the regions add up to the fund,
  // and nothing is negative. ok, or invariant_broken saying what is broken.
  Status invariants() const;

 private:
  template <typename T>
  using Table = EntityTable<T>;
  // Lookups by std::string_view without building a std::string.
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  using IdSet = std::unordered_set<std::string, StringHash, std::equal_to<>>;

  // Mutable access; loads the entity if needed and marks it dirty.
  Totals& totals_for_change();
  Donor& donor_for_change(std::string_view id);
  Programme& programme_for_change(std::string_view id);
  Call& call_for_change(std::string_view id);
  Proposal& proposal_for_change(std::string_view id);
  Decision& decision_for_change(std::string_view id);
  BoardMember& member_for_change(std::string_view id);
  template <typename T>
  T& for_change(EntityKind kind, Table<T>& table, std::string_view id);

  // Whether the entity is in memory (without loading it).
  bool present(EntityKind kind, std::string_view id) const;
  // Loads an entity from the source into memory, once.
  void load(EntityKind kind, std::string_view id) const;
  void load_all(EntityKind kind) const;

  // The pledge index: which donor holds a pledge.
  bool has_pledge(std::string_view id) const;
  void add_pledge(std::string_view id, std::string_view donor);

  // Rules by event type (rules.cc) and effects (apply.cc).
  Status check_pledge(EventType type, const DataView& d) const;
  Status check_contribution(const DataView& d) const;
  Status check_call(EventType type, const DataView& d) const;
  Status check_proposal(EventType type, const DataView& d) const;
  Status check_submission(const DataView& d) const;
  Status check_money_out(EventType type, const DataView& d, std::string_view actor) const;
  Status check_payment(const Proposal& p, const DataView& d, std::int64_t amount, std::string_view actor) const;
  Status check_request(EventType type, const DataView& d) const;
  Status check_income(const DataView& d) const;
  Status check_fee(const DataView& d, std::int64_t credited) const;
  Status check_cost(const DataView& d) const;
  Status check_reversal(const DataView& d) const;
  // The Board (governance.cc): a decision recorded once, and the decision
  // an event of `type` rests on, held on or before its date; a member
  // appointed to a seat that is free for the term, in a regional group
  // with a seat left, and a member's leaving.
  Status check_decision(const DataView& d) const;
  Status check_rests_on_decision(EventType type, const DataView& d) const;
  Status check_appointment(const DataView& d) const;
  Status check_departure(const DataView& d) const;
  void apply_decision(const DataView& d, std::uint64_t seq);
  void apply_member(EventType type, const DataView& d, std::uint64_t seq);
  Status check_pledge_reversal(EventType type, const DataView& d, const std::string& what) const;
  void apply_pledge(EventType type, const DataView& d, std::uint64_t seq);
  void apply_contribution(const DataView& d);
  void apply_call(EventType type, const DataView& d, std::uint64_t seq);
  void apply_proposal(EventType type, const DataView& d, std::uint64_t seq);
  void apply_money_out(EventType type, const DataView& d, std::uint64_t seq);
  void apply_income_or_cost(EventType type, const DataView& d);
  void apply_request(EventType type, const DataView& d, std::uint64_t seq, std::string_view actor);
  void apply_terms(const DataView& d, std::uint64_t seq);
  // The fee a contribution (or its reversal) names, in cents; 0 for none.
  static std::int64_t fee_in(const DataView& d);
  void apply_reversal(const DataView& d, std::uint64_t seq);
  void apply_pledge_reversal(EventType type, const DataView& d, std::uint64_t seq);
  // Adds `amount` to the approved (or disbursed) figures of a proposal and
  // of its call, region, programme and the fund.
  struct ProposalContext;
  void add_approved(ProposalContext& x, std::int64_t amount);
  void add_disbursed(ProposalContext& x, std::int64_t amount);
  // An amount of data that check() has accepted, in minor units.
  static std::int64_t amount(const DataView& d, std::string_view field, int minor_units);

  std::unique_ptr<EntitySource> source_;
  std::uint64_t seq_ = 0;
  bool sums_checked_ = true;
  mutable Totals totals_;
  mutable bool totals_loaded_ = false;
  bool totals_dirty_ = false;
  mutable Table<Donor> donors_;
  mutable Table<Programme> programmes_;
  mutable Table<Call> calls_;
  mutable Table<Proposal> proposals_;
  mutable Table<Decision> decisions_;
  mutable Table<BoardMember> members_;
  mutable Table<std::string> pledge_donor_;  // pledge id -> donor id
  // Keys looked for in the source and not found there, so as not to look
  // twice; a key leaves when its entity is created.
  mutable IdSet absent_;
  mutable std::unordered_set<char> loaded_kinds_;
  std::vector<std::string> dirty_;
  std::vector<bool*> dirty_flags_;  // of the slots in dirty_, to clear them
};

// The fields an entry.reversed copies from a reversed event of type
// `reversed`, each required (a contribution's pledge is copied too when it
// has one); empty for a type that cannot be reversed.
std::span<const std::string_view> reversal_facts(EventType reversed);

// Whether a stored reversal's facts are those of the event it reverses,
// event `seq` of `type` with `original` data: for verify and audit, which
// read both from the log. ok, or reversal_mismatch naming the fact.
Status check_reversal_facts(std::uint64_t seq, const DataView& reversal, EventType type,
                            const DataView& original);

// The key of an entity in dirty() and in snapshots: its kind's byte, then
// its id.
std::string entity_key(EntityKind kind, std::string_view id);

// The id index's key for the business id an event creates, where the ledger
// refuses to see one twice but the fund keeps no state for it: a
// contribution, a disbursement, a refund, an income or a cost. nullopt for
// other events. The
// key starts with 0x01, which no event id can start with.
std::optional<std::string> business_key(EventType type, const DataView& data);
// What kind of record a business key names, and its id ("disbursement",
// "d-2015-1"), for messages.
std::pair<std::string_view, std::string_view> business_key_parts(std::string_view key);

}  // namespace fundledger
