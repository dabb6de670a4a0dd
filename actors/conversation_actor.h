// The conversation actor: one conversation's BotSession (rules/domain/bot_session.h) behind the
// ConversationActor interface (actors/interfaces.h).
//
// The desk gives a conversation an actor when the bot first needs it (a new conversation) or when a
// conversation the bot still has is touched again after it was passivated; a restored one is first
// folded from the conversation's stream in the store (every event before the seq `host` names, all
// durable: the desk passivates only once the journal has written everything the actor heard). After
// the turn that ends the bot's part (hand-off, self-service) or on passivate, the actor is blank
// again, and the desk keeps a few blank ones to host the next conversations: spawning and stopping
// an actor per conversation cost a thread wake-up each (CAF's clock is told of every actor that
// stops).
#pragma once

#include <cstdint>

#include "actors/interfaces.h"
#include "rules/domain/bot_session.h"
#include "storage/event_store.h"

namespace switchboard {

struct ConversationActorState {
  std::uint64_t conversation = 0;  // 0: hosting none
  BotSession session;
  Status failure;  // a stream that could not be folded: said with the next turn
  static inline const char* name = "conversation";
};

// Its turns are answered to `desk`; one that cannot be taken (a stream that does not fold, an
// exception) is answered with a failed status, never left unanswered.
ConversationActor::behavior_type ConversationBehavior(ConversationActor::stateful_pointer<ConversationActorState> self,
                                                      EventStore* store, DeskActor desk);

}  // namespace switchboard
