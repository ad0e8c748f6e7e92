// The Board's views: its decisions with what rests on each, and its
// members by regional group, on a day or over the whole log.

#include <algorithm>
#include <set>
#include <tuple>

#include "domain/money.h"
#include "domain/views.h"
#include "util/check.h"

namespace fundledger {
namespace {

using nlohmann::json;

std::string usd(std::int64_t cents) { return format_amount(cents, kUsdMinorUnits); }

// A decision of the Board with the counts and the money of what rests on it.
json decision_summary(const Decision& x) {
  return {{"decision", x.id},
          {"meeting_on", x.meeting_on},
          {"kind", x.kind},
          {"summary", x.summary},
          {"currency", "USD"},
          {"approved", usd(x.approved_usd)},
          {"counts", {{"calls", x.calls.size()}, {"approvals", x.approved.size()}, {"rejections", x.rejected.size()}}}};
}

}  // namespace

json decision_view(const FundState& state, const Decision& x) {
  json j = decision_summary(x);
  j["seq"] = x.seq;
  json calls = json::array();
  for (const std::string& id : x.calls) {
    const Call* c = state.call(id);
    FL_CHECK(c != nullptr);
    calls.push_back({{"call", c->id}, {"title", c->title}, {"opened_on", c->opened_on}, {"budget", usd(c->budget)}});
  }
  const auto decided = [&](const std::vector<std::string>& ids) {
    json list = json::array();
    for (const std::string& id : ids) {
      const Proposal* p = state.proposal(id);
      FL_CHECK(p != nullptr);
      json one = {{"proposal", p->id},       {"call", p->call},           {"applicant", p->applicant},
                  {"region", kRegions[p->region]}, {"decided_on", p->decided_on}};
      if (p->status == ProposalStatus::kApproved) {
        one["approved"] = usd(p->approved_initial);
      } else {
        one["reason"] = p->reason;
      }
      list.push_back(std::move(one));
    }
    return list;
  };
  j["calls"] = std::move(calls);
  j["approvals"] = decided(x.approved);
  j["rejections"] = decided(x.rejected);
  return j;
}

json decisions_view(const FundState& state) {
  json list = json::array();
  for (const Decision* x : state.decisions()) list.push_back(decision_summary(*x));
  json out = json::object();
  out["decisions"] = std::move(list);
  return out;
}

namespace {

json member_json(const BoardMember& m) {
  json j = {{"member", m.id}, {"country", m.country}, {"seat", m.seat}, {"from", m.from}, {"seq", m.seq}};
  for (const auto& [key, value] : {std::pair{"to", &m.to}, std::pair{"shared_with", &m.shared_with},
                                   std::pair{"co_chair_to", &m.co_chair_to}, std::pair{"left_on", &m.left_on}}) {
    if (!value->empty()) j[key] = *value;
  }
  return j;
}

}  // namespace

json board_view(const FundState& state, std::string_view day) {
  std::vector<const BoardMember*> members;
  for (const BoardMember* m : state.members()) {
    if (day.empty() || m->sits_on(day)) members.push_back(m);
  }
  std::sort(members.begin(), members.end(), [](auto* a, auto* b) {
    return std::tie(a->seat, a->from, a->id) < std::tie(b->seat, b->from, b->id);
  });
  json regions = json::array();
  json co_chairs = json::array();
  for (std::size_t r = 0; r < kRegions.size(); ++r) {
    json list = json::array();
    std::set<std::string_view> seats;
    for (const BoardMember* m : members) {
      if (m->region != r) continue;
      list.push_back(member_json(*m));
      seats.insert(m->seat);
    }
    regions.push_back({{"region", kRegions[r]}, {"seats", seats.size()}, {"members", std::move(list)}});
  }
  for (const BoardMember* m : state.members()) {
    if (day.empty() ? !m->co_chair_to.empty() : m->co_chairs_on(day)) co_chairs.push_back(m->id);
  }
  json out = {{"regions", std::move(regions)}, {"co_chairs", std::move(co_chairs)}};
  if (!day.empty()) out["on"] = day;
  return out;
}

}  // namespace fundledger
