// Payments under dual control (disbursement.requested, .made, .cancelled):
// where the terms ask it, one manager requests a payment, which reserves
// its amount, and another makes it. Each refusal at its boundary, and many
// managers at once never paying out money another request holds.

#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "ledger/verify.h"
#include "tests/event_lines.h"
#include "tests/ledger/rules_fixture.h"

namespace fundledger {
namespace {

using nlohmann::json;
using namespace test::event_lines;
using test::Fund;

std::string request(const std::string& id, const std::string& proposal_id, const std::string& amount,
                    const std::string& on = "2014-10-20") {
  return event("request-" + id + "-" + on, "disbursement.requested",
               {{"disbursement", id}, {"proposal", proposal_id}, {"amount_usd", amount}, {"requested_on", on}});
}

std::string pay(const std::string& id, const std::string& proposal_id, const std::string& amount,
                const std::string& on = "2014-10-20") {
  return event("pay-" + id, "disbursement.made",
               {{"disbursement", id}, {"proposal", proposal_id}, {"amount_usd", amount}, {"paid_on", on}});
}

std::string cancel(const std::string& id, const std::string& on = "2014-10-21") {
  return event("cancel-" + id + "-" + on, "disbursement.cancelled",
               {{"disbursement", id}, {"cancelled_on", on}, {"reason", "The grantee's bank details changed"}});
}

// An amount of a view ("1234.56") in cents.
std::int64_t cents(const json& amount) {
  std::string digits = amount.get<std::string>();
  digits.erase(digits.find('.'), 1);
  return std::stoll(digits);
}

// 200,000.00 USD received; proposal A approved for 150,000.00 and B for
// 50,000.00 on 2014-10-15: nothing unallocated.
void with_approvals(Fund& f, const std::string& threshold) {
  f.with_cash();
  f.append(lines({terms("2014-01-01", {{"dual_control_usd", threshold}}), call("C1", "1000000.00"),
                  proposal("A", "C1", "150000.00"), proposal("B", "C1", "50000.00"),
                  approval("approve-A", "A", "150000.00"), approval("approve-B", "B", "50000.00")}));
}

TEST_CASE("a payment at or above the terms' threshold is requested by one manager and made by another: "
          "not_requested, same_actor, request_mismatch",
          "[rules][dual]") {
  Fund f;
  with_approvals(f, "50000.00");
  f.append(pay("d-1", "A", "49999.99"));
  f.refuses(pay("d-2", "A", "50000.00"), "not_requested", "data.amount_usd",
            "a payment of 50,000.00 USD is first requested by one manager and made by another: the terms from "
            "2014-01-01 ask it of payments of 50,000.00 USD or more");
  f.append(request("d-2", "A", "50000.00"));
  json fund = f.fund_view();
  CHECK(fund["requested_not_paid"] == "50000.00");
  CHECK(fund["requests"] == json::parse(R"([{"disbursement":"d-2","proposal":"A","amount_usd":"50000.00",
        "requested_on":"2014-10-20","seq":14}])"));
  CHECK(fund["cash"] == "150000.01");
  f.refuses(pay("d-2", "A", "50000.00"), "same_actor", "data.disbursement",
            "payment \"d-2\" was requested by manager:alice; another manager makes it");
  f.actor = "manager:bob";
  f.refuses(pay("d-2", "A", "49999.99"), "request_mismatch", "data.amount_usd",
            "payment \"d-2\" was requested as 50,000.00 USD to proposal \"A\", not 49,999.99 USD to proposal \"A\"");
  f.refuses(pay("d-2", "B", "50000.00"), "request_mismatch", "data.proposal",
            "payment \"d-2\" was requested as 50,000.00 USD to proposal \"A\", not 50,000.00 USD to proposal \"B\"");
  f.refuses(pay("d-2", "A", "50000.00", "2014-10-19"), "invalid_dates", "data.paid_on",
            "paid_on 2014-10-19 is before payment \"d-2\" was requested on 2014-10-20");
  f.append(pay("d-2", "A", "50000.00"));
  fund = f.fund_view();
  CHECK(fund["disbursed"] == "99999.99");
  CHECK(fund["requested_not_paid"] == "0.00");
  CHECK(fund["requests"] == json::array());
  CHECK(fund["counts"]["payment_requests"] == 1);
  CHECK(fund["counts"]["disbursements"] == 2);
  // Below the threshold a payment needs no request, whoever makes it.
  f.append(pay("d-3", "A", "49999.99"));
}

TEST_CASE("a request reserves its amount against the allocation and the cash: exceeds_allocation, "
          "insufficient_cash, exceeds_undisbursed",
          "[rules][dual]") {
  Fund f;
  with_approvals(f, "1000000.00");
  f.append(request("r-A", "A", "100000.00"));
  const json a = f.fund_view();
  f.refuses(pay("d-1", "A", "50000.01"), "exceeds_allocation", "data.amount_usd",
            "disbursement of 50,000.01 USD exceeds the 50,000.00 USD of proposal \"A\"'s allocation not yet paid nor "
            "requested");
  f.refuses(request("r-A2", "A", "50000.01"), "exceeds_allocation", "data.amount_usd",
            "payment request of 50,000.01 USD exceeds the 50,000.00 USD of proposal \"A\"'s allocation not yet paid "
            "nor requested");
  f.refuses(release("release-A", "A", "50000.01"), "exceeds_undisbursed", "data.amount_usd",
            "release of 50,000.01 USD exceeds the 50,000.00 USD of proposal \"A\"'s allocation not yet paid nor "
            "requested");
  f.append(pay("d-1", "A", "50000.00"));
  // The cash not held for requests: 150,000.00 less 100,000.01.
  f.append(request("r-B1", "B", "0.01"));
  f.refuses(request("r-B", "B", "50000.00"), "insufficient_cash", "data.amount_usd",
            "payment request of 50,000.00 USD exceeds the cash on hand not held for requested payments of 49,999.99 "
            "USD");
  f.refuses(pay("d-B", "B", "50000.00"), "insufficient_cash", "data.amount_usd",
            "disbursement of 50,000.00 USD exceeds the cash on hand not held for requested payments of 49,999.99 USD");
  f.append(cancel("r-B1"));
  f.append(request("r-B", "B", "50000.00"));
  const json fund = f.fund_view();
  CHECK(fund["cash"] == "150000.00");
  CHECK(fund["requested_not_paid"] == "150000.00");
  CHECK(fund["undisbursed"] == "150000.00");
  const json proposal = f.view(ViewKind::kProposal, "A");
  CHECK(proposal["requested_not_paid"] == "100000.00");
  CHECK(proposal["requests"] == json::parse(R"([{"disbursement":"r-A","proposal":"A","amount_usd":"100000.00",
        "requested_on":"2014-10-20","seq":13,"requested_by":"manager:alice"}])"));
  CHECK(a["requested_not_paid"] == "100000.00");
}

