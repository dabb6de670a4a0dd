// The configuration document of PROTOCOL.md: what is accepted, what it means, and how a broken one
// is refused (with the JSON path at fault, leaving the configuration in force untouched).
#include "rules/config.h"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

#include "tests/support/vocabulary_io.h"

namespace {

using switchboard::Configuration;
using switchboard::ParseConfiguration;
using switchboard::Status;
using Strings = std::vector<std::string>;

// The example of PROTOCOL.md, "Configuration", verbatim.
const char* const kProtocolExample = R"json(
{
  "settings": {"inactivity_minutes": 10, "release_capacity_on": ["pending", "on-hold", "solved"],
               "reassign_on": ["away", "offline"], "close_solved_after_hours": 96,
               "offer_timeout_s": 60, "max_trigger_cycles": 10},
  "groups": [{"id": "support", "hours": {"tz": "Europe/Paris", "mon-fri": "09:00-18:00"}},
             {"id": "supervisors"}],
  "agents": [{"id": "alice", "groups": ["support"], "languages": ["fr", "en"], "skills": [],
              "capacity": {"messaging": 3, "email": 10}, "role": "agent"}],
  "routing": {"style": "omnichannel",
              "rules": [{"id": "vip", "when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                         "group": "support", "priority": "high"}],
              "fallback": "supervisors"},
  "bot": {"greeting": "Hello {{contact.name}}! Expected wait: {{wait}}.", "start": "ask_team",
          "steps": {"ask_team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"],
                                 "save": "var.team", "retries": 2, "next": "faq", "else": "handoff"},
                    "faq": {"articles": 3, "solved": "done", "unsolved": "handoff"},
                    "handoff": {"handoff": {}}, "done": {"end": "solved"}}},
  "lookups": {"crm": {"table": {"vip@example.com": {"vip": true}}}},
  "articles": [{"id": "shipping", "title": "Shipping policy", "keywords": ["shipping", "delivery"]}],
  "triggers": [{"id": "csat-on-solve", "kind": "messaging",
                "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"},
                                       {"field": "solved_automatically", "operator": "is", "value": false}]},
                "actions": [{"field": "csat", "value": "send"}]}],
  "automations": [{"id": "close-solved", "conditions": {"all": [{"field": "status", "operator": "is", "value": "solved"},
                   {"field": "hours_since_solved", "operator": "greater_than", "value": 96}]},
                   "actions": [{"field": "status", "value": "closed"}]}],
  "views": [{"id": "unassigned-messaging", "conditions": {"all": [{"field": "assignee", "operator": "is", "value": null},
             {"field": "handled_as", "operator": "is", "value": "messaging"},
             {"field": "status", "operator": "less_than", "value": "solved"}]}, "sort": "created_at"}],
  "macros": [{"id": "end-notice", "text": "Thanks {{contact.name}}, I am closing this chat; write again any time."}]
}
)json";

// Every value away from its default, so a field the parser skips shows.
const char* const kNonDefaults = R"json({
  "settings": {"inactivity_minutes": 25, "release_capacity_on": ["solved"], "reassign_on": ["offline"],
               "close_solved_after_hours": 48, "offer_timeout_s": 30, "max_trigger_cycles": 4},
  "groups": [{"id": "billing", "name": "Billing"}, {"id": "support"}, {"id": "leads"}],
  "agents": [{"id": "alice", "groups": ["support", "billing"], "languages": ["fr"], "skills": ["refunds", "sql"],
              "capacity": {"messaging": 5, "email": 20}, "role": "agent"},
             {"id": "sam", "name": "Sam", "groups": ["leads"], "capacity": {"messaging": 0}, "role": "supervisor"},
             {"id": "noel"}],
  "routing": {"style": "broadcast", "fallback": "support"}
})json";

