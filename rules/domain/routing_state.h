// RoutingState: what routing keeps (B10-B17): the queue of each group and channel, each ticket's place
// in it, what the ticket asks of its agent, its open broadcast offers, the capacity ledger (which
// tickets hold which agent's capacity now), since when each agent is idle, the last round-robin
// choice of each group, and the recent waits the estimated wait is made of.
//
// A pure function of the log, like the other aggregates: the offers, the round robin and the waits
// are folded from routing's own events; the ledger and the queues follow the tickets (DeskState
// refreshes them after every event about a ticket, since they read the ticket, its conversation and
// the configuration). The fold also notes what may move, for the desk to route at the end of the
// change: tickets that came into a queue, groups that gained room, agents whose held counts moved.
// Not thread-safe.
#pragma once

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/time.h"
#include "events/vocabulary.h"

namespace switchboard {

// Where a ticket counts against an agent's capacity, if anywhere (B15, B32).
struct Holding {
  std::string agent;
  Channel channel = Channel::kMessaging;
  bool operator==(const Holding& o) const { return agent == o.agent && channel == o.channel; }
};

// A ticket's place in its group's queue (B14): higher priority first, then the older, then the lower
// number. `since` is the ticket's creation, so a ticket put back (B16) finds its original place.
struct QueueKey {
  int rank = 0;  // minus the priority's rank: urgent (-3) before low (0)
  Timestamp since = 0;
  std::uint64_t ticket = 0;
  bool operator<(const QueueKey& o) const {
    return rank != o.rank ? rank < o.rank : since != o.since ? since < o.since : ticket < o.ticket;
  }
  bool operator==(const QueueKey& o) const { return rank == o.rank && since == o.since && ticket == o.ticket; }
};

// The queue of one group and channel: ordered, with positions in O(log n) (an order-statistics tree).
using TicketQueue = __gnu_pbds::tree<QueueKey, __gnu_pbds::null_type, std::less<QueueKey>, __gnu_pbds::rb_tree_tag,
                                     __gnu_pbds::tree_order_statistics_node_update>;

struct QueuePlace {
  std::string group;
  Channel channel = Channel::kMessaging;
  QueueKey key;
  bool operator==(const QueuePlace& o) const { return group == o.group && channel == o.channel && key == o.key; }
};

// What routing keeps of one ticket.
struct RoutedTicket {
  std::string language;             // required of its agent; empty: any
  std::vector<std::string> skills;  // required of its agent, all of them
  std::vector<std::string> offers;  // agents it is offered to now, sorted
  Timestamp offer_due = 0;          // when those offers time out; 0: none open
  int offer_rounds = 0;             // rounds of offers that timed out since it was last assigned
  std::optional<QueuePlace> queued;
  std::optional<Holding> held;  // whose capacity it holds now
  std::string inactive_of;      // the agent whose inactive conversations it counts in (capacity.inactive)
};

// What routing keeps of one agent.
struct AgentLedger {
  int held_messaging = 0;  // tickets holding its capacity now; the desk records the difference (B15)
  int held_email = 0;
  int inactive = 0;                // assigned tickets whose messaging conversation is inactive (B75)
  Timestamp idle_since = 0;        // its last assignment, or its coming online: "longest idle" (B12)
  std::set<std::uint64_t> offers;  // tickets offered to it now (broadcast)

  int held(Channel channel) const { return channel == Channel::kEmail ? held_email : held_messaging; }
  int& held(Channel channel) { return channel == Channel::kEmail ? held_email : held_messaging; }
};

// The last waits (creation to first assignment) of one group and channel.
struct RecentWaits {
  static constexpr int kSize = 20;
  Timestamp samples[kSize] = {};
  int count = 0;
  int next = 0;
  Timestamp sum = 0;
  void Add(Timestamp wait);
};

struct RoutingState {
  std::unordered_map<std::uint64_t, RoutedTicket> tickets;  // tickets not closed
  std::unordered_map<std::string, AgentLedger> agents;
  std::map<std::pair<std::string, Channel>, TicketQueue> queues;  // by (group, channel)
  std::unordered_map<std::string, std::string> round_robin;       // group -> last agent chosen
  // The last waits per (group, channel); the group "" gathers every group of the channel.
  std::map<std::pair<std::string, Channel>, RecentWaits> waits;
  // Noted for the desk, which takes them (sorted: deterministic).
  std::set<std::uint64_t> entered_queue;  // tickets that came into a queue
  std::set<std::string> drain_groups;     // groups where capacity was freed or an agent came online
  std::set<std::string> loads_moved;      // agents whose held counts moved
};

}  // namespace switchboard
