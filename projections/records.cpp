#include "projections/records.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace switchboard {
namespace {

using ojson = nlohmann::ordered_json;

ojson OrNull(const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); }
ojson TimeOrNull(Timestamp t) { return t == 0 ? ojson(nullptr) : ojson(FormatRfc3339(t)); }

}  // namespace

std::string TicketKey(std::uint64_t id) {
  std::string key(9, '\0');
  key[0] = 't';
  for (int i = 0; i < 8; ++i) key[8 - i] = static_cast<char>((id >> (8 * i)) & 0xff);
  return key;
}

std::string AgentKey(const std::string& id) { return "a" + id; }
std::string ContactKey(const std::string& id) { return "c" + id; }

std::string TicketJson(const DeskState& state, const Ticket& t) {
  const Conversation* c = state.FindConversation(t.conversation);
  ojson j;
  j["id"] = t.id;
  j["conversation"] = t.conversation;
  j["contact"] = t.contact;
  j["status"] = t.status;
  j["channel"] = t.channel;
  j["handled_as"] = t.handled_as;
  j["group"] = OrNull(t.group);
  j["assignee"] = OrNull(t.assignee);
  j["priority"] = t.priority;
  j["tags"] = t.tags;
  j["session"] = c ? SessionName(c->session) : "active";
  j["session_end_reason"] = OrNull(t.session_end_reason);
  j["solved_automatically"] = t.solved_automatically;
  j["csat"] = OrNull(t.csat);
  j["created_at"] = TimeOrNull(t.created_at);
  j["first_reply_at"] = TimeOrNull(t.first_reply_at);
  j["solved_at"] = TimeOrNull(t.solved_at);
  return j.dump();
}

std::string AgentJson(const DeskState& state, const AgentState& a) {
  const AgentConfig* config = state.config().FindAgent(a.id);
  ojson j;
  j["id"] = a.id;
  j["status"] = a.status;
  j["groups"] = config ? config->groups : std::vector<std::string>{};
  j["load"] = {{"messaging", a.load_messaging}, {"email", a.load_email}};
  j["capacity"] = {{"messaging", config ? config->capacity_messaging : 0},
                   {"email", config ? config->capacity_email : 0}};
  j["tickets"] = std::vector<std::uint64_t>(a.tickets.begin(), a.tickets.end());
  return j.dump();
}

std::string ContactJson(const Contact& c) {
  ojson profile = ojson::object();
  for (const auto& [field, value] : c.profile) profile[field] = ojson::parse(value);
  ojson j;
  j["id"] = c.id;
  j["profile"] = profile;
  j["conversations"] = c.conversations;
  j["tickets"] = c.tickets;
  return j.dump();
}

std::vector<Record> DirtyRecords(const DeskState& state) {
  std::vector<Record> out;
  const Dirty& d = state.dirty();
  for (const std::string& id : d.agents) out.push_back({AgentKey(id), AgentJson(state, *state.FindAgent(id))});
  for (const std::string& id : d.contacts) out.push_back({ContactKey(id), ContactJson(*state.FindContact(id))});
  for (std::uint64_t id : d.tickets) out.push_back({TicketKey(id), TicketJson(state, *state.FindTicket(id))});
  return out;
}

std::vector<Record> AllRecords(const DeskState& state) {
  std::vector<Record> out;
  for (const auto& [id, agent] : state.agents()) out.push_back({AgentKey(id), AgentJson(state, agent)});
  for (const auto& [id, contact] : state.contacts()) out.push_back({ContactKey(id), ContactJson(contact)});
  for (std::uint64_t id = 1; id <= state.ticket_count(); ++id) {
    out.push_back({TicketKey(id), TicketJson(state, *state.FindTicket(id))});
  }
  std::sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.key < b.key; });
  return out;
}

}  // namespace switchboard
