// The rules of the fund's money besides grants and pledges (SPEC 2 and
// the README's "Other income and costs", "The fund's terms" and "Payments
// under dual control"): the fee the terms take from a contribution, other
// income and costs, and payments requested by one manager and made by
// another.

#include "domain/money.h"
#include "domain/rules_text.h"
#include "domain/state.h"

namespace fundledger {

using namespace rule_text;

// The administrative agent's fee on a contribution: what the terms in force
// on its day take, which the writer fills in (prepare) and verify checks
// again.
Status FundState::check_fee(const DataView& d, std::int64_t credited) const {
  const Terms* terms = totals().terms_on(d.get("received_on"));
  const std::int64_t due = terms == nullptr ? 0 : fee_of(credited, terms->admin_fee_bps);
  std::int64_t given = 0;
  if (d.has("admin_fee_usd")) {
    const Result<std::int64_t> fee = amount_of(d, "admin_fee_usd", kUsdMinorUnits);
    if (!fee) return fee.status();
    given = *fee;
  }
  if (given == due) return Status::ok();
  const std::string rate = terms == nullptr ? "no terms are set for " + std::string(d.get("received_on"))
                                            : "the terms from " + terms->effective_on + " take " +
                                                  format_amount(terms->admin_fee_bps, 2) + "%";
  return refuse(Code::kFeeMismatch,
                "the administrative agent's fee on " + usd(credited) + " received on " +
                    std::string(d.get("received_on")) + " is " + usd(due) + " (" + rate + "), not " + usd(given),
                "admin_fee_usd");
}

// Income adds to the cash and to the unallocated money.
Status FundState::check_income(const DataView& d) const {
  const Result<std::int64_t> a = amount_of(d, "amount_usd", kUsdMinorUnits);
  if (!a) return a.status();
  const Totals& t = totals();
  return fits(t.received + t.income, *a, "contributions and income received", "amount_usd");
}

// A cost is paid from the money the Board has not allocated: checked
// against the cash first, as a payment is, then against the unallocated
// money (the cash less what is allocated and not yet paid).
Status FundState::check_cost(const DataView& d) const {
  const Result<std::int64_t> a = amount_of(d, "amount_usd", kUsdMinorUnits);
  if (!a) return a.status();
  const Totals& t = totals();
  if (*a > t.cash()) {
    return refuse(Code::kInsufficientCash,
                  "cost of " + usd(*a) + " exceeds the cash on hand of " + usd(t.cash()), "amount_usd");
  }
  if (*a > t.unallocated()) {
    return refuse(Code::kInsufficientFunds,
                  "cost of " + usd(*a) + " exceeds the fund's unallocated " + usd(t.unallocated()) + " (" +
                      usd(t.approved - t.disbursed) + " of the cash is allocated and not yet paid)",
                  "amount_usd");
  }
  return Status::ok();
}

// A payment: the second step of a request (by another manager, exactly as
// requested), or one alone where the terms allow it; never into money
// reserved by a request it does not make.
Status FundState::check_payment(const Proposal& p, const DataView& d, std::int64_t amount,
                                std::string_view actor) const {
  const Totals& t = totals();
  const std::string_view id = d.get("disbursement");
  const auto request = t.requests.find(std::string(id));
  std::int64_t reserved_elsewhere = t.reserved, reserved_here = p.reserved;
  if (request != t.requests.end()) {
    const PaymentRequest& r = request->second;
    if (r.proposal != p.id || r.amount != amount) {
      return refuse(Code::kRequestMismatch,
                    "payment " + in_quotes(id) + " was requested as " + usd(r.amount) + " to proposal " +
                        in_quotes(r.proposal) + ", not " + usd(amount) + " to proposal " + in_quotes(p.id),
                    r.proposal != p.id ? "proposal" : "amount_usd");
    }
    if (r.actor == actor) {
      return refuse(Code::kSameActor,
                    "payment " + in_quotes(id) + " was requested by " + r.actor +
                        "; another manager makes it",
                    "disbursement");
    }
    FL_RETURN_IF_ERROR(not_before(d, "paid_on", r.requested_on, "payment " + in_quotes(id) + " was requested"));
    reserved_elsewhere -= r.amount;
    reserved_here -= r.amount;
  } else if (const Terms* terms = t.terms_on(d.get("paid_on"));
             terms != nullptr && terms->dual_control_usd > 0 && amount >= terms->dual_control_usd) {
    return refuse(Code::kNotRequested,
                  "a payment of " + usd(amount) + " is first requested by one manager and made by another: the "
                      "terms from " + terms->effective_on + " ask it of payments of " +
                      usd(terms->dual_control_usd) + " or more",
                  "amount_usd");
  }
  const std::int64_t cash = t.cash() - reserved_elsewhere;
  const std::string held = reserved_elsewhere > 0 ? " not held for requested payments" : "";
  if (amount > cash) {
    return refuse(Code::kInsufficientCash,
                  "disbursement of " + usd(amount) + " exceeds the cash on hand" + held + " of " + usd(cash),
                  "amount_usd");
  }
  const std::int64_t unpaid = p.approved - p.disbursed - reserved_here;
  if (amount > unpaid) {
    return refuse(Code::kExceedsAllocation,
                  "disbursement of " + usd(amount) + " exceeds the " + usd(unpaid) + " of proposal " +
                      in_quotes(p.id) + "'s allocation not yet paid" + (reserved_here > 0 ? " nor requested" : ""),
                  "amount_usd");
  }
  return Status::ok();
}

// A request reserves its amount against the proposal's allocation and the
// fund's cash; a cancellation gives it back.
Status FundState::check_request(EventType type, const DataView& d) const {
  const Totals& t = totals();
  const std::string_view id = d.get("disbursement");
  if (type == EventType::kDisbursementCancelled) {
    const auto request = t.requests.find(std::string(id));
    if (request == t.requests.end()) {
      return refuse(Code::kNotRequested, "no payment " + in_quotes(id) + " is requested and waiting", "disbursement");
    }
    return not_before(d, "cancelled_on", request->second.requested_on,
                      "payment " + in_quotes(id) + " was requested");
  }
  const std::string_view proposal_id = d.get("proposal");
  const Proposal* p = proposal(proposal_id);
  if (p == nullptr) return unknown(Code::kUnknownProposal, "proposal", proposal_id, "proposal");
  if (p->status != ProposalStatus::kApproved) {
    return refuse(Code::kNotApproved,
                  "proposal " + in_quotes(proposal_id) + " is " + std::string(status_name(p->status)) + ", not approved",
                  "proposal");
  }
  FL_RETURN_IF_ERROR(
      not_before(d, "requested_on", p->decided_on, "proposal " + in_quotes(proposal_id) + " was approved"));
  const Result<std::int64_t> a = amount_of(d, "amount_usd", kUsdMinorUnits);
  if (!a) return a.status();
  const std::int64_t cash = t.cash() - t.reserved;
  if (*a > cash) {
    return refuse(Code::kInsufficientCash,
                  "payment request of " + usd(*a) + " exceeds the cash on hand not held for requested payments of " +
                      usd(cash),
                  "amount_usd");
  }
  const std::int64_t unpaid = p->approved - p->disbursed - p->reserved;
  if (*a > unpaid) {
    return refuse(Code::kExceedsAllocation,
                  "payment request of " + usd(*a) + " exceeds the " + usd(unpaid) + " of proposal " +
                      in_quotes(proposal_id) + "'s allocation not yet paid nor requested",
                  "amount_usd");
  }
  return Status::ok();
}

}  // namespace fundledger
