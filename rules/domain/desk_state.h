// DeskState: the decision state of one desk: its aggregates (contacts, conversations, tickets,
// agents, routing) and the timers, as the log says they are.
//
// Apply folds one event: each aggregate the event concerns applies it (rules/domain/contact.h,
// conversation.h, ticket.h, agent.h, routing_state.h), then what follows from several of them is
// brought up to date: whose capacity a ticket holds, whether it waits in a queue, when an automation
// could come due. Apply is pure and deterministic: the same events in the same order give the same
// state, which is what makes replay and `--verify` work; an event that cannot be applied as the log
// says (a recorded configuration this build refuses, a status it does not know) makes it fail with
// a Corruption naming the event, and the state no longer follows the log. What only the query records
// need is not here: projections/read_model folds it beside this state.
// Not thread-safe: one owner (the desk, or a replay) at a time.
#pragma once

#include <cstdint>
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
#include "events/vocabulary.h"
#include "rules/agent_changes.h"
#include "rules/config.h"
#include "rules/domain/agent.h"
#include "rules/domain/contact.h"
#include "rules/domain/conversation.h"
#include "rules/domain/routing_state.h"
#include "rules/domain/ticket.h"
#include "switchboard/status.h"

namespace switchboard {

class DeskState {
 public:
  friend struct SnapshotAccess;  // storage/snapshot.cpp reads and restores every field

  DeskState();

  // Folds the event; the first failure is kept (failure()) and returned again by every later call.
  Status Apply(const Event& event);

  const Configuration& config() const { return *config_; }
  const std::shared_ptr<const Configuration>& shared_config() const { return config_; }
  std::uint32_t config_version() const { return config_version_; }
  std::uint64_t last_seq() const { return last_seq_; }
  Timestamp now() const { return now_; }

  const Ticket* FindTicket(std::uint64_t id) const;
  const Conversation* FindConversation(std::uint64_t id) const;
  const AgentState* FindAgent(const std::string& id) const;
  const Contact* FindContact(const std::string& id) const;
  std::uint64_t ticket_count() const { return ticket_count_; }  // tickets are numbered 1 .. ticket_count()
  std::uint64_t conversation_count() const { return conversation_count_; }
  const std::unordered_map<std::string, AgentState>& agents() const { return agents_; }
  const std::unordered_map<std::string, Contact>& contacts() const { return contacts_; }
  const std::unordered_map<std::uint64_t, Conversation>& conversations() const { return conversations_; }
  const std::unordered_map<std::uint64_t, Ticket>& tickets() const { return tickets_; }

  // Routing (rules/domain/routing_state.h).
  const RoutingState& routing() const { return routing_; }
  const RoutedTicket* FindRouted(std::uint64_t ticket) const;
  const AgentLedger* FindLedger(const std::string& agent) const;
  // Where the ticket counts against an agent's capacity now, if anywhere (B15, B32).
  std::optional<Holding> HoldingOf(const Ticket& t) const;
  // Whether the ticket should wait in its group's queue (B14): it has a group and no agent, no open
  // offer, is new or open, and its messaging session has not ended (B31: no routing after that).
  bool Queueable(const Ticket& t) const;
  // The queue of `group` and `channel`; nullptr when nothing ever waited there.
  const TicketQueue* FindQueue(const std::string& group, Channel channel) const;
  const std::map<std::pair<std::string, Channel>, TicketQueue>& queues() const { return routing_.queues; }
  // A queued ticket's position in its queue, from 1; 0 when it does not wait.
  std::uint64_t QueuePosition(const Ticket& t) const;
  // The creation time of the oldest ticket waiting in a queue (0 when it is empty), whatever its
  // priority: the monitor's oldest wait.
  Timestamp OldestQueued(const std::string& group, Channel channel) const;
  // The agent that the last round-robin decision in `group` chose (B12 assignment); empty: none yet.
  const std::string& RoundRobinLast(const std::string& group) const;
  // The estimated wait for a new ticket (B7, B14): the mean of the last waits (creation to first
  // assignment) in that group and channel, or, with an empty group, in any group of that channel.
  // nullopt before any ticket there was assigned.
  std::optional<Timestamp> EstimatedWait(const std::string& group, Channel channel) const;
  // Routing work the fold noticed since the last call: tickets that came into a queue, groups
  // where capacity was freed or an agent came online (the queue may drain), agents whose held counts
  // moved (their recorded loads are settled, B15). Sorted: deterministic.
  std::set<std::uint64_t> TakeEnteredQueue() { return std::exchange(routing_.entered_queue, {}); }
  std::set<std::string> TakeDrainGroups() { return std::exchange(routing_.drain_groups, {}); }
  std::set<std::string> TakeLoadsMoved() { return std::exchange(routing_.loads_moved, {}); }

  // When settings.close_solved_after_hours closes a solved ticket (B23); 0: it does not.
  Timestamp CloseSolvedDue(const Ticket& t) const;

  // The earliest pending inactivity timer: (due, conversation).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextInactivity() const;
  // The earliest automation timer: (due, ticket).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextAutomation() const;
  // The earliest SLA breach to come: (due, ticket) (B63).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextSlaBreach() const;
  // The earliest instant a proactive rule may come to hold for a visitor (B70), and whom.
  std::optional<std::pair<Timestamp, std::string>> NextProactive() const;
  // The timer came and no rule held after all (what it was computed from changed without an event
  // about the visitor): it is dropped until the visitor's next event. Events are unchanged by this,
  // so a restarted state that still holds the timer fires it to the same nothing.
  void DropProactiveTimer(const std::string& contact, Timestamp due);
  // The earliest broadcast offer time-out: (due, ticket).
  std::optional<std::pair<Timestamp, std::uint64_t>> NextOfferTimeout() const;

