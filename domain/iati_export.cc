// The IATI 2.03 files of domain/exports.h: the activity file (the fund,
// and one activity for each approved proposal) and the organisation file
// (the managing organisation's spending by year).

#include <map>
#include <unordered_map>

#include "domain/export_output.h"
#include "domain/formats.h"
#include "domain/iso_codes.h"
#include "domain/money.h"
#include "util/check.h"

namespace fundledger::exports {
namespace {

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string narrative(std::string_view text) { return "<narrative>" + xml_escape(text) + "</narrative>"; }

// IATI TransactionType codes.
constexpr int kIncomingFunds = 1;
constexpr int kOutgoingCommitment = 2;
constexpr int kDisbursement = 3;
constexpr int kExpenditure = 4;
constexpr int kIncomingPledge = 13;

struct Transaction {
  int code = 0;
  std::uint64_t seq = 0;
  std::string date;
  std::string amount;  // decimal, "-" in front for a decrease
  std::string currency;
  std::string description;
  std::string provider;  // a name, or empty
  std::string receiver;
};

void append_transaction(std::string& out, const Transaction& t) {
  out += "  <transaction ref=\"seq-" + std::to_string(t.seq) + "\">\n";
  out += "   <transaction-type code=\"" + std::to_string(t.code) + "\"/>\n";
  out += "   <transaction-date iso-date=\"" + t.date + "\"/>\n";
  out += "   <value currency=\"" + t.currency + "\" value-date=\"" + t.date + "\">" + t.amount + "</value>\n";
  out += "   <description>" + narrative(t.description) + "</description>\n";
  if (!t.provider.empty()) out += "   <provider-org>" + narrative(t.provider) + "</provider-org>\n";
  if (!t.receiver.empty()) out += "   <receiver-org>" + narrative(t.receiver) + "</receiver-org>\n";
  out += "  </transaction>\n";
}

std::int64_t usd_minor(std::string_view amount) {
  const Result<std::int64_t> v = parse_amount(amount, kUsdMinorUnits);
  FL_CHECK(v.is_ok());  // the events' amounts passed the same parse
  return *v;
}

// The entry of `key`, which the rules guarantee is there (an approved
// proposal was submitted, a payment's proposal approved).
template <typename Map>
auto& entry(Map& map, const std::string& key) {
  const auto found = map.find(key);
  FL_CHECK(found != map.end());
  return found->second;
}

std::string text(const Event& e, std::string_view name) { return std::string(field(e, name)); }

// What the files need, gathered as events are added: the fund's own
// transactions, and for each proposal what its activity shows.
struct IatiState {
  struct Submission {
    std::string call, applicant, country, region, submitted_on, requested_usd;
    std::uint64_t seq = 0;
  };
  struct Activity {
    std::string decided_on;
    std::string transactions;    // rendered, in seq order
    std::int64_t committed = 0;  // net, USD minor units
    std::int64_t paid = 0;
  };
  // A year's spending: its net total, and an expense line per payment or
  // refund, rendered.
  struct Year {
    std::int64_t total = 0;
    std::string lines;
  };
  struct CallInfo {
    std::string title, programme;
  };

  IatiPublisher p;
  std::string last_recorded_at;
  std::vector<std::string> donors;  // names, in the order registered
  std::unordered_map<std::string, std::string> donor_name, programme_name, pledge_currency;
  std::unordered_map<std::string, CallInfo> calls;
  std::unordered_map<std::string, Submission> submitted;
  std::vector<std::string> approved_order;  // proposals, in the order approved
  std::unordered_map<std::string, Activity> activities;
  std::string fund_transactions;  // rendered, in seq order
  std::string fund_start;
  std::map<std::string, Year> spent_by_year;  // for the organisation file

  // "event 57 (pledge-JPN-2014)": where a transaction comes from.
  static std::string source(const Event& e) { return "event " + std::to_string(e.seq) + " (" + e.id + ")"; }

