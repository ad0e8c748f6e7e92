#include "ledger/backup.h"

#include <sys/stat.h>

#include <rocksdb/env.h>
#include <rocksdb/utilities/backup_engine.h>

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "audit/checkpoint.h"
#include "ledger/checkpoints.h"
#include "ledger/verify.h"
#include "util/files.h"
#include "util/log.h"
#include "util/timestamp.h"

namespace fundledger {

namespace {

constexpr std::string_view kCheckpointFile = "checkpoint";
constexpr std::string_view kVerifierKeyFile = "verifier.key";
// The consistent copy a backup is made from, in the ledger's directory so
// that its table files are hard links.
constexpr std::string_view kCopyDir = "backup-copy";

std::filesystem::path ledger_files(const std::filesystem::path& dir, std::uint32_t id) {
  return dir / ("ledger." + std::to_string(id));
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return std::move(bytes).str();
}

Status backup_error(const std::string& what, const rocksdb::Status& s) {
  log::error("backup error", {{"during", what}, {"rocksdb", s.ToString()}});
  if (s.IsCorruption()) return Status::error(Code::kBackupCorrupt, what + ": " + s.ToString());
  return Status::error(Code::kStorageError, what + ": " + s.ToString());
}

std::string metadata_of(const Checkpoint& c) {
  return nlohmann::json{{"root_hash", to_hex(c.root)}, {"tree_size", c.size}}.dump();
}

// A backup's entry from RocksDB's record of it; nullopt when its ledger's
// files were never all written.
std::optional<BackupEntry> entry_of(const std::filesystem::path& dir, const rocksdb::BackupInfo& info) {
  std::error_code ec;
  if (!std::filesystem::exists(ledger_files(dir, info.backup_id) / kCheckpointFile, ec)) return std::nullopt;
  const nlohmann::json meta = nlohmann::json::parse(info.app_metadata, nullptr, false);
  if (!meta.is_object() || !meta.contains("tree_size") || !meta["tree_size"].is_number_unsigned() ||
      !meta.contains("root_hash") || !meta["root_hash"].is_string()) {
    return std::nullopt;
  }
  const std::optional<Hash> root = hash_from_hex(meta["root_hash"].get<std::string>());
  if (!root) return std::nullopt;
  return BackupEntry{.id = info.backup_id,
                     .created = info.timestamp,
                     .bytes = info.size,
                     .files = info.number_files,
                     .tree_size = meta["tree_size"].get<std::uint64_t>(),
                     .root = *root};
}

template <typename Engine>
Result<std::unique_ptr<Engine>> open_engine(const std::filesystem::path& dir) {
  rocksdb::BackupEngineOptions options(dir.string());
  options.sync = true;
  Engine* raw = nullptr;
  const rocksdb::IOStatus s = Engine::Open(options, rocksdb::Env::Default(), &raw);
  if (!s.ok()) return backup_error("opening the backups in " + dir.string(), s);
  return std::unique_ptr<Engine>(raw);
}

// Backups RocksDB holds whose ledger files were never written (a crash
// while one was made) are deleted, so that their ids are not reused for
// other files.
Status drop_incomplete(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / "meta", ec)) return Status::ok();
  Result<std::unique_ptr<rocksdb::BackupEngine>> engine = open_engine<rocksdb::BackupEngine>(dir);
  if (!engine) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  for (const rocksdb::BackupInfo& info : infos) {
    if (entry_of(dir, info)) continue;
    log::warn("dropping a backup that was never finished", {{"backup", info.backup_id}});
    const rocksdb::IOStatus s = (*engine)->DeleteBackup(info.backup_id);
    if (!s.ok()) return backup_error("dropping backup " + std::to_string(info.backup_id), s);
  }
  return Status::ok();
}

// The copy of the live ledger: opened as a ledger, its checkpoint signed
// and kept in it, then backed up. Returns the id and the signed note.
Result<std::pair<std::uint32_t, std::string>> back_up_copy(const Store& store, const std::filesystem::path& copy_dir,
                                                           const NoteSigner& signer,
                                                           const std::filesystem::path& dir) {
  OpenOptions options;
  options.env = store.env();
  Result<std::unique_ptr<Store>> copy = Store::open(copy_dir, options);
  if (!copy) return copy.status();
  Result<std::string> note = sign_checkpoint(**copy, signer);
  if (!note) return note.status();
  Result<Checkpoint> c = read_checkpoint_note(*note, *NoteVerifier::parse(signer.verifier_key()));
  if (!c) return c.status();
  Result<std::uint32_t> id = (*copy)->back_up(dir, metadata_of(*c));
  if (!id) return id.status();
  return std::pair{*id, std::move(*note)};
}

