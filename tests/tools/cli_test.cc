// The command line as a fund manager and an auditor use it: what each
// subcommand prints on stdout and stderr, and how it exits.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <filesystem>
#include <fstream>

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/checkpoint.h"
#include "audit/merkle.h"
#include "audit/note.h"
#include "audit/proof.h"
#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "util/hash.h"

namespace fundledger {
namespace {

using test::run_cli;

const char* kThree =
    R"({"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government","country":"JPN"}})"
    "\n"
    R"({"id":"prog-spp","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}})"
    "\n"
    R"({"id":"pledge-JPN","type":"pledge.recorded","data":{"pledge":"p-JPN","donor":"JPN","amount":"2500000","currency":"USD","pledged_on":"2014-06-27"}})"
    "\n";

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(nlohmann::json::parse(text.substr(start, end - start)));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return out;
}

TEST_CASE("init, append, events and verify", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + (dir.path() / "ledger").string();
  const test::Run init = run_cli("init --origin fund.example/ledger" + data);
  CHECK(init.exit_code == 0);
  CHECK(json_lines(init.out)[0]["origin"] == "fund.example/ledger");
  // The log's signing key, owner-only, and its verifier key, published.
  const std::string vkey = json_lines(init.out)[0]["verifier_key"];
  CHECK(vkey.starts_with("fund.example/ledger+"));
  REQUIRE(NoteVerifier::parse(vkey).has_value());
  CHECK(std::filesystem::status(dir.path() / "ledger" / "log.key").permissions() ==
        (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  {
    std::ifstream published(dir.path() / "ledger" / "verifier.key");
    std::string line;
    std::getline(published, line);
    CHECK(line == vkey);
  }
  const Result<NoteSigner> signing = read_signing_key(dir.path() / "ledger" / "log.key", "fund.example/ledger");
  REQUIRE(signing.status().to_string() == "ok");
  CHECK(signing->verifier_key() == vkey);
  const test::Run bad_origin = run_cli("init --origin 'two words' --data " + dir.str() + "/other");
  CHECK(bad_origin.exit_code == 2);
  CHECK(json_lines(bad_origin.err)[0]["error"]["field"] == "origin");

  const test::Run append = run_cli("append -" + data, kThree);
  REQUIRE(append.exit_code == 0);
  CHECK(append.err.empty());
  const auto receipts = json_lines(append.out);
  REQUIRE(receipts.size() == 3);
  CHECK(append.out.rfind(R"({"seq":1,"id":"donor-JPN","leaf_hash":")", 0) == 0);
  CHECK(receipts[2]["seq"] == 3);
  CHECK(receipts[2]["id"] == "pledge-JPN");
  CHECK(hash_from_hex(receipts[2]["chain_hash"].get<std::string>()).has_value());

  const test::Run events = run_cli("events --from 3 --limit 5" + data);
  CHECK(events.exit_code == 0);
  const auto listed = json_lines(events.out);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0]["seq"] == 3);
  CHECK(listed[0]["data"]["amount"] == "2500000.00");
  CHECK(listed[0]["leaf_hash"] == receipts[2]["leaf_hash"]);
  CHECK(listed[0]["chain_hash"] == receipts[2]["chain_hash"]);
  CHECK(listed[0]["actor"].get<std::string>().rfind("manager:", 0) == 0);
  CHECK(json_lines(run_cli("events" + data).out).size() == 3);

  const test::Run verify = run_cli("verify" + data);
  CHECK(verify.exit_code == 0);
  const auto v = json_lines(verify.out)[0];
  CHECK(v["ok"] == true);
  CHECK(v["tree_size"] == 3);
  CHECK(v["chain_hash"] == receipts[2]["chain_hash"]);
  CHECK(verify.out.rfind(R"({"ok":true,"tree_size":3,"root_hash":")", 0) == 0);
}

TEST_CASE("a refused append names the line and the field, and appends nothing", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append -" + data, kThree).exit_code == 0);
  const std::string bad =
      std::string(
          R"({"id":"prog-ci","type":"programme.registered","data":{"programme":"ci","name":"Consumer information"}})") +
      "\n\n" +
      R"({"id":"d1","type":"disbursement.made","data":{"disbursement":"d","proposal":"p","amount_usd":"1.234","paid_on":"2015-03-20"}})" +
      "\n";
  const test::Run r = run_cli("append" + data, bad);
  CHECK(r.exit_code == 1);
  CHECK(r.out.empty());
  CHECK(r.err ==
        R"({"error":{"code":"invalid_amount","message":"\"1.234\" is not a valid amount: at most 2 decimal places are allowed for this currency","field":"data.amount_usd","line":3}})"
        "\n");
  CHECK(json_lines(run_cli("events" + data).out).size() == 3);
}