  // A payment (or, negative, a refund) or a cost in the organisation
  // file's year. Every partial sum of a year is a difference of two sums of
  // net payments and costs, which the rules keep within the fund's
  // resources.
  void spent(const Transaction& t, std::int64_t amount) {
    Year& y = spent_by_year[t.date.substr(0, 4)];
    y.total += amount;
    y.lines += "   <expense-line ref=\"seq-" + std::to_string(t.seq) + "\">\n";
    y.lines += "    <value currency=\"USD\" value-date=\"" + t.date + "\">" + t.amount + "</value>\n";
    y.lines += "    " + narrative(p.fund_name + ": " + t.description) + "\n";
    y.lines += "   </expense-line>\n";
  }

  void started(const std::string& date) {
    if (fund_start.empty() || date < fund_start) fund_start = date;
  }

  // The fund's money in: pledges (13), pledges written off (13, negative),
  // contributions (1, in USD as credited).
  void add_money_in(const Event& e) {
    const std::string pledge = text(e, "pledge");
    if (e.type == EventType::kPledgeRecorded) {
      pledge_currency[pledge] = field(e, "currency");
      started(text(e, "pledged_on"));
      append_transaction(fund_transactions,
                         {kIncomingPledge, e.seq, text(e, "pledged_on"), text(e, "amount"), text(e, "currency"),
                          "Pledge " + pledge + ", " + source(e), donor_name[text(e, "donor")], p.fund_name});
    } else if (e.type == EventType::kPledgeWrittenOff) {
      append_transaction(fund_transactions,
                         {kIncomingPledge, e.seq, text(e, "written_off_on"), "-" + text(e, "amount"),
                          pledge_currency[pledge],
                          "Pledge " + pledge + " written off: " + text(e, "reason") + ", " + source(e), "", ""});
    } else {
      started(text(e, "received_on"));
      std::string what = "Contribution " + text(e, "contribution");
      if (field(e, "currency") != "USD") what += " of " + text(e, "currency") + " " + text(e, "amount");
      append_transaction(fund_transactions, {kIncomingFunds, e.seq, text(e, "received_on"), text(e, "usd"), "USD",
                                             what + ", " + source(e), donor_name[text(e, "donor")], p.fund_name});
      add_fee(e, text(e, "received_on"), "", "Administrative agent's fee on contribution " + text(e, "contribution"));
    }
  }

  // The administrative agent's fee a contribution (or, `sign` "-", its
  // reversal) names: expenditure (4) of the same day.
  void add_fee(const Event& e, const std::string& on, const std::string& sign, const std::string& what) {
    const std::string fee = text(e, "admin_fee_usd");
    if (fee.empty()) return;
    const Transaction t{kExpenditure, e.seq, on, sign + fee, "USD", what + ", " + source(e), p.fund_name, ""};
    append_transaction(fund_transactions, t);
    spent(t, sign.empty() ? usd_minor(fee) : -usd_minor(fee));
  }

  // The fund's other income (1, incoming funds with no provider) and its
  // costs (4, expenditure, counted in the organisation file's expenditure
  // of the year).
  void add_income_or_cost(const Event& e) {
    // "(interest: ...)", or "(bank_charge)" where the reason is not given
    // or, in the public's export, emptied.
    const std::string reason = text(e, "reason");
    const std::string what = " (" + text(e, "kind") + (reason.empty() ? "" : ": " + reason) + "), " + source(e);
    if (e.type == EventType::kIncomeReceived) {
      started(text(e, "received_on"));
      append_transaction(fund_transactions, {kIncomingFunds, e.seq, text(e, "received_on"), text(e, "amount_usd"),
                                             "USD", "Income " + text(e, "income") + what, "", p.fund_name});
      return;
    }
    const Transaction t{kExpenditure, e.seq, text(e, "charged_on"), text(e, "amount_usd"), "USD",
                        "Cost " + text(e, "cost") + what, p.fund_name, ""};
    append_transaction(fund_transactions, t);
    spent(t, usd_minor(t.amount));
  }

