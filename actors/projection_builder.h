// The projection builder: rebuilds projections from the log in the background while the engine
// goes on (issue 6), then hands the caught-up job to the journal, which makes it live between two
// groups of writes. One detached actor per rebuild: it reads RocksDB and blocks on it.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <memory>

#include "storage/event_store.h"
#include "storage/rebuild.h"

namespace switchboard {

// `done` runs once, with the outcome, on the journal's thread (or the builder's, on failure).
caf::actor SpawnProjectionBuilder(caf::actor_system& system, EventStore* store, caf::actor journal,
                                  std::shared_ptr<RebuildJob> job, std::function<void(Status)> done);

}  // namespace switchboard
