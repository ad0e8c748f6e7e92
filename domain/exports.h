#pragma once
// The fund's records for spreadsheets and for IATI, the aid-transparency
// registry. Both are made from the events alone, in seq order, and every
// figure in them carries the seq of the event it comes from: a CSV row is
// one event; an IATI transaction is one event (a refund is two, below).
//
// CSV (RFC 4180): one file per kind of record, a header row, fields quoted
// when they hold a comma, a quote or a line break, lines ending in CRLF,
// UTF-8 with a byte-order mark (so that spreadsheets read it as UTF-8).
// Amounts are decimals as the events hold them ("2500000.00"). A text
// beginning with = + - @ or a tab, which a spreadsheet would run as a
// formula, is written with a leading apostrophe.
//
// IATI 2.03: the activity file holds one activity for the fund (hierarchy
// 1: incoming pledges 13, pledges written off as negative 13, incoming
// funds 1) and one for each approved proposal (hierarchy 2: its approval
// an outgoing commitment 2, each payment a disbursement 3, a release a
// negative commitment; a refund lowers both what was paid and what is
// committed, as in the fund's figures, so it is a negative disbursement
// and a negative commitment, both with the refund's seq). Each
// transaction's ref is "seq-N". The organisation file holds the fund's
// managing organisation with its spending by year, one expense line per
// payment or refund. The output depends on the events only: the same
// events give the same bytes.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "domain/event.h"

namespace fundledger {

namespace exports {
class Output;  // domain/export_output.h
}  // namespace exports

struct ExportFile {
  std::string name;  // "donors.csv", "iati-activities.xml"
  std::string content;
};

// Who publishes the IATI files. The defaults are those of the fund of
// DOMAIN.md: UNEP, its secretariat, by its IATI organisation identifier.
struct IatiPublisher {
  std::string org_ref = "XM-DAC-41116";
  std::string org_name = "United Nations Environment Programme";
  std::string org_type = "40";  // IATI OrganisationType: multilateral
  // The fund's activity is "<org_ref>-<fund_ref>"; a proposal's is
  // "<org_ref>-<fund_ref>-<proposal>".
  std::string fund_ref = "10YFP-TF";
  std::string fund_name = "10YFP Trust Fund";
};

enum class ExportFormat { kCsv, kIati };

// The CSV files, in this order: the name and the columns of each.
struct CsvKind {
  const char* file;
  std::vector<const char*> columns;
};
const std::vector<CsvKind>& csv_kinds();
// The file of `export --format csv` beside them that holds the statement
// of sources and uses (domain/statement.h: statement_csv), made from the
// others and so left out by import.
inline constexpr const char* kStatementCsvFile = "statement.csv";
// Whether `name` is a file of `export --format csv`.
bool is_csv_export_file(std::string_view name);

// Renders the files of one format from the events of a log, 1 to N in
// order, as they are added: it holds the output and what is needed to
// finish it (names, calls, the proposals' transactions), not the events.
// An event as the public sees it (`serve --public exports`): no actor, no
// free-text reason, no focal point (a person's name), and an access event
// without the token's holder, hash or donor.
void redact_for_public(Event& event);

class Exporter {
 public:
  explicit Exporter(ExportFormat format, IatiPublisher publisher = {});
  ~Exporter();
  Exporter(Exporter&&) noexcept;
  Exporter& operator=(Exporter&&) noexcept;

  // The next event; its seq must follow the last one's.
  void add(const Event& event);
  std::uint64_t size() const { return size_; }

  // The files, in the order of csv_kinds() or activities then
  // organisation. Called once: the exporter is spent after.
  std::vector<ExportFile> files();

 private:
  std::unique_ptr<exports::Output> output_;
  std::uint64_t size_ = 0;
};

}  // namespace fundledger
