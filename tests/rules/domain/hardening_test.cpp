// Defects found by trying the engine from the outside (hardening issue), each fixed at its root and
// proved here through the pure Desk, with explicit times: lookups and held messages (B5),
// placeholders everywhere (B1, B7, B14, B45), greeting-only bots, closing solved tickets (B23),
// replies after an ended session (seed 004), who caused an event (B53), time that jumps (B12, B14),
// and the clock that never goes back.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::Command;
using switchboard::CommandKind;
using switchboard::testing::DeskFixture;
using switchboard::testing::Events;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

namespace {

json BaseConfig() { return json::parse(switchboard::testing::kTwoGroupConfig); }

Events Say(DeskFixture& f, const std::string& text, const std::string& time, const std::string& contact = "ann") {
  return f.Run(f.Line({{"type", "contact.message"},
                       {"contact", contact},
                       {"channel", "messaging"},
                       {"text", text},
                       {"profile", {{"name", "Ann"}}}},
                      time));
}

// The engine's answer to an HTTP lookup, as the lookup worker brings it back.
Command LookupAnswer(std::uint64_t conversation, const std::string& result) {
  Command c;
  c.kind = CommandKind::kLookupResult;
  c.id = "lookup:" + std::to_string(conversation);
  c.conversation = conversation;
  c.lookup = "crm";
  c.result = result;
  return c;
}

json LookupFlow() {
  json config = BaseConfig();
  config["groups"].push_back({{"id", "vip"}});
  config["lookups"] = json::parse(R"({"crm": {"url": "http://127.0.0.1:9/crm", "timeout_ms": 1000}})");
  config["bot"] = json::parse(R"({"start": "ask_email", "steps": {
      "ask_email": {"ask": "Your email?", "kind": "email", "save": "contact.email", "next": "check"},
      "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "more", "fail": "more"},
      "more": {"ask": "Anything else?", "kind": "text", "save": "var.more", "next": "route"},
      "route": {"branch": [{"when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                            "goto": "vip"}], "else": "handoff"},
      "vip": {"handoff": {"group": "vip"}},
      "handoff": {"handoff": {}}}})");
  return config;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(lookups)

BOOST_AUTO_TEST_CASE(B5_a_message_during_a_pending_lookup_is_held_and_the_lookups_answer_drives_the_flow) {
  DeskFixture f(LookupFlow().dump());
  Say(f, "hi", "09:00:00");
  auto asked = Say(f, "vip@example.com", "09:00:10");
  BOOST_REQUIRE(FindType(asked, "lookup.started"));
  // The contact writes before the remote system answers: recorded, and nothing else happens.
  auto early = Say(f, "No", "09:00:11");
  BOOST_TEST(Types(early) == Strings{"message.added"}, boost::test_tools::per_element());
  auto answered = f.Run(LookupAnswer(1, R"({"vip": true})"));
  BOOST_TEST(Types(answered) == (Strings{"lookup.completed", "bot.answer_saved", "bot.message_sent", "bot.answer_saved",
                                         "ticket.created", "ticket.routed", "routing.decided", "ticket.queued",
                                         "bot.message_sent", "contact.notification_offered", "bot.message_sent"}),
             boost::test_tools::per_element());
  BOOST_TEST(answered[1]["key"] == "contact.vip");
  BOOST_TEST(answered[2]["step"] == "more");  // the next question is asked, and the held "No" answers it
  BOOST_TEST(answered[3]["key"] == "var.more");
  BOOST_TEST(answered[3]["value"] == "No");
  BOOST_TEST(answered[5]["group"] == "vip");  // the VIP is routed as a VIP, whatever the timing
}

BOOST_AUTO_TEST_CASE(B5_the_outcome_does_not_depend_on_how_fast_the_lookup_answers) {
  auto run = [](bool answer_first) {
    DeskFixture f(LookupFlow().dump());
    Say(f, "hi", "09:00:00");
    Say(f, "vip@example.com", "09:00:10");
    if (answer_first) {
      f.Run(LookupAnswer(1, R"({"vip": true})"));
      Say(f, "No", "09:00:11");
    } else {
      Say(f, "No", "09:00:11");
      f.Run(LookupAnswer(1, R"({"vip": true})"));
    }
    const auto& t = f.ticket(1);
    return t.group + "/" + f.state().FindConversation(1)->vars.at("more");
  };
  BOOST_TEST(run(true) == "vip/\"No\"");
  BOOST_TEST(run(false) == "vip/\"No\"");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(placeholders)

BOOST_AUTO_TEST_CASE(B1_B7_B14_B45_placeholders_are_filled_in_every_text_a_contact_or_agent_reads) {
  json config = BaseConfig();
  config["agents"][0]["name"] = "Alice Martin";
  config["bot"] = json::parse(R"({"greeting": "Hi {{contact.name}}", "start": "team", "steps": {
      "team": {"ask": "{{contact.name}}, sales or support?", "kind": "choice", "options": ["Sales", "Support"],
               "save": "var.team", "next": "echo"},
      "echo": {"message": "You chose {{var.team}}.", "next": "handoff"},
      "handoff": {"handoff": {"message": "You are number {{position}} in the {{var.team}} queue."}}}})");
  config["triggers"] = json::parse(R"([{"id": "hello", "conditions": {"all": [
      {"field": "assignee", "operator": "changed"}, {"field": "assignee", "operator": "present"}]},
      "actions": [{"field": "message_contact", "value": "{{agent.name}} ({{agent.id}}) will help you."},
                  {"field": "notify", "value": {"to": "assignee", "text": "{{contact.name}} waits on {{ticket.id}}"}}]}])");
  config["macros"] = json::parse(R"([{"id": "bye", "text": "Bye {{contact.name}}, from {{agent.name}}"}])");
  DeskFixture f(config.dump());
  auto first = Say(f, "hi", "09:00:00");
  BOOST_TEST(first[3]["text"] == "Hi Ann");
  BOOST_TEST(first[4]["text"] == "Ann, sales or support?\n1. Sales\n2. Support");
  Say(f, "hi", "09:00:01", "ben");  // ben waits first: ann is second in the queue
  Say(f, "Sales", "09:00:02", "ben");
  auto chose = Say(f, "Support", "09:00:10");
  BOOST_TEST(Require(chose, "bot.message_sent")["text"] == "You chose Support.");
  BOOST_TEST(chose.back()["step"] == "away");  // nobody is online: the away message follows (B71)
  BOOST_TEST(chose[chose.size() - 3]["type"] == "bot.message_sent");
  BOOST_TEST(chose[chose.size() - 3]["text"] == "You are number 2 in the Support queue.");
  auto assigned = f.Update(2, "09:01:00", {{"agent", "sam"}, {"assignee", "alice"}});
  BOOST_TEST(Require(assigned, "message.added")["text"] == "Alice Martin (alice) will help you.");
  BOOST_TEST(Require(assigned, "notification.sent")["text"] == "Ann waits on 2");
  auto bye = f.Run(f.Line({{"type", "macro.apply"}, {"ticket", 2}, {"agent", "alice"}, {"macro", "bye"}}, "09:02:00"));
  BOOST_TEST(Require(bye, "message.added")["text"] == "Bye Ann, from Alice Martin");
}

