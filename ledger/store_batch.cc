// Writes: a batch that lands atomically with the new head, and a load of
// table files added to the store in one step.

#include <cstring>

#include <rocksdb/db.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/write_batch.h>

#include "ledger/store_internal.h"
#include "util/check.h"

namespace fundledger {

using namespace store_internal;

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


}  // namespace fundledger
