// Triggers, automations, CSAT and macros decided by the pure Desk: B34, B40-B46.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

namespace {

// The four design-card rules, plus an automation that solves stale pending tickets.
json DesignCardConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["settings"]["max_trigger_cycles"] = 10;
  config["triggers"] = json::parse(R"([
    {"id": "tag-solved", "kind": "ticket",
     "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"}]},
     "actions": [{"field": "tags_add", "value": "was-solved"},
                 {"field": "notify", "value": {"to": "supervisors", "text": "Ticket {{ticket.id}} solved"}}]},
    {"id": "session-ended", "kind": "ticket",
     "conditions": {"all": [{"field": "session_end_reason", "operator": "changed_to", "value": "ended_by_agent"}]},
     "actions": [{"field": "tags_add", "value": "ended-by-agent"}, {"field": "csat", "value": "send"}]},
    {"id": "inactive-to-pending", "kind": "messaging",
     "conditions": {"all": [{"field": "session", "operator": "changed_to", "value": "inactive"},
                            {"field": "status", "operator": "less_than", "value": "pending"}]},
     "actions": [{"field": "status", "value": "pending"}]},
    {"id": "csat-on-solve", "kind": "messaging",
     "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"},
                            {"field": "solved_automatically", "operator": "is", "value": false}]},
     "actions": [{"field": "csat", "value": "send"}]}
  ])");
  config["automations"] = json::parse(R"([
    {"id": "solve-stale-pending",
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"},
                            {"field": "hours_since_status_changed", "operator": "greater_than", "value": 24}]},
     "actions": [{"field": "status", "value": "solved"}]},
    {"id": "close-solved",
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "solved"},
                            {"field": "hours_since_solved", "operator": "greater_than", "value": 96}]},
     "actions": [{"field": "status", "value": "closed"}]}
  ])");
  config["macros"] = json::parse(R"([
    {"id": "end-notice", "text": "Thanks {{contact.name}}, I am closing this chat; write again any time.",
     "actions": [{"field": "tags_add", "value": "macro-closed"}, {"field": "status", "value": "solved"}]}
  ])");
  return config;
}

// ann's messaging ticket 1, assigned to alice and opened by her reply.
void OpenChat(DeskFixture& f) {
  f.Run(f.Line({{"type", "contact.message"},
                {"contact", "ann"},
                {"channel", "messaging"},
                {"text", "hello"},
                {"profile", {{"name", "Ann"}}}},
               "09:00:00"));
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.AgentSays("alice", 1, "09:00:20");
}

std::vector<std::string> Rules(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e["rule"].is_null() ? "-" : e["rule"].get<std::string>());
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(triggers)

BOOST_AUTO_TEST_CASE(B40_B42_a_status_change_trigger_fires_and_its_events_name_it) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto events = f.Update(1, "09:05:00", {{"agent", "alice"}, {"status", "solved"}});
  const auto* fired = FindType(events, "trigger.fired");
  BOOST_REQUIRE(fired);
  BOOST_TEST((*fired)["rule"] == "tag-solved");
  BOOST_TEST((*fired)["ticket"] == 1);
  const auto* note = FindType(events, "notification.sent");
  BOOST_REQUIRE(note);
  BOOST_TEST((*note)["to"] == "supervisors");
  BOOST_TEST((*note)["text"] == "Ticket 1 solved");
  BOOST_TEST((*note)["rule"] == "tag-solved");
  BOOST_TEST(Require(events, "ticket.updated")["rule"] == "tag-solved");
  BOOST_TEST(Require(events, "ticket.status_changed")["rule"].is_null());  // the agent's own change
  // B44: the CSAT trigger fires too, checked again after the first one fired (B41).
  const auto* csat = FindType(events, "csat.offered");
  BOOST_REQUIRE(csat);
  BOOST_TEST((*csat)["rule"] == "csat-on-solve");
}

BOOST_AUTO_TEST_CASE(B40_triggers_fire_in_configured_order) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto events = f.Update(1, "09:05:00", {{"agent", "alice"}, {"status", "solved"}});
  Strings fired;
  for (const auto& e : events) {
    if (e["type"] == "trigger.fired") fired.push_back(e["rule"]);
  }
  BOOST_TEST(fired == (Strings{"tag-solved", "csat-on-solve"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B41_a_trigger_without_a_guard_fires_once_per_change) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["triggers"] = json::parse(R"([{"id": "note-open", "conditions": {"all": [
      {"field": "status", "operator": "is", "value": "open"}]},
      "actions": [{"field": "internal_note", "value": "still open"}]}])");
  DeskFixture f(config.dump());
  OpenChat(f);                                        // the reply opens the ticket: one note
  auto events = f.AgentSays("alice", 1, "09:01:00");  // a later change: the trigger may fire again, once
  int notes = 0;
  for (const auto& e : events) notes += e["type"] == "trigger.fired";
  BOOST_TEST(notes == 1);
}

