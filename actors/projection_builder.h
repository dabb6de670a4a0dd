// The projection builder: rebuilds projections from the log in the background while the engine
// goes on (issue 6), then asks the journal to finish the caught-up job, which it does between two
// groups of writes. One detached actor per rebuild: it reads RocksDB and blocks on it.
#pragma once

#include <caf/actor_system.hpp>

#include <functional>
#include <memory>

#include "actors/interfaces.h"
#include "storage/event_store.h"
#include "storage/rebuild.h"

namespace switchboard {

// `job_id` names `job` in the journal's RebuildJobs. `done` runs once, with the outcome, on the
// builder's thread.
BuilderActor SpawnProjectionBuilder(caf::actor_system& system, EventStore* store, JournalActor journal,
                                    std::shared_ptr<RebuildJob> job, std::uint64_t job_id,
                                    std::function<void(Status)> done);

}  // namespace switchboard
