#pragma once
// The fund of the statement tests, told as the Secretariat's finance
// officer would: Norway (in NOK), China (in USD) and the United Kingdom (in
// GBP) give over 2014-2016, call c-2014 pays proposals p1 (AFR) and p2
// (APG), p2 refunds 20,000.00 USD, Norway writes 1,000,000.00 NOK off its
// pledge. Events 1-22 are what the Board's 2015 statement was made from;
// kLate, event 23, is a Norwegian contribution received on 2015-12-20 and
// recorded in 2016.

#include <string>

#include "tests/event_lines.h"

namespace fundledger::test::story {

using event_lines::event;
using nlohmann::json;

inline std::string donor(const std::string& id, const std::string& name) {
  return event("donor-" + id, "donor.registered", {{"donor", id}, {"name", name}, {"kind", "government"}});
}

inline std::string pledge(const std::string& id, const std::string& donor, const std::string& amount,
                   const std::string& currency, const std::string& on) {
  return event(id, "pledge.recorded",
               {{"pledge", id}, {"donor", donor}, {"amount", amount}, {"currency", currency}, {"pledged_on", on}});
}

inline std::string gift(const std::string& id, const std::string& donor, const std::string& pledge, const std::string& amount,
                 const std::string& currency, const std::string& usd, const std::string& on) {
  json data = {{"contribution", id}, {"donor", donor},  {"amount", amount},
               {"currency", currency}, {"usd", usd}, {"received_on", on}};
  if (!pledge.empty()) data["pledge"] = pledge;
  return event(id, "contribution.received", data);
}

inline std::string submit(const std::string& id, const std::string& region, const std::string& usd, const std::string& on) {
  return event("submit-" + id, "proposal.submitted",
               {{"proposal", id}, {"call", "c-2014"}, {"applicant", "Applicant " + id}, {"country", "KEN"},
                {"region", region}, {"requested_usd", usd}, {"submitted_on", on}});
}

inline std::string approve(const std::string& id, const std::string& usd) {
  return event("approve-" + id, "proposal.approved",
               {{"proposal", id}, {"approved_usd", usd}, {"decision", "BD-2014-2"}, {"decided_on", "2014-09-01"}});
}

inline std::string pay(const std::string& id, const std::string& proposal, const std::string& usd, const std::string& on) {
  return event(id, "disbursement.made",
               {{"disbursement", id}, {"proposal", proposal}, {"amount_usd", usd}, {"paid_on", on}});
}

// Events 1-22: what the Board's 2015 statement was made from.
inline std::string fund_to_2016() {
  return test::event_lines::lines({
      event("prog-spp", "programme.registered", {{"programme", "spp"}, {"name", "South-South projects"}}),
      donor("NOR", "Norway"),
      donor("CHN", "China"),
      pledge("p-nor", "NOR", "10000000.00", "NOK", "2014-01-15"),
      pledge("p-chn", "CHN", "1000000.00", "USD", "2014-02-01"),
      gift("c-nor-1", "NOR", "p-nor", "5000000.00", "NOK", "800000.00", "2014-03-10"),
      gift("c-chn-1", "CHN", "p-chn", "500000.00", "USD", "500000.00", "2014-04-01"),
      test::event_lines::decision("BD-2014-1", "call", "2014-04-15"),
      event("open-c-2014", "call.opened",
            {{"call", "c-2014"}, {"title", "Call 2014"}, {"programme", "spp"}, {"budget_usd", "1000000.00"},
             {"opened_on", "2014-05-01"}, {"closes_on", "2014-07-31"}, {"decision", "BD-2014-1"}}),
      submit("p1", "AFR", "400000.00", "2014-06-01"),
      submit("p2", "APG", "300000.00", "2014-06-15"),
      test::event_lines::decision("BD-2014-2", "approval", "2014-09-01"),
      approve("p1", "400000.00"),
      approve("p2", "250000.00"),
      pay("d1", "p1", "200000.00", "2014-10-01"),
      donor("GBR", "United Kingdom"),
      gift("c-gbr-1", "GBR", "", "100000.00", "GBP", "155000.00", "2015-03-01"),
      pay("d2", "p1", "200000.00", "2015-04-01"),
      pay("d3", "p2", "250000.00", "2015-05-01"),
      event("r1", "refund.received",
            {{"refund", "r1"}, {"proposal", "p2"}, {"amount_usd", "20000.00"}, {"received_on", "2015-11-01"}}),
      event("wo-nor", "pledge.written_off",
            {{"pledge", "p-nor"}, {"amount", "1000000.00"}, {"written_off_on", "2015-12-15"},
             {"reason", "Parliament cut the appropriation"}}),
      gift("c-chn-2", "CHN", "p-chn", "500000.00", "USD", "500000.00", "2016-02-01"),
  });
}

// The contribution received on 2015-12-20 and recorded in 2016: event 23.
inline const std::string kLate = gift("c-nor-2", "NOR", "p-nor", "2000000.00", "NOK", "230000.00", "2015-12-20");

}  // namespace fundledger::test::story
