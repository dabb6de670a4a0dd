// ReadModel: what only the query records need, folded from the events beside the decision state.
//
// The desk decides from DeskState (rules/domain); the records of the queries also need today's and
// each hour's counters (B51, B52), view membership (B50), first-reply and first-assignment times,
// each ticket's handle time and abandonment (B72), the agents' presence changes (B73), and which
// records changed since they were last written. None of that is a decision input, so it
// is kept here, by the projections, and built from events: Apply(event, state) is called with each
// event after the decision state has applied it, and reads the tickets, agents and contacts that
// state keeps for what the records show. Pure and deterministic, as DeskState is; not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/event.h"
#include "events/time.h"
#include "projections/agent_feed.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

// Today's figures for the live monitor (B51): the engine clock's UTC day; they start again at midnight.
struct DayCounters {
  std::int64_t day = 0;  // days since 1970-01-01
  int created = 0;       // tickets
  int solved = 0;        // tickets that became solved
  int deflected = 0;     // conversations solved by self-service (B6)
  int csat_good = 0;
  int csat_bad = 0;
  Timestamp wait_sum = 0;  // creation to first assignment, over the tickets first assigned today
  int wait_count = 0;
};

// Conversations started and self-solved in one UTC hour and channel (deflection in analytics, B52).
// Proactive messages (B70): sent (counted in the messaging channel, the web widget's), the
// conversations that answered one, and those of them self-service solved.
struct HourCounters {
  int conversations = 0;
  int self_solved = 0;
  int proactive_sent = 0;
  int proactive_conversations = 0;
  int proactive_self_solved = 0;
};

// Records whose query form changed since the last ClearDirty.
struct Dirty {
  std::set<std::uint64_t> tickets;
  std::set<std::string> agents;
  std::set<std::string> contacts;
  std::set<std::pair<std::string, std::uint64_t>> agent_tickets;  // (agent, ticket) gained or lost
  std::set<std::string> view_keys;                                // view members gained or lost
  std::set<std::string> views;                                    // view definitions added, changed or gone
  std::set<std::pair<std::string, Channel>> queues;               // (group, channel) whose size or head moved
  std::set<std::pair<std::int64_t, Channel>> hours;               // (hour, channel) counters that moved
  std::set<std::string> sla_keys;                                 // SLA risk index entries gained or lost
  std::set<std::string> sla_groups;                               // groups whose breached count moved
  std::vector<std::uint64_t> presence;                            // the seqs of agents' presence changes
  bool monitor = false;                                           // today's counters or the clock moved
};

// One agent.status_changed, as the staffing records keep it (B73).
struct PresenceChange {
  std::uint64_t seq = 0;
  Timestamp at = 0;
  std::string agent, from, to;
};

// A ticket's workload (B72), folded from the ticket's own events only (its stream: every event whose
// envelope names it), so that ExtrasOf, which has nothing else, folds exactly what Apply folds.
// Handle time runs while the ticket is assigned, its conversation's session is active (neither
// inactive nor ended, as those events say: a ticket starts active) and it is neither solved nor
// closed. Abandoned: its conversation went inactive before any public agent reply, the ticket not
// solved; once abandoned it stays so.
struct TicketWork {
  Timestamp created_at = 0;
  bool assigned = false;
  Session session = Session::kActive;
  bool unsolved = true;           // neither solved nor closed
  bool replied = false;           // a public agent reply was added
  Timestamp last_contact_at = 0;  // the contact's last message on the ticket (0: none since its creation)
  Timestamp handle_ms = 0;        // the spans of handling that ended
  bool handling = false;
  Timestamp handling_since = 0;  // while handling: when the span going on began
  Timestamp abandoned_at = 0;    // the conversation.inactive that made it abandoned (0: not abandoned)
  Timestamp time_to_abandon_ms = 0;

  // Folds one event of the ticket's stream.
  void Apply(const Event& e);
};

// What a ticket's records show beyond the decision state.
struct TicketExtras {
  Timestamp first_reply_at = 0;        // the first public agent reply (B20)
  Timestamp first_assigned_at = 0;     // the end of its first wait (B52)
  std::vector<std::string> view_keys;  // its member keys in the views that hold it (B50)
  // The queue it was in when its records were last brought up to date: a move in or out of a queue
  // changes that queue's record (its size, its oldest).
  std::optional<std::pair<std::string, Channel>> queue;
  // Its entry in the monitor's SLA risk index (group, next breach; empty: none), and the group it
  // counted as breached in (empty: none) (B64).
  std::string sla_risk_key;
  std::string sla_breached_in;
  TicketWork work;  // handle time and abandonment (B72)
};

class ReadModel {
 public:
  friend struct SnapshotAccess;  // storage/snapshot.cpp reads and restores every field

  // Folds `e`, which `state` has just applied.
  void Apply(const Event& e, const DeskState& state);

