#pragma once
// A disk for tests that goes bad on demand under RocksDB: it fails the
// operations it is told to (writes, syncs, renames, directory syncs, reads
// of table files), now or after a count of them so that a test can fail
// each one in turn, and at a simulated power cut loses what was not synced, as RocksDB's own
// FaultInjectionTestFS does: each file falls back to what its last sync
// held, a file created or renamed since its directory was last synced is
// gone (or back under its old name's content). Open a store on it with
// OpenOptions{.env = disk.env()}.

#include <cstdint>
#include <memory>

namespace rocksdb {
class Env;
}

namespace fundledger::test {

class FaultyDisk {
 public:
  // The operations that can be failed, as bits.
  enum Op : unsigned {
    kWrite = 1,     // appending to a file, creating one, linking one
    kSync = 2,      // a file's sync
    kRename = 4,
    kDirSync = 8,   // a directory's sync
    kRead = 16,     // reading a table file (.sst)
    kEveryWrite = kWrite | kSync | kRename | kDirSync,
  };

  FaultyDisk();
  ~FaultyDisk();
  FaultyDisk(const FaultyDisk&) = delete;
  FaultyDisk& operator=(const FaultyDisk&) = delete;

  rocksdb::Env* env() const;

  // The operations in `ops` fail from now on (0: none fails).
  void fail(unsigned ops);
  // The operations in `ops` succeed `count` more times, then fail from the
  // next one on: a power cut at that point when `ops` is kEveryWrite.
  void fail_after(unsigned ops, std::uint64_t count);
  // Whether an operation has failed since the last fail or fail_after.
  bool failed() const;

  // After a power cut, with every store on the disk closed: leaves on the
  // disk only what was synced, and works again.
  void lose_unsynced();

  struct Impl;  // the files and their wrappers, in faulty_disk.cc

 private:
  std::shared_ptr<Impl> impl_;
  std::unique_ptr<rocksdb::Env> env_;
};

}  // namespace fundledger::test
