#pragma once
// Backups of a ledger: incremental, kept in one directory by RocksDB's
// BackupEngine, each with the ledger's own files and a checkpoint signed
// for exactly the events it holds, so that a restore proves it got them.
//
//   DIR/meta/, private/, shared_checksum/   RocksDB's (a table file is kept
//                                           once for all the backups that
//                                           hold it, with its checksum)
//   DIR/ledger.ID/                          the ledger's files of backup ID
//                                           (keys, tokens, certificate) and
//                                           `checkpoint`, its signed note
//
// A backup is taken from a consistent copy of the live database (RocksDB's
// checkpoint, hard links in the ledger's directory), so the writer goes on
// appending while it is made; the copy is opened as a ledger of its own,
// the checkpoint signed there and kept in it, and the copy backed up.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/note.h"
#include "ledger/store.h"
#include "util/hash.h"
#include "util/status.h"

namespace fundledger {

struct BackupEntry {
  std::uint32_t id = 0;
  std::int64_t created = 0;  // seconds since 1970, UTC
  std::uint64_t bytes = 0;   // of the backup's files, shared ones included
  std::uint32_t files = 0;
  std::uint64_t tree_size = 0;
  Hash root{};
};

// {"backup","created","tree_size","root_hash","files","bytes"}: what
// `backup` prints and POST /v1/backups answers.
nlohmann::ordered_json backup_json(const BackupEntry& e);

// Backs up the ledger of `store` (open for writing, the writer may append)
// into `dir` (made 0700 when new), with the files named `files` of the
// ledger's directory that exist; signs the checkpoint with `signer`.
// One backup at a time in a process: a second waits for the first.
// Refusals: storage_error, and those of signing (inconsistent_checkpoint).
Result<BackupEntry> back_up_ledger(const Store& store, const NoteSigner& signer,
                                   const std::vector<std::string>& files, const std::filesystem::path& dir);

// The backups of `dir`, oldest first; a backup whose files were never all
// written (a crash while it was made) is left out. Refusal: no_backup
// (no backups there), storage_error.
Result<std::vector<BackupEntry>> list_backups(const std::filesystem::path& dir);

// Checks backup `id` (0: the latest): every file against its checksum, and
// the checkpoint's signature with the backup's verifier key. Refusals:
// no_backup, backup_corrupt.
Result<BackupEntry> verify_backup(const std::filesystem::path& dir, std::uint32_t id);

// Restores backup `id` (0: the latest) of `dir` as a new ledger at `target`,
// which must not exist, then verifies it whole (ledger/verify.h) and that it
// holds exactly the size and root its checkpoint signs. On any refusal
// nothing is left at `target`. Refusals: usage (target exists), no_backup,
// backup_corrupt (a file's checksum, the ledger's verification, or its
// size or root against the checkpoint), storage_error.
Result<BackupEntry> restore_backup(const std::filesystem::path& dir, std::uint32_t id,
                                   const std::filesystem::path& target,
                                   const std::function<void(std::uint64_t, std::uint64_t)>& progress = nullptr);

}  // namespace fundledger