BOOST_AUTO_TEST_CASE(agent_name_is_the_id_when_the_agent_has_no_name) {
  json config = BaseConfig();
  config["macros"] = json::parse(R"([{"id": "sign", "text": "-- {{agent.name}}"}])");
  DeskFixture f(config.dump());
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "bob"}, {"assignee", "bob"}});
  auto signed_ =
      f.Run(f.Line({{"type", "macro.apply"}, {"ticket", 1}, {"agent", "bob"}, {"macro", "sign"}}, "09:01:00"));
  BOOST_TEST(Require(signed_, "message.added")["text"] == "-- bob");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(greeting_only)

BOOST_AUTO_TEST_CASE(B1_B7_a_bot_with_only_a_greeting_greets_then_hands_off) {
  json config = BaseConfig();
  config["bot"] = {{"greeting", "Hello {{contact.name}}, an agent will be with you."}};
  DeskFixture f(config.dump());
  auto events = Say(f, "hi", "09:00:00");
  BOOST_TEST(
      Types(events) == (Strings{"contact.updated", "conversation.started", "message.added", "bot.message_sent",
                                "ticket.created", "ticket.routed", "message.added", "routing.decided", "ticket.queued",
                                "bot.message_sent", "contact.notification_offered", "bot.message_sent"}),
      boost::test_tools::per_element());
  BOOST_TEST(events[3]["text"] == "Hello Ann, an agent will be with you.");
  BOOST_TEST(events[9]["text"] == "Thank you, I am transferring you to an agent.");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(closing)

BOOST_AUTO_TEST_CASE(B23_solved_tickets_close_after_close_solved_after_hours_without_any_automation) {
  json config = BaseConfig();
  config["settings"]["close_solved_after_hours"] = 48;
  DeskFixture f(config.dump());
  f.ContactSays("ann", "09:00:00", "hi", "email");  // email: no inactivity timer in the way
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}, {"status", "solved"}});
  BOOST_TEST(f.Advance("2026-11-25T09:00:09").empty());
  auto closed = f.Advance("2026-11-26T00:00:00");
  const auto& change = Require(closed, "ticket.status_changed");
  BOOST_TEST(change["to"] == "closed");
  BOOST_TEST(change["via"] == "system");
  BOOST_TEST(change["at"] == "2026-11-25T09:00:10Z");
  BOOST_TEST(f.ticket(1).status == "closed");
}

