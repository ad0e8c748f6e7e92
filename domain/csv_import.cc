#include "domain/csv_import.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "domain/formats.h"
#include "domain/schema.h"
#include "util/check.h"
#include "util/json.h"

namespace fundledger {
namespace {

using json = nlohmann::json;
using Row = std::vector<std::string>;

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kAccessFile = "access.csv";
// Columns every file may have and the import does not need.
constexpr std::array<std::string_view, 4> kOptionalColumns = {"seq", "recorded_at", "actor", "event_id"};

Status bad_csv(std::string message, std::string column = "") {
  return Status::error(Code::kInvalidCsv, std::move(message), std::move(column));
}

// A field the export wrote with a leading apostrophe so that a spreadsheet
// would not run it as a formula, as it was.
std::string undefused(std::string field, bool quoted) {
  if (quoted && field.size() >= 2 && field[0] == '\'' &&
      std::string_view("=+-@\t\r").find(field[1]) != std::string_view::npos) {
    field.erase(0, 1);
  }
  return field;
}

// RFC 4180: fields separated by commas, rows by CRLF (or LF), a field in
// quotes when it holds one of them, a quote in it doubled. `where.row`
// says the row a refusal is in, counted as a spreadsheet counts them (a
// line break inside quotes does not start a row).
Result<std::vector<Row>> parse_csv(std::string_view text, ImportRow& where) {
  if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  std::size_t i = 0;
  const auto end_field = [&] {
    row.push_back(undefused(std::move(field), quoted));
    field.clear();
    quoted = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty() && !quoted) {
      // A quoted field: up to the quote that is not doubled.
      quoted = true;
      where.row = rows.size() + 1;
      for (++i;; ++i) {
        if (i == text.size()) {
          return bad_csv("a quote opened in row " + std::to_string(where.row) + " is never closed");
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        field += text[i];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
        return bad_csv("row " + std::to_string(where.row) + " has text after a closing quote");
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
    } else if (c == '\r' || c == '\n') {
      end_field();
      rows.push_back(std::move(row));
      row.clear();
      i += (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ? 2 : 1;
    } else {
      field += c;
      ++i;
    }
  }
  if (!field.empty() || quoted || !row.empty()) {
    end_field();
    rows.push_back(std::move(row));
  }
  return rows;
}

// One row, read against its file's header.
struct Cells {
  const Row& header;
  const Row& row;
  std::string get(std::string_view column) const {
    for (std::size_t i = 0; i < header.size(); ++i) {
      if (header[i] == column) return row[i];
    }
    return "";
  }
};

struct Pending {
  std::optional<std::uint64_t> seq;
  std::size_t order;  // for rows without a seq: file, then row
  std::string line;   // the event as JSON
  ImportRow row;
};

json data_of(const Cells& cells, std::span<const char* const> fields) {
  json data = json::object();
  for (const char* f : fields) {
    const std::string value = cells.get(f);
    if (!value.empty()) data[f] = value;
  }
  return data;
}

json data_of(const Cells& cells, std::initializer_list<const char*> fields) {
  return data_of(cells, std::span<const char* const>(fields.begin(), fields.size()));
}

std::string event_line(const std::string& id, const char* type, json data) {
  return json{{"id", id}, {"type", type}, {"data", std::move(data)}}.dump();
}

// The event id a row names, or one made from `made`.
std::string id_of(const Cells& cells, const std::string& made) {
  const std::string given = cells.get("event_id");
  return given.empty() ? made : given;
}

// The call.opened row's regions: absent (every region) when the cell is
// empty or lists all five.
json regions_of(const std::string& cell) {
  json list = json::array();
  std::size_t start = 0;
  while (start <= cell.size()) {
    const std::size_t space = cell.find(' ', start);
    const std::string region = cell.substr(start, space - start);
    if (!region.empty()) list.push_back(region);
    if (space == std::string::npos) break;
    start = space + 1;
  }
  std::vector<std::string> sorted = list.get<std::vector<std::string>>();
  std::sort(sorted.begin(), sorted.end());
  if (list.empty() || std::equal(sorted.begin(), sorted.end(), kRegions.begin(), kRegions.end())) return nullptr;
  return list;
}

// A call's closing, from its row.
std::string closing_of(const Cells& c) {
  return event_line("call-closed-" + c.get("call"), "call.closed", data_of(c, {"call", "closed_on"}));
}

// A seq written in a cell: 1 or more.
std::optional<std::uint64_t> number(const std::string& text) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0) return std::nullopt;
  return v;
}

// A reversal's data from its row. data.seq is the file's reversed_seq
// here; import_csv moves it to the seq that row will get
// (renumber_reversals).
json reversal_data(const Cells& c) {
  json data = data_of(c, {"reason", "reversed_on", "reverses", "contribution", "disbursement", "refund", "donor",
                          "pledge", "proposal", "amount", "currency", "usd", "amount_usd", "admin_fee_usd"});
  data["seq"] = c.get("reversed_seq");
  return data;
}

// The files whose rows are one event each, all of their fields as they
// are: the event type, and the id made for a row without an event_id
// from a prefix and the cells that name the record.
struct PlainFile {
  std::string_view file;
  const char* type;
  const char* prefix;
  std::vector<const char*> id_columns;
  std::vector<const char*> fields;
};

const std::vector<PlainFile>& plain_files() {
  static const std::vector<PlainFile> kFiles = {
      {"donors.csv", "donor.registered", "donor-", {"donor"}, {"donor", "name", "kind", "country"}},
      {"programmes.csv", "programme.registered", "programme-", {"programme"}, {"programme", "name"}},
      {"pledges.csv", "pledge.recorded", "pledge-", {"pledge"},
       {"pledge", "donor", "amount", "currency", "pledged_on", "due_on", "programme"}},
      {"write_offs.csv", "pledge.written_off", "write-off-", {"pledge", "written_off_on"},
       {"pledge", "amount", "written_off_on", "reason"}},
      {"contributions.csv", "contribution.received", "contribution-", {"contribution"},
       {"contribution", "donor", "pledge", "amount", "currency", "usd", "received_on", "admin_fee_usd"}},
      {"proposals.csv", "proposal.submitted", "proposal-", {"proposal"},
       {"proposal", "call", "applicant", "country", "region", "requested_usd", "submitted_on", "focal_point"}},
      {"disbursements.csv", "disbursement.made", "disbursement-", {"disbursement"},
       {"disbursement", "proposal", "amount_usd", "paid_on"}},
      {"refunds.csv", "refund.received", "refund-", {"refund"}, {"refund", "proposal", "amount_usd", "received_on"}},
      {"releases.csv", "allocation.released", "release-", {"proposal", "released_on"},
       {"proposal", "amount_usd", "released_on", "reason"}},
      {"income.csv", "income.received", "income-", {"income"}, {"income", "kind", "amount_usd", "received_on", "reason"}},
      {"costs.csv", "cost.charged", "cost-", {"cost"}, {"cost", "kind", "amount_usd", "charged_on", "reason"}},
      {"terms.csv", "terms.set", "terms-", {"effective_on"},
       {"effective_on", "eligible_countries", "admin_fee_bps", "dual_control_usd"}},
      {"requests.csv", "disbursement.requested", "request-", {"disbursement"},
       {"disbursement", "proposal", "amount_usd", "requested_on"}},
      {"cancellations.csv", "disbursement.cancelled", "cancellation-", {"disbursement"},
       {"disbursement", "cancelled_on", "reason"}},
      {"board_decisions.csv", "decision.recorded", "decision-", {"decision"},
       {"decision", "meeting_on", "kind", "summary"}},
      {"board_members.csv", "board.member.appointed", "member-", {"member"},
       {"member", "country", "region", "seat", "from", "to", "shared_with", "co_chair_to"}},
      {"board_departures.csv", "board.member.left", "member-left-", {"member"}, {"member", "left_on", "reason"}},
  };
  return kFiles;
}

// The events of one row of `file` (one, or two for a call that closed).
Result<std::vector<std::pair<std::optional<std::uint64_t>, std::string>>> row_events(std::string_view file,
                                                                                      const Cells& c) {
  using Out = std::vector<std::pair<std::optional<std::uint64_t>, std::string>>;
  for (const char* column : {"seq", "closed_seq", "reversed_seq"}) {
    const std::string text = c.get(column);
    if (!text.empty() && !number(text)) return bad_csv(std::string(column) + " must be a seq: 1 or more", column);
  }
  const std::optional<std::uint64_t> seq = number(c.get("seq"));
  const auto one = [&](const std::string& id, const char* type, json data) {
    return Out{{seq, event_line(id_of(c, id), type, std::move(data))}};
  };
  for (const PlainFile& plain : plain_files()) {
    if (plain.file != file) continue;
    std::string id = plain.prefix;
    for (std::size_t i = 0; i < plain.id_columns.size(); ++i) id += (i > 0 ? "-" : "") + c.get(plain.id_columns[i]);
    return one(id, plain.type, data_of(c, plain.fields));
  }
  if (file == "calls.csv") {
    json data = data_of(c, {"call", "title", "programme", "decision", "budget_usd", "opened_on", "closes_on"});
    if (json regions = regions_of(c.get("regions")); !regions.is_null()) data["regions"] = std::move(regions);
    Out out = one("call-" + c.get("call"), "call.opened", std::move(data));
    if (!c.get("closed_on").empty()) out.emplace_back(number(c.get("closed_seq")), closing_of(c));
    return out;
  }
  if (file == "decisions.csv") {
    const std::string outcome = c.get("outcome");
    if (outcome == "approved") {
      return one("approval-" + c.get("proposal"), "proposal.approved",
                 data_of(c, {"proposal", "approved_usd", "decision", "decided_on"}));
    }
    if (outcome == "rejected") {
      return one("rejection-" + c.get("proposal"), "proposal.rejected",
                 data_of(c, {"proposal", "decision", "decided_on", "reason"}));
    }
    return bad_csv("outcome must be approved or rejected", "outcome");
  }
  FL_CHECK(file == "reversals.csv");
  if (c.get("reversed_seq").empty()) return bad_csv("reversed_seq must be a seq: 1 or more", "reversed_seq");
  return one("reversal-" + c.get("reversed_seq") + "-" + c.get("reversed_on"), "entry.reversed", reversal_data(c));
}

// A reversal names the event it reverses by the seq the file gives it
// (reversed_seq). When a row of the import has that seq, the reversal
// names the seq that row will get in this ledger, the first draft landing
// at `first_seq`; otherwise it names the ledger's own event of that seq.
void renumber_reversals(std::vector<Pending>& pending, std::uint64_t first_seq) {
  std::map<std::uint64_t, std::uint64_t> renumbered;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    if (pending[i].seq) renumbered[*pending[i].seq] = first_seq + i;
  }
  for (Pending& p : pending) {
    if (p.row.file != "reversals.csv") continue;
    json event = json::parse(p.line);
    const auto found = renumbered.find(std::stoull(event["data"]["seq"].get<std::string>()));
    if (found == renumbered.end()) continue;
    event["data"]["seq"] = std::to_string(found->second);
    p.line = event.dump();
  }
}

// The event types a file's rows become.
std::vector<EventType> types_of(std::string_view file) {
  using T = EventType;
  static const std::map<std::string_view, std::vector<EventType>> kTypes = {
      {"donors.csv", {T::kDonorRegistered}},        {"programmes.csv", {T::kProgrammeRegistered}},
      {"pledges.csv", {T::kPledgeRecorded}},        {"write_offs.csv", {T::kPledgeWrittenOff}},
      {"contributions.csv", {T::kContributionReceived}}, {"calls.csv", {T::kCallOpened}},
      {"proposals.csv", {T::kProposalSubmitted}},   {"decisions.csv", {T::kProposalApproved, T::kProposalRejected}},
      {"disbursements.csv", {T::kDisbursementMade}}, {"refunds.csv", {T::kRefundReceived}},
      {"releases.csv", {T::kAllocationReleased}},   {"reversals.csv", {T::kEntryReversed}},
      {"income.csv", {T::kIncomeReceived}},         {"costs.csv", {T::kCostCharged}},
      {"terms.csv", {T::kTermsSet}},                {"requests.csv", {T::kDisbursementRequested}},
      {"cancellations.csv", {T::kDisbursementCancelled}}, {"board_decisions.csv", {T::kDecisionRecorded}},
      {"board_members.csv", {T::kBoardMemberAppointed}},   {"board_departures.csv", {T::kBoardMemberLeft}}};
  const auto found = kTypes.find(file);
  return found == kTypes.end() ? std::vector<EventType>{} : found->second;
}

// The header must hold the columns every row of the file needs (the
// fields each of its event types requires, and a decision's outcome), and
// none the export does not write. A column of optional fields may be left
// out.
Status check_header(const CsvKind& kind, const Row& header) {
  const auto in = [](const auto& list, std::string_view column) {
    return std::find(list.begin(), list.end(), column) != list.end();
  };
  for (const std::string& column : header) {
    if (!in(kind.columns, column) && !in(kOptionalColumns, column)) {
      return bad_csv("the file has no column \"" + column + "\"", column);
    }
    if (std::count(header.begin(), header.end(), column) > 1) {
      return bad_csv("the column \"" + column + "\" is there twice", column);
    }
  }
  const std::vector<EventType> types = types_of(kind.file);
  for (const std::string_view column : kind.columns) {
    if (in(kOptionalColumns, column)) continue;
    // Required by every type the file's rows may be.
    bool needed = !types.empty();
    for (const EventType type : types) {
      bool required = false;
      for (const FieldInfo& f : data_fields(type)) required = required || (f.name == column && f.required);
      needed = needed && required;
    }
    needed = needed || column == "outcome" || column == "reversed_seq";
    if (needed && !in(header, column)) {
      return bad_csv("the header lacks the column \"" + std::string(column) + "\"", std::string(column));
    }
  }
  return Status::ok();
}

// A spreadsheet saved in another encoding (Windows-1252, Latin-1) is
// refused at the first cell that is not UTF-8, rather than read wrong.
Status utf8_row(const Row& header, const Row& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (is_valid_utf8(row[i])) continue;
    return bad_csv("the text is not UTF-8: save the file as \"CSV UTF-8\"", i < header.size() ? header[i] : "");
  }
  return Status::ok();
}

