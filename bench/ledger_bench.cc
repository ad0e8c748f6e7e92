// The event log's speed: appending generated events durably in batches, and
// verifying the log. Each benchmark runs once per repetition over a whole
// ledger; run with --benchmark_repetitions=5 and read the medians.
//
// FUNDLEDGER_BENCH_EVENTS sets the ledger's size (default 1,000,000) and
// FUNDLEDGER_BENCH_DIR where the ledgers are made (default /tmp).

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "audit/merkle.h"
#include "ledger/check.h"
#include "ledger/event.h"
#include "ledger/store.h"
#include "ledger/verify.h"
#include "ledger/writer.h"
#include "tools/generator.h"

namespace fundledger {
namespace {

constexpr std::size_t kBatchEvents = 1000;

std::size_t events_count() {
  const char* env = std::getenv("FUNDLEDGER_BENCH_EVENTS");
  return env != nullptr ? std::stoull(env) : 1'000'000;
}

std::filesystem::path bench_dir(const std::string& name) {
  const char* env = std::getenv("FUNDLEDGER_BENCH_DIR");
  return std::filesystem::path(env != nullptr ? env : "/tmp") /
         ("fundledger-bench-" + std::to_string(getpid()) + "-" + name);
}

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

std::unique_ptr<Store> fresh_store(const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  FL_CHECK(Store::create(dir, "bench").is_ok());
  Result<std::unique_ptr<Store>> store = Store::open(dir);
  FL_CHECK(store.is_ok());
  return std::move(*store);
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

// Verifies a ledger of FUNDLEDGER_BENCH_EVENTS events, root included, as
// `fundledger verify` does.
void BM_Verify(benchmark::State& state) {
  const auto dir = bench_dir("verify");
  {
    auto store = fresh_store(dir);
    Writer writer(*store);
    std::vector<Draft> drafts = decode_all();
    append_in_batches(writer, drafts);
  }
  Result<std::unique_ptr<Store>> store = Store::open(dir, OpenOptions{.read_only = true});
  FL_CHECK(store.is_ok());
  for (auto _ : state) {
    // As `fundledger verify` does: each chunk's part of the tree on the
    // worker that verified it, joined at the end.
    PartedRootBuilder parts;
    VerifyHooks hooks;
    hooks.on_chunk = [&parts](std::uint64_t first_seq, const std::vector<Hash>& leaves) {
      parts.add_run(first_seq - 1, leaves);
    };
    Result<VerifyReport> report = verify_log(**store, hooks);
    FL_CHECK(report.is_ok() && report->ok());
    benchmark::DoNotOptimize(parts.join().root());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
  store->reset();
  std::filesystem::remove_all(dir);
}

// A yardstick for the machine's speed in the same run: the leaf hash (EVP
// SHA-256) of every generated event, nothing else. The machine is shared,
// so the other figures are best read against this one.
void BM_LeafHashBaseline(benchmark::State& state) {
  std::vector<std::string> events;
  for (const std::string& line : lines()) events.push_back(line + line.substr(0, 90));
  for (auto _ : state) {
    Hash h{};
    for (const std::string& e : events) h = leaf_hash(e);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines().size()));
}

BENCHMARK(BM_LeafHashBaseline)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AppendDecoded)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_AppendFromJson)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Verify)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace fundledger

BENCHMARK_MAIN();