  // An approved proposal's money: its approval (2), payments (3), refunds
  // (3 and 2, negative), releases (2, negative).
  void add_money_out(const Event& e) {
    const std::string id = text(e, "proposal");
    if (e.type == EventType::kProposalApproved) {
      approved_order.push_back(id);
      activities[id].decided_on = field(e, "decided_on");
    }
    Activity& a = entry(activities, id);
    const std::string& applicant = entry(submitted, id).applicant;
    const auto out = [&](int code, std::string date, std::string amount, std::string what) {
      return Transaction{code, e.seq, std::move(date), std::move(amount), "USD", what + ", " + source(e), p.fund_name,
                         applicant};
    };
    const std::int64_t amount = usd_minor(field(e, e.type == EventType::kProposalApproved ? "approved_usd" : "amount_usd"));
    switch (e.type) {
      case EventType::kProposalApproved:
        a.committed += amount;
        append_transaction(a.transactions, out(kOutgoingCommitment, a.decided_on, text(e, "approved_usd"),
                                               "Approved by decision " + text(e, "decision")));
        break;
      case EventType::kDisbursementMade: {
        a.paid += amount;
        const Transaction t =
            out(kDisbursement, text(e, "paid_on"), text(e, "amount_usd"), "Disbursement " + text(e, "disbursement"));
        spent(t, amount);
        append_transaction(a.transactions, t);
        break;
      }
      case EventType::kRefundReceived: {
        a.paid -= amount;
        a.committed -= amount;
        const std::string what = "Refund " + text(e, "refund");
        // Both what was paid and what stays committed fall, as in the
        // fund's figures: a negative disbursement and commitment.
        Transaction less_paid = out(kDisbursement, text(e, "received_on"), "-" + text(e, "amount_usd"), what);
        less_paid.description += ": less paid";
        spent(less_paid, -amount);
        append_transaction(a.transactions, less_paid);
        Transaction less_committed = less_paid;
        less_committed.code = kOutgoingCommitment;
        less_committed.description = what + ", " + source(e) + ": less committed";
        append_transaction(a.transactions, less_committed);
        break;
      }
      default:  // allocation.released
        a.committed -= amount;
        append_transaction(a.transactions, out(kOutgoingCommitment, text(e, "released_on"),
                                               "-" + text(e, "amount_usd"), "Released: " + text(e, "reason")));
    }
  }

  // A reversal: the opposite of the transactions of what it reverses, on
  // the day of the reversal (IATI: a negative transaction of the same type).
  void add_reversal(const Event& e) {
    const std::string reverses = text(e, "reverses");
    const std::string why = "Reversal of event " + text(e, "seq") + ": " + text(e, "reason") + ", " + source(e);
    const std::string on = text(e, "reversed_on");
    if (reverses == "contribution.received") {
      append_transaction(fund_transactions, {kIncomingFunds, e.seq, on, "-" + text(e, "usd"), "USD",
                                             "Contribution " + text(e, "contribution") + " reversed. " + why,
                                             donor_name[text(e, "donor")], p.fund_name});
      add_fee(e, on, "-", "Administrative agent's fee on contribution " + text(e, "contribution") + " given back. " + why);
      return;
    }
    if (reverses == "pledge.written_off") {
      append_transaction(fund_transactions, {kIncomingPledge, e.seq, on, text(e, "amount"), text(e, "currency"),
                                             "Write-off of pledge " + text(e, "pledge") + " reversed. " + why, "", ""});
      return;
    }
    Activity& a = entry(activities, text(e, "proposal"));
    const std::string& applicant = entry(submitted, text(e, "proposal")).applicant;
    const std::int64_t amount = usd_minor(field(e, "amount_usd"));
    const auto out = [&](int code, std::string value, std::string what) {
      return Transaction{code, e.seq, on, std::move(value), "USD", what + " reversed. " + why, p.fund_name, applicant};
    };
    if (reverses == "disbursement.made") {
      a.paid -= amount;
      const Transaction t = out(kDisbursement, "-" + text(e, "amount_usd"), "Disbursement " + text(e, "disbursement"));
      spent(t, -amount);
      append_transaction(a.transactions, t);
      return;
    }
    a.committed += amount;
    if (reverses == "refund.received") {
      a.paid += amount;
      const Transaction t = out(kDisbursement, text(e, "amount_usd"), "Refund " + text(e, "refund"));
      spent(t, amount);
      append_transaction(a.transactions, t);
      Transaction committed = t;
      committed.code = kOutgoingCommitment;
      append_transaction(a.transactions, committed);
      return;
    }
    append_transaction(a.transactions, out(kOutgoingCommitment, text(e, "amount_usd"), "Release"));
  }

