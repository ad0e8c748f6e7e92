#include "ledger/store.h"

#include <chrono>
#include <cstring>
#include <thread>

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include "util/check.h"
#include "util/log.h"

namespace fundledger {
namespace {

constexpr std::string_view kFormat = "fundledger-1";
constexpr std::string_view kHeadKey = "head";
constexpr std::string_view kFormatKey = "format";
constexpr std::string_view kOriginKey = "origin";

// Column family names, indexed by Family. The meta family is RocksDB's
// default one, which every database has.
const std::vector<std::string>& family_names() {
  static const std::vector<std::string> kNames = {
      rocksdb::kDefaultColumnFamilyName, "events", "chain", "ids", "state", "snapshots", "tree"};
  return kNames;
}

void put_be64(char* out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<char>(v & 0xFF);
    v >>= 8;
  }
}

std::uint64_t get_be64(const char* in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

std::string encode_head(const Head& head) {
  std::string out = seq_key(head.size);
  out.append(hash_bytes(head.chain));
  return out;
}

std::optional<Head> decode_head(std::string_view value) {
  if (value.size() != 40) return std::nullopt;
  return Head{get_be64(value.data()), *hash_from_bytes(value.substr(8))};
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

Status storage_error(const std::string& what, const rocksdb::Status& s) {
  log::error("storage error", {{"during", what}, {"rocksdb", s.ToString()}});
  return Status::error(Code::kStorageError, what + ": " + s.ToString());
}

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

// Options chosen on purpose; see the README's "Storage" section for why.
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
  if (env != nullptr) o.env = env;
  return o;
}

rocksdb::ColumnFamilyOptions family_options(Family family) {
  static const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(256 << 20);
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

}  // namespace

std::string seq_key(std::uint64_t seq) {
  std::string out(8, '\0');
  put_be64(out.data(), seq);
  return out;
}

std::optional<std::uint64_t> seq_from_key(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return get_be64(key.data());
}

namespace {

// The hashes of the event at `index` of a page (which must hold it).
EventHashes page_entry(std::string_view page, std::size_t index) {
  EventHashes h;
  std::memcpy(h.leaf.data(), page.data() + index * kHashBytes, 32);
  std::memcpy(h.chain.data(), page.data() + index * kHashBytes + 32, 32);
  return h;
}

// The number of events a page holds, or 0 when it is damaged.
std::size_t page_count(std::string_view key, std::string_view page) {
  if (key.size() != 8 || page.empty() || page.size() % kHashBytes != 0 ||
      page.size() / kHashBytes > kHashesPerPage || get_be64(key.data()) == 0) {
    return 0;
  }
  return page.size() / kHashBytes;
}

}  // namespace

// --- StoreBatch ---------------------------------------------------------------

StoreBatch::StoreBatch(const Store& store)
    : store_(store), batch_(std::make_unique<rocksdb::WriteBatch>()) {}
StoreBatch::~StoreBatch() = default;

void StoreBatch::put_event(std::uint64_t seq, std::string_view bytes) {
  char key[8];
  put_be64(key, seq);
  FL_CHECK(batch_->Put(store_.handle(Family::kEvents), {key, 8}, slice(bytes)).ok());
}

void StoreBatch::put_hashes(std::uint64_t first_seq, const EventHashes* hashes, std::size_t count) {
  FL_CHECK(count >= 1 && count <= kHashesPerPage);
  char key[8];
  put_be64(key, first_seq);
  char page[kHashesPerPage * kHashBytes];
  for (std::size_t i = 0; i < count; ++i) {
    std::memcpy(page + i * kHashBytes, hashes[i].leaf.data(), 32);
    std::memcpy(page + i * kHashBytes + 32, hashes[i].chain.data(), 32);
  }
  FL_CHECK(batch_->Put(store_.handle(Family::kChain), {key, 8}, {page, count * kHashBytes}).ok());
}

void StoreBatch::put_id(std::string_view id, std::uint64_t seq) {
  char value[8];
  put_be64(value, seq);
  FL_CHECK(batch_->Put(store_.handle(Family::kIds), slice(id), {value, 8}).ok());
}

void StoreBatch::put(Family family, std::string_view key, std::string_view value) {
  FL_CHECK(family == Family::kState || family == Family::kSnapshots || family == Family::kTree ||
           family == Family::kMeta);
  FL_CHECK(batch_->Put(store_.handle(family), slice(key), slice(value)).ok());
}

// --- loads ----------------------------------------------------------------------

namespace {

// Where loads write their files before committing them: a directory of
// the ledger's own, which RocksDB neither reads nor cleans up.
std::filesystem::path load_dir(const std::filesystem::path& ledger_dir) { return ledger_dir / "load"; }

}  // namespace

struct StoreLoad::File {
  Family family;
  std::filesystem::path path;
  std::unique_ptr<rocksdb::SstFileWriter> writer;
  bool any = false;  // whether anything was put
};

StoreLoad::StoreLoad(Store& store) : store_(store) {}

StoreLoad::~StoreLoad() {
  for (const auto& f : files_) {
    f->writer.reset();
    std::error_code ec;
    std::filesystem::remove(f->path, ec);
  }
}

Status StoreLoad::put(Family family, std::string_view key, std::string_view value) {
  FL_CHECK(family == Family::kState || family == Family::kSnapshots);
  FL_CHECK(!store_.read_only_);
  File* file = nullptr;
  for (const auto& f : files_) {
    if (f->family == family) file = f.get();
  }
  if (file == nullptr) {
    std::error_code ec;
    std::filesystem::create_directories(load_dir(store_.dir_), ec);
    if (ec) return Status::error(Code::kStorageError, "cannot create " + load_dir(store_.dir_).string() + ": " + ec.message());
    auto f = std::make_unique<File>();
    f->family = family;
    f->path = load_dir(store_.dir_) / (std::to_string(store_.load_files_.fetch_add(1)) + ".sst");
    const rocksdb::Options options(db_options(store_.env_), family_options(family));
    f->writer = std::make_unique<rocksdb::SstFileWriter>(rocksdb::EnvOptions(options), options,
                                                         store_.handle(family));
    const rocksdb::Status s = f->writer->Open(f->path.string());
    if (!s.ok()) return storage_error("writing a table file of the projection", s);
    file = f.get();
    files_.push_back(std::move(f));
  }
  const rocksdb::Status s = file->writer->Put(slice(key), slice(value));
  if (!s.ok()) return storage_error("writing a table file of the projection", s);
  file->any = true;
  return Status::ok();
}

Status StoreLoad::commit() {
  std::vector<rocksdb::IngestExternalFileArg> args;
  for (const auto& f : files_) {
    if (!f->any) continue;
    // Finish syncs the file.
    const rocksdb::Status s = f->writer->Finish();
    if (!s.ok()) return storage_error("finishing a table file of the projection", s);
    rocksdb::IngestExternalFileArg arg;
    arg.column_family = store_.handle(f->family);
    arg.external_files = {f->path.string()};
    arg.options.move_files = true;
    arg.options.failed_move_fall_back_to_copy = true;
    arg.options.snapshot_consistency = true;
    arg.options.allow_global_seqno = true;
    arg.options.allow_blocking_flush = true;
    args.push_back(std::move(arg));
  }
  if (args.empty()) return Status::ok();
  // All families at once, atomically; the MANIFEST write that adds them
  // is synced.
  const rocksdb::Status s = store_.db_->IngestExternalFiles(args);
  if (!s.ok()) return storage_error("adding table files to the projection", s);
  return Status::ok();
}

void StoreBatch::set_save_point() {
  batch_->SetSavePoint();
  ++save_points_;
}

void StoreBatch::rollback_to_save_point() {
  FL_CHECK(save_points_ > 0);
  FL_CHECK(batch_->RollbackToSavePoint().ok());
  --save_points_;
}

void StoreBatch::pop_save_point() {
  FL_CHECK(save_points_ > 0);
  FL_CHECK(batch_->PopSavePoint().ok());
  --save_points_;
}

// --- StoreReader --------------------------------------------------------------

StoreReader::StoreReader(const Store& store, const rocksdb::Snapshot* snapshot)
    : store_(store), snapshot_(snapshot) {}

StoreReader::~StoreReader() {
  if (snapshot_ != nullptr) store_.db_->ReleaseSnapshot(snapshot_);
}

Result<std::optional<std::string>> StoreReader::get(Family family, std::string_view key) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  std::string value;
  const rocksdb::Status s = store_.db_->Get(r, store_.handle(family), slice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return storage_error("reading the ledger", s);
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<std::pair<std::string, std::string>>> StoreReader::last_with_prefix(
    Family family, std::string_view prefix) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  std::unique_ptr<rocksdb::Iterator> it(store_.db_->NewIterator(r, store_.handle(family)));
  // Past every key with the prefix (the ledger's keys under a prefix are at
  // most 16 bytes longer), then back to the last one at or before that.
  const std::string beyond = std::string(prefix) + std::string(16, '\xff');
  it->SeekForPrev(slice(beyond));
  if (!it->Valid()) {
    if (!it->status().ok()) return storage_error("reading the ledger", it->status());
    return std::optional<std::pair<std::string, std::string>>();
  }
  std::string key(it->key().data(), it->key().size());
  if (!key.starts_with(prefix)) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(
      std::pair(std::move(key), std::string(it->value().data(), it->value().size())));
}

namespace {

class RocksCursor : public StoreCursor {
 public:
  explicit RocksCursor(rocksdb::Iterator* it) : it_(it) {}
  bool valid() const override { return it_->Valid(); }
  std::string_view key() const override { return {it_->key().data(), it_->key().size()}; }
  std::string_view value() const override {
    return {it_->value().data(), it_->value().size()};
  }
  void next() override { it_->Next(); }
  void seek(std::string_view key) override { it_->Seek(slice(key)); }
  Status status() const override {
    if (it_->status().ok()) return Status::ok();
    return storage_error("scanning the ledger", it_->status());
  }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
};

}  // namespace

std::unique_ptr<StoreCursor> StoreReader::cursor(Family family, std::string_view from_key,
                                                 Seek seek) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  // Families with a prefix extractor (state) iterate in prefix mode unless
  // told otherwise.
  r.total_order_seek = seek != Seek::kEntity;
  r.prefix_same_as_start = seek == Seek::kEntity;
  if (seek == Seek::kScan) {
    r.fill_cache = false;  // a long scan would only evict what readers need
    r.readahead_size = 2 << 20;
  }
  auto* it = store_.db_->NewIterator(r, store_.handle(family));
  it->Seek(slice(from_key));
  return std::make_unique<RocksCursor>(it);
}

Status StoreReader::scan(
    Family family, std::string_view from_key,
    const std::function<bool(std::string_view key, std::string_view value)>& visit) const {
  const auto c = cursor(family, from_key);
  for (; c->valid(); c->next()) {
    if (!visit(c->key(), c->value())) break;
  }
  return c->status();
}

Result<std::optional<std::string>> StoreReader::event(std::uint64_t seq) const {
  return get(Family::kEvents, seq_key(seq));
}

namespace {

class PageCursor : public HashesCursor {
 public:
  PageCursor(rocksdb::Iterator* it, std::uint64_t from) : it_(it) {
    // The page holding `from` starts at or before it.
    it_->SeekForPrev(slice(seq_key(from)));
    if (!it_->Valid()) it_->Seek(slice(seq_key(from)));
    load();
    while (valid() && seq() < from) next();
  }
  bool valid() const override { return count_ != 0; }
  std::uint64_t seq() const override { return first_ + index_; }
  EventHashes hashes() const override { return page_entry(page_, index_); }
  void next() override {
    if (++index_ < count_) return;
    it_->Next();
    load();
  }
  Status status() const override { return status_; }

