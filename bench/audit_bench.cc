// What an auditor waits for: an inclusion or a consistency proof read
// through the Merkle tree kept in the store, the root at an arbitrary
// size, and `fundledger audit` of a whole bundle. Run at 1,000,000 events
// (the default) and at 10,000,000 (FUNDLEDGER_BENCH_EVENTS); read the
// medians of five repetitions.
//
// The proofs and roots are asked for leaves and sizes drawn at random
// (a fixed seed) over the whole log, each from a fresh StoredTree on the
// ledger open read-only, as the API will serve them. Per-proof figures
// are in microseconds.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "audit/bundle.h"
#include "audit/checkpoint.h"
#include "audit/note.h"
#include "audit/proof.h"
#include "bench/bench_support.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "tools/audit_replay.h"
#include "util/check.h"

namespace fundledger {
namespace {

using bench::bench_dir;
using bench::open_built;

// An inclusion proof of a random leaf in the whole log.
void BM_InclusionProof(benchmark::State& state) {
  const auto store = open_built(true);
  const auto reader = store->reader();
  const std::uint64_t size = reader->head().size;
  std::mt19937_64 dice(1);
  for (auto _ : state) {
    const StoredTree tree(*reader);
    const auto proof = inclusion_proof(tree, dice() % size, size);
    FL_CHECK(proof.has_value());
    benchmark::DoNotOptimize(proof->data());
  }
  state.SetLabel(std::to_string(size) + " events");
}

// A consistency proof from a random earlier size to the whole log.
void BM_ConsistencyProof(benchmark::State& state) {
  const auto store = open_built(true);
  const auto reader = store->reader();
  const std::uint64_t size = reader->head().size;
  std::mt19937_64 dice(2);
  for (auto _ : state) {
    const StoredTree tree(*reader);
    const auto proof = consistency_proof(tree, 1 + dice() % size, size);
    FL_CHECK(proof.has_value());
    benchmark::DoNotOptimize(proof->data());
  }
  state.SetLabel(std::to_string(size) + " events");
}

// The root of the tree of a random size.
void BM_RootAt(benchmark::State& state) {
  const auto store = open_built(true);
  const auto reader = store->reader();
  const std::uint64_t size = reader->head().size;
  std::mt19937_64 dice(3);
  for (auto _ : state) {
    const StoredTree tree(*reader);
    const auto root = tree_root(tree, 1 + dice() % size);
    FL_CHECK(root.has_value());
    benchmark::DoNotOptimize(root->data());
  }
  state.SetLabel(std::to_string(size) + " events");
}

// The bundle `export --out` writes of the built ledger, made once.
const std::filesystem::path& built_bundle() {
  static const std::filesystem::path kDir = [] {
    const auto dir = bench_dir("audit-bundle");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    Ed25519Seed seed;
    seed.fill(42);
    const NoteSigner signer = *NoteSigner::from_seed("bench", seed);
    auto store = open_built(false);
    Result<std::string> note = sign_checkpoint(*store, signer);
    FL_CHECK(note.is_ok());
    std::ofstream(dir / kBundleCheckpoint) << *note;
    std::ofstream(dir / kBundleVerifierKey) << signer.verifier_key() << "\n";
    std::ofstream events(dir / kBundleEvents);
    const auto reader = store->reader();
    for (auto c = reader->cursor(Family::kEvents, seq_key(1)); c->valid(); c->next()) events << c->value() << '\n';
    FL_CHECK(events.flush().good());
    std::atexit([] { std::filesystem::remove_all(bench_dir("audit-bundle")); });
    return dir;
  }();
  return kDir;
}

// `fundledger audit BUNDLE`: the signature, every line canonical, the seqs,
// every leaf, the chain and the root, each event decoded and replayed
// through the rules into the fund whose views it prints (events/s). The
// bundle's file is in the page cache, as after export.
void BM_Audit(benchmark::State& state) {
  const std::filesystem::path& dir = built_bundle();
  std::uint64_t events = 0;
  for (auto _ : state) {
    cli::BundleReplay replay;
    const BundleReport report = cli::audit_bundle(dir, BundleOptions{}, replay);
    FL_CHECK(report.ok());
    events = report.events;
    benchmark::DoNotOptimize(replay.state().totals().cash());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * events));
}

BENCHMARK(bench::BM_LeafHashBaseline)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_InclusionProof)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_ConsistencyProof)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_RootAt)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_Audit)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace fundledger

BENCHMARK_MAIN();
