// Conditions `weekday` and `time_of_day` in a time zone, decided by the pure Desk with explicit times (B77):
// a trigger's own tz, a routing rule that reads the clock of its group, a bot branch with a tz. The fixture
// folds the config.applied event, so every configuration here is the one read back from its document.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using Strings = std::vector<std::string>;

namespace {

std::vector<json> Writes(DeskFixture& f, const std::string& contact, const std::string& time, json profile = {}) {
  json line = {{"type", "contact.message"}, {"contact", contact}, {"channel", "messaging"}, {"text", "hello"}};
  if (!profile.is_null()) line["profile"] = std::move(profile);
  return f.Run(f.Line(line, time));
}

Strings Fired(const std::vector<json>& events) {
  Strings out;
  for (const json& e : events) {
    if (e["type"] == "trigger.fired") out.push_back(e["rule"]);
  }
  return out;
}

Strings BotSteps(const std::vector<json>& events) {
  Strings out;
  for (const json& e : events) {
    if (e["type"] == "bot.message_sent") out.push_back(e["step"]);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(time_zones)

BOOST_AUTO_TEST_CASE(B77_a_trigger_after_18_00_in_paris_tags_a_ticket_created_at_17_30z_in_november) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  // The ticket's group works in Paris; a trigger without tz still reads UTC (only routing rules take the
  // zone of the group they name).
  config["groups"][0]["hours"] = json::parse(R"({"tz": "Europe/Paris", "mon-fri": "09:00-18:00"})");
  config["triggers"] = json::parse(R"([
    {"id": "evening-in-paris",
     "conditions": {"all": [{"field": "time_of_day", "operator": "greater_than", "value": "18:00",
                             "tz": "Europe/Paris"},
                            {"field": "ticket", "operator": "is", "value": "created"}]},
     "actions": [{"field": "tags_add", "value": "evening"}]},
    {"id": "after-17-utc",
     "conditions": {"all": [{"field": "time_of_day", "operator": "greater_than", "value": "17:00"},
                            {"field": "ticket", "operator": "is", "value": "created"}]},
     "actions": [{"field": "tags_add", "value": "late-utc"}]}])");
  DeskFixture f(config.dump());

  // (The engine's clock never goes back: the instants come in order.) In summer Paris is UTC+2: 16:30Z is
  // already 18:30 there.
  auto summer = Writes(f, "cat", "2026-06-15T16:30:00");
  BOOST_TEST(Fired(summer) == Strings{"evening-in-paris"}, boost::test_tools::per_element());
  BOOST_TEST(f.ticket(1).tags == Strings{"evening"}, boost::test_tools::per_element());

  // In November Paris is UTC+1: 16:30Z is 17:30 there, 17:30Z is 18:30.
  auto afternoon = Writes(f, "ben", "16:30:00");
  BOOST_TEST(Fired(afternoon).empty());
  BOOST_TEST(f.ticket(2).tags.empty());

  auto evening = Writes(f, "ann", "17:30:00");
  BOOST_TEST(Fired(evening) == (Strings{"evening-in-paris", "after-17-utc"}), boost::test_tools::per_element());
  BOOST_TEST(f.ticket(3).tags == (Strings{"evening", "late-utc"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B77_a_routing_rule_without_tz_reads_the_clock_of_the_group_it_names) {
  json config = json::parse(R"({
    "groups": [{"id": "support"}, {"id": "triage"},
               {"id": "paris", "hours": {"tz": "Europe/Paris", "mon-fri": "09:00-18:00"}},
               {"id": "montreal", "hours": {"tz": "America/Montreal", "mon-fri": "09:00-18:00"}}],
    "agents": [{"id": "alice", "groups": ["support"]}, {"id": "pierre", "groups": ["paris"]},
               {"id": "marie", "groups": ["montreal"]}],
    "routing": {"rules": [
      {"id": "paris-morning", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "paris"},
                                               {"field": "time_of_day", "operator": "less_than", "value": "12:00"}]},
       "group": "paris"},
      {"id": "monday-shift", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "shift"},
                                              {"field": "weekday", "operator": "is", "value": "mon"}]},
       "groups": ["support", "montreal"]},
      {"id": "utc-morning", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "utc"},
                                             {"field": "time_of_day", "operator": "less_than", "value": "12:00"}]},
       "group": "support"}],
     "fallback": "triage"}})");
  DeskFixture f(config.dump());
  auto reason = [](const std::vector<json>& events) { return Require(events, "ticket.routed")["reason"]; };

  // One group: its hours' zone. 10:30Z is 11:30 in Paris, 11:30Z is 12:30 there (before noon in UTC).
  BOOST_TEST(reason(Writes(f, "a", "10:30:00", {{"topic", "paris"}})) == "paris-morning");
  BOOST_TEST(reason(Writes(f, "b", "11:30:00", {{"topic", "paris"}})) == "fallback");

  // No group named has hours: UTC, as before.
  BOOST_TEST(reason(Writes(f, "e", "11:30:00", {{"topic", "utc"}})) == "utc-morning");
  BOOST_TEST(reason(Writes(f, "g", "12:30:00", {{"topic", "utc"}})) == "fallback");

  // A shift list: the first listed group that has hours (support has none, Montreal has). At 03:00Z on
  // Tuesday it is still Monday 22:00 in Montreal; at 05:30Z it is Tuesday there too.
  auto monday_night = Writes(f, "c", "2026-11-24T03:00:00", {{"topic", "shift"}});
  BOOST_TEST(reason(monday_night) == "monday-shift");
  BOOST_TEST(Require(monday_night, "ticket.routed")["group"] == "support");  // always open, listed first
  BOOST_TEST(reason(Writes(f, "d", "2026-11-24T05:30:00", {{"topic", "shift"}})) == "fallback");
}

BOOST_AUTO_TEST_CASE(B77_a_bot_branch_with_a_tz_reads_the_clock_there) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["bot"] = json::parse(R"({"greeting": "Hello!", "start": "when",
    "steps": {
      "when": {"branch": [{"when": {"all": [{"field": "time_of_day", "operator": "greater_than", "value": "18:00",
                                             "tz": "Europe/Paris"}]},
                           "goto": "evening"},
                          {"when": {"all": [{"field": "weekday", "operator": "is", "value": "tue",
                                             "tz": "Asia/Tokyo"}]},
                           "goto": "tokyo_tuesday"}], "else": "handoff"},
      "evening": {"message": "It is evening in Paris; an agent will answer tomorrow.", "next": "handoff"},
      "tokyo_tuesday": {"message": "It is already Tuesday in Tokyo.", "next": "handoff"},
      "handoff": {"handoff": {}}}})");
  DeskFixture f(config.dump());
  // 09:00Z on Monday: 10:00 in Paris, 18:00 on Monday in Tokyo.
  BOOST_TEST(BotSteps(Writes(f, "cat", "09:00:00")) == (Strings{"greeting", "handoff", "away"}),
             boost::test_tools::per_element());
  // 16:30Z: 17:30 in Paris, 01:30 on Tuesday in Tokyo.
  BOOST_TEST(BotSteps(Writes(f, "ben", "16:30:00")) == (Strings{"greeting", "tokyo_tuesday", "handoff", "away"}),
             boost::test_tools::per_element());
  // 17:30Z: 18:30 in Paris, 02:30 on Tuesday in Tokyo; the first case that holds wins.
  BOOST_TEST(BotSteps(Writes(f, "ann", "17:30:00")) == (Strings{"greeting", "evening", "handoff", "away"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