 private:
  void load() {
    count_ = 0;
    index_ = 0;
    if (!it_->Valid()) {
      if (!it_->status().ok()) status_ = storage_error("reading the hashes", it_->status());
      return;
    }
    const std::string_view key(it_->key().data(), it_->key().size());
    page_ = {it_->value().data(), it_->value().size()};
    count_ = page_count(key, page_);
    if (count_ == 0) {
      status_ = Status::error(Code::kStoreCorrupt, "a page of hashes is damaged" +
                                                   (key.size() == 8 ? " at seq " + std::to_string(get_be64(key.data())) : ""));
      return;
    }
    first_ = get_be64(key.data());
  }

  std::unique_ptr<rocksdb::Iterator> it_;
  std::string_view page_;
  std::uint64_t first_ = 0;
  std::size_t count_ = 0;
  std::size_t index_ = 0;
  Status status_;
};

}  // namespace

std::unique_ptr<HashesCursor> StoreReader::hashes_from(std::uint64_t seq, Seek seek) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  if (seek == Seek::kScan) {
    r.fill_cache = false;
    r.readahead_size = 2 << 20;
  }
  return std::make_unique<PageCursor>(store_.db_->NewIterator(r, store_.handle(Family::kChain)), seq);
}

Result<std::optional<EventHashes>> StoreReader::hashes(std::uint64_t seq) const {
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  std::unique_ptr<rocksdb::Iterator> it(store_.db_->NewIterator(r, store_.handle(Family::kChain)));
  it->SeekForPrev(slice(seq_key(seq)));
  if (!it->Valid()) {
    if (!it->status().ok()) return storage_error("reading the hashes", it->status());
    return std::optional<EventHashes>();
  }
  const std::string_view key(it->key().data(), it->key().size());
  const std::string_view page(it->value().data(), it->value().size());
  const std::size_t count = page_count(key, page);
  if (count == 0) {
    return Status::error(Code::kStoreCorrupt, "the hashes of event " + std::to_string(seq) + " are damaged");
  }
  const std::uint64_t first = get_be64(key.data());
  if (seq - first >= count) return std::optional<EventHashes>();
  return std::optional<EventHashes>(page_entry(page, seq - first));
}

