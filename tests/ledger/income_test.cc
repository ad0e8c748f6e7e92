// The fund's other income and its costs (income.received, cost.charged):
// what they do to the fund's figures, and each refusal at its boundary, the
// largest amount that passes and one cent more.

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/exports.h"
#include "ledger/replay.h"
#include "tests/event_lines.h"
#include "tests/ledger/rules_fixture.h"

namespace fundledger {
namespace {

using nlohmann::json;
using namespace test::event_lines;
using test::Fund;

// 200,000.00 USD received, 150,000.00 approved to proposal A, 50,000.00 of
// it paid: cash 150,000.00, unallocated 50,000.00, 100,000.00 allocated
// and not yet paid.
void with_allocation(Fund& f) {
  f.with_cash();
  f.append(lines({call("C1", "1000000.00"), proposal("A", "C1", "150000.00"), approval("approve-A", "A", "150000.00"),
                  disbursement("d-A-1", "A", "50000.00")}));
}

TEST_CASE("income adds to the cash and to the unallocated money, by kind", "[rules]") {
  Fund f;
  with_allocation(f);
  f.append(lines({income("i-1", "interest", "1234.56"), income("i-2", "investment", "100.00"),
                  income("i-3", "interest", "0.44")}));
  const json fund = f.fund_view();
  CHECK(fund["received"] == "200000.00");
  CHECK(fund["income"] == json{{"total", "1335.00"},
                               {"by_kind", {{"interest", "1235.00"}, {"investment", "100.00"}, {"other", "0.00"}}}});
  CHECK(fund["cash"] == "151335.00");
  CHECK(fund["unallocated"] == "51335.00");
  CHECK(fund["undisbursed"] == "100000.00");
  CHECK(fund["counts"]["income"] == 3);
  CHECK(fund["counts"]["costs"] == 0);
}

TEST_CASE("a cost up to the cash passes that rule, a cent more is refused: insufficient_cash; up to the "
          "unallocated money passes, a cent more is refused: insufficient_funds",
          "[rules]") {
  Fund f;
  with_allocation(f);
  f.append(income("i-1", "interest", "1234.56"));
  f.refuses(cost("x-1", "direct_cost", "151234.57"), "insufficient_cash", "data.amount_usd",
            "cost of 151,234.57 USD exceeds the cash on hand of 151,234.56 USD");
  f.refuses(cost("x-1", "direct_cost", "151234.56"), "insufficient_funds", "data.amount_usd",
            "cost of 151,234.56 USD exceeds the fund's unallocated 51,234.56 USD (100,000.00 USD of the cash is "
            "allocated and not yet paid)");
  f.refuses(cost("x-1", "direct_cost", "51234.57"), "insufficient_funds", "data.amount_usd",
            "cost of 51,234.57 USD exceeds the fund's unallocated 51,234.56 USD (100,000.00 USD of the cash is "
            "allocated and not yet paid)");
  f.append(cost("x-1", "direct_cost", "51200.00"));
  f.append(cost("x-2", "bank_charge", "34.56"));
  json fund = f.fund_view();
  CHECK(fund["costs"] == json{{"total", "51234.56"},
                              {"by_kind",
                               {{"admin_fee", "0.00"}, {"direct_cost", "51200.00"}, {"bank_charge", "34.56"},
                                {"other", "0.00"}}}});
  CHECK(fund["cash"] == "100000.00");
  CHECK(fund["unallocated"] == "0.00");
  CHECK(fund["counts"]["costs"] == 2);
  // Nothing is left to approve or to charge; the allocation is still paid.
  f.refuses(cost("x-3", "bank_charge", "0.01"), "insufficient_funds", "data.amount_usd",
            "cost of 0.01 USD exceeds the fund's unallocated 0.00 USD (100,000.00 USD of the cash is allocated and "
            "not yet paid)");
  f.append(disbursement("d-A-2", "A", "100000.00"));
  fund = f.fund_view();
  CHECK(fund["cash"] == "0.00");
  CHECK(fund["disbursed"] == "150000.00");
}

TEST_CASE("an income or a cost id is recorded once: duplicate", "[rules]") {
  Fund f;
  f.with_cash();
  f.append(lines({income("i-1", "interest", "10.00"), cost("x-1", "bank_charge", "5.00")}));
  f.refuses(event("again-i", "income.received",
                  {{"income", "i-1"}, {"kind", "other"}, {"amount_usd", "1.00"}, {"received_on", "2015-05-01"}}),
            "duplicate", "data.income", "there is already an income \"i-1\"");
  f.refuses(event("again-x", "cost.charged",
                  {{"cost", "x-1"}, {"kind", "other"}, {"amount_usd", "1.00"}, {"charged_on", "2015-05-01"},
                   {"reason", "Again"}}),
            "duplicate", "data.cost", "there is already a cost \"x-1\"");
}

TEST_CASE("IATI names each income and cost by its kind and reason, the public's by its kind alone", "[exports]") {
  Fund f;
  f.append(lines({donor("USA"), contribution("c-usa", "USA", "", "1000.00", "USD", "1000.00"),
                  income("i-1", "interest", "12.50"), cost("x-bank", "bank_charge", "4.00")}));
  const auto activities = [&](bool for_public) {
    Exporter exporter(ExportFormat::kIati);
    REQUIRE(for_each_event(*f.store->reader(), 4, [&](const Event& e) {
              Event copy = e;
              if (for_public) redact_for_public(copy);
              exporter.add(copy);
            }).to_string() == "ok");
    return exporter.files()[0].content;
  };
  const std::string whole = activities(false);
  CHECK(whole.find("Income i-1 (interest), event 3 (i-1)") != std::string::npos);
  CHECK(whole.find("Cost x-bank (bank_charge: Charged by the fund") != std::string::npos);
  const std::string open = activities(true);
  CHECK(open.find("Cost x-bank (bank_charge), event 4 (x-bank)") != std::string::npos);
  CHECK(open.find("Charged by the fund") == std::string::npos);
}

}  // namespace
}  // namespace fundledger
