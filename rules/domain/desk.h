// Desk: the domain's decisions, in plain C++: given the state and a command, which events happen.
//
// Handle(command) first fires every timer due at or before the command's time, each at its own due
// time, then decides the command. Each event is applied to the state the moment it is emitted, so a
// later decision in the same change sees the earlier ones; a command is validated completely before
// its first event, so a refused command changes nothing but adds its `command.rejected`.
// Deterministic: the same state and command give the same events. No threads, no disk; the engine
// actor owns one Desk. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "events/command.h"
#include "events/event.h"
#include "rules/domain/desk_state.h"
#include "rules/domain/ticket_facts.h"
#include "rules/domain/ticket_rules.h"

namespace switchboard {

class Desk {
 public:
  // `state` is settled: every change in its log was routed when it was decided, so the routing notes
  // its fold took while replaying are history, and are dropped.
  explicit Desk(DeskState* state);

  // Decides `command`; `wall_now` is the clock for a command without `at`. Appends the events, with
  // seq, at and cmd filled, to `out`.
  void Handle(const Command& command, Timestamp wall_now, std::vector<Event>* out);

  // Records `config_text` as the configuration in force when it differs from it (events with no
  // command); a refused document is returned as a rejection and changes nothing.
  std::optional<Rejection> ApplyConfiguration(const std::string& config_text, Timestamp at, std::vector<Event>* out);

 private:
  void Emit(Event event);
  void Reject(const Command& c, const Rejection& r);
  void FireTimers(Timestamp upto);
  void FireInactivity(std::uint64_t conversation);
  void RunChangeTriggers();
  void SettleLoads();

  // One change (a command, or a timer): snapshots of the tickets it touches are taken as it goes;
  // EndChange runs the triggers on each of them (B40-B42), then settles agent loads.
  void BeginChange(const char* update_via);
  void EndChange();

  // desk_rules.cpp: triggers, automations, actions, CSAT, macros.
  void RunTriggers(std::uint64_t ticket);
  void FireAutomations(std::uint64_t ticket);
  void ApplyActions(const std::vector<Action>& actions, std::uint64_t ticket, const char* via,
                    const std::string& author, const std::string& agent);
  std::optional<Rejection> CsatRate(const Command& c);
  std::optional<Rejection> MacroApply(const Command& c);

  // desk_bot.cpp: the bot phase of a conversation (B1-B7).
  void StartBot(std::uint64_t conversation);
  void RunBot(std::uint64_t conversation, std::string step);
  void AnswerBot(std::uint64_t conversation, const std::string& text);
  // Returns the next step, or nullopt when the flow waits for an HTTP answer.
  std::optional<std::string> Lookup(std::uint64_t conversation, const BotStep& step);
  std::optional<Rejection> LookupResult(const Command& c);
  void SaveLookupAnswer(std::uint64_t conversation, const BotStep& step, const LookupConfig& lookup,
                        const std::string& result);
  // A question (`awaits`) that the contact already answered while a lookup was pending takes the
  // first held message as its answer: it is kept in held_answer_ for TakeHeldAnswers.
  void BotSay(std::uint64_t conversation, const std::string& step, const std::string& text, bool awaits);
  // Answers, in order, the questions the contact answered ahead of time (B5).
  void TakeHeldAnswers(std::uint64_t conversation);
  void Handoff(std::uint64_t conversation, const std::string& group, const std::string& priority,
               const std::string& step);
  void SayHandoffMessages();

