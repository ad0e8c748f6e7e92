// export, audit and verify --checkpoint as an auditor uses them: a bundle
// exported from a ledger audits with nothing but its verifier key and gives
// the views the ledger shows; and the attacks an operator could make on
// the log with every hash recomputed and a checkpoint signed again with the
// log's own key are caught through a checkpoint the auditor kept, naming
// the size that shrank or the first event that changed.

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "audit/audited_view.h"
#include "audit/checkpoint.h"
#include "audit/note.h"
#include "ledger/store.h"
#include "tests/event_lines.h"
#include "tests/money_story.h"
#include "tests/support.h"
#include "util/hash.h"

namespace fundledger {
namespace {

using test::run_cli;

nlohmann::json json_of(const std::string& out) {
  REQUIRE(!out.empty());
  return nlohmann::json::parse(out.substr(0, out.find('\n')));
}

// The log's signing key, the same for the honest ledger and the forged
// ones: whoever runs the server holds it.
NoteSigner log_key() {
  Ed25519Seed seed;
  seed.fill(7);
  return *NoteSigner::from_seed("test.example/ledger", seed);
}

// A ledger of `events` (JSON lines) made on the tests' fixed clock, so
// that the same lines give the same bytes in every ledger, with the log's
// key beside it as init writes it.
std::unique_ptr<test::Ledger> with_log_key(std::unique_ptr<test::Ledger> ledger) {
  ledger->close();
  const NoteSigner key = log_key();
  REQUIRE(write_signing_key(ledger->dir.path() / "log.key", key).to_string() == "ok");
  std::ofstream(ledger->dir.path() / "verifier.key") << key.verifier_key() << "\n";
  return ledger;
}

std::unique_ptr<test::Ledger> ledger_of(const std::string& events) {
  auto ledger = std::make_unique<test::Ledger>();
  ledger->append(events);
  return with_log_key(std::move(ledger));
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string join_lines(const std::vector<std::string>& lines, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += lines[i] + "\n";
  return out;
}

TEST_CASE("an exported bundle audits with its key alone and implies the ledger's views", "[cli][audit]") {
  test::TempDir dir;
  const std::string data = " --data " + (dir.path() / "ledger").string();
  REQUIRE(run_cli("demo" + data).exit_code == 0);
  const std::string bundle = (dir.path() / "bundle").string();
  const test::Run exported = run_cli("export --out " + bundle + data);
  REQUIRE(exported.exit_code == 0);
  const nlohmann::json e = json_of(exported.out);
  const nlohmann::json verified = json_of(run_cli("verify" + data).out);
  CHECK(e["tree_size"] == verified["tree_size"]);
  CHECK(e["root_hash"] == verified["root_hash"]);
  // export signs a checkpoint of the log, kept like any other.
  CHECK(verified["checkpoints_kept"] == 1);

  // The bundle is events.jsonl (the stored bytes), checkpoint, verifier.key.
  std::ifstream key_in(bundle + "/verifier.key");
  std::string key;
  std::getline(key_in, key);
  CHECK(key == e["verifier_key"]);
  const std::uint64_t size = e["tree_size"];
  std::ifstream events_in(bundle + "/events.jsonl");
  std::string first;
  std::getline(events_in, first);
  CHECK(first.rfind(R"({"actor":"manager:demo","data":)", 0) == 0);

  const test::Run audited = run_cli("audit " + bundle);
  REQUIRE(audited.exit_code == 0);
  const nlohmann::json a = json_of(audited.out);
  CHECK(a["ok"] == true);
  CHECK(a["tree_size"] == size);
  CHECK(a["root_hash"] == verified["root_hash"]);
  CHECK(a["chain_hash"] == verified["chain_hash"]);
  CHECK(a["verifier_key"] == key);
  // Each view the bundle implies is the ledger's own, as of the same head.
  for (const std::string view : {"fund", "donors", "programmes", "calls", "regions", "decisions"}) {
    CHECK(a["views"][view] == json_of(run_cli("view " + view + data).out));
  }
  // The ledger's signed view verifies with the published key, and is the
  // one the bundle implies.
  const nlohmann::json signed_view = json_of(run_cli("view fund --signed" + data).out);
  CHECK(check_audited_view(signed_view, *NoteVerifier::parse(key)).to_string() == "ok");
  CHECK(signed_view["view"] == a["views"]["fund"]["view"]);
  CHECK(signed_view["as_of"] == a["views"]["fund"]["as_of"]);

  // A second export never writes over a bundle.
  const test::Run again = run_cli("export --out " + bundle + data);
  CHECK(again.exit_code == 2);
  CHECK(json_of(again.err)["error"]["code"] == "usage");
  // The published key, given, must be the bundle's.
  std::ofstream(dir.path() / "published.key") << log_key().verifier_key() << "\n";
  const test::Run other_key = run_cli("audit " + bundle + " --key " + (dir.path() / "published.key").string());
  CHECK(other_key.exit_code == 1);
  CHECK(json_of(other_key.out)["check"] == "verifier_key");
}

TEST_CASE("a bundle with terms, fees, income, costs and payments under dual control audits to the ledger's views",
          "[cli][audit]") {
  auto recorded = std::make_unique<test::Ledger>();
  test::money_story::record(*recorded);
  const auto ledger = with_log_key(std::move(recorded));
  const std::string data = " --data " + ledger->dir.path().string();
  test::TempDir dir;
  const std::string bundle = (dir.path() / "bundle").string();
  REQUIRE(run_cli("export --out " + bundle + data).exit_code == 0);
  const test::Run audited = run_cli("audit " + bundle);
  REQUIRE(audited.exit_code == 0);
  const nlohmann::json a = json_of(audited.out);
  CHECK(a["ok"] == true);
  CHECK(a["tree_size"] == 23);
  for (const std::string view : {"fund", "donors", "programmes", "calls", "regions", "decisions"}) {
    CHECK(a["views"][view] == json_of(run_cli("view " + view + data).out));
  }
  const nlohmann::json& fund = a["views"]["fund"]["view"];
  CHECK(fund["costs"]["by_kind"]["admin_fee"] == "3500.00");
  CHECK(fund["income"]["total"] == "1200.00");
  CHECK(fund["requested_not_paid"] == "100000.00");
  CHECK(fund["terms"][0]["dual_control_usd"] == "100000.00");
  CHECK(run_cli("verify" + data).exit_code == 0);
}

TEST_CASE("an event changed in a bundle is caught at its seq with its hashes", "[cli][audit]") {
  const std::string events = test::generated(300, 11);
  const auto ledger = ledger_of(events);
  const std::string data = " --data " + ledger->dir.str();
  test::TempDir dir;
  const std::string bundle = (dir.path() / "b").string();
  REQUIRE(run_cli("export --out " + bundle + data).exit_code == 0);
  std::vector<std::string> lines = split_lines([&] {
    std::ifstream in(bundle + "/events.jsonl");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }());
  // A line written another way: same JSON, not its canonical bytes.
  std::vector<std::string> changed = lines;
  changed[41].insert(1, " ");
  std::ofstream(bundle + "/events.jsonl", std::ios::trunc) << join_lines(changed, changed.size());
  test::Run r = run_cli("audit " + bundle);
  CHECK(r.exit_code == 1);
  nlohmann::json f = json_of(r.out);
  CHECK(f["check"] == "not_canonical");
  CHECK(f["first_bad_seq"] == 42);
  // Two events swapped: the seqs are out of order.
  changed = lines;
  std::swap(changed[0], changed[1]);
  std::ofstream(bundle + "/events.jsonl", std::ios::trunc) << join_lines(changed, changed.size());
  f = json_of(run_cli("audit " + bundle).out);
  CHECK(f["check"] == "seq");
  CHECK(f["first_bad_seq"] == 1);
  CHECK(f["expected"] == "1");
  CHECK(f["found"] == "2");
  // A canonical event in its place that breaks a rule: a pledge of a donor
  // never registered.
  changed = lines;
  std::size_t pledge = 0;
  while (changed[pledge].find(R"("type":"pledge.recorded")") == std::string::npos) ++pledge;
  changed[pledge] = std::regex_replace(changed[pledge], std::regex(R"("donor":"[^"]*")"), R"("donor":"NOBODY")");
  std::ofstream(bundle + "/events.jsonl", std::ios::trunc) << join_lines(changed, changed.size());
  f = json_of(run_cli("audit " + bundle).out);
  CHECK(f["check"] == "event");
  CHECK(f["first_bad_seq"] == pledge + 1);
  CHECK(f["message"] == "event " + std::to_string(pledge + 1) +
                            " breaks a rule: unknown_donor: there is no donor \"NOBODY\" (data.donor)");
  // Restored, the bundle audits again.
  std::ofstream(bundle + "/events.jsonl", std::ios::trunc) << join_lines(lines, lines.size());
  REQUIRE(run_cli("audit " + bundle).exit_code == 0);
}

TEST_CASE("a reversal that takes back other figures than its original's is caught, every hash made again",
          "[cli][audit]") {
  using namespace test::event_lines;
  const auto ledger = ledger_of(lines({donor("USA"), contribution("c-1", "USA", "", "100.00", "USD", "100.00"),
                                       contribution("c-2", "USA", "", "60.00", "USD", "60.00"),
                                       reversal("rev-2", 2)}));
  // The operator makes the reversal of c-1 take back 60.00, and signs the
  // forged log with its own key: the rules alone would pass it.
  test::forge_event(ledger->dir.path(), 4, [](nlohmann::json& e) {
    e["data"]["amount"] = "60.00";
    e["data"]["usd"] = "60.00";
  });
  test::TempDir dir;
  const std::string bundle = (dir.path() / "b").string();
  REQUIRE(run_cli("export --out " + bundle + " --data " + ledger->dir.str()).exit_code == 0);
  const test::Run r = run_cli("audit " + bundle);
  CHECK(r.exit_code == 1);
  const nlohmann::json f = json_of(r.out);
  CHECK(f["check"] == "event");
  CHECK(f["first_bad_seq"] == 4);
  CHECK(f["message"] ==
        "event 4 breaks a rule: reversal_mismatch: the reversal's amount is 60.00, event 2's 100.00 (data.amount)");
}

TEST_CASE("attacks with every hash recomputed are caught through a kept checkpoint", "[cli][audit]") {
  // The honest log, and what the auditor kept of it: its checkpoint of 300
  // events and the whole bundle.
  const std::string events = test::generated(400, 5);
  const std::vector<std::string> lines = split_lines(events);
  const auto honest = ledger_of(join_lines(lines, 300));
  test::TempDir kept;
  const std::string note = (kept.path() / "checkpoint-300").string();
  const std::string earlier = (kept.path() / "bundle-300").string();
  {
    const test::Run c = run_cli("checkpoint --data " + honest->dir.str());
    REQUIRE(c.exit_code == 0);
    std::ofstream(note) << c.out;
    REQUIRE(run_cli("export --out " + earlier + " --data " + honest->dir.str()).exit_code == 0);
  }
  const nlohmann::json honest_events = json_of(run_cli("events --from 137 --limit 1 --data " + honest->dir.str()).out);

  // What each forged ledger shows verify and, exported, audit.
  struct Seen {
    nlohmann::json verify_note, verify_bundle, audit_note, audit_bundle;
  };
  auto attack = [&](const std::string& forged_events) {
    const auto forged = ledger_of(forged_events);
    const std::string data = " --data " + forged->dir.str();
    // The forger signs checkpoints of the forged log with the log's key,
    // and the forged log verifies on its own.
    REQUIRE(run_cli("checkpoint" + data).exit_code == 0);
    REQUIRE(json_of(run_cli("verify" + data).out)["ok"] == true);
    test::TempDir out;
    const std::string bundle = (out.path() / "b").string();
    REQUIRE(run_cli("export --out " + bundle + data).exit_code == 0);
    REQUIRE(json_of(run_cli("audit " + bundle).out)["ok"] == true);
    Seen seen;
    test::Run r = run_cli("verify --checkpoint " + note + data);
    CHECK(r.exit_code == 1);
    seen.verify_note = json_of(r.out);
    r = run_cli("verify --checkpoint " + earlier + data);
    CHECK(r.exit_code == 1);
    seen.verify_bundle = json_of(r.out);
    r = run_cli("audit " + bundle + " --checkpoint " + note);
    CHECK(r.exit_code == 1);
    seen.audit_note = json_of(r.out);
    r = run_cli("audit " + bundle + " --checkpoint " + earlier);
    CHECK(r.exit_code == 1);
    seen.audit_bundle = json_of(r.out);
    return seen;
  };

  SECTION("the honest log, grown, extends what was kept") {
    const auto grown = ledger_of(events);
    const std::string data = " --data " + grown->dir.str();
    const nlohmann::json v = json_of(run_cli("verify --checkpoint " + note + data).out);
    CHECK(v["ok"] == true);
    CHECK(v["extends"]["tree_size"] == 300);
    CHECK(json_of(run_cli("verify --checkpoint " + earlier + data).out)["ok"] == true);
    test::TempDir out;
    REQUIRE(run_cli("export --out " + (out.path() / "b").string() + data).exit_code == 0);
    const nlohmann::json a = json_of(run_cli("audit " + (out.path() / "b").string() + " --checkpoint " + earlier).out);
    CHECK(a["ok"] == true);
    CHECK(a["tree_size"] == 400);
    CHECK(a["extends"]["tree_size"] == 300);
  }
  SECTION("truncation with a rewritten head: the size that shrank") {
    const Seen s = attack(join_lines(lines, 250));
    for (const nlohmann::json& f : {s.verify_note, s.verify_bundle, s.audit_note, s.audit_bundle}) {
      CHECK(f["ok"] == false);
      CHECK(f["check"] == "checkpoint_size");
      CHECK(f["first_bad_seq"] == 251);
      CHECK(f["expected"] == "300");
      CHECK(f["found"] == "250");
    }
  }
  SECTION("history rewritten from seq 137, every later hash recomputed") {
    std::vector<std::string> forged = lines;
    forged[136] = std::regex_replace(forged[136], std::regex(R"("id":"[^"]*")"), R"("id":"forged-137")",
                                     std::regex_constants::format_first_only);
    REQUIRE(forged[136] != lines[136]);
    const Seen s = attack(join_lines(forged, 400));
    // A checkpoint alone shows that the first 300 events changed.
    for (const nlohmann::json& f : {s.verify_note, s.audit_note}) {
      CHECK(f["check"] == "checkpoint_root");
      CHECK_FALSE(f.contains("first_bad_seq"));
    }
    CHECK(s.verify_note["expected"] == s.audit_note["expected"]);
    CHECK(s.verify_note["found"] == s.audit_note["found"]);
    // The earlier bundle names the event, with both leaf hashes.
    for (const nlohmann::json& f : {s.verify_bundle, s.audit_bundle}) {
      CHECK(f["check"] == "history");
      CHECK(f["first_bad_seq"] == 137);
      CHECK(f["expected"] == honest_events["leaf_hash"]);
      CHECK(f["found"] != honest_events["leaf_hash"]);
    }
  }
}

}  // namespace
}  // namespace fundledger
