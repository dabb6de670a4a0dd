// The conversation actor: one conversation's BotSession (rules/domain/bot_session.h) behind the
// ConversationActor interface (actors/interfaces.h).
//
// The desk spawns one when the bot first needs it (a new conversation) or when a conversation the bot
// still has is touched again after its actor was passivated; a restored actor first folds its
// conversation's stream from the store (every event before `restore_before`, all durable: the desk
// passivates an actor only once the journal has written everything it heard). It stops itself after
// the turn that ends the bot's part (hand-off, self-service) and on passivate.
#pragma once

#include <cstdint>

#include "actors/interfaces.h"
#include "rules/domain/bot_session.h"
#include "storage/event_store.h"

namespace switchboard {

struct ConversationActorState {
  BotSession session;
  Status failure;  // a stream that could not be folded: said with the next turn
  static inline const char* name = "conversation";
};

// `restore_before`: 0 for a conversation that starts now, else the seq before which its stream is read.
ConversationActor::behavior_type ConversationBehavior(
    ConversationActor::stateful_pointer<ConversationActorState> self, std::uint64_t conversation, EventStore* store,
    std::uint64_t restore_before);

}  // namespace switchboard
