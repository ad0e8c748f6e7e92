// What each event does to the fund, once the rules have let it in. Every
// figure an event moves is moved here and nowhere else.

#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/state.h"
#include "util/check.h"

namespace fundledger {
namespace {

std::size_t region_of(std::string_view code) {
  const auto r = region_index(code);
  FL_CHECK(r.has_value());
  return *r;
}

int units_of(std::string_view currency) {
  const auto units = currency_minor_units(currency);
  FL_CHECK(units.has_value());
  return *units;
}

std::size_t status_index(ProposalStatus s) { return static_cast<std::size_t>(s); }

}  // namespace

void FundState::apply(EventType type, const DataView& d, std::uint64_t seq, std::string_view actor) {
  FL_CHECK(seq == seq_ + 1);
  seq_ = seq;
  switch (type) {
    case EventType::kDonorRegistered: {
      Donor& donor = donor_for_change(d.get("donor"));
      donor.id = d.get("donor");
      donor.name = d.get("name");
      donor.kind = d.get("kind");
      donor.country = d.get("country");
      donor.seq = seq;
      ++totals_for_change().donors;
      return;
    }
    case EventType::kProgrammeRegistered: {
      Programme& p = programme_for_change(d.get("programme"));
      p.id = d.get("programme");
      p.name = d.get("name");
      p.seq = seq;
      ++totals_for_change().programmes;
      return;
    }
    case EventType::kPledgeRecorded:
    case EventType::kPledgeWrittenOff:
      return apply_pledge(type, d, seq);
    case EventType::kContributionReceived:
      return apply_contribution(d);
    case EventType::kCallOpened:
    case EventType::kCallClosed:
      return apply_call(type, d, seq);
    case EventType::kProposalSubmitted:
    case EventType::kProposalApproved:
    case EventType::kProposalRejected:
      return apply_proposal(type, d, seq);
    case EventType::kDisbursementMade:
    case EventType::kRefundReceived:
    case EventType::kAllocationReleased:
      return apply_money_out(type, d, seq);
    case EventType::kIncomeReceived:
    case EventType::kCostCharged:
      return apply_income_or_cost(type, d);
    case EventType::kTermsSet:
      return apply_terms(d, seq);
    case EventType::kDecisionRecorded:
      return apply_decision(d, seq);
    case EventType::kBoardMemberAppointed:
    case EventType::kBoardMemberLeft:
      return apply_member(type, d, seq);
    case EventType::kDisbursementRequested:
    case EventType::kDisbursementCancelled:
      return apply_request(type, d, seq, actor);
    case EventType::kEntryReversed:
      return apply_reversal(d, seq);
    case EventType::kAccessGranted:
    case EventType::kAccessRevoked:
      return;
  }
  FL_CHECK(false);
}

void FundState::apply_pledge(EventType type, const DataView& d, std::uint64_t seq) {
  const std::string_view id = d.get("pledge");
  Totals& t = totals_for_change();
  if (type == EventType::kPledgeRecorded) {
    Pledge p;
    p.id = id;
    p.currency = d.get("currency");
    p.minor_units = units_of(p.currency);
    p.amount = amount(d, "amount", p.minor_units);
    p.programme = d.get("programme");
    p.pledged_on = d.get("pledged_on");
    p.due_on = d.get("due_on");
    p.seq = seq;
    Donor& donor = donor_for_change(d.get("donor"));
    CurrencyFigures& f = donor.currencies[p.currency];
    f.pledged += p.amount;
    f.outstanding += p.amount;
    t.pledged_by_currency[p.currency] += p.amount;
    t.outstanding_by_currency[p.currency] += p.amount;
    ++t.pledges;
    add_pledge(id, donor.id);
    donor.pledges.push_back(std::move(p));
    return;
  }
  Donor& donor = donor_for_change(std::string(pledge_owner(id)));
  Pledge* p = donor.pledge(id);
  FL_CHECK(p != nullptr);
  const std::int64_t a = amount(d, "amount", p->minor_units);
  p->written_off += a;
  CurrencyFigures& f = donor.currencies[p->currency];
  f.written_off += a;
  f.outstanding -= a;
  t.outstanding_by_currency[p->currency] -= a;
  ++t.write_offs;
  FL_CHECK(!sums_checked_ || (p->outstanding() >= 0 && f.outstanding >= 0));
}

void FundState::apply_contribution(const DataView& d) {
  const std::string currency(d.get("currency"));
  const std::int64_t a = amount(d, "amount", units_of(currency));
  const std::int64_t credited = amount(d, "usd", kUsdMinorUnits);
  Totals& t = totals_for_change();
  Donor& donor = donor_for_change(d.get("donor"));
  CurrencyFigures& f = donor.currencies[currency];
  f.received += a;
  donor.received_usd += credited;
  ++donor.contributions;
  t.received += credited;
  t.received_by_currency[currency] += a;
  ++t.contributions;
  // The administrative agent's fee leaves with the contribution's arrival.
  if (const std::int64_t fee = fee_in(d); fee > 0) {
    t.costs += fee;
    t.costs_by_kind["admin_fee"] += fee;
  }
  if (!d.has("pledge")) {
    f.unpledged += a;
    return;
  }
  Pledge* p = donor.pledge(d.get("pledge"));
  FL_CHECK(p != nullptr && p->currency == currency);
  p->received += a;
  f.outstanding -= a;
  t.outstanding_by_currency[currency] -= a;
  FL_CHECK(!sums_checked_ || (p->outstanding() >= 0 && f.outstanding >= 0));
  if (!p->programme.empty()) {
    t.earmarked_received[p->programme] += credited;
    programme_for_change(p->programme).earmarked_received += credited;
  }
}

void FundState::apply_call(EventType type, const DataView& d, std::uint64_t seq) {
  Call& c = call_for_change(d.get("call"));
  if (type == EventType::kCallClosed) {
    c.closed_on = d.get("closed_on");
    return;
  }
  c.id = d.get("call");
  c.title = d.get("title");
  c.programme = d.get("programme");
  c.opened_on = d.get("opened_on");
  c.closes_on = d.get("closes_on");
  c.decision = d.get("decision");
  decision_for_change(c.decision).calls.push_back(c.id);
  c.budget = amount(d, "budget_usd", kUsdMinorUnits);
  c.seq = seq;
  if (d.has_regions()) {
    c.regions = 0;
    for (std::size_t i = 0; i < d.region_count(); ++i) c.regions |= 1u << region_of(d.region(i));
  }
  Programme& p = programme_for_change(c.programme);
  ++p.calls;
  p.budget += c.budget;
  Totals& t = totals_for_change();
  ++t.calls;
  t.budgets += c.budget;
}

// The entities a proposal's money touches, looked up once.
struct FundState::ProposalContext {
  Proposal& proposal;
  Call& call;
  Programme& programme;
  Totals& totals;
};

void FundState::apply_proposal(EventType type, const DataView& d, std::uint64_t seq) {
  Proposal& p = proposal_for_change(d.get("proposal"));
  Call& c = call_for_change(type == EventType::kProposalSubmitted ? d.get("call") : p.call);
  Programme& programme = programme_for_change(c.programme);
  Totals& t = totals_for_change();
  RegionFigures* figures[] = {&c.total, nullptr, nullptr};
  p.trail.push_back({seq, type});
  if (type == EventType::kProposalSubmitted) {
    p.id = d.get("proposal");
    c.proposals.push_back(p.id);
    p.call = d.get("call");
    p.applicant = d.get("applicant");
    p.country = d.get("country");
    p.region = static_cast<std::uint8_t>(region_of(d.get("region")));
    p.focal_point = d.get("focal_point");
    p.submitted_on = d.get("submitted_on");
    p.requested = amount(d, "requested_usd", kUsdMinorUnits);
    p.seq = seq;
    figures[1] = &c.by_region[p.region];
    figures[2] = &t.regions[p.region];
    for (RegionFigures* f : figures) {
      ++f->proposals;
      ++f->by_status[status_index(ProposalStatus::kSubmitted)];
      f->requested += p.requested;
    }
    programme.requested += p.requested;
    t.requested += p.requested;
    ++t.proposals;
    return;
  }
  figures[1] = &c.by_region[p.region];
  figures[2] = &t.regions[p.region];
  const ProposalStatus decided =
      type == EventType::kProposalApproved ? ProposalStatus::kApproved : ProposalStatus::kRejected;
  for (RegionFigures* f : figures) {
    --f->by_status[status_index(ProposalStatus::kSubmitted)];
    ++f->by_status[status_index(decided)];
  }
  p.status = decided;
  p.decision = d.get("decision");
  p.decided_on = d.get("decided_on");
  Decision& decision = decision_for_change(p.decision);
  if (decided == ProposalStatus::kRejected) {
    p.reason = d.get("reason");
    decision.rejected.push_back(p.id);
    return;
  }
  const std::int64_t a = amount(d, "approved_usd", kUsdMinorUnits);
  p.approved_initial = a;
  decision.approved.push_back(p.id);
  decision.approved_usd += a;
  ProposalContext x{p, c, programme, t};
  add_approved(x, a);
}

void FundState::apply_money_out(EventType type, const DataView& d, std::uint64_t seq) {
  Proposal& p = proposal_for_change(d.get("proposal"));
  p.trail.push_back({seq, type});
  Call& c = call_for_change(p.call);
  ProposalContext x{p, c, programme_for_change(c.programme), totals_for_change()};
  const std::int64_t a = amount(d, "amount_usd", kUsdMinorUnits);
  switch (type) {
    case EventType::kDisbursementMade:
      // The second step of a request: its reservation becomes the payment.
      if (const auto r = x.totals.requests.find(std::string(d.get("disbursement"))); r != x.totals.requests.end()) {
        p.reserved -= r->second.amount;
        x.totals.reserved -= r->second.amount;
        x.totals.requests.erase(r);
      }
      ++p.disbursements;
      ++x.totals.disbursements;
      add_disbursed(x, a);
      break;
    case EventType::kRefundReceived:
      // Money paid back returns to the fund: neither paid nor allocated.
      p.refunded += a;
      ++x.totals.refunds;
      add_disbursed(x, -a);
      add_approved(x, -a);
      break;
    default:
      p.released += a;
      ++x.totals.releases;
      add_approved(x, -a);
  }
  FL_CHECK(!sums_checked_ || (p.disbursed >= 0 && p.disbursed <= p.approved));
}

// Income joins the money the fund holds and has not allocated; a cost
// leaves both.
void FundState::apply_income_or_cost(EventType type, const DataView& d) {
  const std::int64_t a = amount(d, "amount_usd", kUsdMinorUnits);
  Totals& t = totals_for_change();
  const std::string kind(d.get("kind"));
  if (type == EventType::kIncomeReceived) {
    t.income += a;
    t.income_by_kind[kind] += a;
    ++t.incomes;
    return;
  }
  t.costs += a;
  t.costs_by_kind[kind] += a;
  ++t.charges;
  FL_CHECK(!sums_checked_ || (t.cash() >= 0 && t.unallocated() >= 0));
}

// A request reserves its amount against the proposal and the fund; a
// cancellation gives it back. Both stand in the proposal's trail.
void FundState::apply_request(EventType type, const DataView& d, std::uint64_t seq, std::string_view actor) {
  Totals& t = totals_for_change();
  const std::string id(d.get("disbursement"));
  if (type == EventType::kDisbursementRequested) {
    const std::int64_t a = amount(d, "amount_usd", kUsdMinorUnits);
    Proposal& p = proposal_for_change(d.get("proposal"));
    p.trail.push_back({seq, type});
    p.reserved += a;
    t.reserved += a;
    t.requests[id] = {p.id, a, std::string(d.get("requested_on")), std::string(actor), seq};
    ++t.payment_requests;
    return;
  }
  const auto r = t.requests.find(id);
  FL_CHECK(r != t.requests.end());
  Proposal& p = proposal_for_change(r->second.proposal);
  p.trail.push_back({seq, type});
  p.reserved -= r->second.amount;
  t.reserved -= r->second.amount;
  t.requests.erase(r);
  ++t.cancellations;
}

std::int64_t FundState::fee_in(const DataView& d) {
  return d.has("admin_fee_usd") ? amount(d, "admin_fee_usd", kUsdMinorUnits) : 0;
}

// Terms of a day replace the terms of that day, if any; the list stays in
// the order of the days.
void FundState::apply_terms(const DataView& d, std::uint64_t seq) {
  Terms terms;
  terms.effective_on = d.get("effective_on");
  terms.eligible_countries = d.get("eligible_countries");
  const std::string_view bps = d.get("admin_fee_bps");  // checked: "0" or a seq up to 10000
  terms.admin_fee_bps = bps.empty() || bps == "0" ? 0 : static_cast<std::int64_t>(*parse_seq(bps));
  terms.dual_control_usd = d.has("dual_control_usd") ? amount(d, "dual_control_usd", kUsdMinorUnits) : 0;
  terms.seq = seq;
  Totals& t = totals_for_change();
  const auto at = std::lower_bound(t.terms.begin(), t.terms.end(), terms.effective_on,
                                   [](const Terms& x, const std::string& day) { return x.effective_on < day; });
  if (at != t.terms.end() && at->effective_on == terms.effective_on) {
    *at = std::move(terms);
  } else {
    t.terms.insert(at, std::move(terms));
  }
}

// The exact opposite of the reversed event's effect, counts included: the
// fund's figures are as if it had not happened, and the reversal is kept
// beside it in the donor's list or the proposal's trail.
void FundState::apply_reversal(const DataView& d, std::uint64_t seq) {
  const auto type = event_type_from_name(d.get("reverses"));
  FL_CHECK(type.has_value());
  ++totals_for_change().reversals;
  if (*type == EventType::kContributionReceived || *type == EventType::kPledgeWrittenOff) {
    return apply_pledge_reversal(*type, d, seq);
  }
  Proposal& p = proposal_for_change(d.get("proposal"));
  const auto reverses = parse_seq(d.get("seq"));
  FL_CHECK(reverses.has_value());
  p.trail.push_back({seq, EventType::kEntryReversed, *reverses});
  Call& c = call_for_change(p.call);
  ProposalContext x{p, c, programme_for_change(c.programme), totals_for_change()};
  const std::int64_t a = amount(d, "amount_usd", kUsdMinorUnits);
  switch (*type) {
    case EventType::kDisbursementMade:
      --p.disbursements;
      --x.totals.disbursements;
      add_disbursed(x, -a);
      break;
    case EventType::kRefundReceived:
      p.refunded -= a;
      --x.totals.refunds;
      add_approved(x, a);
      add_disbursed(x, a);
      break;
    default:
      p.released -= a;
      --x.totals.releases;
      add_approved(x, a);
  }
  FL_CHECK(!sums_checked_ ||
           (p.disbursed >= 0 && p.disbursed <= p.approved && p.refunded >= 0 && p.released >= 0));
}

void FundState::apply_pledge_reversal(EventType type, const DataView& d, std::uint64_t seq) {
  const std::string currency(d.get("currency"));
  const std::int64_t a = amount(d, "amount", units_of(currency));
  Totals& t = totals_for_change();
  Donor& donor = donor_for_change(d.get("donor"));
  const auto reverses = parse_seq(d.get("seq"));
  FL_CHECK(reverses.has_value());
  donor.reversals.push_back({seq, *reverses, type});
  CurrencyFigures& f = donor.currencies[currency];
  Pledge* p = d.has("pledge") ? donor.pledge(d.get("pledge")) : nullptr;
  if (type == EventType::kPledgeWrittenOff) {
    FL_CHECK(p != nullptr);
    p->written_off -= a;
    f.written_off -= a;
    f.outstanding += a;
    t.outstanding_by_currency[currency] += a;
    --t.write_offs;
    return;
  }
  const std::int64_t credited = amount(d, "usd", kUsdMinorUnits);
  f.received -= a;
  donor.received_usd -= credited;
  --donor.contributions;
  t.received -= credited;
  t.received_by_currency[currency] -= a;
  --t.contributions;
  if (const std::int64_t fee = fee_in(d); fee > 0) {
    t.costs -= fee;
    t.costs_by_kind["admin_fee"] -= fee;
  }
  FL_CHECK(!sums_checked_ || (t.cash() >= 0 && t.unallocated() >= 0));
  if (p == nullptr) {
    f.unpledged -= a;
    return;
  }
  p->received -= a;
  f.outstanding += a;
  t.outstanding_by_currency[currency] += a;
  if (!p->programme.empty()) {
    t.earmarked_received[p->programme] -= credited;
    programme_for_change(p->programme).earmarked_received -= credited;
  }
}

void FundState::add_approved(ProposalContext& x, std::int64_t amount) {
  const std::uint8_t r = x.proposal.region;
  x.proposal.approved += amount;
  x.call.total.approved += amount;
  x.call.by_region[r].approved += amount;
  x.totals.regions[r].approved += amount;
  x.programme.approved += amount;
  x.totals.approved += amount;
  FL_CHECK(!sums_checked_ || (x.call.total.approved <= x.call.budget && x.totals.unallocated() >= 0));
}

void FundState::add_disbursed(ProposalContext& x, std::int64_t amount) {
  const std::uint8_t r = x.proposal.region;
  x.proposal.disbursed += amount;
  x.call.total.disbursed += amount;
  x.call.by_region[r].disbursed += amount;
  x.totals.regions[r].disbursed += amount;
  x.programme.disbursed += amount;
  x.totals.disbursed += amount;
  FL_CHECK(!sums_checked_ || (x.totals.cash() >= 0));
}

}  // namespace fundledger
