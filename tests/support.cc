#include "tests/support.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include "domain/views.h"
#include "ledger/replay.h"
#include "util/canonical.h"
#include "util/hash.h"

namespace fundledger::test {

WriterOptions fixed_clock_options() {
  WriterOptions o;
  auto now = std::make_shared<Millis>(1795428930123);  // 2026-11-23T10:15:30.123Z
  o.clock = [now] { return (*now)++; };
  return o;
}

Ledger::Ledger() {
  REQUIRE(Store::create(dir.path(), "test.example/ledger").is_ok());
  reopen();
}

std::vector<Receipt> Ledger::append(std::string_view jsonl) {
  AppendResult r = try_append(jsonl);
  REQUIRE(r.status.to_string() == "ok");
  return r.receipts;
}

AppendResult Ledger::try_append(std::string_view jsonl) {
  return writer->append(drafts(jsonl), actor);
}

void Ledger::close() {
  writer.reset();
  store.reset();
}

void Ledger::reopen() {
  close();
  Result<std::unique_ptr<Store>> opened = Store::open(dir.path(), options);
  REQUIRE(opened.status().to_string() == "ok");
  store = std::move(*opened);
  writer = std::make_unique<Writer>(*store, fixed_clock_options());
}

std::string fund_view(const FundState& state) {
  Result<nlohmann::json> v = render_view(state, ViewKind::kFund, "");
  REQUIRE(v.is_ok());
  return v->dump();
}

std::unique_ptr<FundState> replayed(const Store& store, std::uint64_t seq) {
  auto state = std::make_unique<FundState>();
  REQUIRE(replay(*store.reader(), *state, seq).to_string() == "ok");
  return state;
}

struct RawDb::Impl {
  rocksdb::DB* db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
};

RawDb::RawDb(const std::filesystem::path& dir) : impl_(std::make_unique<Impl>()) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : {"default", "events", "chain", "ids", "state", "snapshots", "tree"}) {
    families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  rocksdb::DBOptions options;
  const rocksdb::Status s =
      rocksdb::DB::Open(options, dir.string(), families, &impl_->handles, &impl_->db);
  REQUIRE(s.ToString() == "OK");
}

RawDb::~RawDb() {
  for (auto* h : impl_->handles) impl_->db->DestroyColumnFamilyHandle(h).PermitUncheckedError();
  impl_->db->Close().PermitUncheckedError();
  delete impl_->db;
}

std::string RawDb::get(Family family, std::string_view key) {
  std::string value;
  const rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(),
                                           impl_->handles[static_cast<int>(family)],
                                           rocksdb::Slice(key.data(), key.size()), &value);
  REQUIRE(s.ToString() == "OK");
  return value;
}

void RawDb::put(Family family, std::string_view key, std::string_view value) {
  rocksdb::WriteOptions w;
  w.sync = true;
  REQUIRE(impl_->db
              ->Put(w, impl_->handles[static_cast<int>(family)],
                    rocksdb::Slice(key.data(), key.size()),
                    rocksdb::Slice(value.data(), value.size()))
              .ok());
}

void RawDb::remove(Family family, std::string_view key) {
  rocksdb::WriteOptions w;
  w.sync = true;
  REQUIRE(impl_->db
              ->Delete(w, impl_->handles[static_cast<int>(family)],
                       rocksdb::Slice(key.data(), key.size()))
              .ok());
}

void forge_event(const std::filesystem::path& dir, std::uint64_t seq,
                 const std::function<void(nlohmann::json&)>& change) {
  RawDb db(dir);
  const std::string head = db.get(Family::kMeta, "head");
  const std::optional<std::uint64_t> size = seq_from_key(head.substr(0, seq_key(0).size()));
  REQUIRE(size.has_value());
  REQUIRE(seq <= *size);
  nlohmann::json e = nlohmann::json::parse(db.get(Family::kEvents, seq_key(seq)));
  change(e);
  db.put(Family::kEvents, seq_key(seq), canonical_json(e));
  std::string page = db.get(Family::kChain, seq_key(1));
  const auto at = [](std::uint64_t s) { return (s - 1) * kHashBytes; };
  Hash chain = seq == 1 ? kZeroHash : *hash_from_bytes(page.substr(at(seq - 1) + 32, 32));
  for (std::uint64_t s = seq; s <= *size; ++s) {
    const Hash leaf = leaf_hash(db.get(Family::kEvents, seq_key(s)));
    chain = chain_hash(chain, leaf);
    page.replace(at(s), 32, hash_bytes(leaf));
    page.replace(at(s) + 32, 32, hash_bytes(chain));
  }
  db.put(Family::kChain, seq_key(1), page);
  db.put(Family::kMeta, "head", seq_key(*size) + std::string(hash_bytes(chain)));
}

namespace {
std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

Run run_cli(const std::string& args, const std::string& input) {
  TempDir io;
  const auto in = io.path() / "in";
  const auto out = io.path() / "out";
  const auto err = io.path() / "err";
  std::ofstream(in, std::ios::binary) << input;
  const std::string command = std::string(FUNDLEDGER_BIN) + " " + args + " <" + in.string() +
                              " >" + out.string() + " 2>" + err.string();
  const int status = std::system(command.c_str());
  Run r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace fundledger::test