  // desk_routing.cpp: routing and capacity (B10-B17).
  struct Placement {
    std::string group, reason, priority, language;
    std::vector<std::string> skills;
    std::string why;  // for a fallback: the internal note saying why no rule placed the ticket (B11)
  };
  Placement Place(std::uint64_t conversation, const std::string& group, const std::string& step) const;
  void RouteNewTicket(std::uint64_t ticket, std::uint64_t conversation, const std::string& group,
                      const std::string& priority, const std::string& step);
  // Routes what the fold noted as waiting (new queue entries, groups with room) until nothing moves.
  void RoutePending();
  // Decides for one queued ticket; `announce`: record the decision even when nobody can take it
  // (a ticket just queued), rather than staying silent (a drain that finds nobody).
  bool RouteTicket(std::uint64_t ticket, bool announce);
  void DrainGroup(const std::string& group);
  void ReleaseAbsentAgent(const std::string& agent);
  // `reason`: timed_out, accepted (another agent took it), agent_unavailable, transferred.
  void WithdrawOffers(std::uint64_t ticket, const std::string& except, const char* reason);  // all but `except`'s
  void WithdrawOffer(std::uint64_t ticket, const std::string& agent, const char* reason);
  void FireOfferTimeout(std::uint64_t ticket);
  std::optional<std::pair<Timestamp, std::string>> NextGroupOpening();
  std::optional<Rejection> AgentAccept(const Command& c);
  std::optional<Rejection> TicketTransfer(const Command& c);

  std::optional<Rejection> Decide(const Command& c);
  std::optional<Rejection> ContactMessage(const Command& c);
  std::optional<Rejection> AgentStatus(const Command& c);
  std::optional<Rejection> AgentMessage(const Command& c);
  std::optional<Rejection> TicketUpdate(const Command& c);
  std::optional<Rejection> SessionEnd(const Command& c);
  std::optional<Rejection> ConfigApply(const std::string& text);

  // B5: whether the bot waits for an HTTP lookup's answer; a message then is held, not an answer.
  bool AwaitsLookup(const Conversation& c) const;
  // Seed 004: once an agent ended the messaging session, a public reply reaches the contact only by
  // email; false when the session ended and the contact has no email address.
  bool CanReachContact(const Ticket& t) const;
  // An agent's public reply (agent.message, a macro's text); `public_given`: the command said so
  // explicitly. Without it, a reply the contact cannot receive becomes an internal note, saying why.
  std::optional<Rejection> AgentReply(const Ticket& t, const std::string& agent, const std::string& text,
                                      bool is_public, bool public_given);
  void StartConversation(const Command& c);
  void ContinueConversation(const Command& c, const Conversation& conv);
  void UpdateProfile(const Command& c);
  void EmitContactMessage(const Command& c, std::uint64_t conversation, std::uint64_t ticket);
  void ChangeStatus(const Ticket& t, const std::string& to, const char* via);
  // The one ticket.updated for whatever of group, priority and tags differs from the ticket now
  // (nothing when none does); `agent` names who acts, or is empty for rules and the bot.
  void UpdateTicket(std::uint64_t ticket, const std::string& group, const std::string& priority,
                    std::vector<std::string> tags, const std::string& agent);
  void Assign(const Ticket& t, const std::string& agent);

  DeskState* state_;
  std::vector<Event>* out_ = nullptr;
  Timestamp clock_ = 0;
  std::string cmd_;
  std::string rule_;         // the trigger or automation whose actions are being emitted
  std::string actor_;        // the agent whose command makes this change (the events' `by`, B53)
  std::string held_answer_;  // a held message that the question just asked takes as its answer
  struct HandoffMessage {
    std::uint64_t conversation;
    std::string step, text;
  };
  std::vector<HandoffMessage> handoff_messages_;  // said at the end of the change, once routed
  const char* update_via_ = "system";
  std::map<std::uint64_t, std::optional<TicketSnapshot>> touched_;  // nullopt: created by this change
  // When each group with business hours next opens: derived from the configuration and the clock
  // only, so a restarted Desk computes the same instants (not state, a cache).
  std::map<std::string, Timestamp> next_opening_;
  std::uint32_t next_opening_version_ = 0;
  // Groups whose last opening moved nothing: later openings cannot either until something changes
  // in the group (an agent, a capacity, a queue entry), so they are not timers until then. Without
  // this, letting time jump years ahead walked every day's opening (a cost of O(days), not of
  // what fires). Not in the log: a fruitless opening emits nothing, so a restarted Desk that fires
  // one more gives the same events.
  std::set<std::string> dormant_openings_;
};

}  // namespace switchboard
