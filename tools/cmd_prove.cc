// prove inclusion SEQ [--tree-size N] and prove consistency M N: the RFC
// 9162 proofs, read through the Merkle tree kept in the store, printed as
// the API's /v1/audit/inclusion and /v1/audit/consistency routes answer.
// checkpoint: sign (and keep) a checkpoint of the log as it stands.
// receipt SEQ and receipt verify FILE: an event's receipt (audit/receipt.h).

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "api/proofs.h"
#include "audit/checkpoint.h"
#include "audit/proof.h"
#include "audit/receipt.h"
#include "api/ledger_dir.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "tools/cli.h"
#include "tools/commands.h"
#include "util/files.h"

namespace fundledger::cli {
namespace {

struct ProveOptions {
  std::string data;
  std::uint64_t seq = 0;
  std::optional<std::uint64_t> tree_size;
  std::uint64_t first = 0;
  std::uint64_t second = 0;
};

int run_inclusion(const ProveOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  Result<nlohmann::ordered_json> answer = api::inclusion_answer(*store->reader(), o.seq, o.tree_size);
  if (!answer) return fail(answer.status());
  print_json(*answer);
  return kExitOk;
}

int run_consistency(const ProveOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  Result<nlohmann::ordered_json> answer = api::consistency_answer(*store->reader(), o.first, o.second);
  if (!answer) return fail(answer.status());
  print_json(*answer);
  return kExitOk;
}

struct CheckpointOptions {
  std::string data;
};

int run_checkpoint(const CheckpointOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{}, exit_code);
  if (!store) return exit_code;
  const std::optional<NoteSigner> signer = ledger_key(o.data, *store, exit_code);
  if (!signer) return exit_code;
  Result<std::string> note = sign_checkpoint(*store, *signer);
  if (!note) return fail(note.status());
  std::cout << *note;
  std::cout.flush();
  return kExitOk;
}

struct ReceiptOptions {
  std::string data;
  std::uint64_t seq = 0;
  std::string file;
  std::string event;
  std::string policy;
  std::string key;
};

int run_receipt(const ReceiptOptions& o) {
  int exit_code = kExitOk;
  const auto store = open_store(o.data, OpenOptions{.read_only = true}, exit_code);
  if (!store) return exit_code;
  const auto reader = store->reader();
  if (o.seq == 0 || o.seq > reader->head().size) {
    return fail(Status::error(Code::kInvalidSeq, "the log holds no event " + std::to_string(o.seq), "seq"));
  }
  Result<std::string> receipt = api::receipt_answer(*reader, o.seq);
  if (!receipt) return fail(receipt.status());
  std::cout << *receipt;
  std::cout.flush();
  return kExitOk;
}

// The check of a receipt, offline: with a policy (its quorum) or a key.
Result<ReceiptCheck> checked_receipt(const ReceiptOptions& o, std::optional<Policy>& policy) {
  std::optional<NoteVerifier> key;
  if (!o.policy.empty()) {
    Result<Policy> read = read_policy(o.policy);
    if (!read) return read.status();
    policy = std::move(*read);
  } else {
    const Result<std::string> text = api::read_key_file(o.key);
    if (text) key = NoteVerifier::parse(*text);
    if (!key) return Status::error(Code::kUsage, "no verifier key in " + o.key, "key");
  }
  Result<std::string> text = read_text_file(o.file);
  if (!text) return text.status();
  Result<EventReceipt> receipt = parse_receipt(*text);
  if (!receipt) return receipt.status();
  std::optional<std::string> event;
  if (!o.event.empty()) {
    Result<std::string> json = read_text_file(o.event);
    Result<std::string> bytes = json ? event_canonical_bytes(*json) : Result<std::string>(json.status());
    if (!bytes) return bytes.status();
    event = std::move(*bytes);
  }
  return check_receipt(*receipt, event, key ? &*key : nullptr, policy ? &*policy : nullptr);
}

int run_receipt_verify(const ReceiptOptions& o) {
  if (o.policy.empty() == o.key.empty()) {
    return fail(Status::error(Code::kUsage, "give the policy (--policy FILE) or the log's key (--key FILE)", "policy"));
  }
  std::optional<Policy> policy;
  const Result<ReceiptCheck> check = checked_receipt(o, policy);
  if (!check && check.status().code() == Code::kUsage) return fail(check.status());
  nlohmann::ordered_json out;
  if (!check) {
    out = failure_json(Failure(0, check.status().code(), check.status().message()));
  } else {
    out["ok"] = true;
    out["seq"] = nlohmann::json::parse(check->event)["seq"];
    out["tree_size"] = check->checkpoint.size;
    out["root_hash"] = to_hex(check->checkpoint.root);
    out["event"] = nlohmann::json::parse(check->event);
  }
  if (check && check->quorum) out["witnesses"] = quorum_json(*check->quorum, policy->quorum);
  print_json(out);
  return check ? kExitOk : kExitRefused;
}

}  // namespace

void add_prove_commands(CLI::App& app, Action& action) {
  auto r = std::make_shared<ReceiptOptions>();
  CLI::App* receipt = app.add_subcommand(
      "receipt", "Print the receipt of event SEQ (c2sp.org/tlog-proof), or check one offline with `receipt verify`");
  add_data_option(*receipt, r->data);
  receipt->add_option("SEQ", r->seq, "The event");
  receipt->callback([r, &action] {
    if (!action) action = [r] { return run_receipt(*r); };
  });
  CLI::App* verify = receipt->add_subcommand("verify", "Check a receipt offline with the log's key or a policy");
  verify->add_option("FILE", r->file, "The receipt")->required();
  verify->add_option("--event", r->event, "The event, as `events` or GET /v1/events/{seq} gives it");
  verify->add_option("--policy", r->policy, "A policy (c2sp.org/tlog-policy) whose quorum the checkpoint must meet");
  verify->add_option("--key", r->key, "The log's verifier key, without witnesses");
  verify->callback([r, &action] { action = [r] { return run_receipt_verify(*r); }; });

  auto k = std::make_shared<CheckpointOptions>();
  CLI::App* checkpoint = app.add_subcommand(
      "checkpoint", "Sign a checkpoint of the log as it stands (c2sp.org/tlog-checkpoint) and print it");
  add_data_option(*checkpoint, k->data);
  checkpoint->callback([k, &action] { action = [k] { return run_checkpoint(*k); }; });

  auto o = std::make_shared<ProveOptions>();
  CLI::App* prove = app.add_subcommand("prove", "Print an inclusion or a consistency proof (RFC 9162)");
  prove->require_subcommand(1);
  CLI::App* inclusion = prove->add_subcommand("inclusion", "Prove that event SEQ is in the tree of --tree-size events");
  add_data_option(*inclusion, o->data);
  inclusion->add_option("SEQ", o->seq, "The event")->required();
  inclusion->add_option("--tree-size", o->tree_size, "The tree's size (default: the whole log)");
  inclusion->callback([o, &action] { action = [o] { return run_inclusion(*o); }; });
  CLI::App* consistency =
      prove->add_subcommand("consistency", "Prove that the tree of M events is a prefix of the tree of N");
  add_data_option(*consistency, o->data);
  consistency->add_option("M", o->first, "The smaller tree's size")->required();
  consistency->add_option("N", o->second, "The larger tree's size")->required();
  consistency->callback([o, &action] { action = [o] { return run_consistency(*o); }; });
}

}  // namespace fundledger::cli
