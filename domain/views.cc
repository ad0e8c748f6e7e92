#include "domain/views.h"

#include <array>
#include <map>

#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/schema.h"
#include "util/check.h"

namespace fundledger {
namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 11> kViewNames = {
    "fund", "donors", "donor", "calls", "call", "proposal", "programmes", "regions", "decisions", "decision", "board"};

std::string usd(std::int64_t cents) { return format_amount(cents, kUsdMinorUnits); }

// Sets `key` only when `value` is not empty: optional fields are left out
// rather than shown empty.
void set_if(json& j, const char* key, const std::string& value) {
  if (!value.empty()) j[key] = value;
}

json by_status(const RegionFigures& f) {
  return {{"total", f.proposals},
          {"submitted", f.by_status[static_cast<std::size_t>(ProposalStatus::kSubmitted)]},
          {"approved", f.by_status[static_cast<std::size_t>(ProposalStatus::kApproved)]},
          {"rejected", f.by_status[static_cast<std::size_t>(ProposalStatus::kRejected)]}};
}

// A region's (or a call's) proposals and money, in US dollars.
json figures(const RegionFigures& f) {
  return {{"proposals", by_status(f)},
          {"requested", usd(f.requested)},
          {"approved", usd(f.approved)},
          {"disbursed", usd(f.disbursed)}};
}

json currency_figures(const std::string& currency, const CurrencyFigures& f, int units) {
  return {{"currency", currency},
          {"pledged", format_amount(f.pledged, units)},
          {"received", format_amount(f.received, units)},
          {"unpledged", format_amount(f.unpledged, units)},
          {"written_off", format_amount(f.written_off, units)},
          {"outstanding", format_amount(f.outstanding, units)}};
}

int units_of(const std::string& currency) {
  return currency_minor_units(currency).value_or(kUsdMinorUnits);
}

// Payments requested and waiting for a second manager: every one (the fund
// view, without who requested them), or a proposal's (with them).
json requests_json(const Totals& t, const Proposal* of) {
  json out = json::array();
  for (const auto& [id, r] : t.requests) {
    if (of != nullptr && r.proposal != of->id) continue;
    json j = {{"disbursement", id},
              {"proposal", r.proposal},
              {"amount_usd", usd(r.amount)},
              {"requested_on", r.requested_on},
              {"seq", r.seq}};
    if (of != nullptr) j["requested_by"] = r.actor;
    out.push_back(std::move(j));
  }
  return out;
}

// The fund's terms, by the day each applies from.
json terms_json(const std::vector<Terms>& all) {
  json out = json::array();
  for (const Terms& t : all) {
    json j = {{"effective_on", t.effective_on},
              {"admin_fee_bps", std::to_string(t.admin_fee_bps)},
              {"eligible_countries", json::array()},
              {"seq", t.seq}};
    for (std::size_t at = 0; at + 3 <= t.eligible_countries.size(); at += 4) {
      j["eligible_countries"].push_back(t.eligible_countries.substr(at, 3));
    }
    if (t.dual_control_usd > 0) j["dual_control_usd"] = usd(t.dual_control_usd);
    out.push_back(std::move(j));
  }
  return out;
}

json fund_view(const FundState& state) {
  const Totals& t = state.totals();
  json pledges = json::array();
  for (const auto& [currency, pledged] : t.pledged_by_currency) {
    const int units = units_of(currency);
    const auto received = t.received_by_currency.find(currency);
    // A currency pledged in has an outstanding figure from its first pledge.
    const auto outstanding = t.outstanding_by_currency.find(currency);
    FL_CHECK(outstanding != t.outstanding_by_currency.end());
    pledges.push_back({{"currency", currency},
                       {"pledged", format_amount(pledged, units)},
                       {"outstanding", format_amount(outstanding->second, units)},
                       {"received", format_amount(received == t.received_by_currency.end() ? 0
                                                                                             : received->second,
                                                  units)}});
  }
  json earmarked = json::array();
  for (const auto& [programme, received] : t.earmarked_received) {
    earmarked.push_back({{"programme", programme}, {"received", usd(received)}});
  }
  return {{"currency", "USD"},
          {"received", usd(t.received)},
          {"income", amounts_by_kind(t.income, t.income_by_kind, income_kinds())},
          {"costs", amounts_by_kind(t.costs, t.costs_by_kind, cost_kinds())},
          {"approved", usd(t.approved)},
          {"disbursed", usd(t.disbursed)},
          {"cash", usd(t.cash())},
          {"unallocated", usd(t.unallocated())},
          {"undisbursed", usd(t.approved - t.disbursed)},
          {"requested_not_paid", usd(t.reserved)},
          {"requests", requests_json(t, nullptr)},
          {"pledges_by_currency", pledges},
          {"earmarked_received", earmarked},
          {"terms", terms_json(t.terms)},
          {"counts",
           {{"donors", t.donors},
            {"programmes", t.programmes},
            {"pledges", t.pledges},
            {"write_offs", t.write_offs},
            {"contributions", t.contributions},
            {"calls", t.calls},
            {"proposals", t.proposals},
            {"disbursements", t.disbursements},
            {"refunds", t.refunds},
            {"releases", t.releases},
            {"income", t.incomes},
            {"costs", t.charges},
            {"payment_requests", t.payment_requests},
            {"cancellations", t.cancellations},
            {"decisions", t.decisions},
            {"board_appointments", t.appointments},
            {"board_departures", t.departures},
            {"reversals", t.reversals}}}};
}

json donor_summary(const Donor& d) {
  json currencies = json::array();
  for (const auto& [currency, f] : d.currencies) {
    currencies.push_back(currency_figures(currency, f, units_of(currency)));
  }
  json j = {{"donor", d.id},
            {"name", d.name},
            {"kind", d.kind},
            {"received_usd", usd(d.received_usd)},
            {"contributions", d.contributions},
            {"pledges", d.pledges.size()},
            {"currencies", currencies}};
  set_if(j, "country", d.country);
  return j;
}

json donor_view(const Donor& d) {
  json j = donor_summary(d);
  j["seq"] = d.seq;
  json pledges = json::array();
  // Earmarks: what the donor pledged to each programme, by currency.
  std::map<std::pair<std::string, std::string>, std::pair<std::int64_t, std::int64_t>> earmarks;
  for (const Pledge& p : d.pledges) {
    json pledge = {{"pledge", p.id},
                   {"currency", p.currency},
                   {"amount", format_amount(p.amount, p.minor_units)},
                   {"received", format_amount(p.received, p.minor_units)},
                   {"written_off", format_amount(p.written_off, p.minor_units)},
                   {"outstanding", format_amount(p.outstanding(), p.minor_units)},
                   {"pledged_on", p.pledged_on},
                   {"seq", p.seq}};
    set_if(pledge, "programme", p.programme);
    set_if(pledge, "due_on", p.due_on);
    pledges.push_back(pledge);
    if (!p.programme.empty()) {
      auto& [pledged, received] = earmarks[{p.programme, p.currency}];
      pledged += p.amount;
      received += p.received;
    }
  }
  json earmarked = json::array();
  for (const auto& [key, sums] : earmarks) {
    const int units = units_of(key.second);
    earmarked.push_back({{"programme", key.first},
                         {"currency", key.second},
                         {"pledged", format_amount(sums.first, units)},
                         {"received", format_amount(sums.second, units)}});
  }
  j["pledges"] = std::move(pledges);
  j["earmarks"] = std::move(earmarked);
  // Corrections beside what they correct: each reversal and the event it
  // reverses (the figures above are net of them).
  if (!d.reversals.empty()) {
    json reversals = json::array();
    for (const Reversal& r : d.reversals) {
      reversals.push_back({{"seq", r.seq}, {"reverses", r.reverses}, {"type", event_type_name(r.type)}});
    }
    j["reversals"] = std::move(reversals);
  }
  return j;
}

json call_summary(const Call& c) {
  json j = {{"call", c.id},
            {"title", c.title},
            {"programme", c.programme},
            {"decision", c.decision},
            {"status", c.open() ? "open" : "closed"},
            {"opened_on", c.opened_on},
            {"closes_on", c.closes_on},
            {"currency", "USD"},
            {"budget", usd(c.budget)},
            {"requested", usd(c.total.requested)},
            {"approved", usd(c.total.approved)},
            {"disbursed", usd(c.total.disbursed)},
            {"remaining", usd(c.budget - c.total.approved)},
            {"proposals", by_status(c.total)}};
  set_if(j, "closed_on", c.closed_on);
  return j;
}

json call_view(const FundState& state, const Call& c, ViewDetail detail) {
  json j = call_summary(c);
  j["seq"] = c.seq;
  json eligible = json::array();
  json regions = json::array();
  for (std::size_t r = 0; r < kRegionCount; ++r) {
    const bool open = (c.regions & (1u << r)) != 0;
    if (open) eligible.push_back(kRegions[r]);
    json region = figures(c.by_region[r]);
    region["region"] = kRegions[r];
    region["eligible"] = open;
    regions.push_back(region);
  }
  j["regions"] = std::move(eligible);
  j["by_region"] = std::move(regions);
  if (detail == ViewDetail::kFigures) return j;
  // Each proposal's standing, for a form that chooses one (the desk).
  json proposals = json::array();
  for (const std::string& id : c.proposals) {
    const Proposal* p = state.proposal(id);
    FL_CHECK(p != nullptr);
    proposals.push_back({{"proposal", p->id},
                         {"applicant", p->applicant},
                         {"region", kRegions[p->region]},
                         {"status", status_name(p->status)},
                         {"requested", usd(p->requested)},
                         {"approved", usd(p->approved)},
                         {"disbursed", usd(p->disbursed)},
                         {"undisbursed", usd(p->approved - p->disbursed)}});
  }
  j["by_proposal"] = std::move(proposals);
  return j;
}

json proposal_view(const FundState& state, const Proposal& p) {
  json j = {{"proposal", p.id},
            {"call", p.call},
            {"applicant", p.applicant},
            {"country", p.country},
            {"region", kRegions[p.region]},
            {"submitted_on", p.submitted_on},
            {"status", status_name(p.status)},
            {"currency", "USD"},
            {"requested", usd(p.requested)},
            {"approved", usd(p.approved)},
            {"approved_initial", usd(p.approved_initial)},
            {"released", usd(p.released)},
            {"refunded", usd(p.refunded)},
            {"disbursed", usd(p.disbursed)},
            {"undisbursed", usd(p.approved - p.disbursed)},
            {"requested_not_paid", usd(p.reserved)},
            {"requests", requests_json(state.totals(), &p)},
            {"disbursements", p.disbursements},
            {"seq", p.seq}};
  set_if(j, "focal_point", p.focal_point);
  set_if(j, "decision", p.decision);
  set_if(j, "decided_on", p.decided_on);
  set_if(j, "reason", p.reason);
  json trail = json::array();
  for (const Proposal::Touch& t : p.trail) {
    json touch = {{"seq", t.seq}, {"type", event_type_name(t.type)}};
    if (t.reverses != 0) touch["reverses"] = t.reverses;
    trail.push_back(std::move(touch));
  }
  j["trail"] = std::move(trail);
  return j;
}

json programmes_view(const FundState& state) {
  json list = json::array();
  for (const Programme* p : state.programmes()) {
    list.push_back({{"programme", p->id},
                    {"name", p->name},
                    {"calls", p->calls},
                    {"budget", usd(p->budget)},
                    {"requested", usd(p->requested)},
                    {"approved", usd(p->approved)},
                    {"disbursed", usd(p->disbursed)},
                    {"earmarked_received", usd(p->earmarked_received)}});
  }
  return {{"currency", "USD"}, {"programmes", list}};
}

json regions_view(const FundState& state) {
  const Totals& t = state.totals();
  json list = json::array();
  for (std::size_t r = 0; r < kRegionCount; ++r) {
    json region = figures(t.regions[r]);
    region["region"] = kRegions[r];
    region["share"] = share(t.regions[r].approved, t.approved);
    list.push_back(region);
  }
  return {{"currency", "USD"}, {"approved", usd(t.approved)}, {"regions", list}};
}

Status not_found(std::string_view what, std::string_view id) {
  return Status::error(Code::kNotFound, "there is no " + std::string(what) + " \"" + std::string(id) + "\"");
}

}  // namespace

