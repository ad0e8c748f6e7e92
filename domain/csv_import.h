#pragma once
// The events that the CSV files of `export --format csv` stand for
// (domain/exports.h): the same file names and columns, each row one event,
// so that a spreadsheet kept or corrected by hand, or the export of
// another ledger, can be recorded as one atomic request.
//
// Rows with a `seq` are put in the order of their seqs (the order they
// were recorded in), then the rows without one, file by file in the order
// of csv_kinds() (donors before their pledges, pledges before the
// contributions to them, ...), row by row; a call's closing (`closed_on`)
// follows its `closed_seq`, or, without one, comes after every other row.
// The seq itself is not kept: the ledger gives each event the next one.
// `recorded_at` and `actor` are the ledger's to stamp, and are not read.
// An event's id is the row's `event_id`, or else one made from its
// business id: `pledge-JPN-2014`, `contribution-c-1`, `approval-P7`.
// Empty cells are absent fields; `regions` lists regions separated by
// spaces, none or all five meaning a call open to every region.
// access.csv is left out: the ledger records its own tokens (SPEC:
// reserved_type); and so is statement.csv, which the export makes from
// the other files.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "domain/event.h"
#include "domain/exports.h"
#include "util/status.h"

namespace fundledger {

// Where an event came from: its file and its row as a spreadsheet numbers
// it (the header is row 1).
struct ImportRow {
  std::string file;
  std::size_t row = 0;
};

struct CsvImport {
  std::vector<Draft> drafts;          // in the order to append
  std::vector<ImportRow> rows;        // the row of each draft
  std::size_t access_rows_left_out = 0;
  std::size_t statement_rows_left_out = 0;
};

// The events of `files` (named as csv_kinds() names them; any subset).
// Refusals carry `where` (the file, the row when there is one) and a
// field that names the column: invalid_csv (a file not of the export, a
// header without a column the file needs or with one it does not have, a
// quote left open, a row of the wrong length, a seq that is not a number
// or is used twice, a decision's outcome neither approved nor rejected,
// a reversal without its reversed_seq),
// and the codes of decoding an event (invalid_amount, invalid_date, ...).
// A reversal row (reversals.csv) names what it reverses by `reversed_seq`:
// the seq of a row of the files, which becomes the seq that row gets when
// the drafts land from `first_seq` on (1: the files of an export restored
// into an empty ledger, or imported again where every row is a repeat),
// or else the seq of an event the ledger already holds. Its facts (amount,
// donor, ...) are sent as the row gives them, so that a reversal that
// would name another event is refused (reversal_mismatch) rather than
// recorded.
Result<CsvImport> import_csv(const std::vector<ExportFile>& files, ImportRow& where,
                             std::uint64_t first_seq = 1);

// The column of a row that a refusal's field names: "data.amount" is
// "amount", "id" is "event_id"; a call's closing names "closed_on".
std::string import_column(const std::string& field);

}  // namespace fundledger
