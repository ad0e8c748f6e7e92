#include "ledger/witness_state.h"

#include <rocksdb/db.h>

#include "ledger/store_internal.h"

namespace fundledger {

using store_internal::get_be64;
using store_internal::put_be64;
using store_internal::slice;

namespace {

std::optional<WitnessedHead> decode(std::string_view value) {
  if (value.size() != 8 + 32) return std::nullopt;
  WitnessedHead head;
  head.size = get_be64(value.data());
  std::copy(value.begin() + 8, value.end(), head.root.begin());
  return head;
}

std::string encode(const WitnessedHead& head) {
  std::string out(8, '\0');
  put_be64(out.data(), head.size);
  out.append(reinterpret_cast<const char*>(head.root.data()), head.root.size());
  return out;
}

}  // namespace

WitnessState::WitnessState(rocksdb::DB* db) : db_(db) {}

WitnessState::~WitnessState() {
  if (db_) (void)db_->Close();
}

Result<std::unique_ptr<WitnessState>> WitnessState::open(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!ec) std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) return Status::error(Code::kStorageError, "cannot create " + dir.string() + ": " + ec.message());
  rocksdb::Options o(store_internal::db_options(nullptr), rocksdb::ColumnFamilyOptions());
  o.create_if_missing = true;
  rocksdb::DB* db = nullptr;
  const rocksdb::Status s = rocksdb::DB::Open(o, dir.string(), &db);
  if (!s.ok()) return store_internal::storage_error("opening the witness's state in " + dir.string(), s);
  return std::unique_ptr<WitnessState>(new WitnessState(db));
}

std::optional<WitnessedHead> WitnessState::held(const std::string& origin) const {
  std::string value;
  const rocksdb::Status s = db_->Get(store_internal::checked_read(nullptr), slice(origin), &value);
  if (!s.ok()) return std::nullopt;
  return decode(value);
}

std::map<std::string, WitnessedHead> WitnessState::all() const {
  std::map<std::string, WitnessedHead> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(store_internal::checked_read(nullptr)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (const std::optional<WitnessedHead> head = decode(it->value().ToStringView())) {
      out.emplace(it->key().ToString(), *head);
    }
  }
  return out;
}

Result<WitnessAnswer> WitnessState::decide(
    const std::string& origin, const std::function<WitnessAnswer(const std::optional<WitnessedHead>&)>& decide) {
  const std::lock_guard lock(mu_);
  std::string value;
  const rocksdb::Status read = db_->Get(store_internal::checked_read(nullptr), slice(origin), &value);
  if (!read.ok() && !read.IsNotFound()) return store_internal::storage_error("reading the head held", read);
  std::optional<WitnessedHead> held;
  if (read.ok()) {
    held = decode(value);
    if (!held) return Status::error(Code::kStoreCorrupt, "the head held of " + origin + " cannot be read");
  }
  WitnessAnswer answer = decide(held);
  if (answer.keep) {
    const rocksdb::Status s = db_->Put(store_internal::synced(), slice(origin), encode(*answer.keep));
    if (!s.ok()) return store_internal::storage_error("keeping the head cosigned", s);
  }
  return answer;
}

}  // namespace fundledger
