#pragma once
// The illustrative ledger of `fundledger demo` and tools/run-demo: the trust
// fund of DOMAIN.md, with the figures its sources give (the six programmes,
// the five regions, Japan's and Brazil's pledges of June 2014, USD 650,000
// received by mid-2014, the first call on sustainable public procurement)
// and invented figures where the sources give none (who paid the 650,000,
// the grants, the payments). The README lists which are which.

#include <string_view>

namespace fundledger {

// One event per line, as a client would send them.
std::string_view demo_events_jsonl();

}  // namespace fundledger
