#include "bench/bench_support.h"

#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "ledger/check.h"
#include "ledger/hash.h"
#include "tools/generator.h"

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