BOOST_AUTO_TEST_CASE(B41_two_triggers_flipping_a_tag_end_with_rule_loop_stopped) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["settings"]["max_trigger_cycles"] = 6;
  config["triggers"] = json::parse(R"([
    {"id": "add-x", "conditions": {"all": [{"field": "tags", "operator": "not_includes", "value": "x"}]},
     "actions": [{"field": "tags_add", "value": "x"}]},
    {"id": "remove-x", "conditions": {"all": [{"field": "tags", "operator": "includes", "value": "x"}]},
     "actions": [{"field": "tags_remove", "value": "x"}]}])");
  DeskFixture f(config.dump());
  auto events = f.ContactSays("ann", "09:00:00");
  const auto* stopped = FindType(events, "rule.loop_stopped");
  BOOST_REQUIRE(stopped);
  BOOST_TEST((*stopped)["ticket"] == 1);
  BOOST_TEST((*stopped)["rules"].size() == 6u);
  BOOST_TEST((*stopped)["rules"][0] == "add-x");
  BOOST_TEST((*stopped)["rules"][1] == "remove-x");
  BOOST_TEST(events.back()["type"] == "rule.loop_stopped");  // and nothing after: no hang
}

BOOST_AUTO_TEST_CASE(B34_messaging_triggers_stop_after_the_session_ends_ticket_triggers_go_on) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto ended = f.Run(f.Line({{"type", "session.end"}, {"ticket", 1}, {"agent", "alice"}}, "09:05:00"));
  // The ticket trigger on the session-end reason tags it and sends CSAT by email.
  BOOST_TEST(Rules(ended) == (Strings{"-", "session-ended", "session-ended", "session-ended", "-"}),
             boost::test_tools::per_element());
  BOOST_TEST(f.ticket(1).tags == Strings{"ended-by-agent"}, boost::test_tools::per_element());
  BOOST_TEST(FindType(ended, "csat.offered"));
  // Solving it now runs the ticket trigger but not the messaging CSAT trigger (already offered anyway)
  // nor any messaging trigger.
  auto solved = f.Update(1, "09:06:00", {{"agent", "alice"}, {"status", "solved"}});
  Strings fired;
  for (const auto& e : solved) {
    if (e["type"] == "trigger.fired") fired.push_back(e["rule"]);
  }
  BOOST_TEST(fired == Strings{"tag-solved"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B21_inactivity_sets_the_ticket_pending_through_a_trigger) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto events = f.Advance("09:30:00");
  BOOST_TEST(Types(events) ==
                 (Strings{"conversation.inactive", "trigger.fired", "ticket.status_changed", "agent.load_changed"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[1]["rule"] == "inactive-to-pending");
  BOOST_TEST(events[2]["via"] == "trigger");
  BOOST_TEST(events[2]["to"] == "pending");
  BOOST_TEST(f.ticket(1).status == "pending");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(automations)

BOOST_AUTO_TEST_CASE(B43_B44_B23_automations_fire_at_their_due_time_solve_without_csat_then_close) {
  json config = DesignCardConfig();
  config["settings"]["close_solved_after_hours"] = 120;  // the automation closes first (at 97 hours)
  DeskFixture f(config.dump());
  OpenChat(f);
  f.Update(1, "09:01:00", {{"agent", "alice"}, {"status", "pending"}});
  // hours_since_status_changed greater_than 24: due 25 hours after 09:01.
  f.Advance("2026-11-24T10:00:59");
  BOOST_TEST(f.ticket(1).status == "pending");
  auto events = f.Advance("2026-11-24T12:00:00");
  const auto* fired = FindType(events, "automation.fired");
  BOOST_REQUIRE(fired);
  BOOST_TEST((*fired)["rule"] == "solve-stale-pending");
  BOOST_TEST((*fired)["at"] == "2026-11-24T10:01:00Z");
  const auto* solved = FindType(events, "ticket.status_changed");
  BOOST_REQUIRE(solved);
  BOOST_TEST((*solved)["via"] == "automation");
  BOOST_TEST(f.ticket(1).solved_automatically);
  // The CSAT trigger skips a ticket solved automatically; the plain status trigger still runs.
  BOOST_TEST(!FindType(events, "csat.offered"));
  BOOST_TEST(f.ticket(1).tags == Strings{"was-solved"}, boost::test_tools::per_element());
  // close-solved: hours_since_solved greater_than 96, so 97 hours after 10:01 on the 24th.
  f.Advance("2026-11-28T11:00:59");
  BOOST_TEST(f.ticket(1).status == "solved");
  auto closing = f.Advance("2026-11-30T00:00:00");
  BOOST_TEST(f.ticket(1).status == "closed");
  BOOST_TEST(Require(closing, "automation.fired")["at"] == "2026-11-28T11:01:00Z");
  BOOST_TEST(f.Advance("2026-12-30T00:00:00").empty());  // closed is final: nothing fires again
}

BOOST_AUTO_TEST_CASE(B43_an_automation_fires_once_until_its_conditions_stop_holding) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["automations"] = json::parse(R"([{"id": "nudge",
     "conditions": {"all": [{"field": "status", "operator": "is", "value": "pending"},
                            {"field": "hours_since_status_changed", "operator": "greater_than", "value": 1}]},
     "actions": [{"field": "internal_note", "value": "still pending"}]}])");
  DeskFixture f(config.dump());
  OpenChat(f);
  f.Update(1, "09:01:00", {{"agent", "alice"}, {"status", "pending"}});
  auto first = f.Advance("15:00:00");
  int fired = 0;
  for (const auto& e : first) fired += e["type"] == "automation.fired";
  BOOST_TEST(fired == 1);  // at 11:01, and not again while it stays pending
  f.Update(1, "15:01:00", {{"agent", "alice"}, {"status", "open"}});
  f.Update(1, "15:02:00", {{"agent", "alice"}, {"status", "pending"}});
  auto second = f.Advance("18:00:00");
  const auto* again = FindType(second, "automation.fired");
  BOOST_REQUIRE(again);
  BOOST_TEST((*again)["at"] == "2026-11-23T17:02:00Z");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(csat_and_macros)

BOOST_AUTO_TEST_CASE(B44_a_rating_is_recorded_once_and_only_after_the_survey) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto early = f.Run(f.Line({{"type", "csat.rate"}, {"ticket", 1}, {"score", "good"}}, "09:02:00"));
  BOOST_TEST(early[0]["type"] == "command.rejected");
  f.Update(1, "09:03:00", {{"agent", "alice"}, {"status", "solved"}});
  BOOST_TEST(f.ticket(1).csat_offered);
  auto rated = f.Run(f.Line({{"type", "csat.rate"}, {"ticket", 1}, {"score", "bad"}, {"comment", "slow"}}, "09:04:00"));
  BOOST_REQUIRE(rated[0]["type"] == "csat.rated");
  BOOST_TEST(rated[0]["score"] == "bad");
  BOOST_TEST(rated[0]["comment"] == "slow");
  BOOST_TEST(f.ticket(1).csat == "bad");
  auto twice = f.Run(f.Line({{"type", "csat.rate"}, {"ticket", 1}, {"score", "good"}}, "09:05:00"));
  BOOST_TEST(twice[0]["type"] == "command.rejected");
  BOOST_TEST(twice[0]["error"].get<std::string>().find("already rated") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(B45_a_macro_sends_its_text_with_placeholders_and_runs_its_actions_as_the_agent) {
  DeskFixture f(DesignCardConfig().dump());
  OpenChat(f);
  auto events =
      f.Run(f.Line({{"type", "macro.apply"}, {"ticket", 1}, {"agent", "alice"}, {"macro", "end-notice"}}, "09:05:00"));
  const auto* message = FindType(events, "message.added");
  BOOST_REQUIRE(message);
  BOOST_TEST((*message)["text"] == "Thanks Ann, I am closing this chat; write again any time.");
  BOOST_TEST((*message)["author"] == "agent:alice");
  BOOST_TEST((*message)["public"] == true);
  BOOST_TEST(f.ticket(1).status == "solved");
  BOOST_TEST(!f.ticket(1).solved_automatically);  // an agent's macro is not a rule
  BOOST_TEST(f.ticket(1).tags == (Strings{"macro-closed", "was-solved"}), boost::test_tools::per_element());
  auto unknown =
      f.Run(f.Line({{"type", "macro.apply"}, {"ticket", 1}, {"agent", "alice"}, {"macro", "nope"}}, "09:06:00"));
  BOOST_TEST(unknown[0]["field"] == "macro");
  auto outsider =
      f.Run(f.Line({{"type", "macro.apply"}, {"ticket", 1}, {"agent", "carol"}, {"macro", "end-notice"}}, "09:07:00"));
  BOOST_TEST(outsider[0]["field"] == "agent");
}

BOOST_AUTO_TEST_SUITE_END()
