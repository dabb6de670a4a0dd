// The decisions of agents: presence (B13, B16).
#include "rules/domain/decide.h"

namespace switchboard {

std::optional<Rejection> DecideAgentStatus(Change& change, const Command& c) {
  if (change.config().FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  const AgentState* a = change.state().FindAgent(c.agent);
  const Presence from = a == nullptr ? Presence::kOffline : a->status;
  if (from == c.presence) return std::nullopt;
  fb::AgentStatusChangedT p;
  p.from = std::string(Name(from));
  p.to = std::string(Name(c.presence));
  change.Emit(About().Agent(c.agent), std::move(p));
  if (c.presence != Presence::kOnline) ReleaseAbsentAgent(change, c.agent);  // B16
  return std::nullopt;
}

}  // namespace switchboard

namespace switchboard {

// B74: a supervisor changes an agent's capacity, groups, languages or skills; routing reads them at
// the end of this change (the groups it left and joined drain), and nothing already assigned moves.
std::optional<Rejection> DecideAgentUpdate(Change& change, const Command& c) {
  const Configuration& config = change.config();
  const AgentConfig* by = config.FindAgent(c.by);
  if (by == nullptr) return Rejection{"unknown agent \"" + c.by + "\"", "by"};
  if (!by->supervisor) return Rejection{"only a supervisor may update an agent; \"" + c.by + "\" is not one", "by"};
  const AgentConfig* agent = config.FindAgent(c.agent);
  if (agent == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  if (c.groups) {
    for (std::size_t i = 0; i < c.groups->size(); ++i) {
      if (!config.HasGroup((*c.groups)[i])) {
        return Rejection{"unknown group \"" + (*c.groups)[i] + "\"", "groups[" + std::to_string(i) + "]"};
      }
    }
  }
  AgentChanges asked;
  asked.capacity_messaging = c.capacity_messaging;
  asked.capacity_email = c.capacity_email;
  asked.capacity_inactive = c.capacity_inactive;
  asked.groups = c.groups;
  asked.languages = c.languages;
  asked.skills = c.skills;
  const AgentChanges changed = Differences(*agent, asked);
  if (changed.empty()) return std::nullopt;  // already so: nothing happens, as for agent.status
  fb::AgentUpdatedT p;
  p.changes = AgentChangesJson(changed);
  change.Emit(About().Agent(c.agent), std::move(p));
  return std::nullopt;
}

}  // namespace switchboard
