#pragma once
// The views of SPEC section 3, rendered from a FundState: what the Board,
// the donors and the auditors read. Amounts are strings with the minor-unit
// places of their currency (SPEC 1.3), counts are integers, shares are
// strings with four places, members are sorted by key and lists by id, so
// that the same events always give byte-identical views.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/state.h"
#include "util/status.h"

namespace fundledger {

enum class ViewKind {
  kFund, kDonors, kDonor, kCalls, kCall, kProposal, kProgrammes, kRegions, kDecisions, kDecision, kBoard
};

// "fund", "donors", "donor", ... and back.
std::string_view view_name(ViewKind kind);
std::optional<ViewKind> view_from_name(std::string_view name);
// Whether the view names one entity (donor, call, proposal, decision).
bool view_takes_id(ViewKind kind);

// What a view holds: all of it, or its figures alone, as a dry run reports
// them: a call without `by_proposal`, the list of its proposals, whose
// figures are the proposals' own.
enum class ViewDetail { kFull, kFigures };

// The view of `state`; `day`, for a view as of a day, is that day (the
// Board's view lists the members who sit on it). Refusals: not_found (no
// such donor, call, proposal or decision).
Result<nlohmann::json> render_view(const FundState& state, ViewKind kind, std::string_view id,
                                   ViewDetail detail = ViewDetail::kFull, std::string_view day = "");

// The Board's views (board_views.cc), as render_view gives them: its
// decisions, one decision with what rests on it, and its members by
// regional group, all of them or those who sit on `day`.
nlohmann::json decisions_view(const FundState& state);
nlohmann::json decision_view(const FundState& state, const Decision& decision);
nlohmann::json board_view(const FundState& state, std::string_view day);

// Income or costs as the views and statements show them, in USD:
// {"total","by_kind"} with every one of `kinds`, those without an amount
// at "0.00".
nlohmann::json amounts_by_kind(std::int64_t total, const std::map<std::string, std::int64_t>& amounts,
                               std::span<const std::string_view> kinds);

// A region's share of the fund's approvals, with four places: "0.3793".
// Rounded half up; "0.0000" when nothing is approved.
std::string share(std::int64_t part, std::int64_t whole);

}  // namespace fundledger
