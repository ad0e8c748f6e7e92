#include "util/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

namespace fundledger {
namespace {

Status failed(const std::string& what, const std::filesystem::path& path, int error) {
  return Status::error(Code::kStorageError, what + " " + path.string() + ": " + std::strerror(error));
}

// Writes `bytes` to `path` under a temporary name, synced, and renames it
// into place (over an existing file only when `replace`).
Status write_durably(const std::filesystem::path& path, std::string_view bytes, mode_t mode, bool replace) {
  if (!replace && ::access(path.c_str(), F_OK) == 0) return failed("cannot create", path, EEXIST);
  const std::filesystem::path partial = path.string() + ".partial";
  ::unlink(partial.c_str());  // a leftover of a run that stopped
  const int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return failed("cannot create", path, errno);
  int error = 0;
  for (std::size_t done = 0; error == 0 && done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) error = n < 0 ? errno : EIO;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0) {
    const int renamed = replace ? ::rename(partial.c_str(), path.c_str())
                                : ::renameat2(AT_FDCWD, partial.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE);
    if (renamed != 0) error = errno;
  }
  if (error != 0) {
    ::unlink(partial.c_str());
    return failed(error == EEXIST ? "cannot create" : "cannot write", path, error);
  }
  return sync_directory(path.parent_path());
}

}  // namespace

Status write_new_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  return write_durably(path, bytes, mode, false);
}

Status replace_file(const std::filesystem::path& path, std::string_view bytes, mode_t mode) {
  return write_durably(path, bytes, mode, true);
}

Result<std::string> read_text_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::error(Code::kStorageError, "cannot read " + path.string() + ": " + std::strerror(errno));
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::error(Code::kStorageError, "cannot read " + path.string());
  return text;
}

Status sync_directory(const std::filesystem::path& dir) {
  const std::filesystem::path name = dir.empty() ? "." : dir;
  const int fd = ::open(name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return failed("cannot open the directory", name, errno);
  const int synced = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return synced == 0 ? Status::ok() : failed("cannot sync the directory", name, synced);
}

Status check_private(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return errno == ENOENT ? Status::ok() : failed("cannot read", path, errno);
  if ((st.st_mode & 077) == 0) return Status::ok();
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
  return Status::error(Code::kStorageError,
                       path.string() + " may be read by others than its owner (mode " + mode + "); chmod 600 it");
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
  FL_RETURN_IF_ERROR(sync_directory(path_));
  std::error_code ec;
  std::filesystem::rename(path_, target_, ec);
  if (ec) {
    return Status::error(Code::kStorageError,
                         "cannot rename " + path_.string() + " to " + target_.string() + ": " + ec.message());
  }
  committed_ = true;
  return sync_directory(target_.parent_path());
}

}  // namespace fundledger
