// verify: recompute every hash of the stored log, the Merkle tree and the
// checkpoints kept, and name the first event that is not what was
// appended; with --checkpoint, prove that the log extends a checkpoint (or
// a bundle) kept elsewhere; and check that the statement of sources and
// uses of the whole log ties, printing its figures. The work is verify_ledger (ledger/verify.h).

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "api/ledger_dir.h"
#include "domain/money.h"
#include "ledger/verify.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct VerifyCommand {
  std::string data;
  std::string key_file;    // the verifier key trusted; default the ledger's
  std::string checkpoint;  // an earlier note or bundle the log must extend
  std::string policy;      // a policy of c2sp.org/tlog-policy the checkpoints must meet
};

// The auditor's policy names the log's key: the ledger's own file is not
// what is trusted then. Refusal: policy, when it names no log of `origin`.
Status take_policy_key(const std::string& origin, VerifyOptions& options) {
  const auto& logs = options.policy->logs;
  const auto log = std::find_if(logs.begin(), logs.end(), [&](const NoteVerifier& k) { return k.name() == origin; });
  if (log == logs.end()) return Status::error(Code::kPolicy, "the policy names no log of origin " + origin, "policy");
  options.verifier = *log;
  return Status::ok();
}

int run_verify(const VerifyCommand& o) {
  // The key first: a mistake in how verify was called is reported before
  // a long pass over the log.
  VerifyOptions options;
  const std::filesystem::path key_path =
      o.key_file.empty() ? std::filesystem::path(o.data) / api::kVerifierKeyFile : std::filesystem::path(o.key_file);
  const Result<std::string> key = api::read_key_file(key_path);
  if (key) options.verifier = NoteVerifier::parse(*key);
  if (!options.verifier && !o.key_file.empty()) {
    return fail(Status::error(Code::kUsage, "no verifier key in " + o.key_file, "key"));
  }
  options.earlier = o.checkpoint;
  if (!o.policy.empty()) {
    Result<Policy> policy = read_policy(o.policy);
    if (!policy) return fail(policy.status());
    options.policy = std::move(*policy);
  }
  int exit_code = kExitOk;
  // Read-only, and without the open-time head check: a damaged head is
  // exactly what verify is there to describe.
  const auto store = open_store(o.data, OpenOptions{.read_only = true, .check_head = false}, exit_code);
  if (!store) return exit_code;
  if (options.policy && o.key_file.empty()) {
    if (const Status key = take_policy_key(store->origin(), options); !key) return fail(key);
  }
  Progress log_progress("verify");
  Progress replay_progress("verify: replay");
  options.on_log_progress = [&](std::uint64_t done, std::uint64_t total) { log_progress.update(done, total); };
  options.on_replay_progress = [&](std::uint64_t done, std::uint64_t total) {
    log_progress.finish();
    replay_progress.update(done, total);
  };
  Result<LedgerReport> report = verify_ledger(*store, options);
  log_progress.finish();
  replay_progress.finish();
  if (!report) return fail(report.status());
  if (!report->ok()) {
    nlohmann::ordered_json out = failure_json(*report->failure);
    out["tree_size"] = report->size;
    if (report->quorum) out["witnesses"] = quorum_json(*report->quorum, options.policy->quorum);
    print_json(out);
    return kExitRefused;
  }
  nlohmann::ordered_json out;
  out["ok"] = true;
  out["tree_size"] = report->size;
  out["root_hash"] = to_hex(report->root);
  out["chain_hash"] = to_hex(report->chain);
  out["checkpoints_kept"] = report->checkpoints_kept;
  if (report->quorum) out["witnesses"] = quorum_json(*report->quorum, options.policy->quorum);
  if (report->extends) {
    out["extends"] = {{"tree_size", report->extends->size}, {"root_hash", to_hex(report->extends->root)}};
  }
  // A log of no dated event has no period to state.
  if (report->statement && !report->statement->from.empty()) {
    const StatementFigures& f = report->statement->figures;
    const auto usd = [](std::int64_t cents) { return format_amount(cents, kUsdMinorUnits); };
    out["statement"] = {{"from", report->statement->from},       {"to", report->statement->to},
                        {"sources", usd(f.sources)},             {"uses", usd(f.uses)},
                        {"closing_cash", usd(f.closing_cash)},   {"undisbursed", usd(f.undisbursed)},
                        {"unallocated", usd(f.unallocated)}};
  }
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_verify_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<VerifyCommand>();
  CLI::App* c = app.add_subcommand(
      "verify", "Recompute every hash of the log, its tree and checkpoints, and name the first event that is wrong");
  add_data_option(*c, o->data);
  c->add_option("--checkpoint", o->checkpoint,
                "An earlier checkpoint (a file holding the signed note) or an earlier audit bundle (its directory) "
                "that the log must extend");
  c->add_option("--key", o->key_file,
                "A file holding the verifier key to trust (default: the ledger's verifier.key)");
  c->add_option("--policy", o->policy,
                "A policy (c2sp.org/tlog-policy: the log's key, the witnesses' keys, groups and a quorum) that the "
                "latest checkpoint's cosignatures, and an earlier checkpoint's, must meet");
  c->callback([o, &action] { action = [o] { return run_verify(*o); }; });
}

}  // namespace fundledger::cli
