#pragma once
// Files the ledger writes beside its database (keys, tokens, certificates,
// bundles and exports): made new, written whole and synced, so that a crash
// leaves them whole or absent once their directory is synced too.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundledger {

// Creates `path`, which must not exist, with `mode` (less the umask),
// writes `bytes` and syncs them. Refusal: storage_error, "cannot create
// PATH: REASON" or "cannot write PATH".
Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode = 0666);

// Syncs a directory, so that the names just made or renamed in it last
// through a crash. Best effort: a directory that cannot be opened is left.
void sync_directory(const std::filesystem::path& dir);

// A directory written beside its target (TARGET.partial) and renamed into
// place once whole, so that the target is complete or absent. Removed
// unless committed.
class PartialDirectory {
 public:
  explicit PartialDirectory(const std::filesystem::path& target);
  ~PartialDirectory();
  PartialDirectory(const PartialDirectory&) = delete;
  PartialDirectory& operator=(const PartialDirectory&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Makes it afresh (a leftover of a run that stopped is removed first).
  // Refusal: storage_error.
  Status create();
  // Syncs the files' names, renames the directory into place and syncs
  // that name. Refusal: storage_error.
  Status commit();

 private:
  std::filesystem::path target_;
  std::filesystem::path path_;
  bool committed_ = false;
};

}  // namespace fundledger