TEST_CASE("events that cannot be read are io_error, and append nothing", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str() + "/ledger";
  REQUIRE(run_cli("init" + data).exit_code == 0);
  // A directory where the file of events should be.
  const test::Run r = run_cli("append " + dir.str() + data);
  CHECK(r.exit_code == 1);
  CHECK(r.err == R"({"error":{"code":"io_error","message":"cannot read the events"}})" "\n");
  CHECK(run_cli("events" + data).out.empty());
}

TEST_CASE("a file whose 500th line is bad appends nothing", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  REQUIRE(run_cli("init" + data).exit_code == 0);
  std::string file = test::generated(499, 3);
  file += R"({"id":"ev-00000001","type":"programme.registered","data":{"programme":"other","name":"Other"}})";
  file += "\n";
  const test::Run r = run_cli("append" + data, file);
  CHECK(r.exit_code == 1);
  CHECK(r.err ==
        R"({"error":{"code":"id_conflict","message":"event 1 already has the id \"ev-00000001\" with other content","field":"id","line":500}})"
        "\n");
  CHECK(run_cli("events" + data).out.empty());
  CHECK(json_lines(run_cli("verify" + data).out)[0]["tree_size"] == 0);
}

TEST_CASE("verify exits 1 and names the first bad event", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append" + data, test::generated(50, 4)).exit_code == 0);
  {
    test::RawDb db(dir.path());
    db.remove(Family::kEvents, seq_key(17));
  }
  const test::Run r = run_cli("verify" + data);
  CHECK(r.exit_code == 1);
  CHECK(r.out ==
        R"({"ok":false,"first_bad_seq":17,"check":"missing_event","message":"no event is stored at this seq","tree_size":50})"
        "\n");
}

TEST_CASE("usage errors exit 2 with a JSON error", "[cli]") {
  test::TempDir dir;
  const test::Run none = run_cli("events --data " + (dir.path() / "absent").string());
  CHECK(none.exit_code == 2);
  CHECK(json_lines(none.err)[0]["error"]["code"] == "no_ledger");
  const test::Run unknown = run_cli("verfy");
  CHECK(unknown.exit_code == 2);
  CHECK(json_lines(unknown.err)[0]["error"]["code"] == "usage");
  CHECK(json_lines(unknown.err)[0]["error"]["message"] ==
        "there is no command \"verfy\"; the commands are init, append, events, import, verify, receipt, checkpoint, prove, gen, "
        "demo, view, statement, rebuild, export, audit, serve, witness, token, backup, restore");
  const test::Run bad_option = run_cli("events --from 0 --data " + dir.str());
  CHECK(bad_option.exit_code == 2);
  REQUIRE(run_cli("init --data " + dir.str()).exit_code == 0);
  const test::Run actor = run_cli("append --actor board:bob --data " + dir.str(), kThree);
  CHECK(actor.exit_code == 2);
  CHECK(json_lines(actor.err)[0]["error"]["message"] ==
        "--actor must be manager:NAME; only a manager appends");
  const test::Run again = run_cli("init --data " + dir.str());
  CHECK(again.exit_code == 1);
  CHECK(json_lines(again.err)[0]["error"]["code"] == "ledger_exists");
}

TEST_CASE("the ledger's directory comes from --data or FUNDLEDGER_DATA", "[cli]") {
  test::TempDir dir;
  REQUIRE(run_cli("init --data " + dir.str()).exit_code == 0);
  setenv("FUNDLEDGER_DATA", dir.str().c_str(), 1);
  const test::Run r = run_cli("verify");
  unsetenv("FUNDLEDGER_DATA");
  CHECK(r.exit_code == 0);
  CHECK(json_lines(r.out)[0]["tree_size"] == 0);
}

