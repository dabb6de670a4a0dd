// AgentFeeds: each agent's notification list, `query notifications AGENT` (issue 13; seed 000:
// "l'agent verra le message du client dans la liste des notifications quand il se reconnectera").
//
// An item is made for an agent by: a notification.sent addressed to it (agent:ID, a group it is in,
// or supervisors when it is one), an offer made to it or withdrawn from it, a ticket assigned to it
// or taken from it, and a contact's message on a ticket it is assigned. An item made while the agent
// is online is delivered at once (its delivered_at is its own time); one made while it is away or
// offline waits, and every waiting item is delivered when the agent next goes online (delivered_at
// is that moment). Folded from the events beside the decision state, as ReadModel is, so a replay
// gives the same list; the live push of these items is the agent actor's (actors/agent_actor.h).
//
// Memory per agent is bounded: the last kKeepDelivered delivered items, and at most kMaxWaiting
// waiting ones (the oldest waiting item is then dropped from the list; the log keeps it). Pure and
// deterministic; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/event.h"
#include "events/time.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

struct FeedItem {
  std::uint64_t seq = 0;  // the event that made it; an agent has at most one item per event
  Timestamp at = 0;
  std::string kind;  // notification, offer, offer_withdrawn, assigned, unassigned, contact_message
  std::uint64_t ticket = 0;
  std::string text;            // a notification's or a contact message's text; empty otherwise
  Timestamp delivered_at = 0;  // 0: waiting for the agent's return
};

// What the agent actors are told, in log order: a new item for the agent, or its new presence.
struct FeedNotice {
  std::string agent;
  std::uint64_t seq = 0;  // the event's
  Timestamp at = 0;
  FeedItem item;         // when `presence` is empty
  std::string presence;  // online, away or offline: an agent.status_changed
};

class AgentFeeds {
 public:
  friend struct SnapshotAccess;  // storage/snapshot.cpp reads and restores every field

  static constexpr std::size_t kKeepDelivered = 100;
  static constexpr std::size_t kMaxWaiting = 1000;

  // Folds `e`; `state` gives the configuration in force (groups, supervisors).
  void Apply(const Event& e, const DeskState& state);

  // An agent's items, oldest first; nullptr for an agent without any.
  const std::deque<FeedItem>* Find(const std::string& agent) const;
  const std::map<std::string, std::deque<FeedItem>>& feeds() const { return feeds_; }

  // (agent, seq) of the items made, delivered or dropped since ClearDirty.
  const std::set<std::pair<std::string, std::uint64_t>>& dirty() const { return dirty_; }
  // What happened since ClearDirty, for the agent actors.
  const std::vector<FeedNotice>& notices() const { return notices_; }
  void ClearDirty() {
    dirty_.clear();
    notices_.clear();
  }

 private:
  void Add(const std::string& agent, const Event& e, const char* kind, std::string text);
  void Deliver(const std::string& agent, Timestamp at);
  void Trim(const std::string& agent, std::deque<FeedItem>& items);

  std::map<std::string, std::deque<FeedItem>> feeds_;
  std::map<std::string, std::size_t> waiting_;  // agent -> how many of its items wait
  // Who holds each ticket and who is online, as of the last event folded (not of the state, which
  // the live desk has already moved to the end of the command when the read model folds).
  std::unordered_map<std::uint64_t, std::string> assignees_;  // open tickets only
  std::set<std::string> online_;
  std::set<std::pair<std::string, std::uint64_t>> dirty_;
  std::vector<FeedNotice> notices_;
};

// The item as `query notifications` shows it: {seq, at, kind, ticket, text, delivered_at} (nulls
// for what it does not have).
std::string FeedItemJson(const FeedItem& item);

}  // namespace switchboard
