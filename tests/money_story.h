#pragma once
// The fund of the money tests, told as the Secretariat would: the terms
// take 1% of every contribution from 2015 and put payments of 100,000.00
// USD or more under dual control; China gives in 2014 and 2016, Norway in
// 2015; interest comes in, an evaluation and bank charges go out; manager
// alice requests the first tranche to Kenya's project (p1) and manager bob
// makes it; a second request is cancelled, a third still waits at the
// year's end. 21 events: 1-16 and 18-21 by alice, 17 by bob.

#include <string>

#include <nlohmann/json.hpp>

#include "tests/event_lines.h"
#include "tests/support.h"

namespace fundledger::test::money_story {

using event_lines::event;
using nlohmann::json;

inline std::string gift(const std::string& id, const std::string& donor_id, const std::string& amount,
                 const std::string& currency, const std::string& usd, const std::string& on) {
  return event(id, "contribution.received",
               {{"contribution", id}, {"donor", donor_id}, {"amount", amount}, {"currency", currency}, {"usd", usd},
                {"received_on", on}});
}

inline std::string submit(const std::string& id, const std::string& country, const std::string& region,
                   const std::string& usd, const std::string& on) {
  return event("submit-" + id, "proposal.submitted",
               {{"proposal", id}, {"call", "c-2015"}, {"applicant", "Applicant " + id}, {"country", country},
                {"region", region}, {"requested_usd", usd}, {"submitted_on", on}});
}

inline std::string approve(const std::string& id, const std::string& usd) {
  return event("approve-" + id, "proposal.approved",
               {{"proposal", id}, {"approved_usd", usd}, {"decision", "BD-2015-2"}, {"decided_on", "2015-05-10"}});
}

inline std::string request(const std::string& id, const std::string& usd, const std::string& on) {
  return event("request-" + id, "disbursement.requested",
               {{"disbursement", id}, {"proposal", "p1"}, {"amount_usd", usd}, {"requested_on", on}});
}

inline std::string pay(const std::string& id, const std::string& proposal_id, const std::string& usd, const std::string& on) {
  return event("pay-" + id, "disbursement.made",
               {{"disbursement", id}, {"proposal", proposal_id}, {"amount_usd", usd}, {"paid_on", on}});
}

// Events 1-18, by alice: up to her request of p1's first tranche.
inline std::string to_first_request() {
  using namespace event_lines;
  return lines({programme("spp"),
                event("donor-NOR", "donor.registered", {{"donor", "NOR"}, {"name", "Norway"}, {"kind", "government"}}),
                event("donor-CHN", "donor.registered", {{"donor", "CHN"}, {"name", "China"}, {"kind", "government"}}),
                terms("2015-01-01", {{"admin_fee_bps", "100"}, {"dual_control_usd", "100000.00"}}),
                gift("c-chn-2014", "CHN", "500000.00", "USD", "500000.00", "2014-11-01"),
                gift("c-nor-2015", "NOR", "2000000.00", "NOK", "250000.00", "2015-02-10"),
                decision("BD-2015-1", "call", "2015-02-20"),
                event("open-c-2015", "call.opened",
                      {{"call", "c-2015"}, {"title", "Call 2015"}, {"programme", "spp"}, {"budget_usd", "600000.00"},
                       {"opened_on", "2015-03-01"}, {"closes_on", "2015-04-30"}, {"decision", "BD-2015-1"}}),
                submit("p1", "KEN", "AFR", "300000.00", "2015-03-15"),
                submit("p2", "CHL", "GRULAC", "200000.00", "2015-03-20"),
                decision("BD-2015-2", "approval", "2015-05-10"), approve("p1", "300000.00"),
                approve("p2", "150000.00"), income("i-2015-q2", "interest", "1200.00", "2015-06-30"),
                cost("x-eval", "direct_cost", "8000.00", "2015-07-15"), cost("x-bank", "bank_charge", "45.50", "2015-07-31"),
                pay("d-p2-1", "p2", "60000.00", "2015-08-01"), request("d-p1-1", "150000.00", "2015-08-10")});
}

// Event 19, by bob: the first tranche paid.
inline const std::string kSecondManager = pay("d-p1-1", "p1", "150000.00", "2015-08-12");

// Events 20-23, by alice: a request cancelled, one left waiting, and
// China's gift of 2016.
inline std::string after_payment() {
  using namespace event_lines;
  return lines({request("d-p1-2", "150000.00", "2015-09-01"),
                event("cancel-d-p1-2", "disbursement.cancelled",
                      {{"disbursement", "d-p1-2"}, {"cancelled_on", "2015-09-03"},
                       {"reason", "The grantee asked to wait for its second report"}}),
                request("d-p1-3", "100000.00", "2015-12-01"),
                gift("c-chn-2016", "CHN", "100000.00", "USD", "100000.00", "2016-01-15")});
}

// The whole story in `ledger`, each part by its manager.
inline void record(Ledger& ledger) {
  ledger.actor = "manager:alice";
  ledger.append(to_first_request());
  ledger.actor = "manager:bob";
  ledger.append(kSecondManager);
  ledger.actor = "manager:alice";
  ledger.append(after_payment());
}

}  // namespace fundledger::test::money_story
