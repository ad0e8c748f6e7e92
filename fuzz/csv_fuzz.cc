// The spreadsheet importer (domain/csv_import.h): any bytes as one of the
// export's CSV files (the first byte picks which) are imported or refused
// with the file and row named; every event imported is one a client could
// have sent, and each names the row it came from.

#include "domain/csv_import.h"
#include "domain/exports.h"
#include "fuzz/fuzz_support.h"

using namespace fundledger;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::vector<CsvKind>& kinds = csv_kinds();
  const std::string name = kinds[data[0] % kinds.size()].file;
  const std::vector<ExportFile> files = {{name, std::string(fuzz::text_of(data + 1, size - 1))}};
  ImportRow where;
  Result<CsvImport> imported = import_csv(files, where);
  if (!imported) {
    fuzz::require(where.file == name, "a refusal names the file");
    return 0;
  }
  fuzz::require(imported->rows.size() == imported->drafts.size(), "each event has its row");
  for (std::size_t i = 0; i < imported->drafts.size(); ++i) {
    const Draft& d = imported->drafts[i];
    fuzz::require(imported->rows[i].file == name && imported->rows[i].row >= 2, "a row after the header");
    fuzz::require(check_client_type(d).is_ok(), "no event a client may not send");
    const std::string line = "{\"data\":" + d.data_bytes + ",\"id\":\"" + d.id + "\",\"type\":\"" +
                             std::string(event_type_name(d.type)) + "\"}";
    Result<Draft> again = decode_draft(line);
    fuzz::require(again.is_ok() && again->data_bytes == d.data_bytes, "an imported event decodes as sent");
  }
  return 0;
}
