#include "domain/statement.h"

#include <cstdio>

#include "domain/formats.h"
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "domain/schema.h"
#include "domain/views.h"
#include "util/check.h"
#include "util/timestamp.h"

namespace fundledger {
namespace {

using json = nlohmann::json;

std::string usd(std::int64_t cents) { return format_amount(cents, kUsdMinorUnits); }

std::string in_currency(std::int64_t minor, std::string_view currency) {
  const auto units = currency_minor_units(currency);
  FL_CHECK(units.has_value());
  return format_amount(minor, *units);
}

// Sums of a period: bounded by what the rules let in, and checked all the
// same.
void add_to(std::int64_t& total, std::int64_t amount) {
  const auto sum = checked_add(total, amount);
  FL_CHECK(sum.has_value());
  total = *sum;
}

std::int64_t minor(const DataView& d, std::string_view field, std::string_view currency) {
  const auto units = currency_minor_units(currency);
  FL_CHECK(units.has_value());
  const Result<std::int64_t> a = parse_amount(d.get(field), *units);
  FL_CHECK(a.is_ok());
  return *a;
}

std::int64_t cents(const DataView& d, std::string_view field) { return minor(d, field, "USD"); }

bool is_year(std::string_view s) {
  if (s.size() != 4) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const int year = std::stoi(std::string(s));
  return year >= kDateYearMin && year <= kDateYearMax;
}

std::int64_t total_of(const std::map<std::string, std::int64_t>& amounts) {
  std::int64_t total = 0;
  for (const auto& [key, a] : amounts) add_to(total, a);
  return total;
}

Status bad_period(std::string message) { return Status::error(Code::kInvalidPeriod, std::move(message), "period"); }

}  // namespace

Status rests_on_present(const FundState& state, std::uint64_t seq, EventType type, const DataView& d) {
  const auto decided = [&](ProposalStatus want) {
    const Proposal* p = state.proposal(d.get("proposal"));
    return p != nullptr && p->status == want;
  };
  bool present = true;
  switch (type) {
    case EventType::kPledgeWrittenOff: present = !state.pledge_owner(d.get("pledge")).empty(); break;
    case EventType::kContributionReceived: present = !d.has("pledge") || !state.pledge_owner(d.get("pledge")).empty(); break;
    case EventType::kCallOpened: present = state.decision(d.get("decision")) != nullptr; break;
    case EventType::kCallClosed:
    case EventType::kProposalSubmitted: present = state.call(d.get("call")) != nullptr; break;
    case EventType::kProposalApproved:
    case EventType::kProposalRejected:
      present = decided(ProposalStatus::kSubmitted) && state.decision(d.get("decision")) != nullptr;
      break;
    case EventType::kDisbursementMade:
    case EventType::kRefundReceived:
    case EventType::kAllocationReleased: present = decided(ProposalStatus::kApproved); break;
    case EventType::kDisbursementRequested: present = decided(ProposalStatus::kApproved); break;
    case EventType::kDisbursementCancelled:
      present = state.totals().requests.contains(std::string(d.get("disbursement")));
      break;
    case EventType::kBoardMemberLeft: present = state.member(d.get("member")) != nullptr; break;
    case EventType::kEntryReversed:
      present = d.has("proposal") ? decided(ProposalStatus::kApproved)
                                  : !d.has("pledge") || !state.pledge_owner(d.get("pledge")).empty();
      break;
    default: break;
  }
  if (present) return Status::ok();
  return Status::error(Code::kRuleViolation,
                       "event " + std::to_string(seq) + " (" + std::string(event_type_name(type)) + ", dated " +
                           std::string(business_date(type, d, "")) +
                           ") is dated before what it rests on, so no view by date can hold it; fundledger verify "
                           "names the rule it breaks");
}

bool in_view_of_day(EventType type, std::string_view date, std::string_view day) {
  return date_field(type).empty() || date <= day;
}

Result<Period> named_period(std::string_view name) {
  if (is_year(name)) return Period{std::string(name), std::string(name) + "-01-01", std::string(name) + "-12-31"};
  const std::string_view first = name.substr(0, 4);
  if (name.size() == 9 && name[4] == '-' && is_year(first) && is_year(name.substr(5)) &&
      std::stoi(std::string(name.substr(5))) == std::stoi(std::string(first)) + 1) {
    return Period{std::string(name), std::string(first) + "-01-01", std::string(name.substr(5)) + "-12-31"};
  }
  return bad_period("\"" + std::string(name) +
                    "\" is not a period: a year (2014), a biennium (2014-2015) or from and to dates");
}

Result<Period> period_between(std::string_view from, std::string_view to) {
  for (std::string_view day : {from, to}) {
    if (!is_business_date(day)) return bad_period("\"" + std::string(day) + "\" is not a date YYYY-MM-DD");
  }
  if (from > to) return bad_period("the period starts on " + std::string(from) + ", after it ends on " + std::string(to));
  const std::string_view y1 = from.substr(0, 4), y2 = to.substr(0, 4);
  if (from.substr(4) == "-01-01" && to.substr(4) == "-12-31") {
    const int years = std::stoi(std::string(y2)) - std::stoi(std::string(y1));
    if (years == 0) return Period{std::string(y1), std::string(from), std::string(to)};
    if (years == 1) return Period{std::string(y1) + "-" + std::string(y2), std::string(from), std::string(to)};
  }
  return Period{std::string(from) + ".." + std::string(to), std::string(from), std::string(to)};
}

Period whole_log_period() {
  return Period{"the whole log", std::to_string(kDateYearMin) + "-01-01", std::to_string(kDateYearMax) + "-12-31"};
}

std::string statement_csv(const json& s) {
  std::string out(kStatementCsvHeader);
  const auto line = [&out](std::string_view what, std::string_view id, std::string_view currency,
                           const json& amount) {
    out += std::string(what) + "," + std::string(id) + "," + std::string(currency) + "," +
           amount.get<std::string>() + "\r\n";
  };
  line("period_from", "", "", s["period"]["from"]);
  line("period_to", "", "", s["period"]["to"]);
  line("opening_cash", "", "USD", s["opening_cash"]);
  for (const auto& [donor, f] : s["sources"]["by_donor"].items()) {
    line("source_usd", donor, "USD", f["usd"]);
    for (const auto& [currency, a] : f["by_currency"].items()) line("source", donor, currency, a);
  }
  for (const auto& [kind, a] : s["sources"]["income"]["by_kind"].items()) line("source_income", kind, "USD", a);
  line("sources_total", "", "USD", s["sources"]["total"]);
  for (const char* by : {"by_call", "by_programme", "by_region"}) {
    for (const auto& [id, a] : s["uses"][by].items()) line(std::string("use_") + by, id, "USD", a);
  }
  line("uses_disbursed", "", "USD", s["uses"]["disbursed"]);
  line("uses_refunded", "", "USD", s["uses"]["refunded"]);
  line("uses_transfers", "", "USD", s["uses"]["transfers"]);
  for (const auto& [kind, a] : s["uses"]["costs"]["by_kind"].items()) line("use_cost", kind, "USD", a);
  line("uses_total", "", "USD", s["uses"]["total"]);
  line("closing_cash", "", "USD", s["closing_cash"]);
  for (const json& m : s["cash_by_month"]) line("cash_at_month_end", m["month"].get<std::string>(), "USD", m["cash"]);
  for (const char* c : {"approved", "released", "refunded", "total", "undisbursed_at_end"}) {
    line(std::string("commitments_") + c, "", "USD", s["commitments"][c]);
  }
  line("unallocated_at_end", "", "USD", s["unallocated_at_end"]);
  for (const auto& [donor, currencies] : s["pledges"]["by_donor"].items()) {
    for (const auto& [currency, f] : currencies.items()) {
      for (const char* p : {"made", "written_off", "outstanding_at_end"}) {
        line(std::string("pledges_") + p, donor, currency, f[p]);
      }
    }
  }
  return out;
}

StatementBuilder::StatementBuilder(Period period, std::optional<std::uint64_t> recorded_after)
    : period_(std::move(period)), recorded_after_(recorded_after) {
  state_.accept_any_sums();
}

Status StatementBuilder::add(std::uint64_t seq, EventType type, const DataView& data, std::string_view id,
                             std::string_view recorded_at) {
  const std::string_view date = business_date(type, data, recorded_at);
  if (!in_view_of_day(type, date, period_.to)) return Status::ok();
  FL_RETURN_IF_ERROR(rests_on_present(state_, seq, type, data));
  const bool registration = date_field(type).empty();
  if (!registration) {
    if (first_date_.empty() || date < first_date_) first_date_ = std::string(date);
    if (date > last_date_) last_date_ = std::string(date);
  }
  if (!registration && recorded_after_ && seq > *recorded_after_ && date >= period_.from) {
    late_.push_back({seq, std::string(id), type, std::string(date), std::string(recorded_at)});
  }
  if (type == EventType::kEntryReversed) {
    const auto reversed = event_type_from_name(data.get("reverses"));
    FL_CHECK(reversed.has_value());
    count(*reversed, data, -1, date);
  } else if (!registration) {
    count(type, data, 1, date);
  }
  state_.set_seq(seq - 1);
  state_.apply(type, data, seq, "");  // who recorded it moves no figure of a statement
  return Status::ok();
}

void StatementBuilder::count(EventType type, const DataView& d, std::int64_t sign, std::string_view date) {
  const bool before = date < period_.from;
  switch (type) {
    case EventType::kContributionReceived: {
      const std::int64_t credited = sign * cents(d, "usd");
      // The administrative agent's fee is a cost of the same day.
      const std::int64_t fee = d.has("admin_fee_usd") ? sign * cents(d, "admin_fee_usd") : 0;
      if (before) return add_to(opening_cash_, credited - fee);
      DonorSources& s = flows_.sources[std::string(d.get("donor"))];
      add_to(s.usd, credited);
      add_to(s.by_currency[std::string(d.get("currency"))], sign * minor(d, "amount", d.get("currency")));
      s.contributions += sign;
      if (fee != 0) add_to(flows_.costs["admin_fee"], fee);
      return add_to(flows_.cash_by_month[std::string(date.substr(0, 7))], credited - fee);
    }
    case EventType::kPledgeRecorded:
    case EventType::kPledgeWrittenOff: {
      if (before) return;
      // A write-off names its pledge alone; its reversal names the donor and currency.
      const std::string_view pledge = d.get("pledge");
      const std::string donor(d.has("donor") ? d.get("donor") : state_.pledge_owner(pledge));
      const Donor* giver = state_.donor(donor);
      FL_CHECK(giver != nullptr);
      const std::string currency(d.has("currency") ? d.get("currency") : giver->pledge(pledge)->currency);
      PledgeFlows& f = flows_.pledges[donor][currency];
      return add_to(type == EventType::kPledgeRecorded ? f.made : f.written_off,
                    sign * minor(d, "amount", currency));
    }
    case EventType::kProposalApproved:
      if (!before) add_to(flows_.approved, cents(d, "approved_usd"));
      return;
    case EventType::kDisbursementMade:
    case EventType::kRefundReceived:
    case EventType::kAllocationReleased:
      return count_money_out(type, d, sign, date);
    case EventType::kIncomeReceived:
    case EventType::kCostCharged:
      return count_income_or_cost(type, d, sign, date);
    default:
      return;
  }
}

void StatementBuilder::count_income_or_cost(EventType type, const DataView& d, std::int64_t sign,
                                            std::string_view date) {
  const std::int64_t a = sign * cents(d, "amount_usd");
  const std::int64_t in = type == EventType::kIncomeReceived ? a : -a;
  if (date < period_.from) return add_to(opening_cash_, in);
  add_to((type == EventType::kIncomeReceived ? flows_.income : flows_.costs)[std::string(d.get("kind"))], a);
  add_to(flows_.cash_by_month[std::string(date.substr(0, 7))], in);
}

std::int64_t StatementBuilder::transfers() const {
  std::int64_t net = flows_.disbursed;
  add_to(net, -flows_.refunded);
  return net;
}

void StatementBuilder::count_money_out(EventType type, const DataView& d, std::int64_t sign, std::string_view date) {
  const std::int64_t a = sign * cents(d, "amount_usd");
  // Cash out: a payment; cash in: a refund.
  const std::int64_t out = type == EventType::kDisbursementMade ? a : type == EventType::kRefundReceived ? -a : 0;
  if (date < period_.from) return add_to(opening_cash_, -out);
  if (type == EventType::kAllocationReleased) return add_to(flows_.released, a);
  add_to(type == EventType::kDisbursementMade ? flows_.disbursed : flows_.refunded, a);
  const Proposal* p = state_.proposal(d.get("proposal"));
  FL_CHECK(p != nullptr);
  const Call* c = state_.call(p->call);
  FL_CHECK(c != nullptr);
  add_to(flows_.uses_by_call[c->id], out);
  add_to(flows_.uses_by_programme[c->programme], out);
  add_to(flows_.uses_by_region[p->region], out);
  add_to(flows_.cash_by_month[std::string(date.substr(0, 7))], -out);
}

json StatementBuilder::sources_json() const {
  std::int64_t total = 0;
  json by_donor = json::object();
  for (const auto& [id, s] : flows_.sources) {
    add_to(total, s.usd);
    json currencies = json::object();
    for (const auto& [currency, amount] : s.by_currency) currencies[currency] = in_currency(amount, currency);
    const Donor* d = state_.donor(id);
    FL_CHECK(d != nullptr);
    by_donor[id] = {{"name", d->name},
                    {"contributions", s.contributions},
                    {"usd", usd(s.usd)},
                    {"by_currency", std::move(currencies)}};
  }
  std::int64_t all = total;
  add_to(all, total_of(flows_.income));
  return {{"contributions", usd(total)},
          {"income", amounts_by_kind(total_of(flows_.income), flows_.income, income_kinds())},
          {"by_donor", std::move(by_donor)},
          {"total", usd(all)}};
}

json StatementBuilder::uses_json() const {
  const auto amounts = [](const std::map<std::string, std::int64_t>& m) {
    json out = json::object();
    for (const auto& [id, a] : m) out[id] = usd(a);
    return out;
  };
  json regions = json::object();
  for (std::size_t r = 0; r < kRegionCount; ++r) regions[std::string(kRegions[r])] = usd(flows_.uses_by_region[r]);
  std::int64_t all = transfers();
  add_to(all, total_of(flows_.costs));
  return {{"disbursed", usd(flows_.disbursed)},
          {"refunded", usd(-flows_.refunded)},
          {"transfers", usd(transfers())},
          {"costs", amounts_by_kind(total_of(flows_.costs), flows_.costs, cost_kinds())},
          {"total", usd(all)},
          {"by_call", amounts(flows_.uses_by_call)},
          {"by_programme", amounts(flows_.uses_by_programme)},
          {"by_region", std::move(regions)}};
}

json StatementBuilder::pledges_json() const {
  json by_donor = json::object();
  for (const Donor* d : state_.donors()) {
    json currencies = json::object();
    const auto flows = flows_.pledges.find(d->id);
    for (const auto& [currency, f] : d->currencies) {
      if (f.pledged == 0) continue;
      PledgeFlows moved;
      if (flows != flows_.pledges.end() && flows->second.contains(currency)) moved = flows->second.at(currency);
      currencies[currency] = {{"made", in_currency(moved.made, currency)},
                              {"written_off", in_currency(moved.written_off, currency)},
                              {"outstanding_at_end", in_currency(f.outstanding, currency)}};
    }
    if (!currencies.empty()) by_donor[d->id] = std::move(currencies);
  }
  return {{"by_donor", std::move(by_donor)}};
}

json StatementBuilder::months_json() const {
  json months = json::array();
  std::int64_t cash = opening_cash_;
  int year = std::stoi(period_.from.substr(0, 4)), month = std::stoi(period_.from.substr(5, 2));
  const std::string last = period_.to.substr(0, 7);
  for (;;) {
    char key[16];
    std::snprintf(key, sizeof key, "%04d-%02d", year, month);
    if (const auto it = flows_.cash_by_month.find(key); it != flows_.cash_by_month.end()) add_to(cash, it->second);
    months.push_back({{"month", key}, {"cash", usd(cash)}});
    if (key == last) break;
    if (++month == 13) {
      month = 1;
      ++year;
    }
  }
  return months;
}

std::optional<Period> StatementBuilder::years_of_events() const {
  if (first_date_.empty()) return std::nullopt;
  Result<Period> years = period_between(first_date_.substr(0, 4) + "-01-01", last_date_.substr(0, 4) + "-12-31");
  FL_CHECK(years.is_ok());
  return *years;
}

void StatementBuilder::narrow_to(Period period) {
  FL_CHECK(opening_cash_ == 0 && period.to <= period_.to);
  FL_CHECK(first_date_.empty() || (period.from <= first_date_ && last_date_ <= period.to));
  period_ = std::move(period);
}

StatementFigures StatementBuilder::figures() const {
  const Totals& t = state_.totals();
  StatementFigures f;
  f.opening_cash = opening_cash_;
  for (const auto& [id, s] : flows_.sources) add_to(f.sources, s.usd);
  add_to(f.sources, total_of(flows_.income));
  f.uses = transfers();
  add_to(f.uses, total_of(flows_.costs));
  f.closing_cash = opening_cash_;
  add_to(f.closing_cash, f.sources);
  add_to(f.closing_cash, -f.uses);
  f.undisbursed = t.approved - t.disbursed;
  f.unallocated = t.unallocated();
  return f;
}

Status StatementBuilder::check() const {
  FL_RETURN_IF_ERROR(state_.source_status());
  const StatementFigures f = figures();
  const auto broken = [this](const std::string& what, std::int64_t a, std::int64_t b) {
    return Status::error(Code::kInvariantBroken, "the statement of " + period_.name + " does not tie: " + what +
                                                     " (" + usd(a) + " against " + usd(b) + ")");
  };
  // The same figure two ways: the period's flows, and the fund as of its
  // last day; and SPEC 2's identity at that day.
  const std::int64_t cash = state_.totals().cash();
  if (f.closing_cash != cash) {
    return broken("opening cash plus sources less uses is not the fund's cash on " + period_.to, f.closing_cash, cash);
  }
  std::int64_t held = f.unallocated;
  add_to(held, f.undisbursed);
  if (f.closing_cash != held) {
    return broken("closing cash is not the unallocated money plus the undisbursed commitments", f.closing_cash, held);
  }
  std::int64_t by_region = 0;
  for (const std::int64_t a : flows_.uses_by_region) add_to(by_region, a);
  const std::int64_t paid = transfers();
  for (const auto& [what, total] : {std::pair<const char*, std::int64_t>{"call", total_of(flows_.uses_by_call)},
                                    {"programme", total_of(flows_.uses_by_programme)},
                                    {"region", by_region}}) {
    if (total != paid) {
      return broken(std::string("the uses by ") + what + " do not add up to the payments less refunds", total, paid);
    }
  }
  std::int64_t month_end = opening_cash_;
  add_to(month_end, total_of(flows_.cash_by_month));
  if (month_end != f.closing_cash) {
    return broken("the cash at the last month's end is not the closing cash", month_end, f.closing_cash);
  }
  return Status::ok();
}

json StatementBuilder::render() const {
  FL_CHECK_OK(check());
  const StatementFigures f = figures();
  std::int64_t committed = flows_.approved;
  add_to(committed, -flows_.released);
  add_to(committed, -flows_.refunded);
  json late = json::array();
  for (const Late& e : late_) {
    late.push_back({{"seq", e.seq},
                    {"id", e.id},
                    {"type", event_type_name(e.type)},
                    {"business_date", e.date},
                    {"recorded_at", e.recorded_at}});
  }
  json out = {{"period", {{"name", period_.name}, {"from", period_.from}, {"to", period_.to}}},
              {"opening_cash", usd(opening_cash_)},
              {"sources", sources_json()},
              {"uses", uses_json()},
              {"closing_cash", usd(f.closing_cash)},
              {"cash_by_month", months_json()},
              {"commitments",
               {{"approved", usd(flows_.approved)},
                {"released", usd(-flows_.released)},
                {"refunded", usd(-flows_.refunded)},
                {"total", usd(committed)},
                {"undisbursed_at_end", usd(f.undisbursed)}}},
              {"unallocated_at_end", usd(f.unallocated)},
              {"pledges", pledges_json()}};
  if (recorded_after_) out["recorded_after"] = {{"seq", *recorded_after_}, {"events", std::move(late)}};
  return out;
}

}  // namespace fundledger
