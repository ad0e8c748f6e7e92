// backup and restore: incremental backups of a ledger, each with a
// checkpoint signed for exactly what it holds, and a restore that proves
// it got that (ledger/backup.h).

#include <filesystem>
#include <memory>
#include <string>

#include "api/ledger_dir.h"
#include "ledger/backup.h"
#include "tools/cli.h"
#include "tools/commands.h"

namespace fundledger::cli {
namespace {

struct BackupOptions {
  std::string data;
  std::string out;
  bool list = false;
  bool verify = false;
  std::uint32_t backup = 0;  // 0: the latest
};

int run_backup(const BackupOptions& o) {
  if (o.list) {
    Result<std::vector<BackupEntry>> all = list_backups(o.out);
    if (!all) return fail(all.status());
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const BackupEntry& e : *all) out.push_back(backup_json(e));
    print_json(nlohmann::ordered_json{{"backups", out}});
    return kExitOk;
  }
  if (o.verify) {
    Result<BackupEntry> e = verify_backup(o.out, o.backup);
    if (!e) return fail(e.status());
    nlohmann::ordered_json out{{"ok", true}};
    out.update(backup_json(*e));
    print_json(out);
    return kExitOk;
  }
  Result<std::unique_ptr<Store>> store = Store::open(o.data);
  if (!store && store.status().code() == Code::kLedgerInUse) {
    return fail(Status::error(Code::kLedgerInUse,
                              store.status().message() +
                                  "; a served ledger is backed up through the server: POST /v1/backups to a serve "
                                  "started with --backups DIR"));
  }
  if (!store) return fail(store.status());
  int exit_code = kExitOk;
  const std::optional<NoteSigner> signer = ledger_key(o.data, **store, exit_code);
  if (!signer) return exit_code;
  Result<BackupEntry> e = back_up_ledger(**store, *signer, api::ledger_files(), o.out);
  if (!e) return fail(e.status());
  nlohmann::ordered_json out = backup_json(*e);
  out["out"] = o.out;
  print_json(out);
  return kExitOk;
}

struct RestoreOptions {
  std::string from;
  std::string data;
  std::uint32_t backup = 0;
};

int run_restore(const RestoreOptions& o) {
  Progress progress("restore: verify");
  Result<BackupEntry> e = restore_backup(o.from, o.backup, o.data,
                                         [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); });
  progress.finish();
  if (!e) return fail(e.status());
  nlohmann::ordered_json out{{"ok", true}, {"data", o.data}};
  out.update(backup_json(*e));
  print_json(out);
  return kExitOk;
}

}  // namespace

void add_backup_commands(CLI::App& app, Action& action) {
  auto b = std::make_shared<BackupOptions>();
  CLI::App* backup = app.add_subcommand(
      "backup", "Back up the ledger into --out (incremental), with a checkpoint signed for what the backup holds");
  add_data_option(*backup, b->data);
  backup->add_option("--out", b->out, "The directory of the backups (made when new)")->required();
  backup->add_flag("--list", b->list, "List the backups in --out");
  backup->add_flag("--verify", b->verify, "Check a backup's files against their checksums and its checkpoint's signature");
  backup->add_option("--backup", b->backup, "With --verify: the backup's id (default: the latest)");
  backup->callback([b, &action] { action = [b] { return run_backup(*b); }; });

  auto r = std::make_shared<RestoreOptions>();
  CLI::App* restore = app.add_subcommand(
      "restore", "Restore a backup as a new ledger at --data, verified against the checkpoint signed with it");
  restore->add_option("backups", r->from, "The directory of the backups")->required();
  restore->add_option("--data", r->data, "The new ledger's directory, which must not exist")->required();
  restore->add_option("--backup", r->backup, "The backup's id (default: the latest)");
  restore->callback([r, &action] { action = [r] { return run_restore(*r); }; });
}

}  // namespace fundledger::cli
