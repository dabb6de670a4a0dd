// Recovery: the decision state rebuilt by folding the log, and the checks a verified replay makes.
//
// Folding reads the events in order and never decides anything again: timers, routing and rules are
// not re-run, their outcomes are in the log. Memory is bounded by the state, not by the log; Recover's
// state by the open work, as the desk's (DeskState::Evict).
#pragma once

#include <string>

#include "projections/read_model.h"
#include "rules/domain/desk_state.h"
#include "storage/event_store.h"
#include "switchboard/engine.h"

namespace switchboard {

// Folds events of `store` into `state` and `read` (the read model beside it), from seq `from` (which
// must follow state's last seq), at most `limit` of them (0: all), without clearing what they made
// dirty in `read`. Corruption when a buffer does not verify, the log has a gap (seq must run 1, 2,
// 3, ...), or an event cannot be applied. *folded is the last seq folded.
Status FoldSome(EventStore& store, DeskState* state, ReadModel* read, std::uint64_t from, std::uint64_t limit,
                std::uint64_t* folded);

// Folds the log into `state`, and into `read` unless it is null (recovery needs only the decision
// state; queries as of a time and verification need the records too): every event, or with `until`
// those at or before that time (`--as-of`). With `transitions`, each status change is checked against
// the allowed transitions, one line per violation appended.
Status FoldLog(EventStore& store, DeskState* state, ReadModel* read, const ReplayProgress& progress,
               Timestamp until = 0, std::string* transitions = nullptr);

// How the state was recovered.
struct RecoveryReport {
  std::uint64_t snapshot_seq = 0;  // the snapshot it started from; 0: the beginning of the log
  std::uint64_t folded = 0;        // the events of the log folded after it
  std::string ignored;             // why newer snapshots were not taken, one sentence each
};

// The engine's recovery at open, into a fresh `state` and `read`: from the newest snapshot that
// verifies (storage/snapshot.h), or from the beginning of the log, the rest of the log is folded
// into a state that lets what is finished go as the fold goes (every event in the log is durable)
// and reads it back when a later event names it (StoreRestorer), so that opening a long log needs
// the memory of its open work, not of its history. The state keeps no restorer afterwards: its
// owner sets its own. `report` may be null.
// With `from_snapshot` false, the snapshots are not read: the whole log is folded.
Status Recover(EventStore& store, DeskState* state, ReadModel* read, RecoveryReport* report = nullptr,
               bool from_snapshot = true);

// The invariants that must hold after any event: load = tickets holding capacity, every ticket in a
// group. Appends one line per violation to `report`.
void CheckInvariants(const DeskState& state, std::string* report);

// Compares the stored projections (records and checkpoints) with those rebuilt; appends a readable
// diff to `report`. One projection's records are in memory at a time.
Status DiffRecords(EventStore& store, const DeskState& rebuilt, const ReadModel& read, std::string* report);

}  // namespace switchboard
