#pragma once
// The ledger's database: RocksDB with one column family per kind of record.
//
//   events  8-byte big-endian seq -> the event's canonical bytes, exactly (SPEC 1.2)
//   chain   8-byte big-endian seq -> a page of hashes: leaf hash (32 bytes) ||
//           chain hash (32 bytes) of that event and of up to kHashesPerPage - 1
//           events after it. One page per run of events written together,
//           so that a batch of a thousand events adds four records, not a
//           thousand, and reading the hashes in order is cheap.
//   ids     event id -> 8-byte big-endian seq (idempotency)
//   state   the projection's snapshots (ledger/snapshots.h): entity key, 0x00,
//           8-byte big-endian (~snapshot seq) -> the entity's record then
//   snapshots  8-byte big-endian snapshot seq -> records written at it
//   tree    level (1 byte), 8-byte big-endian index -> the 32-byte root of the
//           perfect subtree of 2^level leaves from leaf index * 2^level, for
//           levels kStoredTreeLevel and up (ledger/tree.h), written with
//           the events that complete it
//   meta    (RocksDB's default family) "format", "origin", and "head":
//           size (8 bytes, big-endian) || chain hash of the last event;
//           "checkpoint" + 8-byte big-endian tree size -> a signed note
//
// Every append is one synced WriteBatch holding the events, their hashes, their
// ids and the new head, so the head always covers exactly the events on disk.
// Only the Writer (ledger/writer.h) writes, but for a rebuild, which loads
// its snapshots as table files (StoreLoad); anyone may read.

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/hash.h"
#include "util/status.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
class Env;
class Snapshot;
class Status;
class WriteBatch;
}  // namespace rocksdb

namespace fundledger {

enum class Family { kMeta, kEvents, kChain, kIds, kState, kSnapshots, kTree };

struct Head {
  std::uint64_t size = 0;
  Hash chain = kZeroHash;
  bool operator==(const Head&) const = default;
};

struct EventHashes {
  Hash leaf;
  Hash chain;
};

// The 8-byte big-endian key of a seq, and back (nullopt unless 8 bytes).
std::string seq_key(std::uint64_t seq);
std::optional<std::uint64_t> seq_from_key(std::string_view key);

// store_corrupt for event `seq`, which the store holds but cannot give
// back as an event: "event N cannot be read; run `fundledger verify`".
Status unreadable_event(std::uint64_t seq);

// Events whose hashes one page holds, at most.
inline constexpr std::size_t kHashesPerPage = 256;
inline constexpr std::size_t kHashBytes = 64;  // one event's leaf and chain hash

struct OpenOptions {
  // Read-only opens take no lock: they read the ledger as it stood when they
  // opened it, beside a process that writes.
  bool read_only = false;
  // When false, a head that disagrees with the last events does not refuse
  // the open: verify opens so, to name the problem.
  bool check_head = true;
  // Tests inject faults through their own RocksDB environment.
  rocksdb::Env* env = nullptr;
};

class Store;

// A batch of writes that lands atomically, or not at all.
class StoreBatch {
 public:
  explicit StoreBatch(const Store& store);
  ~StoreBatch();
  StoreBatch(const StoreBatch&) = delete;
  StoreBatch& operator=(const StoreBatch&) = delete;

  void put_event(std::uint64_t seq, std::string_view bytes);
  // One page of hashes: those of `count` (1 to kHashesPerPage) consecutive
  // events from `first_seq` on.
  void put_hashes(std::uint64_t first_seq, const EventHashes* hashes, std::size_t count);
  void put_id(std::string_view id, std::uint64_t seq);
  // A record of the projection's snapshots (ledger/snapshots.h), a node of
  // the Merkle tree (ledger/tree.h) or a kept checkpoint (meta family,
  // ledger/checkpoints.h).
  void put(Family family, std::string_view key, std::string_view value);
  // Save points nest; rollback undoes every put since the latest one.
  void set_save_point();
  void rollback_to_save_point();
  void pop_save_point();

 private:
  friend class Store;
  const Store& store_;
  std::unique_ptr<rocksdb::WriteBatch> batch_;
  std::size_t save_points_ = 0;  // open save points
};

// Records written straight into table files and added to the store in one
// atomic, durable step: for a rebuild's snapshots, which need neither the
// write-ahead log nor the memtable. Nothing is visible before commit();
// files not committed are removed when the load is destroyed.
class StoreLoad {
 public:
  explicit StoreLoad(Store& store);
  ~StoreLoad();
  StoreLoad(const StoreLoad&) = delete;
  StoreLoad& operator=(const StoreLoad&) = delete;

