// The live monitor (B51) and the hourly conversation counters analytics read (B52), as records.
//
// Stored pieces, each rewritten only when it moves: "m" today's counters and the clock, "q" + group
// + NUL + channel one queue (size, oldest waiting ticket's creation), "h" + big-endian hour + channel
// the conversations started and self-solved in that hour. `query monitor` joins them with the agent
// records ("a"): it reads O(groups + agents) records, never a ticket. Pure functions, thread-safe.
#pragma once

#include <string>
#include <vector>

#include "projections/read_model.h"
#include "projections/records.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

constexpr char kMonitorKey[] = "m";
constexpr char kQueuePrefix[] = "q";
constexpr char kHourPrefix[] = "h";

// The records the fold marked dirty for the monitor and analytics, appended to `out`.
void AppendMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out);
// Every monitor and hour record (a replay, `--verify`).
void AppendAllMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out);

// PROTOCOL.md's `monitor` document, from the stored records: the "m" record, the "q" records and
// the agent records ("a", as AgentJson writes them).
std::string MonitorJson(const std::string& counters, const std::vector<std::string>& queues,
                        const std::vector<std::string>& agents);

}  // namespace switchboard
