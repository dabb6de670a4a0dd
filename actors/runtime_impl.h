// The Runtime of include/switchboard/runtime.h: one CAF actor system, one clock, one block cache,
// shared by the engines opened on it. Engines reach its parts through this header.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <atomic>
#include <memory>
#include <mutex>

#include "switchboard/runtime.h"

namespace rocksdb {
class Cache;
class WriteBufferManager;
}  // namespace rocksdb

namespace switchboard {

class RuntimeImpl final : public Runtime {
 public:
  explicit RuntimeImpl(const RuntimeOptions& options);
  ~RuntimeImpl() override;

  std::size_t Engines() const override { return engines_.load(); }

  // Started at the first engine that runs actors (a read-only engine needs none).
  caf::actor_system& system();
  const std::shared_ptr<Clock>& clock_handle() const { return clock_; }
  const std::shared_ptr<rocksdb::Cache>& block_cache() const { return block_cache_; }
  const std::shared_ptr<rocksdb::WriteBufferManager>& memtable_budget() const { return memtable_budget_; }
  // An engine opened, or closed, on this runtime.
  void Attach() { ++engines_; }
  void Detach() { --engines_; }

 private:
  caf::actor_system_config config_;
  std::once_flag started_;
  std::unique_ptr<caf::actor_system> system_;
  std::shared_ptr<Clock> clock_;
  std::shared_ptr<rocksdb::Cache> block_cache_;
  std::shared_ptr<rocksdb::WriteBufferManager> memtable_budget_;
  std::atomic<std::size_t> engines_{0};
};

}  // namespace switchboard