// The rows of the statement beside the records, which import leaves out
// (the records make it again).
Result<std::size_t> rows_of_statement(const std::vector<ExportFile>& files, ImportRow& where) {
  std::size_t left_out = 0;
  for (const ExportFile& f : files) {
    if (f.name != kStatementCsvFile) continue;
    where = {f.name, 0};
    Result<std::vector<Row>> rows = parse_csv(f.content, where);
    if (!rows) return rows.status();
    left_out += rows->empty() ? 0 : rows->size() - 1;
  }
  return left_out;
}

}  // namespace

std::string import_column(const std::string& field) {
  if (field == "id") return "event_id";
  if (field == "data.seq") return "reversed_seq";  // only a reversal has a seq among its data
  if (field.starts_with("data.")) return field.substr(5);
  return field;
}

Result<CsvImport> import_csv(const std::vector<ExportFile>& files, ImportRow& where, std::uint64_t first_seq) {
  CsvImport out;
  std::vector<Pending> pending;
  std::vector<Pending> closings;  // calls closed without a closed_seq: last
  const std::vector<CsvKind>& kinds = csv_kinds();
  for (std::size_t k = 0; k < kinds.size(); ++k) {
    const auto file = std::find_if(files.begin(), files.end(), [&](const ExportFile& f) { return f.name == kinds[k].file; });
    if (file == files.end()) continue;
    where = {file->name, 0};
    Result<std::vector<Row>> rows = parse_csv(file->content, where);
    if (!rows) return rows.status();
    if (rows->empty()) continue;
    if (file->name == kAccessFile) {
      out.access_rows_left_out += rows->size() - 1;
      continue;
    }
    const Row& header = rows->front();
    where.row = 1;
    FL_RETURN_IF_ERROR(utf8_row(header, header));
    FL_RETURN_IF_ERROR(check_header(kinds[k], header));
    for (std::size_t r = 1; r < rows->size(); ++r) {
      const Row& row = (*rows)[r];
      where.row = r + 1;
      FL_RETURN_IF_ERROR(utf8_row(header, row));
      if (row.size() == 1 && row[0].empty()) continue;  // a blank line
      if (row.size() != header.size()) {
        return bad_csv("the row has " + std::to_string(row.size()) + " fields and the header " +
                       std::to_string(header.size()));
      }
      auto events = row_events(file->name, Cells{header, row});
      if (!events) return events.status();
      for (std::size_t e = 0; e < events->size(); ++e) {
        auto& [seq, line] = (*events)[e];
        // Rows without a seq: the terms and the Board's decisions first,
        // as the rest rests on them, then file by file.
        const std::string_view name = kinds[k].file;
        const std::uint64_t rank = name == "terms.csv" || name == "board_decisions.csv" ? 0 : k + 1;
        Pending p{seq, rank * (1ull << 40) + r, std::move(line), where};
        (e == 1 && !seq ? closings : pending).push_back(std::move(p));
      }
    }
  }
  Result<std::size_t> statement_rows = rows_of_statement(files, where);
  if (!statement_rows) return statement_rows.status();
  out.statement_rows_left_out = *statement_rows;
  std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
    if (a.seq.has_value() != b.seq.has_value()) return a.seq.has_value();
    return a.seq ? *a.seq < *b.seq : a.order < b.order;
  });
  for (std::size_t i = 1; i < pending.size() && pending[i].seq; ++i) {
    if (pending[i].seq != pending[i - 1].seq) continue;
    where = pending[i].row;
    return bad_csv("seq " + std::to_string(*pending[i].seq) + " is also in " + pending[i - 1].row.file + " row " +
                       std::to_string(pending[i - 1].row.row),
                   "seq");
  }
  pending.insert(pending.end(), std::make_move_iterator(closings.begin()), std::make_move_iterator(closings.end()));
  renumber_reversals(pending, first_seq);
  for (Pending& p : pending) {
    where = p.row;
    Result<Draft> draft = decode_draft(p.line);
    if (draft) {
      if (Status sent = check_client_type(*draft); !sent) draft = std::move(sent);
    }
    if (!draft) return Status::error(draft.status().code(), draft.status().message(), import_column(draft.status().field()));
    out.drafts.push_back(std::move(*draft));
    out.rows.push_back(std::move(p.row));
  }
  return out;
}

}  // namespace fundledger
