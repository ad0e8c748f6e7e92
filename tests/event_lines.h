#pragma once
// Events of every type as JSON lines, built from their business ids and
// amounts, for the tests that record a small fund by hand: the rules'
// boundaries, the codes over HTTP. Dates fall where a call opened on
// 2014-06-01 and closing on 2014-09-30 takes them.

#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace fundledger::test::event_lines {

using nlohmann::json;

inline std::string event(const std::string& id, const std::string& type, const json& data) {
  return json{{"id", id}, {"type", type}, {"data", data}}.dump();
}

inline std::string programme(const std::string& id) {
  return event("prog-" + id, "programme.registered", {{"programme", id}, {"name", "Programme " + id}});
}

inline std::string donor(const std::string& id) {
  return event("donor-" + id, "donor.registered", {{"donor", id}, {"name", "Donor " + id}, {"kind", "government"}});
}

inline std::string pledge(const std::string& event_id, const std::string& id, const std::string& donor_id,
                   const std::string& amount, const std::string& currency) {
  return event(event_id, "pledge.recorded",
               {{"pledge", id}, {"donor", donor_id}, {"amount", amount}, {"currency", currency},
                {"pledged_on", "2014-06-10"}});
}

inline std::string write_off(const std::string& event_id, const std::string& pledge_id, const std::string& amount) {
  return event(event_id, "pledge.written_off",
               {{"pledge", pledge_id}, {"amount", amount}, {"written_off_on", "2015-07-31"},
                {"reason", "The donor's budget was cut"}});
}

// A contribution; against a pledge when `pledge_id` is not empty.
inline std::string contribution(const std::string& event_id, const std::string& donor_id, const std::string& pledge_id,
                         const std::string& amount, const std::string& currency, const std::string& usd) {
  json data = {{"contribution", event_id}, {"donor", donor_id}, {"amount", amount},
               {"currency", currency},     {"usd", usd},        {"received_on", "2014-07-01"}};
  if (!pledge_id.empty()) data["pledge"] = pledge_id;
  return event(event_id, "contribution.received", data);
}

// A decision of the Board of `kind` (call, approval, programme, terms,
// other), taken at its meeting on `meeting_on`.
inline std::string decision(const std::string& id, const std::string& kind, const std::string& meeting_on) {
  return event("decision-" + id, "decision.recorded",
               {{"decision", id}, {"kind", kind}, {"meeting_on", meeting_on}, {"summary", "Decision " + id}});
}

// The decisions the calls and the proposals' decisions below rest on:
// BD-2014-1 (to open calls, 2014-05-15) and BD-2014-3 (on proposals,
// 2014-10-15).
inline std::string board_decisions() {
  return decision("BD-2014-1", "call", "2014-05-15") + "\n" + decision("BD-2014-3", "approval", "2014-10-15") + "\n";
}

// A call of programme "spp" under decision BD-2014-1, open from 2014-06-01
// to 2014-09-30.
inline std::string call(const std::string& id, const std::string& budget, const json& regions = nullptr) {
  json data = {{"call", id},           {"title", "Call " + id},     {"programme", "spp"},
               {"budget_usd", budget}, {"opened_on", "2014-06-01"}, {"closes_on", "2014-09-30"},
               {"decision", "BD-2014-1"}};
  if (!regions.is_null()) data["regions"] = regions;
  return event("open-" + id, "call.opened", data);
}

inline std::string close(const std::string& event_id, const std::string& call_id, const std::string& on) {
  return event(event_id, "call.closed", {{"call", call_id}, {"closed_on", on}});
}

inline std::string proposal(const std::string& id, const std::string& call_id, const std::string& requested,
                     const std::string& region = "AFR", const std::string& on = "2014-07-15",
                     const std::string& country = "KEN") {
  return event("submit-" + id, "proposal.submitted",
               {{"proposal", id}, {"call", call_id}, {"applicant", "Applicant " + id}, {"country", country},
                {"region", region}, {"requested_usd", requested}, {"submitted_on", on}});
}

inline std::string approval(const std::string& event_id, const std::string& proposal_id, const std::string& amount) {
  return event(event_id, "proposal.approved",
               {{"proposal", proposal_id}, {"approved_usd", amount}, {"decision", "BD-2014-3"},
                {"decided_on", "2014-10-15"}});
}