  const TicketExtras* FindTicket(std::uint64_t id) const;
  const DayCounters& today() const { return today_; }
  const std::map<std::pair<std::int64_t, Channel>, HourCounters>& hours() const { return hours_; }
  Timestamp now() const { return now_; }
  // Per group: how many tickets in memory have a breached SLA clock still running (B64).
  const std::map<std::string, int>& sla_breached() const { return sla_breached_; }
  std::uint64_t last_seq() const { return last_seq_; }

  // The member keys of a view (projections/views.h), in its order; nullopt for a view not
  // configured in `state`. O(tickets): for rebuilds and tests; the store answers `query view`.
  std::optional<std::vector<std::string>> ViewMembers(const DeskState& state, const std::string& view) const;
  // Whether `key` (a view member key) is a member now: its ticket lists it.
  bool IsViewMember(const std::string& key) const;
  // Whether `key` (monitor.h's SlaRiskKey) is a ticket's entry now.
  bool IsSlaRiskEntry(const std::string& key) const;

  const Dirty& dirty() const { return dirty_; }
  void ClearDirty() {
    dirty_ = Dirty();
    feeds_.ClearDirty();
  }
  // The agents' presence changes not yet evicted, in log order (all of them in a fold that does not
  // evict); those since ClearDirty are dirty().presence (B73).
  const std::deque<PresenceChange>& presence() const { return presence_; }
  const PresenceChange* FindPresence(std::uint64_t seq) const;
  // Each agent's notification list (its items changed since ClearDirty are feeds().dirty()).
  const AgentFeeds& feeds() const { return feeds_; }

  // Memory bounded by open work, as DeskState::Evict: what a closed ticket's records need leaves
  // once its closing is durable (and rendered: call after the dirty records were taken), and so do
  // the counters of hours that are over and the presence changes that are durable. A closed ticket
  // is in no view (ViewKeysOf), so nothing of its memberships has to stay.
  void Evict(std::uint64_t durable_seq);
  // What a closed ticket's record shows beyond the decision state, read back from its events.
  static TicketExtras ExtrasOf(const std::vector<Event>& ticket_events);
  // A closed ticket's, read back: it leaves again at the next Evict.
  void Admit(std::uint64_t ticket, TicketExtras extras) {
    tickets_.emplace(ticket, std::move(extras));
    closed_.emplace(ticket, 0);
  }
  std::size_t ticket_count() const { return tickets_.size(); }

  // A fold that does not render (recovery, replay) needs each ticket's records only as of its last
  // event, not after every one of them: while deferring, the refresh a ticket's event asks for
  // (its view keys, SLA figures, queue) is noted with the event's time and made once, at
  // FlushRefreshes, with the time of the last one noted, which gives what refreshing after every
  // event gives. That holds only while nothing a view reads changes without an event that refreshes
  // the ticket: a configuration whose views read conversation variables, the session or whether the
  // contact is returning is refreshed after every event, as without deferring. The dirty sets are
  // not kept up to date while deferring: call it only where they are dropped. Flush before Evict
  // (here and in the decision state) and before reading any ticket's records.
  void DeferRefreshes(const DeskState& state);
  void FlushRefreshes(const DeskState& state);
  void StopDeferring(const DeskState& state) {
    FlushRefreshes(state);
    defer_ = false;
  }

 private:
  void Count(const Event& e, const DeskState& state);
  void RefreshTicket(const Ticket& t, const DeskState& state, Timestamp now);
  void RefreshViews(const Ticket& t, const DeskState& state, Timestamp now, TicketExtras& x);
  void RefreshSla(const Ticket& t, TicketExtras& x);
  void RefreshOrDefer(const Ticket& t, const DeskState& state, Timestamp now);

  std::unordered_map<std::uint64_t, TicketExtras> tickets_;
  std::map<std::uint64_t, std::uint64_t> closed_;  // ticket -> the seq that closed it
  std::uint64_t evicted_upto_ = 0;                 // the durable seq of the last Evict
  std::vector<std::string> views_in_force_;        // the views of the configuration last applied
  std::size_t queues_known_ = 0;                   // how many queues the decision state has: each has a record
  DayCounters today_;
  std::map<std::pair<std::int64_t, Channel>, HourCounters> hours_;  // (hours since epoch, channel)
  std::map<std::string, int> sla_breached_;                         // a group stays once it had one: its record says 0
  std::deque<PresenceChange> presence_;
  Timestamp now_ = 0;
  std::uint64_t last_seq_ = 0;
  Dirty dirty_;
  AgentFeeds feeds_;
  // Deferred refreshes (DeferRefreshes): not in a snapshot, which is taken when none is pending.
  bool defer_ = false;
  bool views_deferrable_ = true;  // the views in force read only what refreshes their tickets
  std::unordered_map<std::uint64_t, Timestamp> pending_refreshes_;  // ticket -> the time to refresh it at
};

}  // namespace switchboard
