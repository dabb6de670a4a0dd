// Proactive messages (B70, seed 001: "aider les visiteurs qui restent sur une page particulière du
// site Web pendant un certain temps"): page views, rules over the page, the time on it, new or
// returning visitors and the agents online, each message at its exact instant, and the conversation
// a reply starts naming the rule. Pure domain, explicit times.
#include <boost/test/unit_test.hpp>

#include "projections/queries.h"
#include "projections/records.h"
#include "tests/rules/domain/desk_fixture.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::Events;
using switchboard::testing::FindType;
using switchboard::testing::Online;
using switchboard::testing::Require;

namespace {

json ProactiveConfig(bool once_per_visitor = true) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["proactive"] = json::parse(R"([
    {"id": "pricing-help",
     "conditions": {"all": [{"field": "page_url", "operator": "is", "value": "/pricing"},
                            {"field": "time_on_page_s", "operator": "greater_than", "value": 29},
                            {"field": "agents_online.support", "operator": "is", "value": true}]},
     "actions": [{"field": "message_contact", "value": "Questions about our plans, {{contact.name}}?"}]},
    {"id": "welcome-back",
     "conditions": {"all": [{"field": "returning", "operator": "is", "value": true},
                            {"field": "page_url", "operator": "is", "value": "/"}]},
     "actions": [{"field": "message_contact", "value": "Welcome back!"}]}])");
  config["proactive"][0]["once_per_visitor"] = once_per_visitor;
  return config;
}

Events Views(DeskFixture& f, const std::string& contact, const std::string& url, const std::string& time) {
  return f.Run(
      f.Line({{"type", "visitor.activity"}, {"contact", contact}, {"page_url", url}, {"page_title", "Plans"}}, time));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(proactive)

BOOST_AUTO_TEST_CASE(B70_a_visitor_thirty_seconds_on_the_pricing_page_is_messaged_at_that_instant_once) {
  DeskFixture f(ProactiveConfig().dump());
  f.Run(f.Line(Online("alice"), "08:59:00"));
  Events viewed = Views(f, "ann", "/pricing", "09:00:00");
  const json& page = Require(viewed, "visitor.page_viewed");
  BOOST_TEST(page["contact"] == "ann");
  BOOST_TEST(page["page_url"] == "/pricing");
  BOOST_TEST(page["page_title"] == "Plans");
  BOOST_TEST(!FindType(viewed, "proactive.message_sent"));  // 0 s on the page

  // Time alone brings the message, at 09:00:30 exactly (29 s is not greater than 29).
  Events later = f.Advance("09:05:00");
  const json& sent = Require(later, "proactive.message_sent");
  BOOST_TEST(sent["at"] == "2026-11-23T09:00:30Z");
  BOOST_TEST(sent["rule"] == "pricing-help");
  BOOST_TEST(sent["contact"] == "ann");
  BOOST_TEST(sent["text"] == "Questions about our plans, ?");  // no name known: empty, never the braces

  // once_per_visitor: the same page again, much later, brings nothing more.
  Views(f, "ann", "/pricing", "11:00:00");
  BOOST_TEST(!FindType(f.Advance("11:10:00"), "proactive.message_sent"));
}

BOOST_AUTO_TEST_CASE(B70_leaving_the_page_before_the_time_or_nobody_online_sends_nothing) {
  DeskFixture f(ProactiveConfig(false).dump());
  Views(f, "ann", "/pricing", "09:00:00");
  BOOST_TEST(!FindType(f.Advance("09:05:00"), "proactive.message_sent"));  // nobody of support online
  f.Run(f.Line(Online("alice"), "09:06:00"));
  Views(f, "bea", "/pricing", "09:10:00");
  Views(f, "bea", "/docs", "09:10:20");  // left after 20 s
  BOOST_TEST(!FindType(f.Advance("09:20:00"), "proactive.message_sent"));
  // Not once per visitor: each new page view may bring it again.
  Views(f, "bea", "/pricing", "09:30:00");
  BOOST_TEST(Require(f.Advance("09:31:00"), "proactive.message_sent")["at"] == "2026-11-23T09:30:30Z");
  Views(f, "bea", "/pricing", "09:40:00");
  BOOST_TEST(Require(f.Advance("09:41:00"), "proactive.message_sent")["at"] == "2026-11-23T09:40:30Z");
}

BOOST_AUTO_TEST_CASE(B70_a_returning_visitor_is_welcomed_and_a_reply_starts_a_conversation_naming_the_rule) {
  DeskFixture f(ProactiveConfig().dump());
  BOOST_TEST(!FindType(Views(f, "ann", "/", "09:00:00"), "proactive.message_sent"));  // a first visit
  Events again = Views(f, "ann", "/", "10:00:00");                                    // an hour later: a new visit
  const json& welcome = Require(again, "proactive.message_sent");
  BOOST_TEST(welcome["rule"] == "welcome-back");
  BOOST_TEST(welcome["text"] == "Welcome back!");
  Events reply = f.ContactSays("ann", "10:01:00", "yes, a question");
  const json& started = Require(reply, "conversation.started");
  BOOST_TEST(started["rule"] == "welcome-back");
  // A conversation started long after the message names no rule.
  Views(f, "bea", "/", "09:00:00");
  Views(f, "bea", "/", "11:00:00");
  Events late = f.ContactSays("bea", "12:00:00");
  BOOST_TEST(Require(late, "conversation.started")["rule"].is_null());
}

BOOST_AUTO_TEST_CASE(B70_a_visitor_in_a_conversation_is_not_messaged) {
  DeskFixture f(ProactiveConfig().dump());
  f.Run(f.Line(Online("alice"), "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  Views(f, "ann", "/pricing", "09:01:00");
  BOOST_TEST(!FindType(f.Advance("09:05:00"), "proactive.message_sent"));
}

BOOST_AUTO_TEST_CASE(B70_a_rule_that_cannot_work_is_refused_naming_its_path) {
  for (const auto& [rule, path] : std::vector<std::pair<std::string, std::string>>{
           {R"({"id": "p", "conditions": {"all": [{"field": "status", "operator": "is", "value": "new"}]},
                "actions": [{"field": "message_contact", "value": "hi"}]})",
            "proactive[0].conditions.all[0].field"},
           {R"({"id": "p", "conditions": {"all": [{"field": "agents_online.night", "operator": "is", "value": true}]},
                "actions": [{"field": "message_contact", "value": "hi"}]})",
            "proactive[0].conditions.all[0].field"},
           {R"({"id": "p", "actions": [{"field": "tags_add", "value": "x"}]})", "proactive[0].actions[0].field"},
           {R"({"id": "p", "actions": [{"field": "message_contact", "value": "{{wiat}}"}]})",
            "proactive[0].actions[0].value"},
           {R"({"id": "p", "once_per_visitor": "yes", "actions": [{"field": "message_contact", "value": "hi"}]})",
            "proactive[0].once_per_visitor"}}) {
    json config = json::parse(switchboard::testing::kTwoGroupConfig);
    config["proactive"] = json::array({json::parse(rule)});
    Configuration parsed;
    Status s = ParseConfiguration(config.dump(), &parsed);
    BOOST_TEST(!s.ok());
    BOOST_TEST(s.message().rfind(path + ":", 0) == 0, s.message());
  }
}