  std::string reporting_org() const {
    return "  <reporting-org ref=\"" + xml_escape(p.org_ref) + "\" type=\"" + xml_escape(p.org_type) + "\">\n   " +
           narrative(p.org_name) + "\n  </reporting-org>\n";
  }
  std::string fund_id() const { return p.org_ref + "-" + p.fund_ref; }
  std::string generated() const {
    return last_recorded_at.empty() ? std::string("1970-01-01T00:00:00Z") : last_recorded_at;
  }

  // The fund's own activity (hierarchy 1), appended to `a`.
  void fund_activity(std::string& a) const {
    a += " <iati-activity last-updated-datetime=\"" + generated() +
         "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"1\">\n";
    a += "  <iati-identifier>" + xml_escape(fund_id()) + "</iati-identifier>\n" + reporting_org();
    a += "  <title>" + narrative(p.fund_name) + "</title>\n";
    a += "  <description type=\"1\">" +
         narrative(p.fund_name + ": pledges and contributions of its donors; its grants are the activities "
                                 "under it, one for each proposal the Board approved.") +
         "</description>\n";
    a += "  <participating-org ref=\"" + xml_escape(p.org_ref) + "\" role=\"3\">" + narrative(p.org_name) +
         "</participating-org>\n";
    for (const std::string& donor : donors) {
      a += "  <participating-org role=\"1\">" + narrative(donor) + "</participating-org>\n";
    }
    a += "  <activity-status code=\"2\"/>\n";
    a += "  <activity-date type=\"2\" iso-date=\"" + (fund_start.empty() ? generated().substr(0, 10) : fund_start) +
         "\"/>\n";
    a += fund_transactions;
    for (const std::string& id : approved_order) {
      a += "  <related-activity ref=\"" + xml_escape(fund_id() + "-" + id) + "\" type=\"2\"/>\n";
    }
    a += " </iati-activity>\n";
  }

  // The activity of approved proposal `id` (hierarchy 2), appended to `a`.
  void proposal_activity(const std::string& id, std::string& a) const {
    const Activity& act = entry(activities, id);
    const Submission& s = entry(submitted, id);
    const CallInfo& c = entry(calls, s.call);
    const std::string& programme = entry(programme_name, c.programme);
    const std::optional<std::string_view> country = country_alpha2(s.country);
    FL_CHECK(country.has_value());  // the schema took only country codes
    // 2 implementation while money is committed and unpaid; 3 finalisation
    // once all of it is paid; 5 cancelled when nothing stays committed.
    const char* status = act.committed == 0 ? "5" : act.paid == act.committed ? "3" : "2";
    a += " <iati-activity last-updated-datetime=\"" + generated() +
         "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"2\">\n";
    a += "  <iati-identifier>" + xml_escape(fund_id() + "-" + id) + "</iati-identifier>\n" + reporting_org();
    a += "  <title>" + narrative(s.applicant + ": " + c.title) + "</title>\n";
    a += "  <description type=\"1\">" +
         narrative("Proposal " + id + " to the call " + s.call + " (" + programme + "), submitted on " +
                   s.submitted_on + " for USD " + s.requested_usd + " (event " + std::to_string(s.seq) +
                   "), from the regional group " + s.region + ".") +
         "</description>\n";
    // The fund pays (funding, 1), its secretariat manages the grant
    // (extending, 3), the applicant carries it out (implementing, 4).
    a += "  <participating-org role=\"1\">" + narrative(p.fund_name) + "</participating-org>\n";
    a += "  <participating-org ref=\"" + xml_escape(p.org_ref) + "\" role=\"3\">" + narrative(p.org_name) +
         "</participating-org>\n";
    a += "  <participating-org role=\"4\">" + narrative(s.applicant) + "</participating-org>\n";
    a += "  <activity-status code=\"" + std::string(status) + "\"/>\n";
    a += "  <activity-date type=\"2\" iso-date=\"" + act.decided_on + "\"/>\n";
    a += "  <recipient-country code=\"" + std::string(*country) + "\" percentage=\"100\"/>\n";
    a += "  <tag vocabulary=\"99\" code=\"" + s.region + "\">" + narrative("UN regional group " + s.region) +
         "</tag>\n";
    a += act.transactions;
    a += "  <related-activity ref=\"" + xml_escape(fund_id()) + "\" type=\"1\"/>\n";
    a += " </iati-activity>\n";
  }

