#include "ledger/exports.h"

#include <map>
#include <string_view>
#include <unordered_map>

#include "ledger/check.h"
#include "ledger/formats.h"
#include "ledger/iso_codes.h"
#include "ledger/money.h"

namespace fundledger {

const std::vector<CsvKind>& csv_kinds() {
  // Every file ends with the event's recorded_at, actor and id.
  static const std::vector<CsvKind> kinds = {
      {"donors.csv", {"seq", "donor", "name", "kind", "country"}},
      {"programmes.csv", {"seq", "programme", "name"}},
      {"pledges.csv", {"seq", "pledge", "donor", "amount", "currency", "pledged_on", "due_on", "programme"}},
      {"write_offs.csv", {"seq", "pledge", "amount", "currency", "written_off_on", "reason"}},
      {"contributions.csv",
       {"seq", "contribution", "donor", "pledge", "amount", "currency", "usd", "received_on"}},
      {"calls.csv",
       {"seq", "call", "title", "programme", "budget_usd", "opened_on", "closes_on", "regions", "closed_on",
        "closed_seq"}},
      {"proposals.csv",
       {"seq", "proposal", "call", "applicant", "country", "region", "requested_usd", "submitted_on",
        "focal_point"}},
      {"decisions.csv", {"seq", "proposal", "outcome", "approved_usd", "decision", "decided_on", "reason"}},
      {"disbursements.csv", {"seq", "disbursement", "proposal", "amount_usd", "paid_on"}},
      {"refunds.csv", {"seq", "refund", "proposal", "amount_usd", "received_on"}},
      {"releases.csv", {"seq", "proposal", "amount_usd", "released_on", "reason"}},
  };
  return kinds;
}

namespace {

constexpr std::array<const char*, 3> kTrailingColumns = {"recorded_at", "actor", "event_id"};

// The CSV file an event's row goes to, as an index into csv_kinds(); -1
// for call.closed, which fills in its call's row.
int csv_kind_of(EventType type) {
  switch (type) {
    case EventType::kDonorRegistered: return 0;
    case EventType::kProgrammeRegistered: return 1;
    case EventType::kPledgeRecorded: return 2;
    case EventType::kPledgeWrittenOff: return 3;
    case EventType::kContributionReceived: return 4;
    case EventType::kCallOpened: return 5;
    case EventType::kCallClosed: return -1;
    case EventType::kProposalSubmitted: return 6;
    case EventType::kProposalApproved:
    case EventType::kProposalRejected: return 7;
    case EventType::kDisbursementMade: return 8;
    case EventType::kRefundReceived: return 9;
    case EventType::kAllocationReleased: return 10;
  }
  return -1;
}

std::string_view field(const Event& e, std::string_view name) {
  const std::string* v = e.data.get(name);
  return v != nullptr ? std::string_view(*v) : std::string_view();
}

std::string call_regions(const Event& opened) {
  std::string out;
  const std::vector<std::string>* listed = opened.data.list("regions");
  auto add = [&out](std::string_view r) {
    if (!out.empty()) out += ' ';
    out += r;
  };
  if (listed != nullptr) {
    for (const std::string& r : *listed) add(r);
  } else {
    for (std::string_view r : kRegions) add(r);
  }
  return out;
}

// One CSV field, quoted as RFC 4180 asks, a would-be formula defused.
void append_csv_field(std::string& out, std::string_view value) {
  const bool formula = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                          value[0] == '@' || value[0] == '\t' || value[0] == '\r');
  const bool quote = formula || value.find_first_of(",\"\r\n") != std::string_view::npos;
  if (quote) out += '"';
  if (formula) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  if (quote) out += '"';
}

void append_csv_row(std::string& out, const std::vector<std::string>& fields) {
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    append_csv_field(out, fields[i]);
  }
  out += "\r\n";
}

// --- XML ---------------------------------------------------------------------

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

}  // namespace

struct Exporter::Records {
  std::vector<Event> events;
};

Exporter::Exporter() : records_(std::make_unique<Records>()) {}
Exporter::~Exporter() = default;
Exporter::Exporter(Exporter&&) noexcept = default;
Exporter& Exporter::operator=(Exporter&&) noexcept = default;

void Exporter::add(const Event& event) {
  FL_CHECK(event.seq == records_->events.size() + 1);
  records_->events.push_back(event);
}

std::uint64_t Exporter::size() const { return records_->events.size(); }

