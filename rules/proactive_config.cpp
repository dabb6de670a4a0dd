#include "rules/proactive_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "rules/json_path.h"
#include "rules/text_template.h"

namespace switchboard {
namespace {

using nlohmann::json;
using namespace json_path;

// What a visitor's facts answer; a ticket's fields (status, tags, ...) have no value before there is
// a ticket, so a rule naming one could never hold: refused.
bool IsVisitorField(const FieldRef& f) {
  switch (f.id) {
    case FieldId::kPageUrl:
    case FieldId::kPageTitle:
    case FieldId::kTimeOnPage:
    case FieldId::kReturning:
    case FieldId::kLanguage:
    case FieldId::kContactField:
    case FieldId::kGroupOpen:
    case FieldId::kAgentsOnline:
    case FieldId::kWeekday:
    case FieldId::kTimeOfDay:
      return true;
    default:
      return false;
  }
}

void CheckFields(const Conditions& conditions, const std::string& path, const std::vector<std::string>& groups) {
  for (const auto* list : {&conditions.all, &conditions.any}) {
    for (std::size_t i = 0; i < list->size(); ++i) {
      const FieldRef& f = (*list)[i].field;
      const std::string at =
          path + "." + (list == &conditions.all ? "all" : "any") + "[" + std::to_string(i) + "].field";
      if (!IsVisitorField(f)) {
        Fail(at,
             "a proactive rule reads what the site says of the visitor: page_url, page_title, time_on_page_s, "
             "returning, language, contact.NAME, open.GROUP, agents_online.GROUP, weekday, time_of_day; got \"" +
                 FieldName(f) + "\"");
      }
      if ((f.id == FieldId::kGroupOpen || f.id == FieldId::kAgentsOnline) &&
          std::find(groups.begin(), groups.end(), f.name) == groups.end()) {
        Fail(at, "unknown group \"" + f.name + "\"");
      }
    }
  }
}

ProactiveRule ParseRule(const json& j, const std::string& path, const std::vector<std::string>& groups,
                        std::set<std::string>* ids) {
  ExpectKeys(j, path, {"id", "once_per_visitor", "conditions", "actions"});
  ProactiveRule rule;
  if (!j.contains("id") || !j["id"].is_string() || j["id"].get<std::string>().empty()) {
    Fail(path + ".id", "expected the rule's id, a string");
  }
  rule.id = j["id"];
  if (!ids->insert(rule.id).second) Fail(path + ".id", "a second proactive rule \"" + rule.id + "\"");
  if (j.contains("once_per_visitor")) {
    if (!j["once_per_visitor"].is_boolean()) Fail(path + ".once_per_visitor", "expected true or false");
    rule.once_per_visitor = j["once_per_visitor"];
  }
  if (j.contains("conditions")) {
    if (Status s = ParseConditions(j["conditions"], path + ".conditions", &rule.conditions); !s.ok()) Rethrow(s);
    CheckFields(rule.conditions, path + ".conditions", groups);
  }
  if (!j.contains("actions") || !j["actions"].is_array() || j["actions"].size() != 1) {
    Fail(path + ".actions", "expected one action: {\"field\": \"message_contact\", \"value\": TEXT}");
  }
  const json& a = j["actions"][0];
  const std::string ap = path + ".actions[0]";
  ExpectKeys(a, ap, {"field", "value"});
  if (!a.contains("field") || a["field"] != "message_contact") {
    Fail(ap + ".field", "a proactive rule's action is message_contact");
  }
  if (!a.contains("value") || !a["value"].is_string() || a["value"].get<std::string>().empty()) {
    Fail(ap + ".value", "expected the message's text, a string");
  }
  rule.message = a["value"];
  CheckPlaceholders(rule.message, ap + ".value", groups);
  return rule;
}

}  // namespace

Status ParseProactiveRules(const json& doc, const std::vector<std::string>& groups, std::vector<ProactiveRule>* out) {
  std::vector<ProactiveRule> rules;
  try {
    if (doc.contains("proactive")) {
      const json& list = doc["proactive"];
      if (!list.is_array()) Fail("proactive", std::string("expected a list; got ") + TypeName(list));
      std::set<std::string> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        rules.push_back(ParseRule(list[i], "proactive[" + std::to_string(i) + "]", groups, &ids));
      }
    }
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(rules);
  return Status::OK();
}

}  // namespace switchboard