inline std::string rejection(const std::string& event_id, const std::string& proposal_id) {
  return event(event_id, "proposal.rejected",
               {{"proposal", proposal_id}, {"decision", "BD-2014-3"}, {"decided_on", "2014-10-16"},
                {"reason", "Outside the call's scope"}});
}

inline std::string disbursement(const std::string& id, const std::string& proposal_id, const std::string& amount) {
  return event(id, "disbursement.made",
               {{"disbursement", id}, {"proposal", proposal_id}, {"amount_usd", amount}, {"paid_on", "2014-11-01"}});
}

// The first step of a payment under dual control, requested on 2014-10-20.
inline std::string payment_request(const std::string& id, const std::string& proposal_id, const std::string& amount) {
  return event("request-" + id, "disbursement.requested",
               {{"disbursement", id}, {"proposal", proposal_id}, {"amount_usd", amount}, {"requested_on", "2014-10-20"}});
}

inline std::string refund(const std::string& id, const std::string& proposal_id, const std::string& amount) {
  return event(id, "refund.received",
               {{"refund", id}, {"proposal", proposal_id}, {"amount_usd", amount}, {"received_on", "2015-06-30"}});
}

inline std::string release(const std::string& event_id, const std::string& proposal_id, const std::string& amount) {
  return event(event_id, "allocation.released",
               {{"proposal", proposal_id}, {"amount_usd", amount}, {"released_on", "2015-07-01"},
                {"reason", "The project cost less than planned"}});
}

// Income of `kind` (interest, investment, other) received on `on`.
inline std::string income(const std::string& id, const std::string& kind, const std::string& amount,
                          const std::string& on = "2015-03-31") {
  return event(id, "income.received", {{"income", id}, {"kind", kind}, {"amount_usd", amount}, {"received_on", on}});
}

// A cost of `kind` (admin_fee, direct_cost, bank_charge, other) charged on `on`.
inline std::string cost(const std::string& id, const std::string& kind, const std::string& amount,
                        const std::string& on = "2015-04-30") {
  return event(id, "cost.charged",
               {{"cost", id}, {"kind", kind}, {"amount_usd", amount}, {"charged_on", on},
                {"reason", "Charged by the fund's bank"}});
}

// The fund's terms from `effective_on`, with `settings` (admin_fee_bps,
// eligible_countries, dual_control_usd).
inline std::string terms(const std::string& effective_on, json settings) {
  settings["effective_on"] = effective_on;
  return event("terms-" + effective_on, "terms.set", settings);
}

// A reversal of event `seq`; `facts` restated, if given, must be the
// original's.
inline std::string reversal(const std::string& event_id, std::uint64_t seq, const json& facts = json::object()) {
  json data = facts;
  data["seq"] = std::to_string(seq);
  data["reversed_on"] = "2015-08-01";
  data["reason"] = "Recorded twice";
  return event(event_id, "entry.reversed", data);
}

// Member `id` of the Board, of `country`, on `seat` of `region` from
// `from` to `to` ("" for no end), with `more` of the optional fields.
inline std::string appointment(const std::string& id, const std::string& country, const std::string& region,
                               const std::string& seat, const std::string& from, const std::string& to,
                               const json& more = json::object()) {
  json data = more;
  data.update({{"member", id}, {"country", country}, {"region", region}, {"seat", seat}, {"from", from}});
  if (!to.empty()) data["to"] = to;
  return event("appoint-" + id + "-" + from, "board.member.appointed", data);
}

// Member `id` leaving the Board on `on`.
inline std::string departure(const std::string& id, const std::string& on) {
  return event("left-" + id + "-" + on, "board.member.left", {{"member", id}, {"left_on", on}});
}

// `line` with its data's `field` set to `value`.
inline std::string changed(const std::string& line, const std::string& field, const std::string& value) {
  json e = json::parse(line);
  e["data"][field] = value;
  return e.dump();
}

inline std::string lines(std::initializer_list<std::string> events) {
  std::string out;
  for (const std::string& e : events) out += e + "\n";
  return out;
}

}  // namespace fundledger::test::event_lines