Result<std::optional<std::uint64_t>> StoreReader::seq_of_id(std::string_view id) const {
  auto value = get(Family::kIds, id);
  if (!value) return value.status();
  if (!value->has_value()) return std::optional<std::uint64_t>();
  const auto seq = seq_from_key(**value);
  if (!seq) return Status::error(Code::kStoreCorrupt, "the id index entry of \"" + std::string(id) + "\" is damaged");
  return std::optional<std::uint64_t>(*seq);
}

Result<std::vector<std::optional<std::uint64_t>>> StoreReader::seqs_of_ids(
    const std::vector<std::string_view>& ids) const {
  std::vector<rocksdb::Slice> keys(ids.begin(), ids.end());
  std::vector<rocksdb::PinnableSlice> values(ids.size());
  std::vector<rocksdb::Status> statuses(ids.size());
  rocksdb::ReadOptions r;
  r.snapshot = snapshot_;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  store_.db_->MultiGet(r, store_.handle(Family::kIds), keys.size(), keys.data(), values.data(),
                       statuses.data());
  std::vector<std::optional<std::uint64_t>> out(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok()) return storage_error("reading the id index", statuses[i]);
    out[i] = seq_from_key({values[i].data(), values[i].size()});
    if (!out[i]) {
      return Status::error(Code::kStoreCorrupt,
                           "the id index entry of \"" + std::string(ids[i]) + "\" is damaged");
    }
  }
  return out;
}

