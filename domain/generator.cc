#include "domain/generator.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/formats.h"
#include "domain/generator_data.h"
#include "domain/generator_impl.h"
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "util/canonical.h"
#include "util/check.h"

namespace fundledger {

using namespace generator;

Generator::Impl::Impl(const GeneratorOptions& o) : rng_(o.seed) {
  FL_CHECK(is_business_date(o.start_date));
  using namespace std::chrono;
  const year_month_day ymd{year(std::stoi(o.start_date.substr(0, 4))),
                           month(static_cast<unsigned>(std::stoi(o.start_date.substr(5, 2)))),
                           day(static_cast<unsigned>(std::stoi(o.start_date.substr(8, 2))))};
  start_day_ = sys_days(ymd).time_since_epoch().count();
}

std::string Generator::Impl::next() {
  minutes_ += rng_.between(0, 8);
  ++count_;
  nlohmann::json event;
  make(event);
  if (made_) {  // a reversible event: one a later reversal may take back
    made_->seq = count_;
    // The latest few of each type.
    const auto same = [&](const Candidate& c) { return c.type == made_->type; };
    if (std::count_if(candidates_.begin(), candidates_.end(), same) == kCandidatesMax) {
      candidates_.erase(std::find_if(candidates_.begin(), candidates_.end(), same));
    }
    candidates_.push_back(std::move(*made_));
    made_.reset();
  }
  event["id"] = numbered("ev-", count_, 8);
  return canonical_json(event);
}

std::string Generator::Impl::date(int day) const {
  using namespace std::chrono;
  const year_month_day ymd{sys_days(days(day))};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

void Generator::Impl::make(nlohmann::json& e) {
  if (programmes_ < kProgrammes.size()) return register_programme(e);
  if (donors_.size() < 3) return register_donor(e);
  if (!terms_set_) return set_terms(e);
  if (appoint_member(e)) return;
  // Each kind of event has a share of a thousand; one that cannot happen
  // now (no pledge outstanding, no money to approve) gives way to a
  // proposal, which always can.
  const std::uint64_t r = rng_.below(1000);
  if (r < 3) return register_donor(e);
  if (r < 33) return record_pledge(e);
  if (r < 37 && write_off(e)) return;
  if (r < 137 && r >= 37 && receive_contribution(e)) return;
  if (r < 143 && r >= 137) return open_call(e);
  if (r < 148 && r >= 143 && close_call(e)) return;
  if (r < 398 && r >= 148 && submit_proposal(e)) return;
  if (r < 538 && r >= 398 && approve(e)) return;
  if (r < 638 && r >= 538 && reject(e)) return;
  if (r < 946 && r >= 638 && disburse(e)) return;
  if (r < 947 && r >= 946 && request_payment(e)) return;
  if (r < 948 && r >= 947 && cancel_request(e)) return;
  if (r < 951 && r >= 948) return receive_income(e);
  if (r < 954 && r >= 951 && charge_cost(e)) return;
  if (r < 958 && r >= 954 && reverse(e)) return;
  if (r < 970 && r >= 958 && refund(e)) return;
  if (r < 999 && r >= 970 && release(e)) return;
  if (r >= 999 && member_leaves(e)) return;
  submit_proposal(e);
}

void Generator::Impl::set(nlohmann::json& e, std::string_view type, nlohmann::json data) {
  e["type"] = type;
  e["data"] = std::move(data);
}

bool Generator::Impl::appoint_member(nlohmann::json& e) {
  if (board_to_appoint_.empty()) {
    if (today() <= board_to_) return false;
    board_from_ = today();
    board_to_ = board_from_ + 2 * 365 - 1;
    sitting_.clear();
    for (std::size_t r = 0; r < kRegions.size(); ++r) {
      std::vector<std::string_view> group;
      for (const CountryOfRegion& c : kApplicantCountries) {
        if (c.region == r) group.push_back(c.country);
      }
      // Three countries of the group: two seats, the second perhaps shared
      // with the third.
      for (std::size_t i = 0; i < 3; ++i) std::swap(group[i], group[i + rng_.below(group.size() - i)]);
      board_to_appoint_.push_back({group[0], "", r, 1});
      board_to_appoint_.push_back({group[1], rng_.percent(20) ? group[2] : "", r, 2});
    }
  }
  const Seat seat = board_to_appoint_.back();
  board_to_appoint_.pop_back();
  nlohmann::json data = {{"member", numbered("member-", ++members_, 5)},
                         {"country", seat.country},
                         {"region", kRegions[seat.region]},
                         {"seat", std::string(kRegions[seat.region]) + "-" + std::to_string(seat.seat)},
                         {"from", date(board_from_)},
                         {"to", date(board_to_)}};
  if (!seat.shared_with.empty()) data["shared_with"] = seat.shared_with;
  sitting_.push_back(data["member"].get<std::string>());
  set(e, "board.member.appointed", std::move(data));
  return true;
}

bool Generator::Impl::member_leaves(nlohmann::json& e) {
  if (sitting_.empty()) return false;
  const std::size_t i = rng_.below(sitting_.size());
  set(e, "board.member.left",
      {{"member", sitting_[i]}, {"left_on", date(today())}, {"reason", "The government recalled its member"}});
  sitting_.erase(sitting_.begin() + static_cast<std::ptrdiff_t>(i));
  return true;
}

void Generator::Impl::set_terms(nlohmann::json& e) {
  fee_bps_ = 100;
  set(e, "terms.set", {{"effective_on", date(today())}, {"admin_fee_bps", std::to_string(fee_bps_)}});
  terms_set_ = true;
}

void Generator::Impl::register_programme(nlohmann::json& e) {
  const std::string id = numbered("prog-", programmes_ + 1, 2);
  set(e, "programme.registered", {{"programme", id}, {"name", kProgrammes[programmes_]}});
  ++programmes_;
}

void Generator::Impl::register_donor(nlohmann::json& e) {
  const DonorTemplate& t = kDonors[rng_.below(kDonors.size())];
  Donor d{numbered("donor-", donors_.size() + 1, 6), &t,
          *currency_minor_units(t.currency)};
  nlohmann::json data = {{"donor", d.id}, {"kind", t.kind}};
  data["name"] = donors_.size() < kDonors.size() ? std::string(t.name)
                                                 : std::string(t.name) + " (" + d.id + ")";
  if (!t.country.empty()) data["country"] = t.country;
  set(e, "donor.registered", std::move(data));
  donors_.push_back(std::move(d));
}

std::int64_t Generator::Impl::from_usd(const Donor& d, std::int64_t cents) {
  const auto minor = static_cast<__int128>(cents) * 10'000 * pow10(d.minor_units) /
                     d.t->usd_micro_per_unit;
  return static_cast<std::int64_t>(minor);
}

std::int64_t Generator::Impl::to_usd(const Donor& d, std::int64_t minor) {
  if (d.t->currency == "USD") return minor;
  const auto cents = static_cast<__int128>(minor) * d.t->usd_micro_per_unit /
                     (10'000 * static_cast<__int128>(pow10(d.minor_units)));
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(cents));
}

void Generator::Impl::record_pledge(nlohmann::json& e) {
  const std::size_t donor = rng_.below(donors_.size());
  const Donor& d = donors_[donor];
  // A round sum: a whole number of thousands of the donor's currency.
  const std::int64_t thousand = 1000 * pow10(d.minor_units);
  const std::int64_t amount =
      std::max(thousand, from_usd(d, rng_.between(100'000, 2'000'000) * 100) / thousand * thousand);
  Pledge p{numbered("pledge-", pledges_made_ + 1, 7), donor, amount};
  ++pledges_made_;
  nlohmann::json data = {{"pledge", p.id},
                         {"donor", d.id},
                         {"amount", format_amount(amount, d.minor_units)},
                         {"currency", d.t->currency},
                         {"pledged_on", date(today())}};
  if (rng_.percent(20)) data["programme"] = numbered("prog-", rng_.below(programmes_) + 1, 2);
  if (rng_.percent(30)) data["due_on"] = date(today() + 365);
  set(e, "pledge.recorded", std::move(data));
  open_pledges_.push_back(pledges_.size());
  pledges_.push_back(std::move(p));
}

bool Generator::Impl::write_off(nlohmann::json& e) {
  const auto i = pick(rng_, open_pledges_, [&](std::size_t k) { return pledges_[k].outstanding > 0; });
  if (!i) return false;
  Pledge& p = pledges_[*i];
  const std::int64_t amount = rng_.percent(50) ? p.outstanding : std::max<std::int64_t>(1, p.outstanding / 2);
  p.outstanding -= amount;
  const Donor& d = donors_[p.donor];
  const nlohmann::json data = {{"pledge", p.id},
                               {"amount", format_amount(amount, d.minor_units)},
                               {"written_off_on", date(today())},
                               {"reason", "The donor's budget for the year was reduced"}};
  nlohmann::json facts = data;
  facts["currency"] = d.t->currency;
  facts["donor"] = d.id;
  made_ = Candidate{0, "pledge.written_off", std::move(facts), *i, std::nullopt, amount, 0};
  set(e, "pledge.written_off", data);
  return true;
}

bool Generator::Impl::receive_contribution(nlohmann::json& e) {
  const std::string id = numbered("contrib-", ++contributions_, 7);
  std::optional<std::size_t> i;
  if (rng_.percent(90)) {
    i = pick(rng_, open_pledges_, [&](std::size_t k) { return pledges_[k].outstanding > 0; });
  }
  std::size_t donor;
  std::int64_t amount;
  nlohmann::json data = {{"contribution", id}, {"received_on", date(today())}};
  if (i) {
    Pledge& p = pledges_[*i];
    donor = p.donor;
    const std::int64_t unit = pow10(donors_[donor].minor_units);
    amount = rng_.percent(50) ? p.outstanding : std::max(unit, p.outstanding / 2 / unit * unit);
    amount = std::min(amount, p.outstanding);
    p.outstanding -= amount;
    data["pledge"] = p.id;
  } else {
    donor = rng_.below(donors_.size());
    const std::int64_t unit = pow10(donors_[donor].minor_units);
    amount = std::max(unit, from_usd(donors_[donor], rng_.between(10'000, 200'000) * 100) / unit * unit);
  }
  const Donor& d = donors_[donor];
  const std::int64_t cents = to_usd(d, amount);
  data["donor"] = d.id;
  data["amount"] = format_amount(amount, d.minor_units);
  data["currency"] = d.t->currency;
  data["usd"] = usd(cents);
  // The fee the terms take, sent as the writer would fill it in.
  const std::int64_t fee = fee_of(cents, fee_bps_);
  if (fee > 0) data["admin_fee_usd"] = usd(fee);
  received_ += cents - fee;
  made_ = Candidate{0, "contribution.received", data, i, std::nullopt, amount, cents - fee};
  set(e, "contribution.received", std::move(data));
  return true;
}

std::optional<std::string> Generator::Impl::board_decision(nlohmann::json& e, std::string_view kind) {
  Meeting& m = kind == "call" ? call_meeting_ : approval_meeting_;
  if (m.day == today()) return m.decision;
  m.day = today();
  m.decision = numbered("BD-", ++decisions_, 6);
  set(e, "decision.recorded",
      {{"decision", m.decision},
       {"meeting_on", date(today())},
       {"kind", kind},
       {"summary", kind == "call" ? "The Board opens a call for proposals"
                                  : "The Board decides on the proposals before it"}});
  return std::nullopt;
}

void Generator::Impl::open_call(nlohmann::json& e) {
  const std::optional<std::string> decision = board_decision(e, "call");
  if (!decision) return;
  Call c{numbered("call-", calls_.size() + 1, 5), today() + static_cast<int>(rng_.between(60, 180)),
         0x1F, rng_.between(1'000, 8'000) * 100'000};
  nlohmann::json data = {{"call", c.id},
                         {"title", "Call for proposals " + std::to_string(calls_.size() + 1)},
                         {"programme", numbered("prog-", rng_.below(programmes_) + 1, 2)},
                         {"decision", *decision},
                         {"budget_usd", usd(c.budget)},
                         {"opened_on", date(today())},
                         {"closes_on", date(c.closes_day)}};
  if (rng_.percent(30)) {
    c.regions = static_cast<std::uint8_t>(rng_.between(1, 0x1E));
    nlohmann::json regions = nlohmann::json::array();
    for (std::size_t r = 0; r < kRegions.size(); ++r) {
      if (c.regions & (1u << r)) regions.push_back(kRegions[r]);
    }
    data["regions"] = std::move(regions);
  }
  set(e, "call.opened", std::move(data));
  open_calls_.push_back(calls_.size());
  calls_.push_back(std::move(c));
}

bool Generator::Impl::close_call(nlohmann::json& e) {
  const auto i = pick(rng_, open_calls_, [&](std::size_t k) { return calls_[k].open; });
  if (!i) return false;
  close(e, *i);
  return true;
}

void Generator::Impl::close(nlohmann::json& e, std::size_t i) {
  calls_[i].open = false;
  set(e, "call.closed", {{"call", calls_[i].id}, {"closed_on", date(today())}});
}

bool Generator::Impl::submit_proposal(nlohmann::json& e) {
  const auto i = pick(rng_, open_calls_, [&](std::size_t k) { return calls_[k].open; });
  if (!i) {
    open_call(e);
    return true;
  }
  if (calls_[*i].closes_day < today()) {  // its window has passed: close it instead
    close(e, *i);
    return true;
  }
  const Call& c = calls_[*i];
  CountryOfRegion where;
  do {
    where = kApplicantCountries[rng_.below(kApplicantCountries.size())];
  } while ((c.regions & (1u << where.region)) == 0);
  Proposal p{numbered("prop-", proposals_.size() + 1, 7), *i, rng_.between(20'000, 400'000) * 100};
  nlohmann::json data = {{"proposal", p.id},
                         {"call", c.id},
                         {"applicant", std::string(kApplicantKinds[rng_.below(kApplicantKinds.size())]) +
                                           ", " + std::string(where.country)},
                         {"country", where.country},
                         {"region", kRegions[where.region]},
                         {"requested_usd", usd(p.requested)},
                         {"submitted_on", date(today())}};
  if (rng_.percent(60)) data["focal_point"] = "National focal point, " + std::string(where.country);
  set(e, "proposal.submitted", std::move(data));
  undecided_.push_back(proposals_.size());
  proposals_.push_back(std::move(p));
  return true;
}

bool Generator::Impl::approve(nlohmann::json& e) {
  if (undecided_.empty()) return false;
  const std::optional<std::string> decision = board_decision(e, "approval");
  if (!decision) return true;
  const std::size_t at = rng_.below(undecided_.size());
  const std::size_t i = undecided_[at];
  Proposal& p = proposals_[i];
  Call& c = calls_[p.call];
  const std::int64_t unallocated = received_ - approved_;
  std::int64_t amount = std::min({p.requested, c.budget - c.net_approved, unallocated});
  if (rng_.percent(30)) amount = amount / 100 * rng_.between(70, 99);  // the Board trims it
  if (amount <= 0) return false;
  undecided_[at] = undecided_.back();
  undecided_.pop_back();
  p.net_approved = amount;
  c.net_approved += amount;
  approved_ += amount;
  set(e, "proposal.approved", {{"proposal", p.id},
                               {"approved_usd", usd(amount)},
                               {"decision", *decision},
                               {"decided_on", date(today())}});
  undisbursed_.push_back(i);
  return true;
}

bool Generator::Impl::reject(nlohmann::json& e) {
  if (undecided_.empty()) return false;
  const std::optional<std::string> decision = board_decision(e, "approval");
  if (!decision) return true;
  const auto i = pick(rng_, undecided_, [](std::size_t) { return true; }, true);
  if (!i) return false;
  set(e, "proposal.rejected", {{"proposal", proposals_[*i].id},
                               {"decision", *decision},
                               {"decided_on", date(today())},
                               {"reason", "Not eligible under the call's criteria"}});
  return true;
}

Generator::Generator(const GeneratorOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Generator::~Generator() = default;
std::string Generator::next() { return impl_->next(); }
std::uint64_t Generator::count() const { return impl_->count(); }

}  // namespace fundledger
