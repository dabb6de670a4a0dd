// DirLock: one process at a time per database directory, with an error a person understands.
//
// RocksDB's own LOCK would refuse a second process too, but with a message about lock files; this
// lock is taken first (flock on DIR/switchboard.lock) and names the problem. Released on destruction
// and by the kernel when the process dies (kill -9 included).
#pragma once

#include <memory>
#include <string>

#include "switchboard/status.h"

namespace switchboard {

class DirLock {
 public:
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

  // Creates `dir` when missing, if `create`. Busy when another process holds it.
  static Status Acquire(const std::string& dir, bool create, std::unique_ptr<DirLock>* out);

  // In a child process made by fork(): closes its copy of the descriptor (never unlocking: the lock
  // is the parent's), so that a child outliving a killed parent does not keep the directory locked.
  void ForgetInChild();

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace switchboard
