// `fundledger statement` and `view --as-of-date` as a finance officer runs
// them: the 2015 statement signed with the log's key, the fund of a day,
// and the period or day that is not one refused with exit 2.

#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/audited_view.h"
#include "audit/note.h"
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

  test::Run r = run_cli("statement --period 2015 --recorded-after 20 --signed" + data);
  REQUIRE(r.exit_code == 0);
  const json signed_statement = json::parse(r.out);
  std::ifstream key_file(dir.path() / "verifier.key");
  std::string verifier_key;
  std::getline(key_file, verifier_key);
  CHECK(check_audited_view(signed_statement, *NoteVerifier::parse(verifier_key)).to_string() == "ok");
  CHECK(signed_statement["view"]["period"]["name"] == "2015");
  CHECK(signed_statement["view"]["sources"]["total"] == "385000.00");
  CHECK(signed_statement["view"]["recorded_after"]["events"][0]["seq"] == 21);

  r = run_cli("statement --from 2015-01-01 --to 2015-12-31 --as-of 20" + data);
  REQUIRE(r.exit_code == 0);
  CHECK(json::parse(r.out)["view"]["closing_cash"] == "825000.00");
  CHECK_FALSE(json::parse(r.out).contains("signature"));

  r = run_cli("view fund --as-of-date 2014-12-31" + data);
  REQUIRE(r.exit_code == 0);
  const json fund = json::parse(r.out);
  CHECK(fund["as_of"]["date"] == "2014-12-31");
  CHECK(fund["as_of"]["tree_size"] == 21);
  CHECK(fund["view"]["cash"] == "1100000.00");

  r = run_cli("statement --period 2014-2016" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_period");
  r = run_cli("statement --period 2015 --from 2015-01-01 --to 2015-02-01" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["message"] ==
        "a statement is for --period 2014 (or 2014-2015), or --from DAY --to DAY");
  r = run_cli("statement --period 2015 --as-of 22" + data);
  CHECK(r.exit_code == 2);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_as_of");
  r = run_cli("view fund --as-of-date 2015-13-01" + data);
  CHECK(r.exit_code == 1);
  CHECK(json::parse(r.err)["error"]["code"] == "invalid_date");
}

}  // namespace
}  // namespace fundledger
