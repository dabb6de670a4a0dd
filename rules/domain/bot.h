// The bot flow of one conversation (B1-B7): the greeting, questions and their retries, branches,
// table and HTTP lookups (and the messages held while one is pending), article suggestions,
// messages, self-service, and the hand-off request.
//
// A turn of the bot reads one conversation, its contact, the configuration and the clock, and emits
// the conversation's events through a BotWorld, which applies each at once (the next step sees it).
// It never reads another conversation or any ticket, so the same code decides inside the desk
// (rules/domain/conversation_decide.cpp) and inside a conversation's own actor. A hand-off is not
// made here: the turn ends with a BotOutcome asking for it, and the desk creates and routes the
// ticket. Pure; not thread-safe (one world at a time).
#pragma once

#include <optional>
#include <string>

#include "events/command.h"
#include "events/event.h"
#include "rules/config.h"
#include "rules/domain/contact.h"
#include "rules/domain/conversation.h"

namespace switchboard {

class BotWorld {
 public:
  virtual ~BotWorld() = default;
  virtual const Configuration& config() const = 0;
  virtual Timestamp now() const = 0;
  // As of the last event emitted.
  virtual const Conversation& conversation() const = 0;
  virtual const BotPhase& phase() const = 0;
  virtual const Contact* contact() const = 0;
  // The estimated wait of the conversation's channel ({{wait}} before there is a ticket).
  virtual std::optional<Timestamp> EstimatedWait() const = 0;
  // Emits an event of this conversation (its envelope is filled by the world, which applies it).
  virtual void Emit(Event e) = 0;
};

// The answer (or failure) of an HTTP lookup (a lookup.result command).
struct LookupAnswer {
  std::string lookup;
  std::string result;  // JSON text
  std::string error;   // empty: it answered
};

// What the desk does once a turn ends.
struct BotOutcome {
  bool handoff = false;              // create the ticket and route it (B7)
  std::string group;                 // the hand-off step's group; empty: the routing rules decide
  std::optional<Priority> priority;  // the hand-off step's priority
  std::string step;                  // the step that handed off ("" when the flow ran out)
};

// B1: the greeting, then the flow from its start (or a hand-off when the bot is only a greeting).
BotOutcome StartBot(BotWorld& world);
// The contact's message while the bot waits for an answer (B2, B3, B6), then the answers the contact
// gave ahead of time (B5).
BotOutcome AnswerBot(BotWorld& world, const std::string& text);
// The answer (or failure) of the HTTP lookup the flow waits for (B5); a result that no longer
// matches a waiting lookup changes nothing.
BotOutcome AnswerLookup(BotWorld& world, const LookupAnswer& answer);

}  // namespace switchboard
