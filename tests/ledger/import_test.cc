// Importing the CSV files of `export --format csv` (domain/csv_import.h):
// the export of a ledger, imported into an empty one, gives the same views
// byte for byte; new rows get their ids from their business ids; every
// refusal names the file, the row and the column.

#include <ostream>

#include <catch2/catch.hpp>

#include "domain/csv_import.h"
#include "domain/exports.h"
#include "ledger/replay.h"
#include "tests/support.h"

namespace fundledger {
namespace {

std::vector<ExportFile> csv_of(const test::Ledger& ledger) {
  Exporter exporter(ExportFormat::kCsv);
  const auto reader = ledger.store->reader();
  REQUIRE(for_each_event(*reader, reader->head().size, [&](const Event& e) { exporter.add(e); }).to_string() ==
          "ok");
  return exporter.files();
}

std::string views_of(test::Ledger& ledger, const std::vector<std::string>& proposals) {
  std::string out;
  REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head&) { out = test::all_views(s, proposals); })
              .to_string() == "ok");
  return out;
}

TEST_CASE("the CSV export of a ledger, imported into an empty one, gives the same views", "[import]") {
  test::Ledger original;
  original.append(test::generated(3200, 11));
  std::vector<std::string> proposals;
  const std::vector<ExportFile> files = csv_of(original);
  // Every proposal the export names, for the views of each.
  for (const ExportFile& f : files) {
    if (f.name != "proposals.csv") continue;
    std::size_t at = f.content.find("\r\n") + 2;
    while (at < f.content.size()) {
      const std::size_t comma = f.content.find(',', at);
      const std::size_t next = f.content.find(',', comma + 1);
      proposals.push_back(f.content.substr(comma + 1, next - comma - 1));
      at = f.content.find("\r\n", at) + 2;
    }
  }
  REQUIRE(proposals.size() > 1000);

  ImportRow where;
  Result<CsvImport> imported = import_csv(files, where);
  REQUIRE(imported.status().to_string() == "ok");
  REQUIRE(imported->drafts.size() == 3200);
  test::Ledger copy;
  AppendResult r = copy.writer->append(std::move(imported->drafts), "manager:alice");
  REQUIRE(r.status.to_string() == "ok");
  CHECK(copy.store->head().size == 3200);
  CHECK(views_of(copy, proposals) == views_of(original, proposals));
  // And its own export is the same again, event ids included, but for
  // when and by whom each event was recorded.
  const std::vector<ExportFile> again = csv_of(copy);
  REQUIRE(again.size() == files.size());
  const auto without_stamps = [](const std::string& csv) {
    std::string out;
    std::size_t at = 0;
    while (at < csv.size()) {
      const std::size_t end = csv.find("\r\n", at);
      std::string line = csv.substr(at, end - at);
      // recorded_at and actor come before event_id, the last column.
      const std::size_t id = line.rfind(',');
      const std::size_t recorded_at = line.rfind(',', line.rfind(',', id - 1) - 1);
      line = line.substr(0, recorded_at) + line.substr(id);
      out += line + "\n";
      at = end + 2;
    }
    return out;
  };
  for (std::size_t i = 0; i < files.size(); ++i) {
    INFO(files[i].name);
    CHECK(without_stamps(again[i].content) == without_stamps(files[i].content));
  }
}

TEST_CASE("rows without seq or event_id are recorded after the others, with ids from their business ids",
          "[import]") {
  const std::vector<ExportFile> files = {
      {"contributions.csv",
       "contribution,donor,pledge,amount,currency,usd,received_on\r\n"
       "c-1,NOR,NOR-2014,100000.00,EUR,110000.00,2014-03-01\r\n"
       "c-2,NOR,NOR-2014,50000.00,EUR,55000.00,2014-04-01\r\n"
       "c-3,NOR,,20000.00,USD,20000.00,2014-05-01\r\n"},
      {"donors.csv", "donor,name,kind,country\r\nNOR,\"Norway, Government of\",government,NOR\r\n"},
      {"pledges.csv", "pledge,donor,amount,currency,pledged_on,due_on,programme\r\n"
                      "NOR-2014,NOR,250000.00,EUR,2014-01-15,,\r\n"},
  };
  ImportRow where;
  Result<CsvImport> imported = import_csv(files, where);
  REQUIRE(imported.status().to_string() == "ok");
  REQUIRE(imported->drafts.size() == 5);
  std::vector<std::string> ids;
  for (const Draft& d : imported->drafts) ids.push_back(d.id);
  CHECK(ids == std::vector<std::string>{"donor-NOR", "pledge-NOR-2014", "contribution-c-1", "contribution-c-2",
                                        "contribution-c-3"});
  CHECK(imported->rows[4].file == "contributions.csv");
  CHECK(imported->rows[4].row == 4);
  CHECK(*imported->drafts[0].data.get("name") == "Norway, Government of");
  CHECK(imported->drafts[4].data.get("pledge") == nullptr);  // an empty cell is an absent field
  test::Ledger ledger;
  REQUIRE(ledger.writer->append(std::move(imported->drafts), "manager:alice").status.to_string() == "ok");
  REQUIRE(ledger.writer->read_state([](const FundState& s, const Head&) {
    CHECK(s.donor("NOR")->received_usd == 18'500'000);
  }).to_string() == "ok");
}

