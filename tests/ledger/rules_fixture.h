#pragma once
// A small fund recorded by hand, whose refusals are checked whole: the
// code, the field, the message, and the ledger exactly as it was. The
// rules' boundary tests share it (rules_test.cc, reversal_test.cc).

#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/views.h"
#include "tests/event_lines.h"
#include "tests/support.h"

namespace fundledger::test {

// A ledger whose refusals are checked whole.
struct Fund : Ledger {
  nlohmann::json view(ViewKind kind, const std::string& id) {
    nlohmann::json out;
    REQUIRE(writer
                ->read_state([&](const FundState& state, const Head&) {
                  out = *render_view(state, kind, id);
                })
                .is_ok());
    return out;
  }

  nlohmann::json fund_view() { return view(ViewKind::kFund, ""); }

  // The data of stored event `seq`.
  nlohmann::json event_data(std::uint64_t seq) {
    const auto bytes = store->reader()->event(seq);
    REQUIRE(bytes.is_ok());
    REQUIRE(bytes->has_value());
    return nlohmann::json::parse(**bytes)["data"];
  }

  // Requires `jsonl` to be refused with exactly this code, field and
  // message, and the ledger to be exactly as it was.
  void refuses(const std::string& jsonl, const std::string& code, const std::string& field,
               const std::string& message) {
    const Head head = store->head();
    const nlohmann::json before = fund_view();
    const AppendResult r = try_append(jsonl);
    INFO(jsonl);
    CHECK(code_name(r.status.code()) == code);
    CHECK(r.status.field() == field);
    CHECK(r.status.message() == message);
    CHECK(r.receipts.empty());
    CHECK(store->head() == head);
    CHECK(fund_view() == before);
  }

  // A fund with programme "spp", donors JPN and USA, 200,000.00 USD
  // received from USA (seqs 1 to 4), and the Board's decisions BD-2014-1
  // and BD-2014-3 (seqs 5 and 6).
  void with_cash() {
    using namespace event_lines;
    append(lines({programme("spp"), donor("JPN"), donor("USA"),
                  contribution("c-usa", "USA", "", "200000.00", "USD", "200000.00")}) +
           board_decisions());
  }
};

}  // namespace fundledger::test
