#pragma once
// Files the ledger writes beside its database (keys, tokens, certificates,
// bundles and exports): written under a temporary name, synced, renamed
// into place and their directory synced, so that a crash at any instant
// leaves the file as it was or whole, never empty or half written.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

#include "util/status.h"

namespace fundledger {

// Creates `path`, which must not exist, holding `bytes`, with `mode` (less
// the umask): written to PATH.partial (made afresh), synced, renamed to
// `path` unless that exists, and the directory synced. Refusal:
// storage_error ("cannot create PATH: REASON", "File exists" among them;
// "cannot write PATH: REASON"); no file is left at `path` unless whole.
Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode = 0666);
// The same, over whatever `path` holds: a crash leaves the old file or the
// new one.
Status replace_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode);

// The whole of a small file (a list, a key). Refusal: storage_error
// ("cannot read PATH: REASON").
Result<std::string> read_text_file(const std::filesystem::path& path);

// Syncs a directory, so that the names just made or renamed in it last
// through a crash. Refusal: storage_error.
Status sync_directory(const std::filesystem::path& dir);

// Refuses a file that others than its owner may read or write (a key, the
// tokens): storage_error "PATH may be read by others than its owner (mode
// 0644); chmod 600 it". A file that does not exist passes.
Status check_private(const std::filesystem::path& path);

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
