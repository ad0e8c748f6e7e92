#include "ledger/state.h"

#include <algorithm>

#include "ledger/check.h"
#include "ledger/iso_codes.h"
#include "ledger/money.h"

namespace fundledger {

std::string entity_key(EntityKind kind, std::string_view id) {
  std::string key(1, static_cast<char>(kind));
  key.append(id);
  return key;
}

namespace {

EntityKind kind_of(const std::string& key) { return static_cast<EntityKind>(key[0]); }
std::string_view id_of(const std::string& key) { return std::string_view(key).substr(1); }

template <typename Map>
std::vector<const typename Map::mapped_type*> sorted_values(const Map& map) {
  std::vector<const typename Map::mapped_type*> out;
  out.reserve(map.size());
  for (const auto& [id, value] : map) out.push_back(&value);
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->id < b->id; });
  return out;
}

}  // namespace

// --- the journal ----------------------------------------------------------------

FundState::Mark FundState::mark() {
  journaling_ = true;
  journalled_.clear();
  return {journal_.size(), seq_};
}

void FundState::rollback(const Mark& mark) {
  FL_CHECK(mark.journal <= journal_.size());
  seq_ = mark.seq;
  while (journal_.size() > mark.journal) {
    Undo undo = std::move(journal_.back());
    journal_.pop_back();
    // A snapshot must not hold what was taken back.
    if (!undo.was_dirty) dirty_.erase(undo.key);
    put_back(undo.key, std::move(undo.before));
  }
  journalled_.clear();
}

void FundState::commit() {
  journal_.clear();
  journalled_.clear();
  journaling_ = false;
}

void FundState::touch(EntityKind kind, std::string_view id) {
  std::string key = entity_key(kind, id);
  if (journaling_ && !journalled_.contains(key)) {
    journal_.push_back({key, copy_of(key), dirty_.contains(key)});
    journalled_.insert(key);
  }
  dirty_.insert(std::move(key));
}

FundState::Copy FundState::copy_of(const std::string& key) const {
  const std::string id(id_of(key));
  switch (kind_of(key)) {
    case EntityKind::kTotals: return totals_;
    case EntityKind::kDonor:
      if (auto it = donors_.find(id); it != donors_.end()) return it->second;
      return {};
    case EntityKind::kProgramme:
      if (auto it = programmes_.find(id); it != programmes_.end()) return it->second;
      return {};
    case EntityKind::kCall:
      if (auto it = calls_.find(id); it != calls_.end()) return it->second;
      return {};
    case EntityKind::kProposal:
      if (auto it = proposals_.find(id); it != proposals_.end()) return it->second;
      return {};
    case EntityKind::kPledge:
      if (auto it = pledge_donor_.find(id); it != pledge_donor_.end()) return it->second;
      return {};
    case EntityKind::kContribution: return contributions_.contains(id) ? Copy(true) : Copy();
    case EntityKind::kDisbursement: return disbursements_.contains(id) ? Copy(true) : Copy();
    case EntityKind::kRefund: return refunds_.contains(id) ? Copy(true) : Copy();
  }
  FL_CHECK(false);
  return {};
}

void FundState::put_back(const std::string& key, Copy copy) {
  const std::string id(id_of(key));
  const bool absent = std::holds_alternative<std::monostate>(copy);
  const auto restore_map = [&](auto& map, auto* type_tag) {
    using T = std::remove_pointer_t<decltype(type_tag)>;
    if (absent) {
      map.erase(id);
    } else {
      map[id] = std::get<T>(std::move(copy));
    }
  };
  const auto restore_set = [&](std::unordered_set<std::string>& set) {
    if (absent) {
      set.erase(id);
    } else {
      set.insert(id);
    }
  };
  switch (kind_of(key)) {
    case EntityKind::kTotals: totals_ = std::get<Totals>(std::move(copy)); return;
    case EntityKind::kDonor: restore_map(donors_, static_cast<Donor*>(nullptr)); return;
    case EntityKind::kProgramme: restore_map(programmes_, static_cast<Programme*>(nullptr)); return;
    case EntityKind::kCall: restore_map(calls_, static_cast<Call*>(nullptr)); return;
    case EntityKind::kProposal: restore_map(proposals_, static_cast<Proposal*>(nullptr)); return;
    case EntityKind::kPledge: restore_map(pledge_donor_, static_cast<std::string*>(nullptr)); return;
    case EntityKind::kContribution: restore_set(contributions_); return;
    case EntityKind::kDisbursement: restore_set(disbursements_); return;
    case EntityKind::kRefund: restore_set(refunds_); return;
  }
  FL_CHECK(false);
}