// --- Store ----------------------------------------------------------------------

Status Store::create(const std::filesystem::path& dir, std::string_view origin) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    return Status::error(Code::kStorageError, "cannot create " + dir.string() + ": " + ec.message());
  }
  rocksdb::DBOptions o = db_options(nullptr);
  o.create_if_missing = true;
  o.error_if_exists = true;
  o.create_missing_column_families = true;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(o, dir.string(), family_descriptors(), &handles, &db);
  if (s.IsInvalidArgument() && s.ToString().find("exists") != std::string::npos) {
    return Status::error(Code::kLedgerExists, "there is already a ledger at " + dir.string());
  }
  if (!s.ok()) return storage_error("creating the ledger", s);
  rocksdb::WriteBatch batch;
  batch.Put(handles[0], slice(kFormatKey), slice(kFormat));
  batch.Put(handles[0], slice(kOriginKey), slice(origin));
  batch.Put(handles[0], slice(kHeadKey), encode_head(Head{}));
  s = db->Write(synced(), &batch);
  for (auto* h : handles) FL_CHECK(db->DestroyColumnFamilyHandle(h).ok());
  const rocksdb::Status closed = db->Close();
  delete db;
  if (!s.ok()) return storage_error("creating the ledger", s);
  if (!closed.ok()) return storage_error("closing the new ledger", closed);
  return Status::ok();
}

