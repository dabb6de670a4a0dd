#include "actors/agent_actor.h"

#include <caf/all.hpp>

namespace switchboard {

std::uint64_t AgentSubscribers::Add(const std::string& agent, Callback fn) {
  std::lock_guard<std::mutex> lock(mu_);
  by_agent_[agent].emplace(next_, std::move(fn));
  agent_of_.emplace(next_, agent);
  return next_++;
}

void AgentSubscribers::Remove(std::uint64_t handle) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = agent_of_.find(handle);
  if (it == agent_of_.end()) return;
  by_agent_[it->second].erase(handle);
  agent_of_.erase(it);
}

void AgentSubscribers::Push(const std::string& agent, const std::string& item_json) {
  std::vector<Callback> callbacks;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = by_agent_.find(agent);
    if (it == by_agent_.end()) return;
    for (const auto& [handle, fn] : it->second) callbacks.push_back(fn);
  }
  for (const Callback& fn : callbacks) fn(item_json);  // outside the lock: a callback may subscribe
}

namespace {

struct AgentActorState {
  AgentStart agent;
  static inline const char* name = "agent";
};

void Notice(AgentStart& a, FeedNotice& notice, AgentSubscribers& subscribers) {
  if (!notice.presence.empty()) {
    a.online = notice.presence == "online";
    if (!a.online) return;
    for (FeedItem& held : a.held) {  // back: what waited for it, in order
      held.delivered_at = notice.at;
      subscribers.Push(a.agent, FeedItemJson(held));
    }
    a.held.clear();
    return;
  }
  if (!a.online) {
    a.held.push_back(std::move(notice.item));
    if (a.held.size() > AgentFeeds::kMaxWaiting) a.held.erase(a.held.begin());  // as the list does
    return;
  }
  subscribers.Push(a.agent, FeedItemJson(notice.item));
}

AgentActor::behavior_type Agent(AgentActor::stateful_pointer<AgentActorState> self, AgentStart start,
                                std::shared_ptr<AgentSubscribers> subscribers) {
  self->state.agent = std::move(start);
  return {
      [=](feed_atom, std::vector<FeedNotice>& notices) {
        for (FeedNotice& notice : notices) Notice(self->state.agent, notice, *subscribers);
      },
  };
}

struct FeedsState {
  std::map<std::string, AgentActor> agents;
  static inline const char* name = "feeds";
};

FeedsActor::behavior_type Feeds(FeedsActor::stateful_pointer<FeedsState> self,
                                std::shared_ptr<AgentSubscribers> subscribers, std::vector<AgentStart> starts) {
  for (AgentStart& start : starts) {
    std::string id = start.agent;
    self->state.agents.emplace(id, self->spawn<caf::linked>(Agent, std::move(start), subscribers));
  }
  return {
      [=](feed_atom, std::vector<FeedNotice>& notices) {
        // Grouped by agent, each agent's in log order: one message per agent and durable group.
        std::map<std::string, std::vector<FeedNotice>> by_agent;
        for (FeedNotice& notice : notices) by_agent[notice.agent].push_back(std::move(notice));
        for (auto& [agent, mine] : by_agent) {
          auto it = self->state.agents.find(agent);
          if (it == self->state.agents.end()) {  // an agent that came with a later configuration
            AgentStart fresh;
            fresh.agent = agent;
            it =
                self->state.agents.emplace(agent, self->spawn<caf::linked>(Agent, std::move(fresh), subscribers)).first;
          }
          self->send(it->second, feed_atom::value, std::move(mine));
        }
      },
  };
}

}  // namespace

FeedsActor SpawnFeeds(caf::actor_system& system, std::shared_ptr<AgentSubscribers> subscribers,
                      std::vector<AgentStart> agents) {
  return system.spawn(Feeds, subscribers, std::move(agents));
}

}  // namespace switchboard