  // Within each family, keys must come in strictly ascending order.
  Status put(Family family, std::string_view key, std::string_view value);
  // Adds every family's file to the store, all or none. Only one load may
  // commit at a time, and no batch may write the same families meanwhile.
  Status commit();

 private:
  struct File;
  Store& store_;
  std::vector<std::unique_ptr<File>> files_;  // one per family put to
};

// Walks one column family in key order. Not thread-safe; one per thread.
class StoreCursor {
 public:
  virtual ~StoreCursor() = default;
  virtual bool valid() const = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual void next() = 0;
  // Moves to the first key at or after `key`, as a new cursor would start.
  virtual void seek(std::string_view key) = 0;
  // A storage error met while walking; valid() is false after one.
  virtual Status status() const = 0;
};

// Walks the stored hashes seq by seq, across pages.
class HashesCursor {
 public:
  virtual ~HashesCursor() = default;
  // False past the last page, at a damaged page, or after a storage error.
  virtual bool valid() const = 0;
  virtual std::uint64_t seq() const = 0;
  virtual EventHashes hashes() const = 0;
  virtual void next() = 0;
  // ok at the end of the pages; store_corrupt at a damaged page (the field
  // names no field; the message says where); storage_error.
  virtual Status status() const = 0;
};

// A consistent view of the store at one instant. Its methods may be called
// from several threads at once.
class StoreReader {
 public:
  ~StoreReader();
  StoreReader(const StoreReader&) = delete;
  StoreReader& operator=(const StoreReader&) = delete;

  // The head as of this reader's instant.
  const Head& head() const { return head_; }
  Result<std::optional<std::string>> get(Family family, std::string_view key) const;
  // The last key of `family` that starts with `prefix`, and its value;
  // nullopt when there is none. One seek, however many keys share it.
  Result<std::optional<std::pair<std::string, std::string>>> last_with_prefix(Family family,
                                                                              std::string_view prefix) const;
  enum class Seek {
    kScan,    // a long scan in key order: reads ahead, leaves the block cache alone
    kPoint,   // a seek that reads a record or two
    kEntity,  // (family state only) a seek that stays within one entity's
              // records, which Bloom filters can answer when there are none
  };
  // A cursor on the first key at or after `from_key`.
  std::unique_ptr<StoreCursor> cursor(Family family, std::string_view from_key,
                                      Seek seek = Seek::kScan) const;
  // Calls `visit` with each key and value of `family` from `from_key` on, in
  // key order, until it returns false.
  Status scan(Family family, std::string_view from_key,
              const std::function<bool(std::string_view key, std::string_view value)>& visit) const;

  Result<std::optional<std::string>> event(std::uint64_t seq) const;
  Result<std::optional<EventHashes>> hashes(std::uint64_t seq) const;
  // A cursor on the hashes of `seq`, or of the first seq after it that has
  // hashes stored. kScan reads ahead for a long walk; kPoint reads the page
  // or two a few hundred hashes need, through the block cache.
  std::unique_ptr<HashesCursor> hashes_from(std::uint64_t seq, Seek seek = Seek::kScan) const;
  Result<std::optional<std::uint64_t>> seq_of_id(std::string_view id) const;
  // seq_of_id for many ids in one batched lookup: one answer per id, in order.
  Result<std::vector<std::optional<std::uint64_t>>> seqs_of_ids(
      const std::vector<std::string_view>& ids) const;

 private:
  friend class Store;
  StoreReader(const Store& store, std::shared_lock<std::shared_mutex> open, const rocksdb::Snapshot* snapshot);
  // Keeps the database open while the reader lives (Store::recover).
  std::shared_lock<std::shared_mutex> open_;
  const Store& store_;
  const rocksdb::Snapshot* snapshot_;  // null for a read-only store
  Head head_;
};

class Store {
 public:
  // Creates an empty ledger at `dir` (the directory may exist, but not a
  // database in it). `origin` names the log in its checkpoints.
  static Status create(const std::filesystem::path& dir, std::string_view origin);

