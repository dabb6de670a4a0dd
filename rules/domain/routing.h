// Routing: which agents of a group may take a ticket, and which of them gets it (B12, B13).
//
// A pure function of the configuration and the agents' folded state: the Desk asks it, then records
// the answer as a routing.decided event listing every member considered and why each was passed
// over. The cost is one pass over the group's members (never over all agents, never over tickets).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "rules/config.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

struct RoutingRequest {
  std::string_view group;
  Channel channel = Channel::kMessaging;  // whose capacity counts
  std::string_view language;
  const std::vector<std::string>* skills = nullptr;
  bool group_open = true;  // the group's business hours cover now
};

struct RoutingCandidate {
  std::size_t agent;   // index into Configuration::agents
  const char* reason;  // why it was passed over; nullptr: eligible
};

struct RoutingChoice {
  std::vector<RoutingCandidate> candidates;  // every member of the group, in configuration order
  // omnichannel and assignment: at most one agent; broadcast: every eligible agent (all get offers).
  std::vector<std::size_t> chosen;
};

// Why `agent` may not take the ticket now, or nullptr when it may (B13). Reasons, first that applies:
// closed_hours, offline (also away), language, skills, at_capacity (not in broadcast).
const char* PassedOver(const Configuration& config, const AgentConfig& agent, const AgentState* state,
                       const AgentLedger* ledger, const RoutingRequest& request);

// The decision for one ticket in the configured style (B12):
//   omnichannel: the eligible agent with the most spare capacity on the channel, then the longest
//                idle (earliest idle_since), then the first in configuration order;
//   assignment:  round robin: the first eligible agent after the group's last chosen one;
//   broadcast:   every eligible agent.
RoutingChoice ChooseAgents(const Configuration& config, const DeskState& state, const RoutingRequest& request);

// Whether any member of the group could take a ticket of this channel now, ignoring language and
// skills: a drain stops when none can.
bool AnyRoom(const Configuration& config, const DeskState& state, std::string_view group, Channel channel);

}  // namespace switchboard
