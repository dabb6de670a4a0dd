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