// --- snapshots ------------------------------------------------------------------

std::optional<std::string> FundState::record(const std::string& key) const {
  const std::string id(id_of(key));
  switch (kind_of(key)) {
    case EntityKind::kTotals: return encode(totals_);
    case EntityKind::kDonor:
      if (auto it = donors_.find(id); it != donors_.end()) return encode(it->second);
      return std::nullopt;
    case EntityKind::kProgramme:
      if (auto it = programmes_.find(id); it != programmes_.end()) return encode(it->second);
      return std::nullopt;
    case EntityKind::kCall:
      if (auto it = calls_.find(id); it != calls_.end()) return encode(it->second);
      return std::nullopt;
    case EntityKind::kProposal:
      if (auto it = proposals_.find(id); it != proposals_.end()) return encode(it->second);
      return std::nullopt;
    case EntityKind::kPledge:
      if (auto it = pledge_donor_.find(id); it != pledge_donor_.end()) return it->second;
      return std::nullopt;
    case EntityKind::kContribution:
      return contributions_.contains(id) ? std::optional<std::string>("") : std::nullopt;
    case EntityKind::kDisbursement:
      return disbursements_.contains(id) ? std::optional<std::string>("") : std::nullopt;
    case EntityKind::kRefund:
      return refunds_.contains(id) ? std::optional<std::string>("") : std::nullopt;
  }
  return std::nullopt;
}

bool FundState::restore(EntityKind kind, std::string_view id, std::string_view record) {
  const std::string key(id);
  const auto put = [&](auto& map, auto decoded) {
    if (!decoded || decoded->id != id) return false;
    map[key] = std::move(*decoded);
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
    case EntityKind::kPledge: pledge_donor_[key] = std::string(record); return !record.empty();
    case EntityKind::kContribution: contributions_.insert(key); return record.empty();
    case EntityKind::kDisbursement: disbursements_.insert(key); return record.empty();
    case EntityKind::kRefund: refunds_.insert(key); return record.empty();
  }
  return false;
}

bool FundState::present(const std::string& key) const {
  const std::string id(id_of(key));
  switch (kind_of(key)) {
    case EntityKind::kTotals: return totals_loaded_;
    case EntityKind::kDonor: return donors_.contains(id);
    case EntityKind::kProgramme: return programmes_.contains(id);
    case EntityKind::kCall: return calls_.contains(id);
    case EntityKind::kProposal: return proposals_.contains(id);
    case EntityKind::kPledge: return pledge_donor_.contains(id);
    case EntityKind::kContribution: return contributions_.contains(id);
    case EntityKind::kDisbursement: return disbursements_.contains(id);
    case EntityKind::kRefund: return refunds_.contains(id);
  }
  return false;
}

void FundState::load(EntityKind kind, std::string_view id) const {
  if (!source_) return;
  std::string key = entity_key(kind, id);
  if (absent_.contains(key) || present(key)) return;
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
    const std::string key = entity_key(kind, id);
    // What is in memory already is newer than the snapshot.
    if (present(key)) continue;
    FL_CHECK(const_cast<FundState*>(this)->restore(kind, id, stored));
  }
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
  const auto it = donors_.find(std::string(id));
  return it == donors_.end() ? nullptr : &it->second;
}

