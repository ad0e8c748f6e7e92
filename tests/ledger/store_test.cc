// The store and the writer: idempotency, atomicity, durability across
// reopening, exclusive opening, and what a failed write leaves behind.

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>

#include "ledger/verify.h"
#include "tests/faulty_disk.h"
#include "tests/support.h"

namespace fundledger {
namespace {

const char* kDonor = R"({"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Japan","kind":"government"}})";
const char* kDonorOther = R"({"id":"donor-JPN","type":"donor.registered","data":{"donor":"JPN","name":"Nippon","kind":"government"}})";
const char* kProgramme = R"({"id":"prog-spp","type":"programme.registered","data":{"programme":"spp","name":"Sustainable public procurement"}})";

TEST_CASE("the same id and content returns the original event", "[store]") {
  test::Ledger ledger;
  const auto first = ledger.append(std::string(kDonor) + "\n" + kProgramme);
  REQUIRE(first.size() == 2);
  CHECK(first[0].seq == 1);
  CHECK_FALSE(first[0].repeat);
  const auto again = ledger.append(kDonor);
  REQUIRE(again.size() == 1);
  CHECK(again[0].seq == 1);
  CHECK(again[0].repeat);
  CHECK(again[0].leaf == first[0].leaf);
  CHECK(again[0].chain == first[0].chain);
  CHECK(ledger.store->head().size == 2);
  // Amounts are compared once normalised: "100" and "100.00" are the same.
  const char* pledge = R"({"id":"pl","type":"pledge.recorded","data":{"pledge":"p","donor":"JPN","amount":"100","currency":"USD","pledged_on":"2014-06-27"}})";
  const char* same = R"({"id":"pl","type":"pledge.recorded","data":{"pledged_on":"2014-06-27","pledge":"p","donor":"JPN","amount":"100.00","currency":"USD"}})";
  CHECK(ledger.append(pledge)[0].seq == 3);
  CHECK(ledger.append(same)[0].seq == 3);
  CHECK(ledger.append(same)[0].repeat);
}

TEST_CASE("the same id with other content is an id_conflict and appends nothing", "[store]") {
  test::Ledger ledger;
  ledger.append(kDonor);
  const AppendResult r = ledger.try_append(std::string(kProgramme) + "\n" + kDonorOther);
  CHECK(r.status.code() == Code::kIdConflict);
  CHECK(r.status.field() == "id");
  CHECK(r.status.message() == "event 1 already has the id \"donor-JPN\" with other content");
  CHECK(r.failed_at == std::optional<std::size_t>(1));
  CHECK(ledger.store->head().size == 1);
  // Another type with the same id conflicts too.
  const AppendResult t = ledger.try_append(
      R"({"id":"donor-JPN","type":"programme.registered","data":{"programme":"JPN","name":"Japan"}})");
  CHECK(t.status.code() == Code::kIdConflict);
}

TEST_CASE("within one request, a repeated id is a repeat or a conflict", "[store]") {
  test::Ledger ledger;
  const auto r = ledger.append(std::string(kDonor) + "\n" + kProgramme + "\n" + kDonor);
  REQUIRE(r.size() == 3);
  CHECK(r[2].seq == 1);
  CHECK(r[2].repeat);
  CHECK(ledger.store->head().size == 2);
  const AppendResult c = ledger.try_append(
      R"({"id":"x","type":"programme.registered","data":{"programme":"x","name":"X"}})"
      "\n"
      R"({"id":"x","type":"programme.registered","data":{"programme":"x","name":"Y"}})");
  CHECK(c.status.code() == Code::kIdConflict);
  CHECK(ledger.store->head().size == 2);
}

TEST_CASE("a request whose 500th event is refused appends nothing", "[store]") {
  test::Ledger ledger;
  // The first ten events of a generated stream land (its reversals name
  // the seqs the stream gives them); the next 499 come as one request.
  std::vector<Draft> drafts = test::drafts(test::generated(509, 11));
  REQUIRE(ledger.writer->append(std::vector<Draft>(drafts.begin(), drafts.begin() + 10), "manager:alice")
              .status.to_string() == "ok");
  drafts.erase(drafts.begin(), drafts.begin() + 10);
  const Head before = ledger.store->head();
  // The 500th reuses the request's first id with other content.
  drafts.push_back(test::drafts(
      R"({"id":"ev-00000011","type":"programme.registered","data":{"programme":"zz","name":"Z"}})")[0]);
  const AppendResult r = ledger.writer->append(std::move(drafts), "manager:alice");
  CHECK(r.status.code() == Code::kIdConflict);
  CHECK(r.failed_at == std::optional<std::size_t>(499));
  CHECK(ledger.store->head() == before);
  ledger.reopen();
  CHECK(ledger.store->head() == before);
  const auto reader = ledger.store->reader();
  CHECK_FALSE(reader->event(11)->has_value());
  CHECK_FALSE(reader->seq_of_id("ev-00000011")->has_value());
}

TEST_CASE("a refused request in a group leaves the others whole", "[store]") {
  test::Ledger ledger;
  ledger.append(kDonor);
  // A write-off of a pledge nobody recorded is refused by the writer.
  const AppendResult bad = ledger.try_append(
      R"({"id":"w","type":"pledge.written_off","data":{"pledge":"nope","amount":"1","written_off_on":"2016-12-31","reason":"r"}})");
  CHECK(bad.status.code() == Code::kUnknownPledge);
  CHECK(bad.status.field() == "data.pledge");
  const auto good = ledger.append(kProgramme);
  CHECK(good[0].seq == 2);
}

TEST_CASE("a write-off takes the decimals of its pledge's currency", "[store]") {
  test::Ledger ledger;
  ledger.append(std::string(kDonor) + "\n" +
                R"({"id":"donor-DEU","type":"donor.registered","data":{"donor":"DEU","name":"Germany","kind":"government"}})");
  ledger.append(R"({"id":"pl","type":"pledge.recorded","data":{"pledge":"p","donor":"JPN","amount":"300000000","currency":"JPY","pledged_on":"2014-06-27"}})");
  const AppendResult bad = ledger.try_append(
      R"({"id":"w","type":"pledge.written_off","data":{"pledge":"p","amount":"10.5","written_off_on":"2016-12-31","reason":"r"}})");
  CHECK(bad.status.code() == Code::kInvalidAmount);
  CHECK(bad.status.field() == "data.amount");
  ledger.append(R"({"id":"w","type":"pledge.written_off","data":{"pledge":"p","amount":"1000","written_off_on":"2016-12-31","reason":"r"}})");
  // The pledge is known after reopening too: the writer reloads what it needs.
  ledger.reopen();
  ledger.append(R"({"id":"pl2","type":"pledge.recorded","data":{"pledge":"p2","donor":"DEU","amount":"5","currency":"EUR","pledged_on":"2014-06-27"}})");
  const auto r = ledger.append(
      R"({"id":"w2","type":"pledge.written_off","data":{"pledge":"p2","amount":"1.5","written_off_on":"2016-12-31","reason":"r"}})");
  CHECK(**ledger.store->reader()->event(r[0].seq) ==
        R"({"actor":"manager:alice","data":{"amount":"1.50","pledge":"p2","reason":"r","written_off_on":"2016-12-31"},"id":"w2","recorded_at":"2026-11-23T10:15:30.126Z","seq":6,"type":"pledge.written_off"})");
}

TEST_CASE("recorded_at never goes back, even when the clock does", "[store]") {
  test::Ledger ledger;
  ledger.append(kDonor);
  ledger.writer.reset();
  WriterOptions past;
  past.clock = [] { return Millis{0}; };
  ledger.writer = std::make_unique<Writer>(*ledger.store, past);
  const auto r = ledger.append(kProgramme);
  Result<Event> e = decode_event(**ledger.store->reader()->event(r[0].seq));
  CHECK(e->recorded_at == "2026-11-23T10:15:30.123Z");
}

TEST_CASE("closing and reopening keeps the size and the head", "[store]") {
  test::Ledger ledger;
  ledger.append(test::generated(300, 3));
  const Head before = ledger.store->head();
  REQUIRE(before.size == 300);
  ledger.reopen();
  CHECK(ledger.store->head() == before);
  ledger.append(kDonor);
  CHECK(ledger.store->head().size == 301);
  Result<VerifyReport> report = verify_log(*ledger.store);
  REQUIRE(report.is_ok());
  CHECK(report->ok());
  CHECK(report->size == 301);
}

TEST_CASE("hashes are read back across pages and requests", "[store]") {
  test::Ledger ledger;
  // 600 events in one request make pages of 256, 256 and 88; single
  // events after it make a page each.
  const auto batch = ledger.append(test::generated(600, 8));
  const auto one = ledger.append(kDonor);
  const auto two = ledger.append(kProgramme);
  const auto reader = ledger.store->reader();
  for (std::uint64_t seq : {1, 256, 257, 512, 513, 600}) {
    const auto h = reader->hashes(seq);
    REQUIRE(h->has_value());
    CHECK((*h)->leaf == batch[seq - 1].leaf);
    CHECK((*h)->chain == batch[seq - 1].chain);
  }
  CHECK((*reader->hashes(601))->chain == one[0].chain);
  CHECK((*reader->hashes(602))->chain == two[0].chain);
  CHECK_FALSE(reader->hashes(603)->has_value());
  std::uint64_t expected = 250;
  for (auto c = reader->hashes_from(250); c->valid(); c->next(), ++expected) {
    CHECK(c->seq() == expected);
  }
  CHECK(expected == 603);
  CHECK_FALSE(reader->hashes_from(603)->valid());
}

TEST_CASE("a ledger opened for writing twice at once is refused", "[store]") {
  test::Ledger ledger;
  Result<std::unique_ptr<Store>> second = Store::open(ledger.dir.path());
  CHECK(second.status().code() == Code::kLedgerInUse);
  CHECK(second.status().message() == "the ledger at " + ledger.dir.str() +
                                         " is already open for writing, by another process or by this one");
  // A read-only open may stand beside the writer.
  Result<std::unique_ptr<Store>> reader = Store::open(ledger.dir.path(), OpenOptions{.read_only = true});
  CHECK(reader.is_ok());
}

TEST_CASE("opening where there is no ledger, or creating over one, is refused", "[store]") {
  test::TempDir dir;
  Result<std::unique_ptr<Store>> none = Store::open(dir.path() / "nothing");
  CHECK(none.status().code() == Code::kNoLedger);
  REQUIRE(Store::create(dir.path() / "l", "o").is_ok());
  CHECK(Store::create(dir.path() / "l", "o").code() == Code::kLedgerExists);
  // A RocksDB database of another program.
  {
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    REQUIRE(rocksdb::DB::Open(o, (dir.path() / "other").string(), &db).ok());
    delete db;
  }
  const Result<std::unique_ptr<Store>> other = Store::open(dir.path() / "other");
  CHECK(other.status().to_string() == "not_a_ledger: " + (dir.path() / "other").string() +
                                          " holds a database that is not a ledger");
}

TEST_CASE("a ledger opened read-only refuses to write", "[store]") {
  test::Ledger ledger;
  ledger.append(test::generated(5, 1));
  ledger.close();
  Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path(), OpenOptions{.read_only = true});
  REQUIRE(store.status().to_string() == "ok");
  StoreBatch batch(**store);
  CHECK((*store)->write(batch, (*store)->head()).to_string() == "read_only: the ledger was opened read-only");
  CHECK((*store)->clear_projection().code() == Code::kReadOnly);
}

TEST_CASE("a load lands all its families at once, or nothing of them", "[store]") {
  test::Ledger ledger;
  Store& store = *ledger.store;  // until the reopening at the end
  const auto get = [&](Family f, std::string_view key) {
    Result<std::optional<std::string>> v = ledger.store->reader()->get(f, key);
    REQUIRE(v.is_ok());
    return v->value_or("(none)");
  };
  const std::filesystem::path files = ledger.dir.path() / "load";

  // Not committed: nothing lands, and its files go with it.
  {
    StoreLoad load(store);
    REQUIRE(load.put(Family::kState, "Ta", "1").is_ok());
    REQUIRE(load.put(Family::kSnapshots, seq_key(1), seq_key(1)).is_ok());
    CHECK(std::distance(std::filesystem::directory_iterator(files), {}) == 2);
  }
  CHECK(std::filesystem::is_empty(files));
  CHECK(get(Family::kState, "Ta") == "(none)");

  // Keys out of order: refused, and what was put before does not land.
  {
    StoreLoad load(store);
    REQUIRE(load.put(Family::kSnapshots, seq_key(2), seq_key(1)).is_ok());
    REQUIRE(load.put(Family::kState, "Tb", "2").is_ok());
    const Status refused = load.put(Family::kState, "Ta", "1");
    CHECK(refused.code() == Code::kStorageError);
  }
  CHECK(get(Family::kState, "Tb") == "(none)");
  CHECK(get(Family::kSnapshots, seq_key(2)) == "(none)");

  // Committed: both families, read back, and after reopening.
  {
    StoreLoad load(store);
    REQUIRE(load.put(Family::kState, "Ta", "1").is_ok());
    REQUIRE(load.put(Family::kState, "Tb", "2").is_ok());
    REQUIRE(load.put(Family::kSnapshots, seq_key(3), seq_key(2)).is_ok());
    REQUIRE(load.commit().to_string() == "ok");
  }
  CHECK(get(Family::kState, "Ta") == "1");
  CHECK(get(Family::kState, "Tb") == "2");
  CHECK(get(Family::kSnapshots, seq_key(3)) == seq_key(2));
  ledger.reopen();
  CHECK(get(Family::kState, "Tb") == "2");
  CHECK(get(Family::kSnapshots, seq_key(3)) == seq_key(2));
}

TEST_CASE("what a load left when it was stopped is removed when the ledger opens", "[store]") {
  test::Ledger ledger;
  ledger.close();
  const std::filesystem::path files = ledger.dir.path() / "load";
  std::filesystem::create_directories(files);
  { std::ofstream(files / "7.sst") << "half a table file"; }
  ledger.reopen();
  CHECK_FALSE(std::filesystem::exists(files));
  CHECK(ledger.store->head().size == 0);
}

TEST_CASE("a failed sync is refused, and so is every append until the store recovers", "[store]") {
  test::TempDir dir;
  REQUIRE(Store::create(dir.path(), "o").is_ok());
  test::FaultyDisk disk;
  const char* kOther = R"({"id":"p2","type":"programme.registered","data":{"programme":"x","name":"X"}})";
  const std::string kRefusal =
      "the ledger cannot write to its disk (injected failure); nothing was acknowledged: send the same events "
      "again once it answers";
  {
    Result<std::unique_ptr<Store>> opened = Store::open(dir.path(), OpenOptions{.env = disk.env()});
    REQUIRE(opened.is_ok());
    Store& store = **opened;
    Writer writer(store, test::fixed_clock_options());
    REQUIRE(writer.append(test::drafts(kDonor), "manager:alice").status.is_ok());
    // The event reaches the write-ahead log, but its sync fails.
    disk.fail(test::FaultyDisk::kSync);
    const AppendResult failed = writer.append(test::drafts(kProgramme), "manager:alice");
    CHECK(failed.status.code() == Code::kStorageUnavailable);
    CHECK(failed.status.message() == kRefusal);
    CHECK(store.head().size == 1);
    CHECK(store.failure() == "injected failure");
    // While the disk fails, recovering fails too, and appends stay refused.
    CHECK(writer.recover().code() == Code::kStorageUnavailable);
    disk.fail(0);
    // The disk may be fine again; the store does not pretend to know, and
    // never retries the failed sync, until it is asked to recover.
    CHECK(writer.append(test::drafts(kOther), "manager:alice").status.message() == kRefusal);
    CHECK(store.head().size == 1);
    // RocksDB does not resume after a failed write to its write-ahead log:
    // the store opens its database again, and finds there the event whose
    // sync failed (the bytes were written; only the sync was refused). When
    // a background flush met the failed sync first, RocksDB resumes instead
    // and the event is absent. Whole or absent, sent again it lands once,
    // as seq 2.
    REQUIRE(writer.recover().to_string() == "ok");
    CHECK(store.failure() == std::nullopt);
    CHECK((store.head().size == 1 || store.head().size == 2));
    const AppendResult retry = writer.append(test::drafts(kProgramme), "manager:alice");
    REQUIRE(retry.status.is_ok());
    CHECK(retry.receipts[0].seq == 2);
    CHECK(store.head().size == 2);
    REQUIRE(writer.append(test::drafts(kOther), "manager:alice").status.is_ok());
    CHECK(store.head().size == 3);
  }
  // Reopened, the log holds each event once.
  Result<std::unique_ptr<Store>> again = Store::open(dir.path());
  REQUIRE(again.is_ok());
  CHECK((*again)->head().size == 3);
  Writer writer(**again, test::fixed_clock_options());
  const AppendResult repeat = writer.append(test::drafts(kProgramme), "manager:alice");
  REQUIRE(repeat.status.is_ok());
  CHECK(repeat.receipts[0].seq == 2);
  CHECK((*again)->head().size == 3);
  Result<VerifyReport> report = verify_log(**again);
  REQUIRE(report.is_ok());
  CHECK(report->ok());
}

TEST_CASE("a power cut after a failed sync leaves the log as it was acknowledged", "[store]") {
  test::TempDir dir;
  REQUIRE(Store::create(dir.path(), "o").is_ok());
  test::FaultyDisk disk;
  {
    Result<std::unique_ptr<Store>> opened = Store::open(dir.path(), OpenOptions{.env = disk.env()});
    REQUIRE(opened.is_ok());
    Writer writer(**opened, test::fixed_clock_options());
    REQUIRE(writer.append(test::drafts(kDonor), "manager:alice").status.is_ok());
    disk.fail(test::FaultyDisk::kSync);
    CHECK(writer.append(test::drafts(kProgramme), "manager:alice").status.code() == Code::kStorageUnavailable);
    disk.fail(test::FaultyDisk::kEveryWrite);  // the power goes
  }
  disk.lose_unsynced();
  Result<std::unique_ptr<Store>> again = Store::open(dir.path());
  REQUIRE(again.is_ok());
  CHECK((*again)->head().size == 1);
  Result<VerifyReport> report = verify_log(**again);
  REQUIRE(report.is_ok());
  CHECK(report->ok());
}

}  // namespace
}  // namespace fundledger
