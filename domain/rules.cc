// The rules of SPEC section 2: whether the next event may land, given the
// fund as it stands. Each refusal names its code, says in a fund manager's
// words what is wrong with the figures involved, and names the field.

#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/rules_text.h"
#include "domain/schema.h"
#include "domain/state.h"
#include "util/check.h"

namespace fundledger {

using namespace rule_text;

Status FundState::check(EventType type, const DataView& d, std::string_view actor) const {
  switch (type) {
    case EventType::kDonorRegistered:
      if (donor(d.get("donor")) != nullptr) return duplicate("donor", d.get("donor"), "donor");
      return Status::ok();
    case EventType::kProgrammeRegistered:
      if (programme(d.get("programme")) != nullptr) {
        return duplicate("programme", d.get("programme"), "programme");
      }
      return Status::ok();
    case EventType::kPledgeRecorded:
    case EventType::kPledgeWrittenOff:
      return check_pledge(type, d);
    case EventType::kContributionReceived:
      return check_contribution(d);
    case EventType::kCallOpened:
    case EventType::kCallClosed:
      return check_call(type, d);
    case EventType::kProposalSubmitted:
    case EventType::kProposalApproved:
    case EventType::kProposalRejected:
      return check_proposal(type, d);
    case EventType::kDisbursementMade:
    case EventType::kRefundReceived:
    case EventType::kAllocationReleased:
      return check_money_out(type, d, actor);
    case EventType::kDisbursementRequested:
    case EventType::kDisbursementCancelled:
      return check_request(type, d);
    case EventType::kIncomeReceived:
      return check_income(d);
    case EventType::kCostCharged:
      return check_cost(d);
    case EventType::kTermsSet:
      return Status::ok();  // terms apply from their day to the events recorded after them
    case EventType::kDecisionRecorded:
      return check_decision(d);
    case EventType::kBoardMemberAppointed:
      return check_appointment(d);
    case EventType::kBoardMemberLeft:
      return check_departure(d);
    case EventType::kEntryReversed:
      return check_reversal(d);
    case EventType::kAccessGranted:
    case EventType::kAccessRevoked:
      return Status::ok();  // the fund's figures do not depend on who may read them
  }
  FL_CHECK(false);
  return Status::ok();
}

Status FundState::check_pledge(EventType type, const DataView& d) const {
  const std::string_view id = d.get("pledge");
  if (type == EventType::kPledgeRecorded) {
    if (donor(d.get("donor")) == nullptr) return unknown(Code::kUnknownDonor, "donor", d.get("donor"), "donor");
    if (d.has("programme") && programme(d.get("programme")) == nullptr) {
      return unknown(Code::kUnknownProgramme, "programme", d.get("programme"), "programme");
    }
    if (has_pledge(id)) return duplicate("pledge", id, "pledge");
    const std::string currency(d.get("currency"));
    const auto units = currency_minor_units(currency);
    if (!units) return refuse(Code::kInvalidCurrency, in_quotes(currency) + " is not a currency", "currency");
    const Result<std::int64_t> a = amount_of(d, "amount", *units);
    if (!a) return a.status();
    const auto& pledged = totals().pledged_by_currency;
    const auto it = pledged.find(currency);
    return fits(it == pledged.end() ? 0 : it->second, *a, "pledges in " + currency, "amount");
  }
  if (!has_pledge(id)) return unknown(Code::kUnknownPledge, "pledge", id, "pledge");
  const Donor* owner = donor(pledge_owner(id));
  FL_CHECK(owner != nullptr);
  const Pledge* p = owner->pledge(id);
  FL_CHECK(p != nullptr);
  FL_RETURN_IF_ERROR(not_before(d, "written_off_on", p->pledged_on, "pledge " + in_quotes(id) + " was made"));
  const Result<std::int64_t> a = amount_of(d, "amount", p->minor_units);
  if (!a) return a.status();
  if (*a > p->outstanding()) {
    return refuse(Code::kExceedsOutstanding,
                  "write-off of " + format_money(*a, p->minor_units, p->currency) + " exceeds the " +
                      format_money(p->outstanding(), p->minor_units, p->currency) +
                      " outstanding on pledge " + in_quotes(id),
                  "amount");
  }
  return Status::ok();
}

Status FundState::check_contribution(const DataView& d) const {
  const std::string_view donor_id = d.get("donor");
  const Donor* giver = donor(donor_id);
  if (giver == nullptr) return unknown(Code::kUnknownDonor, "donor", donor_id, "donor");
  const std::string currency(d.get("currency"));
  const auto units = currency_minor_units(currency);
  if (!units) return refuse(Code::kInvalidCurrency, in_quotes(currency) + " is not a currency", "currency");
  const Result<std::int64_t> a = amount_of(d, "amount", *units);
  if (!a) return a.status();
  const Result<std::int64_t> credited = amount_of(d, "usd", kUsdMinorUnits);
  if (!credited) return credited.status();
  if (d.has("pledge")) {
    const std::string_view pledge_id = d.get("pledge");
    if (!has_pledge(pledge_id)) {
      return unknown(Code::kUnknownPledge, "pledge", pledge_id, "pledge");
    }
    const std::string owner(pledge_owner(pledge_id));
    const Pledge* p = donor(owner)->pledge(pledge_id);
    if (owner != donor_id || p->currency != currency) {
      return refuse(Code::kPledgeMismatch,
                    "pledge " + in_quotes(pledge_id) + " is donor " + in_quotes(owner) + "'s, in " +
                        p->currency + "; this contribution is donor " + in_quotes(donor_id) + "'s, in " +
                        currency,
                    "pledge");
    }
    FL_RETURN_IF_ERROR(
        not_before(d, "received_on", p->pledged_on, "pledge " + in_quotes(pledge_id) + " was made"));
    if (*a > p->outstanding()) {
      return refuse(Code::kExceedsOutstanding,
                    "contribution of " + format_money(*a, *units, currency) + " exceeds the " +
                        format_money(p->outstanding(), *units, currency) + " outstanding on pledge " +
                        in_quotes(pledge_id),
                    "amount");
    }
  }
  FL_RETURN_IF_ERROR(check_fee(d, *credited));
  const Totals& t = totals();
  FL_RETURN_IF_ERROR(fits(t.received + t.income, *credited, "contributions and income received", "usd"));
  const auto it = t.received_by_currency.find(currency);
  return fits(it == t.received_by_currency.end() ? 0 : it->second, *a, "contributions in " + currency,
              "amount");
}

Status FundState::check_call(EventType type, const DataView& d) const {
  const std::string_view id = d.get("call");
  if (type == EventType::kCallOpened) {
    if (programme(d.get("programme")) == nullptr) {
      return unknown(Code::kUnknownProgramme, "programme", d.get("programme"), "programme");
    }
    if (call(id) != nullptr) return duplicate("call", id, "call");
    FL_RETURN_IF_ERROR(check_rests_on_decision(type, d));
    const Result<std::int64_t> budget = amount_of(d, "budget_usd", kUsdMinorUnits);
    if (!budget) return budget.status();
    return fits(totals().budgets, *budget, "calls' budgets", "budget_usd");
  }
  const Call* c = call(id);
  if (c == nullptr) return unknown(Code::kUnknownCall, "call", id, "call");
  if (!c->open()) {
    return refuse(Code::kCallNotOpen, "call " + in_quotes(id) + " already closed on " + c->closed_on, "call");
  }
  if (d.get("closed_on") < c->opened_on) {
    return refuse(Code::kInvalidDates,
                  "call " + in_quotes(id) + " cannot close on " + std::string(d.get("closed_on")) +
                      ", before it opened on " + c->opened_on,
                  "closed_on");
  }
  return Status::ok();
}

// A proposal comes in while its call is open, from a region and a country
// the call and the fund's terms are open to.
Status FundState::check_submission(const DataView& d) const {
  const std::string_view id = d.get("proposal");
  const std::string_view call_id = d.get("call");
  const Call* c = call(call_id);
  if (c == nullptr) return unknown(Code::kUnknownCall, "call", call_id, "call");
  if (!c->open()) {
    return refuse(Code::kCallNotOpen, "call " + in_quotes(call_id) + " closed on " + c->closed_on, "call");
  }
  const std::string_view on = d.get("submitted_on");
  if (on < c->opened_on || on > c->closes_on) {
    return refuse(Code::kCallNotOpen,
                  "call " + in_quotes(call_id) + " takes proposals from " + c->opened_on + " to " +
                      c->closes_on + ", not on " + std::string(on),
                  "submitted_on");
  }
  const auto region = region_index(d.get("region"));
  FL_CHECK(region.has_value());
  if ((c->regions & (1u << *region)) == 0) {
    std::string open_to;
    for (std::size_t r = 0; r < kRegionCount; ++r) {
      if ((c->regions & (1u << r)) == 0) continue;
      if (!open_to.empty()) open_to += ", ";
      open_to += kRegions[r];
    }
    return refuse(Code::kRegionNotEligible,
                  "call " + in_quotes(call_id) + " is open to " + open_to + ", not to " +
                      std::string(d.get("region")),
                  "region");
  }
  if (const Terms* terms = totals().terms_on(on); terms != nullptr && !terms->eligible(d.get("country"))) {
    return refuse(Code::kCountryNotEligible,
                  std::string(d.get("country")) + " is not among the countries the fund's terms from " +
                      terms->effective_on + " open it to",
                  "country");
  }
  if (proposal(id) != nullptr) return duplicate("proposal", id, "proposal");
  const Result<std::int64_t> requested = amount_of(d, "requested_usd", kUsdMinorUnits);
  if (!requested) return requested.status();
  return fits(totals().requested, *requested, "requests", "requested_usd");
}

Status FundState::check_proposal(EventType type, const DataView& d) const {
  if (type == EventType::kProposalSubmitted) return check_submission(d);
  const std::string_view id = d.get("proposal");
  const Proposal* p = proposal(id);
  if (p == nullptr) return unknown(Code::kUnknownProposal, "proposal", id, "proposal");
  if (p->status != ProposalStatus::kSubmitted) {
    return refuse(Code::kAlreadyDecided,
                  "proposal " + in_quotes(id) + " was already " + std::string(status_name(p->status)) +
                      " on " + p->decided_on,
                  "proposal");
  }
  FL_RETURN_IF_ERROR(not_before(d, "decided_on", p->submitted_on, "proposal " + in_quotes(id) + " was submitted"));
  FL_RETURN_IF_ERROR(check_rests_on_decision(type, d));
  if (type == EventType::kProposalRejected) return Status::ok();
  const Result<std::int64_t> a = amount_of(d, "approved_usd", kUsdMinorUnits);
  if (!a) return a.status();
  if (*a > p->requested) {
    return refuse(Code::kExceedsRequest,
                  "approval of " + usd(*a) + " exceeds the " + usd(p->requested) + " requested",
                  "approved_usd");
  }
  const Call* c = call(p->call);
  FL_CHECK(c != nullptr);
  const std::int64_t left = c->budget - c->total.approved;
  if (*a > left) {
    return refuse(Code::kExceedsBudget,
                  "approval of " + usd(*a) + " exceeds the " + usd(left) + " left in call " +
                      in_quotes(c->id) + "'s budget of " + usd(c->budget),
                  "approved_usd");
  }
  const std::int64_t unallocated = totals().unallocated();
  if (*a > unallocated) {
    return refuse(Code::kInsufficientFunds,
                  "approval of " + usd(*a) + " exceeds the fund's unallocated " + usd(unallocated),
                  "approved_usd");
  }
  return Status::ok();
}

Status FundState::check_money_out(EventType type, const DataView& d, std::string_view actor) const {
  const std::string_view id = d.get("proposal");
  const Proposal* p = proposal(id);
  if (p == nullptr) return unknown(Code::kUnknownProposal, "proposal", id, "proposal");
  const Result<std::int64_t> a = amount_of(d, "amount_usd", kUsdMinorUnits);
  if (!a) return a.status();
  const std::int64_t undisbursed = p->approved - p->disbursed;
  if (p->status == ProposalStatus::kApproved) {
    FL_RETURN_IF_ERROR(not_before(d, date_field(type), p->decided_on, "proposal " + in_quotes(id) + " was approved"));
  }
  if (type == EventType::kDisbursementMade) {
    if (p->status != ProposalStatus::kApproved) {
      return refuse(Code::kNotApproved,
                    "proposal " + in_quotes(id) + " is " + std::string(status_name(p->status)) +
                        ", not approved",
                    "proposal");
    }
    return check_payment(*p, d, *a, actor);
  }
  if (type == EventType::kRefundReceived) {
    if (*a > p->disbursed) {
      return refuse(Code::kExceedsDisbursed,
                    "refund of " + usd(*a) + " exceeds the " + usd(p->disbursed) +
                        " paid to proposal " + in_quotes(id),
                    "amount_usd");
    }
    return Status::ok();
  }
  if (*a > undisbursed - p->reserved) {
    return refuse(Code::kExceedsUndisbursed,
                  "release of " + usd(*a) + " exceeds the " + usd(undisbursed - p->reserved) + " of proposal " +
                      in_quotes(id) + "'s allocation not yet paid" + (p->reserved > 0 ? " nor requested" : ""),
                  "amount_usd");
  }
  return Status::ok();
}

// A reversal's facts are those of the event it reverses (copied by
// complete_reversal, cross-checked against the log by verify); here they
// must also fit the fund as it stands, so that taking them back leaves
// every figure as the rules of SPEC 2 allow.
Status FundState::check_reversal(const DataView& d) const {
  const auto type = event_type_from_name(d.get("reverses"));
  if (!type || !is_reversible(*type)) {
    return refuse(Code::kMissingField, "a reversal names the type of the event it reverses", "reverses");
  }
  for (std::string_view field : reversal_facts(*type)) {
    if (!d.has(field)) {
      return refuse(Code::kMissingField,
                    "the reversal of a " + std::string(d.get("reverses")) + " gives its " + std::string(field),
                    field);
    }
  }
  const std::string what = "the reversal of event " + std::string(d.get("seq"));
  if (*type == EventType::kContributionReceived || *type == EventType::kPledgeWrittenOff) {
    return check_pledge_reversal(*type, d, what);
  }
  const Proposal* p = proposal(d.get("proposal"));
  if (p == nullptr) return unknown(Code::kUnknownProposal, "proposal", d.get("proposal"), "proposal");
  const Result<std::int64_t> a = amount_of(d, "amount_usd", kUsdMinorUnits);
  if (!a) return a.status();
  const Totals& t = totals();
  if (*type == EventType::kDisbursementMade) {
    if (*a > p->disbursed) {
      return refuse(Code::kExceedsDisbursed,
                    what + " takes back " + usd(*a) + ", more than the " + usd(p->disbursed) +
                        " paid to proposal " + in_quotes(p->id) + " net of its refunds",
                    "amount_usd");
    }
    return Status::ok();
  }
  const std::int64_t undone = *type == EventType::kRefundReceived ? p->refunded : p->released;
  if (*a > undone) {
    return refuse(Code::kReversalMismatch,
                  what + " takes back " + usd(*a) + ", more than the " + usd(undone) +
                      (*type == EventType::kRefundReceived ? " refunded by" : " released from") +
                      " proposal " + in_quotes(p->id),
                  "amount_usd");
  }
  // The money comes back into the proposal's allocation (and, for a
  // refund, into what it was paid).
  const Call* c = call(p->call);
  FL_CHECK(c != nullptr);
  const std::int64_t left = c->budget - c->total.approved;
  if (*a > left) {
    return refuse(Code::kExceedsBudget,
                  what + " allocates " + usd(*a) + " again, more than the " + usd(left) + " left in call " +
                      in_quotes(c->id) + "'s budget of " + usd(c->budget),
                  "amount_usd");
  }
  if (*a > t.unallocated()) {
    return refuse(Code::kInsufficientFunds,
                  what + " allocates " + usd(*a) + " again, more than the fund's unallocated " +
                      usd(t.unallocated()),
                  "amount_usd");
  }
  if (*type == EventType::kRefundReceived && *a > t.cash()) {
    return refuse(Code::kInsufficientCash,
                  what + " pays out " + usd(*a) + " again, more than the cash on hand of " + usd(t.cash()),
                  "amount_usd");
  }
  return Status::ok();
}

Status FundState::check_pledge_reversal(EventType type, const DataView& d, const std::string& what) const {
  const Donor* giver = donor(d.get("donor"));
  if (giver == nullptr) return unknown(Code::kUnknownDonor, "donor", d.get("donor"), "donor");
  const std::string currency(d.get("currency"));
  const auto units = currency_minor_units(currency);
  if (!units) return refuse(Code::kInvalidCurrency, in_quotes(currency) + " is not a currency", "currency");
  const Result<std::int64_t> a = amount_of(d, "amount", *units);
  if (!a) return a.status();
  const Pledge* p = d.has("pledge") ? giver->pledge(d.get("pledge")) : nullptr;
  if (d.has("pledge") && (p == nullptr || p->currency != currency)) {
    return refuse(Code::kReversalMismatch,
                  what + " names pledge " + in_quotes(d.get("pledge")) + ", which is not donor " +
                      in_quotes(giver->id) + "'s in " + currency,
                  "pledge");
  }
  const std::string amount_text = format_money(*a, *units, currency);
  if (type == EventType::kPledgeWrittenOff) {
    if (p == nullptr || *a > p->written_off) {
      return refuse(Code::kReversalMismatch,
                    what + " restores " + amount_text + ", more than was written off pledge " +
                        in_quotes(d.get("pledge")),
                    "amount");
    }
    return Status::ok();
  }
  const auto f = giver->currencies.find(currency);
  const std::int64_t received = p != nullptr ? p->received
                                : f == giver->currencies.end() ? 0
                                                               : f->second.unpledged;
  const Result<std::int64_t> credited = amount_of(d, "usd", kUsdMinorUnits);
  if (!credited) return credited.status();
  std::int64_t leaving = *credited;  // less the fee, which comes back to the fund's costs
  if (d.has("admin_fee_usd")) {
    const Result<std::int64_t> fee = amount_of(d, "admin_fee_usd", kUsdMinorUnits);
    if (!fee) return fee.status();
    if (*fee > *credited || *fee > totals().costs) {
      return refuse(Code::kReversalMismatch, what + " gives back a fee of " + usd(*fee) + " that was never taken",
                    "admin_fee_usd");
    }
    leaving -= *fee;
  }
  if (*a > received || *credited > giver->received_usd || giver->contributions == 0) {
    return refuse(Code::kReversalMismatch,
                  what + " takes back " + amount_text + ", more than donor " + in_quotes(giver->id) +
                      " has given this way",
                  "amount");
  }
  // The money leaves the fund: it must still be there, and not promised.
  const Totals& t = totals();
  if (leaving > t.cash()) {
    return refuse(Code::kInsufficientCash,
                  what + " takes " + usd(leaving) + " out of the fund, more than the cash on hand of " +
                      usd(t.cash()),
                  "usd");
  }
  if (leaving > t.unallocated()) {
    return refuse(Code::kInsufficientFunds,
                  what + " takes " + usd(leaving) + " out of the fund, more than its unallocated " +
                      usd(t.unallocated()),
                  "usd");
  }
  return Status::ok();
}

Status FundState::prepare(Draft& draft) const {
  if (draft.type == EventType::kContributionReceived) {
    // The fee the terms take, filled in so that the log says it; a fee the
    // client sends is checked against it instead.
    if (draft.data.has("admin_fee_usd")) return Status::ok();
    const Terms* terms = totals().terms_on(*draft.data.get("received_on"));
    if (terms == nullptr || terms->admin_fee_bps == 0) return Status::ok();
    const Result<std::int64_t> credited = parse_amount(*draft.data.get("usd"), kUsdMinorUnits);
    if (!credited) return credited.status().under("data.usd");
    const std::int64_t fee = fee_of(*credited, terms->admin_fee_bps);
    if (fee == 0) return Status::ok();
    draft.data.insert({"admin_fee_usd", format_amount(fee, kUsdMinorUnits), {}, false});
    draft.data_bytes.clear();
    draft.data.append_canonical(draft.data_bytes);
    return Status::ok();
  }
  if (draft.type != EventType::kPledgeWrittenOff) return Status::ok();
  const std::string& pledge = *draft.data.get("pledge");
  if (!has_pledge(pledge)) return unknown(Code::kUnknownPledge, "pledge", pledge, "pledge");
  const Donor* owner = donor(pledge_owner(pledge));
  FL_CHECK(owner != nullptr);
  return normalise_written_off_amount(draft, owner->pledge(pledge)->minor_units);
}

}  // namespace fundledger