TEST_CASE("a request is cancelled once, on or after its day, and its id is never requested again: not_requested, "
          "invalid_dates, duplicate",
          "[rules][dual]") {
  Fund f;
  with_approvals(f, "50000.00");
  f.refuses(cancel("r-1"), "not_requested", "data.disbursement", "no payment \"r-1\" is requested and waiting");
  f.append(request("r-1", "A", "60000.00"));
  f.refuses(cancel("r-1", "2014-10-19"), "invalid_dates", "data.cancelled_on",
            "cancelled_on 2014-10-19 is before payment \"r-1\" was requested on 2014-10-20");
  f.append(cancel("r-1", "2014-10-20"));
  CHECK(f.fund_view()["requested_not_paid"] == "0.00");
  CHECK(f.fund_view()["counts"]["cancellations"] == 1);
  f.refuses(cancel("r-1"), "not_requested", "data.disbursement", "no payment \"r-1\" is requested and waiting");
  f.actor = "manager:bob";
  f.refuses(pay("r-1", "A", "60000.00"), "not_requested", "data.amount_usd",
            "a payment of 60,000.00 USD is first requested by one manager and made by another: the terms from "
            "2014-01-01 ask it of payments of 50,000.00 USD or more");
  f.refuses(request("r-1", "A", "60000.00", "2014-10-22"), "duplicate", "data.disbursement",
            "payment \"r-1\" was already requested");
  f.refuses(request("r-2", "A", "1.00", "2014-10-14"), "invalid_dates", "data.requested_on",
            "requested_on 2014-10-14 is before proposal \"A\" was approved on 2014-10-15");
}

TEST_CASE("managers requesting, making and cancelling payments at once never pay out money a request holds",
          "[rules][dual][slow]") {
  Fund f;
  with_approvals(f, "1.00");
  // Eight managers, each requesting payments of A's and B's allocation and
  // making or cancelling the requests of the manager before it, all at
  // once: however the writer orders them, no payment passes what is
  // approved, and every request is paid or cancelled at most once.
  constexpr int kManagers = 8, kRounds = 30;
  // Decoded up front: Catch's assertions are for the main thread only.
  std::vector<std::vector<std::vector<Draft>>> requests(kManagers);
  for (int m = 0; m < kManagers; ++m) {
    for (int i = 0; i < kRounds; ++i) {
      const std::string proposal_id = i % 2 == 0 ? "A" : "B";
      const std::string mine = "r-" + std::to_string(m) + "-" + std::to_string(i);
      const std::string theirs = "r-" + std::to_string((m + kManagers - 1) % kManagers) + "-" + std::to_string(i);
      requests[m].push_back(test::drafts(request(mine, proposal_id, "2500.00")));
      requests[m].push_back(test::drafts(i % 3 == 0 ? cancel(theirs) : pay(theirs, proposal_id, "2500.00")));
    }
  }
  std::vector<std::vector<AppendResult>> results(kManagers);
  std::vector<std::thread> threads;
  for (int m = 0; m < kManagers; ++m) {
    threads.emplace_back([&, m] {
      for (std::vector<Draft>& drafts : requests[m]) {
        results[m].push_back(f.writer->append(std::move(drafts), "manager:m" + std::to_string(m)));
      }
    });
  }
  for (auto& t : threads) t.join();
  int landed = 0;
  for (const auto& per_manager : results) {
    for (const AppendResult& r : per_manager) {
      if (r.status.is_ok()) {
        ++landed;
        continue;
      }
      // The only refusals: no money left to request or pay, or a request
      // not (yet, or any longer) waiting.
      const std::string code(code_name(r.status.code()));
      CHECK((code == "exceeds_allocation" || code == "insufficient_cash" || code == "not_requested"));
    }
  }
  CHECK(landed >= kManagers);
  const json fund = f.fund_view();
  CHECK(fund["approved"] == "200000.00");
  const json a = f.view(ViewKind::kProposal, "A"), b = f.view(ViewKind::kProposal, "B");
  for (const json& p : {a, b}) {
    CHECK(cents(p["disbursed"]) + cents(p["requested_not_paid"]) <= cents(p["approved"]));
  }
  Result<VerifyReport> report = verify_log(*f.store);
  REQUIRE(report.is_ok());
  CHECK(report->ok());
}

}  // namespace
}  // namespace fundledger
