// The journal actor: the single writer of the event store, with group commit.
//
// It receives each command's outcome in decision order (the desk delegates each decide request to
// it) and keeps them pending while more are waiting in its mailbox (up to `max_group`); when the
// mailbox runs dry it writes the whole group as ONE WriteBatch with one WAL sync, then delivers each
// request's response promise in order: an acknowledgement leaves only once its events are durable.
// While one group is being synced the next one queues up, so under load each fsync carries many
// commands (the way leveldb's DBImpl::Write groups queued writers). Runs detached: it blocks on disk.
// A failed write is recorded as the engine's background error (storage/engine_failure.h); once one
// is recorded, by it or by the desk, it acknowledges everything with it and writes nothing more.
#pragma once

#include <caf/actor_system.hpp>

#include "actors/interfaces.h"
#include "storage/engine_failure.h"
#include "storage/event_store.h"
#include "storage/publisher.h"
#include "storage/rebuild.h"

namespace switchboard {

// How an actor runs: on a thread of its own (it blocks), or on the scheduler (tests that run the
// actors with CAF's deterministic test coordinator).
enum class Threading { kDetached, kScheduled };

// After each durable group, and before acknowledging it, the journal hands its events to `publisher`.
// `rebuilds`: where a `finish` request finds its job.
// `feeds` (may be a null handle) is sent each durable group's feed notices, in order.
JournalActor SpawnJournal(caf::actor_system& system, EventStore* store, Publisher* publisher, EngineFailure* failure,
                          RebuildJobs* rebuilds, FeedsActor feeds, std::size_t max_group,
                          Threading threading = Threading::kDetached);

}  // namespace switchboard
