// DeskState: contacts, conversations, tickets and agents as the log says they are, folded from events.
//
// One fold serves two readers: the domain decisions (rules/desk) read it to decide, and the query
// records (projections/records) are rendered from it. Apply is pure and deterministic: the same
// events in the same order give the same state, which is what makes replay and `--verify` work.
// What only the query records need (counters, view membership, first replies, which records
// changed) is not here: projections/read_model folds it beside this state.
// Not thread-safe: one owner (the engine actor, or a replay) at a time.
#pragma once

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/event.h"
#include "events/time.h"
#include "rules/config.h"

namespace switchboard {

enum class Session : std::uint8_t { kActive, kInactive, kEnded };
const char* SessionName(Session s);

struct Conversation {
  std::uint64_t id = 0;
  std::string contact;
  std::string channel;
  std::uint64_t ticket = 0;
  Session session = Session::kActive;
  bool finished = false;  // self-solved, or its ticket closed: the contact's next message starts anew
  Timestamp started_at = 0;
  Timestamp last_contact_message_at = 0;
  Timestamp inactive_due = 0;  // 0: no inactivity timer pending
  // The bot phase (B1-B6): from the first message until hand-off or self-service.
  bool in_bot = false;
  std::string bot_step;                     // the step waiting for the contact's answer; empty while none waits
  int bot_attempts = 0;                     // invalid answers given to bot_step so far
  std::map<std::string, std::string> vars;  // var.NAME -> JSON text, for this conversation only
  std::string words;                        // the contact's messages during the bot phase
  std::uint64_t lookup_started = 0;         // seq of the lookup.started still waiting for its answer
  std::vector<std::string> held;            // messages written while a lookup was pending, for the next questions
};

// Where a ticket counts against an agent's capacity, if anywhere (B15, B32).
struct Holding {
  std::string agent;
  std::string channel;
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
  std::string channel;
  QueueKey key;
  bool operator==(const QueuePlace& o) const { return group == o.group && channel == o.channel && key == o.key; }
};

struct Ticket {
  std::uint64_t id = 0;
  std::uint64_t conversation = 0;
  std::string contact;
  std::string channel;     // where it came from; never changes
  std::string handled_as;  // becomes "email" when the session ends
  std::string status = "new";
  std::string group;
  std::string assignee;  // empty: unassigned
  std::string priority = "normal";
  std::vector<std::string> tags;  // sorted
  std::string session_end_reason;
  bool solved_automatically = false;
  std::string csat;
  std::string solved_by;
  std::string created_via = "contact";  // how the ticket came to be (the `via` condition field)
  Timestamp created_at = 0;
  Timestamp solved_at = 0;
  Timestamp updated_at = 0;  // the last event about this ticket
  Timestamp status_changed_at = 0;
  Timestamp assigned_at = 0;
  Timestamp last_agent_message_at = 0;
  bool csat_offered = false;
  bool ever_assigned = false;  // its first assignment ended its wait (the estimated-wait samples)
  std::set<std::string> automations_holding;  // fired, and their conditions still hold (B43: once until then)
  Timestamp automation_due = 0;               // 0: no automation can come due by time alone
  std::optional<Holding> held;                // where this ticket is counted in AgentState::held_*
  // Routing (B10-B14): what its agent must have, its open broadcast offers, its place in a queue.
  std::string language;             // required of its agent; empty: any
  std::vector<std::string> skills;  // required of its agent, all of them
  std::vector<std::string> offers;  // agents it is offered to now, sorted
  Timestamp offer_due = 0;          // when those offers time out; 0: none open
  int offer_rounds = 0;             // rounds of offers that timed out since it was last assigned
  std::optional<QueuePlace> queued;
};

struct AgentState {
  std::string id;
  std::string status = "offline";
  int load_messaging = 0;  // as last recorded by agent.load_changed
  int load_email = 0;
  int held_messaging = 0;  // tickets holding its capacity now; SettleLoads records the difference
  int held_email = 0;
  std::set<std::uint64_t> tickets;  // assigned and not closed
  std::set<std::uint64_t> offers;   // tickets offered to it now (broadcast)
  Timestamp idle_since = 0;         // its last assignment, or its coming online: "longest idle" (B12)
};

struct Contact {
  std::string id;
  std::map<std::string, std::string> profile;  // field -> JSON text
  std::map<std::string, Value> values;         // the same fields parsed once, for conditions
  std::vector<std::uint64_t> conversations;
  std::vector<std::uint64_t> tickets;
  std::uint64_t open_messaging = 0;  // the conversation a messaging message goes to, 0: none
  std::uint64_t open_email = 0;
};

class DeskState {
 public:
  DeskState();

  void Apply(const Event& event);

  const Configuration& config() const { return *config_; }
  std::uint32_t config_version() const { return config_version_; }
  std::uint64_t last_seq() const { return last_seq_; }
  Timestamp now() const { return now_; }

  const Ticket* FindTicket(std::uint64_t id) const;
  const Conversation* FindConversation(std::uint64_t id) const;
  const AgentState* FindAgent(const std::string& id) const;
  const Contact* FindContact(const std::string& id) const;
  std::uint64_t ticket_count() const { return tickets_.size(); }
  std::uint64_t conversation_count() const { return conversations_.size(); }
  const std::unordered_map<std::string, AgentState>& agents() const { return agents_; }
  const std::unordered_map<std::string, Contact>& contacts() const { return contacts_; }
  const std::deque<Conversation>& conversations() const { return conversations_; }

