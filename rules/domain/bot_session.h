// BotSession: one conversation's bot, the state it decides over and the turns it takes (B1-B7).
//
// The desk decides every command in order, and when a command ends with the bot's turn (a new
// conversation, the contact's message while the bot has it, a lookup's answer) it asks the
// conversation's session for that turn with a BotTurnRequest: the events of the conversation the
// session has not heard yet, and what only the desk knows (the contact's profile, the estimated
// wait, the configuration, the seq the turn's first event will get). The session folds them, runs
// the bot (rules/domain/bot.h) over its own Conversation and BotPhase, and answers with the turn's
// events, envelope filled as the desk will fill it, and the outcome (a hand-off for the desk to
// route). The desk emits those events as they are: the same input gives the same events whether the
// session lives in the desk's own Desk::Handle (tests, the day simulator) or in a conversation actor
// (actors/conversation_actor.h). A session is folded from its conversation's stream, so a passivated
// one is restored by reading that stream back. Pure; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "events/event.h"
#include "rules/config.h"
#include "rules/domain/bot.h"
#include "rules/domain/conversation.h"
#include "switchboard/status.h"

namespace switchboard {

enum class BotTurnKind : std::uint8_t {
  kStart,   // B1: a new conversation (its conversation.started and first message are in `prior`)
  kAnswer,  // the contact wrote while the bot has the conversation (the message is in `prior`)
  kLookup,  // the answer of the HTTP lookup the bot waits for (B5)
};

struct BotTurnRequest {
  BotTurnKind kind = BotTurnKind::kStart;
  std::uint64_t conversation = 0;
  std::vector<Event> prior;        // the conversation's events the session has not heard, in log order
  bool has_bot = true;             // a conversation.started in `prior` begins with the bot (DeskState::BotAt)
  std::optional<Contact> contact;  // as the desk has it (what the bot reads of it is its profile)
  std::optional<Timestamp> wait;   // {{wait}}: the estimated wait of the conversation's channel
  Timestamp at = 0;
  std::uint64_t next_seq = 0;  // the seq the desk gives the turn's first event
  std::shared_ptr<const Configuration> config;
  std::string text;     // kAnswer: the contact's message
  LookupAnswer answer;  // kLookup
};

struct BotTurnReply {
  std::vector<Event> events;  // the turn's events, in order
  BotOutcome outcome;
  bool done = false;  // nothing is left for the bot: handed off or self-solved (the session may go)
  Status status;      // not ok: the session could not fold its stream; the desk stops
};

class BotSession {
 public:
  // Folds one event of the conversation's stream. `has_bot`: as BotTurnRequest::has_bot.
  Status Hear(const Event& e, bool has_bot = true);
  // Folds `request.prior`, then takes the turn.
  BotTurnReply Take(BotTurnRequest& request);

  const Conversation& conversation() const { return conversation_; }
  const BotPhase& phase() const { return phase_; }
  std::uint64_t last_seq() const { return last_seq_; }
  bool done() const { return conversation_.finished || (conversation_.id != 0 && !conversation_.in_bot); }

 private:
  Conversation conversation_;
  BotPhase phase_;
  std::uint64_t last_seq_ = 0;
};

}  // namespace switchboard
