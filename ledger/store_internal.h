#pragma once
// What the store's files share (ledger/store.cc, store_options.cc,
// store_reader.cc, store_batch.cc): RocksDB's options as the ledger sets
// them, key encodings, pages of hashes. Private to ledger/store*.cc.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/status.h>

#include "ledger/store.h"
#include "util/status.h"

namespace fundledger::store_internal {

inline constexpr std::string_view kFormat = "fundledger-1";
inline constexpr std::string_view kHeadKey = "head";
inline constexpr std::string_view kFormatKey = "format";
inline constexpr std::string_view kOriginKey = "origin";

// Column family names, indexed by Family. The meta family is RocksDB's
// default one, which every database has.
const std::vector<std::string>& family_names();
// The options the ledger opens its database and each family with (see the
// README's "Storage" section for why).
rocksdb::DBOptions db_options(rocksdb::Env* env);
rocksdb::ColumnFamilyOptions family_options(Family family);
std::vector<rocksdb::ColumnFamilyDescriptor> family_descriptors();
// Every append: synced, through the write-ahead log.
rocksdb::WriteOptions synced();
// Every read: checksums verified, as of `snapshot` (null: the latest).
rocksdb::ReadOptions checked_read(const rocksdb::Snapshot* snapshot);

void put_be64(char* out, std::uint64_t v);
std::uint64_t get_be64(const char* in);
inline rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

// The head as stored: size (8 bytes, big-endian) || chain hash.
std::string encode_head(const Head& head);
std::optional<Head> decode_head(std::string_view value);

// storage_error for what RocksDB refused `what` with, logged.
Status storage_error(const std::string& what, const rocksdb::Status& s);

// The hashes of the event at `index` of a page (which must hold it), and
// the number of events a page holds (0 when it is damaged).
EventHashes page_entry(std::string_view page, std::size_t index);
std::size_t page_count(std::string_view key, std::string_view page);

// Where loads write their files before committing them: a directory of
// the ledger's own, which RocksDB neither reads nor cleans up.
inline std::filesystem::path load_dir(const std::filesystem::path& ledger_dir) { return ledger_dir / "load"; }

}  // namespace fundledger::store_internal