// The ledger's files and the signed note, beside RocksDB's backup `id`.
Status write_ledger_files(const Store& store, const std::vector<std::string>& files, const std::filesystem::path& dir,
                          std::uint32_t id, const std::string& note) {
  PartialDirectory out(ledger_files(dir, id));
  if (Status s = out.create(); !s) return s;
  for (const std::string& name : files) {
    std::error_code ec;
    if (!std::filesystem::exists(store.dir() / name, ec)) continue;
    const std::optional<std::string> bytes = read_file(store.dir() / name);
    if (!bytes) return Status::error(Code::kStorageError, "cannot read " + (store.dir() / name).string());
    if (Status s = write_new_file(out.path() / name, *bytes, 0600); !s) return s;
  }
  if (Status s = write_new_file(out.path() / kCheckpointFile, note, 0600); !s) return s;
  return out.commit();
}

}  // namespace

nlohmann::ordered_json backup_json(const BackupEntry& e) {
  nlohmann::ordered_json out;
  out["backup"] = e.id;
  out["created"] = format_timestamp(e.created * 1000);
  out["tree_size"] = e.tree_size;
  out["root_hash"] = to_hex(e.root);
  out["files"] = e.files;
  out["bytes"] = e.bytes;
  return out;
}

Result<BackupEntry> back_up_ledger(const Store& store, const NoteSigner& signer,
                                   const std::vector<std::string>& files, const std::filesystem::path& dir) {
  static std::mutex one_at_a_time;
  std::lock_guard lock(one_at_a_time);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::error(Code::kStorageError, "cannot create " + dir.string() + ": " + ec.message());
  ::chmod(dir.c_str(), 0700);
  if (Status s = drop_incomplete(dir); !s) return s;
  const std::filesystem::path copy_dir = store.dir() / kCopyDir;
  std::filesystem::remove_all(copy_dir, ec);  // left by a backup that stopped
  if (Status s = store.copy_to(copy_dir); !s) return s;
  ::chmod(copy_dir.c_str(), 0700);
  Result<std::pair<std::uint32_t, std::string>> made = back_up_copy(store, copy_dir, signer, dir);
  std::filesystem::remove_all(copy_dir, ec);
  if (!made) return made.status();
  if (Status s = write_ledger_files(store, files, dir, made->first, made->second); !s) return s;
  Result<std::vector<BackupEntry>> all = list_backups(dir);
  if (!all) return all.status();
  for (const BackupEntry& e : *all) {
    if (e.id == made->first) return e;
  }
  return Status::error(Code::kStorageError, "backup " + std::to_string(made->first) + " is not listed in " + dir.string());
}

Result<std::vector<BackupEntry>> list_backups(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / "meta", ec)) {
    return Status::error(Code::kNoBackup, "there are no backups in " + dir.string(), "out");
  }
  Result<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine = open_engine<rocksdb::BackupEngineReadOnly>(dir);
  if (!engine) return engine.status();
  std::vector<rocksdb::BackupInfo> infos;
  (*engine)->GetBackupInfo(&infos);
  std::vector<BackupEntry> out;
  for (const rocksdb::BackupInfo& info : infos) {
    if (std::optional<BackupEntry> e = entry_of(dir, info)) out.push_back(*e);
  }
  return out;
}

namespace {

// The entry of backup `id` (0: the latest). Refusal: no_backup.
Result<BackupEntry> find_backup(const std::filesystem::path& dir, std::uint32_t id) {
  Result<std::vector<BackupEntry>> all = list_backups(dir);
  if (!all) return all.status();
  if (all->empty()) return Status::error(Code::kNoBackup, "there are no backups in " + dir.string(), "out");
  if (id == 0) return all->back();
  for (const BackupEntry& e : *all) {
    if (e.id == id) return e;
  }
  return Status::error(Code::kNoBackup, "there is no backup " + std::to_string(id) + " in " + dir.string(), "backup");
}

// The verifier key of a ledger's directory (the first line of its
// verifier.key), or nullopt when it cannot be read or holds none.
std::optional<NoteVerifier> read_verifier(const std::filesystem::path& ledger) {
  const std::optional<std::string> key = read_file(ledger / kVerifierKeyFile);
  if (!key) return std::nullopt;
  return NoteVerifier::parse(key->substr(0, key->find('\n')));
}

// The backup's signed checkpoint, checked with its verifier key and held to
// what RocksDB's record of the backup says.
Status check_signed(const std::filesystem::path& dir, const BackupEntry& e) {
  const std::filesystem::path files = ledger_files(dir, e.id);
  const std::optional<std::string> note = read_file(files / kCheckpointFile);
  const auto corrupt = [&](const std::string& why) {
    return Status::error(Code::kBackupCorrupt, "backup " + std::to_string(e.id) + ": " + why);
  };
  if (!note) return corrupt("its checkpoint cannot be read");
  const std::optional<NoteVerifier> verifier = read_verifier(files);
  if (!verifier) return corrupt("its verifier.key cannot be read or holds no verifier key");
  Result<Checkpoint> c = read_checkpoint_note(*note, *verifier);
  if (!c) return corrupt("its checkpoint: " + c.status().message());
  if (c->size != e.tree_size || c->root != e.root) {
    return corrupt("its checkpoint signs " + std::to_string(c->size) + " events, the backup records " +
                   std::to_string(e.tree_size));
  }
  return Status::ok();
}

}  // namespace

