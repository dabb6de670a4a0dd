#include "rules/config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <set>

#include "events/json_depth.h"
#include "rules/delivery_config.h"
#include "rules/json_path.h"

namespace switchboard {
namespace {

using json = nlohmann::json;
using namespace json_path;

std::string String(const json& v, const std::string& path) {
  if (!v.is_string()) Fail(path, std::string("expected a string; got ") + TypeName(v));
  return v.get<std::string>();
}

int PositiveInt(const json& v, const std::string& path) {
  constexpr long long kMax = std::numeric_limits<int>::max();
  bool in_range = v.is_number_unsigned()
                      ? v.get<unsigned long long>() <= static_cast<unsigned long long>(kMax)
                      : v.is_number_integer() && v.get<long long>() >= 0 && v.get<long long>() <= kMax;
  if (!in_range) Fail(path, "expected a whole number from 0 to " + std::to_string(kMax) + "; got " + v.dump());
  return static_cast<int>(v.get<long long>());
}

std::vector<std::string> Strings(const json& v, const std::string& path) {
  if (!v.is_array()) Fail(path, std::string("expected a list of strings; got ") + TypeName(v));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) out.push_back(String(v[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

void ParseSettings(const json& s, Settings& out) {
  const std::string p = "settings";
  ExpectKeys(s, p,
             {"inactivity_minutes", "release_capacity_on", "reassign_on", "close_solved_after_hours", "offer_timeout_s",
              "max_trigger_cycles"});
  if (s.contains("inactivity_minutes"))
    out.inactivity_minutes = PositiveInt(s["inactivity_minutes"], p + ".inactivity_minutes");
  if (s.contains("close_solved_after_hours"))
    out.close_solved_after_hours = PositiveInt(s["close_solved_after_hours"], p + ".close_solved_after_hours");
  if (s.contains("offer_timeout_s")) out.offer_timeout_s = PositiveInt(s["offer_timeout_s"], p + ".offer_timeout_s");
  if (s.contains("max_trigger_cycles"))
    out.max_trigger_cycles = PositiveInt(s["max_trigger_cycles"], p + ".max_trigger_cycles");
  if (s.contains("release_capacity_on")) {
    std::vector<std::string> names = Strings(s["release_capacity_on"], p + ".release_capacity_on");
    out.release_capacity_on.clear();
    for (size_t i = 0; i < names.size(); ++i) {
      std::optional<TicketStatus> v = ParseTicketStatus(names[i]);
      if (v != TicketStatus::kPending && v != TicketStatus::kOnHold && v != TicketStatus::kSolved) {
        Fail(p + ".release_capacity_on[" + std::to_string(i) + "]",
             "unknown status \"" + names[i] + "\"; expected pending, on-hold or solved");
      }
      out.release_capacity_on.push_back(*v);
    }
  }
  if (s.contains("reassign_on")) {
    std::vector<std::string> names = Strings(s["reassign_on"], p + ".reassign_on");
    out.reassign_on.clear();
    for (size_t i = 0; i < names.size(); ++i) {
      std::optional<Presence> v = ParsePresence(names[i]);
      if (v != Presence::kAway && v != Presence::kOffline)
        Fail(p + ".reassign_on[" + std::to_string(i) + "]",
             "unknown agent status \"" + names[i] + "\"; expected away or offline");
      out.reassign_on.push_back(*v);
    }
  }
}

void ParseGroups(const json& g, Configuration& out) {
  if (!g.is_array()) Fail("groups", std::string("expected a list; got ") + TypeName(g));
  std::set<std::string> seen;
  for (size_t i = 0; i < g.size(); ++i) {
    const std::string p = "groups[" + std::to_string(i) + "]";
    ExpectKeys(g[i], p, {"id", "hours", "name"});
    if (!g[i].contains("id")) Fail(p + ".id", "missing field \"id\"");
    GroupConfig group{String(g[i]["id"], p + ".id"), std::nullopt};
    if (group.id.empty()) Fail(p + ".id", "a group id must not be empty");
    if (!seen.insert(group.id).second) Fail(p + ".id", "duplicate group id \"" + group.id + "\"");
    if (g[i].contains("hours")) {
      BusinessHours hours;
      Status s = ParseBusinessHours(g[i]["hours"], p + ".hours", &hours);
      if (!s.ok()) Rethrow(s);
      group.hours = std::move(hours);
    }
    out.group_index.emplace(group.id, out.groups.size());
    out.groups.push_back(group);
    out.members.emplace_back();
  }
}

// tokens: [{"token": "…" or "token_sha256": "64 hex", "role": "admin|supervisor|channel|agent:ID"}].
// Each given token is replaced, in `doc` itself, by its digest: the recorded document never holds it.
void ParseTokens(json& t, Configuration& out) {
  if (!t.is_array()) Fail("tokens", std::string("expected a list; got ") + TypeName(t));
  std::set<std::string> seen;
  for (size_t i = 0; i < t.size(); ++i) {
    const std::string p = "tokens[" + std::to_string(i) + "]";
    json& j = t[i];
    ExpectKeys(j, p, {"token", "token_sha256", "role"});
    ApiToken token;
    if (j.contains("token") == j.contains("token_sha256")) {
      Fail(p, "give either \"token\" or \"token_sha256\"");
    }
    if (j.contains("token")) {
      const std::string given = String(j["token"], p + ".token");
      if (given.size() < 16) Fail(p + ".token", "a token needs at least 16 characters");
      token.sha256 = Sha256Hex(given);
      j.erase("token");
      j["token_sha256"] = token.sha256;
    } else {
      token.sha256 = String(j["token_sha256"], p + ".token_sha256");
      if (token.sha256.size() != 64 || token.sha256.find_first_not_of("0123456789abcdef") != std::string::npos) {
        Fail(p + ".token_sha256", "expected 64 lowercase hex digits");
      }
    }
    if (!j.contains("role")) Fail(p + ".role", "missing field \"role\"");
    token.role = String(j["role"], p + ".role");
    if (token.role.rfind("agent:", 0) == 0) {
      if (!out.FindAgent(token.role.substr(6))) Fail(p + ".role", "unknown agent \"" + token.role.substr(6) + "\"");
    } else if (token.role != "admin" && token.role != "supervisor" && token.role != "channel") {
      Fail(p + ".role", "unknown role \"" + token.role + "\"; expected admin, supervisor, channel or agent:ID");
    }
    if (!seen.insert(token.sha256).second) Fail(p, "the same token twice");
    out.tokens.push_back(std::move(token));
  }
}

void ParseAgents(const json& a, Configuration& out) {
  if (!a.is_array()) Fail("agents", std::string("expected a list; got ") + TypeName(a));
  std::set<std::string> seen;
  for (size_t i = 0; i < a.size(); ++i) {
    const std::string p = "agents[" + std::to_string(i) + "]";
    const json& j = a[i];
    ExpectKeys(j, p, {"id", "name", "groups", "languages", "skills", "capacity", "role"});
    if (!j.contains("id")) Fail(p + ".id", "missing field \"id\"");
    AgentConfig agent;
    agent.id = String(j["id"], p + ".id");
    if (agent.id.empty()) Fail(p + ".id", "an agent id must not be empty");
    if (!seen.insert(agent.id).second) Fail(p + ".id", "duplicate agent id \"" + agent.id + "\"");
    if (j.contains("groups")) agent.groups = Strings(j["groups"], p + ".groups");
    for (size_t k = 0; k < agent.groups.size(); ++k) {
      if (!out.HasGroup(agent.groups[k]))
        Fail(p + ".groups[" + std::to_string(k) + "]", "unknown group \"" + agent.groups[k] + "\"");
    }
    if (j.contains("name")) agent.name = String(j["name"], p + ".name");
    if (j.contains("languages")) agent.languages = Strings(j["languages"], p + ".languages");
    if (j.contains("skills")) agent.skills = Strings(j["skills"], p + ".skills");
    if (j.contains("capacity")) {
      const json& c = j["capacity"];
      ExpectKeys(c, p + ".capacity", {"messaging", "email", "inactive"});
      if (c.contains("messaging")) agent.capacity_messaging = PositiveInt(c["messaging"], p + ".capacity.messaging");
      if (c.contains("email")) agent.capacity_email = PositiveInt(c["email"], p + ".capacity.email");
      if (c.contains("inactive")) agent.capacity_inactive = PositiveInt(c["inactive"], p + ".capacity.inactive");
    }
    if (j.contains("role")) {
      std::string role = String(j["role"], p + ".role");
      if (role != "agent" && role != "supervisor")
        Fail(p + ".role", "unknown role \"" + role + "\"; expected agent or supervisor");
      agent.supervisor = role == "supervisor";
    }
    for (const std::string& group : agent.groups) out.members[out.group_index.at(group)].push_back(out.agents.size());
    out.agent_index.emplace(agent.id, out.agents.size());
    out.agents.push_back(std::move(agent));
  }
}

// `routing.rules[i]`: {id, when, group | groups, priority?, language?, skills?}.
RoutingRule ParseRoutingRule(const json& j, const std::string& p, const Configuration& config,
                             std::set<std::string>& ids) {
  ExpectKeys(j, p, {"id", "when", "group", "groups", "priority", "language", "skills"});
  RoutingRule rule;
  if (!j.contains("id")) Fail(p + ".id", "missing field \"id\"");
  rule.id = String(j["id"], p + ".id");
  if (rule.id.empty() || rule.id == "fallback") Fail(p + ".id", "a routing rule id must not be empty or \"fallback\"");
  if (!ids.insert(rule.id).second) Fail(p + ".id", "duplicate routing rule id \"" + rule.id + "\"");
  if (j.contains("when")) {
    Status s = ParseConditions(j["when"], p + ".when", &rule.when);
    if (!s.ok()) Rethrow(s);
    for (const auto* list : {&rule.when.all, &rule.when.any}) {
      for (size_t i = 0; i < list->size(); ++i) {
        const FieldRef& f = (*list)[i].field;
        if (f.id == FieldId::kGroupOpen && !config.HasGroup(f.name)) {
          Fail(p + ".when." + (list == &rule.when.all ? "all" : "any") + "[" + std::to_string(i) + "].field",
               "unknown group \"" + f.name + "\"");
        }
      }
    }
  }
  if (j.contains("group") == j.contains("groups")) {
    Fail(p, "a routing rule names exactly one of \"group\" or \"groups\" (shift routing)");
  }
  if (j.contains("group")) {
    rule.groups = {String(j["group"], p + ".group")};
    if (!config.HasGroup(rule.groups[0])) Fail(p + ".group", "unknown group \"" + rule.groups[0] + "\"");
  } else {
    rule.groups = Strings(j["groups"], p + ".groups");
    rule.shift = true;
    if (rule.groups.empty()) Fail(p + ".groups", "expected at least one group");
    for (size_t k = 0; k < rule.groups.size(); ++k) {
      if (!config.HasGroup(rule.groups[k]))
        Fail(p + ".groups[" + std::to_string(k) + "]", "unknown group \"" + rule.groups[k] + "\"");
    }
  }
  // A weekday / time_of_day condition without its own "tz" reads the clock of the group the rule names: the
  // zone of its business hours (for a shift list, of the first listed group that has hours); UTC when no
  // group named has hours.
  for (const std::string& g : rule.groups) {
    const GroupConfig* group = config.FindGroup(g);
    if (group != nullptr && group->hours) {
      SetDefaultZone(&rule.when, group->hours->tz, group->hours->zone);
      break;
    }
  }
  if (j.contains("priority")) {
    const std::string name = String(j["priority"], p + ".priority");
    rule.priority = ParsePriority(name);
    if (!rule.priority)
      Fail(p + ".priority", "unknown priority \"" + name + "\"; expected " + NameList(kPriorityNames));
  }
  if (j.contains("language")) rule.language = String(j["language"], p + ".language");
  if (j.contains("skills")) rule.skills = Strings(j["skills"], p + ".skills");
  return rule;
}

void ParseRouting(const json& r, Configuration& out) {
  ExpectKeys(r, "routing", {"style", "rules", "fallback"});
  if (r.contains("style")) {
    const std::string name = String(r["style"], "routing.style");
    std::optional<RoutingStyle> style = ParseRoutingStyle(name);
    if (!style)
      Fail("routing.style", "unknown routing style \"" + name + "\"; expected broadcast, assignment or omnichannel");
    out.routing_style = *style;
  }
  if (r.contains("fallback")) {
    out.fallback = String(r["fallback"], "routing.fallback");
    if (!out.HasGroup(out.fallback)) Fail("routing.fallback", "unknown group \"" + out.fallback + "\"");
  }
  if (r.contains("rules")) {
    const json& rules = r["rules"];
    if (!rules.is_array()) Fail("routing.rules", std::string("expected a list; got ") + TypeName(rules));
    std::set<std::string> ids;
    for (size_t i = 0; i < rules.size(); ++i) {
      out.routing_rules.push_back(ParseRoutingRule(rules[i], "routing.rules[" + std::to_string(i) + "]", out, ids));
    }
  }
}

std::string Fnv1a64(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

const AgentConfig* Configuration::FindAgent(std::string_view id) const {
  auto it = agent_index.find(std::string(id));
  return it == agent_index.end() ? nullptr : &agents[it->second];
}

const GroupConfig* Configuration::FindGroup(std::string_view id) const {
  auto it = group_index.find(std::string(id));
  return it == group_index.end() ? nullptr : &groups[it->second];
}

const std::vector<std::size_t>& Configuration::Members(std::string_view group) const {
  static const std::vector<std::size_t> kNone;
  auto it = group_index.find(std::string(group));
  return it == group_index.end() ? kNone : members[it->second];
}

bool Configuration::GroupOpen(std::string_view id, Timestamp t) const {
  const GroupConfig* g = FindGroup(id);
  return g != nullptr && (!g->hours || g->hours->IsOpen(t));
}

bool Configuration::HasGroup(std::string_view id) const { return FindGroup(id) != nullptr; }

Status ParseConfiguration(std::string_view text, Configuration* out) {
  if (std::optional<std::string> deep = MemberNestedTooDeep(text)) {
    return Status::InvalidArgument((deep->empty() ? std::string("configuration") : *deep) + ": nests deeper than " +
                                   std::to_string(kMaxJsonDepth) + " levels of objects and lists");
  }
  json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return Status::InvalidArgument("configuration: the document is not valid JSON");
  if (!doc.is_object()) {
    return Status::InvalidArgument(std::string("configuration: the document must be a JSON object; got ") +
                                   TypeName(doc));
  }
  Configuration config;
  try {
    ExpectKeys(doc, "",
               {"settings", "groups", "agents", "routing", "bot", "lookups", "articles", "triggers", "automations",
                "views", "macros", "tokens", "webhooks", "inbound", "sla_policies", "proactive"});
    if (doc.contains("settings")) ParseSettings(doc["settings"], config.settings);
    if (doc.contains("groups")) ParseGroups(doc["groups"], config);
    if (config.groups.empty()) Fail("groups", "at least one group is needed (the fallback group)");
    if (doc.contains("agents")) ParseAgents(doc["agents"], config);
    if (doc.contains("routing")) ParseRouting(doc["routing"], config);
    if (config.fallback.empty()) config.fallback = config.groups.front().id;
    if (doc.contains("tokens")) ParseTokens(doc["tokens"], config);
    if (doc.contains("webhooks")) CheckWebhooks(doc["webhooks"]);
    if (doc.contains("inbound")) CheckInbound(doc["inbound"]);
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  RuleReferences refs;
  for (const GroupConfig& g : config.groups) refs.groups.push_back(g.id);
  for (const AgentConfig& a : config.agents) refs.agents.push_back(a.id);
  Status rules = ParseRuleSet(doc, refs, &config.rules);
  if (!rules.ok()) return rules;
  Status bot = ParseBotConfig(doc, refs.groups, &config.bot);
  if (!bot.ok()) return bot;
  Status views = ParseViews(doc, &config.views);
  if (!views.ok()) return views;
  Status sla = ParseSlaPolicies(doc, &config.sla_policies);
  if (!sla.ok()) return sla;
  Status proactive = ParseProactiveRules(doc, refs.groups, &config.proactive);
  if (!proactive.ok()) return proactive;
  config.document = doc.dump();
  config.digest = Fnv1a64(config.document);
  *out = std::move(config);
  return Status::OK();
}

const Configuration& DefaultConfiguration() {
  static const Configuration config = [] {
    Configuration c;
    Status s = ParseConfiguration(R"({"groups":[{"id":"support"}],"routing":{"fallback":"support"}})", &c);
    (void)s;
    return c;
  }();
  return config;
}

}  // namespace switchboard
