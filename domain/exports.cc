#include "domain/exports.h"

#include <map>
#include <string_view>
#include <unordered_map>

#include "util/check.h"
#include "domain/formats.h"
#include "domain/iso_codes.h"
#include "domain/money.h"

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

// The CSV files as rows are added: each kind's text so far; calls are held
// as fields until the end, since a call's closing fills in its row.
struct CsvOutput {
  std::vector<std::string> files;  // by csv_kinds() index
  std::vector<std::vector<std::string>> calls;
  std::unordered_map<std::string, std::size_t> call_row;  // call id -> row in `calls`
  std::unordered_map<std::string, std::string> pledge_currency;

  CsvOutput() {
    for (const CsvKind& kind : csv_kinds()) {
      std::string text = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
      std::vector<std::string> header(kind.columns.begin(), kind.columns.end());
      header.insert(header.end(), kTrailingColumns.begin(), kTrailingColumns.end());
      append_csv_row(text, header);
      files.push_back(std::move(text));
    }
  }

  void add(const Event& e) {
    const int kind = csv_kind_of(e.type);
    if (e.type == EventType::kPledgeRecorded) pledge_currency[std::string(field(e, "pledge"))] = field(e, "currency");
    if (kind < 0) {  // call.closed: the call's row gets its date and seq
      const auto found = call_row.find(std::string(field(e, "call")));
      FL_CHECK(found != call_row.end());  // the rules let only an open call close
      std::vector<std::string>& row = calls[found->second];
      row[8] = field(e, "closed_on");
      row[9] = std::to_string(e.seq);
      return;
    }
    std::vector<std::string> row;
    for (const char* column : csv_kinds()[static_cast<std::size_t>(kind)].columns) {
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
    if (e.type == EventType::kCallOpened) {
      call_row[std::string(field(e, "call"))] = calls.size();
      calls.push_back(std::move(row));
    } else {
      append_csv_row(files[static_cast<std::size_t>(kind)], row);
    }
  }

  std::vector<ExportFile> finish() {
    for (const std::vector<std::string>& row : calls) append_csv_row(files[kCallsKind], row);
    std::vector<ExportFile> out;
    for (std::size_t k = 0; k < files.size(); ++k) out.push_back({csv_kinds()[k].file, std::move(files[k])});
    return out;
  }

  static constexpr std::size_t kCallsKind = 5;
};

// What the IATI files need, gathered as events are added: the fund's own
// transactions, and for each proposal what its activity shows.
struct IatiOutput {
  explicit IatiOutput(IatiPublisher publisher) : p(std::move(publisher)) {}

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

  // A payment (or, negative, a refund) in the organisation file's year.
  // Every partial sum of a year is a difference of two net disbursed
  // totals, which the rules keep within range.
  void spent(const Transaction& t, std::int64_t amount) {
    Year& y = spent_by_year[t.date.substr(0, 4)];
    y.total += amount;
    y.lines += "   <expense-line ref=\"seq-" + std::to_string(t.seq) + "\">\n";
    y.lines += "    <value currency=\"USD\" value-date=\"" + t.date + "\">" + t.amount + "</value>\n";
    y.lines += "    " + narrative(p.fund_name + ": " + t.description) + "\n";
    y.lines += "   </expense-line>\n";
  }

  void add(const Event& e) {
    last_recorded_at = e.recorded_at;
    const std::string seq_text = "event " + std::to_string(e.seq) + " (" + e.id + ")";
    switch (e.type) {
      case EventType::kDonorRegistered:
        donor_name[std::string(field(e, "donor"))] = field(e, "name");
        donors.emplace_back(field(e, "name"));
        break;
      case EventType::kProgrammeRegistered:
        programme_name[std::string(field(e, "programme"))] = field(e, "name");
        break;
      case EventType::kPledgeRecorded: {
        pledge_currency[std::string(field(e, "pledge"))] = field(e, "currency");
        const std::string date(field(e, "pledged_on"));
        if (fund_start.empty() || date < fund_start) fund_start = date;
        append_transaction(fund_transactions, Transaction{13, e.seq, date, std::string(field(e, "amount")),
                                     std::string(field(e, "currency")),
                                     "Pledge " + std::string(field(e, "pledge")) + ", " + seq_text,
                                     donor_name[std::string(field(e, "donor"))], p.fund_name});
        break;
      }
      case EventType::kPledgeWrittenOff:
        append_transaction(fund_transactions, Transaction{13, e.seq, std::string(field(e, "written_off_on")),
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
        append_transaction(fund_transactions, Transaction{1, e.seq, date, std::string(field(e, "usd")), "USD", what + ", " + seq_text,
                                     donor_name[std::string(field(e, "donor"))], p.fund_name});
        break;
      }
      case EventType::kCallOpened:
        calls[std::string(field(e, "call"))] = {std::string(field(e, "title")), std::string(field(e, "programme"))};
        break;
      case EventType::kProposalSubmitted:
        submitted[std::string(field(e, "proposal"))] = {
            std::string(field(e, "call")),         std::string(field(e, "applicant")),
            std::string(field(e, "country")),      std::string(field(e, "region")),
            std::string(field(e, "submitted_on")), std::string(field(e, "requested_usd")),
            e.seq};
        break;
      case EventType::kProposalApproved: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities[id];
        a.decided_on = field(e, "decided_on");
        approved_order.push_back(id);
        a.committed += usd_minor(field(e, "approved_usd"));
        append_transaction(a.transactions,
                           {2, e.seq, a.decided_on, std::string(field(e, "approved_usd")), "USD",
                            "Approved by decision " + std::string(field(e, "decision")) + ", " + seq_text,
                            p.fund_name, submitted.at(id).applicant});
        break;
      }
      case EventType::kDisbursementMade: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities.at(id);
        const std::int64_t amount = usd_minor(field(e, "amount_usd"));
        a.paid += amount;
        const Transaction t{3, e.seq, std::string(field(e, "paid_on")), std::string(field(e, "amount_usd")), "USD",
                            "Disbursement " + std::string(field(e, "disbursement")) + ", " + seq_text, p.fund_name,
                            submitted.at(id).applicant};
        spent(t, amount);
        append_transaction(a.transactions, t);
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
        const std::string& applicant = submitted.at(id).applicant;
        const Transaction paid_back{3, e.seq, date, negative, "USD", what + ": less paid", p.fund_name, applicant};
        spent(paid_back, -amount);
        append_transaction(a.transactions, paid_back);
        append_transaction(a.transactions,
                           {2, e.seq, date, negative, "USD", what + ": less committed", p.fund_name, applicant});
        break;
      }
      case EventType::kAllocationReleased: {
        const std::string id(field(e, "proposal"));
        Activity& a = activities.at(id);
        a.committed -= usd_minor(field(e, "amount_usd"));
        append_transaction(a.transactions,
                           {2, e.seq, std::string(field(e, "released_on")), "-" + std::string(field(e, "amount_usd")),
                            "USD", "Released: " + std::string(field(e, "reason")) + ", " + seq_text, p.fund_name,
                            submitted.at(id).applicant});
        break;
      }
      case EventType::kCallClosed:
      case EventType::kProposalRejected: break;
    }
  }

