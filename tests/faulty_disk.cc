#include "tests/faulty_disk.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/system_clock.h>

namespace fundledger::test {

namespace fs = std::filesystem;
using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;

// Returns the failure `check` gives, if it gives one.
#define FL_FAULT(check)                          \
  do {                                           \
    IOStatus fault_ = (check);                   \
    if (!fault_.ok()) return fault_;             \
  } while (0)

// What the disk holds beyond what was synced, and what fails.
struct FaultyDisk::Impl {
  struct File {
    std::uint64_t size = 0;
    std::uint64_t synced = 0;
  };
  struct Rename {
    std::string from, to;
    std::optional<std::string> replaced;  // what `to` held before, if it existed
  };

  mutable std::mutex mu;
  unsigned failing = 0;
  unsigned after_ops = 0;
  std::uint64_t after_count = 0;
  bool failed = false;
  std::map<std::string, File> files;     // written since they were opened
  std::set<std::string> new_entries;     // created or linked, their directory not synced since
  std::vector<Rename> renames;           // their directory not synced since

  // Whether `op` fails now; counts it when a failure waits for a count.
  IOStatus check(Op op) {
    std::lock_guard lock(mu);
    if ((after_ops & op) != 0) {
      if (after_count == 0) {
        failing |= after_ops;
        after_ops = 0;
      } else {
        --after_count;
      }
    }
    if ((failing & op) == 0) return IOStatus::OK();
    failed = true;
    return IOStatus::IOError("injected failure");
  }

  void created(const std::string& path, std::uint64_t size) {
    std::lock_guard lock(mu);
    if (!fs::exists(path)) new_entries.insert(path);
    files[path] = File{size, size};
  }

  void synced_directory(const std::string& dir) {
    std::lock_guard lock(mu);
    const auto in_dir = [&dir](const std::string& path) { return fs::path(path).parent_path() == fs::path(dir); };
    std::erase_if(new_entries, in_dir);
    std::erase_if(renames, [&](const Rename& r) { return in_dir(r.to); });
  }

  void lose_unsynced() {
    std::lock_guard lock(mu);
    for (auto r = renames.rbegin(); r != renames.rend(); ++r) {
      std::error_code ignored;
      if (r->replaced) {
        std::ofstream(r->to, std::ios::binary | std::ios::trunc) << *r->replaced;
      } else {
        fs::remove(r->to, ignored);
      }
      files.erase(r->to);
    }
    for (const std::string& path : new_entries) {
      std::error_code ignored;
      fs::remove(path, ignored);
      files.erase(path);
    }
    for (const auto& [path, file] : files) {
      std::error_code ignored;
      if (file.synced < file.size && fs::exists(path)) fs::resize_file(path, file.synced, ignored);
    }
    files.clear();
    new_entries.clear();
    renames.clear();
    failing = 0;
    after_ops = 0;
  }
};

namespace {

class WritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  WritableFile(std::unique_ptr<rocksdb::FSWritableFile>&& f, FaultyDisk::Impl& disk, std::string path)
      : FSWritableFileOwnerWrapper(std::move(f)), disk_(disk), path_(std::move(path)) {}

  IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kWrite));
    return appended(FSWritableFileOwnerWrapper::Append(data, o, d), data.size());
  }
  IOStatus Append(const rocksdb::Slice& data, const IOOptions& o, const rocksdb::DataVerificationInfo& v,
                  IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kWrite));
    return appended(FSWritableFileOwnerWrapper::Append(data, o, v, d), data.size());
  }
  IOStatus Truncate(std::uint64_t size, const IOOptions& o, IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kWrite));
    IOStatus s = FSWritableFileOwnerWrapper::Truncate(size, o, d);
    if (s.ok()) {
      std::lock_guard lock(disk_.mu);
      disk_.files[path_].size = size;
    }
    return s;
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kSync));
    return synced(FSWritableFileOwnerWrapper::Sync(o, d));
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kSync));
    return synced(FSWritableFileOwnerWrapper::Fsync(o, d));
  }

 private:
  IOStatus appended(IOStatus s, std::size_t bytes) {
    if (s.ok()) {
      std::lock_guard lock(disk_.mu);
      disk_.files[path_].size += bytes;
    }
    return s;
  }
  IOStatus synced(IOStatus s) {
    if (s.ok()) {
      std::lock_guard lock(disk_.mu);
      FaultyDisk::Impl::File& f = disk_.files[path_];
      f.synced = f.size;
    }
    return s;
  }

  FaultyDisk::Impl& disk_;
  std::string path_;
};

