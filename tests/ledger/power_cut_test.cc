// A power cut at every write point of an append, a checkpoint, a rebuild
// and a backup: the n-th write, sync, rename or directory sync fails and every
// one after it, the store closes as it can, and the disk then loses what
// was not synced. The ledger must open, verify, and hold every acknowledged
// event and nothing partial, for every n until the operation and its close
// finish before the cut.

#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "audit/note.h"
#include "ledger/backup.h"
#include "ledger/checkpoints.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/verify.h"
#include "tests/events.h"
#include "tests/faulty_disk.h"
#include "tests/support.h"
#include "util/files.h"

namespace fundledger {
namespace {

namespace fs = std::filesystem;
using test::FaultyDisk;

// The cuts are simulated by the faulty disk, so the real syncs under it
// need not reach a platter: in memory when the machine has /dev/shm.
std::filesystem::path scratch() {
  return fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
}

const NoteSigner& signer() {
  static const NoteSigner s = *NoteSigner::generate("test.example/ledger");
  return s;
}

// A ledger of `lines`, closed, copied afresh for each cut; with a
// checkpoint of its last event when `signed_at_head`.
fs::path template_ledger(const test::TempDir& dir, const std::string& lines, bool signed_at_head = true) {
  const fs::path path = dir.path() / "template";
  REQUIRE(Store::create(path, "test.example/ledger").is_ok());
  Result<std::unique_ptr<Store>> store = Store::open(path);
  REQUIRE(store.is_ok());
  Writer writer(**store, test::fixed_clock_options());
  REQUIRE(writer.append(test::drafts(lines), "manager:alice").status.to_string() == "ok");
  if (signed_at_head) REQUIRE(sign_checkpoint(**store, signer()).is_ok());
  return path;
}

struct Outcome {
  bool acknowledged = false;  // the operation said it was done
  bool cut = false;           // the cut came before it and its close finished
  std::uint64_t size = 0;     // the head, reopened after the cut
};

// What else a test checks after a cut, given the directory the ledger's
// copy is in.
using AfterCut = std::function<void(const fs::path&)>;

// Runs `operation` on a copy of `original` with the power cut after
// `writes` write points, and checks the reopened ledger.
Outcome cut_after(const fs::path& original, std::uint64_t writes,
                  const std::function<Status(Store&, Writer&)>& operation, const AfterCut& after_cut) {
  test::TempDir dir(scratch());
  const fs::path copy = dir.path() / "ledger";
  fs::copy(original, copy, fs::copy_options::recursive);
  FaultyDisk disk;
  Outcome outcome;
  {
    Result<std::unique_ptr<Store>> store = Store::open(copy, OpenOptions{.env = disk.env()});
    REQUIRE(store.is_ok());
    Writer writer(**store, test::fixed_clock_options());
    disk.fail_after(FaultyDisk::kEveryWrite, writes);
    outcome.acknowledged = operation(**store, writer).is_ok();
  }
  outcome.cut = disk.failed();
  disk.lose_unsynced();
  if (after_cut) after_cut(dir.path());
  Result<std::unique_ptr<Store>> reopened = Store::open(copy);
  REQUIRE(reopened.status().to_string() == "ok");
  outcome.size = (*reopened)->head().size;
  reopened->reset();
  OpenOptions read_only_options;
  read_only_options.read_only = true;
  read_only_options.check_head = false;
  Result<std::unique_ptr<Store>> read_only = Store::open(copy, read_only_options);
  REQUIRE(read_only.is_ok());
  VerifyOptions options;
  options.verifier = NoteVerifier::parse(signer().verifier_key());
  Result<LedgerReport> report = verify_ledger(**read_only, options);
  REQUIRE(report.status().to_string() == "ok");
  INFO("the first failed check: " << (report->failure ? report->failure->message : ""));
  CHECK(report->ok());
  return outcome;
}

// Cuts at every write point in turn; returns how many there were.
std::uint64_t cut_everywhere(const fs::path& original, std::uint64_t before, std::uint64_t after,
                             const std::function<Status(Store&, Writer&)>& operation,
                             const AfterCut& after_cut = {}) {
  for (std::uint64_t writes = 0;; ++writes) {
    INFO("power cut after " << writes << " write points");
    const Outcome o = cut_after(original, writes, operation, after_cut);
    CHECK((o.size == before || o.size == after));
    if (o.acknowledged) CHECK(o.size == after);
    if (!o.cut) {
      CHECK(o.acknowledged);
      return writes;
    }
  }
}

TEST_CASE("a power cut at any write point of an append keeps every acknowledged event and no partial one",
          "[store][power][slow]") {
  test::TempDir dir(scratch());
  const std::string lines = test::generated(60, 5);
  std::size_t fifty = 0;  // where the 51st line starts
  for (int i = 0; i < 50; ++i) fifty = lines.find('\n', fifty) + 1;
  const fs::path original = template_ledger(dir, lines.substr(0, fifty));
  const std::string batch = lines.substr(fifty);
  const std::uint64_t points = cut_everywhere(original, 50, 60, [&](Store&, Writer& writer) {
    return writer.append(test::drafts(batch), "manager:alice").status;
  });
  CHECK(points > 3);  // the WAL's write and sync, the flush at close
}

TEST_CASE("a power cut at any write point of a checkpoint or a rebuild leaves a ledger that verifies",
          "[store][power][slow]") {
  test::TempDir dir(scratch());
  // Not signed at its head, so that the checkpoint has something to sign.
  const fs::path original = template_ledger(dir, test::generated(kSnapshotEvents + 10, 6), false);
  const std::uint64_t size = kSnapshotEvents + 10;
  const std::uint64_t checkpoint_points = cut_everywhere(original, size, size, [](Store& store, Writer&) {
    return sign_checkpoint(store, signer()).status();
  });
  CHECK(checkpoint_points > 3);  // the WAL's write and sync, the flush at close
  // Groups of 256 KiB of records, so that the rebuild loads several table
  // files, each group with its marks.
  const std::uint64_t rebuild_points = cut_everywhere(original, size, size, [](Store& store, Writer&) {
    return rebuild_projection(store, nullptr, 256 << 10);
  });
  CHECK(rebuild_points > checkpoint_points);
}

}  // namespace
}  // namespace fundledger

