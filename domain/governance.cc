// The Board's decisions as records: the rules that a decision is recorded
// once and that what rests on it (a call opened, a proposal approved or
// rejected) names one held on or before its own date, and the effect of
// recording one.

#include "domain/rules_text.h"
#include "domain/schema.h"
#include "domain/state.h"

namespace fundledger {

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
