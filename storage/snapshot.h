// Snapshots: the decision state and the read model beside it as of one event of the log, so that
// opening a database folds only the events after it: the time to open follows the open work and the
// snapshot interval, not the length of the log.
//
// A snapshot is a cache of the log, never a source of truth. It names the event it follows (its seq)
// and carries that event's bytes and a check of its own; one that does not verify (damaged, of
// another format, made from a log that was since cut or salvaged, or ahead of what the log kept) is
// ignored, and an older one, or the whole log, is folded instead.
//
// Layout: a fixed header (magic, format, seq, sizes, CRC-32 of the body), the event's bytes, then
// the body (Boost.Serialization's binary archive of every field, storage/snapshot_fields.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "projections/read_model.h"
#include "rules/domain/desk_state.h"
#include "switchboard/status.h"

namespace switchboard {

// Bumped whenever a field of the snapshotted state is added, removed or changes meaning.
inline constexpr std::uint32_t kSnapshotFormat = 2;  // 2: no class information per struct

struct SnapshotHeader {
  std::uint32_t format = 0;
  std::uint64_t seq = 0;         // the last event folded into the state
  std::string_view event;        // that event's bytes, as the log must still hold them
  std::string_view body;         // the archive
  std::uint32_t body_check = 0;  // CRC-32 of `body`
};

// The snapshot of `state` and `read`, both as of state.last_seq() and between two changes;
// `event` is that event's encoded bytes.
std::string EncodeSnapshot(const DeskState& state, const ReadModel& read, std::string_view event);

// Reads the header of `bytes` (which it points into). Corruption when they are not a whole
// snapshot of this build's format, saying what is wrong.
Status ReadSnapshotHeader(std::string_view bytes, SnapshotHeader* header);

// Restores fresh `state` and `read` from a snapshot whose header was read and whose event the log
// holds. Corruption, saying what does not verify, leaves them unusable.
Status DecodeSnapshot(const SnapshotHeader& header, DeskState* state, ReadModel* read);

}  // namespace switchboard
