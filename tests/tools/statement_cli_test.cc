// `fundledger statement` and `view --as-of-date` as a finance officer runs
// them: the 2015 statement signed with the log's key, the fund of a day,
// the period or day that is not one refused with exit 2; the statement in
// the CSV export, and verify's check of the whole log's statement.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/audited_view.h"
#include "audit/note.h"
#include "domain/statement.h"
#include "tests/statement_story.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;
using test::run_cli;

TEST_CASE("statement prints a period's sources and uses, signed when asked", "[cli][statement]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append" + data, test::story::fund_to_2016() + test::story::kLate + "\n").exit_code == 0);

  test::Run r = run_cli("statement --period 2015 --recorded-after 22 --signed" + data);
  REQUIRE(r.exit_code == 0);
  const json signed_statement = json::parse(r.out);
  std::ifstream key_file(dir.path() / "verifier.key");
  std::string verifier_key;
  std::getline(key_file, verifier_key);
  CHECK(check_audited_view(signed_statement, *NoteVerifier::parse(verifier_key)).to_string() == "ok");
  CHECK(signed_statement["view"]["period"]["name"] == "2015");
  CHECK(signed_statement["view"]["sources"]["total"] == "385000.00");
  CHECK(signed_statement["view"]["recorded_after"]["events"][0]["seq"] == 23);

  r = run_cli("statement --from 2015-01-01 --to 2015-12-31 --as-of 22" + data);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["view"]["closing_cash"] == "825000.00");
  CHECK_FALSE(json::parse(r.out).contains("signature"));

  r = run_cli("view fund --as-of-date 2014-12-31" + data);
  REQUIRE(r.exit_code == 0);
  const json fund = json::parse(r.out);
  CHECK(fund["as_of"]["date"] == "2014-12-31");
  CHECK(fund["as_of"]["tree_size"] == 23);
  CHECK(fund["view"]["cash"] == "1100000.00");

  r = run_cli("statement --period 2014-2016" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_period");
  r = run_cli("statement --period 2015 --from 2015-01-01 --to 2015-02-01" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["message"] ==
        "a period is --period 2014 (or 2014-2015), or --from DAY --to DAY");
  r = run_cli("statement --period 2015 --as-of 24" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_as_of");
  r = run_cli("view fund --as-of-date 2015-13-01" + data);
  CHECK(r.exit_code == 1);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_date");
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_CASE("export --format csv writes the statement beside the records, import leaves it out, verify ties the log's",
          "[cli][statement]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str() + "/fund";
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append" + data, test::story::fund_to_2016() + test::story::kLate + "\n").exit_code == 0);

  // By default the statement covers the calendar years of the events.
  test::Run r = run_cli("export --format csv --out " + dir.str() + "/all" + data);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["files"].back()["name"] == "statement.csv");
  const std::string all = read_file(dir.path() / "all" / "statement.csv");
  CHECK(all.starts_with("line,id,currency,amount\r\nperiod_from,,,2014-01-01\r\nperiod_to,,,2016-12-31\r\n"
                        "opening_cash,,USD,0.00\r\nsource_usd,CHN,USD,1000000.00\r\n"));
  CHECK(all.find("\r\nclosing_cash,,USD,1555000.00\r\n") != std::string::npos);
  CHECK(all.find("\r\ncash_at_month_end,2016-12,USD,1555000.00\r\n") != std::string::npos);

  // A period, as the Board saw it at seq 22: the file is the statement
  // command's, line for line.
  r = run_cli("export --format csv --period 2015 --as-of 22 --out " + dir.str() + "/2015" + data);
  REQUIRE(r.exit_code == 0);
  const std::string of_2015 = read_file(dir.path() / "2015" / "statement.csv");
  r = run_cli("statement --period 2015 --as-of 22" + data);
  REQUIRE(r.exit_code == 0);
  CHECK(of_2015 == statement_csv(json::parse(r.out)["view"]));
  CHECK(of_2015.find("\r\nclosing_cash,,USD,825000.00\r\n") != std::string::npos);

  r = run_cli("export --format iati --period 2015 --out " + dir.str() + "/iati" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["message"] == "--period, --from and --to go with --format csv");
  r = run_cli("export --format csv --from 2015-01-01 --out " + dir.str() + "/half" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["message"] == "a period is --period 2014 (or 2014-2015), or --from DAY --to DAY");
  CHECK_FALSE(std::filesystem::exists(dir.path() / "half"));

  // The statement is made from the records, so import counts its rows and
  // records none of them.
  const std::string copy = " --data " + dir.str() + "/copy";
  REQUIRE(run_cli("init" + copy).exit_code == 0);
  r = run_cli("import " + dir.str() + "/all" + copy);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  const std::size_t rows = std::count(all.begin(), all.end(), '\n') - 1;
  CHECK(rows > 40);
  CHECK(json::parse(r.out)["left_out"] == json({{"access.csv", 0}, {"statement.csv", rows}}));
  CHECK(json::parse(r.out)["recorded"] == 23);

  // verify's replay builds the statement of the whole log by business date
  // and checks that it ties.
  r = run_cli("verify" + data);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["statement"] == json({{"from", "2014-01-15"},
                                                 {"to", "2016-02-01"},
                                                 {"sources", "2185000.00"},
                                                 {"uses", "630000.00"},
                                                 {"closing_cash", "1555000.00"},
                                                 {"undisbursed", "0.00"},
                                                 {"unallocated", "1555000.00"}}));
}

}  // namespace
}  // namespace fundledger