TEST_CASE("gen prints a deterministic stream and demo builds the illustrative ledger once", "[cli]") {
  const test::Run gen = run_cli("gen --events 3 --seed 9");
  CHECK(gen.exit_code == 0);
  CHECK(gen.out == test::generated(3, 9));
  test::TempDir dir;
  const test::Run first = run_cli("demo --data " + dir.str());
  CHECK(first.exit_code == 0);
  const auto made = json_lines(first.out)[0];
  CHECK(made["created"] == true);
  CHECK(made["appended"] == made["events"]);
  const test::Run second = run_cli("demo --data " + dir.str());
  const auto again = json_lines(second.out)[0];
  CHECK(again["created"] == false);
  CHECK(again["appended"] == 0);
  CHECK(again["chain_hash"] == made["chain_hash"]);
  CHECK(json_lines(run_cli("verify --data " + dir.str()).out)[0]["ok"] == true);
}

TEST_CASE("prove prints inclusion and consistency proofs that verify", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append" + data, test::generated(700, 3)).exit_code == 0);
  // The roots, from verify at the head and from the leaves the events
  // command prints.
  std::vector<Hash> leaves;
  for (const auto& e : json_lines(run_cli("events --limit 1000" + data).out)) {
    leaves.push_back(*hash_from_hex(e["leaf_hash"].get<std::string>()));
  }
  REQUIRE(leaves.size() == 700);
  const auto root_at = [&](std::size_t n) {
    RootBuilder tree;
    for (std::size_t i = 0; i < n; ++i) tree.add_leaf(leaves[i]);
    return tree.root();
  };
  CHECK(json_lines(run_cli("verify" + data).out)[0]["root_hash"] == to_hex(root_at(700)));

  const test::Run inclusion = run_cli("prove inclusion 300 --tree-size 600" + data);
  REQUIRE(inclusion.exit_code == 0);
  const nlohmann::json i = json_lines(inclusion.out)[0];
  CHECK(i["seq"] == 300);
  CHECK(i["tree_size"] == 600);
  CHECK(i["leaf_hash"] == to_hex(leaves[299]));
  std::vector<Hash> path;
  for (const auto& h : i["path"]) path.push_back(*hash_from_hex(h.get<std::string>()));
  CHECK(path.size() == 10);
  CHECK(check_inclusion(299, 600, leaves[299], path, root_at(600)).to_string() == "ok");
  // The whole log by default.
  CHECK(json_lines(run_cli("prove inclusion 700" + data).out)[0]["tree_size"] == 700);

  const test::Run consistency = run_cli("prove consistency 257 700" + data);
  REQUIRE(consistency.exit_code == 0);
  const nlohmann::json c = json_lines(consistency.out)[0];
  CHECK(c["first"] == 257);
  CHECK(c["second"] == 700);
  path.clear();
  for (const auto& h : c["path"]) path.push_back(*hash_from_hex(h.get<std::string>()));
  CHECK(check_consistency(257, 700, root_at(257), root_at(700), path).to_string() == "ok");

  // checkpoint: a signed note of the whole log that verifies with the
  // published verifier key.
  const test::Run checkpoint = run_cli("checkpoint" + data);
  REQUIRE(checkpoint.exit_code == 0);
  std::string vkey;
  {
    std::ifstream published(dir.path() / "verifier.key");
    std::getline(published, vkey);
  }
  const Result<std::string> text = NoteVerifier::parse(vkey)->check(checkpoint.out);
  REQUIRE(text.status().to_string() == "ok");
  const Hash root = root_at(700);
  CHECK(*text == "localhost/fundledger\n700\n" + base64_encode(std::string(root.begin(), root.end())) + "\n");

  const test::Run beyond = run_cli("prove inclusion 5 --tree-size 701" + data);
  CHECK(beyond.exit_code == 2);
  CHECK(json_lines(beyond.err)[0]["error"]["code"] == "invalid_tree_size");
  CHECK(json_lines(beyond.err)[0]["error"]["message"] == "tree_size 701 is beyond the log, which holds 700 events");
  const test::Run outside = run_cli("prove inclusion 601 --tree-size 600" + data);
  CHECK(outside.exit_code == 2);
  CHECK(json_lines(outside.err)[0]["error"]["code"] == "invalid_seq");
  const test::Run swapped = run_cli("prove consistency 700 257" + data);
  CHECK(swapped.exit_code == 2);
  CHECK(json_lines(swapped.err)[0]["error"]["message"] == "the first size 700 is larger than the second 257");
}

