// token add, list and revoke as people type them: a grant and a
// revocation recorded in the log at once when no server holds the ledger,
// and by the server, which takes them without a restart, when one does.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <sstream>

#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using test::run_cli;

std::vector<nlohmann::json> lines_of(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST_CASE("a donor's token names a donor the ledger has, and the log says which", "[cli][tokens]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(run_cli("init --data " + data).exit_code == 0);
  REQUIRE(run_cli("append --data " + data,
                  R"({"id":"donor-NOR","type":"donor.registered","data":{"donor":"NOR","name":"Norway","kind":"government"}})"
                  "\n")
              .exit_code == 0);
  const test::Run added = run_cli("token add --data " + data + " --name nor-finance --role donor --donor NOR");
  REQUIRE(added.exit_code == 0);
  const nlohmann::json out = nlohmann::json::parse(added.out);
  CHECK(out["actor"] == "donor:nor-finance");
  CHECK(out["donor"] == "NOR");
  CHECK(out["log"] == "recorded");
  const nlohmann::json listed = nlohmann::json::parse(run_cli("token list --data " + data).out)["tokens"][0];
  CHECK(listed["role"] == "donor");
  CHECK(listed["donor"] == "NOR");
  // The grant in the log names the donor.
  const nlohmann::json grant = nlohmann::json::parse(run_cli("events --data " + data + " --from 2").out);
  CHECK(grant["type"] == "access.granted");
  CHECK(grant["data"]["donor"] == "NOR");
  CHECK(grant["data"]["role"] == "donor");

  test::Run refused = run_cli("token add --data " + data + " --name x --role donor --donor CHN");
  CHECK(refused.exit_code == 1);
  CHECK(nlohmann::json::parse(refused.err)["error"]["message"] == "there is no donor \"CHN\"");
  refused = run_cli("token add --data " + data + " --name x --role donor");
  CHECK(refused.exit_code == 2);
  CHECK(nlohmann::json::parse(refused.err)["error"]["message"] == "a donor's token names its donor: --donor ID");
  refused = run_cli("token add --data " + data + " --name x --role board --donor NOR");
  CHECK(refused.exit_code == 2);
  CHECK(nlohmann::json::parse(refused.err)["error"]["message"] == "--donor goes with --role donor alone");
}

TEST_CASE("token add --expires, token list and token revoke, recorded in the log", "[cli][tokens]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(run_cli("init --data " + data).exit_code == 0);
  const test::Run added = run_cli("token add --data " + data + " --name bea --role board --expires 30 --actor manager:sam");
  REQUIRE(added.exit_code == 0);
  const nlohmann::json bea = nlohmann::json::parse(added.out);
  CHECK(bea["actor"] == "board:bea");
  CHECK(bea["expires"].is_string());
  CHECK(bea["log"] == "recorded");
  CHECK(bea["tree_size"] == 1);
  REQUIRE(run_cli("token add --data " + data + " --name abe --role auditor").exit_code == 0);

  const test::Run listed = run_cli("token list --data " + data);
  REQUIRE(listed.exit_code == 0);
  CHECK(listed.out.find(bea["token"].get<std::string>()) == std::string::npos);  // never the token
  const nlohmann::json list = nlohmann::json::parse(listed.out)["tokens"];
  REQUIRE(list.size() == 2);
  CHECK(list[0]["name"] == "bea");
  CHECK(list[0]["role"] == "board");
  CHECK(list[0]["state"] == "active");
  CHECK(list[0]["granted_by"] == "manager:sam");
  CHECK(list[0]["expires"] == bea["expires"]);
  CHECK(list[0]["last_used"].is_null());
  CHECK(list[1]["expires"].is_null());

  const test::Run revoked = run_cli("token revoke bea --data " + data + " --actor manager:sam");
  REQUIRE(revoked.exit_code == 0);
  CHECK(nlohmann::json::parse(revoked.out)["tree_size"] == 3);
  CHECK(nlohmann::json::parse(run_cli("token list --data " + data).out)["tokens"][0]["state"] == "revoked");
  const test::Run again = run_cli("token revoke bea --data " + data);
  CHECK(again.exit_code == 1);
  CHECK(nlohmann::json::parse(again.err)["error"]["code"] == "not_found");

  const std::vector<nlohmann::json> events = lines_of(run_cli("events --data " + data).out);
  REQUIRE(events.size() == 3);
  CHECK(events[0]["type"] == "access.granted");
  CHECK(events[0]["actor"] == "manager:sam");
  CHECK(events[0]["data"]["token"] == list[0]["token"]);
  CHECK(events[2]["type"] == "access.revoked");
  CHECK(events[2]["data"]["name"] == "bea");
  // A client may not append one.
  const test::Run forged = run_cli("append --data " + data,
                                   R"({"id":"x","type":"access.granted","data":{"name":"eve","role":"manager","token":"0123456789abcdef"}})"
                                   "\n");
  CHECK(forged.exit_code == 1);
  CHECK(nlohmann::json::parse(forged.err)["error"]["code"] == "reserved_type");
  CHECK(run_cli("verify --data " + data).exit_code == 0);

  // Served: the server takes a new token and records it.
  test::TempDir run;
  test::ServeProcess serve(run, data);
  const test::Run later = run_cli("token add --data " + data + " --name cy --role auditor");
  REQUIRE(later.exit_code == 0);
  const nlohmann::json cy = nlohmann::json::parse(later.out);
  CHECK(cy["log"] == "the server holding the ledger applies it and records it within a second");
  test::Client c(serve.port());
  int status = 0;
  for (int i = 0; i < 250 && status != 200; ++i) {
    status = c.send(test::http::verb::get, "/v1/fund", cy["token"]).status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(status == 200);
  const test::Reply logged = c.send(test::http::verb::get, "/v1/events?from=4", cy["token"]);
  REQUIRE(logged.body["events"].size() == 1);
  CHECK(logged.body["events"][0]["data"]["name"] == "cy");
  // SIGHUP reads the file again, and is no reason to stop.
  serve.signal(SIGHUP);
  CHECK(serve.log_has("\"signal\":\"SIGHUP\"", 50));
  CHECK(c.send(test::http::verb::get, "/healthz").status == 200);
}

}  // namespace
}  // namespace fundledger
