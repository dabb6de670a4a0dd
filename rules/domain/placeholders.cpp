#include "rules/domain/placeholders.h"

#include <nlohmann/json.hpp>

#include "rules/text_template.h"

namespace switchboard {
namespace {

// A stored JSON value as a person reads it: a string without its quotes, anything else as JSON.
std::string Readable(const std::string& json_text) {
  nlohmann::json v = nlohmann::json::parse(json_text, nullptr, false);
  return v.is_string() ? v.get<std::string>() : v.is_discarded() || v.is_null() ? "" : v.dump();
}

std::string FieldOf(const std::map<std::string, std::string>& fields, const std::string& name) {
  auto it = fields.find(name);
  return it == fields.end() ? "" : Readable(it->second);
}

}  // namespace

std::string DescribeWait(std::optional<Timestamp> wait) {
  if (!wait) return "not known yet";
  if (*wait < kMillisPerMinute) return "less than a minute";
  Timestamp minutes = (*wait + kMillisPerMinute - 1) / kMillisPerMinute;
  return "about " + std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

std::string FillPlaceholders(const std::string& text, const DeskState& state, const TextSubject& about) {
  if (text.find("{{") == std::string::npos) return text;
  const Ticket* ticket = state.FindTicket(about.ticket);
  const Conversation* conversation = state.FindConversation(ticket ? ticket->conversation : about.conversation);
  const std::string& contact_id = ticket ? ticket->contact : conversation ? conversation->contact : "";
  return RenderTemplate(text, [&](const std::string& name) -> std::string {
    if (name == "ticket.id") return ticket ? std::to_string(ticket->id) : "";
    if (name == "wait") {
      if (ticket) return DescribeWait(state.EstimatedWait(ticket->group, ticket->channel));
      return DescribeWait(conversation ? state.EstimatedWait("", conversation->channel) : std::nullopt);
    }
    if (name == "position") return ticket ? std::to_string(state.QueuePosition(*ticket)) : "";
    if (name == "agent.id") return about.agent;
    if (name == "agent.name") {
      const AgentConfig* a = state.config().FindAgent(about.agent);
      return a != nullptr && !a->name.empty() ? a->name : about.agent;
    }
    if (name.rfind("hours.", 0) == 0) {  // a group's business hours, for the greeting (B1)
      const GroupConfig* g = state.config().FindGroup(name.substr(6));
      return g == nullptr ? "" : g->hours ? g->hours->text : "always open";
    }
    if (name.rfind("var.", 0) == 0) return conversation ? FieldOf(conversation->vars, name.substr(4)) : "";
    if (name.rfind("contact.", 0) == 0) {
      const Contact* c = state.FindContact(contact_id);
      return c ? FieldOf(c->profile, name.substr(8)) : "";
    }
    return "";
  });
}

}  // namespace switchboard
