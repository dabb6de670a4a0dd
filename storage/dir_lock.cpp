#include "storage/dir_lock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <unistd.h>

namespace switchboard {

DirLock::~DirLock() {
  if (fd_ >= 0) ::close(fd_);
}

void DirLock::ForgetInChild() {
  ::close(fd_);
  fd_ = -1;
}

Status DirLock::Acquire(const std::string& dir, bool create, std::unique_ptr<DirLock>* out) {
  if (create) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IOError("cannot create database directory " + dir + ": " + ec.message());
  }
  std::string path = dir + "/switchboard.lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::Busy("database directory " + dir + " is already in use by another switchboard process");
    }
    return Status::IOError("cannot lock " + path + ": " + std::strerror(err));
  }
  out->reset(new DirLock(fd));
  return Status::OK();
}

}  // namespace switchboard
