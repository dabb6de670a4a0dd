#include "rules/domain/conversation.h"

namespace switchboard {

Status Conversation::Apply(const Event& e, bool has_bot) {
  switch (e.payload.type) {
    case fb::Payload::ConversationStarted: {
      std::optional<Channel> parsed = ParseChannel(e.payload.AsConversationStarted()->channel);
      if (!parsed) return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown channel");
      id = e.conversation;
      contact = e.contact;
      channel = *parsed;
      started_at = e.at;
      proactive_rule = e.rule;  // conversation.started names a rule only when it answers a proactive message
      in_bot = has_bot;
      break;
    }
    case fb::Payload::ConversationInactive:
      session = Session::kInactive;
      break;
    case fb::Payload::ConversationActive:
      session = Session::kActive;
      break;
    case fb::Payload::SessionEnded:
      session = Session::kEnded;
      break;
    case fb::Payload::ConversationSelfSolved:
      in_bot = false;
      finished = true;
      break;
    case fb::Payload::LookupStarted:
      lookup_started = e.seq;
      break;
    case fb::Payload::LookupCompleted:
    case fb::Payload::LookupFailed:
      lookup_started = 0;
      break;
    case fb::Payload::BotAnswerSaved: {
      const auto* p = e.payload.AsBotAnswerSaved();
      if (p->key.rfind("var.", 0) == 0) vars[p->key.substr(4)] = p->value;
      break;
    }
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->author != "contact") break;
      last_contact_message_at = e.at;
      break;
    }
    case fb::Payload::TicketCreated:
      ticket = e.ticket;
      in_bot = false;  // handed off (B7)
      break;
    default:
      break;
  }
  return Status::OK();
}

void BotPhase::Apply(const Event& e, const Conversation& conversation) {
  switch (e.payload.type) {
    case fb::Payload::ConversationSelfSolved:
    case fb::Payload::TicketCreated:
      step.clear();
      held.clear();
      break;
    case fb::Payload::BotMessageSent: {
      const auto* p = e.payload.AsBotMessageSent();
      if (p->takes_held && !held.empty()) held.erase(held.begin());
      if (!p->awaits) {
        step.clear();
      } else {
        attempts = step == p->step ? attempts + 1 : 0;
        step = p->step;
      }
      break;
    }
    case fb::Payload::LookupStarted:
      step = e.payload.AsLookupStarted()->step;
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->author != "contact") break;
      if (conversation.in_bot) words += " " + m->text;
      if (conversation.AwaitsLookup()) held.push_back(m->text);  // B5: for the next question
      break;
    }
    default:
      break;
  }
}

}  // namespace switchboard
