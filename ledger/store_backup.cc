// The store's copies: RocksDB's checkpoint of the live database, and its
// BackupEngine (ledger/backup.h builds the ledger's backups on these).

#include <rocksdb/db.h>
#include <rocksdb/file_system.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/utilities/checkpoint.h>

#include <memory>
#include <string>

#include "ledger/store_internal.h"

namespace fundledger {

using namespace store_internal;

Status Store::copy_to(const std::filesystem::path& dir) const {
  std::shared_lock open(open_mu_);
  rocksdb::Checkpoint* raw = nullptr;
  rocksdb::Status s = rocksdb::Checkpoint::Create(db_, &raw);
  std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
  // A flush first (log_size_for_flush 0), so that the copy holds table
  // files and no write-ahead log to replay.
  if (s.ok()) s = checkpoint->CreateCheckpoint(dir.string(), 0);
  if (!s.ok()) return storage_error("copying the ledger to " + dir.string(), s);
  return Status::ok();
}

Result<std::uint32_t> Store::back_up(const std::filesystem::path& dir, const std::string& metadata) const {
  std::shared_lock open(open_mu_);
  rocksdb::BackupEngineOptions options(dir.string());
  options.sync = true;
  options.max_background_operations = 2;
  rocksdb::BackupEngine* raw = nullptr;
  // Through the store's own environment, so that a test's failing disk
  // reaches the backup too.
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, env_ != nullptr ? env_ : rocksdb::Env::Default(), &raw);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::BackupID id = 0;
  if (s.ok()) {
    rocksdb::CreateBackupOptions create;
    create.flush_before_backup = true;
    s = engine->CreateNewBackupWithMetadata(create, db_, metadata, &id);
  }
  // RocksDB syncs what it writes into its directories, but not the
  // directories it makes in `dir`: their names are synced here, so that a
  // power cut after the backup was reported keeps it.
  rocksdb::Env* env = env_ != nullptr ? env_ : rocksdb::Env::Default();
  const std::string id_dir = "private/" + std::to_string(id);
  for (const std::string& sub : {std::string(), std::string("meta"), std::string("private"), id_dir,
                                std::string("shared_checksum")}) {
    if (!s.ok()) break;
    std::unique_ptr<rocksdb::FSDirectory> directory;
    const std::string path = sub.empty() ? dir.string() : (dir / sub).string();
    s = env->GetFileSystem()->NewDirectory(path, rocksdb::IOOptions(), &directory, nullptr);
    if (s.ok()) s = directory->FsyncWithDirOptions(rocksdb::IOOptions(), nullptr, rocksdb::DirFsyncOptions());
  }
  if (!s.ok()) return storage_error("backing up the ledger to " + dir.string(), s);
  return id;
}

}  // namespace fundledger
