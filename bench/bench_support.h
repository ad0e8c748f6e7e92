#pragma once
// What the benchmark programs share: the ledger's size, where ledgers are
// made, and the machine's yardstick.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "ledger/store.h"

namespace fundledger::bench {

// FUNDLEDGER_BENCH_EVENTS, default 1,000,000.
std::size_t events_count();
// A directory for a benchmark's ledger, under FUNDLEDGER_BENCH_DIR
// (default /tmp), named for this process and `name`.
std::filesystem::path bench_dir(const std::string& name);
// A new, empty ledger at `dir`, open for writing.
std::unique_ptr<Store> fresh_store(const std::filesystem::path& dir);

// A ledger of `events_count()` generated events (seed 42, the same as
// `fundledger gen --seed 42`), appended through the writer in synced
// batches of 1,000, made once per program and removed when it ends; or the
// ledger FUNDLEDGER_BENCH_LEDGER names, used as it is and kept (making ten
// million events takes minutes; benchmarks that write, such as a rebuild
// or a checkpoint signed for a bundle, change it).
const std::filesystem::path& built_ledger();
std::unique_ptr<Store> open_built(bool read_only);

// A yardstick for the machine's speed in the same run: the leaf hash (EVP
// SHA-256) of `events_count()` strings of the size of a stored event,
// nothing else. The machine is shared, so the other figures are best read
// against this one.
void BM_LeafHashBaseline(benchmark::State& state);

}  // namespace fundledger::bench
