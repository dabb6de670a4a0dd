// Rebuilding projections from the log, beside the live ones (docs/ARCHITECTURE.md, "Projections").
//
// A job folds the log into a state of its own, a chunk at a time, and writes the records each chunk
// changed under the next generation of its projections; memory is bounded by the state and one
// chunk, never by the log: after each chunk's records are written, what finished leaves the job's
// state, and is read back when a later event names it (StoreRestorer). When it has caught up, the rest (the events
// written meanwhile) is folded by whoever holds the store's write path (the journal), which then makes the new
// generation live in one batch: queries never see a half-built projection. Plain functions over the store; the
// projection builder actor and the journal call them.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

#include "projections/read_model.h"
#include "rules/domain/desk_state.h"
#include "storage/event_store.h"
#include "storage/restore.h"
#include "switchboard/engine.h"

namespace switchboard {

struct RebuildJob {
  unsigned projections = 0;  // a bit per ProjectionId
  DeskState state;
  ReadModel read;                      // beside `state`: what only the records need
  std::uint64_t folded = 0;            // the last seq folded into state
  std::atomic<std::uint64_t> done{0};  // `folded`, readable from other threads (progress)
  std::atomic<std::uint64_t> total{0};
  ReplayProgress progress;                  // may be empty
  std::uint64_t chunk = 50000;              // events folded per step: amortizes a batch, bounds memory
  std::unique_ptr<StoreRestorer> restorer;  // set by BeginRebuild
};

// The rebuild jobs running, by id: how the journal finds the job a builder asks it to finish (a job
// is in-process state; only its id travels in the message). Thread-safe.
class RebuildJobs {
 public:
  std::uint64_t Add(std::shared_ptr<RebuildJob> job) {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.emplace(next_, std::move(job));
    return next_++;
  }
  std::shared_ptr<RebuildJob> Find(std::uint64_t id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = jobs_.find(id);
    return it == jobs_.end() ? nullptr : it->second;
  }
  void Remove(std::uint64_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.erase(id);
  }

 private:
  mutable std::mutex mu_;
  std::map<std::uint64_t, std::shared_ptr<RebuildJob>> jobs_;
  std::uint64_t next_ = 1;
};

// The projections whose stored records are not what this build would write: never built, built by
// another version, or behind the log (`last_seq`). A bit per ProjectionId.
unsigned StaleProjections(const EventStore& store, std::uint64_t last_seq);

// Starts a job: drops the leftovers of an interrupted rebuild of the same projections.
Status BeginRebuild(EventStore& store, RebuildJob* job);

// Folds the next chunk and writes what it changed beside the live records. *caught_up when the job
// has folded the whole log as it stands.
Status RebuildStep(EventStore& store, RebuildJob* job, bool* caught_up);

// Folds what is left and makes the rebuilt generation live. Only where nothing else writes (the
// journal's thread, or a store no engine writes to).
Status FinishRebuild(EventStore& store, RebuildJob* job);

}  // namespace switchboard
