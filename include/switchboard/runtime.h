// Runtime: what the engines of one process share, in the spirit of LevelDB's Env: one actor system
// (its scheduler threads), one clock for commands that carry no time, and one store factory (one
// block cache and one memtable budget for every store it opens). A process hosting many independent desks (tenants)
// opens each desk's Engine on the same Runtime; an Engine opened without one gets a private Runtime. Nothing
// process-wide is changed by a Runtime or an Engine (no RocksDB Env setting, no signal, no allocator option): the
// process stays its owner's.
//
// Thread-safety: a Runtime may be used by any number of engines and threads. It must outlive every
// Engine opened on it (each Engine holds a reference, so this is automatic with shared_ptr).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace switchboard {

// The clock for commands that carry no `at` (milliseconds since the epoch). Commands with `at` (and
// every replay) never read it: it only stamps live input that did not say when it happened.
class Clock {
 public:
  virtual ~Clock();
  virtual std::int64_t NowMillis() = 0;
};

// The system clock.
std::shared_ptr<Clock> SystemClock();

struct RuntimeOptions {
  // Scheduler threads of the actor system shared by the engines (the desks, journals and lookup
  // workers that block run on threads of their own). Default: 2.
  std::size_t scheduler_threads = 1;
  // The one block cache of every store opened on this runtime (index and filter blocks too).
  // Default: 32 MiB.
  std::size_t block_cache_bytes = 32u << 20;
  // The one memtable budget of every store opened on this runtime (RocksDB's WriteBufferManager):
  // the stores' memtables together are flushed when they reach it, so a busy desk may use what
  // idle ones leave and memory does not grow with the number of desks. Default: 64 MiB.
  std::size_t memtable_bytes = 64u << 20;
  // Default: SystemClock().
  std::shared_ptr<Clock> clock;
};

class Runtime {
 public:
  virtual ~Runtime();
  static std::shared_ptr<Runtime> Create(const RuntimeOptions& options = RuntimeOptions());
  // How many engines are open on this runtime now.
  virtual std::size_t Engines() const = 0;
};

}  // namespace switchboard
