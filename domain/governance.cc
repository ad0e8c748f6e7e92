// The Board as records: its decisions, with the rules that a decision is
// recorded once and that what rests on it (a call opened, a proposal
// approved or rejected) names one held on or before its own date; and its
// members, two seats for each regional group, each seat held by one member
// at a time.

#include <algorithm>
#include <set>

#include "domain/formats.h"
#include "domain/rules_text.h"
#include "domain/schema.h"
#include "domain/state.h"
#include "util/check.h"

namespace fundledger {
namespace {

// The first day a member sits that lies in the term from `from` to `to`
// ("" for no end), or "" when the two share no day.
std::string first_shared_day(const BoardMember& m, std::string_view from, std::string_view to) {
  const std::string_view start = std::max<std::string_view>(m.from, from);
  if ((!to.empty() && start > to) || !m.sits_on(start)) return "";
  return std::string(start);
}

// "CHL from 2013-09-01 to 2015-08-31", as a refusal names a member.
std::string term_text(const BoardMember& m) {
  std::string t = m.country + " from " + m.from;
  if (!m.left_on.empty()) return t + " until it left on " + m.left_on;
  return m.to.empty() ? t : t + " to " + m.to;
}

}  // namespace

using namespace rule_text;

Status FundState::check_decision(const DataView& d) const {
  const std::string_view id = d.get("decision");
  if (decision(id) != nullptr) return duplicate("decision", id, "decision");
  return Status::ok();
}

Status FundState::check_rests_on_decision(EventType type, const DataView& d) const {
  const std::string_view id = d.get("decision");
  const Decision* x = decision(id);
  if (x == nullptr) return unknown(Code::kUnknownDecision, "decision of the Board", id, "decision");
  return not_before(d, date_field(type), x->meeting_on,
                    "the Board's meeting that took decision " + in_quotes(id) + ", held");
}

Status FundState::check_appointment(const DataView& d) const {
  const std::string_view id = d.get("member");
  if (member(id) != nullptr) return duplicate("member of the Board", id, "member");
  const std::string_view region = d.get("region"), seat = d.get("seat"), from = d.get("from"), to = d.get("to");
  const auto index = region_index(region);
  FL_CHECK(index.has_value());
  // The members of the group who sit during the term, and the days a seat
  // is taken up: the group's seats held can only grow on those days.
  std::vector<const BoardMember*> during;
  std::set<std::string> days = {std::string(from)};
  for (const BoardMember* m : members()) {
    const std::string first = m->region == *index ? first_shared_day(*m, from, to) : "";
    if (first.empty()) continue;
    if (m->seat == seat) {
      return refuse(Code::kSeatTaken,
                    "seat " + in_quotes(seat) + " of " + std::string(region) + " is held by member " + in_quotes(m->id) +
                        " (" + term_text(*m) + ")",
                    "seat");
    }
    during.push_back(m);
    days.insert(first);
  }
  for (const std::string& day : days) {
    std::vector<const BoardMember*> held;
    for (const BoardMember* m : during) {
      const bool seat_new = std::none_of(held.begin(), held.end(), [&](auto* h) { return h->seat == m->seat; });
      if (m->sits_on(day) && seat_new) held.push_back(m);
    }
    if (held.size() < kBoardSeatsPerRegion) continue;
    return refuse(Code::kRegionFull,
                  std::string(region) + "'s two seats are held on " + day + ": " + in_quotes(held[0]->seat) + " by " +
                      held[0]->country + " and " + in_quotes(held[1]->seat) + " by " + held[1]->country,
                  "region");
  }
  return Status::ok();
}

Status FundState::check_departure(const DataView& d) const {
  const std::string_view id = d.get("member");
  const BoardMember* m = member(id);
  if (m == nullptr) return unknown(Code::kUnknownMember, "member of the Board", id, "member");
  if (!m->left_on.empty()) {
    return refuse(Code::kDuplicate, "member " + in_quotes(id) + " already left on " + m->left_on, "member");
  }
  FL_RETURN_IF_ERROR(not_before(d, "left_on", m->from, "member " + in_quotes(id) + "'s term began"));
  if (!m->to.empty() && d.get("left_on") > m->to) {
    return refuse(Code::kInvalidDates,
                  "left_on " + std::string(d.get("left_on")) + " is after member " + in_quotes(id) +
                      "'s term ended on " + m->to,
                  "left_on");
  }
  return Status::ok();
}

void FundState::apply_member(EventType type, const DataView& d, std::uint64_t seq) {
  BoardMember& m = member_for_change(d.get("member"));
  Totals& t = totals_for_change();
  if (type == EventType::kBoardMemberLeft) {
    m.left_on = d.get("left_on");
    ++t.departures;
    return;
  }
  m.id = d.get("member");
  m.country = d.get("country");
  m.region = static_cast<std::uint8_t>(*region_index(d.get("region")));
  m.seat = d.get("seat");
  m.from = d.get("from");
  m.to = d.get("to");
  m.shared_with = d.get("shared_with");
  m.co_chair_to = d.get("co_chair_to");
  m.seq = seq;
  ++t.appointments;
}

void FundState::apply_decision(const DataView& d, std::uint64_t seq) {
  Decision& x = decision_for_change(d.get("decision"));
  x.id = d.get("decision");
  x.meeting_on = d.get("meeting_on");
  x.kind = d.get("kind");
  x.summary = d.get("summary");
  x.seq = seq;
  ++totals_for_change().decisions;
}

}  // namespace fundledger