BOOST_AUTO_TEST_CASE(B70_analytics_count_the_messages_the_conversations_they_started_and_their_outcomes) {
  DeskFixture f(ProactiveConfig().dump());
  f.Run(f.Line(Online("alice"), "08:59:00"));
  Views(f, "ann", "/", "09:00:00");
  Require(Views(f, "ann", "/", "10:00:00"), "proactive.message_sent");  // welcome-back
  Events reply = f.ContactSays("ann", "10:01:00", "yes, a question");
  // The ticket the reply became names the rule in its event, so a ticket read back from its own
  // stream still knows it.
  BOOST_TEST(Require(reply, "ticket.created")["proactive_rule"] == "welcome-back");
  f.Update(1, "10:10:00", {{"status", "solved"}, {"agent", "alice"}});
  Events plain = f.ContactSays("bea", "10:20:00");  // no message before: not proactive
  BOOST_TEST(!Require(plain, "ticket.created").contains("proactive_rule"));
  Views(f, "cid", "/pricing", "10:30:00");
  Require(f.Advance("10:31:00"), "proactive.message_sent");  // pricing-help, never answered

  BOOST_TEST(json::parse(TicketJson(f.state(), f.read(), f.ticket(1)))["proactive_rule"] == "welcome-back");
  BOOST_TEST(json::parse(TicketJson(f.state(), f.read(), f.ticket(2)))["proactive_rule"].is_null());
  MemoryRecords records(AllRecords(f.state(), f.read()));
  std::string text;
  BOOST_REQUIRE(AnswerAnalytics(records, "", "", "", false, &text).ok());
  const json total = json::parse(text)["total"];
  BOOST_TEST(total["proactive"] == json::parse(R"({"messages_sent": 2, "conversations": 1, "self_solved": 0,
                                                   "tickets": 1, "solved": 1})"));
  BOOST_TEST(total["tickets"] == 2);

  BOOST_REQUIRE(AnswerAnalytics(records, "", "", "proactive_rule", false, &text).ok());
  const json rows = json::parse(text)["rows"];
  BOOST_REQUIRE(rows.size() == 2u);
  BOOST_TEST(rows[0]["key"].is_null());  // bea's ticket
  BOOST_TEST(rows[0]["tickets"] == 1);
  BOOST_TEST(rows[0]["proactive"]["tickets"] == 0);
  BOOST_TEST(rows[1]["key"] == "welcome-back");
  BOOST_TEST(rows[1]["solved"] == 1);
  BOOST_TEST(rows[1]["proactive"]["messages_sent"].is_null());  // hourly counts are the channel's, not a rule's

  BOOST_REQUIRE(AnswerAnalytics(records, "", "", "", true, &text).ok());
  const std::string header = text.substr(0, text.find('\n'));
  const std::string tail =
      ",proactive_sent,proactive_conversations,proactive_self_solved,proactive_tickets,proactive_solved";
  BOOST_REQUIRE(header.size() > tail.size());
  BOOST_TEST(header.substr(header.size() - tail.size()) == tail);
  const std::string last = text.substr(text.find("\ntotal,") + 1);
  BOOST_TEST(last.substr(last.size() - 11) == ",2,1,0,1,1\n");
}

BOOST_AUTO_TEST_SUITE_END()
