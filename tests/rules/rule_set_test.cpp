// B46: triggers, automations and macros are validated with the JSON path at fault.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "rules/config.h"

using namespace switchboard;
using nlohmann::json;

namespace {

// A valid base document; each broken case replaces one section.
json Base() {
  return json::parse(R"({"groups": [{"id": "support"}, {"id": "sales"}],
    "agents": [{"id": "alice", "groups": ["support"]}]})");
}

json TriggerDoc(const std::string& actions, const std::string& conditions = R"({"all": []})") {
  return json::parse(R"({"id": "t1", "conditions": )" + conditions + R"(, "actions": )" + actions + "}");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(rule_set)

BOOST_AUTO_TEST_CASE(B46_a_full_rule_set_compiles) {
  json doc = Base();
  doc["triggers"] =
      json::array({TriggerDoc(R"([{"field": "status", "value": "pending"},
      {"field": "tags_add", "value": ["a", "b"]}, {"field": "assignee", "value": null},
      {"field": "notify", "value": {"to": "group:sales", "text": "hi"}}])",
                              R"({"any": [{"field": "priority", "operator": "greater_than", "value": "normal"}]})")});
  doc["automations"] = json::parse(R"([{"id": "close", "conditions": {"all": [
      {"field": "status", "operator": "is", "value": "solved"},
      {"field": "hours_since_solved", "operator": "greater_than", "value": 96}]},
      "actions": [{"field": "status", "value": "closed"}]}])");
  doc["macros"] = json::parse(R"([{"id": "bye", "text": "Bye {{contact.name}}"}])");
  Configuration config;
  Status s = ParseConfiguration(doc.dump(), &config);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(config.rules.triggers.size() == 1u);
  BOOST_TEST(config.rules.triggers[0].actions.size() == 4u);
  BOOST_TEST(config.rules.triggers[0].actions[1].tags.size() == 2u);
  BOOST_TEST(config.rules.automations[0].id == "close");
  BOOST_TEST(config.rules.FindMacro("bye") != nullptr);
}

BOOST_AUTO_TEST_CASE(B46_broken_rules_are_refused_with_the_path_at_fault) {
  struct Case {
    const char* section;
    std::string value;
    std::string path;
  };
  const std::vector<Case> cases = {
      {"triggers", R"({"not": "a list"})", "triggers"},
      {"triggers", R"([42])", "triggers[0]"},
      {"triggers", R"([{"conditions": {}, "actions": [{"field": "status", "value": "open"}]}])", "triggers[0].id"},
      {"triggers", R"([{"id": "", "conditions": {}, "actions": [{"field": "status", "value": "open"}]}])",
       "triggers[0].id"},
      {"triggers", R"([{"id": "t", "colour": 1, "conditions": {}, "actions": []}])", "triggers[0].colour"},
      {"triggers",
       R"([{"id": "t", "kind": "chat", "conditions": {}, "actions": [{"field": "csat", "value": "send"}]}])",
       "triggers[0].kind"},
      {"triggers", R"([{"id": "t", "actions": [{"field": "csat", "value": "send"}]}])", "triggers[0].conditions"},
      {"triggers", R"([{"id": "t", "conditions": {}}])", "triggers[0].actions"},
      {"triggers", R"([{"id": "t", "conditions": {}, "actions": []}])", "triggers[0].actions"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "colour", "value": "red"}])").dump() + "]",
       "triggers[0].actions[0].field"},
      {"triggers", "[" + TriggerDoc(R"([{"value": "red"}])").dump() + "]", "triggers[0].actions[0].field"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "status"}])").dump() + "]", "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "status", "value": "new"}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "status", "value": 3}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "group", "value": "billing"}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "assignee", "value": "bob"}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "priority", "value": "asap"}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "tags_add", "value": []}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "tags_remove", "value": ["ok", 7]}])").dump() + "]",
       "triggers[0].actions[0].value[1]"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "csat", "value": "maybe"}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "message_contact", "value": ""}])").dump() + "]",
       "triggers[0].actions[0].value"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "notify", "value": {"to": "agent:bob", "text": "x"}}])").dump() + "]",
       "triggers[0].actions[0].value.to"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "notify", "value": {"to": "supervisors"}}])").dump() + "]",
       "triggers[0].actions[0].value.text"},
      {"triggers", "[" + TriggerDoc(R"([{"field": "status", "value": "open", "extra": 1}])").dump() + "]",
       "triggers[0].actions[0].extra"},
      {"triggers",
       "[" +
           TriggerDoc(R"([{"field": "status", "value": "open"}])",
                      R"({"all": [{"field": "status", "operator": "sort_of", "value": "open"}]})")
               .dump() +
           "]",
       "triggers[0].conditions.all[0].operator"},
      {"triggers",
       "[" + TriggerDoc(R"([{"field": "status", "value": "open"}])").dump() + "," +
           TriggerDoc(R"([{"field": "status", "value": "open"}])").dump() + "]",
       "triggers[1].id"},
      {"automations",
       R"([{"id": "a", "conditions": {"all": [{"field": "status", "operator": "is", "value": "solved"}]}, "actions": [{"field": "status", "value": "closed"}]}])",
       "automations[0].conditions.all"},
      {"automations",
       R"([{"id": "a", "conditions": {"all": [{"field": "hours_since_solved", "operator": "greater_than", "value": "soon"}]}, "actions": [{"field": "status", "value": "closed"}]}])",
       "automations[0].conditions.all[0].value"},
      {"automations",
       R"([{"id": "a", "conditions": {"all": [{"field": "hours_since_solved", "operator": "greater_than", "value": 1}]}}])",
       "automations[0].actions"},
      {"macros", R"([{"id": "m"}])", "macros[0]"},
      {"macros", R"([{"id": "m", "text": "a"}, {"id": "m", "text": "b"}])", "macros[1].id"},
      {"macros", R"([{"id": "m", "text": "a", "shortcut": "x"}])", "macros[0].shortcut"},
  };
  for (const Case& c : cases) {
    json doc = Base();
    doc[c.section] = json::parse(c.value);
    Configuration config;
    Status s = ParseConfiguration(doc.dump(), &config);
    BOOST_TEST_CONTEXT(c.section << " = " << c.value) {
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.message().rfind(c.path + ": ", 0) == 0, s.message());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
