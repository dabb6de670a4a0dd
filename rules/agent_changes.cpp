#include "rules/agent_changes.h"

#include <nlohmann/json.hpp>

namespace switchboard {
namespace {

using nlohmann::json;

template <class T>
void Take(std::optional<T>& mine, const std::optional<T>& later) {
  if (later) mine = later;
}

}  // namespace

bool AgentChanges::empty() const {
  return !capacity_messaging && !capacity_email && !capacity_inactive && !groups && !languages && !skills;
}

void AgentChanges::Merge(const AgentChanges& later) {
  Take(capacity_messaging, later.capacity_messaging);
  Take(capacity_email, later.capacity_email);
  Take(capacity_inactive, later.capacity_inactive);
  Take(groups, later.groups);
  Take(languages, later.languages);
  Take(skills, later.skills);
}

AgentChanges Differences(const AgentConfig& agent, const AgentChanges& c) {
  AgentChanges d;
  if (c.capacity_messaging && *c.capacity_messaging != agent.capacity_messaging)
    d.capacity_messaging = c.capacity_messaging;
  if (c.capacity_email && *c.capacity_email != agent.capacity_email) d.capacity_email = c.capacity_email;
  if (c.capacity_inactive && *c.capacity_inactive != agent.capacity_inactive) d.capacity_inactive = c.capacity_inactive;
  if (c.groups && *c.groups != agent.groups) d.groups = c.groups;
  if (c.languages && *c.languages != agent.languages) d.languages = c.languages;
  if (c.skills && *c.skills != agent.skills) d.skills = c.skills;
  return d;
}

std::string AgentChangesJson(const AgentChanges& c) {
  // ordered_json keeps the insertion order: capacity, groups, languages, skills.
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  if (c.capacity_messaging || c.capacity_email || c.capacity_inactive) {
    nlohmann::ordered_json capacity = nlohmann::ordered_json::object();
    if (c.capacity_messaging) capacity["messaging"] = *c.capacity_messaging;
    if (c.capacity_email) capacity["email"] = *c.capacity_email;
    if (c.capacity_inactive) {
      capacity["inactive"] =
          *c.capacity_inactive == 0 ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(*c.capacity_inactive);
    }
    out["capacity"] = std::move(capacity);
  }
  if (c.groups) out["groups"] = *c.groups;
  if (c.languages) out["languages"] = *c.languages;
  if (c.skills) out["skills"] = *c.skills;
  return out.dump();
}

Status ParseAgentChanges(std::string_view text, AgentChanges* out) {
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return Status::Corruption("agent.updated changes are not a JSON object");
  AgentChanges c;
  try {
    if (j.contains("capacity")) {
      const json& cap = j["capacity"];
      if (cap.contains("messaging")) c.capacity_messaging = cap["messaging"].get<int>();
      if (cap.contains("email")) c.capacity_email = cap["email"].get<int>();
      if (cap.contains("inactive")) c.capacity_inactive = cap["inactive"].is_null() ? 0 : cap["inactive"].get<int>();
    }
    if (j.contains("groups")) c.groups = j["groups"].get<std::vector<std::string>>();
    if (j.contains("languages")) c.languages = j["languages"].get<std::vector<std::string>>();
    if (j.contains("skills")) c.skills = j["skills"].get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return Status::Corruption(std::string("agent.updated changes cannot be read: ") + e.what());
  }
  *out = std::move(c);
  return Status::OK();
}

std::shared_ptr<const Configuration> WithAgentChanges(const std::shared_ptr<const Configuration>& document,
                                                      const std::map<std::string, AgentChanges>& changes) {
  bool any = false;
  for (const auto& [id, c] : changes) any = any || document->FindAgent(id) != nullptr;
  if (!any) return document;
  auto config = std::make_shared<Configuration>(*document);
  for (const auto& [id, c] : changes) {
    auto it = config->agent_index.find(id);
    if (it == config->agent_index.end()) continue;
    AgentConfig& a = config->agents[it->second];
    if (c.capacity_messaging) a.capacity_messaging = *c.capacity_messaging;
    if (c.capacity_email) a.capacity_email = *c.capacity_email;
    if (c.capacity_inactive) a.capacity_inactive = *c.capacity_inactive;
    if (c.groups) {
      a.groups.clear();
      for (const std::string& g : *c.groups) {
        if (config->HasGroup(g)) a.groups.push_back(g);
      }
    }
    if (c.languages) a.languages = *c.languages;
    if (c.skills) a.skills = *c.skills;
  }
  for (auto& members : config->members) members.clear();
  for (std::size_t i = 0; i < config->agents.size(); ++i) {
    for (const std::string& g : config->agents[i].groups) config->members[config->group_index.at(g)].push_back(i);
  }
  return config;
}

}  // namespace switchboard
