// The desk actor: the sequencer that owns the decision state and decides every command in order.
//
// It receives decide requests in arrival order, drops repeated command ids (idempotency), lets the
// pure Desk decide (timers first), has the bot's turn taken by the conversation's own actor (spawned
// on demand, restored from its stream after passivation; the desk awaits the reply, so nothing else
// is decided meanwhile), encodes the events, gathers the projection records they changed, and
// delegates the request, with the whole outcome, to the journal, which answers the requester once
// the outcome is durable. Because one actor decides and its mailbox is FIFO per sender, the
// same input gives byte-identical events, whatever the threads do. Once the engine's background
// error is set (a failed write, or a failed idempotency read here), it decides nothing more: each
// command goes to the journal undecided, to be acknowledged with it.
#pragma once

#include <caf/actor_system.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "actors/interfaces.h"
#include "actors/journal_actor.h"
#include "actors/lookup_worker.h"
#include "projections/read_model.h"
#include "rules/domain/desk_state.h"
#include "storage/engine_failure.h"
#include "storage/event_store.h"
#include "switchboard/runtime.h"

namespace switchboard {

// What the desk holds in memory, written by the desk after each command, readable from any thread.
struct DeskGauges {
  std::atomic<std::uint64_t> contacts{0}, conversations{0}, tickets{0};
  std::atomic<std::uint64_t> conversation_actors{0}, conversation_actors_spawned{0}, conversation_actors_restored{0},
      conversation_actors_passivated{0};
  // Snapshots (storage/snapshot.h) the desk wrote: how many, the newest's event, size and making time,
  // and how long the desk itself paused for the last one (the fork, actors/snapshot_maker.h).
  std::atomic<std::uint64_t> snapshots{0}, snapshots_failed{0}, snapshot_last{0}, snapshot_bytes{0}, snapshot_micros{0},
      snapshot_pause_micros{0};
};

// What a desk actor is made of. `config`, when not empty, is put in force just before the first
// command; `start_lookup` is called for every HTTP lookup the bot starts (a lookup.started event).
struct DeskSetup {
  std::shared_ptr<DeskState> state;
  std::shared_ptr<ReadModel> read;
  EventStore* store = nullptr;
  EngineFailure* failure = nullptr;
  JournalActor journal;
  std::string config;
  std::function<void(LookupRequest)> start_lookup;
  std::size_t max_in_flight = 1024;
  DeskGauges* gauges = nullptr;
  std::shared_ptr<Clock> clock;                        // for commands without `at`; null: the system clock
  std::int64_t conversation_idle_ms = 30 * 60 * 1000;  // Options::conversation_idle_ms
  Threading threading = Threading::kDetached;
  std::uint64_t snapshot_every = 0;  // Options::snapshot_every; 0: none
  std::uint64_t last_snapshot = 0;   // the event of the snapshot in the store, 0: none
};

DeskActor SpawnDesk(caf::actor_system& system, DeskSetup setup);

// The HTTP lookups a folded state is still waiting for (after a restart they are asked again), as
// their lookup.started events in the store recorded them.
Status PendingLookups(const DeskState& state, EventStore& store, std::vector<LookupRequest>* out);

}  // namespace switchboard
