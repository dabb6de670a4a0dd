// Agent actors: every agent is an actor that owns its presence and its live feed (issue 13, B53's
// notifications; seed 000: the agent sees the contact's message in its notifications when it
// reconnects). The feeds actor finds each agent's actor by id, spawning it on demand, and hands it
// the notices the journal sends once a group is durable; the agent actor pushes each item to the
// agent's subscribers (Engine::SubscribeAgent) at once while the agent is online, and holds it while
// the agent is away or offline; when the agent comes back online it delivers what it held, in order,
// with that moment as delivered_at. The list itself (query notifications) is the `feeds` projection,
// folded from the same events, so a restart restores each actor from it.
#pragma once

#include <caf/actor_system.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actors/interfaces.h"
#include "actors/journal_actor.h"

namespace switchboard {

// The subscribers of each agent's feed. Callbacks stay in the process (they never travel); the
// agent actor calls them on its thread. Thread-safe.
class AgentSubscribers {
 public:
  using Callback = std::function<void(const std::string& item_json)>;
  std::uint64_t Add(const std::string& agent, Callback fn);
  void Remove(std::uint64_t handle);
  // Calls every subscriber of `agent` with `item_json`.
  void Push(const std::string& agent, const std::string& item_json);

 private:
  std::mutex mu_;
  std::map<std::string, std::map<std::uint64_t, Callback>> by_agent_;
  std::map<std::uint64_t, std::string> agent_of_;
  std::uint64_t next_ = 1;
};

// An agent as a restart finds it: online or not, and the items that wait for its return.
struct AgentStart {
  std::string agent;
  bool online = false;
  std::vector<FeedItem> held;
};

// The agent actors are linked to the feeds actor: they stop with it.
FeedsActor SpawnFeeds(caf::actor_system& system, std::shared_ptr<AgentSubscribers> subscribers,
                      std::vector<AgentStart> agents);

}  // namespace switchboard