BOOST_AUTO_TEST_CASE(B23_the_default_is_96_hours_and_0_turns_it_off) {
  DeskFixture by_default;
  by_default.ContactSays("ann", "09:00:00", "hi", "email");
  by_default.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}, {"status", "solved"}});
  BOOST_TEST(Require(by_default.Advance("2026-11-28T00:00:00"), "ticket.status_changed")["at"] ==
             "2026-11-27T09:00:10Z");
  json config = BaseConfig();
  config["settings"]["close_solved_after_hours"] = 0;
  DeskFixture never(config.dump());
  never.ContactSays("ann", "09:00:00", "hi", "email");
  never.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}, {"status", "solved"}});
  BOOST_TEST(never.Advance("2027-11-28T00:00:00").empty());
  BOOST_TEST(never.ticket(1).status == "solved");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(after_the_session)

BOOST_AUTO_TEST_CASE(B31_seed004_without_an_email_an_agents_reply_after_the_session_is_an_internal_note) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.Run(f.Line({{"type", "session.end"}, {"ticket", 1}, {"agent", "alice"}}, "09:01:00"));
  auto reply = f.AgentSays("alice", 1, "09:02:00");  // says nothing of `public`
  const auto& note = Require(reply, "message.added");
  BOOST_TEST(note["public"] == false);
  BOOST_TEST(note["reason"] == "session_ended_no_email");
  BOOST_TEST(f.ticket(1).status == "new");  // an internal note does not open the ticket (B20)
  auto forced =
      f.Run(f.Line({{"type", "agent.message"}, {"ticket", 1}, {"agent", "alice"}, {"text", "hello?"}, {"public", true}},
                   "09:03:00"));
  BOOST_TEST(Types(forced) == Strings{"command.rejected"}, boost::test_tools::per_element());
  BOOST_TEST(forced[0]["field"] == "public");
}

