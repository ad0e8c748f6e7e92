#include "ledger/store.h"

#include <chrono>
#include <cstring>
#include <thread>

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/write_batch.h>

#include "ledger/store_internal.h"
#include "util/check.h"
#include "util/log.h"

namespace fundledger {
namespace store_internal {

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


// What the operating system said of a failed write ("No space left on
// device"), without the file's path that RocksDB puts before it.
std::string os_reason(const rocksdb::Status& s) {
  const std::string text = s.ToString();
  const std::size_t colon = text.rfind(": ");
  return colon == std::string::npos ? text : text.substr(colon + 2);
}

Status unavailable(const std::string& reason) {
  return Status::error(Code::kStorageUnavailable,
                       "the ledger cannot write to its disk (" + reason +
                           "); nothing was acknowledged: send the same events again once it answers");
}

Status storage_error(const std::string& what, const rocksdb::Status& s) {
  log::error("storage error", {{"during", what}, {"rocksdb", s.ToString()}});
  return Status::error(Code::kStorageError, what + ": " + s.ToString());
}


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


}  // namespace store_internal

using namespace store_internal;

std::string seq_key(std::uint64_t seq) {
  std::string out(8, '\0');
  put_be64(out.data(), seq);
  return out;
}

Status unreadable_event(std::uint64_t seq) {
  return Status::error(Code::kStoreCorrupt,
                       "event " + std::to_string(seq) + " cannot be read; run `fundledger verify`");
}

std::optional<std::uint64_t> seq_from_key(std::string_view key) {
  if (key.size() != 8) return std::nullopt;
  return get_be64(key.data());
}

// --- Store ----------------------------------------------------------------------

Status Store::create(const std::filesystem::path& dir, std::string_view origin) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  // Only its owner may read the ledger: the directory 0700, and RocksDB's
  // files 0600 (the program runs under umask 077, tools/main.cc).
  if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
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
  const rocksdb::Status s = store->open_db(options.read_only);
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
    // A ledger's directory is its owner's alone (`init` makes it so; one
    // made by an earlier version, or by hand, is made so here).
    std::error_code mode_ec;
    const auto perms = std::filesystem::status(dir, mode_ec).permissions();
    if (!mode_ec && (perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
                        std::filesystem::perms::none) {
      std::filesystem::permissions(dir, std::filesystem::perms::owner_all, mode_ec);
      log::warn("the ledger's directory could be read by others than its owner; it is now 0700",
                {{"data", dir.string()}});
    }
    // What a load left when a crash stopped it before its commit: never
    // part of the ledger, and never read.
    std::error_code ignored;
    std::filesystem::remove_all(load_dir(dir), ignored);
  }
  return store;
}

rocksdb::Status Store::open_db(bool read_only) {
  rocksdb::DBOptions o = db_options(env_);
  // A ledger made before a family was added gets it, empty, when opened
  // for writing.
  o.create_missing_column_families = !read_only;
  if (read_only) return rocksdb::DB::OpenForReadOnly(o, dir_.string(), family_descriptors(), &handles_, &db_);
  return rocksdb::DB::Open(o, dir_.string(), family_descriptors(), &handles_, &db_);
}

void Store::close_db() {
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  handles_.clear();
  const rocksdb::Status s = db_->Close();
  if (!s.ok()) log::warn("closing the ledger", {{"rocksdb", s.ToString()}});
  delete db_;
  db_ = nullptr;
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
  rocksdb::ReadOptions r = checked_read(nullptr);
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
  close_db();
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
  std::shared_lock open(open_mu_);
  // A read-only database never changes, so it needs no snapshot.
  const rocksdb::Snapshot* snapshot = read_only_ || !consistent ? nullptr : db_->GetSnapshot();
  std::unique_ptr<StoreReader> reader(new StoreReader(*this, std::move(open), snapshot));
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
    if (failure_) return unavailable(*failure_);
    FL_CHECK(new_head.size >= head_.size);
  }
  FL_CHECK(batch.batch_->Put(handle(Family::kMeta), slice(kHeadKey), encode_head(new_head)).ok());
  const rocksdb::Status s = db_->Write(synced(), batch.batch_.get());
  std::lock_guard lock(mu_);
  if (!s.ok()) {
    log::error("storage error", {{"during", "writing to the ledger"}, {"rocksdb", s.ToString()}});
    failure_ = os_reason(s);
    return unavailable(*failure_);
  }
  head_ = new_head;
  ++writes_;
  return Status::ok();
}

