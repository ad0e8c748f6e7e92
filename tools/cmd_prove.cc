// prove inclusion SEQ [--tree-size N] and prove consistency M N: the RFC
// 9162 proofs, read through the Merkle tree kept in the store, printed as
// the API's /v1/audit/inclusion and /v1/audit/consistency routes answer.
// checkpoint: sign (and keep) a checkpoint of the log as it stands.

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "api/proofs.h"
#include "audit/checkpoint.h"
#include "audit/proof.h"
#include "ledger/checkpoints.h"
#include "ledger/tree.h"
#include "tools/cli.h"
#include "tools/commands.h"

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

}  // namespace

void add_prove_commands(CLI::App& app, Action& action) {
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
