// Snapshots of the projection: a fund as of any seq, from the snapshot
// before it, agrees with a replay of the log; a long replay reads ahead on
// a thread; verify catches a snapshot that is not what the events give; a
// snapshot of an earlier layout is refused until a rebuild.

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "domain/generator.h"
#include "domain/state.h"
#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/verify.h"
#include "ledger/view_as_of.h"
#include "tests/support.h"

namespace fundledger {
namespace {

using nlohmann::json;

void append_generated(test::Ledger& ledger, std::size_t count, std::uint64_t seed) {
  Generator gen({.seed = seed});
  while (gen.count() < count) {
    std::string request;
    for (int i = 0; i < 1000 && gen.count() < count; ++i) request += gen.next() + "\n";
    ledger.append(request);
  }
}

TEST_CASE("snapshots, old views, a reopened ledger and a rebuild agree with a replay", "[property][slow]") {
  test::Ledger ledger;
  const std::uint64_t events = 2 * kSnapshotEvents + 3000;
  append_generated(ledger, events, 7);
  REQUIRE(ledger.store->head().size == events);

  // The writer stored snapshots at the end of the writes that crossed each
  // multiple of kSnapshotEvents.
  {
    auto reader = ledger.store->reader();
    Result<std::uint64_t> first = snapshot_at_or_before(*reader, kSnapshotEvents + 999);
    REQUIRE(first.is_ok());
    CHECK(*first >= kSnapshotEvents);
    CHECK(*first < kSnapshotEvents + 1000);
    Result<std::uint64_t> none = snapshot_at_or_before(*reader, kSnapshotEvents - 1000);
    REQUIRE(none.is_ok());
    CHECK(*none == 0);
  }

  auto views_at = [&](std::uint64_t seq) {
    std::string out;
    std::shared_ptr<const StoreReader> reader = ledger.store->reader();
    for (ViewKind kind : {ViewKind::kFund, ViewKind::kDonors, ViewKind::kCalls, ViewKind::kRegions,
                          ViewKind::kProgrammes}) {
      Result<json> v = view_as_of(reader, kind, "", seq);
      REQUIRE(v.status().to_string() == "ok");
      CHECK((*v)["as_of"]["tree_size"] == seq);
      out += (*v)["view"].dump() + "\n";
    }
    return out;
  };
  auto replayed_views = [&](std::uint64_t seq) {
    std::unique_ptr<FundState> s = test::replayed(*ledger.store, seq);
    std::string out;
    for (ViewKind kind : {ViewKind::kFund, ViewKind::kDonors, ViewKind::kCalls, ViewKind::kRegions,
                          ViewKind::kProgrammes}) {
      Result<json> v = render_view(*s, kind, "");
      REQUIRE(v.is_ok());
      out += v->dump() + "\n";
    }
    return out;
  };
  const std::vector<std::uint64_t> points = {1, 999, kSnapshotEvents - 1, kSnapshotEvents, kSnapshotEvents + 1,
                                             12345, 2 * kSnapshotEvents + 1, events - 1, events};
  std::map<std::uint64_t, std::string> expected;
  for (std::uint64_t seq : points) {
    INFO("as of " << seq);
    expected[seq] = replayed_views(seq);
    CHECK(views_at(seq) == expected[seq]);
  }

  // Beyond the head is refused.
  {
    Result<json> v = view_as_of(ledger.store->reader(), ViewKind::kFund, "", events + 1);
    CHECK(v.status().code() == Code::kInvalidAsOf);
  }

  // Reopened: the writer starts from the last snapshot and the events after
  // it, and goes on from there.
  ledger.reopen();
  std::string fund_after_reopen;
  REQUIRE(ledger.writer->read_state([&](const FundState& s, const Head&) { fund_after_reopen = test::fund_view(s); })
              .is_ok());
  CHECK(fund_after_reopen + "\n" == expected[events].substr(0, expected[events].find('\n') + 1));
  for (std::uint64_t seq : points) CHECK(views_at(seq) == expected[seq]);

  // A rebuild drops the snapshots and writes them again from the events:
  // the same old views, and verify finds them equal to its own replay.
  REQUIRE(rebuild_projection(*ledger.store).to_string() == "ok");
  for (std::uint64_t seq : points) CHECK(views_at(seq) == expected[seq]);
  Result<ProjectionReport> report = verify_projection(*ledger.store);
  REQUIRE(report.status().to_string() == "ok");
  CHECK(report->ok());

  // Loaded one snapshot to a group, whose table files overlap: the same.
  REQUIRE(rebuild_projection(*ledger.store, nullptr, 1).to_string() == "ok");
  {
    auto reader = ledger.store->reader();
    CHECK(*snapshot_at_or_before(*reader, events) == 2 * kSnapshotEvents);
    CHECK(*snapshot_at_or_before(*reader, 2 * kSnapshotEvents - 1) == kSnapshotEvents);
  }
  for (std::uint64_t seq : points) CHECK(views_at(seq) == expected[seq]);
  report = verify_projection(*ledger.store);
  REQUIRE(report.status().to_string() == "ok");
  CHECK(report->ok());
  // Nothing is left of the loads' files.
  CHECK(std::filesystem::is_empty(ledger.dir.path() / "load"));
}

TEST_CASE("a long replay reads ahead on a thread and stops where the log or the caller says",
          "[property]") {
  test::Ledger ledger;
  const std::uint64_t events = 3 * kSnapshotEvents;
  append_generated(ledger, events, 11);
  const std::string full = [&] {
    FundState s;
    REQUIRE(replay(*ledger.store->reader(), s, events).to_string() == "ok");
    CHECK(s.seq() == events);
    return test::fund_view(s);
  }();

  // Stopped by the caller after event 15000: the state stands there, and
  // the reading thread is told to stop.
  {
    FundState s;
    const Status stopped =
        replay(*ledger.store->reader(), s, events, [](FundState& st, EventType, const DataView&) -> Result<Next> {
          return st.seq() == 15000 ? Next::kStop : Next::kGoOn;
        });
    CHECK(stopped.to_string() == "ok");
    CHECK(s.seq() == 15000);
    FundState again;
    REQUIRE(replay(*ledger.store->reader(), again, 15000).to_string() == "ok");
    CHECK(test::fund_view(s) == test::fund_view(again));
  }

  // An event that cannot be read, far into the log: the events before it
  // are applied and the refusal names it.
  ledger.close();
  { test::RawDb(ledger.dir.path()).put(Family::kEvents, seq_key(20000), "{\"not\":\"an event\"}"); }
  ledger.reopen();
  FundState s;
  const Status broken = replay(*ledger.store->reader(), s, events);
  CHECK(broken.code() == Code::kStoreCorrupt);
  CHECK(broken.message() == "event 20000 cannot be read; run `fundledger verify`");
  CHECK(s.seq() == 19999);
  CHECK(test::fund_view(s) != full);
}

TEST_CASE("verify finds a snapshot record that is not what the events give", "[property]") {
  test::Ledger ledger;
  append_generated(ledger, 2 * kSnapshotEvents + 100, 3);
  std::uint64_t first = 0;
  std::uint64_t second = 0;
  {
    auto reader = ledger.store->reader();
    first = *snapshot_at_or_before(*reader, 2 * kSnapshotEvents - 1);
    second = *snapshot_at_or_before(*reader, ledger.store->head().size);
  }
  REQUIRE(first >= kSnapshotEvents);
  REQUIRE(second > first);
  ledger.close();
  {
    // The fund's totals of the second snapshot, stored as the first's: a
    // record that decodes and looks plausible, but is not what the events
    // up to the first snapshot give.
    test::RawDb db(ledger.dir.path());
    const std::string totals = entity_key(EntityKind::kTotals, "");
    const std::string later = db.get(Family::kState, state_key(totals, second));
    REQUIRE(!later.empty());
    db.put(Family::kState, state_key(totals, first), later);
  }
  ledger.reopen();
  Result<ProjectionReport> report = verify_projection(*ledger.store);
  REQUIRE(report.status().to_string() == "ok");
  REQUIRE_FALSE(report->ok());
  CHECK(report->failure->check == Code::kProjectionMismatch);
  CHECK(report->failure->seq == first);

  // A rebuild repairs it.
  REQUIRE(rebuild_projection(*ledger.store).to_string() == "ok");
  report = verify_projection(*ledger.store);
  REQUIRE(report.status().to_string() == "ok");
  CHECK(report->ok());
}

TEST_CASE("snapshots of an earlier record layout are refused with a clear error until a rebuild", "[property]") {
  test::Ledger ledger;
  append_generated(ledger, kSnapshotEvents + 10, 5);
  ledger.close();
  {
    // The mark as an earlier fundledger wrote it: the count of records alone.
    test::RawDb db(ledger.dir.path());
    const std::string mark = db.get(Family::kSnapshots, seq_key(kSnapshotEvents));
    REQUIRE(mark == snapshot_mark(read_snapshot_mark(mark)->records));
    db.put(Family::kSnapshots, seq_key(kSnapshotEvents), mark.substr(0, 8));
  }
  {
    Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path(), OpenOptions{.read_only = true});
    REQUIRE(store.status().to_string() == "ok");
    const Result<json> view = view_as_of((*store)->reader(), ViewKind::kFund, "", std::nullopt);
    CHECK(view.status().code() == Code::kSnapshotsOutdated);
    CHECK(view.status().message() ==
          "the ledger's snapshots were written by an earlier fundledger (records of version 1, this one reads "
          "version 6): run `fundledger rebuild`, which writes them again from the log");
    const Result<ProjectionReport> report = verify_projection(**store);
    REQUIRE(report.status().to_string() == "ok");
    REQUIRE_FALSE(report->ok());
    CHECK(report->failure->check == Code::kSnapshotsOutdated);
    CHECK(report->failure->seq == kSnapshotEvents);
  }
  {
    Result<std::unique_ptr<Store>> store = Store::open(ledger.dir.path(), OpenOptions{});
    REQUIRE(store.status().to_string() == "ok");
    REQUIRE(rebuild_projection(**store).to_string() == "ok");
    const Result<ProjectionReport> report = verify_projection(**store);
    REQUIRE(report.status().to_string() == "ok");
    CHECK(report->ok());
  }
  ledger.reopen();  // the writer opens again
  CHECK(ledger.store->head().size == kSnapshotEvents + 10);
}

// A fund of 1,000.00 USD received and four grants of 250.00 approved.

}  // namespace
}  // namespace fundledger