std::vector<ExportFile> Exporter::csv() const {
  const std::vector<CsvKind>& kinds = csv_kinds();
  std::vector<std::vector<std::vector<std::string>>> rows(kinds.size());
  std::unordered_map<std::string, std::string> pledge_currency;
  std::unordered_map<std::string, std::size_t> call_row;  // call id -> row in calls.csv
  for (const Event& e : records_->events) {
    const int kind = csv_kind_of(e.type);
    if (e.type == EventType::kPledgeRecorded) pledge_currency[std::string(field(e, "pledge"))] = field(e, "currency");
    if (kind < 0) {  // call.closed: the call's row gets its date and seq
      const auto found = call_row.find(std::string(field(e, "call")));
      FL_CHECK(found != call_row.end());  // the rules let only an open call close
      std::vector<std::string>& row = rows[5][found->second];
      row[8] = field(e, "closed_on");
      row[9] = std::to_string(e.seq);
      continue;
    }
    std::vector<std::string> row;
    for (const char* column : kinds[static_cast<std::size_t>(kind)].columns) {
      const std::string_view c = column;
      if (c == "seq") {
        row.push_back(std::to_string(e.seq));
      } else if (c == "outcome") {
        row.emplace_back(e.type == EventType::kProposalApproved ? "approved" : "rejected");
      } else if (c == "currency" && e.type == EventType::kPledgeWrittenOff) {
        row.push_back(pledge_currency[std::string(field(e, "pledge"))]);
      } else if (c == "regions") {
        row.push_back(call_regions(e));
      } else {
        row.emplace_back(field(e, c));
      }
    }
    row.push_back(e.recorded_at);
    row.push_back(e.actor);
    row.push_back(e.id);
    if (e.type == EventType::kCallOpened) call_row[std::string(field(e, "call"))] = rows[5].size();
    rows[static_cast<std::size_t>(kind)].push_back(std::move(row));
  }
  std::vector<ExportFile> files;
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    ExportFile f{kinds[k].file, "\xEF\xBB\xBF"};  // UTF-8 byte-order mark
    std::vector<std::string> header(kinds[k].columns.begin(), kinds[k].columns.end());
    header.insert(header.end(), kTrailingColumns.begin(), kTrailingColumns.end());
    append_csv_row(f.content, header);
    for (const std::vector<std::string>& row : rows[k]) append_csv_row(f.content, row);
    files.push_back(std::move(f));
  }
  return files;
}