  std::vector<ExportFile> finish() const;
};

std::vector<ExportFile> IatiOutput::finish() const {
  const std::string fund_id = p.org_ref + "-" + p.fund_ref;
  const std::string generated = last_recorded_at.empty() ? std::string("1970-01-01T00:00:00Z") : last_recorded_at;
  const std::string reporting_org = "  <reporting-org ref=\"" + xml_escape(p.org_ref) + "\" type=\"" +
                                    xml_escape(p.org_type) + "\">\n   " + narrative(p.org_name) +
                                    "\n  </reporting-org>\n";
  std::string a;
  // What the transactions take, and a little for each activity's head.
  std::size_t bytes = fund_transactions.size() + donors.size() * 128 + 4096;
  for (const auto& [id, act] : activities) bytes += act.transactions.size() + 2048 + 128;
  a.reserve(bytes);
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
  for (const std::string& donor : donors) {
    a += "  <participating-org role=\"1\">" + narrative(donor) + "</participating-org>\n";
  }
  a += "  <activity-status code=\"2\"/>\n";
  a += "  <activity-date type=\"2\" iso-date=\"" + (fund_start.empty() ? generated.substr(0, 10) : fund_start) +
       "\"/>\n";
  a += fund_transactions;
  for (const std::string& id : approved_order) {
    a += "  <related-activity ref=\"" + xml_escape(fund_id + "-" + id) + "\" type=\"2\"/>\n";
  }
  a += " </iati-activity>\n";
  // Each approved proposal.
  for (const std::string& id : approved_order) {
    const Activity& act = activities.at(id);
    const Submission& s = submitted.at(id);
    const CallInfo& c = calls.at(s.call);
    const auto programme = programme_name.find(c.programme);
    FL_CHECK(programme != programme_name.end());  // the rules took only known programmes
    const std::optional<std::string_view> country = country_alpha2(s.country);
    FL_CHECK(country.has_value());  // the schema took only country codes
    // 2 implementation while money is committed and unpaid; 3 finalisation
    // once all of it is paid; 5 cancelled when nothing stays committed.
    const char* status = act.committed == 0 ? "5" : act.paid == act.committed ? "3" : "2";
    a += " <iati-activity last-updated-datetime=\"" + generated +
         "\" xml:lang=\"en\" default-currency=\"USD\" hierarchy=\"2\">\n";
    a += "  <iati-identifier>" + xml_escape(fund_id + "-" + id) + "</iati-identifier>\n" + reporting_org;
    a += "  <title>" + narrative(s.applicant + ": " + c.title) + "</title>\n";
    a += "  <description type=\"1\">" +
         narrative("Proposal " + id + " to the call " + s.call + " (" + programme->second + "), submitted on " +
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
  return {{"iati-activities.xml", std::move(a)}, {"iati-organisation.xml", std::move(o)}};
}

}  // namespace

struct Exporter::Output {
  std::optional<CsvOutput> csv;
  std::optional<IatiOutput> iati;
};

Exporter::Exporter(ExportFormat format, IatiPublisher publisher) : output_(std::make_unique<Output>()) {
  if (format == ExportFormat::kCsv) {
    output_->csv.emplace();
  } else {
    output_->iati.emplace(std::move(publisher));
  }
}
Exporter::~Exporter() = default;
Exporter::Exporter(Exporter&&) noexcept = default;
Exporter& Exporter::operator=(Exporter&&) noexcept = default;

void Exporter::add(const Event& event) {
  FL_CHECK(event.seq == size_ + 1);
  size_ = event.seq;
  if (output_->csv) output_->csv->add(event);
  if (output_->iati) output_->iati->add(event);
}

std::vector<ExportFile> Exporter::files() {
  FL_CHECK(output_);
  std::vector<ExportFile> out = output_->csv ? output_->csv->finish() : output_->iati->finish();
  output_.reset();
  return out;
}

}  // namespace fundledger
