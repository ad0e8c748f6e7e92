#pragma once
// What a witness (`fundledger witness`, api/witness.h) keeps: the latest
// tree head it cosigned of each log, in a small RocksDB of its own
// (origin -> 8-byte big-endian size || 32-byte root), each change one
// synced write. Checking a request against the head held and keeping the
// new one happen under one lock, so that two requests never both pass
// against the same head (c2sp.org/tlog-witness's rollback race).

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "audit/witness.h"
#include "util/status.h"

namespace rocksdb {
class DB;
}

namespace fundledger {

class WitnessState {
 public:
  // Opens the database in `dir`, made (0700) when absent. Refusal:
  // storage_error (another process holds it, the disk refuses).
  static Result<std::unique_ptr<WitnessState>> open(const std::filesystem::path& dir);
  ~WitnessState();
  WitnessState(const WitnessState&) = delete;
  WitnessState& operator=(const WitnessState&) = delete;

  // The head held of `origin`; none when it never cosigned one.
  std::optional<WitnessedHead> held(const std::string& origin) const;
  // Every head held, by origin.
  std::map<std::string, WitnessedHead> all() const;
  // Under the lock: `decide` answers from the head held of `origin`; the
  // head its answer keeps is written, synced, before the answer returns.
  // Refusal: storage_error (then nothing was kept, and the answer must not
  // be sent).
  Result<WitnessAnswer> decide(const std::string& origin,
                               const std::function<WitnessAnswer(const std::optional<WitnessedHead>&)>& decide);

 private:
  explicit WitnessState(rocksdb::DB* db);
  mutable std::mutex mu_;
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace fundledger
