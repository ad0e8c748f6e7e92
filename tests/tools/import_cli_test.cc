// `fundledger import --format csv DIR`: a dry run records nothing, the
// export of a ledger imports whole into an empty one and a second import
// records nothing new, and a refusal names the file, the row and the
// column.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;
using test::run_cli;

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

TEST_CASE("import: a dry run, the whole export, a repeat and a refusal", "[cli]") {
  test::TempDir dir;
  const std::string original = " --data " + dir.str() + "/a";
  const std::string copy = " --data " + dir.str() + "/b";
  REQUIRE(run_cli("init" + original).exit_code == 0);
  REQUIRE(run_cli("append -" + original, test::generated(500, 3)).exit_code == 0);
  REQUIRE(run_cli("export --format csv --out " + dir.str() + "/csv" + original).exit_code == 0);
  REQUIRE(run_cli("init" + copy).exit_code == 0);

  test::Run r = run_cli("import --format csv --dry-run " + dir.str() + "/csv" + copy);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  json out = json::parse(r.out);
  CHECK(out["dry_run"] == true);
  CHECK(out["events"] == 500);
  CHECK(out["recorded"] == 0);
  CHECK(out["first_seq"] == 1);
  CHECK(out["last_seq"] == 500);
  CHECK(run_cli("events" + copy).out.empty());

  r = run_cli("import " + dir.str() + "/csv" + copy);
  REQUIRE(r.exit_code == 0);
  out = json::parse(r.out);
  CHECK(out["recorded"] == 500);
  // statement.csv, the statement of the years of the events, is made from
  // the other files: its rows are left out.
  const std::string statement = [&] {
    std::ifstream in(dir.path() / "csv" / "statement.csv", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }();
  CHECK(statement.starts_with("line,id,currency,amount\r\nperiod_from,,,"));
  CHECK(out["left_out"] ==
        json({{"access.csv", 0}, {"statement.csv", std::count(statement.begin(), statement.end(), '\n') - 1}}));
  const auto fund = [](const std::string& data) {
    json view = json::parse(run_cli("view fund" + data).out);
    view.erase("as_of");
    return view;
  };
  CHECK(fund(copy) == fund(original));
  CHECK(json::parse(run_cli("verify" + copy).out)["ok"] == true);
  // The rows carry their event ids: the same import again records nothing.
  out = json::parse(run_cli("import " + dir.str() + "/csv" + copy).out);
  CHECK(out["recorded"] == 0);
  CHECK(out["repeats"] == 500);

  // Three contributions, the last beyond what the pledge has outstanding.
  const std::filesystem::path sheet = dir.path() / "sheet";
  std::filesystem::create_directory(sheet);
  write(sheet / "donors.csv", "donor,name,kind,country\r\nNOR,Norway,government,NOR\r\n");
  write(sheet / "pledges.csv",
        "pledge,donor,amount,currency,pledged_on,due_on,programme\r\nNOR-2014,NOR,250000.00,EUR,2014-01-15,,\r\n");
  write(sheet / "contributions.csv",
        "contribution,donor,pledge,amount,currency,usd,received_on\r\n"
        "c-1,NOR,NOR-2014,\"200,000.00\",EUR,220000.00,2014-03-01\r\n");
  r = run_cli("import " + sheet.string() + copy);
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        R"({"error":{"code":"invalid_amount","message":"\"200,000.00\" is not a valid amount: only digits and one decimal point are allowed","field":"amount","file":"contributions.csv","row":2}})"
        "\n");
  write(sheet / "contributions.csv",
        "contribution,donor,pledge,amount,currency,usd,received_on\r\n"
        "c-1,NOR,NOR-2014,200000.00,EUR,220000.00,2014-03-01\r\n"
        "c-2,NOR,NOR-2014,30000.00,EUR,33000.00,2014-04-01\r\n"
        "c-3,NOR,NOR-2014,20000.01,EUR,22000.00,2014-05-01\r\n");
  r = run_cli("import " + sheet.string() + copy);
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        R"({"error":{"code":"exceeds_outstanding","message":"contribution of 20,000.01 EUR exceeds the 20,000.00 EUR outstanding on pledge \"NOR-2014\"","field":"amount","file":"contributions.csv","row":4}})"
        "\n");
  CHECK(json::parse(run_cli("verify" + copy).out)["tree_size"] == 500);
  // A file the export does not write is named, not passed over.
  write(sheet / "donor.csv", "");
  r = run_cli("import " + sheet.string() + copy);
  CHECK(r.err ==
        R"({"error":{"code":"invalid_csv","message":"donor.csv is not a file of `export --format csv`","field":"donor.csv"}})"
        "\n");
}

}  // namespace
}  // namespace fundledger
