// A crash at any instant leaves the ledger as it was before an append or
// after it, never between: `fundledger append` of 2,000 events killed with
// SIGKILL at a random instant, round after round, and the ledger verified
// after each kill. A killed process loses what it had not handed to the
// kernel; what the kernel holds survives: this is the ledger's atomicity
// against a crash of the program, not against a power cut.
//
// FUNDLEDGER_CRASH_ROUNDS sets the number of rounds (default 10, a few
// seconds); tools/crash-test runs more.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support.h"
#include "tests/temp_dir.h"

namespace fundledger {
namespace {

constexpr std::uint64_t kBatchEvents = 2000;
// An append of 2,000 events takes some tens of milliseconds: a kill
// within this many lands before it opens the ledger, while it decodes,
// while it writes, or after it has finished.
constexpr int kKillWithinMs = 120;

std::uint64_t rounds() {
  const char* env = std::getenv("FUNDLEDGER_CRASH_ROUNDS");
  return env != nullptr && *env != '\0' ? std::stoull(env) : 10;
}

// The size of the ledger at `data`, which must verify.
std::uint64_t verified_size(const std::string& data) {
  const test::Run v = test::run_cli("verify --data " + data);
  INFO(v.out << v.err);
  REQUIRE(v.exit_code == 0);
  return nlohmann::json::parse(v.out)["tree_size"].get<std::uint64_t>();
}

// Starts `fundledger append FILE` on the ledger at `data`, its output
// thrown away; its pid.
pid_t start_append(const std::string& file, const std::string& data) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(FUNDLEDGER_BIN, FUNDLEDGER_BIN, "append", file.c_str(), "--data", data.c_str(), static_cast<char*>(nullptr));
    std::_Exit(127);
  }
  return pid;
}

TEST_CASE("append killed at a random instant leaves the ledger before or after it, never between", "[crash]") {
  test::TempDir dir;
  const std::string data = dir.str() + "/ledger";
  REQUIRE(test::run_cli("init --data " + data).exit_code == 0);
  const std::uint64_t n = rounds();
  const std::string all = test::generated(n * kBatchEvents, 42);
  std::mt19937_64 random(std::random_device{}());
  std::uint64_t size = 0, kills = 0, resent = 0;
  std::size_t at = 0;
  for (std::uint64_t round = 0; round < n; ++round) {
    // The next 2,000 lines, as a file of their own.
    std::size_t end = at;
    for (std::uint64_t i = 0; i < kBatchEvents; ++i) end = all.find('\n', end) + 1;
    const std::string file = dir.str() + "/batch-" + std::to_string(round) + ".jsonl";
    std::ofstream(file, std::ios::binary) << all.substr(at, end - at);
    at = end;

    const pid_t pid = start_append(file, data);
    std::this_thread::sleep_for(std::chrono::milliseconds(random() % kKillWithinMs));
    if (::kill(pid, SIGKILL) == 0) ++kills;
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::uint64_t now = verified_size(data);
    if (now == size) {
      // Nothing landed: the same file again, as a client would send it.
      REQUIRE(test::run_cli("append " + file + " --data " + data).exit_code == 0);
      ++resent;
      now = verified_size(data);
    }
    INFO("round " << round << ": the ledger holds " << now << " events; expected " << size << " or "
                  << size + kBatchEvents);
    REQUIRE(now == size + kBatchEvents);
    size = now;
  }
  CHECK(size == n * kBatchEvents);
  WARN("rounds " << n << ", kills " << kills << ", appends lost whole and sent again " << resent);
}

}  // namespace
}  // namespace fundledger
