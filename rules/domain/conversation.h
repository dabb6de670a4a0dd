// Conversation: one customer request, from the first message until its ticket is closed or
// self-service solves it; its session (active, inactive, ended), whether the bot still has it, its
// variables and the lookup it waits for. BotPhase: what only the bot's flow reads (B1-B7): the step
// waiting for an answer, retries, the contact's words, the messages held while a lookup is pending.
//
// The desk holds the Conversation of every open conversation (routing, conditions and placeholders
// read it); a conversation's own actor (rules/domain/bot_session.h) holds both, and is the only
// one that decides its bot's turns. Both are folded from the events of the conversation's stream.
// Plain data and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/time.h"
#include "events/vocabulary.h"
#include "switchboard/status.h"

namespace switchboard {

struct Conversation {
  std::uint64_t id = 0;
  std::string contact;
  Channel channel = Channel::kMessaging;
  std::uint64_t ticket = 0;
  Session session = Session::kActive;
  bool finished = false;  // self-solved, or its ticket closed: the contact's next message starts anew
  Timestamp started_at = 0;
  std::string proactive_rule;  // the proactive rule whose message it answers (B70); empty: the contact began
  Timestamp last_contact_message_at = 0;
  Timestamp inactive_due = 0;  // 0: no inactivity timer pending
  // The bot phase (B1-B6): from the first message until hand-off or self-service.
  bool in_bot = false;
  std::map<std::string, std::string> vars;  // var.NAME -> JSON text, for this conversation only
  std::uint64_t lookup_started = 0;         // seq of the lookup.started still waiting for its answer

  // B5: whether the bot waits for an HTTP lookup's answer (a contact's message is then held).
  bool AwaitsLookup() const { return in_bot && lookup_started != 0; }

  // Folds an event of this conversation's stream. `has_bot`: a bot flow is configured (a new
  // conversation starts in its bot phase). Corruption for content that cannot be what the log says.
  Status Apply(const Event& e, bool has_bot);
  // Its ticket was closed: the contact's next message starts a new conversation (B22).
  void Finish() { finished = true; }
};

struct BotPhase {
  std::string step;               // the step waiting for the contact's answer; empty while none waits
  int attempts = 0;               // invalid answers given to `step` so far
  std::string words;              // the contact's messages during the bot phase
  std::vector<std::string> held;  // messages written while a lookup was pending, for the next questions

  // Folds an event of the conversation's stream, after `conversation` has folded it.
  void Apply(const Event& e, const Conversation& conversation);
};

}  // namespace switchboard
