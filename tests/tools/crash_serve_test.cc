// `fundledger serve` killed with SIGKILL while four clients post, round
// after round on the same ledger: after each kill the ledger verifies and
// holds every event that was acknowledged (201, or 200 for a repeat), and
// the events of a post that was not acknowledged are there whole or not at
// all. As for `append` (crash_test.cc), this is a crash of the program,
// not a power cut.
//
// FUNDLEDGER_CRASH_ROUNDS sets the number of rounds (default 10 for
// append's test, 5 here); tools/crash-test runs more.

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/client.h"
#include "tests/event_lines.h"
#include "tests/serve_process.h"
#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

namespace http = boost::beast::http;

std::uint64_t serve_rounds() {
  const char* env = std::getenv("FUNDLEDGER_CRASH_ROUNDS");
  return env != nullptr && *env != '\0' ? std::stoull(env) : 5;
}

// Three donors a post, so that a post cut short would show as one or two.
std::string three_donors(const std::string& prefix) {
  using test::event_lines::donor;
  return "[" + donor(prefix + "-a") + "," + donor(prefix + "-b") + "," + donor(prefix + "-c") + "]";
}

struct Posted {
  std::mutex mu;
  std::vector<std::string> acknowledged;  // prefixes of posts answered 201 or 200
  std::vector<std::string> unanswered;    // sent, and the server died first
};

// Posts until the server dies; every post's prefix is recorded as answered
// or not.
void post_until_killed(std::uint16_t port, const std::string& token, const std::string& name, Posted& posted) {
  try {
    test::Client c(port);
    for (int i = 0;; ++i) {
      const std::string prefix = name + "-" + std::to_string(i);
      try {
        const test::Reply r = c.send(http::verb::post, "/v1/events", token, three_donors(prefix));
        std::lock_guard lock(posted.mu);
        (r.status == 201 || r.status == 200 ? posted.acknowledged : posted.unanswered).push_back(prefix);
      } catch (const std::exception&) {
        std::lock_guard lock(posted.mu);
        posted.unanswered.push_back(prefix);
        return;
      }
    }
  } catch (const std::exception&) {
    // The server was gone before this client connected.
  }
}

TEST_CASE("serve killed under concurrent posts loses no acknowledged event", "[crash]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("init --data " + data).exit_code == 0);
  const test::Run token = test::run_cli("token add --name alice --role manager --data " + data);
  REQUIRE(token.exit_code == 0);
  const std::string manager = nlohmann::json::parse(token.out)["token"];
  std::mt19937_64 random(std::random_device{}());
  const std::uint64_t n = serve_rounds();
  std::uint64_t acknowledged = 0, whole_unanswered = 0;
  for (std::uint64_t round = 0; round < n; ++round) {
    Posted posted;
    {
      test::TempDir run;
      test::ServeProcess serve(run, data);
      std::vector<std::thread> clients;
      for (int t = 0; t < 4; ++t) {
        const std::string name = "r" + std::to_string(round) + "t" + std::to_string(t);
        clients.emplace_back([&, name] { post_until_killed(serve.port(), manager, name, posted); });
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200 + random() % 400));
      serve.signal(SIGKILL);
      for (std::thread& c : clients) c.join();
      REQUIRE_FALSE(serve.exit_status(50).empty());
    }
    const test::Run verified = test::run_cli("verify --data " + data);
    INFO(verified.out << verified.err);
    REQUIRE(verified.exit_code == 0);
    Result<std::unique_ptr<Store>> store = Store::open(data, OpenOptions{.read_only = true});
    REQUIRE(store.is_ok());
    const auto reader = (*store)->reader();
    const auto present = [&](const std::string& prefix) {
      int found = 0;
      for (const char* s : {"-a", "-b", "-c"}) found += reader->seq_of_id("donor-" + prefix + s)->has_value() ? 1 : 0;
      return found;
    };
    for (const std::string& p : posted.acknowledged) {
      INFO("round " << round << ": acknowledged post " << p);
      REQUIRE(present(p) == 3);
    }
    for (const std::string& p : posted.unanswered) {
      const int found = present(p);
      INFO("round " << round << ": unanswered post " << p << " has " << found << " of its 3 events");
      REQUIRE((found == 0 || found == 3));
      if (found == 3) ++whole_unanswered;
    }
    acknowledged += posted.acknowledged.size() * 3;
  }
  CHECK(acknowledged > 0);
  WARN("rounds " << n << ", kills " << n << ", acknowledged events " << acknowledged << ", lost 0"
                 << ", unanswered posts found whole " << whole_unanswered);
}

}  // namespace
}  // namespace fundledger
