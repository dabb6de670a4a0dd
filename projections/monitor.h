// The live monitor (B51) and the hourly conversation counters analytics read (B52), as records.
//
// Stored pieces, each rewritten only when it moves: "m" today's counters and the clock, "q" + group
// + NUL + channel one queue (size, oldest waiting ticket's creation), "h" + big-endian hour + channel
// the conversations started and self-solved in that hour, "s" + group the group's count of tickets
// with a breached SLA clock still running, and the SLA risk index, "S" + group + NUL + big-endian next
// breach + big-endian ticket (empty value), one entry per ticket with a running clock. `query
// monitor` joins them with the agent records ("a"): it reads O(groups + agents + tickets at risk)
// records, never a ticket, and the risk index only up to an hour past its clock. Pure functions,
// thread-safe.
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
constexpr char kSlaGroupPrefix[] = "s";
constexpr char kSlaRiskPrefix[] = "S";

std::string SlaRiskKey(const std::string& group, Timestamp next_breach, std::uint64_t ticket);
std::uint64_t TicketOfSlaRiskKey(const std::string& key);
Timestamp BreachOfSlaRiskKey(const std::string& key);
std::string SlaRiskGroupPrefix(const std::string& group);

// The records the fold marked dirty for the monitor and analytics, appended to `out`.
void AppendMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out);
// Every monitor and hour record (a replay, `--verify`).
void AppendAllMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out);

// One group's SLA line of the monitor: tickets whose next breach is within the hour of the clock,
// and tickets breached now (a breached clock still running).
struct SlaGroupFigures {
  std::string group;
  int at_risk = 0;
  int breached = 0;
};

// PROTOCOL.md's `monitor` document, from the stored records: the "m" record, the "q" records, the
// agent records ("a", as AgentJson writes them) and the SLA figures per group.
std::string MonitorJson(const std::string& counters, const std::vector<std::string>& queues,
                        const std::vector<std::string>& agents, const std::vector<SlaGroupFigures>& sla);
// The clock of the "m" record (0: none yet), which the at-risk window starts from.
Timestamp MonitorClock(const std::string& counters);
// A group's breached count from its "s" record.
SlaGroupFigures SlaGroupOfRecord(const std::string& sla_group_record);

}  // namespace switchboard
