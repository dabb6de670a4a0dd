#include "rules/rule_set.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "rules/json_path.h"
#include "rules/text_template.h"

namespace switchboard {
namespace {

using json = nlohmann::json;
using namespace json_path;

std::string Index(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

std::string RequiredString(const json& obj, const std::string& path, const char* key) {
  if (!obj.contains(key)) Fail(path + "." + key, std::string("missing field \"") + key + "\"");
  if (!obj[key].is_string() || obj[key].get<std::string>().empty()) {
    Fail(path + "." + key, std::string("\"") + key + "\" must be a non-empty string");
  }
  return obj[key].get<std::string>();
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

void RequireOneOf(const std::string& value, const std::string& path, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (value == a) return;
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  Fail(path, "unknown value \"" + value + "\"; expected one of " + list);
}

Action ParseAction(const json& a, const std::string& path, const RuleReferences& refs) {
  ExpectKeys(a, path, {"field", "value"});
  std::string field = RequiredString(a, path, "field");
  const std::string vpath = path + ".value";
  if (!a.contains("value")) Fail(vpath, "missing field \"value\"");
  const json& v = a["value"];
  auto text = [&] {
    if (!v.is_string()) Fail(vpath, "expected a string");
    return v.get<std::string>();
  };
  Action action;
  if (field == "status") {
    action.kind = ActionKind::kStatus;
    const std::string name = text();
    RequireOneOf(name, vpath, {"open", "pending", "on-hold", "solved", "closed"});
    action.status = *ParseTicketStatus(name);
  } else if (field == "group") {
    action.kind = ActionKind::kGroup;
    action.text = text();
    if (!Contains(refs.groups, action.text)) Fail(vpath, "unknown group \"" + action.text + "\"");
  } else if (field == "assignee") {
    action.kind = ActionKind::kAssignee;
    if (!v.is_null()) {
      action.text = text();
      if (!Contains(refs.agents, action.text)) Fail(vpath, "unknown agent \"" + action.text + "\"");
    }
  } else if (field == "priority") {
    action.kind = ActionKind::kPriority;
    const std::string name = text();
    RequireOneOf(name, vpath, {"low", "normal", "high", "urgent"});
    action.priority = *ParsePriority(name);
  } else if (field == "tags_add" || field == "tags_remove") {
    action.kind = field == "tags_add" ? ActionKind::kTagsAdd : ActionKind::kTagsRemove;
    if (v.is_string()) {
      action.tags.push_back(v.get<std::string>());
    } else if (v.is_array() && !v.empty()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (!v[i].is_string()) Fail(Index(vpath, i), "expected a tag (a string)");
        action.tags.push_back(v[i].get<std::string>());
      }
    } else {
      Fail(vpath, "expected a tag or a non-empty list of tags");
    }
  } else if (field == "csat") {
    action.kind = ActionKind::kCsat;
    RequireOneOf(text(), vpath, {"send"});
  } else if (field == "message_contact" || field == "internal_note") {
    action.kind = field == "message_contact" ? ActionKind::kMessageContact : ActionKind::kInternalNote;
    action.text = text();
    if (action.text.empty()) Fail(vpath, "the text must not be empty");
    CheckPlaceholders(action.text, vpath, refs.groups);
  } else if (field == "notify") {
    action.kind = ActionKind::kNotify;
    ExpectKeys(v, vpath, {"to", "text"});
    action.to = RequiredString(v, vpath, "to");
    action.text = RequiredString(v, vpath, "text");
    CheckPlaceholders(action.text, vpath + ".text", refs.groups);
    const std::string& to = action.to;
    bool ok = to == "supervisors" || to == "assignee" ||
              (to.rfind("agent:", 0) == 0 && Contains(refs.agents, to.substr(6))) ||
              (to.rfind("group:", 0) == 0 && Contains(refs.groups, to.substr(6)));
    if (!ok)
      Fail(vpath + ".to", "unknown recipient \"" + to + "\"; expected agent:ID, group:ID, supervisors or assignee");
  } else {
    Fail(path + ".field",
         "unknown action \"" + field +
             "\"; expected one of status, group, assignee, priority, tags_add, tags_remove, csat, message_contact, "
             "internal_note, notify");
  }
  return action;
}

std::vector<Action> ParseActions(const json& obj, const std::string& path, const RuleReferences& refs, bool required) {
  std::vector<Action> actions;
  if (!obj.contains("actions")) {
    if (required) Fail(path + ".actions", "missing field \"actions\"");
    return actions;
  }
  const json& list = obj["actions"];
  if (!list.is_array() || (required && list.empty())) Fail(path + ".actions", "expected a non-empty list of actions");
  for (std::size_t i = 0; i < list.size(); ++i)
    actions.push_back(ParseAction(list[i], Index(path + ".actions", i), refs));
  return actions;
}

Conditions ParseRuleConditions(const json& obj, const std::string& path) {
  Conditions conditions;
  if (!obj.contains("conditions")) Fail(path + ".conditions", "missing field \"conditions\"");
  Status s = ParseConditions(obj["conditions"], path + ".conditions", &conditions);
  if (!s.ok()) Rethrow(s);
  return conditions;
}

const json& Section(const json& doc, const char* name) {
  static const json kEmpty = json::array();
  if (!doc.contains(name)) return kEmpty;
  if (!doc[name].is_array()) Fail(name, "expected a list");
  return doc[name];
}

void UniqueId(std::set<std::string>& seen, const std::string& id, const std::string& path, const char* what) {
  if (!seen.insert(id).second) Fail(path, std::string("duplicate ") + what + " id \"" + id + "\"");
}

}  // namespace

const Macro* RuleSet::FindMacro(const std::string& id) const {
  for (const Macro& m : macros) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

Status ParseRuleSet(const json& doc, const RuleReferences& refs, RuleSet* out) {
  RuleSet rules;
  try {
    std::set<std::string> ids;
    const json& triggers = Section(doc, "triggers");
    for (std::size_t i = 0; i < triggers.size(); ++i) {
      const std::string path = Index("triggers", i);
      ExpectKeys(triggers[i], path, {"id", "kind", "conditions", "actions", "title"});
      Trigger t;
      t.id = RequiredString(triggers[i], path, "id");
      UniqueId(ids, t.id, path + ".id", "rule");
      std::string kind = triggers[i].contains("kind") ? RequiredString(triggers[i], path, "kind") : "ticket";
      RequireOneOf(kind, path + ".kind", {"messaging", "ticket"});
      t.messaging = kind == "messaging";
      t.conditions = ParseRuleConditions(triggers[i], path);
      t.actions = ParseActions(triggers[i], path, refs, /*required=*/true);
      rules.triggers.push_back(std::move(t));
    }
    const json& automations = Section(doc, "automations");
    for (std::size_t i = 0; i < automations.size(); ++i) {
      const std::string path = Index("automations", i);
      ExpectKeys(automations[i], path, {"id", "conditions", "actions", "title"});
      Automation a;
      a.id = RequiredString(automations[i], path, "id");
      UniqueId(ids, a.id, path + ".id", "rule");
      a.conditions = ParseRuleConditions(automations[i], path);
      bool timed = false;
      for (const Condition& c : a.conditions.all) {
        timed = timed || c.field.id == FieldId::kHoursSince || c.field.id == FieldId::kMinutesSince ||
                c.field.id == FieldId::kHoursUntil || c.field.id == FieldId::kMinutesUntil;
      }
      if (!timed) {
        Fail(path + ".conditions.all",
             "an automation needs a time condition in \"all\" (hours_since_*, minutes_since_* or *_until_breach), or "
             "it would "
             "fire on every ticket at once");
      }
      a.actions = ParseActions(automations[i], path, refs, /*required=*/true);
      rules.automations.push_back(std::move(a));
    }
    std::set<std::string> macro_ids;
    const json& macros = Section(doc, "macros");
    for (std::size_t i = 0; i < macros.size(); ++i) {
      const std::string path = Index("macros", i);
      ExpectKeys(macros[i], path, {"id", "text", "actions", "title"});
      Macro m;
      m.id = RequiredString(macros[i], path, "id");
      UniqueId(macro_ids, m.id, path + ".id", "macro");
      if (macros[i].contains("text")) m.text = RequiredString(macros[i], path, "text");
      CheckPlaceholders(m.text, path + ".text", refs.groups);
      m.actions = ParseActions(macros[i], path, refs, /*required=*/false);
      if (m.text.empty() && m.actions.empty()) Fail(path, "a macro needs a text or actions");
      rules.macros.push_back(std::move(m));
    }
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(rules);
  return Status::OK();
}

}  // namespace switchboard
