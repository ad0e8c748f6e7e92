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
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "util/canonical.h"
#include "util/check.h"

namespace fundledger {

using namespace generator;

class Generator::Impl {
 public:
  explicit Impl(const GeneratorOptions& o) : rng_(o.seed) {
    FL_CHECK(is_business_date(o.start_date));
    using namespace std::chrono;
    const year_month_day ymd{year(std::stoi(o.start_date.substr(0, 4))),
                             month(static_cast<unsigned>(std::stoi(o.start_date.substr(5, 2)))),
                             day(static_cast<unsigned>(std::stoi(o.start_date.substr(8, 2))))};
    start_day_ = sys_days(ymd).time_since_epoch().count();
  }

  std::string next() {
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

  std::uint64_t count() const { return count_; }

 private:
  // An event a reversal may take back: its seq, type and data (with a
  // write-off's currency and donor), and what it moved.
  struct Candidate {
    std::uint64_t seq = 0;
    std::string type;
    nlohmann::json data;
    std::optional<std::size_t> pledge, proposal;
    std::int64_t amount = 0;  // in the pledge's currency
    std::int64_t cents = 0;   // in US cents
  };
  static constexpr std::ptrdiff_t kCandidatesMax = 8;  // of each type

  int today() const { return static_cast<int>(start_day_ + minutes_ / 1440); }
  std::string date(int day) const {
    using namespace std::chrono;
    const year_month_day ymd{sys_days(days(day))};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
  }
  std::string usd(std::int64_t cents) const { return format_amount(cents, kUsdMinorUnits); }

  void make(nlohmann::json& e) {
    if (programmes_ < kProgrammes.size()) return register_programme(e);
    if (donors_.size() < 3) return register_donor(e);
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
    if (r < 954 && r >= 638 && disburse(e)) return;
    if (r < 958 && r >= 954 && reverse(e)) return;
    if (r < 970 && r >= 958 && refund(e)) return;
    if (r >= 970 && release(e)) return;
    submit_proposal(e);
  }

  void set(nlohmann::json& e, std::string_view type, nlohmann::json data) {
    e["type"] = type;
    e["data"] = std::move(data);
  }

  void register_programme(nlohmann::json& e) {
    const std::string id = numbered("prog-", programmes_ + 1, 2);
    set(e, "programme.registered", {{"programme", id}, {"name", kProgrammes[programmes_]}});
    ++programmes_;
  }

  void register_donor(nlohmann::json& e) {
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

  // Minor units of the donor's currency worth about `cents` US cents.
  static std::int64_t from_usd(const Donor& d, std::int64_t cents) {
    const auto minor = static_cast<__int128>(cents) * 10'000 * pow10(d.minor_units) /
                       d.t->usd_micro_per_unit;
    return static_cast<std::int64_t>(minor);
  }
  static std::int64_t to_usd(const Donor& d, std::int64_t minor) {
    if (d.t->currency == "USD") return minor;
    const auto cents = static_cast<__int128>(minor) * d.t->usd_micro_per_unit /
                       (10'000 * static_cast<__int128>(pow10(d.minor_units)));
    return std::max<std::int64_t>(1, static_cast<std::int64_t>(cents));
  }

  void record_pledge(nlohmann::json& e) {
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

  bool write_off(nlohmann::json& e) {
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

  bool receive_contribution(nlohmann::json& e) {
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
    received_ += cents;
    made_ = Candidate{0, "contribution.received", data, i, std::nullopt, amount, cents};
    set(e, "contribution.received", std::move(data));
    return true;
  }

  void open_call(nlohmann::json& e) {
    Call c{numbered("call-", calls_.size() + 1, 5), today() + static_cast<int>(rng_.between(60, 180)),
           0x1F, rng_.between(1'000, 8'000) * 100'000};
    nlohmann::json data = {{"call", c.id},
                           {"title", "Call for proposals " + std::to_string(calls_.size() + 1)},
                           {"programme", numbered("prog-", rng_.below(programmes_) + 1, 2)},
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

  bool close_call(nlohmann::json& e) {
    const auto i = pick(rng_, open_calls_, [&](std::size_t k) { return calls_[k].open; });
    if (!i) return false;
    close(e, *i);
    return true;
  }

  void close(nlohmann::json& e, std::size_t i) {
    calls_[i].open = false;
    set(e, "call.closed", {{"call", calls_[i].id}, {"closed_on", date(today())}});
  }

  bool submit_proposal(nlohmann::json& e) {
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

  std::string decision() { return "Board decision " + numbered("B-", ++decisions_, 6); }

  bool approve(nlohmann::json& e) {
    if (undecided_.empty()) return false;
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
                                 {"decision", decision()},
                                 {"decided_on", date(today())}});
    undisbursed_.push_back(i);
    return true;
  }

  bool reject(nlohmann::json& e) {
    const auto i = pick(rng_, undecided_, [](std::size_t) { return true; }, true);
    if (!i) return false;
    set(e, "proposal.rejected", {{"proposal", proposals_[*i].id},
                                 {"decision", decision()},
                                 {"decided_on", date(today())},
                                 {"reason", "Not eligible under the call's criteria"}});
    return true;
  }

  bool disburse(nlohmann::json& e) {
    const auto i = pick(rng_, undisbursed_, [&](std::size_t k) {
      return proposals_[k].net_approved > proposals_[k].net_disbursed;
    });
    if (!i) return false;
    Proposal& p = proposals_[*i];
    const std::int64_t left = p.net_approved - p.net_disbursed;
    const std::int64_t amount = p.tranches >= 2 || left <= p.net_approved / 2
                                    ? left
                                    : std::max<std::int64_t>(1, p.net_approved * 4 / 10);
    p.net_disbursed += amount;
    ++p.tranches;
    disbursed_ += amount;
    if (p.tranches == 1) paid_.push_back(*i);
    const nlohmann::json data = {{"disbursement", numbered("disb-", ++disbursements_, 7)},
                                 {"proposal", p.id},
                                 {"amount_usd", usd(amount)},
                                 {"paid_on", date(today())}};
    made_ = Candidate{0, "disbursement.made", data, std::nullopt, *i, amount, amount};
    set(e, "disbursement.made", data);
    return true;
  }

  bool refund(nlohmann::json& e) {
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

  bool release(nlohmann::json& e) {
    const auto i = pick(rng_, undisbursed_, [&](std::size_t k) {
      return proposals_[k].net_approved > proposals_[k].net_disbursed;
    });
    if (!i) return false;
    Proposal& p = proposals_[*i];
    const std::int64_t left = p.net_approved - p.net_disbursed;
    const std::int64_t amount = rng_.percent(50) ? left : std::max<std::int64_t>(1, left / 2);
    p.net_approved -= amount;
    calls_[p.call].net_approved -= amount;
    approved_ -= amount;
    const nlohmann::json data = {{"proposal", p.id},
                                 {"amount_usd", usd(amount)},
                                 {"released_on", date(today())},
                                 {"reason", "The project closed under budget"}};
    made_ = Candidate{0, "allocation.released", data, std::nullopt, *i, amount, amount};
    set(e, "allocation.released", data);
    return true;
  }

  // Whether the fund can take back `c` now, as the rules of a reversal ask.
  bool reversible(const Candidate& c) const {
    const std::int64_t unallocated = received_ - approved_;  // never above the cash
    if (c.type == "contribution.received") return c.cents <= unallocated;
    if (c.type == "pledge.written_off") return true;
    const Proposal& p = proposals_[*c.proposal];
    if (c.type == "disbursement.made") return c.cents <= p.net_disbursed;
    const Call& call = calls_[p.call];
    return c.cents <= call.budget - call.net_approved && c.cents <= unallocated;
  }

  // A correction of a recent contribution, write-off or payment, with the
  // facts the ledger would copy from it.
  bool reverse(nlohmann::json& e) {
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
    for (const char* fact : {"amount", "amount_usd", "contribution", "currency", "disbursement", "donor", "pledge",
                             "proposal", "refund", "usd"}) {
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


  Rng rng_;
  std::optional<Candidate> made_;       // set by the event being made, when reversible
  std::vector<Candidate> candidates_;   // the latest of each type, oldest first
  std::int64_t start_day_ = 0;
  std::int64_t minutes_ = 0;
  std::uint64_t count_ = 0;

  std::size_t programmes_ = 0;
  std::vector<Donor> donors_;
  std::vector<Pledge> pledges_;
  std::uint64_t pledges_made_ = 0;
  std::vector<Call> calls_;
  std::vector<Proposal> proposals_;
  std::vector<std::size_t> open_pledges_, open_calls_, undecided_, undisbursed_, paid_;
  std::uint64_t contributions_ = 0, decisions_ = 0, disbursements_ = 0, refunds_ = 0;
  // The fund, in US cents.
  std::int64_t received_ = 0, approved_ = 0, disbursed_ = 0;
};

Generator::Generator(const GeneratorOptions& options) : impl_(std::make_unique<Impl>(options)) {}
Generator::~Generator() = default;
std::string Generator::next() { return impl_->next(); }
std::uint64_t Generator::count() const { return impl_->count(); }

}  // namespace fundledger