  std::string activities_file() const {
    std::string a;
    // What the transactions take, and a little for each activity's head.
    std::size_t bytes = fund_transactions.size() + donors.size() * 128 + 4096;
    for (const auto& [id, act] : activities) bytes += act.transactions.size() + 2048 + 128;
    a.reserve(bytes);
    a += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    a += "<iati-activities version=\"2.03\" generated-datetime=\"" + generated() + "\">\n";
    fund_activity(a);
    for (const std::string& id : approved_order) proposal_activity(id, a);
    a += "</iati-activities>\n";
    return a;
  }

  std::string organisation_file() const {
    std::string o;
    o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    o += "<iati-organisations version=\"2.03\" generated-datetime=\"" + generated() + "\">\n";
    o += " <iati-organisation last-updated-datetime=\"" + generated() +
         "\" xml:lang=\"en\" default-currency=\"USD\">\n";
    o += "  <organisation-identifier>" + xml_escape(p.org_ref) + "</organisation-identifier>\n";
    o += "  <name>" + narrative(p.org_name) + "</name>\n" + reporting_org();
    for (const auto& [year, spending] : spent_by_year) {
      o += "  <total-expenditure>\n";
      o += "   <period-start iso-date=\"" + year + "-01-01\"/>\n";
      o += "   <period-end iso-date=\"" + year + "-12-31\"/>\n";
      o += "   <value currency=\"USD\" value-date=\"" + year + "-12-31\">" +
           format_amount(spending.total, kUsdMinorUnits) + "</value>\n";
      o += spending.lines;
      o += "  </total-expenditure>\n";
    }
    o += " </iati-organisation>\n";
    o += "</iati-organisations>\n";
    return o;
  }
};

class IatiOutput final : public Output {
 public:
  explicit IatiOutput(IatiPublisher publisher) { s_.p = std::move(publisher); }
  void add(const Event& e) override;
  std::vector<ExportFile> finish() override;

 private:
  IatiState s_;
};

void IatiOutput::add(const Event& e) {
  IatiState& s = s_;
  s.last_recorded_at = e.recorded_at;
  switch (e.type) {
    case EventType::kDonorRegistered:
      s.donor_name[text(e, "donor")] = field(e, "name");
      s.donors.emplace_back(field(e, "name"));
      break;
    case EventType::kProgrammeRegistered:
      s.programme_name[text(e, "programme")] = field(e, "name");
      break;
    case EventType::kPledgeRecorded:
    case EventType::kPledgeWrittenOff:
    case EventType::kContributionReceived:
      s.add_money_in(e);
      break;
    case EventType::kCallOpened:
      s.calls[text(e, "call")] = {text(e, "title"), text(e, "programme")};
      break;
    case EventType::kProposalSubmitted:
      s.submitted[text(e, "proposal")] = {text(e, "call"),         text(e, "applicant"),     text(e, "country"),
                                          text(e, "region"),       text(e, "submitted_on"), text(e, "requested_usd"),
                                          e.seq};
      break;
    case EventType::kProposalApproved:
    case EventType::kDisbursementMade:
    case EventType::kRefundReceived:
    case EventType::kAllocationReleased:
      s.add_money_out(e);
      break;
    case EventType::kIncomeReceived:
    case EventType::kCostCharged:
      s.add_income_or_cost(e);
      break;
    case EventType::kEntryReversed:
      s.add_reversal(e);
      break;
    case EventType::kCallClosed:
    case EventType::kProposalRejected:
    case EventType::kTermsSet:
    case EventType::kDisbursementRequested:  // money reserved, not yet a transaction
    case EventType::kDisbursementCancelled:
    case EventType::kDecisionRecorded:  // the approvals that rest on it name it
    case EventType::kBoardMemberAppointed:
    case EventType::kBoardMemberLeft:
    case EventType::kAccessGranted:
    case EventType::kAccessRevoked:
      break;
  }
}

std::vector<ExportFile> IatiOutput::finish() {
  return {{"iati-activities.xml", s_.activities_file()}, {"iati-organisation.xml", s_.organisation_file()}};
}

}  // namespace

std::unique_ptr<Output> iati_output(IatiPublisher publisher) {
  return std::make_unique<IatiOutput>(std::move(publisher));
}

}  // namespace fundledger::exports
