// AgentState: one agent as the log says they are: presence (online, away, offline), the loads last
// recorded (agent.load_changed: what the monitor shows) and the tickets assigned to them and not
// closed. What routing keeps about an agent (the capacity its tickets hold now, since when it is
// idle, the offers it has) is the routing aggregate's (rules/domain/routing.h).
//
// Folded from the events of its stream. Plain data and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>

#include "events/event.h"
#include "events/vocabulary.h"
#include "switchboard/status.h"

namespace switchboard {

struct AgentState {
  std::string id;
  Presence status = Presence::kOffline;
  int load_messaging = 0;  // as last recorded by agent.load_changed
  int load_email = 0;
  std::set<std::uint64_t> tickets;  // assigned and not closed

  int load(Channel channel) const { return channel == Channel::kEmail ? load_email : load_messaging; }

  // Folds an event naming this agent: its presence and recorded loads, and tickets given to it or
  // taken from it. Corruption for a presence or channel this build does not know.
  Status Apply(const Event& e);
};

}  // namespace switchboard
