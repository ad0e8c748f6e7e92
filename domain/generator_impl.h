#pragma once
// The generator's state and its steps (domain/generator.h), shared by
// generator.cc (registrations, pledges, contributions, calls, proposals
// and decisions) and generator_money.cc (payments and their requests,
// refunds, releases, other income, costs and reversals).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/generator.h"
#include "domain/generator_data.h"
#include "domain/money.h"

namespace fundledger {

class Generator::Impl {
 public:
  explicit Impl(const GeneratorOptions& o);
  std::string next();
  std::uint64_t count() const { return count_; }

 private:
  using Call = generator::Call;
  using Donor = generator::Donor;
  using Pledge = generator::Pledge;
  using Proposal = generator::Proposal;
  using Rng = generator::Rng;

  // An event a reversal may take back: its seq, type and data (with a
  // write-off's currency and donor), and what it moved.
  struct Candidate {
    std::uint64_t seq = 0;
    std::string type;
    nlohmann::json data;
    std::optional<std::size_t> pledge, proposal;
    std::int64_t amount = 0;  // in the pledge's currency
    std::int64_t cents = 0;   // in US cents; a contribution's less its fee
  };
  static constexpr std::ptrdiff_t kCandidatesMax = 8;  // of each type
  int today() const { return static_cast<int>(start_day_ + minutes_ / 1440); }
  std::string date(int day) const;
  std::string usd(std::int64_t cents) const { return format_amount(cents, kUsdMinorUnits); }
  void make(nlohmann::json& e);
  void set(nlohmann::json& e, std::string_view type, nlohmann::json data);

  // The fund's terms, once its first donors are there: the administrative
  // agent's fee of 1% that many trust funds pay, and no restriction on
  // countries.
  void set_terms(nlohmann::json& e);
  // The Board: two members from each regional group, appointed for two
  // years, a new Board as each term ends, one appointment an event; now
  // and then a seat shared with another country of the group. False when
  // the Board in office has all its members.
  bool appoint_member(nlohmann::json& e);
  // Now and then a member of the Board in office leaves before its term
  // ends; its seat stays empty until the next Board.
  bool member_leaves(nlohmann::json& e);
  void register_programme(nlohmann::json& e);
  void register_donor(nlohmann::json& e);

  // Minor units of the donor's currency worth about `cents` US cents.
  static std::int64_t from_usd(const Donor& d, std::int64_t cents);
  static std::int64_t to_usd(const Donor& d, std::int64_t minor);
  void record_pledge(nlohmann::json& e);
  bool write_off(nlohmann::json& e);
  bool receive_contribution(nlohmann::json& e);
  void open_call(nlohmann::json& e);
  bool close_call(nlohmann::json& e);
  void close(nlohmann::json& e, std::size_t i);
  bool submit_proposal(nlohmann::json& e);
  // The Board's decision of today for `kind` (call or approval), which a
  // call or a decision on a proposal rests on. When the Board has not met
  // on it today, this step records the decision instead and gives nullopt.
  std::optional<std::string> board_decision(nlohmann::json& e, std::string_view kind);
  bool approve(nlohmann::json& e);
  bool reject(nlohmann::json& e);
  // A proposal with money approved and not yet paid, and how much of it is
  // neither paid nor requested; nullopt when none, or nothing of it is free.
  std::optional<std::pair<std::size_t, std::int64_t>> unpaid_proposal();
  bool disburse(nlohmann::json& e);

  // Interest on the fund's account now and then, income from its
  // investments, or a gift that is not a contribution.
  void receive_income(nlohmann::json& e);

  // Bank charges most often, now and then a direct cost of the fund or
  // another charge, never beyond the money the Board has not allocated.
  bool charge_cost(nlohmann::json& e);

  // The first step of a payment under dual control, for what is left of a
  // grant. A generated stream is recorded by one manager, who may not make
  // the payment too: each request is cancelled a little later (the
  // grantee's bank details changed) rather than made.
  bool request_payment(nlohmann::json& e);
  bool cancel_request(nlohmann::json& e);
  bool refund(nlohmann::json& e);
  bool release(nlohmann::json& e);

  // Whether the fund can take back `c` now, as the rules of a reversal ask.
  bool reversible(const Candidate& c) const;

  // A correction of a recent contribution, write-off or payment, with the
  // facts the ledger would copy from it.
  bool reverse(nlohmann::json& e);

  Rng rng_;
  std::optional<Candidate> made_;       // set by the event being made, when reversible
  std::vector<Candidate> candidates_;   // the latest of each type, oldest first
  std::int64_t start_day_ = 0;
  std::int64_t minutes_ = 0;
  std::uint64_t count_ = 0;
  std::size_t programmes_ = 0;
  std::vector<Donor> donors_;
  std::vector<Pledge> pledges_;
  std::uint64_t pledges_made_ = 0;
  std::vector<Call> calls_;
  std::vector<Proposal> proposals_;
  std::vector<std::size_t> open_pledges_, open_calls_, undecided_, undisbursed_, paid_;
  std::uint64_t contributions_ = 0, decisions_ = 0, disbursements_ = 0, refunds_ = 0, incomes_ = 0, costs_ = 0;
  bool terms_set_ = false;
  struct Meeting {
    int day = -1;
    std::string decision;
  };
  Meeting call_meeting_, approval_meeting_;  // the latest decision of each kind
  struct Seat {
    std::string_view country, shared_with;
    std::size_t region;
    int seat;
  };
  std::vector<Seat> board_to_appoint_;
  int board_from_ = 0, board_to_ = -1;  // the term of the Board in office, as days
  std::uint64_t members_ = 0;
  std::vector<std::string> sitting_;  // the Board in office's members who have not left
  struct PendingRequest {
    std::string id;
    std::size_t proposal;
    std::int64_t amount;
  };
  std::vector<PendingRequest> pending_requests_;
  std::uint64_t payment_requests_ = 0;
  std::int64_t fee_bps_ = 0;
  // The fund, in US cents; received_ is what it has to spend, contributions
  // and income less costs.
  std::int64_t received_ = 0, approved_ = 0, disbursed_ = 0;
};

}  // namespace fundledger
