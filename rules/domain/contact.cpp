#include "rules/domain/contact.h"

#include <nlohmann/json.hpp>

#include "events/value.h"

namespace switchboard {

void Contact::SetField(const std::string& field, const std::string& json_text) {
  profile[field] = json_text;
  values[field] = ValueFromJson(json_text);
}

Status Contact::Apply(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::ContactUpdated: {
      const nlohmann::json fields = ProfileOf(*e.payload.AsContactUpdated());  // typed, or an old event's text
      if (!fields.is_object()) {
        return Status::Corruption("event " + std::to_string(e.seq) + " updates contact \"" + id +
                                  "\" with a profile that is not an object");
      }
      for (auto it = fields.begin(); it != fields.end(); ++it) SetField(it.key(), it.value().dump());
      break;
    }
    case fb::Payload::BotAnswerSaved:
      SetField(e.payload.AsBotAnswerSaved()->key.substr(8), e.payload.AsBotAnswerSaved()->value);  // contact.NAME
      break;
    case fb::Payload::ConversationStarted: {
      conversations.push_back(e.conversation);
      std::optional<Channel> channel = ParseChannel(e.payload.AsConversationStarted()->channel);
      if (!channel) return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown channel");
      open(*channel) = e.conversation;
      visitor.pending_rule.clear();  // answered (the conversation names the rule), or no longer
      break;
    }
    case fb::Payload::TicketCreated:
      tickets.push_back(e.ticket);
      break;
    case fb::Payload::VisitorPageViewed: {
      const auto* p = e.payload.AsVisitorPageViewed();
      if (visitor.page_viewed_at == 0 || e.at - visitor.page_viewed_at >= kVisitGapMs) ++visitor.visits;
      visitor.page_url = p->page_url;
      visitor.page_title = p->page_title;
      visitor.page_viewed_at = e.at;
      visitor.fired_on_page.clear();
      break;
    }
    case fb::Payload::ProactiveMessageSent:
      visitor.fired_on_page.insert(e.rule);
      visitor.fired.insert(e.rule);
      visitor.pending_rule = e.rule;
      visitor.pending_at = e.at;
      break;
    default:
      break;
  }
  return Status::OK();
}

Value ValueFromJson(const std::string& json_text) {
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_boolean()) return Value::Bool(j.get<bool>());
  if (j.is_number()) return Value::Number(j.get<double>());
  if (j.is_string()) return Value::String(j.get<std::string>());
  if (j.is_array()) {
    std::vector<std::string> items;
    for (const auto& item : j) {
      if (item.is_string()) items.push_back(item.get<std::string>());
    }
    return Value::List(std::move(items));
  }
  return Value::Null();
}

}  // namespace switchboard
