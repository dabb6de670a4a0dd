// The ticket life cycle, decided by the pure Desk: B7 (spine part), B11, B15, B20-B23, who may act.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(ticket_life_cycle)

BOOST_AUTO_TEST_CASE(B7_B11_first_message_opens_a_conversation_and_a_ticket_in_the_fallback_group) {
  DeskFixture f;
  auto events = f.ContactSays("ann", "09:00:00");
  BOOST_TEST(Types(events) == (Strings{"conversation.started", "message.added", "ticket.created", "ticket.routed",
                                       "message.added", "routing.decided", "ticket.queued"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[2]["ticket"] == 1);
  BOOST_TEST(events[3]["group"] == "support");
  BOOST_TEST(events[3]["reason"] == "fallback");
  // B11: the internal note says why the fallback group has it.
  BOOST_TEST(events[4]["public"] == false);
  BOOST_TEST(events[4]["text"] == "Routed to the fallback group \"support\": no routing rules are configured.");
  BOOST_TEST(events[6]["position"] == 1);  // nobody is online: it waits
  BOOST_TEST(f.ticket(1).status == "new");
  // A second contact gets the next numbers, in order of creation.
  auto second = f.ContactSays("ben", "09:00:01");
  BOOST_TEST(second[0]["conversation"] == 2);
  BOOST_TEST(second[2]["ticket"] == 2);
  // No ticket is ever without a group.
  BOOST_TEST(f.ticket(2).group == "support");
}

BOOST_AUTO_TEST_CASE(a_contact_message_on_an_open_conversation_joins_its_ticket) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  auto events = f.ContactSays("ann", "09:01:00", "more details");
  BOOST_TEST(Types(events) == Strings{"message.added"}, boost::test_tools::per_element());
  BOOST_TEST(events[0]["ticket"] == 1);
  BOOST_TEST(events[0]["conversation"] == 1);
  BOOST_TEST(f.state().ticket_count() == 1u);
}

BOOST_AUTO_TEST_CASE(each_channel_keeps_its_own_open_conversation) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00", "by email", "email");
  f.ContactSays("ann", "09:00:10", "by chat", "messaging");
  auto email = f.ContactSays("ann", "09:00:20", "email again", "email");
  BOOST_TEST(Types(email) == Strings{"message.added"}, boost::test_tools::per_element());
  BOOST_TEST(email[0]["ticket"] == 1);
  auto chat = f.ContactSays("ann", "09:00:30", "chat again", "messaging");
  BOOST_TEST(Types(chat) == Strings{"message.added"}, boost::test_tools::per_element());
  BOOST_TEST(chat[0]["ticket"] == 2);
  BOOST_TEST(f.state().FindConversation(1)->channel == "email");
}

BOOST_AUTO_TEST_CASE(profile_fields_are_recorded_once_and_kept_across_conversations) {
  DeskFixture f;
  auto events = f.Run(f.Line({{"type", "contact.message"},
                              {"contact", "ann"},
                              {"channel", "messaging"},
                              {"text", "hi"},
                              {"profile", {{"name", "Ann"}, {"vip", true}}}},
                             "09:00:00"));
  const auto* updated = FindType(events, "contact.updated");
  BOOST_REQUIRE(updated);
  BOOST_TEST((*updated)["profile"]["vip"] == true);
  // The same profile again changes nothing.
  auto again = f.Run(f.Line({{"type", "contact.message"},
                             {"contact", "ann"},
                             {"channel", "messaging"},
                             {"text", "hi"},
                             {"profile", {{"name", "Ann"}}}},
                            "09:00:10"));
  BOOST_TEST(!FindType(again, "contact.updated"));
  BOOST_TEST(f.state().FindContact("ann")->profile.at("name") == "\"Ann\"");
}

