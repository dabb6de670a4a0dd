// Change: one command or one timer being decided, passed to every decision explicitly.
//
// A change is the unit of atomicity and of rules (B40: triggers run once per change): everything it
// emits goes into the same write. It carries what a decision needs to know about the change itself:
// its time, the command that caused it, the rule whose actions are being emitted, who made it (the
// `update_via` of conditions, and the agent, named on every event as `by`), the snapshots of the
// tickets it touched (for `changed*` conditions) and the output. Emit is the one way an event is
// made: it fills the envelope, snapshots a ticket the first time the change touches it, applies the
// event to the state at once (a later decision in the same change sees it) and appends it to the
// output. Not thread-safe: one change at a time, on the desk's thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "events/event.h"
#include "rules/domain/bot_session.h"
#include "rules/domain/desk_state.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {

// The ids an event concerns: `About().Ticket(7).Agent("alice")`.
struct About {
  std::uint64_t conversation_id = 0;
  std::uint64_t ticket_id = 0;
  std::string contact_id;
  std::string agent_id;

  About& Conversation(std::uint64_t id) {
    conversation_id = id;
    return *this;
  }
  About& Ticket(std::uint64_t id) {
    ticket_id = id;
    return *this;
  }
  About& Contact(std::string id) {
    contact_id = std::move(id);
    return *this;
  }
  About& Agent(std::string id) {
    agent_id = std::move(id);
    return *this;
  }
};

class Change {
 public:
  // `via`: who makes it (agent, contact, trigger, automation, system); `actor`: the agent whose
  // command it is, empty for contacts, timers and the system.
  Change(DeskState* state, std::vector<Event>* out, Timestamp at, std::string cmd, const char* via, std::string actor);

  DeskState& state() { return *state_; }
  const DeskState& state() const { return *state_; }
  const Configuration& config() const { return state_->config(); }
  Timestamp at() const { return at_; }
  const char* via() const { return via_; }
  const std::string& actor() const { return actor_; }
  std::vector<Event>& out() { return *out_; }

  // The rule (trigger or automation) whose actions the next events carry as `rule`; empty: none.
  void set_rule(std::string rule) { rule_ = std::move(rule); }

  template <class Payload>
  void Emit(const About& about, Payload payload) {
    Emit(about, MakeEvent(std::move(payload)));
  }
  void Emit(const About& about, Event event);

  // The tickets this change touched, each as it was before the change (nullopt: created by it).
  const std::map<std::uint64_t, std::optional<TicketSnapshot>>& touched() const { return touched_; }

  // The decision ends with the bot's turn (always the tail of a decision): the desk has the
  // conversation's session take it, then ends the change (Desk::Begin, Desk::Resume).
  struct BotAsk {
    BotTurnKind kind = BotTurnKind::kStart;
    std::uint64_t conversation = 0;
    std::string text;     // kAnswer
    LookupAnswer answer;  // kLookup
  };
  void AskBot(BotAsk ask) { bot_ask_ = std::move(ask); }
  std::optional<BotAsk> TakeBotAsk() { return std::exchange(bot_ask_, std::nullopt); }

  // The bot's hand-off messages, said once routing has decided (so {{position}} is true).
  struct HandoffMessage {
    std::uint64_t conversation;
    std::string step, text;
  };
  void SayAfterRouting(HandoffMessage m) { handoff_messages_.push_back(std::move(m)); }
  std::vector<HandoffMessage> TakeHandoffMessages() { return std::exchange(handoff_messages_, {}); }

 private:
  DeskState* state_;
  std::vector<Event>* out_;
  Timestamp at_;
  std::string cmd_;
  std::string rule_;
  const char* via_;
  std::string actor_;
  std::map<std::uint64_t, std::optional<TicketSnapshot>> touched_;
  std::optional<BotAsk> bot_ask_;
  std::vector<HandoffMessage> handoff_messages_;
};

}  // namespace switchboard
