// Backups: taken while the writer appends, restored as a new ledger that
// verifies and holds exactly the events its checkpoint signs; incremental;
// and a backup changed by one byte, or with another checkpoint, refused on
// restore with nothing left behind.

#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include <catch2/catch.hpp>

#include "ledger/backup.h"
#include "ledger/checkpoints.h"
#include "tests/support.h"
#include "tests/temp_dir.h"
#include "util/files.h"

namespace fundledger {
namespace {

struct Backed {
  test::Ledger ledger;
  NoteSigner signer = *NoteSigner::generate(ledger.store->origin());
  test::TempDir backups;
  Backed() {
    REQUIRE(write_new_file(ledger.dir.path() / "verifier.key", signer.verifier_key() + "\n").to_string() == "ok");
  }
  BackupEntry back_up() {
    Result<BackupEntry> e = back_up_ledger(*ledger.store, signer, {"verifier.key", "tokens"}, backups.path());
    REQUIRE(e.status().to_string() == "ok");
    return *e;
  }
};

// The lines of `text` in runs of `per` lines.
std::vector<std::string> batches(const std::string& text, std::size_t per) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line, batch;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    batch += line + "\n";
    if (n % per == 0) out.push_back(std::exchange(batch, ""));
  }
  if (!batch.empty()) out.push_back(batch);
  return out;
}

void check_same_events(const Store& a, const Store& b, std::uint64_t size) {
  const auto ra = a.reader();
  const auto rb = b.reader();
  for (std::uint64_t seq = 1; seq <= size; ++seq) {
    const auto ea = ra->event(seq);
    const auto eb = rb->event(seq);
    REQUIRE(ea.is_ok());
    REQUIRE(eb.is_ok());
    REQUIRE(ea->has_value());
    REQUIRE(*ea == *eb);
  }
}

void flip_byte(const std::filesystem::path& file, std::size_t at) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(static_cast<std::streamoff>(at));
  const char c = static_cast<char>(f.get());
  f.seekp(static_cast<std::streamoff>(at));
  f.put(static_cast<char>(c ^ 0x01));
}

TEST_CASE("a backup taken while the writer appends restores to a ledger that verifies", "[backup][slow]") {
  Backed b;
  const std::vector<std::string> runs = batches(test::generated(4000, 5), 100);
  b.ledger.append(runs[0]);
  std::atomic<std::size_t> appended{1};
  std::thread writer([&] {
    for (std::size_t i = 1; i < runs.size(); ++i) {
      b.ledger.append(runs[i]);
      appended = i + 1;
    }
  });
  while (appended < 10) std::this_thread::yield();
  const BackupEntry first = b.back_up();
  const BackupEntry second = b.back_up();
  writer.join();
  CHECK(first.id == 1);
  CHECK(second.id == 2);
  CHECK(first.tree_size % 100 == 0);  // whole appends only
  CHECK(first.tree_size >= 1000);
  CHECK(second.tree_size >= first.tree_size);

  test::TempDir restored;
  const auto target = restored.path() / "ledger";
  Result<BackupEntry> r = restore_backup(b.backups.path(), first.id, target);
  REQUIRE(r.status().to_string() == "ok");
  CHECK(r->tree_size == first.tree_size);
  CHECK(r->root == first.root);
  Result<std::unique_ptr<Store>> copy = Store::open(target, OpenOptions{.read_only = true});
  REQUIRE(copy.status().to_string() == "ok");
  CHECK((*copy)->head().size == first.tree_size);
  check_same_events(*b.ledger.store, **copy, first.tree_size);
  // The checkpoint signed for the backup is kept in the restored ledger.
  const auto kept = latest_checkpoint(*(*copy)->reader());
  REQUIRE(kept.status().to_string() == "ok");
  REQUIRE(kept->has_value());
  CHECK((*kept)->first == first.tree_size);
  CHECK(std::filesystem::exists(target / "verifier.key"));
  CHECK((std::filesystem::status(target).permissions() & std::filesystem::perms::others_all) ==
        std::filesystem::perms::none);

  Result<std::vector<BackupEntry>> all = list_backups(b.backups.path());
  REQUIRE(all.status().to_string() == "ok");
  REQUIRE(all->size() == 2);
  CHECK((*all)[1].tree_size == second.tree_size);
}

