// The catalog of projections: the named sets of query records kept beside the log.
//
// Each projection owns the record keys that start with one of its key heads, has a version (bump it
// when what the projection writes changes, and stores written by an older build are rebuilt from the
// log, in the background), and a checkpoint stored with its records in the same WriteBatch as the
// events. Storage keeps each projection under a generation byte so that a rebuild can be written
// beside the live one and take over in one batch (see docs/ARCHITECTURE.md, "Projections").
// Pure data and functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

class DeskState;
class ReadModel;
struct Record;

enum ProjectionId : int {
  kTicketsProjection = 0,  // "t": query ticket N
  kAgentsProjection,       // "a", "A": query agent ID (document + its tickets index)
  kContactsProjection,     // "c": query contact ID
  kViewsProjection,        // "V", "v": view definitions and members (B50)
  kMonitorProjection,      // "m", "q": the live monitor (B51)
  kAnalyticsProjection,    // "h": hourly conversation counters (B52)
  kFeedsProjection,        // "n": each agent's notification list (query notifications AGENT)
  kStaffingProjection,     // "P": the agents' presence changes (query staffing, B73)
  kProjectionCount,
};

struct ProjectionInfo {
  const char* name;
  std::uint32_t version;
  const char* key_heads;  // the first bytes of the keys it owns
};

const std::array<ProjectionInfo, kProjectionCount>& Projections();

// The projection that owns `key`; nullopt for a key no projection owns.
std::optional<ProjectionId> ProjectionOfKey(std::string_view key);

// The projection named `name`; nullopt when there is none.
std::optional<ProjectionId> ProjectionNamed(std::string_view name);

// Every record of projection `p` rendered from `state`, in key order (rebuild and verify).
std::vector<Record> ProjectionRecords(const DeskState& state, const ReadModel& read, ProjectionId p);

// Keeps, of `records`, only those owned by one of `projections` (a bit per ProjectionId).
void KeepProjections(std::vector<Record>* records, unsigned projections);

}  // namespace switchboard