const Programme* FundState::programme(std::string_view id) const {
  load(EntityKind::kProgramme, id);
  const auto it = programmes_.find(std::string(id));
  return it == programmes_.end() ? nullptr : &it->second;
}

const Call* FundState::call(std::string_view id) const {
  load(EntityKind::kCall, id);
  const auto it = calls_.find(std::string(id));
  return it == calls_.end() ? nullptr : &it->second;
}

const Proposal* FundState::proposal(std::string_view id) const {
  load(EntityKind::kProposal, id);
  const auto it = proposals_.find(std::string(id));
  return it == proposals_.end() ? nullptr : &it->second;
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

bool FundState::has_id(EntityKind kind, std::string_view id) const {
  load(kind, id);
  const std::string key(id);
  switch (kind) {
    case EntityKind::kContribution: return contributions_.contains(key);
    case EntityKind::kDisbursement: return disbursements_.contains(key);
    case EntityKind::kRefund: return refunds_.contains(key);
    case EntityKind::kPledge: return pledge_donor_.contains(key);
    default: FL_CHECK(false);
  }
  return false;
}

void FundState::add_id(EntityKind kind, std::string_view id, std::string_view value) {
  touch(kind, id);
  const std::string key(id);
  switch (kind) {
    case EntityKind::kContribution: contributions_.insert(key); return;
    case EntityKind::kDisbursement: disbursements_.insert(key); return;
    case EntityKind::kRefund: refunds_.insert(key); return;
    case EntityKind::kPledge: pledge_donor_[key] = std::string(value); return;
    default: FL_CHECK(false);
  }
}

// --- changing -------------------------------------------------------------------

Totals& FundState::totals_for_change() {
  totals();
  touch(EntityKind::kTotals, "");
  return totals_;
}

Donor& FundState::donor_for_change(std::string_view id) {
  load(EntityKind::kDonor, id);
  touch(EntityKind::kDonor, id);
  return donors_[std::string(id)];
}

Programme& FundState::programme_for_change(std::string_view id) {
  load(EntityKind::kProgramme, id);
  touch(EntityKind::kProgramme, id);
  return programmes_[std::string(id)];
}

Call& FundState::call_for_change(std::string_view id) {
  load(EntityKind::kCall, id);
  touch(EntityKind::kCall, id);
  return calls_[std::string(id)];
}

Proposal& FundState::proposal_for_change(std::string_view id) {
  load(EntityKind::kProposal, id);
  touch(EntityKind::kProposal, id);
  return proposals_[std::string(id)];
}

std::int64_t FundState::amount(const DataView& d, std::string_view field, int minor_units) {
  const Result<std::int64_t> a = parse_amount(d.get(field), minor_units);
  FL_CHECK(a.is_ok());
  return *a;
}

// --- invariants -----------------------------------------------------------------

std::string FundState::broken_invariant() const {
  const Totals& t = totals();
  std::int64_t approved = 0;
  std::int64_t disbursed = 0;
  for (const RegionFigures& r : t.regions) {
    approved += r.approved;
    disbursed += r.disbursed;
  }
  // cash is kept from the fund's totals, the money allocated but not yet
  // paid from the regions' sums: the identity holds only if both agree.
  if (t.cash() != t.unallocated() + (approved - disbursed)) {
    return "cash " + format_amount(t.cash(), kUsdMinorUnits) + " is not unallocated " +
           format_amount(t.unallocated(), kUsdMinorUnits) + " plus allocated but unpaid " +
           format_amount(approved - disbursed, kUsdMinorUnits);
  }
  if (t.unallocated() < 0) return "unallocated is below zero";
  if (t.cash() < 0) return "cash is below zero";
  if (t.disbursed < 0 || t.disbursed > t.approved) return "disbursed is outside 0..approved";
  for (const auto& [currency, outstanding] : t.outstanding_by_currency) {
    if (outstanding < 0) return "pledges outstanding in " + currency + " are below zero";
  }
  return "";
}

}  // namespace fundledger
