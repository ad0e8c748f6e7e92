#include "domain/state.h"

#include <algorithm>
#include <utility>

#include "domain/money.h"
#include "util/check.h"

namespace fundledger {

std::string entity_key(EntityKind kind, std::string_view id) {
  std::string key(1, static_cast<char>(kind));
  key.append(id);
  return key;
}

namespace {

EntityKind kind_of(std::string_view key) { return static_cast<EntityKind>(key[0]); }
std::string_view id_of(std::string_view key) { return key.substr(1); }

template <typename T>
auto sorted_values(const EntityTable<T>& table) {
  std::vector<const T*> out;
  out.reserve(table.size());
  table.for_each([&out](const auto& entry) { out.push_back(&entry.value); });
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

}  // namespace

// --- what is in memory ----------------------------------------------------------

std::optional<std::string> business_key(EventType type, const DataView& data) {
  const auto key = [&](char kind, std::string_view field) {
    std::string k = "\x01";
    k += kind;
    k.append(data.get(field));
    return std::optional<std::string>(std::move(k));
  };
  switch (type) {
    case EventType::kContributionReceived: return key('K', "contribution");
    case EventType::kDisbursementMade: return key('S', "disbursement");
    case EventType::kRefundReceived: return key('F', "refund");
    case EventType::kIncomeReceived: return key('I', "income");
    case EventType::kCostCharged: return key('X', "cost");
    case EventType::kDisbursementRequested: return key('Q', "disbursement");  // requested once
    case EventType::kEntryReversed: return key('V', "seq");  // each event is reversed once
    default: return std::nullopt;
  }
}

std::pair<std::string_view, std::string_view> business_key_parts(std::string_view key) {
  if (key.size() < 2) return {"record", key};
  const std::string_view what = key[1] == 'K'   ? "contribution"
                                : key[1] == 'S' ? "disbursement"
                                : key[1] == 'V' ? "reversal"
                                : key[1] == 'I' ? "income"
                                : key[1] == 'X' ? "cost"
                                : key[1] == 'Q' ? "disbursement"
                                                : "refund";
  return {what, key.substr(2)};
}

bool FundState::present(EntityKind kind, std::string_view id) const {
  switch (kind) {
    case EntityKind::kTotals: return totals_loaded_;
    case EntityKind::kDonor: return donors_.find(id) != nullptr;
    case EntityKind::kProgramme: return programmes_.find(id) != nullptr;
    case EntityKind::kCall: return calls_.find(id) != nullptr;
    case EntityKind::kProposal: return proposals_.find(id) != nullptr;
    case EntityKind::kDecision: return decisions_.find(id) != nullptr;
    case EntityKind::kMember: return members_.find(id) != nullptr;
    case EntityKind::kPledge: return pledge_donor_.find(id) != nullptr;
  }
  return false;
}

void FundState::load(EntityKind kind, std::string_view id) const {
  if (!source_ || present(kind, id)) return;
  std::string key = entity_key(kind, id);
  if (absent_.contains(key)) return;
  const std::optional<std::string> stored = source_->load(kind, id);
  if (!stored) {
    absent_.insert(std::move(key));
    return;
  }
  FL_CHECK(const_cast<FundState*>(this)->restore(kind, id, *stored));
}

void FundState::load_all(EntityKind kind) const {
  if (!source_ || !loaded_kinds_.insert(static_cast<char>(kind)).second) return;
  for (const auto& [id, stored] : source_->load_all(kind)) {
    // What is in memory already is newer than the snapshot.
    if (present(kind, id)) continue;
    FL_CHECK(const_cast<FundState*>(this)->restore(kind, id, stored));
  }
}

void FundState::prefetch(const DataView& data, bool entry) const {
  const std::string_view id = data.get("proposal");
  if (id.empty()) return;
  if (entry) {
    proposals_.prefetch_entry(id);
  } else {
    proposals_.prefetch_slot(id);
  }
}

// --- snapshots ------------------------------------------------------------------

void FundState::clear_dirty() {
  // Entries stay where they are in their tables, so the flags can be cleared
  // without looking the entities up again.
  for (bool* flag : dirty_flags_) *flag = false;
  dirty_flags_.clear();
  dirty_.clear();
}

std::optional<std::string> FundState::record(const std::string& key) const {
  const std::string_view id = id_of(key);
  switch (kind_of(key)) {
    case EntityKind::kTotals: return encode(totals_);
    case EntityKind::kDonor:
      if (const auto* s = donors_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kProgramme:
      if (const auto* s = programmes_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kCall:
      if (const auto* s = calls_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kProposal:
      if (const auto* s = proposals_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kDecision:
      if (const auto* s = decisions_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kMember:
      if (const auto* s = members_.find(id)) return encode(s->value);
      return std::nullopt;
    case EntityKind::kPledge:
      if (const auto* s = pledge_donor_.find(id)) return s->value;
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<std::string> FundState::record_of(EntityKind kind, std::string_view id) const {
  if (kind == EntityKind::kTotals) {
    totals();
  } else {
    load(kind, id);
  }
  return record(entity_key(kind, id));
}

std::vector<std::pair<std::string, std::string>> FundState::records_of(EntityKind kind) const {
  load_all(kind);
  std::vector<std::pair<std::string, std::string>> out;
  const auto add = [&](const auto& table) {
    table.for_each([&](const auto& entry) { out.emplace_back(entry.id, *record(entity_key(kind, entry.id))); });
  };
  switch (kind) {
    case EntityKind::kTotals: out.emplace_back("", *record_of(kind, "")); break;
    case EntityKind::kDonor: add(donors_); break;
    case EntityKind::kProgramme: add(programmes_); break;
    case EntityKind::kCall: add(calls_); break;
    case EntityKind::kProposal: add(proposals_); break;
    case EntityKind::kDecision: add(decisions_); break;
    case EntityKind::kMember: add(members_); break;
    case EntityKind::kPledge: add(pledge_donor_); break;
  }
  return out;
}

namespace {

// Reads through to a state: what FundState::overlay_source() returns.
class OverlaySource final : public EntitySource {
 public:
  explicit OverlaySource(const FundState& base) : base_(base) {}
  std::optional<std::string> load(EntityKind kind, std::string_view id) override { return base_.record_of(kind, id); }
  std::vector<std::pair<std::string, std::string>> load_all(EntityKind kind) override {
    return base_.records_of(kind);
  }
  Status status() const override { return base_.source_status(); }

 private:
  const FundState& base_;
};

}  // namespace

std::unique_ptr<EntitySource> FundState::overlay_source() const { return std::make_unique<OverlaySource>(*this); }

bool FundState::restore(EntityKind kind, std::string_view id, std::string_view record) {
  const auto put = [&](auto& table, auto decoded) {
    if (!decoded || decoded->id != id) return false;
    bool added = false;
    table.find_or_add(id, added).value = std::move(*decoded);
    return true;
  };
  switch (kind) {
    case EntityKind::kTotals: {
      auto t = decode_totals(record);
      if (!t || !id.empty()) return false;
      totals_ = std::move(*t);
      totals_loaded_ = true;
      return true;
    }
    case EntityKind::kDonor: return put(donors_, decode_donor(record));
    case EntityKind::kProgramme: return put(programmes_, decode_programme(record));
    case EntityKind::kCall: return put(calls_, decode_call(record));
    case EntityKind::kProposal: return put(proposals_, decode_proposal(record));
    case EntityKind::kDecision: return put(decisions_, decode_decision(record));
    case EntityKind::kMember: return put(members_, decode_member(record));
    case EntityKind::kPledge: {
      bool added = false;
      pledge_donor_.find_or_add(id, added).value = std::string(record);
      return !record.empty();
    }
  }
  return false;
}

// --- reading --------------------------------------------------------------------

const Totals& FundState::totals() const {
  if (source_ && !totals_loaded_) {
    totals_loaded_ = true;
    if (const auto stored = source_->load(EntityKind::kTotals, "")) {
      FL_CHECK(const_cast<FundState*>(this)->restore(EntityKind::kTotals, "", *stored));
    }
  }
  return totals_;
}

const Donor* FundState::donor(std::string_view id) const {
  load(EntityKind::kDonor, id);
  const auto* s = donors_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

const Programme* FundState::programme(std::string_view id) const {
  load(EntityKind::kProgramme, id);
  const auto* s = programmes_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

const Call* FundState::call(std::string_view id) const {
  load(EntityKind::kCall, id);
  const auto* s = calls_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

const Proposal* FundState::proposal(std::string_view id) const {
  load(EntityKind::kProposal, id);
  const auto* s = proposals_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

const Decision* FundState::decision(std::string_view id) const {
  load(EntityKind::kDecision, id);
  const auto* s = decisions_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

const BoardMember* FundState::member(std::string_view id) const {
  load(EntityKind::kMember, id);
  const auto* s = members_.find(id);
  return s == nullptr ? nullptr : &s->value;
}

std::vector<const Donor*> FundState::donors() const {
  load_all(EntityKind::kDonor);
  return sorted_values(donors_);
}

std::vector<const Programme*> FundState::programmes() const {
  load_all(EntityKind::kProgramme);
  return sorted_values(programmes_);
}

std::vector<const Call*> FundState::calls() const {
  load_all(EntityKind::kCall);
  return sorted_values(calls_);
}

std::vector<const Decision*> FundState::decisions() const {
  load_all(EntityKind::kDecision);
  return sorted_values(decisions_);
}

std::vector<const BoardMember*> FundState::members() const {
  load_all(EntityKind::kMember);
  return sorted_values(members_);
}

std::string_view FundState::pledge_owner(std::string_view pledge) const {
  load(EntityKind::kPledge, pledge);
  const auto* s = pledge_donor_.find(pledge);
  return s == nullptr ? std::string_view() : std::string_view(s->value);
}

bool FundState::has_pledge(std::string_view id) const {
  load(EntityKind::kPledge, id);
  return present(EntityKind::kPledge, id);
}

// --- changing -------------------------------------------------------------------

template <typename T>
T& FundState::for_change(EntityKind kind, Table<T>& table, std::string_view id) {
  load(kind, id);
  bool added = false;
  auto& entry = table.find_or_add(id, added);
  if (added && source_) absent_.erase(entity_key(kind, id));
  if (!entry.dirty) {
    entry.dirty = true;
    dirty_.push_back(entity_key(kind, id));
    dirty_flags_.push_back(&entry.dirty);
  }
  return entry.value;
}

void FundState::add_pledge(std::string_view id, std::string_view donor) {
  for_change(EntityKind::kPledge, pledge_donor_, id) = std::string(donor);
}

Totals& FundState::totals_for_change() {
  totals();
  if (!totals_dirty_) {
    totals_dirty_ = true;
    dirty_.push_back(entity_key(EntityKind::kTotals, ""));
    dirty_flags_.push_back(&totals_dirty_);
  }
  return totals_;
}

Donor& FundState::donor_for_change(std::string_view id) { return for_change(EntityKind::kDonor, donors_, id); }

Programme& FundState::programme_for_change(std::string_view id) {
  return for_change(EntityKind::kProgramme, programmes_, id);
}

Call& FundState::call_for_change(std::string_view id) { return for_change(EntityKind::kCall, calls_, id); }

Proposal& FundState::proposal_for_change(std::string_view id) {
  return for_change(EntityKind::kProposal, proposals_, id);
}

Decision& FundState::decision_for_change(std::string_view id) {
  return for_change(EntityKind::kDecision, decisions_, id);
}

BoardMember& FundState::member_for_change(std::string_view id) {
  return for_change(EntityKind::kMember, members_, id);
}

std::int64_t FundState::amount(const DataView& d, std::string_view field, int minor_units) {
  const Result<std::int64_t> a = parse_amount(d.get(field), minor_units);
  FL_CHECK(a.is_ok());
  return *a;
}

// --- invariants -----------------------------------------------------------------

Status FundState::invariants() const {
  const Totals& t = totals();
  const auto broken = [](std::string what) { return Status::error(Code::kInvariantBroken, std::move(what)); };
  std::int64_t approved = 0;
  std::int64_t disbursed = 0;
  for (const RegionFigures& r : t.regions) {
    approved += r.approved;
    disbursed += r.disbursed;
  }
  // cash is kept from the fund's totals, the money allocated but not yet
  // paid from the regions' sums: the identity holds only if both agree.
  if (t.cash() != t.unallocated() + (approved - disbursed)) {
    return broken("cash " + format_amount(t.cash(), kUsdMinorUnits) + " is not unallocated " +
                  format_amount(t.unallocated(), kUsdMinorUnits) + " plus allocated but unpaid " +
                  format_amount(approved - disbursed, kUsdMinorUnits));
  }
  const auto sum = [](const std::map<std::string, std::int64_t>& by_kind) {
    std::int64_t total = 0;
    for (const auto& [kind, a] : by_kind) total += a;
    return total;
  };
  if (sum(t.income_by_kind) != t.income || sum(t.costs_by_kind) != t.costs) {
    return broken("the income or the costs by kind do not add up to their totals");
  }
  if (t.income < 0 || t.costs < 0) return broken("income or costs are below zero");
  std::int64_t requested = 0;
  for (const auto& [id, r] : t.requests) requested += r.amount;
  if (requested != t.reserved || t.reserved < 0 || t.reserved > t.approved - t.disbursed) {
    return broken("the payments requested (" + format_amount(t.reserved, kUsdMinorUnits) +
                  ") are not within the money allocated and not yet paid");
  }
  if (t.unallocated() < 0) return broken("unallocated is below zero");
  if (t.cash() < 0) return broken("cash is below zero");
  if (t.disbursed < 0 || t.disbursed > t.approved) return broken("disbursed is outside 0..approved");
  for (const auto& [currency, outstanding] : t.outstanding_by_currency) {
    if (outstanding < 0) return broken("pledges outstanding in " + currency + " are below zero");
  }
  return Status::ok();
}

}  // namespace fundledger
