// The ledger's speed: appending generated events durably in batches (with
// the fund's rules checked and its projection kept), verifying the log,
// replaying it into the projection and rebuilding the projection's
// snapshots, asking for a view as of an old seq, and the desk's one event
// at a time with its dry run. Each of the big
// benchmarks runs once per repetition over a whole ledger; run with
// --benchmark_repetitions=5 and read the medians.
//
// FUNDLEDGER_BENCH_EVENTS sets the ledger's size (default 1,000,000),
// FUNDLEDGER_BENCH_DIR where the ledgers are made (default /tmp), and
// FUNDLEDGER_BENCH_LEDGER a ledger to use instead (bench/bench_support.h).


#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "audit/merkle.h"
#include "bench/bench_support.h"
#include "domain/event.h"
#include "domain/generator.h"
#include "domain/views.h"
#include "ledger/replay.h"
#include "ledger/snapshots.h"
#include "ledger/store.h"
#include "ledger/tree.h"
#include "ledger/verify.h"
#include "ledger/view_as_of.h"
#include "ledger/writer.h"
#include "util/check.h"

namespace fundledger {
namespace {

using bench::bench_dir;
using bench::events_count;
using bench::fresh_store;
using bench::open_built;

constexpr std::size_t kBatchEvents = 1000;

const std::vector<std::string>& lines() {
  static const std::vector<std::string> kLines = [] {
    std::vector<std::string> out;
    Generator gen(GeneratorOptions{42, "2014-01-01"});
    for (std::size_t i = 0; i < events_count(); ++i) out.push_back(gen.next());
    return out;
  }();
  return kLines;
}

std::vector<Draft> decode_all() {
  std::vector<Draft> drafts;
  drafts.reserve(lines().size());
  for (const std::string& line : lines()) {
    Result<Draft> d = decode_draft(line);
    FL_CHECK(d.is_ok());
    drafts.push_back(std::move(*d));
  }
  return drafts;
}

// Appends `drafts` through `writer`, kBatchEvents to a request.
void append_in_batches(Writer& writer, std::vector<Draft>& drafts) {
  for (std::size_t i = 0; i < drafts.size(); i += kBatchEvents) {
    std::vector<Draft> batch(std::make_move_iterator(drafts.begin() + i),
                             std::make_move_iterator(drafts.begin() + std::min(drafts.size(), i + kBatchEvents)));
    FL_CHECK(writer.append(std::move(batch), "manager:bench").status.is_ok());
  }
}

// Appends pre-decoded events through the writer, 1,000 to a synced write.
void BM_AppendDecoded(benchmark::State& state) {
  const auto dir = bench_dir("append");
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Draft> drafts = decode_all();
    auto store = fresh_store(dir);
    Writer writer(*store);
    state.ResumeTiming();
    append_in_batches(writer, drafts);
    state.PauseTiming();
    store.reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// Decodes each batch of JSON lines and appends it: what `fundledger append`
// and the API do.
void BM_AppendFromJson(benchmark::State& state) {
  const auto dir = bench_dir("append-json");
  for (auto _ : state) {
    state.PauseTiming();
    auto store = fresh_store(dir);
    Writer writer(*store);
    state.ResumeTiming();
    for (std::size_t i = 0; i < lines().size(); i += kBatchEvents) {
      std::vector<Draft> batch;
      for (std::size_t k = i; k < std::min(lines().size(), i + kBatchEvents); ++k) {
        Result<Draft> d = decode_draft(lines()[k]);
        FL_CHECK(d.is_ok());
        batch.push_back(std::move(*d));
      }
      const AppendResult r = writer.append(std::move(batch), "manager:bench");
      FL_CHECK(r.status.is_ok());
    }
    state.PauseTiming();
    store.reset();
    std::filesystem::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// Verifies the log's hashes, root included, as `fundledger verify` does
// before it replays the log.
void BM_Verify(benchmark::State& state) {
  auto store = open_built(true);
  for (auto _ : state) {
    // As `fundledger verify` does: each chunk's blocks of the tree on the
    // worker that verified it, the root from them at the end.
    RecomputedTree tree(store->head().size);
    VerifyHooks hooks;
    hooks.on_chunk = [&tree](std::uint64_t first_seq, const std::vector<Hash>& leaves) {
      tree.add_chunk(first_seq, leaves);
    };
    Result<VerifyReport> report = verify_log(*store, hooks);
    FL_CHECK(report.is_ok() && report->ok());
    benchmark::DoNotOptimize(tree.root());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// Replays the whole log into a fund in memory: reading each stored event,
// parsing its data, checking the rules and applying it. The part of a
// rebuild that is not writing snapshots.
void BM_Replay(benchmark::State& state) {
  auto store = open_built(true);
  for (auto _ : state) {
    FundState fund;
    FL_CHECK(replay(*store->reader(), fund, store->head().size).is_ok());
    benchmark::DoNotOptimize(fund.totals().cash());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// `fundledger rebuild`: drops the snapshots and replays the log, writing
// them again, until the rebuild returns with its snapshots durable: what
// a person running the command waits for. The table files it added then
// overlap, and RocksDB merges them in the background; that compaction is
// timed apart ("compaction_ms", per rebuild) and waited for before the
// next repetition, so that none runs into the next one's figure.
void BM_Rebuild(benchmark::State& state) {
  auto store = open_built(false);
  FL_CHECK(store->settle().is_ok());
  double compaction_ms = 0;
  for (auto _ : state) {
    FL_CHECK(rebuild_projection(*store).is_ok());
    state.PauseTiming();
    const auto start = std::chrono::steady_clock::now();
    FL_CHECK(store->settle().is_ok());
    compaction_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    state.ResumeTiming();
  }
  state.counters["compaction_ms"] = benchmark::Counter(compaction_ms, benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// The replay half of `fundledger verify`: the projection checked against a
// replay, and the fund's invariants after every event.
void BM_VerifyProjection(benchmark::State& state) {
  auto store = open_built(true);
  for (auto _ : state) {
    Result<ProjectionReport> report = verify_projection(*store);
    FL_CHECK(report.is_ok() && report->ok());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

// A view as of an old seq, from a ledger already open, as the API serves
// it: the snapshot at or before the seq, then the events after it. The
// first argument picks the seq: 0 the middle of the log, 1 the seq just
// before a snapshot in the middle (the most events to replay after one).
// The second picks the view. Each iteration is one view, from a fresh
// reader, with nothing kept from the one before.
void BM_ViewAsOf(benchmark::State& state) {
  auto store = open_built(true);
  const std::uint64_t size = store->head().size;
  const std::uint64_t middle = size / 2;
  const std::uint64_t seq = state.range(0) == 0 ? middle : (middle / kSnapshotEvents) * kSnapshotEvents - 1;
  const auto kind = static_cast<ViewKind>(state.range(1));
  for (auto _ : state) {
    Result<nlohmann::json> view = view_as_of(store->reader(), kind, "", seq);
    FL_CHECK(view.is_ok());
    benchmark::DoNotOptimize(view->dump().size());
  }
  state.SetLabel(std::string(view_name(kind)) + " as of " + std::to_string(seq));
}

// The baseline of BM_ViewAsOf: the same view rendered and printed from a
// fund already in memory (loaded once, outside the timing), so that the
// cost of reaching the old seq reads as the difference. A list of
// thousands of calls is a document of about a megabyte however it is
// reached.
void BM_ViewRender(benchmark::State& state) {
  auto store = open_built(true);
  const std::uint64_t seq = store->head().size / 2;
  const auto kind = static_cast<ViewKind>(state.range(0));
  Result<std::unique_ptr<FundState>> fund = state_as_of(store->reader(), seq);
  FL_CHECK(fund.is_ok());
  FL_CHECK(render_view(**fund, kind, "").is_ok());  // loads every entity the view reads
  for (auto _ : state) {
    Result<nlohmann::json> view = render_view(**fund, kind, "");
    FL_CHECK(view.is_ok());
    benchmark::DoNotOptimize(view->dump().size());
  }
  state.SetLabel(std::string(view_name(kind)) + " as of " + std::to_string(seq) + ", in memory");
}

// The statement of the biennium 2014-2015 (the generator's first two
// years), of the whole log: one pass over every event, applying those
// dated to the end of 2015. Arg 1: the fund as of 31 December 2015
// (view_as_of_date), the same pass. Arg 2, the baseline: the fund view at
// the head, from its snapshots, as a plain `view fund` reads it.
void BM_Statement(benchmark::State& state) {
  auto store = open_built(true);
  const Period biennium = *named_period("2014-2015");
  for (auto _ : state) {
    Result<nlohmann::json> out = state.range(0) == 0   ? statement_as_of(*store->reader(), biennium, std::nullopt, std::nullopt)
                                 : state.range(0) == 1 ? view_as_of_date(store->reader(), ViewKind::kFund, "", std::nullopt,
                                                                         "2015-12-31")
                                                       : view_as_of(store->reader(), ViewKind::kFund, "", std::nullopt);
    FL_CHECK(out.is_ok());
    benchmark::DoNotOptimize(out->dump().size());
  }
  state.SetLabel(state.range(0) == 0 ? "statement 2014-2015" : state.range(0) == 1 ? "fund as of 2015-12-31"
                                                                                  : "fund at the head (baseline)");
}

// Events that follow the built ledger's: the generator's stream past
// events_count(), each valid after the ones before it.
class NextEvents {
 public:
  NextEvents() : gen_(GeneratorOptions{42, "2014-01-01"}) {
    for (std::size_t i = 0; i < events_count(); ++i) gen_.next();
  }
  std::vector<Draft> next() {
    Result<Draft> d = decode_draft(gen_.next());
    FL_CHECK(d.is_ok());
    std::vector<Draft> one;
    one.push_back(std::move(*d));
    return one;
  }

 private:
  Generator gen_;
};

NextEvents& next_events() {
  static NextEvents kNext;
  return kNext;
}

double seconds_of(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// One event at a time, as the desk sends them, on the built ledger: the
// post alone (synced), its dry run, and the post that follows a dry run
// (which loads the fund again from the store: its last snapshot and the
// events after it). Manual time: the part named, per event.
enum class DeskStep { kPost, kDryRun, kPostAfterDryRun };

void BM_Desk(benchmark::State& state) {
  const auto step = static_cast<DeskStep>(state.range(0));
  auto store = open_built(false);
  Writer writer(*store);
  // The fund loaded once before the first timing, as a running server has it.
  FL_CHECK(writer.read_state([](const FundState&, const Head&) {}).is_ok());
  for (auto _ : state) {
    std::vector<Draft> event = next_events().next();
    std::vector<Draft> copy = event;
    double timed = 0;
    if (step == DeskStep::kPost) {
      timed = seconds_of([&] { FL_CHECK(writer.append(std::move(event), "manager:bench").status.is_ok()); });
    } else if (step == DeskStep::kDryRun) {
      timed = seconds_of([&] { FL_CHECK(writer.dry_run(std::move(copy), "manager:bench").status.is_ok()); });
      FL_CHECK(writer.append(std::move(event), "manager:bench").status.is_ok());
    } else {
      FL_CHECK(writer.dry_run(std::move(copy), "manager:bench").status.is_ok());
      timed = seconds_of([&] { FL_CHECK(writer.append(std::move(event), "manager:bench").status.is_ok()); });
    }
    state.SetIterationTime(timed);
  }
}

BENCHMARK(bench::BM_LeafHashBaseline)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AppendDecoded)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AppendFromJson)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Verify)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Replay)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Rebuild)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_VerifyProjection)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ViewAsOf)
    ->ArgsProduct({{0, 1},
                   {static_cast<int>(ViewKind::kFund), static_cast<int>(ViewKind::kDonors),
                    static_cast<int>(ViewKind::kCalls), static_cast<int>(ViewKind::kRegions)}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_Statement)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ViewRender)
    ->ArgsProduct({{static_cast<int>(ViewKind::kFund), static_cast<int>(ViewKind::kDonors),
                    static_cast<int>(ViewKind::kCalls), static_cast<int>(ViewKind::kRegions)}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Last: they append to the built ledger.
BENCHMARK(BM_Desk)
    ->ArgName("step")
    ->Arg(static_cast<int>(DeskStep::kPost))
    ->Arg(static_cast<int>(DeskStep::kDryRun))
    ->Arg(static_cast<int>(DeskStep::kPostAfterDryRun))
    ->Iterations(200)
    ->Unit(benchmark::kMicrosecond)
    ->UseManualTime();

}  // namespace
}  // namespace fundledger

BENCHMARK_MAIN();