std::vector<ExportFile> Exporter::iati(const IatiPublisher& p) const {
  const std::vector<Event>& events = records_->events;
  const std::string fund_id = p.org_ref + "-" + p.fund_ref;
  const std::string generated =
      events.empty() ? std::string("1970-01-01T00:00:00Z") : events.back().recorded_at;
  std::unordered_map<std::string, std::string> donor_name, programme_name, pledge_currency;
  std::unordered_map<std::string, const Event*> call, submitted;
  // Approved proposals in the order of their approval, each with its
  // transactions in seq order.
  struct Activity {
    const Event* approved = nullptr;
    std::vector<Transaction> transactions;
    std::int64_t committed = 0;  // net, USD minor units
    std::int64_t paid = 0;
  };
  std::vector<std::string> approved_order;
  std::unordered_map<std::string, Activity> activities;
  std::vector<Transaction> fund_transactions;
  std::string fund_start;
  // Spending by year for the organisation file: (year, [transaction]).
  std::map<std::string, std::vector<Transaction>> spent_by_year;

  for (const Event& e : events) {
    const std::string seq_text = "event " + std::to_string(e.seq) + " (" + e.id + ")";
    switch (e.type) {
      case EventType::kDonorRegistered: donor_name[std::string(field(e, "donor"))] = field(e, "name"); break;
      case EventType::kProgrammeRegistered:
        programme_name[std::string(field(e, "programme"))] = field(e, "name");
        break;
      case EventType::kPledgeRecorded: {
        pledge_currency[std::string(field(e, "pledge"))] = field(e, "currency");
        const std::string date(field(e, "pledged_on"));
        if (fund_start.empty() || date < fund_start) fund_start = date;
        fund_transactions.push_back({13, e.seq, date, std::string(field(e, "amount")),
                                     std::string(field(e, "currency")),
                                     "Pledge " + std::string(field(e, "pledge")) + ", " + seq_text,
                                     donor_name[std::string(field(e, "donor"))], p.fund_name});
        break;
      }
      case EventType::kPledgeWrittenOff:
        fund_transactions.push_back({13, e.seq, std::string(field(e, "written_off_on")),
                                     "-" + std::string(field(e, "amount")),
                                     pledge_currency[std::string(field(e, "pledge"))],
                                     "Pledge " + std::string(field(e, "pledge")) + " written off: " +
                                         std::string(field(e, "reason")) + ", " + seq_text,
                                     "", ""});
        break;
      case EventType::kContributionReceived: {
        const std::string date(field(e, "received_on"));
        if (fund_start.empty() || date < fund_start) fund_start = date;
        std::string what = "Contribution " + std::string(field(e, "contribution"));
        if (field(e, "currency") != "USD") {
          what += " of " + std::string(field(e, "currency")) + " " + std::string(field(e, "amount"));
        }
        fund_transactions.push_back({1, e.seq, date, std::string(field(e, "usd")), "USD", what + ", " + seq_text,
                                     donor_name[std::string(field(e, "donor"))], p.fund_name});
        break;
      }
      case EventType::kCallOpened: call[std::string(field(e, "call"))] = &e; break;
      case EventType::kProposalSubmitted: submitted[std::string(field(e, "proposal"))] = &e; break;
      case EventType::kProposalApproved: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities[id];
        a.approved = &e;
        approved_order.push_back(id);
        a.committed += usd_minor(field(e, "approved_usd"));
        a.transactions.push_back({2, e.seq, std::string(field(e, "decided_on")),
                                  std::string(field(e, "approved_usd")), "USD",
                                  "Approved by decision " + std::string(field(e, "decision")) + ", " + seq_text,
                                  p.fund_name, std::string(field(*submitted.at(id), "applicant"))});
        break;
      }
      case EventType::kDisbursementMade: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities.at(id);
        a.paid += usd_minor(field(e, "amount_usd"));
        Transaction t{3, e.seq, std::string(field(e, "paid_on")), std::string(field(e, "amount_usd")), "USD",
                      "Disbursement " + std::string(field(e, "disbursement")) + ", " + seq_text, p.fund_name,
                      std::string(field(*submitted.at(id), "applicant"))};
        spent_by_year[t.date.substr(0, 4)].push_back(t);
        a.transactions.push_back(std::move(t));
        break;
      }
      case EventType::kRefundReceived: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities.at(id);
        const std::int64_t amount = usd_minor(field(e, "amount_usd"));
        a.paid -= amount;
        a.committed -= amount;
        const std::string what = "Refund " + std::string(field(e, "refund")) + ", " + seq_text;
        const std::string negative = "-" + std::string(field(e, "amount_usd"));
        const std::string date(field(e, "received_on"));
        const std::string applicant(field(*submitted.at(id), "applicant"));
        Transaction paid_back{3, e.seq, date, negative, "USD", what + ": less paid", p.fund_name, applicant};
        spent_by_year[date.substr(0, 4)].push_back(paid_back);
        a.transactions.push_back(std::move(paid_back));
        a.transactions.push_back({2, e.seq, date, negative, "USD", what + ": less committed", p.fund_name, applicant});
        break;
      }
      case EventType::kAllocationReleased: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities.at(id);
        a.committed -= usd_minor(field(e, "amount_usd"));
        a.transactions.push_back({2, e.seq, std::string(field(e, "released_on")),
                                  "-" + std::string(field(e, "amount_usd")), "USD",
                                  "Released: " + std::string(field(e, "reason")) + ", " + seq_text, p.fund_name,
                                  std::string(field(*submitted.at(id), "applicant"))});
        break;
      }
      case EventType::kCallClosed:
      case EventType::kProposalRejected: break;
    }
  }

  const std::string reporting_org = "  <reporting-org ref=\"" + xml_escape(p.org_ref) + "\" type=\"" +
                                    xml_escape(p.org_type) + "\">\n   " + narrative(p.org_name) +
                                    "\n  </reporting-org>\n";
  std::string a;
  a += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  a += "<iati-activities version=\"2.03\" generated-datetime=\"" + generated + "\">\n";
  // The fund.
  a += " <iati-activity last-updated-datetime=\"" + generated +
       "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"1\">\n";
  a += "  <iati-identifier>" + xml_escape(fund_id) + "</iati-identifier>\n" + reporting_org;
  a += "  <title>" + narrative(p.fund_name) + "</title>\n";
  a += "  <description type=\"1\">" +
       narrative(p.fund_name + ": pledges and contributions of its donors; its grants are the activities "
                               "under it, one for each proposal the Board approved.") +
       "</description>\n";
  a += "  <participating-org ref=\"" + xml_escape(p.org_ref) + "\" role=\"3\">" + narrative(p.org_name) +
       "</participating-org>\n";
  for (const Event& e : events) {
    if (e.type != EventType::kDonorRegistered) continue;
    a += "  <participating-org role=\"1\">" + narrative(field(e, "name")) + "</participating-org>\n";
  }
  a += "  <activity-status code=\"2\"/>\n";
  a += "  <activity-date type=\"2\" iso-date=\"" + (fund_start.empty() ? generated.substr(0, 10) : fund_start) +
       "\"/>\n";
  for (const Transaction& t : fund_transactions) append_transaction(a, t);
  for (const std::string& id : approved_order) {
    a += "  <related-activity ref=\"" + xml_escape(fund_id + "-" + id) + "\" type=\"2\"/>\n";
  }
  a += " </iati-activity>\n";
  // Each approved proposal.
  for (const std::string& id : approved_order) {
    const Activity& act = activities.at(id);
    const Event& s = *submitted.at(id);
    const Event& c = *call.at(std::string(field(s, "call")));
    const std::string programme = programme_name[std::string(field(c, "programme"))];
    const std::optional<std::string_view> country = country_alpha2(field(s, "country"));
    FL_CHECK(country.has_value());  // the schema took only country codes
    // 2 implementation while money is committed and unpaid; 3 finalisation
    // once all of it is paid; 5 cancelled when nothing stays committed.
    const char* status = act.committed == 0 ? "5" : act.paid == act.committed ? "3" : "2";
    a += " <iati-activity last-updated-datetime=\"" + generated +
         "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"2\">\n";
    a += "  <iati-identifier>" + xml_escape(fund_id + "-" + id) + "</iati-identifier>\n" + reporting_org;
    a += "  <title>" + narrative(std::string(field(s, "applicant")) + ": " + std::string(field(c, "title"))) +
         "</title>\n";
    a += "  <description type=\"1\">" +
         narrative("Proposal " + id + " to the call " + std::string(field(c, "call")) + " (" + programme +
                   "), submitted on " + std::string(field(s, "submitted_on")) + " for USD " +
                   std::string(field(s, "requested_usd")) + " (event " + std::to_string(s.seq) +
                   "), from the regional group " + std::string(field(s, "region")) + ".") +
         "</description>\n";
    // The fund pays (funding, 1), its secretariat manages the grant
    // (extending, 3), the applicant carries it out (implementing, 4).
    a += "  <participating-org role=\"1\">" + narrative(p.fund_name) + "</participating-org>\n";
    a += "  <participating-org ref=\"" + xml_escape(p.org_ref) + "\" role=\"3\">" + narrative(p.org_name) +
         "</participating-org>\n";
    a += "  <participating-org role=\"4\">" + narrative(field(s, "applicant")) + "</participating-org>\n";
    a += "  <activity-status code=\"" + std::string(status) + "\"/>\n";
    a += "  <activity-date type=\"2\" iso-date=\"" + std::string(field(*act.approved, "decided_on")) + "\"/>\n";
    a += "  <recipient-country code=\"" + std::string(*country) + "\" percentage=\"100\"/>\n";
    a += "  <tag vocabulary=\"99\" code=\"" + std::string(field(s, "region")) + "\">" +
         narrative("UN regional group " + std::string(field(s, "region"))) + "</tag>\n";
    for (const Transaction& t : act.transactions) append_transaction(a, t);
    a += "  <related-activity ref=\"" + xml_escape(fund_id) + "\" type=\"1\"/>\n";
    a += " </iati-activity>\n";
  }
  a += "</iati-activities>\n";

  std::string o;
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o += "<iati-organisations version=\"2.03\" generated-datetime=\"" + generated + "\">\n";
  o += " <iati-organisation last-updated-datetime=\"" + generated + "\" xml:lang=\"en\" default-currency=\"USD\">\n";
  o += "  <organisation-identifier>" + xml_escape(p.org_ref) + "</organisation-identifier>\n";
  o += "  <name>" + narrative(p.org_name) + "</name>\n" + reporting_org;
  for (const auto& [year, lines] : spent_by_year) {
    // Every partial sum is a difference of two net disbursed totals, which
    // the rules keep within range.
    std::int64_t total = 0;
    for (const Transaction& t : lines) {
      total += t.amount[0] == '-' ? -usd_minor(std::string_view(t.amount).substr(1)) : usd_minor(t.amount);
    }
    const std::string total_text = format_amount(total, kUsdMinorUnits);
    o += "  <total-expenditure>\n";
    o += "   <period-start iso-date=\"" + year + "-01-01\"/>\n";
    o += "   <period-end iso-date=\"" + year + "-12-31\"/>\n";
    o += "   <value currency=\"USD\" value-date=\"" + year + "-12-31\">" + total_text + "</value>\n";
    for (const Transaction& t : lines) {
      o += "   <expense-line ref=\"seq-" + std::to_string(t.seq) + "\">\n";
      o += "    <value currency=\"USD\" value-date=\"" + t.date + "\">" + t.amount + "</value>\n";
      o += "    " + narrative(p.fund_name + ": " + t.description) + "\n";
      o += "   </expense-line>\n";
    }
    o += "  </total-expenditure>\n";
  }
  o += " </iati-organisation>\n";
  o += "</iati-organisations>\n";
  return {{"iati-activities.xml", std::move(a)}, {"iati-organisation.xml", std::move(o)}};
}

}  // namespace fundledger
