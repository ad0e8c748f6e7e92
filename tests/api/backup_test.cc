// POST /v1/backups: a backup taken by the server while four clients post
// restores to a ledger that verifies, holds every event acknowledged before
// the backup was asked for, and equals the served one up to its size.

#include <atomic>
#include <thread>
#include <vector>

#include "ledger/backup.h"
#include "tests/api/served.h"
#include "tests/temp_dir.h"
#include "util/files.h"

namespace fundledger::api::test {
namespace {

namespace http = boost::beast::http;

TEST_CASE("a backup through the server under concurrent posts restores to the served log", "[server][backup][slow]") {
  fundledger::test::TempDir backups;
  ServedOptions options;
  options.backups = backups.path();
  Served s(options);
  REQUIRE(write_new_file(s.ledger.dir.path() / "verifier.key", s.signer.verifier_key() + "\n").to_string() == "ok");

  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> posters;
  for (int t = 0; t < 4; ++t) {
    posters.emplace_back([&, t] {
      Client c(s.port());
      for (int i = 0; !stop; ++i) {
        const Reply r = c.send(http::verb::post, "/v1/events", s.manager,
                               donor_event("d-" + std::to_string(t) + "-" + std::to_string(i)));
        if (r.status != 201) {
          ++refused;  // Catch2's checks are for the test's own thread
          return;
        }
        ++acknowledged;
      }
    });
  }
  while (acknowledged < 40 && refused == 0) std::this_thread::yield();
  const int before = acknowledged;
  Client c(s.port());
  const Reply r = c.send(http::verb::post, "/v1/backups", s.manager);
  while (acknowledged < before + 40 && refused == 0) std::this_thread::yield();
  stop = true;
  for (std::thread& p : posters) p.join();
  REQUIRE(refused == 0);

  REQUIRE(r.status == 201);
  CHECK(r.body["backup"] == 1);
  const std::uint64_t size = r.body["tree_size"];
  CHECK(size >= 300u + before);  // the 300 events served before the posts
  CHECK(s.ledger.store->head().size > size);  // the posts went on during it
  CHECK(c.send(http::verb::post, "/v1/backups", s.board).status == 403);

  const auto target = backups.path() / "restored";
  Result<BackupEntry> restored = restore_backup(backups.path(), 1, target);
  REQUIRE(restored.status().to_string() == "ok");
  CHECK(to_hex(restored->root) == r.body["root_hash"]);
  Result<std::unique_ptr<Store>> copy = Store::open(target, OpenOptions{.read_only = true});
  REQUIRE(copy.status().to_string() == "ok");
  REQUIRE((*copy)->head().size == size);
  const auto a = s.ledger.store->reader();
  const auto b = (*copy)->reader();
  for (std::uint64_t seq = 1; seq <= size; ++seq) REQUIRE(*a->event(seq) == *b->event(seq));
}

}  // namespace
}  // namespace fundledger::api::test
