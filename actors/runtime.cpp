#include <caf/all.hpp>

#include "actors/runtime_impl.h"
#include "events/time.h"
#include "storage/event_store.h"

namespace switchboard {

Clock::~Clock() = default;
Runtime::~Runtime() = default;

namespace {

class WallClock final : public Clock {
 public:
  std::int64_t NowMillis() override { return WallClockNow(); }
};

}  // namespace

std::shared_ptr<Clock> SystemClock() {
  static const std::shared_ptr<Clock> kClock = std::make_shared<WallClock>();
  return kClock;
}

RuntimeImpl::RuntimeImpl(const RuntimeOptions& options)
    : clock_(options.clock ? options.clock : SystemClock()),
      block_cache_(NewBlockCache(options.block_cache_bytes)),
      memtable_budget_(NewMemtableBudget(options.memtable_bytes)) {
  config_.set("scheduler.max-threads", options.scheduler_threads);
  config_.set("scheduler.policy", caf::atom("sharing"));
  config_.set("logger.verbosity", caf::atom("quiet"));
}

caf::actor_system& RuntimeImpl::system() {
  std::call_once(started_, [this] { system_ = std::make_unique<caf::actor_system>(config_); });
  return *system_;
}

// Every engine has closed (each holds the runtime): its actors are done, the system has none left.
RuntimeImpl::~RuntimeImpl() { system_.reset(); }

std::shared_ptr<Runtime> Runtime::Create(const RuntimeOptions& options) {
  return std::make_shared<RuntimeImpl>(options);
}

}  // namespace switchboard