  // Opens the ledger at `dir`. Refusals: no_ledger (nothing there),
  // ledger_in_use (another process, or this one, has it open for writing),
  // not_a_ledger, store_corrupt (the head disagrees with the last events and
  // check_head is set), storage_error.
  static Result<std::unique_ptr<Store>> open(const std::filesystem::path& dir,
                                             const OpenOptions& options = {});
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // The RocksDB environment it was opened with (OpenOptions::env), or null
  // for the default one; copies and backups of it are written through it.
  rocksdb::Env* env() const { return env_; }
  bool read_only() const { return read_only_; }
  // The committed head. Thread-safe.
  Head head() const;
  const std::string& origin() const { return origin_; }

  // A reader of one instant. With `consistent` false it reads whatever is
  // latest at each call instead (for readers that only look up records
  // that never change once written).
  std::unique_ptr<StoreReader> reader(bool consistent = true) const;
  // Empties the projection (families state and snapshots) in one synced
  // write, so that a crash leaves it whole or empty, never records without
  // their marks; for rebuilding it. Refusals: read_only, storage_error.
  Status clear_projection();

  // Writes `batch` together with `new_head`, synced. A failed write is
  // refused with storage_unavailable, and so is every later one until
  // recover() succeeds: a failed sync may have left the disk in any state,
  // and retrying the write would hide it. Only one thread may call this at
  // a time (the Writer's leader).
  Status write(StoreBatch& batch, const Head& new_head);
  // Why writes are refused (the operating system's words, e.g. "No space
  // left on device"), or nothing while the store writes. Thread-safe.
  std::optional<std::string> failure() const;
  // After a failed write: asks RocksDB to resume (it does after a failed
  // flush, e.g. a full disk that has room again), or else, once a small
  // synced file shows that the disk takes writes, closes the database and
  // opens it again as a restart would (RocksDB never resumes after a failed
  // write to its write-ahead log), waiting for the readers of the moment.
  // The failed write may then be found on the disk after all: it is whole
  // or absent, and the head is checked against the last event either way.
  // Ok when the store writes again; otherwise it stays refusing, still
  // serving reads, and the status says why (storage_unavailable,
  // store_corrupt). Not while the writer writes (Writer::recover).
  Status recover();
  // A consistent copy of the database in the new directory `dir`, on the
  // same filesystem (its table files are hard links): RocksDB's checkpoint,
  // safe while the writer writes; it holds a whole number of appends.
  // Refusal: storage_error.
  Status copy_to(const std::filesystem::path& dir) const;
  // Adds the database as it stands to the incremental backups kept in
  // `dir` (RocksDB's BackupEngine: a table file is kept once for every
  // backup that holds it; every file synced), with `metadata`; returns the
  // new backup's id. Refusal: storage_error.
  Result<std::uint32_t> back_up(const std::filesystem::path& dir, const std::string& metadata) const;
  // Synced writes made since open, for statistics.
  std::uint64_t writes() const;
  // Waits until RocksDB has no flush or compaction running or pending: for
  // benchmarks, so that one step's figure holds the background work it
  // caused and none of the step before.
  Status settle() const;

 private:
  friend class StoreBatch;
  friend class StoreLoad;
  friend class StoreReader;
  Store() = default;
  Status check_head();
  rocksdb::Status open_db(bool read_only);
  void close_db();
  // Recover's second way; requires that RocksDB did not resume.
  Status reopen();
  Status resumed_head();
  // Whether the disk under the ledger takes a small file, synced.
  bool disk_takes_writes() const;
  rocksdb::ColumnFamilyHandle* handle(Family family) const;

  std::filesystem::path dir_;
  bool read_only_ = false;
  std::string origin_;
  rocksdb::DB* db_ = nullptr;
  rocksdb::Env* env_ = nullptr;  // the one given to open, or null
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;  // indexed by Family
  std::atomic<std::uint64_t> load_files_{0};  // StoreLoad files made, for their names
  // Held shared by every reader, and exclusively while recover() closes the
  // database and opens it again.
  mutable std::shared_mutex open_mu_;

  mutable std::mutex mu_;
  Head head_;          // guarded by mu_
  std::optional<std::string> failure_;  // guarded by mu_
  std::uint64_t writes_ = 0;  // guarded by mu_
};

}  // namespace fundledger
