// The journal actor: the single writer of the event store, with group commit.
//
// It receives each command's outcome in decision order and keeps them pending while more are
// waiting in its mailbox (up to `max_group`); when the mailbox runs dry it writes the whole group
// as ONE WriteBatch with one WAL sync, then acknowledges each command in order. While one group is
// being synced the next one queues up, so under load each fsync carries many commands (the way
// leveldb's DBImpl::Write groups queued writers). Runs detached: it blocks on disk.
// A failed write is recorded as the engine's background error (actors/engine_failure.h); once
// one is recorded, by it or by the desk, it acknowledges everything with it and writes nothing more.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include "storage/engine_failure.h"
#include "storage/event_store.h"
#include "storage/publisher.h"

namespace switchboard {

// After each durable group, and before acknowledging it, the journal hands its events to `publisher`.
caf::actor SpawnJournal(caf::actor_system& system, EventStore* store, Publisher* publisher, EngineFailure* failure,
                        std::size_t max_group);

}  // namespace switchboard