TEST_CASE("export --format csv|iati writes the records' files into a new directory", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str() + "/ledger";
  REQUIRE(run_cli("init" + data).exit_code == 0);
  REQUIRE(run_cli("append" + data, kThree).exit_code == 0);
  const std::string csv_dir = dir.str() + "/csv";
  const test::Run csv = run_cli("export --format csv --out " + csv_dir + data);
  REQUIRE(csv.exit_code == 0);
  const nlohmann::json out = json_lines(csv.out)[0];
  CHECK(out["format"] == "csv");
  CHECK(out["tree_size"] == 3);
  CHECK(out["files"].size() == 22);
  CHECK(out["files"][0]["name"] == "donors.csv");
  CHECK(out["files"][13]["name"] == "income.csv");
  CHECK(out["files"][18]["name"] == "board_decisions.csv");
  CHECK(out["files"][21]["name"] == "statement.csv");
  std::ifstream pledges_in(csv_dir + "/pledges.csv", std::ios::binary);
  const std::string pledges((std::istreambuf_iterator<char>(pledges_in)), std::istreambuf_iterator<char>());
  const std::string header =
      "\xEF\xBB\xBFseq,pledge,donor,amount,currency,pledged_on,due_on,programme,recorded_at,actor,event_id\r\n";
  REQUIRE(pledges.rfind(header, 0) == 0);
  CHECK(pledges.substr(header.size()).rfind("3,p-JPN,JPN,2500000.00,USD,2014-06-27,,,", 0) == 0);
  CHECK_FALSE(std::filesystem::exists(csv_dir + ".partial"));
  // As of seq 2: the pledge is not there yet.
  REQUIRE(run_cli("export --format csv --as-of 2 --out " + dir.str() + "/csv2" + data).exit_code == 0);
  std::ifstream earlier_in(dir.str() + "/csv2/pledges.csv", std::ios::binary);
  CHECK(std::string((std::istreambuf_iterator<char>(earlier_in)), std::istreambuf_iterator<char>()) == header);
  // Two registrations have no business date of their own to state: the
  // statement is its header alone.
  std::ifstream statement_in(dir.str() + "/csv2/statement.csv", std::ios::binary);
  CHECK(std::string((std::istreambuf_iterator<char>(statement_in)), std::istreambuf_iterator<char>()) ==
        "line,id,currency,amount\r\n");

  const test::Run iati = run_cli("export --format iati --out " + dir.str() + "/iati" + data);
  REQUIRE(iati.exit_code == 0);
  CHECK(json_lines(iati.out)[0]["files"][0]["name"] == "iati-activities.xml");
  CHECK(std::filesystem::exists(dir.str() + "/iati/iati-organisation.xml"));

  const test::Run again = run_cli("export --format csv --out " + csv_dir + data);
  CHECK(again.exit_code == 2);
  CHECK(json_lines(again.err)[0]["error"]["message"] == csv_dir + " exists; export writes a new directory");
  const test::Run bad = run_cli("export --format xls --out " + dir.str() + "/x" + data);
  CHECK(bad.exit_code == 2);
  CHECK(json_lines(bad.err)[0]["error"]["field"] == "format");
  const test::Run beyond = run_cli("export --format csv --as-of 4 --out " + dir.str() + "/y" + data);
  CHECK(beyond.exit_code == 2);
  CHECK(json_lines(beyond.err)[0]["error"]["code"] == "invalid_as_of");
  CHECK_FALSE(std::filesystem::exists(dir.str() + "/y"));
}

