// Witnesses as people run them: `serve` sending its checkpoints to three
// `fundledger witness` processes on loopback, a checkpoint cosigned by all
// three, one witness stopped and the quorum of 2 of 3 still met, the
// witness catching up with a consistency proof when it returns, and a
// forged log under the same key refused by every witness and by
// `verify --policy`.

#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/client.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

using test::run_cli;
using test::ServeProcess;

constexpr const char* kOrigin = "fund.example/ledger";

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

std::string first_line_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Lines `from` to `to` (1-based) of `text`.
std::vector<std::string> lines(const std::string& text, std::size_t from, std::size_t to) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) {
    if (++n >= from && n <= to) out.push_back(line);
  }
  return out;
}

struct Witness {
  std::filesystem::path dir;
  std::string vkey;
  std::unique_ptr<ServeProcess> process;
  void start() {
    std::filesystem::create_directories(dir.string() + "-run");
    process = std::make_unique<ServeProcess>(dir.string() + "-run", "witness serve --dir " + dir.string());
  }
  std::string url() const { return process->listening()["url"]; }
};

// The witnesses file of the ledger at `data`, naming each by its URL now.
void write_witnesses(const std::filesystem::path& data, const std::vector<Witness>& ws) {
  std::string text;
  for (std::size_t i = 0; i < ws.size(); ++i) {
    text += "witness w" + std::to_string(i + 1) + " " + ws[i].vkey + " " + ws[i].url() + "\n";
  }
  write_file(data / "witnesses", text);
}

