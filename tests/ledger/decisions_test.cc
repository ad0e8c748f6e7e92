// The Board's decisions as records (decision.recorded): a call and a
// decision on a proposal name a decision that exists, taken at a meeting
// held on or before their own day, each refusal at its boundary; and the
// views of what rests on each decision.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/event_lines.h"
#include "tests/ledger/rules_fixture.h"

namespace fundledger {
namespace {

using nlohmann::json;
using namespace test::event_lines;
using test::Fund;

TEST_CASE("a decision is recorded once: duplicate", "[rules][decisions]") {
  Fund f;
  f.with_cash();
  f.refuses(event("decision-again", "decision.recorded",
                  {{"decision", "BD-2014-1"}, {"kind", "other"}, {"meeting_on", "2014-05-16"}, {"summary", "Again"}}),
            "duplicate", "data.decision", "there is already a decision \"BD-2014-1\"");
  f.append(decision("BD-2014-4", "other", "2014-05-16"));
  CHECK(f.fund_view()["counts"]["decisions"] == 3);
}

TEST_CASE("a call rests on a decision of the Board held by its opening day: unknown_decision, invalid_dates",
          "[rules][decisions]") {
  Fund f;
  f.with_cash();
  // Decision BD-2014-1 was taken at the meeting of 2014-05-15.
  const std::string open = changed(call("C1", "1000.00"), "opened_on", "2014-05-15");
  f.refuses(changed(open, "decision", "BD-2014-9"), "unknown_decision", "data.decision",
            "there is no decision of the Board \"BD-2014-9\"");
  f.refuses(changed(open, "opened_on", "2014-05-14"), "invalid_dates", "data.opened_on",
            "opened_on 2014-05-14 is before the Board's meeting that took decision \"BD-2014-1\", held on 2014-05-15");
  f.append(open);
  CHECK(f.view(ViewKind::kCall, "C1")["decision"] == "BD-2014-1");
}

TEST_CASE("a decision on a proposal rests on a decision of the Board held by its day: unknown_decision, "
          "invalid_dates", "[rules][decisions]") {
  Fund f;
  f.with_cash();
  f.append(lines({call("C1", "1000.00"), proposal("A", "C1", "600.00"), proposal("B", "C1", "100.00")}));
  // Decision BD-2014-3 was taken at the meeting of 2014-10-15.
  const std::string approve = changed(approval("approve-A", "A", "600.00"), "decided_on", "2014-10-15");
  f.refuses(changed(approve, "decision", "BD-2014-9"), "unknown_decision", "data.decision",
            "there is no decision of the Board \"BD-2014-9\"");
  f.refuses(changed(approve, "decided_on", "2014-10-14"), "invalid_dates", "data.decided_on",
            "decided_on 2014-10-14 is before the Board's meeting that took decision \"BD-2014-3\", held on 2014-10-15");
  f.append(approve);
  const std::string reject = changed(rejection("reject-B", "B"), "decided_on", "2014-10-15");
  f.refuses(changed(reject, "decision", "BD-2014-9"), "unknown_decision", "data.decision",
            "there is no decision of the Board \"BD-2014-9\"");
  f.refuses(changed(reject, "decided_on", "2014-10-14"), "invalid_dates", "data.decided_on",
            "decided_on 2014-10-14 is before the Board's meeting that took decision \"BD-2014-3\", held on 2014-10-15");
  f.append(reject);
}

TEST_CASE("a decision's view lists the calls opened and the proposals decided under it", "[views][decisions]") {
  Fund f;
  f.with_cash();  // BD-2014-1 is event 5, BD-2014-3 event 6
  f.append(lines({call("C1", "1000.00"), call("C2", "500.00"), proposal("A", "C1", "600.00"),
                  proposal("B", "C1", "100.00"), approval("approve-A", "A", "600.00"), rejection("reject-B", "B"),
                  release("release-A", "A", "100.00")}));
  // The decision's amount is what the Board approved; the release lowers
  // the proposal's allocation, not the decision.
  CHECK(f.view(ViewKind::kProposal, "A")["approved"] == "500.00");
  CHECK(f.view(ViewKind::kDecision, "BD-2014-3") == json::parse(R"({
    "decision":"BD-2014-3","meeting_on":"2014-10-15","kind":"approval","summary":"Decision BD-2014-3",
    "currency":"USD","approved":"600.00","counts":{"calls":0,"approvals":1,"rejections":1},"seq":6,
    "calls":[],
    "approvals":[{"proposal":"A","call":"C1","applicant":"Applicant A","region":"AFR","decided_on":"2014-10-15",
                  "approved":"600.00"}],
    "rejections":[{"proposal":"B","call":"C1","applicant":"Applicant B","region":"AFR","decided_on":"2014-10-16",
                   "reason":"Outside the call's scope"}]})"));
  CHECK(f.view(ViewKind::kDecisions, "") == json::parse(R"({"decisions":[
    {"decision":"BD-2014-1","meeting_on":"2014-05-15","kind":"call","summary":"Decision BD-2014-1",
     "currency":"USD","approved":"0.00","counts":{"calls":2,"approvals":0,"rejections":0}},
    {"decision":"BD-2014-3","meeting_on":"2014-10-15","kind":"approval","summary":"Decision BD-2014-3",
     "currency":"USD","approved":"600.00","counts":{"calls":0,"approvals":1,"rejections":1}}]})"));
  CHECK(f.view(ViewKind::kDecision, "BD-2014-1")["calls"] == json::parse(R"([
    {"call":"C1","title":"Call C1","opened_on":"2014-06-01","budget":"1000.00"},
    {"call":"C2","title":"Call C2","opened_on":"2014-06-01","budget":"500.00"}])"));
}

}  // namespace
}  // namespace fundledger