Result<std::unique_ptr<Store>> Store::open(const std::filesystem::path& dir,
                                           const OpenOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(dir / "CURRENT", ec)) {
    return Status::error(Code::kNoLedger, "there is no ledger at " + dir.string() +
                                          "; create one with `fundledger init`");
  }
  std::unique_ptr<Store> store(new Store());
  store->dir_ = dir;
  store->read_only_ = options.read_only;
  store->env_ = options.env;
  rocksdb::DBOptions o = db_options(options.env);
  // A ledger made before a family was added gets it, empty, when opened
  // for writing.
  o.create_missing_column_families = !options.read_only;
  rocksdb::Status s;
  if (options.read_only) {
    s = rocksdb::DB::OpenForReadOnly(o, dir.string(), family_descriptors(), &store->handles_,
                                     &store->db_);
  } else {
    s = rocksdb::DB::Open(o, dir.string(), family_descriptors(), &store->handles_, &store->db_);
  }
  if (!s.ok()) {
    if (s.ToString().find("LOCK") != std::string::npos) {
      return Status::error(Code::kLedgerInUse, "the ledger at " + dir.string() +
                                                " is already open for writing, by another "
                                                "process or by this one");
    }
    if (s.IsInvalidArgument() && s.ToString().find("Column famil") != std::string::npos) {
      return Status::error(Code::kNotALedger, dir.string() + " holds a database that is not a ledger");
    }
    return storage_error("opening the ledger", s);
  }
  const auto reader = store->reader();
  auto format = reader->get(Family::kMeta, kFormatKey);
  if (!format) return format.status();
  if (*format != std::optional<std::string>(std::string(kFormat))) {
    return Status::error(Code::kNotALedger, dir.string() + " holds a database that is not a ledger");
  }
  auto origin = reader->get(Family::kMeta, kOriginKey);
  if (!origin) return origin.status();
  store->origin_ = origin->value_or("");
  auto head = reader->get(Family::kMeta, kHeadKey);
  if (!head) return head.status();
  const auto decoded = head->has_value() ? decode_head(**head) : std::nullopt;
  if (!decoded) return Status::error(Code::kStoreCorrupt, "the ledger's head record is damaged");
  store->head_ = *decoded;
  if (options.check_head) FL_RETURN_IF_ERROR(store->check_head());
  if (!options.read_only) {
    // What a load left when a crash stopped it before its commit: never
    // part of the ledger, and never read.
    std::error_code ignored;
    std::filesystem::remove_all(load_dir(dir), ignored);
  }
  return store;
}

// The head must name the last event exactly: its seq is the last key of
// `events` and of `chain`, its chain hash is the stored one, and that hash
// follows from the event's bytes and the chain hash before it.
Status Store::check_head() {
  const auto corrupt = [this](const std::string& why) {
    return Status::error(Code::kStoreCorrupt,
                         "the ledger's head (size " + std::to_string(head_.size) + ") " + why +
                             "; run `fundledger verify` to find the first damaged event");
  };
  rocksdb::ReadOptions r;
  r.verify_checksums = true;
  r.ignore_range_deletions = true;  // the ledger never deletes a range
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(r, handle(Family::kEvents)));
  it->SeekToLast();
  if (!it->status().ok()) return storage_error("reading the last event", it->status());
  const auto last = it->Valid() ? seq_from_key({it->key().data(), it->key().size()})
                                : std::optional<std::uint64_t>(0);
  if (last != head_.size) {
    return corrupt("does not match the last event stored (" +
                   (last ? std::to_string(*last) : std::string("a malformed key")) + ")");
  }
  const auto reader = this->reader();
  const auto beyond = reader->hashes_from(head_.size + 1);
  FL_RETURN_IF_ERROR(beyond->status());
  if (beyond->valid()) return corrupt("is followed by the hashes of event " + std::to_string(beyond->seq()));
  if (head_.size == 0) return head_.chain == kZeroHash ? Status::ok() : corrupt("is not empty");
  auto bytes = reader->event(head_.size);
  if (!bytes) return bytes.status();
  auto hashes = reader->hashes(head_.size);
  if (!hashes) return hashes.status();
  if (!hashes->has_value()) return corrupt("has no hashes stored for its last event");
  Hash previous = kZeroHash;
  if (head_.size > 1) {
    auto before = reader->hashes(head_.size - 1);
    if (!before) return before.status();
    if (!before->has_value()) return corrupt("follows a missing event");
    previous = (*before)->chain;
  }
  const Hash leaf = leaf_hash(**bytes);
  if ((*hashes)->leaf != leaf || (*hashes)->chain != chain_hash(previous, leaf) ||
      (*hashes)->chain != head_.chain) {
    return corrupt("does not match the hashes of the last event");
  }
  return Status::ok();
}

