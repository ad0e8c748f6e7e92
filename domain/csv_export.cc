// The CSV files of domain/exports.h: one per kind of record, one row per
// event, RFC 4180.

#include <unordered_map>

#include "domain/export_output.h"
#include "domain/formats.h"
#include "util/check.h"

namespace fundledger {

const std::vector<CsvKind>& csv_kinds() {
  // Every file ends with the event's recorded_at, actor and id.
  static const std::vector<CsvKind> kinds = {
      {"donors.csv", {"seq", "donor", "name", "kind", "country"}},
      {"programmes.csv", {"seq", "programme", "name"}},
      {"pledges.csv", {"seq", "pledge", "donor", "amount", "currency", "pledged_on", "due_on", "programme"}},
      {"write_offs.csv", {"seq", "pledge", "amount", "currency", "written_off_on", "reason"}},
      {"contributions.csv",
       {"seq", "contribution", "donor", "pledge", "amount", "currency", "usd", "received_on", "admin_fee_usd"}},
      {"calls.csv",
       {"seq", "call", "title", "programme", "decision", "budget_usd", "opened_on", "closes_on", "regions",
        "closed_on", "closed_seq"}},
      {"proposals.csv",
       {"seq", "proposal", "call", "applicant", "country", "region", "requested_usd", "submitted_on",
        "focal_point"}},
      {"decisions.csv", {"seq", "proposal", "outcome", "approved_usd", "decision", "decided_on", "reason"}},
      {"disbursements.csv", {"seq", "disbursement", "proposal", "amount_usd", "paid_on"}},
      {"refunds.csv", {"seq", "refund", "proposal", "amount_usd", "received_on"}},
      {"releases.csv", {"seq", "proposal", "amount_usd", "released_on", "reason"}},
      {"access.csv", {"seq", "change", "name", "role", "token", "expires_on"}},
      {"reversals.csv",
       {"seq", "reversed_seq", "reverses", "reversed_on", "reason", "contribution", "disbursement", "refund",
        "donor", "pledge", "proposal", "amount", "currency", "usd", "amount_usd", "admin_fee_usd"}},
      {"income.csv", {"seq", "income", "kind", "amount_usd", "received_on", "reason"}},
      {"costs.csv", {"seq", "cost", "kind", "amount_usd", "charged_on", "reason"}},
      {"terms.csv", {"seq", "effective_on", "eligible_countries", "admin_fee_bps", "dual_control_usd"}},
      {"requests.csv", {"seq", "disbursement", "proposal", "amount_usd", "requested_on"}},
      {"cancellations.csv", {"seq", "disbursement", "cancelled_on", "reason"}},
      {"board_decisions.csv", {"seq", "decision", "meeting_on", "kind", "summary"}},
      {"board_members.csv",
       {"seq", "member", "country", "region", "seat", "from", "to", "shared_with", "co_chair_to"}},
      {"board_departures.csv", {"seq", "member", "left_on", "reason"}},
  };
  return kinds;
}

bool is_csv_export_file(std::string_view name) {
  if (name == kStatementCsvFile) return true;
  for (const CsvKind& kind : csv_kinds()) {
    if (name == kind.file) return true;
  }
  return false;
}

namespace exports {
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
    case EventType::kAccessGranted:
    case EventType::kAccessRevoked: return 11;
    case EventType::kEntryReversed: return 12;
    case EventType::kIncomeReceived: return 13;
    case EventType::kCostCharged: return 14;
    case EventType::kTermsSet: return 15;
    case EventType::kDisbursementRequested: return 16;
    case EventType::kDisbursementCancelled: return 17;
    case EventType::kDecisionRecorded: return 18;
    case EventType::kBoardMemberAppointed: return 19;
    case EventType::kBoardMemberLeft: return 20;
  }
  return -1;
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

// The files as rows are added: each kind's text so far; calls are held as
// fields until the end, since a call's closing fills in its row.
struct CsvState {
  std::vector<std::string> files;  // by csv_kinds() index
  std::vector<std::vector<std::string>> calls;
  std::unordered_map<std::string, std::size_t> call_row;  // call id -> row in `calls`
  std::unordered_map<std::string, std::string> pledge_currency;
  static constexpr std::size_t kCallsKind = 5;
  static constexpr std::size_t kClosedOnColumn = 9;
  static constexpr std::size_t kClosedSeqColumn = 10;
};

class CsvOutput final : public Output {
 public:
  CsvOutput();
  void add(const Event& e) override;
  std::vector<ExportFile> finish() override;

 private:
  CsvState s_;
};

CsvOutput::CsvOutput() {
  for (const CsvKind& kind : csv_kinds()) {
    std::string text = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
    std::vector<std::string> header(kind.columns.begin(), kind.columns.end());
    header.insert(header.end(), kTrailingColumns.begin(), kTrailingColumns.end());
    append_csv_row(text, header);
    s_.files.push_back(std::move(text));
  }
}

void CsvOutput::add(const Event& e) {
  CsvState& s = s_;
  const int kind = csv_kind_of(e.type);
  if (e.type == EventType::kPledgeRecorded) s.pledge_currency[std::string(field(e, "pledge"))] = field(e, "currency");
  if (kind < 0) {  // call.closed: the call's row gets its date and seq
    const auto found = s.call_row.find(std::string(field(e, "call")));
    FL_CHECK(found != s.call_row.end());  // the rules let only an open call close
    std::vector<std::string>& row = s.calls[found->second];
    row[CsvState::kClosedOnColumn] = field(e, "closed_on");
    row[CsvState::kClosedSeqColumn] = std::to_string(e.seq);
    return;
  }
  std::vector<std::string> row;
  for (const char* column : csv_kinds()[static_cast<std::size_t>(kind)].columns) {
    const std::string_view c = column;
    if (c == "seq") {
      row.push_back(std::to_string(e.seq));
    } else if (c == "outcome") {
      row.emplace_back(e.type == EventType::kProposalApproved ? "approved" : "rejected");
    } else if (c == "change") {
      row.emplace_back(e.type == EventType::kAccessGranted ? "granted" : "revoked");
    } else if (c == "currency" && e.type == EventType::kPledgeWrittenOff) {
      row.push_back(s.pledge_currency[std::string(field(e, "pledge"))]);
    } else if (c == "reversed_seq") {
      row.emplace_back(field(e, "seq"));
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
    s.call_row[std::string(field(e, "call"))] = s.calls.size();
    s.calls.push_back(std::move(row));
  } else {
    append_csv_row(s.files[static_cast<std::size_t>(kind)], row);
  }
}

std::vector<ExportFile> CsvOutput::finish() {
  for (const std::vector<std::string>& row : s_.calls) append_csv_row(s_.files[CsvState::kCallsKind], row);
  std::vector<ExportFile> out;
  for (std::size_t k = 0; k < s_.files.size(); ++k) out.push_back({csv_kinds()[k].file, std::move(s_.files[k])});
  return out;
}

}  // namespace

std::unique_ptr<Output> csv_output() { return std::make_unique<CsvOutput>(); }

}  // namespace exports
}  // namespace fundledger
