// Ending a session: B30-B35, decided by the pure Desk.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(sessions)

namespace {

// ann's messaging ticket 1, assigned to alice, opened by a reply.
void AssignedChat(DeskFixture& f) {
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  f.AgentSays("alice", 1, "09:00:20");
}

std::vector<nlohmann::json> EndSession(DeskFixture& f, const std::string& agent, const std::string& time) {
  return f.Run(f.Line({{"type", "session.end"}, {"ticket", 1}, {"agent", agent}}, time));
}

}  // namespace

BOOST_AUTO_TEST_CASE(B30_the_assigned_agent_ends_the_session_and_the_history_records_why) {
  DeskFixture f;
  AssignedChat(f);
  auto events = EndSession(f, "alice", "09:05:00");
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(events[0]["type"] == "session.ended");
  BOOST_TEST(events[0]["reason"] == "ended_by_agent");
  BOOST_TEST(events[0]["agent"] == "alice");
  BOOST_TEST(events[0]["ticket"] == 1);
  BOOST_TEST(events[0]["conversation"] == 1);
}

BOOST_AUTO_TEST_CASE(B30_others_may_not_end_the_session) {
  DeskFixture f;
  AssignedChat(f);
  for (const char* other : {"bob", "sam"}) {
    auto events = EndSession(f, other, "09:05:00");
    BOOST_TEST(Types(events) == Strings{"command.rejected"}, boost::test_tools::per_element());
    BOOST_TEST(events[0]["field"] == "agent");
  }
  EndSession(f, "alice", "09:06:00");
  auto twice = EndSession(f, "alice", "09:07:00");
  BOOST_TEST(twice[0]["type"] == "command.rejected");
}

BOOST_AUTO_TEST_CASE(B31_the_ticket_is_handled_as_email_but_keeps_its_channel) {
  DeskFixture f;
  AssignedChat(f);
  EndSession(f, "alice", "09:05:00");
  BOOST_TEST(f.ticket(1).handled_as == "email");
  BOOST_TEST(f.ticket(1).channel == "messaging");
  BOOST_TEST(f.ticket(1).session_end_reason == "ended_by_agent");
}

BOOST_AUTO_TEST_CASE(B32_messaging_capacity_is_released_at_once_and_email_load_does_not_rise) {
  DeskFixture f;
  AssignedChat(f);
  BOOST_TEST(f.agent("alice").load_messaging == 1);
  auto events = EndSession(f, "alice", "09:05:00");
  BOOST_TEST(Types(events) == (Strings{"session.ended", "agent.load_changed"}), boost::test_tools::per_element());
  BOOST_TEST(events[1]["channel"] == "messaging");
  BOOST_TEST(events[1]["load"] == 0);
  BOOST_TEST(f.agent("alice").load_email == 0);
  // Later changes to the ticket do not make it count again on either channel.
  f.Update(1, "09:06:00", {{"agent", "alice"}, {"status", "pending"}});
  f.Update(1, "09:07:00", {{"agent", "alice"}, {"status", "open"}});
  BOOST_TEST(f.agent("alice").load_messaging == 0);
  BOOST_TEST(f.agent("alice").load_email == 0);
}

BOOST_AUTO_TEST_CASE(B33_the_status_does_not_change_by_itself) {
  DeskFixture f;
  AssignedChat(f);
  EndSession(f, "alice", "09:05:00");
  BOOST_TEST(f.ticket(1).status == "open");
  BOOST_TEST(f.Advance("12:00:00").empty());  // and no inactivity timer is left behind
}

BOOST_AUTO_TEST_CASE(B35_the_contacts_next_message_starts_a_new_conversation_and_ticket) {
  DeskFixture f;
  AssignedChat(f);
  auto ended = EndSession(f, "alice", "09:05:00");
  BOOST_TEST(!FindType(ended, "message.added"));  // the contact is not told automatically
  auto events = f.ContactSays("ann", "09:10:00", "one more thing");
  BOOST_TEST(events[0]["type"] == "conversation.started");
  BOOST_TEST(events[0]["conversation"] == 2);
  BOOST_TEST(Require(events, "ticket.created").at("ticket") == 2);
  BOOST_TEST(f.ticket(1).status == "open");  // the old ticket goes on by email
  // An agent can still write on the old ticket (by email).
  BOOST_TEST(f.AgentSays("alice", 1, "09:11:00")[0]["type"] == "message.added");
}

BOOST_AUTO_TEST_CASE(B31_B35_after_the_session_ends_the_contacts_email_continues_the_ticket) {
  DeskFixture f;
  AssignedChat(f);
  EndSession(f, "alice", "09:05:00");
  auto email = f.ContactSays("ann", "09:20:00", "following up by email", "email");
  BOOST_TEST(Types(email) == Strings{"message.added"}, boost::test_tools::per_element());
  BOOST_TEST(email[0]["ticket"] == 1);
  auto chat = f.ContactSays("ann", "09:21:00", "and by chat", "messaging");
  BOOST_TEST(chat[0]["type"] == "conversation.started");
}

BOOST_AUTO_TEST_CASE(an_email_ticket_has_no_session_to_end) {
  DeskFixture f;
  f.ContactSays("ann", "09:00:00", "hi", "email");
  f.Update(1, "09:00:10", {{"agent", "alice"}, {"assignee", "alice"}});
  auto events = EndSession(f, "alice", "09:01:00");
  BOOST_TEST(events[0]["type"] == "command.rejected");
}

BOOST_AUTO_TEST_SUITE_END()