BOOST_AUTO_TEST_CASE(B20_first_public_reply_opens_the_ticket_and_sets_first_reply_time) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  auto note = f.AgentSays("alice", 1, "09:00:20", /*is_public=*/false);
  BOOST_TEST(Types(note) == Strings{"message.added"}, boost::test_tools::per_element());
  BOOST_TEST(note[0]["public"] == false);
  BOOST_TEST(f.read().FindTicket(1)->first_reply_at == 0);  // an internal note is not a reply
  BOOST_TEST(f.ticket(1).status == "new");
  auto reply = f.AgentSays("alice", 1, "09:00:30");
  BOOST_TEST(Types(reply) == (Strings{"message.added", "ticket.status_changed"}), boost::test_tools::per_element());
  BOOST_TEST(reply[1]["from"] == "new");
  BOOST_TEST(reply[1]["to"] == "open");
  BOOST_TEST(reply[1]["via"] == "agent");
  BOOST_TEST(f.read().FindTicket(1)->first_reply_at == *switchboard::ParseRfc3339("2026-11-23T09:00:30Z"));
  f.AgentSays("alice", 1, "09:05:00");
  BOOST_TEST(f.read().FindTicket(1)->first_reply_at ==
             *switchboard::ParseRfc3339("2026-11-23T09:00:30Z"));  // only the first
}

BOOST_AUTO_TEST_CASE(an_agent_acts_only_on_its_tickets_or_its_groups_queue_a_supervisor_on_any) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");  // ticket 1, group support, unassigned
  auto carol = f.AgentSays("carol", 1, "09:00:10");
  BOOST_TEST(Types(carol) == Strings{"command.rejected"}, boost::test_tools::per_element());
  BOOST_TEST(carol[0]["field"] == "agent");
  BOOST_TEST(carol[0]["error"].get<std::string>().find("rule:") != std::string::npos);
  f.Update(1, "09:00:20", {{"agent", "alice"}, {"assignee", "alice"}});
  auto bob = f.AgentSays("bob", 1, "09:00:30");  // same group, but now it is alice's
  BOOST_TEST(bob[0]["type"] == "command.rejected");
  BOOST_TEST(bob[0]["error"].get<std::string>().find("assigned to \"alice\"") != std::string::npos);
  auto sam = f.AgentSays("sam", 1, "09:00:40");
  BOOST_TEST(sam[0]["type"] == "message.added");
  auto ghost = f.AgentSays("ghost", 1, "09:00:50");
  BOOST_TEST(ghost[0]["error"] == "unknown agent \"ghost\"");
}

BOOST_AUTO_TEST_CASE(status_transitions_follow_the_life_cycle_and_refusals_say_why) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  auto closed_early = f.Update(1, "09:00:20", {{"agent", "alice"}, {"status", "closed"}});
  BOOST_TEST(closed_early[0]["type"] == "command.rejected");
  BOOST_TEST(closed_early[0]["error"].get<std::string>().find("only a solved ticket can be closed") !=
             std::string::npos);
  for (const char* to : {"open", "pending", "on-hold", "open", "solved"}) {
    auto events = f.Update(1, "09:01:00", {{"agent", "alice"}, {"status", to}});
    BOOST_TEST(FindType(events, "ticket.status_changed"));
    BOOST_TEST(f.ticket(1).status == to);
  }
  auto back_to_new = f.Update(1, "09:02:00", {{"agent", "alice"}, {"status", "new"}});
  BOOST_TEST(back_to_new[0]["type"] == "command.rejected");
  auto solved_to_pending = f.Update(1, "09:02:00", {{"agent", "alice"}, {"status", "pending"}});
  BOOST_TEST(solved_to_pending[0]["type"] == "command.rejected");
  BOOST_TEST(f.Update(1, "09:03:00", {{"status", "closed"}}).back()["via"] == "system");
}

BOOST_AUTO_TEST_CASE(B22_contact_reply_reopens_pending_and_on_hold_tickets) {
  for (const char* parked : {"pending", "on-hold"}) {
    DeskFixture f;
    f.ContactSays("ann", "09:00:00");
    f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}, {"status", parked}});
    auto events = f.ContactSays("ann", "09:05:00", "any news?");
    const auto* change = FindType(events, "ticket.status_changed");
    BOOST_REQUIRE(change);
    BOOST_TEST((*change)["from"] == parked);
    BOOST_TEST((*change)["to"] == "open");
    BOOST_TEST((*change)["via"] == "contact");
  }
}