bool IsLowerHex16(const std::string& s) {
  if (s.size() != 16) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Strings GroupIds(const Configuration& c) {
  Strings out;
  for (const auto& g : c.groups) out.push_back(g.id);
  return out;
}

Configuration MustParse(const std::string& text) {
  Configuration c;
  Status s = ParseConfiguration(text, &c);
  BOOST_TEST_REQUIRE(s.ok(), s.ToString());
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(configuration)

BOOST_AUTO_TEST_CASE(the_protocol_example_is_accepted_and_understood) {
  Configuration c = MustParse(kProtocolExample);
  BOOST_TEST(GroupIds(c) == (Strings{"support", "supervisors"}), boost::test_tools::per_element());
  BOOST_TEST(c.HasGroup("support"));
  BOOST_TEST(c.HasGroup("supervisors"));
  BOOST_TEST(!c.HasGroup("sales"));

  BOOST_TEST_REQUIRE(c.agents.size() == 1u);
  const switchboard::AgentConfig* alice = c.FindAgent("alice");
  BOOST_TEST_REQUIRE(alice != nullptr);
  BOOST_TEST(alice->groups == (Strings{"support"}), boost::test_tools::per_element());
  BOOST_TEST(alice->languages == (Strings{"fr", "en"}), boost::test_tools::per_element());
  BOOST_TEST(alice->skills.empty());
  BOOST_TEST(alice->capacity_messaging == 3);
  BOOST_TEST(alice->capacity_email == 10);
  BOOST_TEST(!alice->supervisor);
  BOOST_TEST(c.FindAgent("bob") == nullptr);

  BOOST_TEST(c.settings.inactivity_minutes == 10);
  BOOST_TEST(c.settings.release_capacity_on == (Strings{"pending", "on-hold", "solved"}),
             boost::test_tools::per_element());
  BOOST_TEST(c.settings.reassign_on == (Strings{"away", "offline"}), boost::test_tools::per_element());
  BOOST_TEST(c.settings.close_solved_after_hours == 96);
  BOOST_TEST(c.settings.offer_timeout_s == 60);
  BOOST_TEST(c.settings.max_trigger_cycles == 10);

  BOOST_TEST(c.routing_style == "omnichannel");
  BOOST_TEST(c.fallback == "supervisors");
  BOOST_TEST(IsLowerHex16(c.digest), c.digest);
  BOOST_TEST(!c.document.empty());
  // The sections owned by later stages are kept in the document for them.
  BOOST_TEST(c.document.find("csat-on-solve") != std::string::npos);
  BOOST_TEST(c.document.find("end-notice") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_field_is_read_not_just_defaulted) {
  Configuration c = MustParse(kNonDefaults);
  BOOST_TEST(c.settings.inactivity_minutes == 25);
  BOOST_TEST(c.settings.release_capacity_on == (Strings{"solved"}), boost::test_tools::per_element());
  BOOST_TEST(c.settings.reassign_on == (Strings{"offline"}), boost::test_tools::per_element());
  BOOST_TEST(c.settings.close_solved_after_hours == 48);
  BOOST_TEST(c.settings.offer_timeout_s == 30);
  BOOST_TEST(c.settings.max_trigger_cycles == 4);
  BOOST_TEST(GroupIds(c) == (Strings{"billing", "support", "leads"}), boost::test_tools::per_element());

  BOOST_TEST_REQUIRE(c.agents.size() == 3u);
  BOOST_TEST(c.agents[0].id == "alice");  // in document order
  BOOST_TEST(c.agents[1].id == "sam");
  BOOST_TEST(c.agents[2].id == "noel");
  const switchboard::AgentConfig* alice = c.FindAgent("alice");
  BOOST_TEST_REQUIRE(alice != nullptr);
  BOOST_TEST(alice->groups == (Strings{"support", "billing"}), boost::test_tools::per_element());
  BOOST_TEST(alice->skills == (Strings{"refunds", "sql"}), boost::test_tools::per_element());
  BOOST_TEST(alice->capacity_messaging == 5);
  BOOST_TEST(alice->capacity_email == 20);
  BOOST_TEST(!alice->supervisor);

  const switchboard::AgentConfig* sam = c.FindAgent("sam");
  BOOST_TEST_REQUIRE(sam != nullptr);
  BOOST_TEST(sam->supervisor);
  BOOST_TEST(sam->groups == (Strings{"leads"}), boost::test_tools::per_element());
  BOOST_TEST(sam->capacity_messaging == 0);
  BOOST_TEST(sam->capacity_email == 10);  // not mentioned: the default

  const switchboard::AgentConfig* noel = c.FindAgent("noel");
  BOOST_TEST_REQUIRE(noel != nullptr);
  BOOST_TEST(noel->groups.empty());
  BOOST_TEST(noel->capacity_messaging == 3);
  BOOST_TEST(noel->capacity_email == 10);
  BOOST_TEST(!noel->supervisor);

  BOOST_TEST(c.routing_style == "broadcast");
  BOOST_TEST(c.fallback == "support");
}

BOOST_AUTO_TEST_CASE(B10_routing_rules_are_read_in_order_with_their_group_priority_language_and_skills) {
  Configuration c = MustParse(R"({"groups": [{"id": "support"}, {"id": "paris"}, {"id": "montreal"}],
    "agents": [{"id": "alice", "groups": ["support", "paris"]}, {"id": "bob", "groups": ["paris"]}],
    "routing": {"rules": [
      {"id": "vip", "when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
       "group": "support", "priority": "high", "language": "fr", "skills": ["billing", "vip"]},
      {"id": "shift", "groups": ["paris", "montreal"]}], "fallback": "support"}})");
  BOOST_TEST_REQUIRE(c.routing_rules.size() == 2u);
  BOOST_TEST(c.routing_rules[0].id == "vip");
  BOOST_TEST(c.routing_rules[0].when.all.size() == 1u);
  BOOST_TEST(c.routing_rules[0].groups == (Strings{"support"}), boost::test_tools::per_element());
  BOOST_TEST(c.routing_rules[0].priority == "high");
  BOOST_TEST(c.routing_rules[0].language == "fr");
  BOOST_TEST(c.routing_rules[0].skills == (Strings{"billing", "vip"}), boost::test_tools::per_element());
  BOOST_TEST(c.routing_rules[1].groups == (Strings{"paris", "montreal"}), boost::test_tools::per_element());
  BOOST_TEST(c.routing_rules[1].when.all.empty());  // no conditions: always holds
  // Members of each group, in configuration order, for routing without scanning all agents.
  BOOST_TEST(c.Members("paris") == (std::vector<std::size_t>{0, 1}), boost::test_tools::per_element());
  BOOST_TEST(c.Members("montreal").empty());
  BOOST_TEST(c.Members("nowhere").empty());
}

BOOST_AUTO_TEST_CASE(every_routing_style_is_accepted) {
  for (const char* style : {"broadcast", "assignment", "omnichannel"}) {
    Configuration c = MustParse(std::string(R"({"groups":[{"id":"support"}],"routing":{"style":")") + style + "\"}}");
    BOOST_TEST(c.routing_style == style);
  }
}

BOOST_AUTO_TEST_CASE(the_fallback_defaults_to_the_first_group) {
  Configuration c = MustParse(R"({"groups":[{"id":"tier1"},{"id":"tier2"}],"routing":{"style":"assignment"}})");
  BOOST_TEST(c.fallback == "tier1");
  Configuration no_routing = MustParse(R"({"groups":[{"id":"billing"},{"id":"support"}]})");
  BOOST_TEST(no_routing.fallback == "billing");
  BOOST_TEST(no_routing.routing_style == "omnichannel");
}

BOOST_AUTO_TEST_CASE(defaults_apply_when_settings_are_absent) {
  Configuration c = MustParse(R"({"groups":[{"id":"support"}]})");
  const switchboard::Settings defaults;
  BOOST_TEST(c.settings.inactivity_minutes == defaults.inactivity_minutes);
  BOOST_TEST(c.settings.release_capacity_on == defaults.release_capacity_on, boost::test_tools::per_element());
  BOOST_TEST(c.settings.reassign_on == defaults.reassign_on, boost::test_tools::per_element());
  BOOST_TEST(c.settings.close_solved_after_hours == 96);
  BOOST_TEST(c.agents.empty());
}

BOOST_AUTO_TEST_CASE(the_digest_depends_on_content_not_layout) {
  Configuration a =
      MustParse(R"({"groups":[{"id":"support"},{"id":"vip"}],"routing":{"style":"broadcast","fallback":"vip"}})");
  Configuration b = MustParse(
      "{\n  \"routing\" : { \"fallback\" : \"vip\" ,\n \"style\":\"broadcast\" },\n"
      "  \"groups\": [ {\"id\": \"support\"}, {\"id\":\"vip\"} ]\n}\n");
  Configuration changed_value =
      MustParse(R"({"groups":[{"id":"support"},{"id":"vip"}],"routing":{"style":"broadcast","fallback":"support"}})");
  Configuration changed_order =
      MustParse(R"({"groups":[{"id":"vip"},{"id":"support"}],"routing":{"style":"broadcast","fallback":"vip"}})");
  BOOST_TEST(IsLowerHex16(a.digest), a.digest);
  BOOST_TEST(a.digest == b.digest);
  BOOST_TEST(a.document == b.document);
  BOOST_TEST(a.digest != changed_value.digest);
  BOOST_TEST(a.digest != changed_order.digest);  // the order of a list is meaningful
  // The same text always gives the same digest.
  BOOST_TEST(MustParse(kProtocolExample).digest == MustParse(kProtocolExample).digest);
  BOOST_TEST(MustParse(kProtocolExample).digest != a.digest);
}

BOOST_AUTO_TEST_CASE(default_configuration_is_one_support_group_as_fallback) {
  const Configuration& c = switchboard::DefaultConfiguration();
  BOOST_TEST(GroupIds(c) == (Strings{"support"}), boost::test_tools::per_element());
  BOOST_TEST(c.fallback == "support");
  BOOST_TEST(c.agents.empty());
  BOOST_TEST(c.routing_style == "omnichannel");
  BOOST_TEST(IsLowerHex16(c.digest), c.digest);
  BOOST_TEST(&c == &switchboard::DefaultConfiguration());  // one value, built once
}

BOOST_AUTO_TEST_CASE(an_unknown_placeholder_is_refused_with_its_path) {
  const std::string g = R"("groups":[{"id":"support"}])";
  struct Row {
    std::string text, prefix, mention;
  };
  const std::vector<Row> rows{
      {"{" + g + R"(,"bot":{"greeting":"Wait: {{wiat}}"}})", "bot.greeting: ", "{{wiat}}"},
      {"{" + g + R"(,"bot":{"greeting":"{{hours.sales}}"}})", "bot.greeting: ", "unknown group \"sales\""},
      {"{" + g + R"(,"bot":{"start":"a","steps":{"a":{"message":"{{ contact }}"}}}})",
       "bot.steps.a.message: ", "{{contact}}"},
      {"{" + g + R"(,"bot":{"start":"a","steps":{"a":{"ask":"{{x}}?","next":"b"},"b":{"handoff":{}}}}})",
       "bot.steps.a.ask: ", "{{x}}"},
      {"{" + g + R"(,"bot":{"start":"a","steps":{"a":{"handoff":{"message":"#{{pos}}"}}}}})",
       "bot.steps.a.handoff.message: ", "{{pos}}"},
      {"{" + g + R"(,"macros":[{"id":"m","text":"{{agent.nmae}}"}]})", "macros[0].text: ", "{{agent.nmae}}"},
      {"{" + g +
           R"(,"triggers":[{"id":"t","conditions":{},"actions":[{"field":"message_contact","value":"{{wait }} {{w}}"}]}]})",
       "triggers[0].actions[0].value: ", "{{w}}"},
      {"{" + g +
           R"(,"triggers":[{"id":"t","conditions":{},"actions":[{"field":"notify","value":{"to":"supervisors","text":"{{t}}"}}]}]})",
       "triggers[0].actions[0].value.text: ", "{{t}}"},
  };
  for (const Row& row : rows) {
    Configuration c;
    Status s = ParseConfiguration(row.text, &c);
    BOOST_TEST(!s.ok(), row.text);
    BOOST_TEST(s.message().rfind(row.prefix, 0) == 0, s.message());
    BOOST_TEST(s.message().find(row.mention) != std::string::npos, s.message());
  }
  Configuration known = MustParse("{" + g +
                                  R"(,"bot":{"greeting":"{{contact.name}} {{var.x}} {{ticket.id}} )"
                                  R"({{agent.id}} {{agent.name}} {{wait}} {{position}} {{hours.support}}"}})");
  BOOST_TEST(known.bot.greeting.size() > 0u);
}