BOOST_AUTO_TEST_CASE(B31_with_an_email_known_the_reply_stays_public) {
  DeskFixture f;
  f.Run(f.Line({{"type", "contact.message"},
                {"contact", "ann"},
                {"channel", "messaging"},
                {"text", "hi"},
                {"profile", {{"email", "ann@example.com"}}}},
               "09:00:00"));
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.Run(f.Line({{"type", "session.end"}, {"ticket", 1}, {"agent", "alice"}}, "09:01:00"));
  auto reply = f.AgentSays("alice", 1, "09:02:00");
  BOOST_TEST(Require(reply, "message.added")["public"] == true);
  BOOST_TEST(!Require(reply, "message.added").contains("reason"));
  BOOST_TEST(f.ticket(1).status == "open");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(who_caused_it)

BOOST_AUTO_TEST_CASE(B53_every_event_an_agent_caused_names_that_agent) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  auto assigned = f.Update(1, "09:00:10", {{"agent", "sam"}, {"assignee", "alice"}});
  BOOST_TEST(Require(assigned, "ticket.assigned")["agent"] == "alice");
  BOOST_TEST(Require(assigned, "ticket.assigned")["by"] == "sam");  // the supervisor assigned it
  auto solved = f.Update(1, "09:01:00", {{"agent", "alice"}, {"status", "solved"}});
  const auto& change = Require(solved, "ticket.status_changed");
  BOOST_TEST(change["by"] == "alice");
  BOOST_TEST(!change.contains("agent"));
  auto by_system = f.Update(1, "09:02:00", {{"status", "closed"}});  // no agent: the system
  BOOST_TEST(!Require(by_system, "ticket.status_changed").contains("by"));
  auto own = f.AgentSays("alice", 1, "09:03:00");  // refused (closed); names alice once, as `agent`
  BOOST_TEST(own[0]["agent"] == "alice");
  BOOST_TEST(!own[0].contains("by"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(time_passing)

BOOST_AUTO_TEST_CASE(the_clock_never_goes_backwards_even_after_a_command_that_caused_nothing) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00", "hi", "email");
  auto quiet = f.Run(f.Line({{"type", "clock.advance"}}, "12:00:00"));
  BOOST_TEST(Types(quiet) == Strings{"clock.advanced"}, boost::test_tools::per_element());
  BOOST_TEST(quiet[0]["at"] == "2026-11-23T12:00:00Z");
  auto late = f.ContactSays("ben", "11:00:00");  // an earlier `at`: applied at the engine's clock
  BOOST_TEST(late[0]["at"] == "2026-11-23T12:00:00Z");
}

BOOST_AUTO_TEST_CASE(B14_time_jumping_to_9999_with_closed_groups_and_queued_tickets_costs_what_fires,
                     *boost::unit_test::timeout(20)) {
  // Thirty groups with business hours, each with a ticket waiting and nobody online: the old code
  // walked every opening of every group up to the year 9999 (about 60 million changes, minutes).
  json config = BaseConfig();
  const char* zones[] = {"Europe/Paris", "America/New_York", "Asia/Tokyo"};
  for (int g = 0; g < 30; ++g) {
    config["groups"].push_back(
        {{"id", "g" + std::to_string(g)}, {"hours", {{"tz", zones[g % 3]}, {"mon-fri", "09:00-18:00"}}}});
  }
  config["agents"][0]["groups"] = {"support", "g0"};
  DeskFixture f(config.dump());
  for (int g = 0; g < 30; ++g) {
    f.ContactSays("c" + std::to_string(g), "2026-11-23T20:00:00", "hi", "email");
    f.Update(g + 1, "2026-11-23T20:00:01", {{"group", "g" + std::to_string(g)}});
    BOOST_REQUIRE(f.routed(g + 1).queued.has_value());
  }
  auto events = f.Advance("9999-12-31T00:00:00");
  BOOST_TEST(events.empty());                  // nothing could happen, and nothing did
  BOOST_TEST(f.routed(1).queued.has_value());  // still waiting: nobody came online
  // Someone comes online while the group is closed: the next opening drains its queue again.
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "9999-12-31T02:00:00"));
  auto opened = f.Advance("9999-12-31T09:00:00");
  BOOST_TEST(Require(opened, "ticket.assigned")["agent"] == "alice");
  BOOST_TEST(Require(opened, "ticket.assigned")["ticket"] == 1);
}

BOOST_AUTO_TEST_CASE(B12_offer_rounds_nobody_answers_double_so_a_time_jump_makes_few_of_them) {
  json config = BaseConfig();
  config["routing"]["style"] = "broadcast";
  config["settings"]["offer_timeout_s"] = 60;
  DeskFixture f(config.dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "09:00:00"));
  f.ContactSays("ann", "09:00:10");
  auto first = f.Advance("09:03:10");  // rounds of 60 s, then 120 s
  std::vector<std::string> withdrawn;
  for (const auto& e : first) {
    if (e["type"] == "ticket.offer_withdrawn")
      withdrawn.push_back(e["at"].get<std::string>() + " " + e["reason"].get<std::string>());
  }
  BOOST_TEST(withdrawn == (Strings{"2026-11-23T09:01:10Z timed_out", "2026-11-23T09:03:10Z timed_out"}),
             boost::test_tools::per_element());
  auto jump = f.Advance("9999-12-31T00:00:00");
  int offers = 0;
  for (const auto& e : jump) offers += e["type"] == "ticket.offered";
  BOOST_TEST(offers < 50);  // log2 of the jump, not one round a minute for eight thousand years
  BOOST_TEST(offers > 10);
  auto accepted = f.Run(f.Line({{"type", "agent.accept"}, {"agent", "alice"}, {"ticket", 1}}, "9999-12-31T00:00:01"));
  BOOST_TEST(Require(accepted, "ticket.assigned")["agent"] == "alice");
}

BOOST_AUTO_TEST_SUITE_END()