BOOST_AUTO_TEST_CASE(B22_contact_reply_to_a_solved_ticket_reopens_it_for_the_agent_who_solved_it) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.Update(1, "09:01:00", {{"agent", "alice"}, {"status", "solved"}});
  f.Update(1, "09:02:00", {{"agent", "sam"}, {"assignee", "bob"}});  // reassigned after the solve
  // Both are online, and bob, who holds it now, has more room: only "back to the solver" gives it to alice.
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "bob"}, {"status", "online"}}, "09:03:00"));
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "09:04:00"));  // B16: present
  BOOST_REQUIRE(f.ticket(1).assignee == "bob");
  auto events = f.ContactSays("ann", "09:05:00", "it broke again");
  BOOST_TEST(f.ticket(1).status == "open");
  BOOST_TEST(f.ticket(1).assignee == "alice");
  BOOST_TEST(Require(events, "ticket.unassigned")["agent"] == "bob");
  BOOST_TEST(Require(events, "ticket.assigned")["agent"] == "alice");
}

BOOST_AUTO_TEST_CASE(B22_B23_a_closed_ticket_never_changes_and_the_contact_starts_anew) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00", "first problem", "email");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}, {"status", "solved"}});
  f.Update(1, "09:00:20", {{"status", "closed"}});
  auto reply = f.AgentSays("alice", 1, "09:01:00");
  BOOST_TEST(reply[0]["type"] == "command.rejected");
  BOOST_TEST(reply[0]["field"] == "ticket");
  auto update = f.Update(1, "09:01:00", {{"tags_add", {"late"}}});
  BOOST_TEST(update[0]["type"] == "command.rejected");
  auto events = f.ContactSays("ann", "09:02:00", "second problem", "email");
  BOOST_TEST(events[0]["type"] == "conversation.started");
  BOOST_TEST(events[0]["conversation"] == 2);
  BOOST_TEST(Require(events, "ticket.created").at("ticket") == 2);
  BOOST_TEST(f.ticket(1).status == "closed");
}

BOOST_AUTO_TEST_CASE(ticket_update_changes_group_priority_and_tags_in_one_event) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  auto events = f.Update(1, "09:00:10",
                         {{"agent", "sam"},
                          {"group", "sales"},
                          {"priority", "high"},
                          {"tags_add", {"vip", "late"}},
                          {"tags_remove", {"none"}}});
  // Unassigned, it leaves the support queue for the sales queue (nobody in sales is online).
  BOOST_TEST(Types(events) == (Strings{"ticket.updated", "routing.decided", "ticket.queued"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[2]["group"] == "sales");
  const auto& changes = events[0]["changes"];
  BOOST_TEST(changes["group"] == nlohmann::json::array({"support", "sales"}));
  BOOST_TEST(changes["priority"] == nlohmann::json::array({"normal", "high"}));
  BOOST_TEST(changes["tags"][1] == nlohmann::json::array({"late", "vip"}));
  auto wrong_group = f.Update(1, "09:00:20", {{"group", "nowhere"}});
  BOOST_TEST(wrong_group[0]["field"] == "group");
  auto outsider = f.Update(1, "09:00:30", {{"assignee", "alice"}});  // alice is not in sales
  BOOST_TEST(outsider[0]["field"] == "assignee");
  BOOST_TEST(f.Update(1, "09:00:40", {{"assignee", "carol"}}).back()["type"] == "agent.load_changed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(capacity)

// After every command, each agent's recorded load equals the tickets that hold its capacity.
void CheckLoadInvariant(const DeskFixture& f) {
  for (const auto& [id, agent] : f.state().agents()) {
    int messaging = 0, email = 0;
    for (std::uint64_t n = 1; n <= f.state().ticket_count(); ++n) {
      if (auto h = f.state().HoldingOf(f.ticket(n)); h && h->agent == id) ++(h->channel == "email" ? email : messaging);
    }
    BOOST_TEST(agent.load_messaging == messaging, "agent " << id);
    BOOST_TEST(agent.load_email == email, "agent " << id);
  }
}

BOOST_AUTO_TEST_CASE(B15_assignment_counts_and_pending_or_solved_release_capacity) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  f.ContactSays("ben", "09:00:01", "hi", "email");
  auto assigned = f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  const auto* load = FindType(assigned, "agent.load_changed");
  BOOST_REQUIRE(load);
  BOOST_TEST((*load)["channel"] == "messaging");
  BOOST_TEST((*load)["load"] == 1);
  BOOST_TEST((*load)["capacity"] == 2);
  f.Update(2, "09:00:11", {{"agent", "alice"}, {"assignee", "alice"}});
  BOOST_TEST(f.agent("alice").load_email == 1);
  f.Update(1, "09:00:20", {{"agent", "alice"}, {"status", "pending"}});
  BOOST_TEST(f.agent("alice").load_messaging == 0);
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "09:00:25"));
  f.ContactSays("ann", "09:00:30", "back");  // pending -> open: counts again (alice is online, B16)
  BOOST_TEST(f.agent("alice").load_messaging == 1);
  f.Update(2, "09:00:40", {{"agent", "alice"}, {"status", "solved"}});
  BOOST_TEST(f.agent("alice").load_email == 0);
  f.Update(1, "09:00:50", {{"agent", "alice"}, {"assignee", nullptr}, {"status", "pending"}});  // not queued back
  BOOST_TEST(f.agent("alice").load_messaging == 0);
  BOOST_TEST(f.agent("alice").tickets == std::set<std::uint64_t>{2});  // solved, still hers until closed
  CheckLoadInvariant(f);
}

