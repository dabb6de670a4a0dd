#include "actors/conversation_actor.h"

#include <caf/all.hpp>

#include <exception>
#include <string>

#include "storage/restore.h"

namespace switchboard {

ConversationActor::behavior_type ConversationBehavior(ConversationActor::stateful_pointer<ConversationActorState> self,
                                                      EventStore* store, DeskActor desk) {
  return {
      [self, store](host_atom, std::uint64_t conversation, std::uint64_t restore_before) {
        auto& st = self->state;
        st.conversation = conversation;
        st.session = BotSession();
        st.failure = Status::OK();
        if (restore_before != 0) st.failure = RestoreBotSession(*store, conversation, restore_before, &st.session);
      },
      [self, desk](turn_atom, BotTurnRequest& request) {
        auto& st = self->state;
        BotTurnReply reply;
        if (st.failure.ok()) {
          try {
            reply = st.session.Take(request);
          } catch (const std::exception& e) {
            st.failure = Status::Corruption("conversation " + std::to_string(st.conversation) + ": " + e.what());
          }
        }
        if (!st.failure.ok()) {
          reply = BotTurnReply();
          reply.status = st.failure;
        }
        const std::uint64_t conversation = request.conversation;
        if (reply.done) {  // the bot's part is over: the desk routes the rest
          st.conversation = 0;
          st.session = BotSession();
        }
        self->send(desk, turned_atom::value, conversation, std::move(reply));
      },
      [self](hear_atom, std::vector<Event>& events) {
        auto& st = self->state;
        for (const Event& e : events) {
          if (!st.failure.ok()) return;
          st.failure = st.session.Hear(e);
        }
      },
      [self](passivate_atom) {
        self->state.conversation = 0;
        self->state.session = BotSession();
        self->state.failure = Status::OK();
      },
      [self](stop_atom) { self->quit(); },
  };
}

}  // namespace switchboard
