// What-if (B76): the recorded arrivals of a period replayed through a scratch desk under another
// configuration, with agents simulated from what was measured, to compare analytics and SLA figures
// with what really happened.
//
// From the recorded events (JSON, as the log prints them) it takes, in [from, to): every contact
// message (contact, channel, text, profile updates) and page view, at its time, and every agent
// presence change; and, from the whole record, the measured times agents took: assignment to first
// public reply, and assignment to solve. The scratch desk is the pure domain (rules/domain/desk.h),
// in memory, nothing written anywhere: it applies the new configuration, then the arrivals and the
// presence in time order; each ticket it assigns gets its agent's first reply and its solve after
// durations drawn from the measured ones (a broadcast offer is accepted by its first agent after
// 10 s); an action whose ticket has moved to someone else is dropped. Its records give the report
// through the same analytics code as the real one (projections/analytics.h).
//
// Deterministic: the same events, configuration, range and seed give the same report, byte for
// byte (only the raw output of std::mt19937_64 is used). Not thread-safe per call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "events/time.h"
#include "switchboard/status.h"

namespace switchboard {

struct WhatIfOptions {
  std::string config;  // the configuration to try, JSON text
  Timestamp from = 0;  // inclusive; 0: the first recorded event
  Timestamp to = 0;    // exclusive; 0: after the last recorded event
  std::uint64_t seed = 1;
};

struct WhatIfResult {
  std::string analytics;                // the scratch desk's `query analytics` document over [from, to)
  std::uint64_t commands = 0;           // commands the scratch desk decided (recorded and simulated)
  std::uint64_t events = 0;             // events it made
  std::uint64_t simulated_actions = 0;  // agent replies, solves and accepts the simulation added
};

// `recorded`: the log's events as JSON text, in seq order. InvalidArgument for a configuration the
// desk refuses (its path named) or an empty range.
Status RunWhatIf(const std::vector<std::string>& recorded, const WhatIfOptions& options, WhatIfResult* out);

// The side-by-side table `switchboard whatif` prints: one line per figure (tickets, solved, waits,
// first reply, resolution, handle, CSAT, deflection, the share of SLA targets met per metric), the
// recorded value beside the what-if value.
std::string CompareTable(const std::string& recorded_analytics, const std::string& whatif_analytics);

}  // namespace switchboard