BOOST_AUTO_TEST_CASE(B15_B21_inactivity_after_ten_minutes_releases_and_a_contact_message_restores) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.ContactSays("ann", "09:02:00", "still there");  // the 10 minutes count from the last contact message
  auto early = f.Advance("09:11:59");
  BOOST_TEST(!FindType(early, "conversation.inactive"));
  // A command at 09:30 first fires the timer due at 09:12, at its own time.
  auto events = f.AgentSays("alice", 1, "09:30:00");
  BOOST_REQUIRE(events.size() >= 3u);
  BOOST_TEST(events[0]["type"] == "conversation.inactive");
  BOOST_TEST(events[0]["at"] == "2026-11-23T09:12:00Z");
  BOOST_TEST(events[0]["cmd"].is_null());
  BOOST_TEST(events[1]["type"] == "agent.load_changed");
  BOOST_TEST(events[1]["load"] == 0);
  BOOST_TEST(events[2]["at"] == "2026-11-23T09:30:00Z");
  auto back = f.ContactSays("ann", "09:31:00", "sorry, I was away");
  BOOST_TEST(Types(back) == (Strings{"message.added", "conversation.active", "agent.load_changed"}),
             boost::test_tools::per_element());
  BOOST_TEST(back[2]["load"] == 1);
  CheckLoadInvariant(f);
}

BOOST_AUTO_TEST_CASE(timers_fire_in_due_order_before_a_later_command) {
  DeskFixture f;
  f.ContactSays("ben", "09:03:00");
  f.ContactSays("ann", "09:01:00");  // earlier `at`: applied at the current clock, 09:03
  f.ContactSays("cid", "09:05:00");
  auto events = f.Advance("10:00:00");
  BOOST_TEST(Types(events) == (Strings{"conversation.inactive", "conversation.inactive", "conversation.inactive"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[0]["at"] == "2026-11-23T09:13:00Z");
  BOOST_TEST(events[1]["at"] == "2026-11-23T09:13:00Z");
  BOOST_TEST(events[0]["conversation"] == 1);
  BOOST_TEST(events[1]["conversation"] == 2);
  BOOST_TEST(events[2]["at"] == "2026-11-23T09:15:00Z");
}

BOOST_AUTO_TEST_CASE(email_conversations_have_no_inactivity_timer) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00", "hi", "email");
  BOOST_TEST(f.Advance("12:00:00").empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(determinism)

BOOST_AUTO_TEST_CASE(the_same_commands_give_byte_identical_events) {
  auto play = [] {
    DeskFixture f;
    std::string all;
    for (int i = 0; i < 50; ++i) {
      std::string contact = "c" + std::to_string(i % 7);
      for (const auto& e : f.ContactSays(contact, "09:" + std::string(i < 10 ? "0" : "") + std::to_string(i) + ":00"))
        all += e.dump();
      for (const auto& e : f.Update(1 + i % 5, "10:00:00", {{"agent", "sam"}, {"tags_add", {"t" + std::to_string(i)}}}))
        all += e.dump();
    }
    return all;
  };
  BOOST_TEST(play() == play());
}

BOOST_AUTO_TEST_SUITE_END()
