// RocksDB's options as the ledger sets them, on purpose; the README's
// "Storage" section says why.

#include <cstdarg>
#include <cstdio>

#include <rocksdb/cache.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>

#include "ledger/store_internal.h"
#include "util/log.h"

namespace fundledger::store_internal {
namespace {

// The block cache all families share: what stays resident of the tables.
constexpr std::size_t kBlockCacheBytes = 256 << 20;


// The keys of family `state` are an entity's key, a 0 byte and 8 bytes of
// snapshot seq: the prefix is the entity. Ids never hold a 0 byte, so the
// prefix keeps the keys' order, as RocksDB requires of a prefix.
class EntityPrefix : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "fundledger.EntityPrefix"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return {key.data(), key.size() - 9};
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return key.size() >= 10 && key[key.size() - 9] == '\0';
  }
};

// RocksDB's own log, sent to ours: its errors as structured lines on
// stderr, the rest dropped (its warnings repeat what our own errors say).
// RocksDB would otherwise keep a `LOG` file in the ledger's directory, and
// a failed write to that file (a full or read-only disk) aborts the process
// at the next line (an assertion in `WritableFileWriter`, which Debian's
// build keeps).
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : Logger(rocksdb::InfoLogLevel::ERROR_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    // The header lines (RocksDB's version and options) are information too.
    if (level < GetInfoLogLevel() || level == rocksdb::InfoLogLevel::HEADER_LEVEL) return;
    char text[1024];
    std::vsnprintf(text, sizeof text, format, ap);
    log::error("rocksdb", {{"message", text}});
  }
};

}  // namespace

// Column family names, indexed by Family. The meta family is RocksDB's
// default one, which every database has.
const std::vector<std::string>& family_names() {
  static const std::vector<std::string> kNames = {
      rocksdb::kDefaultColumnFamilyName, "events", "chain", "ids", "state", "snapshots", "tree"};
  return kNames;
}


rocksdb::DBOptions db_options(rocksdb::Env* env) {
  rocksdb::DBOptions o;
  o.create_if_missing = false;
  o.create_missing_column_families = false;
  // Check every file read and refuse to run on any inconsistency found.
  o.paranoid_checks = true;
  // Every acknowledged append was synced, so only the last, unacknowledged
  // record of the WAL can be torn by a crash. A torn tail is dropped; any
  // other damage refuses the open rather than losing an acknowledged event.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // Record WAL files in the MANIFEST, so a WAL file lost from the directory
  // is reported at open instead of silently dropping what it held.
  o.track_and_verify_wals_in_manifest = true;
  o.max_background_jobs = 2;  // the machine has two cores
  // One thread writes (the Writer's leader). Concurrent memtable writes
  // would also switch off the insert hints below.
  o.allow_concurrent_memtable_write = false;
  o.bytes_per_sync = 1 << 20;
  o.keep_log_file_num = 5;
  o.max_log_file_size = 8 << 20;
  static const auto logger = std::make_shared<StderrLogger>();
  o.info_log = logger;
  if (env != nullptr) o.env = env;
  return o;
}

rocksdb::ColumnFamilyOptions family_options(Family family) {
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  // Events and hashes are mostly read in long runs (verify, export,
  // replay): larger blocks mean fewer to fetch and decompress.
  t.block_size = family == Family::kEvents || family == Family::kChain ? (32 << 10) : (16 << 10);
  t.checksum = rocksdb::kXXH3;
  t.format_version = 5;
  if (family == Family::kIds) {
    // Most lookups are for ids not yet in the log: Bloom filters, on the
    // tables and on the memtable, answer those without searching.
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    o.memtable_whole_key_filtering = true;
    o.memtable_prefix_bloom_size_ratio = 0.1;
  }
  if (family == Family::kState) {
    // The writer looks up every entity an event creates, to refuse an id
    // used twice; most are not there. Prefix Bloom filters answer those.
    static const std::shared_ptr<const rocksdb::SliceTransform> prefix =
        std::make_shared<EntityPrefix>();
    o.prefix_extractor = prefix;
    t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
    t.whole_key_filtering = false;
    o.memtable_prefix_bloom_size_ratio = 0.1;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  if (family == Family::kEvents || family == Family::kChain) {
    // Keys are seqs, written in increasing order: a hint of where the last
    // one went makes each memtable insert cheap. All seqs below 2^32 share
    // their first four bytes, and so the hint.
    o.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(4));
  }
  o.level_compaction_dynamic_level_bytes = true;
  // Ids arrive in no order: a small memtable keeps each insert into its
  // skip list within the processor's caches.
  o.write_buffer_size = family == Family::kMeta ? (4 << 20) : family == Family::kIds ? (8 << 20) : (64 << 20);
  // Hashes do not compress; JSON and ids do.
  o.compression = family == Family::kChain || family == Family::kTree ? rocksdb::kNoCompression
                                                                      : rocksdb::kLZ4Compression;
  return o;
}

std::vector<rocksdb::ColumnFamilyDescriptor> family_descriptors() {
  std::vector<rocksdb::ColumnFamilyDescriptor> out;
  for (std::size_t i = 0; i < family_names().size(); ++i) {
    out.emplace_back(family_names()[i], family_options(static_cast<Family>(i)));
  }
  return out;
}

rocksdb::WriteOptions synced() {
  rocksdb::WriteOptions w;
  w.sync = true;
  w.disableWAL = false;
  return w;
}

rocksdb::ReadOptions checked_read(const rocksdb::Snapshot* snapshot) {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  return r;
}

}  // namespace fundledger::store_internal