  std::optional<Holding> HoldingOf(const Ticket& t) const;
  // Whether the ticket should wait in its group's queue (B14): it has a group and no agent, no open
  // offer, is new or open, and its messaging session has not ended (B31: no routing after that).
  bool Queueable(const Ticket& t) const;
  // The queue of `group` and `channel`; nullptr when nothing ever waited there.
  const TicketQueue* FindQueue(const std::string& group, const std::string& channel) const;
  // A queued ticket's position in its queue, from 1.
  std::uint64_t QueuePosition(const Ticket& t) const;

  // The agent that the last round-robin decision in `group` chose (B12 assignment); empty: none yet.
  const std::string& RoundRobinLast(const std::string& group) const;
  // Routing work the fold noticed since the last call: tickets that came into a queue, and groups
  // where capacity was freed or an agent came online (the queue may drain). Sorted: deterministic.
  std::set<std::uint64_t> TakeEnteredQueue() { return std::exchange(entered_queue_, {}); }
  std::set<std::string> TakeDrainGroups() { return std::exchange(drain_groups_, {}); }

  // The estimated wait for a new ticket (B7, B14): the mean of the last waits (creation to first
  // assignment) in that group and channel, or, with an empty group, in any group of that channel.
  // nullopt before any ticket there was assigned.
  std::optional<Timestamp> EstimatedWait(const std::string& group, const std::string& channel) const;

  // The creation time of the oldest ticket waiting in a queue (0 when it is empty), whatever its
  // priority: the monitor's oldest wait.
  Timestamp OldestQueued(const std::string& group, const std::string& channel) const;
  const std::map<std::pair<std::string, std::string>, TicketQueue>& queues() const { return queues_; }

  // When settings.close_solved_after_hours closes a solved ticket (B23); 0: it does not.
  Timestamp CloseSolvedDue(const Ticket& t) const;

  // The earliest pending inactivity timer: (due, conversation).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextInactivity() const;
  // The earliest automation timer: (due, ticket).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextAutomation() const;
  // The earliest broadcast offer time-out: (due, ticket).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextOfferTimeout() const;

  // The agents whose held counts moved since the last call: the desk settles their recorded loads
  // (B15). Sorted: deterministic.
  std::set<std::string> TakeLoadsMoved() { return std::exchange(loads_moved_, {}); }

  // Not OK once an event could not be applied as the log says (a recorded configuration that does
  // not parse): the state no longer follows the log, and whoever folds must stop with this cause.
  const Status& failure() const { return failure_; }

 private:
  Ticket& TicketAt(std::uint64_t id) { return tickets_.at(id - 1); }
  Conversation& ConversationAt(std::uint64_t id) { return conversations_.at(id - 1); }
  AgentState& AgentAt(const std::string& id);
  void SetAgentTicket(const std::string& agent, std::uint64_t ticket, bool has);
  void SetInactivityTimer(Conversation& c, Timestamp due);
  void RefreshHolding(Ticket& t);
  void RefreshAutomations(Ticket& t, Timestamp now);
  void RefreshQueue(Ticket& t);
  void SetOfferTimer(Ticket& t, Timestamp due);
  void DrainGroupsOf(const std::string& agent);
  void FinishConversation(Conversation& c);
  void ApplyConfig(const fb::ConfigAppliedT& p, Timestamp at, std::uint64_t seq);
  void ApplyTicketEvent(const Event& e);
  void ApplyConversationEvent(const Event& e);

  std::shared_ptr<const Configuration> config_;
  std::uint32_t config_version_ = 0;
  std::uint64_t last_seq_ = 0;
  Timestamp now_ = 0;
  // Deques, not vectors: growing never moves what is there (no pause that grows with the history,
  // and references stay valid).
  std::deque<Conversation> conversations_;  // conversation N at N-1
  std::deque<Ticket> tickets_;              // ticket N at N-1
  std::unordered_map<std::string, AgentState> agents_;
  std::unordered_map<std::string, Contact> contacts_;
  std::set<std::pair<Timestamp, std::uint64_t>> inactivity_timers_;
  std::set<std::pair<Timestamp, std::uint64_t>> automation_timers_;
  std::set<std::pair<Timestamp, std::uint64_t>> offer_timers_;
  std::map<std::pair<std::string, std::string>, TicketQueue> queues_;  // by (group, channel)
  std::unordered_map<std::string, std::string> round_robin_;           // group -> last agent chosen
  std::set<std::uint64_t> entered_queue_;
  std::set<std::string> drain_groups_;
  // The last waits per (group, channel); the group "" gathers every group of the channel.
  struct RecentWaits {
    static constexpr int kSize = 20;
    Timestamp samples[kSize] = {};
    int count = 0;
    int next = 0;
    Timestamp sum = 0;
    void Add(Timestamp wait);
  };
  std::map<std::pair<std::string, std::string>, RecentWaits> waits_;
  std::set<std::string> loads_moved_;
  Status failure_;
};

}  // namespace switchboard
