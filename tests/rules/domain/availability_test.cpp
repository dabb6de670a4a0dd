// Availability (B71, seed 000: "Options de notification qui permettent de contacter le client quand
// un agent est disponible"): a hand-off that finds nobody on duty tells the contact so, with the
// group's next opening, and offers to message them once an agent is free; a yes accepts, and the
// contact is told once, when an agent takes the ticket. Pure domain, explicit times.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::Events;
using switchboard::testing::FindType;
using switchboard::testing::Online;
using switchboard::testing::Require;

namespace {

// A greeting-only bot: it greets, then hands off (the desk speaks through it).
json AvailabilityConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["bot"] = {{"greeting", "Hello!"}};
  config["groups"][0]["hours"] = {{"tz", "Europe/Paris"}, {"mon-fri", "09:00-18:00"}};
  return config;
}

std::vector<std::string> BotTexts(const Events& events) {
  std::vector<std::string> out;
  for (const json& e : events) {
    if (e["type"] == "bot.message_sent") out.push_back(e["text"]);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(availability)

BOOST_AUTO_TEST_CASE(
    B71_out_of_hours_the_contact_is_told_the_next_opening_and_a_yes_brings_one_message_when_an_agent_takes_it) {
  DeskFixture f(AvailabilityConfig().dump());
  // Monday 23 November, 19:30 in Paris (18:30Z): support is closed until Tuesday 09:00 Paris (08:00Z).
  Events away = f.ContactSays("ann", "18:30:00");
  const json& offered = Require(away, "contact.notification_offered");
  BOOST_TEST(offered["ticket"] == 1);
  BOOST_TEST(offered["group"] == "support");
  BOOST_TEST(offered["opens_at"] == "2026-11-24T08:00:00Z");
  const std::vector<std::string> said = BotTexts(away);
  BOOST_REQUIRE_EQUAL(said.size(), 3u);  // the greeting, the hand-off message, then the away message
  BOOST_TEST(said[2] ==
             "No agent is available right now. We are back Tue 24 Nov 09:00 (Europe/Paris). Reply \"yes\" and we "
             "will message you here as soon as an agent is free.");

  Events yes = f.ContactSays("ann", "18:31:00", " Oui ");
  BOOST_TEST(FindType(yes, "contact.notification_requested"));
  BOOST_TEST(BotTexts(yes).size() == 1u);  // the confirmation

  // Alice comes online before the opening: the group is still closed, nothing happens.
  f.Run(f.Line(Online("alice"), "2026-11-24T07:30:00"));
  BOOST_TEST(!f.state().FindTicket(1)->assignee.size());
  // At the opening the queue drains to alice, and ann is told, once, at that instant.
  Events opening = f.Advance("2026-11-24T08:30:00");
  BOOST_TEST(Require(opening, "ticket.assigned")["at"] == "2026-11-24T08:00:00Z");
  const json& notified = Require(opening, "contact.notified_available");
  BOOST_TEST(notified["at"] == "2026-11-24T08:00:00Z");
  BOOST_TEST(notified["contact"] == "ann");
  BOOST_TEST(notified["ticket"] == 1);
  BOOST_TEST(notified["text"] == "An agent is available now and will be with you in a moment.");
  // Unassigned and assigned again: not told twice.
  f.Update(1, "2026-11-24T08:40:00", {{"assignee", nullptr}});
  Events again = f.Update(1, "2026-11-24T08:41:00", {{"assignee", "alice"}});
  BOOST_TEST(!FindType(again, "contact.notified_available"));
}

BOOST_AUTO_TEST_CASE(B71_in_hours_with_nobody_online_the_offer_has_no_opening_and_without_a_yes_nothing_is_sent) {
  DeskFixture f(AvailabilityConfig().dump());
  Events away = f.ContactSays("bea", "10:00:00");  // 11:00 in Paris, open, nobody online
  const json& offered = Require(away, "contact.notification_offered");
  BOOST_TEST(!offered.contains("opens_at"), offered.dump());  // no opening to wait for
  BOOST_TEST(
      BotTexts(away)[2] ==
      "No agent is available right now. Reply \"yes\" and we will message you here as soon as an agent is free.");
  f.ContactSays("bea", "10:01:00", "no thanks, I will wait");
  Events online = f.Run(f.Line(Online("bob"), "10:05:00"));
  BOOST_TEST(FindType(online, "ticket.assigned"));
  BOOST_TEST(!FindType(online, "contact.notified_available"));
}

BOOST_AUTO_TEST_CASE(B71_an_agent_on_duty_but_busy_is_a_normal_wait_with_the_hand_off_message) {
  json config = AvailabilityConfig();
  config["agents"][0]["capacity"] = {{"messaging", 1}, {"email", 1}};
  DeskFixture f(config.dump());
  f.Run(f.Line(Online("alice"), "09:59:00"));
  f.ContactSays("ann", "10:00:00");                  // alice takes it
  Events queued = f.ContactSays("bea", "10:01:00");  // alice is full, but on duty
  BOOST_TEST(!FindType(queued, "contact.notification_offered"));
  BOOST_TEST(BotTexts(queued)[1].rfind("Thank you, I am transferring you to an agent.", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