BOOST_AUTO_TEST_CASE(a_document_nested_deeper_than_64_levels_is_refused_before_it_is_parsed) {
  Configuration c;
  Status s = ParseConfiguration(R"({"groups":[{"id":"support"}],"lookups":)" + std::string(100000, '{'), &c);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message() == "lookups: nests deeper than 64 levels of objects and lists");
}

BOOST_AUTO_TEST_CASE(a_refused_document_leaves_the_configuration_in_force) {
  Configuration c = MustParse(kProtocolExample);
  const std::string digest = c.digest;
  Status s = ParseConfiguration(R"({"groups":[{"id":"other"}],"routing":{"style":"random"}})", &c);
  BOOST_TEST(!s.ok());
  BOOST_TEST(c.digest == digest);
  BOOST_TEST(GroupIds(c) == (Strings{"support", "supervisors"}), boost::test_tools::per_element());
  BOOST_TEST(c.fallback == "supervisors");
  BOOST_TEST(c.routing_style == "omnichannel");
}

struct BrokenDocument {
  const char* what;
  std::string text;
  std::string prefix;   // the message starts with "PATH: "
  std::string mention;  // and then says something a person can act on ("" when any sentence will do)
};

BOOST_AUTO_TEST_CASE(broken_documents_are_refused_naming_the_path) {
  const std::string g = R"("groups":[{"id":"support"},{"id":"billing"}])";
  const std::vector<BrokenDocument> rows{
      {"not JSON", R"({"groups":[{"id":"support"}])", "configuration: ", "JSON"},
      {"unknown top-level key", "{" + g + R"(,"colour":"blue"})", "colour: ", "unknown key \"colour\""},
      {"settings not an object", "{" + g + R"(,"settings":[]})", "settings: ", "object"},
      {"settings unknown key", "{" + g + R"(,"settings":{"inactivity":10}})", "settings.inactivity: ", "unknown key"},
      {"inactivity negative", "{" + g + R"(,"settings":{"inactivity_minutes":-1}})",
       "settings.inactivity_minutes: ", "-1"},
      {"inactivity a string", "{" + g + R"(,"settings":{"inactivity_minutes":"10"}})",
       "settings.inactivity_minutes: ", "whole number"},
      {"inactivity fractional", "{" + g + R"(,"settings":{"inactivity_minutes":2.5}})",
       "settings.inactivity_minutes: ", "whole number"},
      {"inactivity too large for an int", "{" + g + R"(,"settings":{"inactivity_minutes":2147483648}})",
       "settings.inactivity_minutes: ", ""},
      {"offer_timeout_s negative", "{" + g + R"(,"settings":{"offer_timeout_s":-60}})",
       "settings.offer_timeout_s: ", "-60"},
      {"release_capacity_on with open", "{" + g + R"(,"settings":{"release_capacity_on":["solved","open"]}})",
       "settings.release_capacity_on[1]: ", "\"open\""},
      {"release_capacity_on not a list", "{" + g + R"(,"settings":{"release_capacity_on":"solved"}})",
       "settings.release_capacity_on: ", "list"},
      {"reassign_on with busy", "{" + g + R"(,"settings":{"reassign_on":["busy"]}})",
       "settings.reassign_on[0]: ", "\"busy\""},
      {"groups not a list", R"({"groups":{"id":"support"}})", "groups: ", "list"},
      {"group not an object", R"({"groups":["support"]})", "groups[0]: ", "object"},
      {"group missing id", R"({"groups":[{"id":"support"},{"name":"Billing"}]})", "groups[1].id: ", "\"id\""},
      {"group id a number", R"({"groups":[{"id":7}]})", "groups[0].id: ", "string"},
      {"empty group id", R"({"groups":[{"id":"support"},{"id":""}]})", "groups[1].id: ", ""},
      {"group unknown key", R"({"groups":[{"id":"support","queue":"x"}]})", "groups[0].queue: ", "unknown key"},
      {"duplicate group id", R"({"groups":[{"id":"support"},{"id":"billing"},{"id":"support"}]})",
       "groups[2].id: ", "duplicate"},
      {"no groups key", R"({"settings":{}})", "groups: ", "at least one group"},
      {"empty groups list", R"({"groups":[]})", "groups: ", "at least one group"},
      {"agents not a list", "{" + g + R"(,"agents":{"id":"alice"}})", "agents: ", "list"},
      {"agent missing id", "{" + g + R"(,"agents":[{"id":"alice"},{"groups":["support"]}]})",
       "agents[1].id: ", "\"id\""},
      {"empty agent id", "{" + g + R"(,"agents":[{"id":""}]})", "agents[0].id: ", "empty"},
      {"duplicate agent id", "{" + g + R"(,"agents":[{"id":"alice"},{"id":"bob"},{"id":"alice"}]})",
       "agents[2].id: ", "duplicate"},
      {"agent unknown key", "{" + g + R"(,"agents":[{"id":"alice","team":"support"}]})",
       "agents[0].team: ", "unknown key"},
      {"agent groups not a list", "{" + g + R"(,"agents":[{"id":"alice","groups":"support"}]})",
       "agents[0].groups: ", "list"},
      {"agent group a number", "{" + g + R"(,"agents":[{"id":"alice","groups":["support",3]}]})",
       "agents[0].groups[1]: ", "string"},
      {"agent unknown group", "{" + g + R"(,"agents":[{"id":"alice","groups":["support","sales"]}]})",
       "agents[0].groups[1]: ", "unknown group \"sales\""},
      {"agent languages not a list", "{" + g + R"(,"agents":[{"id":"alice","languages":"fr"}]})",
       "agents[0].languages: ", "list"},
      {"capacity not an object", "{" + g + R"(,"agents":[{"id":"alice","capacity":3}]})",
       "agents[0].capacity: ", "object"},
      {"capacity unknown key", "{" + g + R"(,"agents":[{"id":"alice","capacity":{"chat":3}}]})",
       "agents[0].capacity.chat: ", "unknown key"},
      {"capacity.messaging negative", "{" + g + R"(,"agents":[{"id":"alice","capacity":{"messaging":-2}}]})",
       "agents[0].capacity.messaging: ", "-2"},
      {"capacity.email a string", "{" + g + R"(,"agents":[{"id":"alice","capacity":{"email":"ten"}}]})",
       "agents[0].capacity.email: ", "whole number"},
      {"role boss", "{" + g + R"(,"agents":[{"id":"alice"},{"id":"bob","role":"boss"}]})",
       "agents[1].role: ", "\"boss\""},
      {"routing not an object", "{" + g + R"(,"routing":"broadcast"})", "routing: ", "object"},
      {"routing unknown key", "{" + g + R"(,"routing":{"mode":"broadcast"}})", "routing.mode: ", "unknown key"},
      {"routing style random", "{" + g + R"(,"routing":{"style":"random"}})", "routing.style: ", "\"random\""},
      {"routing fallback unknown group", "{" + g + R"(,"routing":{"fallback":"sales"}})",
       "routing.fallback: ", "unknown group \"sales\""},
      {"routing fallback not a string", "{" + g + R"(,"routing":{"fallback":["support"]}})",
       "routing.fallback: ", "string"},
      {"routing rules not a list", "{" + g + R"(,"routing":{"rules":{"id":"vip"}}})", "routing.rules: ", "list"},
      {"routing rule without id", "{" + g + R"(,"routing":{"rules":[{"group":"support"}]}})",
       "routing.rules[0].id: ", "\"id\""},
      {"routing rule duplicate id", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support"},
         {"id":"a","group":"billing"}]}})",
       "routing.rules[1].id: ", "duplicate"},
      {"routing rule unknown group", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"sales"}]}})",
       "routing.rules[0].group: ", "unknown group \"sales\""},
      {"routing rule both group and groups", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support",
         "groups":["billing"]}]}})",
       "routing.rules[0]: ", "exactly one"},
      {"routing rule shift group unknown", "{" + g + R"(,"routing":{"rules":[{"id":"a",
         "groups":["support","night"]}]}})",
       "routing.rules[0].groups[1]: ", "unknown group \"night\""},
      {"routing rule bad priority", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support",
         "priority":"asap"}]}})",
       "routing.rules[0].priority: ", "\"asap\""},
      {"routing rule unknown field", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support",
         "when":{"all":[{"field":"mood","operator":"is","value":"bad"}]}}]}})",
       "routing.rules[0].when.all[0].field: ", "mood"},
      {"routing rule open.GROUP unknown", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support",
         "when":{"any":[{"field":"open.night","operator":"is","value":true}]}}]}})",
       "routing.rules[0].when.any[0].field: ", "unknown group \"night\""},
      {"routing rule skills not a list", "{" + g + R"(,"routing":{"rules":[{"id":"a","group":"support",
         "skills":"billing"}]}})",
       "routing.rules[0].skills: ", "list"},
  };
  BOOST_TEST(rows.size() >= 25u);
  for (const BrokenDocument& row : rows) {
    BOOST_TEST_CONTEXT(row.what << ": " << row.text) {
      Configuration c;
      c.fallback = "untouched";
      Status s = ParseConfiguration(row.text, &c);
      BOOST_TEST_INFO("message: " << s.message());
      BOOST_TEST(!s.ok());
      if (!s.ok()) {
        BOOST_TEST(s.message().rfind(row.prefix, 0) == 0u);
        BOOST_TEST(s.message().size() > row.prefix.size());
        BOOST_TEST(s.message().find(row.mention) != std::string::npos);
        // Refused: the configuration passed in is left as it was.
        BOOST_TEST(c.fallback == "untouched");
        BOOST_TEST(c.groups.empty());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_document_that_is_not_an_object_is_refused_with_a_readable_message) {
  // No path can name the fault here (the whole document is), so the sentence must still read as
  // one: not ": expected ..." with an empty path before the colon.
  for (const char* text : {R"([{"groups":[{"id":"support"}]}])", "\"support\"", "42", "null"}) {
    BOOST_TEST_CONTEXT("document " << text) {
      Configuration c;
      Status s = ParseConfiguration(text, &c);
      BOOST_TEST_INFO("message: " << s.message());
      BOOST_TEST(!s.ok());
      BOOST_TEST(!s.message().empty());
      BOOST_TEST(s.message().rfind(":", 0) != 0u);
      BOOST_TEST(s.message().find("object") != std::string::npos);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// weekday and time_of_day in a time zone (B77).

namespace {

// A routing rule per way of naming a group, each with a time_of_day condition; the one of "explicit"
// says its own tz. A trigger and an SLA policy with clock conditions too.
const char* const kClockRules = R"json({
  "groups": [{"id": "support"},
             {"id": "paris", "hours": {"tz": "Europe/Paris", "mon-fri": "09:00-18:00"}},
             {"id": "montreal", "hours": {"tz": "America/Montreal", "mon-fri": "09:00-18:00"}}],
  "routing": {"rules": [
    {"id": "paris-evening", "when": {"all": [{"field": "time_of_day", "operator": "greater_than", "value": "18:00"}]},
     "group": "paris"},
    {"id": "shift", "when": {"any": [{"field": "weekday", "operator": "is", "value": "sat"},
                                     {"field": "contact.vip", "operator": "is", "value": true}]},
     "groups": ["support", "montreal", "paris"]},
    {"id": "no-hours", "when": {"all": [{"field": "time_of_day", "operator": "less_than", "value": "09:00"}]},
     "group": "support"},
    {"id": "explicit", "when": {"all": [{"field": "time_of_day", "operator": "less_than", "value": "09:00",
                                         "tz": "Asia/Tokyo"}]},
     "group": "paris"}]},
  "triggers": [{"id": "evening", "conditions": {"all": [{"field": "time_of_day", "operator": "greater_than",
                                                          "value": "18:00", "tz": "Europe/Paris"},
                                                         {"field": "weekday", "operator": "is", "value": "mon"}]},
                "actions": [{"field": "tags_add", "value": "evening"}]}],
  "sla_policies": [{"id": "weekend", "conditions": {"all": [{"field": "weekday", "operator": "greater_than",
                                                              "value": "fri", "tz": "America/Montreal"}]},
                    "targets": [{"metric": "first_reply", "priority": "normal", "target_minutes": 60}]}]
})json";

}  // namespace

BOOST_AUTO_TEST_CASE(B77_a_routing_rules_clock_conditions_default_to_the_zone_of_its_group) {
  Configuration c = MustParse(kClockRules);
  BOOST_TEST_REQUIRE(c.routing_rules.size() == 4u);
  const auto& paris = c.routing_rules[0].when.all[0].field;
  BOOST_TEST(paris.name == "Europe/Paris");  // the group's hours
  BOOST_TEST(paris.zone == c.FindGroup("paris")->hours->zone);
  const auto& shift = c.routing_rules[1].when.any;
  BOOST_TEST(shift[0].field.name == "America/Montreal");          // the first listed group that has hours
  BOOST_TEST(shift[1].field.name == "vip");                       // contact.vip keeps its NAME
  BOOST_TEST(c.routing_rules[2].when.all[0].field.name.empty());  // no hours anywhere: UTC
  BOOST_TEST(c.routing_rules[2].when.all[0].field.zone == nullptr);
  BOOST_TEST(c.routing_rules[3].when.all[0].field.name == "Asia/Tokyo");  // its own tz wins
  // Other rule kinds read UTC unless they say tz.
  BOOST_TEST_REQUIRE(c.rules.triggers.size() == 1u);
  BOOST_TEST(c.rules.triggers[0].conditions.all[0].field.name == "Europe/Paris");
  BOOST_TEST(c.rules.triggers[0].conditions.all[1].field.name.empty());
  BOOST_TEST_REQUIRE(c.sla_policies.size() == 1u);
  BOOST_TEST(c.sla_policies[0].conditions.all[0].field.name == "America/Montreal");
}

BOOST_AUTO_TEST_CASE(B77_a_tz_is_kept_in_the_stored_document_and_read_back_the_same) {
  Configuration c = MustParse(kClockRules);
  BOOST_TEST(c.document.find(R"("tz":"Asia/Tokyo")") != std::string::npos);
  BOOST_TEST(c.document.find(R"("tz":"Europe/Paris")") != std::string::npos);
  // The default zone of a routing rule is decided when the document is read, not written into it.
  BOOST_TEST(c.document.find(R"({"field":"time_of_day","operator":"greater_than","value":"18:00"})") !=
             std::string::npos);
  // What the log keeps (the document) is read back to the same configuration, zones included.
  Configuration again = MustParse(c.document);
  BOOST_TEST(again.document == c.document);
  BOOST_TEST(again.digest == c.digest);
  BOOST_TEST(again.routing_rules[0].when.all[0].field == c.routing_rules[0].when.all[0].field);
  BOOST_TEST(again.routing_rules[3].when.all[0].field.name == "Asia/Tokyo");
  BOOST_TEST(again.rules.triggers[0].conditions.all[0].field.name == "Europe/Paris");
  // A tz is content: another zone, or none, is another digest.
  std::string other = kClockRules;
  other.replace(other.find("Asia/Tokyo"), std::string("Asia/Tokyo").size(), "Asia/Seoul");
  BOOST_TEST(MustParse(other).digest != c.digest);
  std::string none = kClockRules;
  const std::string tz = R"(,
                                         "tz": "Asia/Tokyo")";
  BOOST_TEST_REQUIRE(none.find(tz) != std::string::npos);
  none.erase(none.find(tz), tz.size());
  BOOST_TEST(MustParse(none).digest != c.digest);
  BOOST_TEST(MustParse(none).routing_rules[3].when.all[0].field.name == "Europe/Paris");  // now the group's
}

BOOST_AUTO_TEST_CASE(B77_a_bad_tz_is_refused_with_its_path_in_every_kind_of_rule) {
  const std::string g = R"("groups":[{"id":"support","hours":{"tz":"Europe/Paris","mon-fri":"09:00-18:00"}}])";
  const std::vector<BrokenDocument> rows{
      {"routing rule, unknown zone", "{" + g + R"(,"routing":{"rules":[{"id":"r","group":"support","when":{"all":[
          {"field":"time_of_day","operator":"greater_than","value":"18:00","tz":"Europe/Pariss"}]}}]}})",
       "routing.rules[0].when.all[0].tz: ", "unknown time zone \"Europe/Pariss\""},
      {"trigger, tz on a field that has none", "{" + g + R"(,"triggers":[{"id":"t","conditions":{"all":[
          {"field":"status","operator":"is","value":"open","tz":"Europe/Paris"}]},"actions":[]}]})",
       "triggers[0].conditions.all[0].tz: ",
       "\"tz\" applies only to the fields weekday and time_of_day; field \"status\" takes none"},
      {"automation, unknown zone", "{" + g + R"(,"automations":[{"id":"a","conditions":{"all":[
          {"field":"hours_since_created","operator":"greater_than","value":2},
          {"field":"weekday","operator":"is","value":"mon","tz":"Nowhere"}]},"actions":[]}]})",
       "automations[0].conditions.all[1].tz: ", "unknown time zone \"Nowhere\""},
      {"view, unknown zone", "{" + g + R"(,"views":[{"id":"v","conditions":{"any":[
          {"field":"weekday","operator":"is","value":"mon","tz":"UTC+1"}]}}]})",
       "views[0].conditions.any[0].tz: ", "unknown time zone \"UTC+1\""},
      {"SLA policy, tz on a field that has none", "{" + g + R"(,"sla_policies":[{"id":"p","conditions":{"all":[
          {"field":"language","operator":"is","value":"fr","tz":"Europe/Paris"}]},
          "targets":[{"metric":"first_reply","priority":"normal","target_minutes":60}]}]})",
       "sla_policies[0].conditions.all[0].tz: ", "field \"language\" takes none"},
  };
  for (const BrokenDocument& row : rows) {
    BOOST_TEST_CONTEXT(row.what << ": " << row.text) {
      Configuration c;
      Status s = ParseConfiguration(row.text, &c);
      BOOST_TEST_INFO("message: " << s.message());
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.message().rfind(row.prefix, 0) == 0u);
      BOOST_TEST(s.message().find(row.mention) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
