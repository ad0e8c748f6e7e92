// audit BUNDLE: check an audit bundle offline, trusting only the verifier
// key, and print the views its events imply.
//
// audit reads the bundle with audit/ and the canonical-bytes code, and
// replays it through the fund's rules in memory (tools/audit_replay.h); it
// never opens a store.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "api/ledger_dir.h"
#include "audit/audited_view.h"
#include "audit/bundle.h"
#include "domain/views.h"
#include "tools/audit_replay.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "util/files.h"

namespace fundledger::cli {
namespace {

struct AuditOptions {
  std::string bundle;
  std::string key_file;
  std::string checkpoint;
  std::string policy;
};

void print_failure(const Failure& f) { print_json(failure_json(f)); }

// The bundle's key must be a log of the policy, whose key is then the one
// trusted. Prints the failure and returns false when it is not.
bool trust_policy_key(const AuditOptions& o, const Policy& policy, BundleOptions& options) {
  const Result<std::string> key = api::read_key_file(std::filesystem::path(o.bundle) / kBundleVerifierKey);
  for (const NoteVerifier& log : policy.logs) {
    const std::string text = verifier_key_text(log.name(), kEd25519NoteType, log.public_key());
    if (key && *key == text) options.trusted_key = text;
  }
  if (!options.trusted_key.empty()) return true;
  print_failure(Failure(0, Code::kPolicy, "the bundle's verifier key is not a log of the policy"));
  return false;
}

// Under a policy: the bundle's key must be one of the policy's logs, and
// its checkpoint's cosignatures must meet the quorum. Prints the failure
// and returns false when they do not.
bool meets_policy(const AuditOptions& o, const Policy& policy, nlohmann::ordered_json& witnesses) {
  const std::filesystem::path bundle(o.bundle);
  const Result<std::string> note = read_text_file(bundle / kBundleCheckpoint);
  QuorumReport report;
  const Result<Checkpoint> cosigned =
      note ? read_policy_checkpoint(*note, policy, report) : Result<Checkpoint>(note.status());
  witnesses = quorum_json(report, policy.quorum);
  if (cosigned) return true;
  nlohmann::ordered_json out = failure_json(Failure(0, cosigned.status().code(), cosigned.status().message()));
  out["witnesses"] = witnesses;
  print_json(out);
  return false;
}


int run_audit(const AuditOptions& o) {
  BundleOptions options;
  std::optional<Policy> policy;
  if (!o.policy.empty()) {
    Result<Policy> read = read_policy(o.policy);
    if (!read) return fail(read.status());
    policy = std::move(*read);
    if (!trust_policy_key(o, *policy, options)) return kExitRefused;
  }
  if (!o.key_file.empty()) {
    const Result<std::string> key = api::read_key_file(o.key_file);
    if (!key) return fail(Status::error(Code::kUsage, "cannot read a verifier key from " + o.key_file, "key"));
    options.trusted_key = *key;
  }
  std::optional<EarlierCheckpoint> earlier;
  if (!o.checkpoint.empty()) {
    // The earlier checkpoint is checked with the key the bundle is.
    const Result<std::string> key = options.trusted_key.empty()
                                        ? api::read_key_file(std::filesystem::path(o.bundle) / kBundleVerifierKey)
                                        : Result<std::string>(options.trusted_key);
    const std::optional<NoteVerifier> verifier = key ? NoteVerifier::parse(*key) : std::nullopt;
    if (verifier) {
      Result<EarlierCheckpoint> read = read_earlier_checkpoint(o.checkpoint, *verifier);
      if (!read) {
        print_failure(Failure(0, read.status().code(), read.status().message()));
        return kExitRefused;
      }
      earlier = std::move(*read);
      options.earlier = &*earlier;
    }
    // Without a readable key, check_bundle reports the key first.
  }
  BundleReplay replay;
  Progress progress("audit");
  options.on_progress = [&progress](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  const BundleReport report = audit_bundle(o.bundle, options, replay);
  progress.finish();
  if (!report.ok()) {
    print_failure(*report.failure);
    return kExitRefused;
  }
  nlohmann::ordered_json witnesses;
  if (policy && !meets_policy(o, *policy, witnesses)) return kExitRefused;
  const LogHead head{report.events, report.root, report.chain};
  nlohmann::ordered_json out;
  out["ok"] = true;
  out["tree_size"] = report.events;
  out["root_hash"] = to_hex(report.root);
  out["chain_hash"] = to_hex(report.chain);
  out["verifier_key"] = report.verifier_key;
  if (options.earlier != nullptr) {
    out["extends"] = {{"tree_size", earlier->checkpoint.size}, {"root_hash", to_hex(earlier->checkpoint.root)}};
  }
  if (policy) out["witnesses"] = std::move(witnesses);
  nlohmann::json views = nlohmann::json::object();
  for (const ViewKind kind :
       {ViewKind::kFund, ViewKind::kDonors, ViewKind::kProgrammes, ViewKind::kCalls, ViewKind::kRegions,
        ViewKind::kDecisions, ViewKind::kBoard}) {
    Result<nlohmann::json> view = render_view(replay.state(), kind, "");
    FL_CHECK(view.is_ok());  // list views always render
    views[std::string(view_name(kind))] = unsigned_view(head, std::move(*view));
  }
  out["views"] = std::move(views);
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, Action& action) {
  auto a = std::make_shared<AuditOptions>();
  CLI::App* audit = app.add_subcommand(
      "audit", "Check an audit bundle offline, trusting only its verifier key, and print the views it implies");
  audit->add_option("BUNDLE", a->bundle, "The bundle's directory")->required();
  audit->add_option("--key", a->key_file,
                    "A file holding the verifier key the fund published; the bundle's must be exactly it");
  audit->add_option("--checkpoint", a->checkpoint,
                    "An earlier checkpoint (a file holding the signed note) or an earlier bundle (its directory) "
                    "that the log must extend");
  audit->add_option("--policy", a->policy,
                    "A policy (c2sp.org/tlog-policy) naming the log's key and the witnesses whose cosignatures of "
                    "the bundle's checkpoint must meet its quorum");
  audit->callback([a, &action] { action = [a] { return run_audit(*a); }; });
}

}  // namespace fundledger::cli
