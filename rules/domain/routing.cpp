#include "rules/domain/routing.h"

#include <algorithm>

namespace switchboard {
namespace {

bool Has(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

int Capacity(const AgentConfig& agent, Channel channel) {
  return channel == Channel::kEmail ? agent.capacity_email : agent.capacity_messaging;
}

int Held(const AgentLedger* ledger, Channel channel) { return ledger == nullptr ? 0 : ledger->held(channel); }

// B75: an agent holding capacity.inactive inactive conversations gets no new work, on any channel.
bool AtInactiveCap(const AgentConfig& agent, const AgentLedger* ledger) {
  return agent.capacity_inactive > 0 && ledger != nullptr && ledger->inactive >= agent.capacity_inactive;
}

}  // namespace

const char* PassedOver(const Configuration& config, const AgentConfig& agent, const AgentState* state,
                       const AgentLedger* ledger, const RoutingRequest& request) {
  if (!request.group_open) return "closed_hours";
  if (state == nullptr || state->status != Presence::kOnline) return "offline";
  if (!request.language.empty() && !Has(agent.languages, request.language)) return "language";
  if (request.skills != nullptr) {
    for (const std::string& skill : *request.skills) {
      if (!Has(agent.skills, skill)) return "skills";
    }
  }
  if (config.routing_style != RoutingStyle::kBroadcast &&
      Held(ledger, request.channel) >= Capacity(agent, request.channel)) {
    return "at_capacity";
  }
  if (AtInactiveCap(agent, ledger)) return "inactive_limit";
  return nullptr;
}

RoutingChoice ChooseAgents(const Configuration& config, const DeskState& state, const RoutingRequest& request) {
  RoutingChoice choice;
  const std::vector<std::size_t>& members = config.Members(request.group);
  choice.candidates.reserve(members.size());
  for (std::size_t index : members) {
    const AgentConfig& agent = config.agents[index];
    choice.candidates.push_back(
        {index, PassedOver(config, agent, state.FindAgent(agent.id), state.FindLedger(agent.id), request)});
  }
  const RoutingStyle style = config.routing_style;
  if (style == RoutingStyle::kBroadcast) {
    for (const RoutingCandidate& c : choice.candidates) {
      if (c.reason == nullptr) choice.chosen.push_back(c.agent);
    }
  } else if (style == RoutingStyle::kAssignment) {
    // Round robin: start after the last chosen member (or at the first when there is none).
    const std::string& last = state.RoundRobinLast(std::string(request.group));
    std::size_t start = 0;
    for (std::size_t i = 0; i < choice.candidates.size(); ++i) {
      if (config.agents[choice.candidates[i].agent].id == last) start = i + 1;
    }
    for (std::size_t k = 0; k < choice.candidates.size(); ++k) {
      const RoutingCandidate& c = choice.candidates[(start + k) % choice.candidates.size()];
      if (c.reason == nullptr) {
        choice.chosen.push_back(c.agent);
        break;
      }
    }
  } else {  // omnichannel
    const RoutingCandidate* best = nullptr;
    int best_spare = 0;
    Timestamp best_idle = 0;
    for (const RoutingCandidate& c : choice.candidates) {
      if (c.reason != nullptr) continue;
      const AgentConfig& agent = config.agents[c.agent];
      const AgentLedger* ledger = state.FindLedger(agent.id);
      const Timestamp idle = ledger ? ledger->idle_since : 0;
      int spare = Capacity(agent, request.channel) - Held(ledger, request.channel);
      if (best == nullptr || spare > best_spare || (spare == best_spare && idle < best_idle)) {
        best = &c;
        best_spare = spare;
        best_idle = idle;
      }
    }
    if (best != nullptr) choice.chosen.push_back(best->agent);
  }
  return choice;
}

bool AnyRoom(const Configuration& config, const DeskState& state, std::string_view group, Channel channel) {
  const bool broadcast = config.routing_style == RoutingStyle::kBroadcast;
  for (std::size_t index : config.Members(group)) {
    const AgentConfig& agent = config.agents[index];
    const AgentState* s = state.FindAgent(agent.id);
    if (s == nullptr || s->status != Presence::kOnline) continue;
    const AgentLedger* ledger = state.FindLedger(agent.id);
    if (AtInactiveCap(agent, ledger)) continue;
    if (broadcast || Held(ledger, channel) < Capacity(agent, channel)) return true;
  }
  return false;
}

}  // namespace switchboard
