// `backup` and `restore` as people type them: a backup, its listing and
// check, a restore that verifies, and a served ledger pointed to the route.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using test::run_cli;

TEST_CASE("backup, backup --list and --verify, and restore, from the command line", "[cli][backup]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger", out = dir.str() + "/backups", restored = dir.str() + "/restored";
  REQUIRE(run_cli("init --data " + data).exit_code == 0);
  REQUIRE(run_cli("append --data " + data, test::generated(25, 4)).exit_code == 0);
  const test::Run backup = run_cli("backup --data " + data + " --out " + out);
  REQUIRE(backup.exit_code == 0);
  const nlohmann::json made = nlohmann::json::parse(backup.out);
  CHECK(made["backup"] == 1);
  CHECK(made["tree_size"] == 25);
  CHECK(made["out"] == out);
  const test::Run verified = run_cli("verify --data " + data);
  CHECK(nlohmann::json::parse(verified.out)["root_hash"] == made["root_hash"]);

  const nlohmann::json list = nlohmann::json::parse(run_cli("backup --out " + out + " --list --data " + data).out);
  REQUIRE(list["backups"].size() == 1);
  CHECK(list["backups"][0]["root_hash"] == made["root_hash"]);
  const test::Run check = run_cli("backup --out " + out + " --verify --data " + data);
  CHECK(check.exit_code == 0);
  CHECK(nlohmann::json::parse(check.out)["ok"] == true);

  const test::Run restore = run_cli("restore " + out + " --data " + restored);
  REQUIRE(restore.exit_code == 0);
  CHECK(nlohmann::json::parse(restore.out)["tree_size"] == 25);
  const test::Run again = run_cli("verify --data " + restored);
  CHECK(again.exit_code == 0);
  CHECK(nlohmann::json::parse(again.out)["checkpoints_kept"] == 1);
  const test::Run twice = run_cli("restore " + out + " --data " + restored);
  CHECK(twice.exit_code == 2);
  CHECK(nlohmann::json::parse(twice.err)["error"]["message"] ==
        restored + " exists: a backup is restored as a new ledger");

  // A ledger that serve holds is backed up through the server.
  test::TempDir run;
  test::ServeProcess serve(run, data);
  const test::Run busy = run_cli("backup --data " + data + " --out " + out);
  CHECK(busy.exit_code == 1);
  const nlohmann::json error = nlohmann::json::parse(busy.err)["error"];
  CHECK(error["code"] == "ledger_in_use");
  CHECK_THAT(error["message"].get<std::string>(),
             Catch::EndsWith("; a served ledger is backed up through the server: POST /v1/backups to a serve "
                             "started with --backups DIR"));
}

}  // namespace
}  // namespace fundledger
