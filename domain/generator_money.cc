// The generator's money going out and coming back (domain/generator.h):
// payments in tranches and their requests, refunds, releases, the fund's
// other income and costs, and reversals of recent entries.

#include <algorithm>
#include <array>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/generator_data.h"
#include "domain/generator_impl.h"
#include "domain/money.h"

namespace fundledger {

using namespace generator;

std::optional<std::pair<std::size_t, std::int64_t>> Generator::Impl::unpaid_proposal() {
  const auto i = pick(rng_, undisbursed_, [&](std::size_t k) {
    return proposals_[k].net_approved > proposals_[k].net_disbursed;
  });
  if (!i) return std::nullopt;
  const Proposal& p = proposals_[*i];
  const std::int64_t left = p.net_approved - p.net_disbursed - p.reserved;
  if (left <= 0) return std::nullopt;
  return std::pair{*i, left};
}

bool Generator::Impl::disburse(nlohmann::json& e) {
  const auto unpaid = unpaid_proposal();
  if (!unpaid) return false;
  const auto [i, left] = *unpaid;
  Proposal& p = proposals_[i];
  const std::int64_t amount = p.tranches >= 2 || left <= p.net_approved / 2
                                  ? left
                                  : std::min(left, std::max<std::int64_t>(1, p.net_approved * 4 / 10));
  p.net_disbursed += amount;
  ++p.tranches;
  disbursed_ += amount;
  if (p.tranches == 1) paid_.push_back(i);
  const nlohmann::json data = {{"disbursement", numbered("disb-", ++disbursements_, 7)},
                               {"proposal", p.id},
                               {"amount_usd", usd(amount)},
                               {"paid_on", date(today())}};
  made_ = Candidate{0, "disbursement.made", data, std::nullopt, i, amount, amount};
  set(e, "disbursement.made", data);
  return true;
}

void Generator::Impl::receive_income(nlohmann::json& e) {
  const std::uint64_t r = rng_.below(10);
  const char* kind = r < 7 ? "interest" : r < 9 ? "investment" : "other";
  const std::int64_t cents = rng_.between(100'000, 4'000'000);
  nlohmann::json data = {{"income", numbered("income-", ++incomes_, 6)},
                         {"kind", kind},
                         {"amount_usd", usd(cents)},
                         {"received_on", date(today())}};
  if (r < 7) data["reason"] = "Interest on the fund's account";
  received_ += cents;
  set(e, "income.received", std::move(data));
}

bool Generator::Impl::charge_cost(nlohmann::json& e) {
  const std::uint64_t r = rng_.below(10);
  const char* kind = r < 6 ? "bank_charge" : r < 9 ? "direct_cost" : "other";
  const std::int64_t wanted = r < 6 ? rng_.between(1'000, 50'000) : rng_.between(100'000, 6'000'000);
  const std::int64_t cents = std::min(wanted, received_ - approved_);
  if (cents <= 0) return false;
  const char* reason = r < 6 ? "Bank charges on transfers" : r < 9 ? "Evaluation of funded projects" : "Audit fee";
  set(e, "cost.charged",
      {{"cost", numbered("cost-", ++costs_, 6)},
       {"kind", kind},
       {"amount_usd", usd(cents)},
       {"charged_on", date(today())},
       {"reason", reason}});
  received_ -= cents;
  return true;
}

bool Generator::Impl::request_payment(nlohmann::json& e) {
  const auto unpaid = unpaid_proposal();
  if (!unpaid) return false;
  const auto [i, left] = *unpaid;
  Proposal& p = proposals_[i];
  const std::string id = numbered("req-", ++payment_requests_, 6);
  p.reserved += left;
  pending_requests_.push_back({id, i, left});
  set(e, "disbursement.requested",
      {{"disbursement", id}, {"proposal", p.id}, {"amount_usd", usd(left)}, {"requested_on", date(today())}});
  return true;
}

bool Generator::Impl::cancel_request(nlohmann::json& e) {
  if (pending_requests_.empty()) return false;
  const PendingRequest r = pending_requests_.front();
  pending_requests_.erase(pending_requests_.begin());
  proposals_[r.proposal].reserved -= r.amount;
  set(e, "disbursement.cancelled",
      {{"disbursement", r.id}, {"cancelled_on", date(today())}, {"reason", "The grantee's bank details changed"}});
  return true;
}

bool Generator::Impl::refund(nlohmann::json& e) {
  const auto i = pick(rng_, paid_, [&](std::size_t k) { return proposals_[k].net_disbursed > 0; });
  if (!i) return false;
  Proposal& p = proposals_[*i];
  const std::int64_t amount = std::min(p.net_disbursed, rng_.between(1'000, 20'000) * 100);
  p.net_disbursed -= amount;
  p.net_approved -= amount;
  calls_[p.call].net_approved -= amount;
  approved_ -= amount;
  disbursed_ -= amount;
  const nlohmann::json data = {{"refund", numbered("refund-", ++refunds_, 6)},
                               {"proposal", p.id},
                               {"amount_usd", usd(amount)},
                               {"received_on", date(today())}};
  made_ = Candidate{0, "refund.received", data, std::nullopt, *i, amount, amount};
  set(e, "refund.received", data);
  return true;
}

bool Generator::Impl::release(nlohmann::json& e) {
  const auto unpaid = unpaid_proposal();
  if (!unpaid) return false;
  const auto [i, left] = *unpaid;
  Proposal& p = proposals_[i];
  const std::int64_t amount = rng_.percent(50) ? left : std::max<std::int64_t>(1, left / 2);
  p.net_approved -= amount;
  calls_[p.call].net_approved -= amount;
  approved_ -= amount;
  const nlohmann::json data = {{"proposal", p.id},
                               {"amount_usd", usd(amount)},
                               {"released_on", date(today())},
                               {"reason", "The project closed under budget"}};
  made_ = Candidate{0, "allocation.released", data, std::nullopt, i, amount, amount};
  set(e, "allocation.released", data);
  return true;
}

bool Generator::Impl::reversible(const Candidate& c) const {
  const std::int64_t unallocated = received_ - approved_;  // never above the cash
  if (c.type == "contribution.received") return c.cents <= unallocated;
  if (c.type == "pledge.written_off") return true;
  const Proposal& p = proposals_[*c.proposal];
  if (c.type == "disbursement.made") return c.cents <= p.net_disbursed;
  const Call& call = calls_[p.call];
  return c.cents <= call.budget - call.net_approved && c.cents <= unallocated;
}

bool Generator::Impl::reverse(nlohmann::json& e) {
  // Each reversible type as often as the others, when one is there: the
  // latest of a type chosen at random, or else the latest of any.
  static constexpr std::array<std::string_view, 5> kTypes = {
      "contribution.received", "pledge.written_off", "disbursement.made", "refund.received", "allocation.released"};
  const std::string_view wanted = kTypes[rng_.below(kTypes.size())];
  const auto latest = [&](bool any) {
    auto c = candidates_.end();
    while (c != candidates_.begin() && !((any || (c - 1)->type == wanted) && reversible(*(c - 1)))) --c;
    return c;
  };
  auto c = latest(false);
  if (c == candidates_.begin()) c = latest(true);
  if (c == candidates_.begin()) return false;
  --c;
  nlohmann::json data = {{"seq", std::to_string(c->seq)},
                         {"reverses", c->type},
                         {"reversed_on", date(today())},
                         {"reason", rng_.percent(50) ? "Recorded twice" : "The amount was mistyped"}};
  for (const char* fact : {"admin_fee_usd", "amount", "amount_usd", "contribution", "currency", "disbursement",
                           "donor", "pledge", "proposal", "refund", "usd"}) {
    if (c->data.contains(fact)) data[fact] = c->data[fact];
  }
  if (c->type == "contribution.received") {
    received_ -= c->cents;
    if (c->pledge) pledges_[*c->pledge].outstanding += c->amount;
  } else if (c->type == "pledge.written_off") {
    pledges_[*c->pledge].outstanding += c->amount;
  } else {
    Proposal& p = proposals_[*c->proposal];
    if (c->type == "disbursement.made") {
      p.net_disbursed -= c->cents;
      disbursed_ -= c->cents;
    } else {
      p.net_approved += c->cents;
      calls_[p.call].net_approved += c->cents;
      approved_ += c->cents;
      if (c->type == "refund.received") {
        p.net_disbursed += c->cents;
        disbursed_ += c->cents;
      }
    }
  }
  candidates_.erase(c);
  set(e, "entry.reversed", std::move(data));
  return true;
}

}  // namespace fundledger
