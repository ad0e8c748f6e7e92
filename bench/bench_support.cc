#include "bench/bench_support.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "domain/event.h"
#include "domain/generator.h"
#include "ledger/writer.h"
#include "util/check.h"
#include "util/hash.h"

namespace fundledger::bench {

std::size_t events_count() {
  const char* env = std::getenv("FUNDLEDGER_BENCH_EVENTS");
  return env != nullptr ? std::stoull(env) : 1'000'000;
}

std::filesystem::path bench_dir(const std::string& name) {
  const char* env = std::getenv("FUNDLEDGER_BENCH_DIR");
  return std::filesystem::path(env != nullptr ? env : "/tmp") /
         ("fundledger-bench-" + std::to_string(getpid()) + "-" + name);
}

std::unique_ptr<Store> fresh_store(const std::filesystem::path& dir) {
  std::filesystem::remove_all(dir);
  FL_CHECK(Store::create(dir, "bench").is_ok());
  Result<std::unique_ptr<Store>> store = Store::open(dir);
  FL_CHECK(store.is_ok());
  return std::move(*store);
}

const std::filesystem::path& built_ledger() {
  static const std::filesystem::path kDir = []() -> std::filesystem::path {
    if (const char* given = std::getenv("FUNDLEDGER_BENCH_LEDGER")) return given;
    constexpr std::size_t kBatchEvents = 1000;
    const auto dir = bench_dir("ledger");
    auto store = fresh_store(dir);
    Writer writer(*store);
    Generator gen(GeneratorOptions{42, "2014-01-01"});
    for (std::size_t done = 0; done < events_count();) {
      std::vector<Draft> batch;
      for (; batch.size() < kBatchEvents && done < events_count(); ++done) {
        Result<Draft> d = decode_draft(gen.next());
        FL_CHECK(d.is_ok());
        batch.push_back(std::move(*d));
      }
      FL_CHECK(writer.append(std::move(batch), "manager:bench").status.is_ok());
    }
    std::atexit([] { std::filesystem::remove_all(bench_dir("ledger")); });
    return dir;
  }();
  return kDir;
}

std::unique_ptr<Store> open_built(bool read_only) {
  Result<std::unique_ptr<Store>> store = Store::open(built_ledger(), OpenOptions{.read_only = read_only});
  FL_CHECK(store.is_ok());
  return std::move(*store);
}

void BM_LeafHashBaseline(benchmark::State& state) {
  // Generated events with the length of the envelope the ledger adds.
  std::vector<std::string> events;
  Generator gen(GeneratorOptions{42, "2014-01-01"});
  for (std::size_t i = 0; i < events_count(); ++i) {
    const std::string line = gen.next();
    events.push_back(line + line.substr(0, 90));
  }
  for (auto _ : state) {
    Hash h{};
    for (const std::string& e : events) h = leaf_hash(e);
    benchmark::DoNotOptimize(h);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events.size()));
}

}  // namespace fundledger::bench
