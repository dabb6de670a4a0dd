#include "actors/conversation_actor.h"

#include <caf/all.hpp>

#include "storage/restore.h"

namespace switchboard {

ConversationActor::behavior_type ConversationBehavior(
    ConversationActor::stateful_pointer<ConversationActorState> self, std::uint64_t conversation, EventStore* store,
    std::uint64_t restore_before) {
  if (restore_before != 0) {
    self->state.failure = RestoreBotSession(*store, conversation, restore_before, &self->state.session);
  }
  return {
      [self](turn_atom, BotTurnRequest& request) -> BotTurnReply {
        auto& st = self->state;
        if (!st.failure.ok()) {
          BotTurnReply failed;
          failed.status = st.failure;
          return failed;
        }
        BotTurnReply reply = st.session.Take(request);
        if (reply.done) self->quit();  // the bot's part is over: the desk routes the rest
        return reply;
      },
      [self](hear_atom, std::vector<Event>& events) {
        auto& st = self->state;
        for (const Event& e : events) {
          if (!st.failure.ok()) return;
          st.failure = st.session.Hear(e);
        }
      },
      [self](passivate_atom) { self->quit(); },
  };
}

}  // namespace switchboard