class Directory : public rocksdb::FSDirectoryWrapper {
 public:
  Directory(std::unique_ptr<rocksdb::FSDirectory>&& d, FaultyDisk::Impl& disk, std::string path)
      : FSDirectoryWrapper(std::move(d)), disk_(disk), path_(std::move(path)) {}
  IOStatus Fsync(const IOOptions& o, IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kDirSync));
    return synced(FSDirectoryWrapper::Fsync(o, d));
  }
  IOStatus FsyncWithDirOptions(const IOOptions& o, IODebugContext* d,
                               const rocksdb::DirFsyncOptions& options) override {
    FL_FAULT(disk_.check(FaultyDisk::kDirSync));
    return synced(FSDirectoryWrapper::FsyncWithDirOptions(o, d, options));
  }

 private:
  IOStatus synced(IOStatus s) {
    if (s.ok()) disk_.synced_directory(path_);
    return s;
  }
  FaultyDisk::Impl& disk_;
  std::string path_;
};

class TableFile : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  TableFile(std::unique_ptr<rocksdb::FSRandomAccessFile>&& f, FaultyDisk::Impl& disk)
      : FSRandomAccessFileOwnerWrapper(std::move(f)), disk_(disk) {}
  IOStatus Read(std::uint64_t offset, std::size_t n, const IOOptions& o, rocksdb::Slice* result, char* scratch,
                IODebugContext* d) const override {
    FL_FAULT(disk_.check(FaultyDisk::kRead));
    return FSRandomAccessFileOwnerWrapper::Read(offset, n, o, result, scratch, d);
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, std::size_t count, const IOOptions& o,
                     IODebugContext* d) override {
    FL_FAULT(disk_.check(FaultyDisk::kRead));
    return FSRandomAccessFileOwnerWrapper::MultiRead(reqs, count, o, d);
  }

 private:
  FaultyDisk::Impl& disk_;
};

class FileSystem : public rocksdb::FileSystemWrapper {
 public:
  explicit FileSystem(std::shared_ptr<FaultyDisk::Impl> disk)
      : FileSystemWrapper(rocksdb::FileSystem::Default()), disk_(std::move(disk)) {}
  const char* Name() const override { return "FaultyDisk"; }

  IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                           std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* d) override {
    FL_FAULT(disk_->check(FaultyDisk::kWrite));
    disk_->created(name, 0);
    IOStatus s = target()->NewWritableFile(name, o, result, d);
    if (s.ok()) *result = std::make_unique<WritableFile>(std::move(*result), *disk_, name);
    return s;
  }
  IOStatus ReopenWritableFile(const std::string& name, const rocksdb::FileOptions& o,
                              std::unique_ptr<rocksdb::FSWritableFile>* result, IODebugContext* d) override {
    FL_FAULT(disk_->check(FaultyDisk::kWrite));
    std::error_code ec;
    const std::uint64_t size = fs::exists(name) ? fs::file_size(name, ec) : 0;
    disk_->created(name, size);
    IOStatus s = target()->ReopenWritableFile(name, o, result, d);
    if (s.ok()) *result = std::make_unique<WritableFile>(std::move(*result), *disk_, name);
    return s;
  }
  IOStatus NewDirectory(const std::string& name, const IOOptions& o, std::unique_ptr<rocksdb::FSDirectory>* result,
                        IODebugContext* d) override {
    IOStatus s = target()->NewDirectory(name, o, result, d);
    if (s.ok()) *result = std::make_unique<Directory>(std::move(*result), *disk_, name);
    return s;
  }
  IOStatus NewRandomAccessFile(const std::string& name, const rocksdb::FileOptions& o,
                               std::unique_ptr<rocksdb::FSRandomAccessFile>* result, IODebugContext* d) override {
    IOStatus s = target()->NewRandomAccessFile(name, o, result, d);
    if (s.ok() && name.ends_with(".sst")) *result = std::make_unique<TableFile>(std::move(*result), *disk_);
    return s;
  }
  IOStatus RenameFile(const std::string& from, const std::string& to, const IOOptions& o,
                      IODebugContext* d) override {
    FL_FAULT(disk_->check(FaultyDisk::kRename));
    std::optional<std::string> replaced;
    if (fs::exists(to)) {
      std::ifstream in(to, std::ios::binary);
      replaced.emplace(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    IOStatus s = target()->RenameFile(from, to, o, d);
    if (s.ok()) {
      std::lock_guard lock(disk_->mu);
      if (auto f = disk_->files.find(from); f != disk_->files.end()) {
        disk_->files[to] = f->second;
        disk_->files.erase(f);
      }
      // A file never synced into its directory under its first name is
      // lost at a cut under its new one as well, or gives back what the new
      // name held before (CURRENT, written under a temporary name).
      const bool was_new = disk_->new_entries.erase(from) != 0;
      if (was_new && !replaced) {
        disk_->new_entries.insert(to);
      } else {
        disk_->renames.push_back({from, to, std::move(replaced)});
      }
    }
    return s;
  }
  IOStatus LinkFile(const std::string& from, const std::string& to, const IOOptions& o,
                    IODebugContext* d) override {
    FL_FAULT(disk_->check(FaultyDisk::kWrite));
    IOStatus s = target()->LinkFile(from, to, o, d);
    if (s.ok()) {
      std::lock_guard lock(disk_->mu);
      disk_->new_entries.insert(to);
    }
    return s;
  }

 private:
  std::shared_ptr<FaultyDisk::Impl> disk_;
};

// RocksDB waits a second after a failed background flush before it tries
// again; on this disk a failure is made on purpose, and 10 ms will do.
class Clock : public rocksdb::SystemClockWrapper {
 public:
  Clock() : SystemClockWrapper(rocksdb::SystemClock::Default()) {}
  const char* Name() const override { return "FaultyDiskClock"; }
  void SleepForMicroseconds(int micros) override { target_->SleepForMicroseconds(std::min(micros, 10000)); }
};

class Env : public rocksdb::EnvWrapper {
 public:
  explicit Env(std::unique_ptr<rocksdb::Env> composite) : EnvWrapper(std::move(composite)) {
    system_clock_ = std::make_shared<Clock>();
  }
  const char* Name() const override { return "FaultyDiskEnv"; }
  void SleepForMicroseconds(int micros) override { system_clock_->SleepForMicroseconds(micros); }
};

}  // namespace

FaultyDisk::FaultyDisk()
    : impl_(std::make_shared<Impl>()),
      env_(std::make_unique<Env>(rocksdb::NewCompositeEnv(std::make_shared<FileSystem>(impl_)))) {}

FaultyDisk::~FaultyDisk() = default;

rocksdb::Env* FaultyDisk::env() const { return env_.get(); }

void FaultyDisk::fail(unsigned ops) {
  std::lock_guard lock(impl_->mu);
  impl_->failing = ops;
  impl_->after_ops = 0;
  impl_->failed = false;
}

void FaultyDisk::fail_after(unsigned ops, std::uint64_t count) {
  std::lock_guard lock(impl_->mu);
  impl_->failing = 0;
  impl_->after_ops = ops;
  impl_->after_count = count;
  impl_->failed = false;
}

bool FaultyDisk::failed() const {
  std::lock_guard lock(impl_->mu);
  return impl_->failed;
}

void FaultyDisk::lose_unsynced() { impl_->lose_unsynced(); }

}  // namespace fundledger::test