TEST_CASE("init makes the TLS certificate and token add prints a token once", "[cli]") {
  test::TempDir dir;
  const std::string data = " --data " + dir.str();
  // Whatever the umask of the shell that runs it (022 here), the ledger is
  // its owner's alone: every file 0600, RocksDB's among them, and no file
  // left half written under a temporary name.
  const mode_t umask_before = ::umask(022);
  REQUIRE(run_cli("init" + data).exit_code == 0);
  CHECK(std::filesystem::exists(dir.path() / "tls.crt"));
  CHECK(std::filesystem::exists(dir.path() / "tls.key"));
  namespace fs = std::filesystem;
  for (const fs::directory_entry& e : fs::directory_iterator(dir.path())) {
    INFO(e.path().filename());
    CHECK(e.status().permissions() == (fs::perms::owner_read | fs::perms::owner_write));
    CHECK_FALSE(e.path().string().ends_with(".partial"));
  }
  const test::Run fresh = run_cli("init --data " + (dir.path() / "fresh").string());
  REQUIRE(fresh.exit_code == 0);
  CHECK(fs::status(dir.path() / "fresh").permissions() == fs::perms::owner_all);
  ::umask(umask_before);
  const test::Run added = run_cli("token add --name alice --role auditor" + data);
  REQUIRE(added.exit_code == 0);
  const nlohmann::json t = json_lines(added.out)[0];
  CHECK(t["name"] == "alice");
  CHECK(t["role"] == "auditor");
  CHECK(t["actor"] == "auditor:alice");
  const std::string token = t["token"];
  CHECK(token.rfind("fl_", 0) == 0);
  std::ifstream in(dir.path() / "tokens");
  const std::string kept((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(kept.rfind(to_hex(sha256(token)) + " auditor alice created=", 0) == 0);
  CHECK(kept.find(" expires=never by=manager:") != std::string::npos);
  CHECK(kept.find(token) == std::string::npos);
  const test::Run again = run_cli("token add --name alice --role board" + data);
  CHECK(again.exit_code == 1);
  CHECK(json_lines(again.err)[0]["error"]["code"] == "duplicate");
  const test::Run bad_role = run_cli("token add --name bob --role boss" + data);
  CHECK(bad_role.exit_code == 2);
  CHECK(json_lines(bad_role.err)[0]["error"]["field"] == "role");
}

TEST_CASE("serve prints its URL, and SIGTERM stops it cleanly with a last checkpoint", "[cli]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(run_cli("init --data " + data).exit_code == 0);
  REQUIRE(run_cli("append --data " + data, kThree).exit_code == 0);
  test::ServeProcess serve(dir, data);
  const std::string url = serve.listening()["url"];
  CHECK(url.rfind("https://127.0.0.1:", 0) == 0);
  CHECK(url != "https://127.0.0.1:0/");
  CHECK(serve.listening()["tree_size"] == 3);
  serve.signal(SIGTERM);
  CHECK(serve.exit_status(150) == "0");
  const std::string log = serve.log();
  CHECK(log.find(R"("msg":"stopping","signal":"SIGTERM")") != std::string::npos);
  CHECK(log.find(R"("msg":"stopped")") != std::string::npos);
  // The ledger closed cleanly, with a checkpoint of all of it.
  const test::Run verified = run_cli("verify --data " + data);
  CHECK(verified.exit_code == 0);
  CHECK(json_lines(verified.out)[0]["checkpoints_kept"] == 1);
}

TEST_CASE("a second signal stops serve at once, while the first waits for a request in flight", "[cli]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(run_cli("init --data " + data).exit_code == 0);
  REQUIRE(run_cli("append --data " + data, kThree).exit_code == 0);
  const test::Run token = run_cli("token add --name abe --role auditor --data " + data);
  REQUIRE(token.exit_code == 0);
  const std::string auditor = json_lines(token.out)[0]["token"];
  test::ServeProcess serve(dir, data);
  // A request whose body has not come yet: the first signal waits for it
  // (up to the body timeout, 10 s).
  test::Client client(serve.port());
  REQUIRE_FALSE(client.handshake_error);
  const std::string head =
      "POST /v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
  boost::asio::write(client.raw(), boost::asio::buffer(head));
  // Once the server has read its header, the request is in flight.
  while (test::requests_in_flight(serve.port(), auditor) < 1) std::this_thread::yield();
  serve.signal(SIGINT);
  REQUIRE(serve.log_has(R"("msg":"stopping","signal":"SIGINT")", 50));
  REQUIRE(serve.log_has(R"("msg":"waiting for connections to finish")", 50));
  CHECK(serve.exit_status(1).empty());  // still waiting for the body
  const auto second = std::chrono::steady_clock::now();
  serve.signal(SIGINT);
  CHECK(serve.exit_status(50) == "130");  // 128 + SIGINT, as a shell reports it
  CHECK(std::chrono::steady_clock::now() - second < std::chrono::seconds(5));
  const std::string log = serve.log();
  CHECK(log.find(R"("msg":"stopped at once by a second signal")") != std::string::npos);
  CHECK(log.find(R"("msg":"stopped")") == std::string::npos);
  // Nothing was appended but abe's grant, by token add, and the ledger is whole.
  const test::Run verified = run_cli("verify --data " + data);
  CHECK(verified.exit_code == 0);
  CHECK(json_lines(verified.out)[0]["tree_size"] == 4);
}

}  // namespace
}  // namespace fundledger