Store::~Store() {
  if (db_ == nullptr) return;
  if (!read_only_) {
    // Everything is already durable in the WAL; flushing it into tables now
    // spares the next open from replaying it, which read-only opens (verify,
    // events) would otherwise do every time.
    rocksdb::FlushOptions flush;
    flush.wait = true;
    const rocksdb::Status flushed = db_->Flush(flush, handles_);
    if (!flushed.ok()) log::warn("flushing the ledger at close", {{"rocksdb", flushed.ToString()}});
  }
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  const rocksdb::Status s = db_->Close();
  if (!s.ok()) log::error("closing the ledger", {{"rocksdb", s.ToString()}});
  delete db_;
}

Head Store::head() const {
  std::lock_guard lock(mu_);
  return head_;
}

std::uint64_t Store::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

std::unique_ptr<StoreReader> Store::reader(bool consistent) const {
  // A read-only database never changes, so it needs no snapshot.
  const rocksdb::Snapshot* snapshot = read_only_ || !consistent ? nullptr : db_->GetSnapshot();
  std::unique_ptr<StoreReader> reader(new StoreReader(*this, snapshot));
  // Only the writer moves the head, and it moves it in the same write as the
  // events: whatever head the snapshot holds covers exactly its events. The
  // in-memory head may already be newer, so it is not used here.
  reader->head_ = head();
  std::string value;
  rocksdb::ReadOptions r;
  r.snapshot = snapshot;
  const rocksdb::Status s =
      db_->Get(r, handle(Family::kMeta), slice(kHeadKey), &value);
  if (s.ok()) {
    if (const auto decoded = decode_head(value)) reader->head_ = *decoded;
  }
  return reader;
}

Status Store::write(StoreBatch& batch, const Head& new_head) {
  FL_CHECK(&batch.store_ == this);
  FL_CHECK(batch.save_points_ == 0);
  if (read_only_) return Status::error(Code::kReadOnly, "the ledger was opened read-only");
  {
    std::lock_guard lock(mu_);
    if (failed_) {
      return Status::error(Code::kStoreFailed,
                           "an earlier write to the ledger failed; nothing more is appended "
                           "until the ledger is reopened");
    }
    FL_CHECK(new_head.size >= head_.size);
  }
  FL_CHECK(batch.batch_->Put(handle(Family::kMeta), slice(kHeadKey), encode_head(new_head)).ok());
  const rocksdb::Status s = db_->Write(synced(), batch.batch_.get());
  std::lock_guard lock(mu_);
  if (!s.ok()) {
    failed_ = true;
    return storage_error("writing to the ledger", s);
  }
  head_ = new_head;
  ++writes_;
  return Status::ok();
}

Status Store::settle() const {
  const auto busy = [this](const std::string& property, std::uint64_t& value) {
    return db_->GetAggregatedIntProperty(property, &value);
  };
  for (;;) {
    std::uint64_t compacting = 0, compaction_due = 0, flushing = 0, flush_due = 0;
    if (!busy(rocksdb::DB::Properties::kNumRunningCompactions, compacting) ||
        !busy(rocksdb::DB::Properties::kCompactionPending, compaction_due) ||
        !busy(rocksdb::DB::Properties::kNumRunningFlushes, flushing) ||
        !busy(rocksdb::DB::Properties::kMemTableFlushPending, flush_due)) {
      return Status::error(Code::kStorageError, "RocksDB does not report its background work");
    }
    if (compacting + compaction_due + flushing + flush_due == 0) return Status::ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

Status Store::reset(Family family) {
  FL_CHECK(family == Family::kState || family == Family::kSnapshots);
  if (read_only_) return Status::error(Code::kReadOnly, "the ledger was opened read-only");
  const auto index = static_cast<std::size_t>(family);
  rocksdb::Status s = db_->DropColumnFamily(handles_[index]);
  if (!s.ok()) return storage_error("dropping the projection", s);
  FL_CHECK(db_->DestroyColumnFamilyHandle(handles_[index]).ok());
  handles_[index] = nullptr;
  s = db_->CreateColumnFamily(family_options(family), family_names()[index], &handles_[index]);
  if (!s.ok()) return storage_error("creating the projection's family", s);
  return Status::ok();
}

rocksdb::ColumnFamilyHandle* Store::handle(Family family) const {
  return handles_[static_cast<std::size_t>(family)];
}

}  // namespace fundledger