TEST_CASE("backups are incremental: a second one keeps the table files it shares", "[backup]") {
  Backed b;
  b.ledger.append(test::generated(2000, 6));
  // A backup elsewhere first flushes what the appends left in memory, and
  // RocksDB then compacts; once that is done, the first backup here flushes
  // nothing and causes no compaction, so the table files it holds are
  // still the ledger's at the second.
  test::TempDir scratch;
  REQUIRE(back_up_ledger(*b.ledger.store, b.signer, {}, scratch.path()).status().to_string() == "ok");
  REQUIRE(b.ledger.store->settle().to_string() == "ok");
  const BackupEntry first = b.back_up();
  const auto shared = b.backups.path() / "shared_checksum";
  const auto sizes = [&] {
    std::map<std::string, std::uintmax_t> out;
    for (const auto& f : std::filesystem::directory_iterator(shared)) out[f.path().filename()] = f.file_size();
    return out;
  };
  const auto after_first = sizes();
  b.ledger.append(batches(test::generated(2100, 6), 2000)[1]);
  const BackupEntry second = b.back_up();
  CHECK(second.tree_size == 2100);
  // The table files of the first backup are still there, unchanged, and
  // what the second one copied is the little that is new.
  const auto after_second = sizes();
  std::uintmax_t copied = 0;
  for (const auto& [name, size] : after_second) {
    if (after_first.contains(name)) continue;
    copied += size;
  }
  for (const auto& [name, size] : after_first) CHECK(after_second.at(name) == size);
  CHECK(after_second.size() > after_first.size());
  CHECK(copied * 4 < second.bytes);
  CHECK(second.bytes > first.bytes);
  Result<BackupEntry> v = verify_backup(b.backups.path(), 0);
  REQUIRE(v.status().to_string() == "ok");
  CHECK(v->id == 2);
}

TEST_CASE("a backup changed by one byte, or under another checkpoint, is refused on restore", "[backup]") {
  Backed b;
  b.ledger.append(test::generated(1500, 7));
  const BackupEntry e = b.back_up();
  test::TempDir restored;
  const auto target = restored.path() / "ledger";

  SECTION("a table file") {
    std::filesystem::path largest;
    std::uintmax_t size = 0;
    for (const auto& f : std::filesystem::directory_iterator(b.backups.path() / "shared_checksum")) {
      if (f.file_size() > size) largest = f.path(), size = f.file_size();
    }
    flip_byte(largest, size / 2);
    Result<BackupEntry> r = restore_backup(b.backups.path(), 0, target);
    CHECK(r.status().code() == Code::kBackupCorrupt);
    CHECK_THAT(r.status().message(), Catch::Contains("backup 1: Corruption: File corrupted: Checksum mismatch"));
    CHECK(verify_backup(b.backups.path(), 1).status().code() == Code::kBackupCorrupt);
  }
  SECTION("the signed checkpoint") {
    const auto note = b.backups.path() / "ledger.1" / "checkpoint";
    flip_byte(note, 30);
    Result<BackupEntry> r = restore_backup(b.backups.path(), 0, target);
    CHECK(r.status().code() == Code::kBackupCorrupt);
    CHECK_THAT(r.status().message(), Catch::StartsWith("backup 1: its checkpoint"));
  }
  SECTION("no such backup") {
    Result<BackupEntry> r = restore_backup(b.backups.path(), 9, target);
    CHECK(r.status().to_string() == "no_backup: there is no backup 9 in " + b.backups.path().string() + " (backup)");
  }
  CHECK_FALSE(std::filesystem::exists(target));
  CHECK_FALSE(std::filesystem::exists(restored.path() / "ledger.partial"));
  CHECK(e.tree_size == 1500);
}

}  // namespace
}  // namespace fundledger