  // Not OK once an event could not be applied as the log says: the state no longer follows the log,
  // and whoever folds must stop with this cause.
  const Status& failure() const { return failure_; }

  // Memory bounded by open work. What is finished (a closed ticket, a finished conversation, a contact
  // with no conversation going on) leaves the state once every event about it is durable, when
  // Evict(durable_seq) is called; it is read back from the log (the Restorer) when an event or a
  // command names it again. A state that never evicts (a test, a simulation, a verified replay) keeps
  // everything and decides the same: eviction changes memory, never a decision.
  void Evict(std::uint64_t durable_seq);
  class Restorer {
   public:
    virtual ~Restorer() = default;
    // Folds the contact's (or the ticket's, with its conversation) events before `before_seq` from
    // the log and Admits them; OK without admitting anything when the log has none.
    virtual Status RestoreContact(DeskState& state, const std::string& id, std::uint64_t before_seq) = 0;
    virtual Status RestoreTicket(DeskState& state, std::uint64_t id, std::uint64_t before_seq) = 0;
  };
  void SetRestorer(Restorer* restorer) { restorer_ = restorer; }
  Restorer* restorer() const { return restorer_; }
  // Whether the ticket exists but left the state (closed, then evicted).
  bool Evicted(std::uint64_t ticket) const { return ticket >= 1 && ticket <= ticket_count_ && !tickets_.count(ticket); }
  // Brings back the contact and the ticket a command names, if they left, before it is decided (a
  // contact writing again, a CSAT rating on a closed ticket); the next event's seq bounds the read.
  Status Recall(const std::string& contact, std::uint64_t ticket);
  // Puts back what a restorer read from the log; it leaves again at the next Evict.
  void Admit(Contact contact);
  void Admit(Ticket ticket, std::optional<Conversation> conversation);
  // Whether the configuration in force at `seq` had a bot flow (a conversation started then began
  // with the bot): what folding a conversation's own stream needs of the configurations.
  bool BotAt(std::uint64_t seq) const;

 private:
  Status Dispatch(const Event& e);
  Status ApplyConfig(const Event& e);
  void ApplyRouting(const Event& e);
  void FinishConversation(Conversation& c, std::uint64_t seq);
  Contact& ContactAt(const std::string& id, std::uint64_t seq);
  Status RestoreIfEvicted(const Event& e);
  Status RecallContact(const std::string& id, std::uint64_t before_seq);
  void SetInactivityTimer(Conversation& c, Timestamp due);
  void SetOfferTimer(std::uint64_t ticket, RoutedTicket& r, Timestamp due);
  void DrainGroupsOf(const std::string& agent);
  AgentState& AgentAt(const std::string& id);
  // After every event about a ticket: the capacity it holds, its automations' next due time, its
  // place in a queue.
  void RefreshTicket(Ticket& t, Timestamp now);
  void RefreshHolding(const Ticket& t, RoutedTicket& r);
  void RefreshAutomations(Ticket& t, Timestamp now);
  void RefreshQueue(const Ticket& t, RoutedTicket& r);
  Status ApplyAgentUpdated(const Event& e);
  void RefreshProactive(Contact& c, Timestamp now);

  // What is in force: the document last applied (document_config_) with the supervisors' agent
  // changes laid over it (B74).
  std::shared_ptr<const Configuration> config_;
  std::shared_ptr<const Configuration> document_config_;
  std::map<std::string, AgentChanges> agent_changes_;
  std::uint32_t config_version_ = 0;
  std::uint64_t last_seq_ = 0;
  Timestamp now_ = 0;
  std::uint64_t ticket_count_ = 0;
  std::uint64_t conversation_count_ = 0;
  std::unordered_map<std::string, Contact> contacts_;
  std::unordered_map<std::uint64_t, Conversation> conversations_;
  std::unordered_map<std::uint64_t, Ticket> tickets_;
  std::unordered_map<std::string, AgentState> agents_;
  RoutingState routing_;
  std::set<std::pair<Timestamp, std::uint64_t>> inactivity_timers_;
  std::set<std::pair<Timestamp, std::uint64_t>> automation_timers_;
  std::set<std::pair<Timestamp, std::uint64_t>> offer_timers_;
  std::set<std::pair<Timestamp, std::uint64_t>> sla_timers_;
  std::set<std::pair<Timestamp, std::string>> proactive_timers_;  // (due, contact)
  // What may leave at the next Evict, with the seq from which on it is finished.
  std::uint64_t evicted_upto_ = 0;  // the durable seq of the last Evict
  std::map<std::uint64_t, std::uint64_t> closed_tickets_;
  std::map<std::uint64_t, std::uint64_t> finished_conversations_;
  std::set<std::string> idle_contacts_;
  std::set<std::string> not_in_log_;        // contacts the restorer found nothing of since the last Evict
  std::map<std::uint64_t, bool> bot_from_;  // config.applied seq -> whether it has a bot flow
  Restorer* restorer_ = nullptr;
  Status failure_;
};

}  // namespace switchboard
