// The desk actor: the sequencer that owns the decision state and decides every command in order.
//
// It receives commands in submission order, drops repeated command ids (idempotency), lets the pure
// Desk decide (timers first), encodes the events, gathers the projection records they changed, and
// hands the whole outcome to the journal. `config`, when not empty, is put in force (if it differs
// from the one in force) just before the first command, at that command's time. Because one actor decides and its
// mailbox is FIFO per sender, the same input gives byte-identical events, whatever the threads do.
// Once the engine's background error is set (a failed write, or a failed idempotency read here), it
// decides nothing more: each command goes to the journal undecided, to be acknowledged with it.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "actors/lookup_worker.h"
#include "projections/read_model.h"
#include "rules/domain/desk_state.h"
#include "storage/engine_failure.h"
#include "storage/event_store.h"

namespace switchboard {

// What the desk holds in memory, written by the desk after each command, readable from any thread.
struct DeskGauges {
  std::atomic<std::uint64_t> contacts{0}, conversations{0}, tickets{0};
};

// `start_lookup` is called for every HTTP lookup the bot starts (a lookup.started event).
caf::actor SpawnDesk(caf::actor_system& system, std::shared_ptr<DeskState> state, std::shared_ptr<ReadModel> read,
                     EventStore* store, EngineFailure* failure, caf::actor journal, std::string config,
                     std::function<void(LookupRequest)> start_lookup, std::size_t max_in_flight, DeskGauges* gauges);

// The HTTP lookups a folded state is still waiting for (after a restart they are asked again).
std::vector<LookupRequest> PendingLookups(const DeskState& state);

}  // namespace switchboard