Result<BackupEntry> verify_backup(const std::filesystem::path& dir, std::uint32_t id) {
  Result<BackupEntry> e = find_backup(dir, id);
  if (!e) return e.status();
  Result<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine = open_engine<rocksdb::BackupEngineReadOnly>(dir);
  if (!engine) return engine.status();
  const rocksdb::IOStatus s = (*engine)->VerifyBackup(e->id, /*verify_with_checksum=*/true);
  if (!s.ok()) {
    return Status::error(Code::kBackupCorrupt, "backup " + std::to_string(e->id) + ": " + s.ToString());
  }
  if (Status checked = check_signed(dir, *e); !checked) return checked;
  return e;
}

namespace {

// The restored ledger, verified whole and held to its checkpoint.
Status verify_restored(const std::filesystem::path& ledger, const std::filesystem::path& note,
                       const BackupEntry& e,
                       const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  Result<std::unique_ptr<Store>> store = Store::open(ledger, OpenOptions{.read_only = true, .check_head = false});
  if (!store) return store.status();
  VerifyOptions options;
  options.verifier = read_verifier(ledger);
  options.earlier = note;
  options.on_log_progress = progress;
  Result<LedgerReport> report = verify_ledger(**store, options);
  if (!report) return report.status();
  const std::string of = "the ledger restored from backup " + std::to_string(e.id);
  if (!report->ok()) {
    return Status::error(Code::kBackupCorrupt, of + " does not verify: " + report->failure->message);
  }
  if (report->size != e.tree_size || report->root != e.root) {
    return Status::error(Code::kBackupCorrupt, of + " holds " + std::to_string(report->size) +
                                                   " events, its checkpoint signs " + std::to_string(e.tree_size));
  }
  return Status::ok();
}

}  // namespace

Result<BackupEntry> restore_backup(const std::filesystem::path& dir, std::uint32_t id,
                                   const std::filesystem::path& target,
                                   const std::function<void(std::uint64_t, std::uint64_t)>& progress) {
  std::error_code ec;
  if (std::filesystem::exists(target, ec)) {
    return Status::error(Code::kUsage, target.string() + " exists: a backup is restored as a new ledger", "data");
  }
  Result<BackupEntry> e = verify_backup(dir, id);
  if (!e) return e.status();
  PartialDirectory out(target);
  if (Status s = out.create(); !s) return s;
  ::chmod(out.path().c_str(), 0700);
  {
    Result<std::unique_ptr<rocksdb::BackupEngineReadOnly>> engine = open_engine<rocksdb::BackupEngineReadOnly>(dir);
    if (!engine) return engine.status();
    const std::string db = out.path().string();
    const rocksdb::IOStatus s = (*engine)->RestoreDBFromBackup(rocksdb::RestoreOptions(), e->id, db, db);
    if (!s.ok()) return backup_error("restoring backup " + std::to_string(e->id), s);
  }
  const std::filesystem::path files = ledger_files(dir, e->id);
  for (const auto& entry : std::filesystem::directory_iterator(files, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == kCheckpointFile) continue;
    const std::optional<std::string> bytes = read_file(entry.path());
    if (!bytes) return Status::error(Code::kStorageError, "cannot read " + entry.path().string());
    if (Status s = write_new_file(out.path() / name, *bytes, 0600); !s) return s;
  }
  if (ec) return Status::error(Code::kStorageError, "cannot list " + files.string() + ": " + ec.message());
  if (Status s = verify_restored(out.path(), files / kCheckpointFile, *e, progress); !s) return s;
  if (Status s = out.commit(); !s) return s;
  return e;
}

}  // namespace fundledger
