#include "rules/placeholders.h"

#include <nlohmann/json.hpp>

namespace switchboard {
namespace {

std::string Lookup(const std::string& name, const DeskState& state, const Ticket& ticket, const std::string& agent) {
  if (name == "ticket.id") return std::to_string(ticket.id);
  if (name == "wait") return DescribeWait(state.EstimatedWait(ticket.group, ticket.channel));
  if (name == "agent.id" || name == "agent.name") return agent;
  if (name.rfind("hours.", 0) == 0) {  // a group's business hours, for the greeting (B1)
    const GroupConfig* g = state.config().FindGroup(name.substr(6));
    return g == nullptr ? "" : g->hours ? g->hours->text : "always open";
  }
  if (name.rfind("contact.", 0) == 0) {
    const Contact* c = state.FindContact(ticket.contact);
    if (c == nullptr) return "";
    auto it = c->profile.find(name.substr(8));
    if (it == c->profile.end()) return "";
    nlohmann::json v = nlohmann::json::parse(it->second, nullptr, false);
    return v.is_string() ? v.get<std::string>() : v.is_discarded() || v.is_null() ? "" : v.dump();
  }
  return "";
}

}  // namespace

std::string DescribeWait(std::optional<Timestamp> wait) {
  if (!wait) return "not known yet";
  if (*wait < kMillisPerMinute) return "less than a minute";
  Timestamp minutes = (*wait + kMillisPerMinute - 1) / kMillisPerMinute;
  return "about " + std::to_string(minutes) + (minutes == 1 ? " minute" : " minutes");
}

std::string FillPlaceholders(const std::string& text, const DeskState& state, const Ticket& ticket,
                             const std::string& agent) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find("{{", pos);
    std::size_t close = open == std::string::npos ? open : text.find("}}", open + 2);
    if (close == std::string::npos) break;
    out.append(text, pos, open - pos);
    std::string name = text.substr(open + 2, close - open - 2);
    while (!name.empty() && name.front() == ' ') name.erase(name.begin());
    while (!name.empty() && name.back() == ' ') name.pop_back();
    out += Lookup(name, state, ticket, agent);
    pos = close + 2;
  }
  out.append(text, pos, std::string::npos);
  return out;
}

}  // namespace switchboard
