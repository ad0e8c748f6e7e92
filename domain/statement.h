#pragma once
// Business dates and the fund's periods: which events a view as of a day
// holds, and the statement of sources and uses for a period, in the shape
// of the UN MPTF Office's funding-status table: opening cash, what came in
// by donor, what went out by call, programme and region, closing cash, the
// commitments made and still unpaid, the unallocated money, and the
// pledges. Periods are of business dates, both days included; the events
// are those of the log up to a seq, so a late entry moves into its period
// and the statement still names the log it came from.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/data_view.h"
#include "domain/event.h"
#include "domain/state.h"
#include "util/status.h"

namespace fundledger {

// Whether an event with business date `date` stands in a view as of day
// `day`: when it happened on or before that day. Registrations and access
// events, which move no money and which later entries rest on, stand in
// every such view.
bool in_view_of_day(EventType type, std::string_view date, std::string_view day);

// Whether what event `seq` of `type` rests on stands in `state`, a fund of
// the events chosen by date: always for a log the rules let in, every dated
// event dated on or after what it rests on; not for one recorded before
// that rule that breaks it (verify refuses it too). Refusals:
// rule_violation, naming the event.
Status rests_on_present(const FundState& state, std::uint64_t seq, EventType type, const DataView& data);

// Days from..to of business dates, both included, and the name the fund
// gives them: "2014" (a calendar year), "2014-2015" (a biennium) or
// "2014-03-01..2014-06-30".
struct Period {
  std::string name;
  std::string from;
  std::string to;
};
// A year or a biennium by its name. Refusals: invalid_period.
Result<Period> named_period(std::string_view name);
// Any range; named as a year or a biennium when it is one. Refusals:
// invalid_period (a day that is not a date, from after to).
Result<Period> period_between(std::string_view from, std::string_view to);

// Every business date there is: the period of a statement of the whole
// log, named "the whole log".
Period whole_log_period();

// A rendered statement as one CSV table, a line per figure:
// `line,id,currency,amount` ("source_usd,NOR,USD,230000.00" and
// "source,NOR,NOK,2000000.00": a donor's gifts credited in USD and in its
// own currency,
// "use_by_region,AFR,USD,400000.00", "cash_at_month_end,2015-03,USD,...").
// Its ids are business ids, region codes and months, which need no quoting.
std::string statement_csv(const nlohmann::json& statement);
inline constexpr std::string_view kStatementCsvHeader = "line,id,currency,amount\r\n";

// The figures of a statement that tie to one another, in US cents.
struct StatementFigures {
  std::int64_t opening_cash = 0;
  std::int64_t sources = 0;  // contributions and other income
  std::int64_t uses = 0;     // payments less refunds, and costs
  std::int64_t closing_cash = 0;
  std::int64_t undisbursed = 0;  // commitments not yet paid at the period's end
  std::int64_t unallocated = 0;
};

// Builds a statement from the log's events in seq order.
class StatementBuilder {
 public:
  // `recorded_after`: list the period's events recorded after this seq
  // (nullopt: list none).
  StatementBuilder(Period period, std::optional<std::uint64_t> recorded_after);

  // Event `seq` of the log; events come in seq order, each once.
  // Refusals: those of rests_on_present.
  Status add(std::uint64_t seq, EventType type, const DataView& data, std::string_view id,
             std::string_view recorded_at);

  // Whether the statement's figures tie: closing cash is opening cash plus
  // sources less uses, and is the fund's cash on the period's last day,
  // which is the unallocated money plus the commitments not yet paid; the
  // uses by call, by programme and by region each add up to the uses; and
  // the cash at the last month's end is the closing cash. Refusals:
  // invariant_broken, naming the first that does not (verify's replay).
  Status check() const;

  // The figures that tie, as check() computes them.
  StatementFigures figures() const;

  // The statement, its identities checked (FL_CHECK of check()).
  nlohmann::json render() const;

  // The calendar years from the first dated event added to the last
  // (nullopt when none): a period that holds every event added, for a
  // builder of whole_log_period().
  std::optional<Period> years_of_events() const;
  // Takes `period` as the statement's own, for a builder of
  // whole_log_period(); it must hold every event added (FL_CHECK), so that
  // no figure moves.
  void narrow_to(Period period);

  // The first and last business dates of the dated events added ("" when
  // none).
  const std::string& first_date() const { return first_date_; }
  const std::string& last_date() const { return last_date_; }

  // The fund as of the period's last day, of the events added so far.
  const FundState& state_at_end() const { return state_; }

 private:
  // Money that moved, in US cents (currencies in their minor units).
  struct DonorSources {
    std::int64_t usd = 0;
    std::int64_t contributions = 0;  // net of reversals
    std::map<std::string, std::int64_t> by_currency;
  };
  struct PledgeFlows {
    std::int64_t made = 0;
    std::int64_t written_off = 0;
  };
  struct Flows {
    std::map<std::string, DonorSources> sources;  // by donor
    std::int64_t disbursed = 0;
    std::int64_t refunded = 0;
    std::map<std::string, std::int64_t> uses_by_call, uses_by_programme;
    std::array<std::int64_t, kRegionCount> uses_by_region{};
    std::int64_t approved = 0;
    std::int64_t released = 0;
    std::map<std::string, std::map<std::string, PledgeFlows>> pledges;  // donor -> currency
    std::map<std::string, std::int64_t> cash_by_month;  // "2015-03" -> net cash in
    std::map<std::string, std::int64_t> income, costs;  // by kind
  };
  struct Late {
    std::uint64_t seq;
    std::string id;
    EventType type;
    std::string date;
    std::string recorded_at;
  };

  // What event `type` (or its reversal, `sign` -1) did to the money.
  void count(EventType type, const DataView& d, std::int64_t sign, std::string_view date);
  void count_money_out(EventType type, const DataView& d, std::int64_t sign, std::string_view date);
  void count_income_or_cost(EventType type, const DataView& d, std::int64_t sign, std::string_view date);
  // Payments less refunds: the uses by call, programme and region.
  std::int64_t transfers() const;
  nlohmann::json sources_json() const;
  nlohmann::json uses_json() const;
  nlohmann::json pledges_json() const;
  nlohmann::json months_json() const;

  Period period_;
  std::optional<std::uint64_t> recorded_after_;
  FundState state_;
  std::int64_t opening_cash_ = 0;
  Flows flows_;
  std::vector<Late> late_;
  std::string first_date_, last_date_;
};

}  // namespace fundledger
