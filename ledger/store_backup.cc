// The store's copies: RocksDB's checkpoint of the live database, and its
// BackupEngine (ledger/backup.h builds the ledger's backups on these).

#include <rocksdb/db.h>
#include <rocksdb/utilities/backup_engine.h>
#include <rocksdb/utilities/checkpoint.h>

#include <memory>

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
  rocksdb::IOStatus s = rocksdb::BackupEngine::Open(options, rocksdb::Env::Default(), &raw);
  std::unique_ptr<rocksdb::BackupEngine> engine(raw);
  rocksdb::BackupID id = 0;
  if (s.ok()) {
    rocksdb::CreateBackupOptions create;
    create.flush_before_backup = true;
    s = engine->CreateNewBackupWithMetadata(create, db_, metadata, &id);
  }
  if (!s.ok()) return storage_error("backing up the ledger to " + dir.string(), s);
  return id;
}

}  // namespace fundledger
