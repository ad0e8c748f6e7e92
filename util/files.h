#pragma once
// Files the ledger writes beside its database (keys, tokens, certificates,
// bundles and exports): made new, written whole and synced, so that a crash
// leaves them whole or absent once their directory is synced too.

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <string_view>

namespace fundledger {

// Creates `path`, which must not exist, with `mode` (less the umask),
// writes `bytes` and syncs them. "" or what went wrong: "cannot create
// PATH: REASON" or "cannot write PATH".
std::string write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode = 0666);

// Syncs a directory, so that the names just made or renamed in it last
// through a crash. Best effort: a directory that cannot be opened is left.
void sync_directory(const std::filesystem::path& dir);

}  // namespace fundledger
