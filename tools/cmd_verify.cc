// verify: recompute every hash of the stored log and name the first event
// that is not what was appended.

#include <memory>
#include <string>

#include "audit/merkle.h"
#include "ledger/replay.h"
#include "ledger/verify.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct VerifyOptions {
  std::string data;
};

int run_verify(const VerifyOptions& o) {
  int exit_code = kExitOk;
  // Read-only, and without the open-time head check: a damaged head is
  // exactly what verify is there to describe.
  const auto store = open_store(o.data, OpenOptions{.read_only = true, .check_head = false},
                                exit_code);
  if (!store) return exit_code;
  // Each verified chunk's part of the Merkle tree is built on the worker
  // that verified it; the parts are joined in seq order at the end.
  PartedRootBuilder parts;
  Progress progress("verify");
  VerifyHooks hooks;
  hooks.on_chunk = [&parts](std::uint64_t first_seq, const std::vector<Hash>& leaves) {
    parts.add_run(first_seq - 1, leaves);
  };
  hooks.on_progress = [&progress](std::uint64_t done, std::uint64_t total) {
    progress.update(done, total);
  };
  Result<VerifyReport> report = verify_log(*store, hooks);
  progress.finish();
  if (!report) return fail(report.status());
  // The log is what was appended; now the projection must be what the log
  // gives, and every event must pass the rules.
  if (report->ok()) {
    Progress replay_progress("verify: replay");
    report = verify_projection(*store, [&replay_progress](std::uint64_t done, std::uint64_t total) {
      replay_progress.update(done, total);
    });
    replay_progress.finish();
    if (!report) return fail(report.status());
  }
  nlohmann::ordered_json out;
  if (report->ok()) {
    const RootBuilder tree = parts.join();
    FL_CHECK(tree.size() == report->size);
    out["ok"] = true;
    out["tree_size"] = report->size;
    out["root_hash"] = to_hex(tree.root());
    out["chain_hash"] = to_hex(report->chain);
    print_json(out);
    return kExitOk;
  }
  const VerifyFailure& f = *report->failure;
  out["ok"] = false;
  out["first_bad_seq"] = f.seq;
  out["reason"] = f.reason;
  out["message"] = f.message;
  if (!f.expected.empty()) out["expected"] = f.expected;
  if (!f.found.empty()) out["found"] = f.found;
  out["tree_size"] = report->size;
  print_json(out);
  return kExitRefused;
}

}  // namespace

void add_verify_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<VerifyOptions>();
  CLI::App* c = app.add_subcommand(
      "verify", "Recompute every hash of the log and name the first event that is wrong");
  add_data_option(*c, o->data);
  c->callback([o, &action] { action = [o] { return run_verify(*o); }; });
}

}  // namespace fundledger::cli