namespace fundledger {

TEST_CASE("a power cut at any write point of a backup leaves the ledger as it was and no backup half made",
          "[store][power][backup][slow]") {
  test::TempDir dir(scratch());
  const std::uint64_t size = 300;
  const fs::path original = template_ledger(dir, test::generated(size, 7));
  // The verifier key a backup keeps with the database, to check its checkpoint.
  REQUIRE(write_new_file(original / "verifier.key", signer().verifier_key() + "\n", 0600).to_string() == "ok");
  const std::vector<std::string> files = {"verifier.key"};
  std::uint64_t listed_after_cut = 0;
  bool reported = false;  // the backup before the cut said it was made
  const std::uint64_t points = cut_everywhere(
      original, size, size,
      [&](Store& store, Writer&) {
        const Status made = back_up_ledger(store, signer(), files, store.dir().parent_path() / "backups").status();
        reported = made.is_ok();
        return made;
      },
      [&](const fs::path& where) {
        // Every backup listed is whole; a backup made now, on a disk that
        // works, is listed and restores to the ledger that verifies.
        const fs::path backups = where / "backups";
        Result<std::vector<BackupEntry>> before = list_backups(backups);
        // A backup reported is kept whatever came after; one not reported
        // is not listed.
        CHECK((before ? before->size() : 0) == (reported ? 1u : 0u));
        reported = false;
        if (before) {
          for (const BackupEntry& e : *before) {
            CHECK(verify_backup(backups, e.id).status().to_string() == "ok");
            CHECK(e.tree_size == size);
            ++listed_after_cut;
          }
        }
        Result<std::unique_ptr<Store>> store = Store::open(where / "ledger");
        REQUIRE(store.status().to_string() == "ok");
        const Result<BackupEntry> made = back_up_ledger(**store, signer(), files, backups);
        REQUIRE(made.status().to_string() == "ok");
        store->reset();
        CHECK(restore_backup(backups, made->id, where / "restored").status().to_string() == "ok");
      });
  CHECK(points > 10);  // the flush, the copy's files, the backup's files and meta
  CHECK(listed_after_cut > 0);  // at least the round the cut came after the backup and its close
}

}  // namespace fundledger
