#include "util/files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fundledger {

Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Status::error(Code::kStorageError, "cannot create " + path.string() + ": " + std::strerror(errno));
  bool ok = true;
  for (std::size_t done = 0; ok && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = ::close(fd) == 0 && ok;
  return ok ? Status::ok() : Status::error(Code::kStorageError, "cannot write " + path.string());
}

void sync_directory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

PartialDirectory::PartialDirectory(const std::filesystem::path& target)
    : target_(target), path_(target.string() + ".partial") {}

PartialDirectory::~PartialDirectory() {
  if (committed_) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Status PartialDirectory::create() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
  if (!std::filesystem::create_directories(path_, ec) || ec) {
    return Status::error(Code::kStorageError, "cannot create " + path_.string());
  }
  return Status::ok();
}

Status PartialDirectory::commit() {
  sync_directory(path_);
  std::error_code ec;
  std::filesystem::rename(path_, target_, ec);
  if (ec) {
    return Status::error(Code::kStorageError,
                         "cannot rename " + path_.string() + " to " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  sync_directory(target_.parent_path());
  return Status::ok();
}

}  // namespace fundledger
