// B46: the bot flow, lookups, articles and views are validated with the JSON path at fault,
// including references to steps, lookups and groups that do not exist and unreachable steps.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "rules/config.h"
#include "tests/support/vocabulary_io.h"

using namespace switchboard;
using nlohmann::json;

namespace {

json Base() {
  return json::parse(R"({
    "groups": [{"id": "support"}, {"id": "vip"}],
    "lookups": {"crm": {"table": {"vip@example.com": {"vip": true}}}},
    "articles": [{"id": "shipping", "title": "Shipping policy", "keywords": ["shipping", "delivery"]}],
    "bot": {"greeting": "Hello {{contact.name}}!", "start": "ask_team",
      "steps": {
        "ask_team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"],
                     "save": "var.team", "retries": 2, "next": "check", "else": "handoff"},
        "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "route", "fail": "faq"},
        "route": {"branch": [{"when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                              "goto": "vip"}], "else": "faq"},
        "vip": {"handoff": {"group": "vip", "priority": "high"}},
        "faq": {"articles": 3, "solved": "done", "unsolved": "handoff"},
        "handoff": {"handoff": {}},
        "done": {"end": "solved"}}},
    "views": [{"id": "pending", "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"}]},
               "sort": "updated_at"}]})");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bot_config)

BOOST_AUTO_TEST_CASE(B46_a_full_bot_flow_compiles) {
  Configuration config;
  Status s = ParseConfiguration(Base().dump(), &config);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(config.bot.start == "ask_team");
  BOOST_TEST(config.bot.steps.size() == 7u);
  BOOST_TEST((config.bot.steps.at("ask_team").answer == AnswerKind::kChoice));
  BOOST_TEST(config.bot.steps.at("ask_team").retries == 2);
  BOOST_TEST(config.bot.steps.at("route").branches.size() == 1u);
  BOOST_TEST(config.bot.lookups.at("crm").table.count("vip@example.com") == 1u);
  BOOST_TEST(config.bot.articles[0].keywords.size() == 2u);
  // The configured view, and the one that always exists (B50).
  BOOST_REQUIRE(config.views.size() == 2u);
  BOOST_TEST(config.views[0].sort == "updated_at");
  BOOST_TEST(config.views[1].id == "unassigned-messaging");
}

BOOST_AUTO_TEST_CASE(B46_broken_bot_lookups_articles_and_views_name_the_path) {
  struct Case {
    std::string pointer;  // JSON pointer of the part to replace
    std::string value;    // JSON text, or "DELETE"
    std::string path;
  };
  const std::vector<Case> cases = {
      {"/bot/start", R"("nowhere")", "bot.start"},
      {"/bot/steps/faq/unsolved", R"("handof")", "bot.steps.faq.unsolved"},
      {"/bot/steps/ask_team/next", R"("missing")", "bot.steps.ask_team.next"},
      {"/bot/steps/route/branch/0/goto", R"("gold")", "bot.steps.route.branch[0].goto"},
      {"/bot/steps/orphan", R"({"message": "nobody comes here"})", "bot.steps.orphan"},
      {"/bot/steps/ask_team/kind", R"("colour")", "bot.steps.ask_team.kind"},
      {"/bot/steps/ask_team/options", "DELETE", "bot.steps.ask_team.options"},
      {"/bot/steps/ask_team/save", R"("team")", "bot.steps.ask_team.save"},
      {"/bot/steps/ask_team/retries", "-1", "bot.steps.ask_team.retries"},
      {"/bot/steps/ask_team/mood", R"("happy")", "bot.steps.ask_team.mood"},
      {"/bot/steps/ask_team/message", R"("two kinds")", "bot.steps.ask_team"},
      {"/bot/steps/check/lookup", R"("erp")", "bot.steps.check.lookup"},
      {"/bot/steps/check/input", R"("contact")", "bot.steps.check.input"},
      {"/bot/steps/check/fail", "DELETE", "bot.steps.check.fail"},
      {"/bot/steps/route/branch", "[]", "bot.steps.route.branch"},
      {"/bot/steps/route/branch/0/when/all/0/operator", R"("sort_of")",
       "bot.steps.route.branch[0].when.all[0].operator"},
      {"/bot/steps/vip/handoff/group", R"("gold")", "bot.steps.vip.handoff.group"},
      {"/bot/steps/vip/handoff/priority", R"("asap")", "bot.steps.vip.handoff.priority"},
      {"/bot/steps/done/end", R"("maybe")", "bot.steps.done.end"},
      {"/bot/steps/faq/articles", "0", "bot.steps.faq.articles"},
      {"/bot/colour", R"("blue")", "bot.colour"},
      {"/lookups/crm/url", R"("http://crm.local/vip")", "lookups.crm"},
      {"/lookups/crm", R"({"url": "ftp://crm.local"})", "lookups.crm.url"},
      {"/lookups/crm/table/vip@example.com", "true", "lookups.crm.table.vip@example.com"},
      {"/lookups/crm/timeout_ms", R"("soon")", "lookups.crm.timeout_ms"},
      {"/articles/0/id", "DELETE", "articles[0].id"},
      {"/articles/1", R"({"id": "shipping", "title": "Again"})", "articles[1].id"},
      {"/articles/0/keywords", R"("shipping")", "articles[0].keywords"},
      {"/views/0/conditions/all/0/field", R"("colour")", "views[0].conditions.all[0].field"},
      {"/views/1", R"({"id": "pending", "conditions": {}})", "views[1].id"},
      {"/views/0/sort", R"("random")", "views[0].sort"},
  };
  for (const Case& c : cases) {
    json doc = Base();
    json::json_pointer pointer(c.pointer);
    if (c.value == "DELETE")
      doc[pointer.parent_pointer()].erase(pointer.back());
    else
      doc[pointer] = json::parse(c.value);
    Configuration config;
    Status s = ParseConfiguration(doc.dump(), &config);
    BOOST_TEST_CONTEXT(c.pointer << " = " << c.value) {
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.message().rfind(c.path + ": ", 0) == 0, s.message());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