std::string_view view_name(ViewKind kind) { return kViewNames[static_cast<std::size_t>(kind)]; }

std::optional<ViewKind> view_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kViewNames.size(); ++i) {
    if (kViewNames[i] == name) return static_cast<ViewKind>(i);
  }
  return std::nullopt;
}

bool view_takes_id(ViewKind kind) {
  return kind == ViewKind::kDonor || kind == ViewKind::kCall || kind == ViewKind::kProposal ||
         kind == ViewKind::kDecision;
}

json amounts_by_kind(std::int64_t total, const std::map<std::string, std::int64_t>& amounts,
                     std::span<const std::string_view> kinds) {
  json each = json::object();
  for (const std::string_view kind : kinds) {
    const auto found = amounts.find(std::string(kind));
    each[std::string(kind)] = usd(found == amounts.end() ? 0 : found->second);
  }
  return {{"total", usd(total)}, {"by_kind", std::move(each)}};
}

std::string share(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "0.0000";
  // Outside 0..whole only in a view as of a day (FundState::accept_any_sums).
  const auto scaled = static_cast<std::int64_t>(
      (static_cast<__int128>(part) * 20000 + whole) / (static_cast<__int128>(whole) * 2));
  return format_amount(scaled, 4);
}

Result<nlohmann::json> render_view(const FundState& state, ViewKind kind, std::string_view id, ViewDetail detail,
                                   std::string_view day) {
  switch (kind) {
    case ViewKind::kFund: return fund_view(state);
    case ViewKind::kDonors: {
      json list = json::array();
      for (const Donor* d : state.donors()) list.push_back(donor_summary(*d));
      // Moved in, not copied as json{{...}} would: the lists run to a megabyte.
      json out = json::object();
      out["donors"] = std::move(list);
      return out;
    }
    case ViewKind::kDonor: {
      const Donor* d = state.donor(id);
      if (d == nullptr) return not_found("donor", id);
      return donor_view(*d);
    }
    case ViewKind::kCalls: {
      json list = json::array();
      for (const Call* c : state.calls()) list.push_back(call_summary(*c));
      json out = json::object();
      out["calls"] = std::move(list);
      return out;
    }
    case ViewKind::kCall: {
      const Call* c = state.call(id);
      if (c == nullptr) return not_found("call", id);
      return call_view(state, *c, detail);
    }
    case ViewKind::kProposal: {
      const Proposal* p = state.proposal(id);
      if (p == nullptr) return not_found("proposal", id);
      return proposal_view(state, *p);
    }
    case ViewKind::kProgrammes: return programmes_view(state);
    case ViewKind::kRegions: return regions_view(state);
    case ViewKind::kDecisions: return decisions_view(state);
    case ViewKind::kDecision: {
      const Decision* x = state.decision(id);
      if (x == nullptr) return not_found("decision", id);
      return decision_view(state, *x);
    }
    case ViewKind::kBoard: return board_view(state, day);
  }
  FL_CHECK(false);
  return json();
}

}  // namespace fundledger
