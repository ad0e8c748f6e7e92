// Reads: a consistent view of the store at one instant, cursors over a
// family and over the pages of hashes.

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>

#include "ledger/store_internal.h"
#include "util/check.h"

namespace fundledger {

using namespace store_internal;

// --- StoreReader --------------------------------------------------------------

StoreReader::StoreReader(const Store& store, std::shared_lock<std::shared_mutex> open,
                         const rocksdb::Snapshot* snapshot)
    : open_(std::move(open)), store_(store), snapshot_(snapshot) {}

StoreReader::~StoreReader() {
  if (snapshot_ != nullptr) store_.db_->ReleaseSnapshot(snapshot_);
}

Result<std::optional<std::string>> StoreReader::get(Family family, std::string_view key) const {
  rocksdb::ReadOptions r = checked_read(snapshot_);
  std::string value;
  const rocksdb::Status s = store_.db_->Get(r, store_.handle(family), slice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return storage_error("reading the ledger", s);
  return std::optional<std::string>(std::move(value));
}

Result<std::optional<std::pair<std::string, std::string>>> StoreReader::last_with_prefix(
    Family family, std::string_view prefix) const {
  rocksdb::ReadOptions r = checked_read(snapshot_);
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
  rocksdb::ReadOptions r = checked_read(snapshot_);
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
  rocksdb::ReadOptions r = checked_read(snapshot_);
  if (seek == Seek::kScan) {
    r.fill_cache = false;
    r.readahead_size = 2 << 20;
  }
  return std::make_unique<PageCursor>(store_.db_->NewIterator(r, store_.handle(Family::kChain)), seq);
}

Result<std::optional<EventHashes>> StoreReader::hashes(std::uint64_t seq) const {
  rocksdb::ReadOptions r = checked_read(snapshot_);
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
  rocksdb::ReadOptions r = checked_read(snapshot_);
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

}  // namespace fundledger