TEST_CASE("a call's regions: a list, or none or all five for every region", "[import]") {
  const std::string header = "call,title,programme,decision,budget_usd,opened_on,closes_on,regions\r\n";
  ImportRow where;
  Result<CsvImport> imported = import_csv(
      {{"calls.csv", header + "C1,One,spp,BD-1,10.00,2014-01-01,2014-02-01,AFR WEOG\r\n" +
                         "C2,Two,spp,BD-1,10.00,2014-01-01,2014-02-01,\r\n" +
                         "C3,Three,spp,BD-1,10.00,2014-01-01,2014-02-01,WEOG GRULAC EEG APG AFR\r\n"}},
      where);
  REQUIRE(imported.status().to_string() == "ok");
  REQUIRE(imported->drafts.size() == 3);
  CHECK(*imported->drafts[0].data.list("regions") == std::vector<std::string>{"AFR", "WEOG"});
  CHECK(imported->drafts[1].data.list("regions") == nullptr);
  CHECK(imported->drafts[2].data.list("regions") == nullptr);
}

TEST_CASE("a text the export defused as a formula comes back as it was", "[import]") {
  test::Ledger ledger;
  ledger.append(
      R"json({"id":"d1","type":"donor.registered","data":{"donor":"D1","name":"=HYPERLINK(\"x\")","kind":"other"}})json");
  ImportRow where;
  Result<CsvImport> imported = import_csv(csv_of(ledger), where);
  REQUIRE(imported.status().to_string() == "ok");
  REQUIRE(imported->drafts.size() == 1);
  CHECK(imported->drafts[0].id == "d1");
  CHECK(*imported->drafts[0].data.get("name") == "=HYPERLINK(\"x\")");
}

struct Refused {
  std::string status;
  std::string field;
  std::string file;
  std::size_t row;
  bool operator==(const Refused&) const = default;
};

std::ostream& operator<<(std::ostream& out, const Refused& r) {
  return out << r.status << " | " << r.field << " | " << r.file << " row " << r.row;
}

Refused refusal(const std::vector<ExportFile>& files) {
  ImportRow where;
  Result<CsvImport> imported = import_csv(files, where);
  REQUIRE_FALSE(imported.is_ok());
  const Status& s = imported.status();
  return {std::string(code_name(s.code())) + ": " + s.message(), s.field(), where.file, where.row};
}

TEST_CASE("a refusal names the file, the row and the column", "[import]") {
  const std::string donors = "seq,donor,name,kind,country\r\n1,NOR,Norway,government,NOR\r\n";
  const std::string header = "seq,pledge,donor,amount,currency,pledged_on,due_on,programme\r\n";
  const auto files = [&](std::string pledges) {
    return std::vector<ExportFile>{{"donors.csv", donors}, {"pledges.csv", std::move(pledges)}};
  };
  CHECK(refusal(files(header + "2,P1,NOR,1.234,EUR,2014-01-15,,\r\n")) ==
        Refused{"invalid_amount: \"1.234\" is not a valid amount: at most 2 decimal places are allowed for this "
                "currency",
                "amount", "pledges.csv", 2});
  CHECK(refusal(files(header + "2,P1,NOR,1.00,EUR,2014-02-30,,\r\n")).field == "pledged_on");
  CHECK(refusal(files("seq,pledge,donor,amount,currency,pledged_on,colour\r\n")) ==
        Refused{"invalid_csv: the file has no column \"colour\"", "colour", "pledges.csv", 1});
  CHECK(refusal(files("seq,pledge,donor,currency,pledged_on\r\n")) ==
        Refused{"invalid_csv: the header lacks the column \"amount\"", "amount", "pledges.csv", 1});
  CHECK(refusal(files(header + "2,P1,NOR,1.00\r\n")) ==
        Refused{"invalid_csv: the row has 4 fields and the header 8", "", "pledges.csv", 2});
  CHECK(refusal(files(header + "2,P1,NOR,1.00,EUR,2014-01-15,,\r\n3,\"P2,NOR\r\n")) ==
        Refused{"invalid_csv: a quote opened in row 3 is never closed", "", "pledges.csv", 3});
  CHECK(refusal(files(header + "1,P1,NOR,1.00,EUR,2014-01-15,,\r\n")) ==
        Refused{"invalid_csv: seq 1 is also in donors.csv row 2", "seq", "pledges.csv", 2});
  CHECK(refusal(files(header + "x,P1,NOR,1.00,EUR,2014-01-15,,\r\n")) ==
        Refused{"invalid_csv: seq must be a seq: 1 or more", "seq", "pledges.csv", 2});
  CHECK(refusal({{"decisions.csv", "proposal,outcome,approved_usd,decision,decided_on,reason\r\nP,maybe,,D,2014-01-01,\r\n"}}) ==
        Refused{"invalid_csv: outcome must be approved or rejected", "outcome", "decisions.csv", 2});
  // A line break inside quotes does not start a row: the quote left open
  // is in row 3, as the spreadsheet shows it, not on the file's line 4.
  CHECK(refusal({{"donors.csv", "donor,name,kind\r\nNOR,\"Norway,\r\nGovernment of\",government\r\n"
                                "SWE,\"Sweden,government\r\n"}}) ==
        Refused{"invalid_csv: a quote opened in row 3 is never closed", "", "donors.csv", 3});
  // A spreadsheet saved as Latin-1: refused at the first cell that is not
  // UTF-8, not read wrong.
  CHECK(refusal({{"donors.csv", "donor,name,kind,country\r\nNOR,Norv\xE8ge,government,NOR\r\n"}}) ==
        Refused{"invalid_csv: the text is not UTF-8: save the file as \"CSV UTF-8\"", "name", "donors.csv", 2});
  // The ledger's own records are left out, counted.
  ImportRow where;
  Result<CsvImport> access = import_csv(
      {{"access.csv", "seq,change,name,role,token,expires_on\r\n1,granted,bea,board,0123456789abcdef,\r\n"}}, where);
  REQUIRE(access.status().to_string() == "ok");
  CHECK(access->drafts.empty());
  CHECK(access->access_rows_left_out == 1);
}

}  // namespace
}  // namespace fundledger
