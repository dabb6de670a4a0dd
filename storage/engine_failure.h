// EngineFailure: the engine's one sticky infrastructure failure (LevelDB's bg_error_).
//
// The first failure of the store under the deciding path (a journal write, an idempotency read) is
// recorded here; from then on the desk decides nothing and the journal writes nothing, and every
// command is acknowledged with this same Status, whose sentence names that first cause. Deciding on
// would build state in memory that the log will never hold (and start lookups for it); answering
// "not a duplicate" after a failed read could apply a command twice. Only a restart clears it.
// Thread-safety: every method is safe from any thread; ok() is one atomic load.
#pragma once

#include <atomic>
#include <mutex>

#include "switchboard/status.h"

namespace switchboard {

class EngineFailure {
 public:
  // Records `cause` (not OK) unless a failure is already recorded; returns the one recorded.
  Status Record(const Status& cause) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.ok()) {
      error_ = cause;
      failed_.store(true, std::memory_order_release);
    }
    return error_;
  }

  bool ok() const { return !failed_.load(std::memory_order_acquire); }

  Status Get() const {
    if (ok()) return Status::OK();
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  std::atomic<bool> failed_{false};
  mutable std::mutex mu_;
  Status error_;  // under mu_
};

}  // namespace switchboard