std::optional<std::string> Store::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

Status Store::recover() {
  {
    std::lock_guard lock(mu_);
    if (!failure_) return Status::ok();
  }
  const rocksdb::Status resumed = db_->Resume();
  if (resumed.IsBusy()) {
    // RocksDB is recovering by itself (it waits for free space after a full
    // disk), and the reason stays the one it met.
    std::lock_guard lock(mu_);
    return unavailable(*failure_);
  }
  return resumed.ok() ? resumed_head() : reopen();
}

Status Store::reopen() {
  if (!disk_takes_writes()) {
    std::lock_guard lock(mu_);
    return unavailable(*failure_);
  }
  {
    std::unique_lock open(open_mu_);
    close_db();
    const rocksdb::Status s = open_db(false);
    if (!s.ok()) {
      log::warn("the ledger's disk still fails", {{"rocksdb", s.ToString()}});
      // Reads go on from what is durable.
      const rocksdb::Status r = open_db(true);
      FL_CHECK(r.ok());
      std::lock_guard lock(mu_);
      failure_ = os_reason(s);
      return unavailable(*failure_);
    }
  }
  return resumed_head();
}

// The head as the database holds it after a recovery: the one last written,
// or further on when the failed write reached the disk after all.
Status Store::resumed_head() {
  const Head before = head();
  auto stored = reader()->get(Family::kMeta, kHeadKey);
  if (!stored) return stored.status();
  const std::optional<Head> decoded = stored->has_value() ? decode_head(**stored) : std::nullopt;
  if (!decoded || decoded->size < before.size) {
    return Status::error(Code::kStoreCorrupt, "after the disk failed, the ledger's stored head is before the "
                                              "last one written; restart and run `fundledger verify`");
  }
  {
    std::lock_guard lock(mu_);
    head_ = *decoded;
  }
  FL_RETURN_IF_ERROR(check_head());
  if (decoded->size > before.size) {
    log::warn("the write that failed reached the disk after all",
              {{"first_seq", before.size + 1}, {"last_seq", decoded->size}});
  }
  std::lock_guard lock(mu_);
  failure_.reset();
  log::info("the ledger's disk answers again; appending resumes", {{"tree_size", head_.size}});
  return Status::ok();
}

bool Store::disk_takes_writes() const {
  const std::shared_ptr<rocksdb::FileSystem> fs =
      env_ != nullptr ? env_->GetFileSystem() : rocksdb::FileSystem::Default();
  const std::string probe = (dir_ / "disk-probe").string();
  std::unique_ptr<rocksdb::FSWritableFile> file;
  rocksdb::IOStatus s = fs->NewWritableFile(probe, rocksdb::FileOptions(), &file, nullptr);
  if (s.ok()) s = file->Append("fundledger", rocksdb::IOOptions(), nullptr);
  if (s.ok()) s = file->Sync(rocksdb::IOOptions(), nullptr);
  if (file) file->Close(rocksdb::IOOptions(), nullptr).PermitUncheckedError();
  fs->DeleteFile(probe, rocksdb::IOOptions(), nullptr).PermitUncheckedError();
  return s.ok();
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

Status Store::clear_projection() {
  if (read_only_) return Status::error(Code::kReadOnly, "the ledger was opened read-only");
  // Every key of both families begins with a byte below 0xFF: an entity's
  // kind letter, or a snapshot's seq, big-endian, under 2^56.
  rocksdb::WriteBatch batch;
  for (const Family family : {Family::kState, Family::kSnapshots}) {
    FL_CHECK(batch.DeleteRange(handle(family), rocksdb::Slice(), rocksdb::Slice("\xff", 1)).ok());
  }
  const rocksdb::Status s = db_->Write(synced(), &batch);
  if (!s.ok()) return storage_error("emptying the projection", s);
  return Status::ok();
}

rocksdb::ColumnFamilyHandle* Store::handle(Family family) const {
  return handles_[static_cast<std::size_t>(family)];
}

}  // namespace fundledger
