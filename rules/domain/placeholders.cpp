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

std::string FillPlaceholders(const std::string& text, const TextContext& x) {
  if (text.find("{{") == std::string::npos) return text;
  return RenderTemplate(text, [&](const std::string& name) -> std::string {
    if (name == "ticket.id") return x.ticket ? std::to_string(x.ticket->id) : "";
    if (name == "wait") return DescribeWait(x.wait);
    if (name == "position") return x.ticket ? std::to_string(x.position) : "";
    if (name == "agent.id") return x.agent;
    if (name == "agent.name") {
      const AgentConfig* a = x.config ? x.config->FindAgent(x.agent) : nullptr;
      return a != nullptr && !a->name.empty() ? a->name : x.agent;
    }
    if (name.rfind("hours.", 0) == 0) {  // a group's business hours, for the greeting (B1)
      const GroupConfig* g = x.config ? x.config->FindGroup(name.substr(6)) : nullptr;
      return g == nullptr ? "" : g->hours ? g->hours->text : "always open";
    }
    if (name.rfind("var.", 0) == 0) return x.conversation ? FieldOf(x.conversation->vars, name.substr(4)) : "";
    if (name.rfind("contact.", 0) == 0) return x.contact ? FieldOf(x.contact->profile, name.substr(8)) : "";
    return "";
  });
}

std::string FillPlaceholders(const std::string& text, const DeskState& state, const TextSubject& about) {
  if (text.find("{{") == std::string::npos) return text;
  TextContext x;
  x.config = &state.config();
  x.ticket = state.FindTicket(about.ticket);
  x.conversation = state.FindConversation(x.ticket ? x.ticket->conversation : about.conversation);
  x.contact = state.FindContact(x.ticket ? x.ticket->contact : x.conversation ? x.conversation->contact : "");
  x.agent = about.agent;
  if (x.ticket) {
    x.wait = state.EstimatedWait(x.ticket->group, x.ticket->channel);
    x.position = state.QueuePosition(*x.ticket);
  } else if (x.conversation) {
    x.wait = state.EstimatedWait("", x.conversation->channel);
  }
  return FillPlaceholders(text, x);
}

}  // namespace switchboard