// The latest checkpoint served, once it is of `size` and carries the
// cosignatures of `names` (tenths of a second at most); "" otherwise.
std::string cosigned_note(std::uint16_t port, std::uint64_t size, const std::vector<std::string>& names, int tenths) {
  for (int i = 0; i < tenths; ++i) {
    test::Client c(port);
    const test::Reply r = c.send(test::http::verb::get, "/v1/audit/checkpoint");
    if (r.status == 200 && r.body["tree_size"] == size) {
      const std::string note = r.body["note"];
      bool all = true;
      for (const std::string& n : names) all = all && note.find("\n— " + n + " ") != std::string::npos;
      if (all) return note;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "";
}

void post_events(std::uint16_t port, const std::string& token, const std::vector<std::string>& events) {
  std::string body = "[";
  for (const std::string& e : events) body += (body.size() > 1 ? "," : "") + e;
  body += "]";
  test::Client c(port);
  REQUIRE(c.send(test::http::verb::post, "/v1/events", token, body).status == 201);
}

// Whether the log of `serve` says, within ten seconds, that witness `name`
// refused its checkpoint of 250 events for its consistency proof.
bool refused_by(const ServeProcess& serve, const std::string& name) {
  for (int i = 0; i < 100; ++i) {
    std::istringstream log(serve.log());
    for (std::string line; std::getline(log, line);) {
      if (line.find(R"("msg":"witness did not cosign")") != std::string::npos &&
          line.find(R"("tree_size":250,"why":"HTTP 422: the consistency proof does not verify)") != std::string::npos &&
          line.find("\"witness\":\"" + name + "\"") != std::string::npos) {
        return true;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST_CASE("three witnesses cosign the log's checkpoints; a quorum of two survives one stopped; a forged log is refused",
          "[cli][witness][slow]") {
  test::TempDir dir;
  const std::filesystem::path data = dir.path() / "ledger";
  REQUIRE(run_cli("init --data " + data.string() + " --origin " + kOrigin).exit_code == 0);
  const std::string events = run_cli("gen --events 300 --seed 7").out;
  std::string first;
  for (const std::string& l : lines(events, 1, 100)) first += l + "\n";
  REQUIRE(run_cli("append --data " + data.string(), first).exit_code == 0);
  const nlohmann::json manager = nlohmann::json::parse(run_cli("token add --data " + data.string() + " --name sam --role manager").out);
  const std::string log_vkey = first_line_of(data / "verifier.key");

  std::vector<Witness> ws(3);
  std::string policy = "log " + log_vkey + "\n";
  for (std::size_t i = 0; i < ws.size(); ++i) {
    const std::string name = "w" + std::to_string(i + 1);
    ws[i].dir = dir.path() / name;
    const test::Run made = run_cli("witness init --dir " + ws[i].dir.string() + " --name " + name + ".fund.example");
    REQUIRE(made.exit_code == 0);
    ws[i].vkey = nlohmann::json::parse(made.out)["verifier_key"];
    write_file(ws[i].dir / "logs", "log " + log_vkey + "\n");
    ws[i].start();
    policy += "witness " + name + " " + ws[i].vkey + "\n";
  }
  policy += "group board 2 w1 w2 w3\nquorum board\n";
  write_file(dir.path() / "policy", policy);
  write_witnesses(data, ws);
  const std::string verify = "verify --data " + data.string() + " --policy " + (dir.path() / "policy").string();

  {
    // 101 events: the manager's token is recorded in the log as it starts.
    ServeProcess serve(dir.str(), "serve --data " + data.string() + " --checkpoint-interval 1");
    CHECK(serve.listening()["witnesses"] == 3);
    CHECK_FALSE(cosigned_note(serve.port(), 101, {"w1.fund.example", "w2.fund.example", "w3.fund.example"}, 100).empty());
    // One witness stops; the log grows; two cosign.
    ws[2].process->signal(SIGTERM);
    REQUIRE(ws[2].process->exit_status(100) == "0");
    post_events(serve.port(), manager["token"], lines(events, 101, 200));
    const std::string note = cosigned_note(serve.port(), 201, {"w1.fund.example", "w2.fund.example"}, 100);
    CHECK_FALSE(note.empty());
    CHECK(note.find("w3.fund.example") == std::string::npos);
    serve.signal(SIGTERM);
    REQUIRE(serve.exit_status(100) == "0");
  }
  test::Run checked = run_cli(verify);
  CHECK(checked.exit_code == 0);
  nlohmann::json report = nlohmann::json::parse(checked.out);
  CHECK(report["witnesses"]["met"] == true);
  CHECK(report["witnesses"]["signed"].size() == 2);
  CHECK(report["witnesses"]["not_signed"] == nlohmann::json::array({"w3"}));

  // The third witness returns (on another port): it learns it is behind
  // from its 409 and catches up from 101 to 201 with a consistency proof.
  ws[2].start();
  write_witnesses(data, ws);
  {
    ServeProcess serve(dir.str(), "serve --data " + data.string() + " --checkpoint-interval 1");
    CHECK_FALSE(cosigned_note(serve.port(), 201, {"w1.fund.example", "w2.fund.example", "w3.fund.example"}, 100).empty());
    CHECK(ws[2].process->log_has(R"("msg":"cosigned","origin":"fund.example/ledger","tree_size":201)", 50));
    serve.signal(SIGTERM);
    REQUIRE(serve.exit_status(100) == "0");
  }
  checked = run_cli(verify);
  CHECK(checked.exit_code == 0);
  CHECK(nlohmann::json::parse(checked.out)["witnesses"]["signed"].size() == 3);
  // An audit bundle carries the cosignatures: audit --policy reads them.
  const std::string bundle = (dir.path() / "bundle").string();
  REQUIRE(run_cli("export --data " + data.string() + " --out " + bundle).exit_code == 0);
  checked = run_cli("audit " + bundle + " --policy " + (dir.path() / "policy").string());
  CHECK(checked.exit_code == 0);
  CHECK(nlohmann::json::parse(checked.out)["witnesses"]["met"] == true);
  CHECK(nlohmann::json::parse(checked.out)["witnesses"]["signed"].size() == 3);

  // A receipt of event 150, made offline, verifies with the policy alone.
  const test::Run receipt = run_cli("receipt 150 --data " + data.string());
  REQUIRE(receipt.exit_code == 0);
  write_file(dir.path() / "150.tlog-proof", receipt.out);
  checked = run_cli("receipt verify " + (dir.path() / "150.tlog-proof").string() + " --policy " + (dir.path() / "policy").string());
  CHECK(checked.exit_code == 0);
  CHECK(nlohmann::json::parse(checked.out)["seq"] == 150);
  CHECK(nlohmann::json::parse(checked.out)["witnesses"]["signed"].size() == 3);

  // A forged log under the same key and origin: another history of 250
  // events, its own hashes and checkpoint. Every witness refuses it.
  const std::filesystem::path forged = dir.path() / "forged";
  REQUIRE(run_cli("init --data " + forged.string() + " --origin " + kOrigin).exit_code == 0);
  for (const char* key : {"log.key", "verifier.key"}) {
    std::filesystem::copy_file(data / key, forged / key, std::filesystem::copy_options::overwrite_existing);
  }
  REQUIRE(run_cli("append --data " + forged.string(), run_cli("gen --events 250 --seed 8").out).exit_code == 0);
  std::filesystem::copy_file(data / "witnesses", forged / "witnesses");
  {
    ServeProcess serve(dir.str(), "serve --data " + forged.string() + " --checkpoint-interval 1");
    for (const char* w : {"w1", "w2", "w3"}) {
      INFO(w);
      CHECK(refused_by(serve, w));
    }
    for (Witness& w : ws) CHECK_FALSE(w.process->log_has(R"("tree_size":250)", 1));
    serve.signal(SIGTERM);
    REQUIRE(serve.exit_status(100) == "0");
  }
  checked = run_cli("verify --data " + forged.string() + " --policy " + (dir.path() / "policy").string());
  CHECK(checked.exit_code == 1);
  report = nlohmann::json::parse(checked.out);
  CHECK(report["check"] == "quorum");
  CHECK(report["message"] == "the checkpoint of size 250 does not meet the quorum board: signed by none; not signed by w1, w2, w3");
  // Its receipts are refused too.
  write_file(dir.path() / "forged.tlog-proof", run_cli("receipt 150 --data " + forged.string()).out);
  checked = run_cli("receipt verify " + (dir.path() / "forged.tlog-proof").string() + " --policy " + (dir.path() / "policy").string());
  CHECK(checked.exit_code == 1);
  CHECK(nlohmann::json::parse(checked.out)["check"] == "quorum");
}

}  // namespace
}  // namespace fundledger
