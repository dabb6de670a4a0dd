// Routing and capacity, decided by the pure Desk with explicit times: B10-B17.
#include <boost/test/unit_test.hpp>

#include <map>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

namespace {

// Paris works 09:00-18:00 (08:00-17:00 UTC in November), Montreal 09:00-18:00 (14:00-23:00 UTC).
json RoutingConfig(const std::string& style = "omnichannel") {
  json config = json::parse(R"({
  "settings": {"offer_timeout_s": 60, "inactivity_minutes": 10},
  "groups": [{"id": "support"}, {"id": "sales"}, {"id": "triage"},
             {"id": "paris", "hours": {"tz": "Europe/Paris", "mon-fri": "09:00-18:00"}},
             {"id": "montreal", "hours": {"tz": "America/Montreal", "mon-fri": "09:00-18:00"}}],
  "agents": [
    {"id": "alice", "groups": ["support"], "languages": ["fr", "en"], "capacity": {"messaging": 2, "email": 3}},
    {"id": "bob", "groups": ["support"], "languages": ["en"], "skills": ["billing"]},
    {"id": "carol", "groups": ["sales", "support"], "languages": ["en"]},
    {"id": "pierre", "groups": ["paris"]},
    {"id": "marie", "groups": ["montreal"]},
    {"id": "sam", "groups": ["triage"], "role": "supervisor"}],
  "routing": {"rules": [
    {"id": "vip", "when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
     "group": "support", "priority": "high"},
    {"id": "french", "when": {"all": [{"field": "language", "operator": "is", "value": "fr"}]},
     "group": "support", "language": "fr"},
    {"id": "billing", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "billing"}]},
     "group": "support", "skills": ["billing"]},
    {"id": "sales", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "sales"}]},
     "group": "sales"},
    {"id": "follow-the-sun", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "night"}]},
     "groups": ["paris", "montreal"]},
    {"id": "default", "when": {"all": [{"field": "contact.topic", "operator": "is", "value": "help"}]},
     "group": "support"}],
   "fallback": "triage"}})");
  config["routing"]["style"] = style;
  return config;
}

// A contact writing in with a profile; returns the events.
std::vector<json> Writes(DeskFixture& f, const std::string& contact, const std::string& time, json profile,
                         const std::string& channel = "messaging") {
  return f.Run(f.Line({{"type", "contact.message"},
                       {"contact", contact},
                       {"channel", channel},
                       {"text", "hello"},
                       {"profile", std::move(profile)}},
                      time));
}

std::vector<json> Status(DeskFixture& f, const std::string& agent, const std::string& status, const std::string& time) {
  return f.Run(f.Line({{"type", "agent.status"}, {"agent", agent}, {"status", status}}, time));
}

std::vector<json> All(const std::vector<json>& events, const std::string& type) {
  std::vector<json> out;
  for (const json& e : events) {
    if (e["type"] == type) out.push_back(e);
  }
  return out;
}

// routing.decided candidates as agent -> reason ("eligible" when eligible).
std::map<std::string, std::string> Reasons(const json& decided) {
  std::map<std::string, std::string> out;
  for (const json& c : decided["candidates"]) {
    out[c["agent"]] = c["eligible"].get<bool>() ? "eligible" : c["reason"].get<std::string>();
  }
  return out;
}

using Reasons_t = std::map<std::string, std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(routing)

BOOST_AUTO_TEST_CASE(B10_the_first_rule_whose_conditions_hold_sets_group_priority_and_language) {
  DeskFixture f(RoutingConfig().dump());
  auto vip = Writes(f, "vera", "09:00:00", {{"vip", true}, {"language", "fr"}});  // vip comes before french
  const json* routed = FindType(vip, "ticket.routed");
  BOOST_REQUIRE(routed);
  BOOST_TEST((*routed)["group"] == "support");
  BOOST_TEST((*routed)["reason"] == "vip");
  BOOST_TEST(f.ticket(1).priority == "high");
  BOOST_TEST(f.routed(1).language.empty());

  auto french = Writes(f, "jules", "09:00:10", {{"language", "fr"}});
  BOOST_TEST(Require(french, "ticket.routed")["reason"] == "french");
  BOOST_TEST(Require(french, "ticket.routed")["language"] == "fr");
  BOOST_TEST(f.ticket(2).priority == "normal");

  auto sales = Writes(f, "sid", "09:00:20", {{"topic", "sales"}});
  BOOST_TEST(Require(sales, "ticket.routed")["group"] == "sales");
  BOOST_TEST(!FindType(sales, "message.added") == false);  // the contact's own message only
  BOOST_TEST(All(sales, "message.added").size() == 1u);    // no fallback note
}

BOOST_AUTO_TEST_CASE(B10_shift_routing_picks_the_group_on_duty_in_its_own_time_zone) {
  DeskFixture f(RoutingConfig().dump());
  auto morning = Writes(f, "a", "08:30:00", {{"topic", "night"}});  // 09:30 in Paris, 03:30 in Montreal
  BOOST_TEST(Require(morning, "ticket.routed")["group"] == "paris");
  BOOST_TEST(Require(morning, "ticket.routed")["reason"] == "follow-the-sun");
  auto evening = Writes(f, "b", "20:00:00", {{"topic", "night"}});  // 21:00 in Paris, 15:00 in Montreal
  BOOST_TEST(Require(evening, "ticket.routed")["group"] == "montreal");
  // 03:00 UTC on Tuesday: neither is on duty, so the rule places nothing and the fallback takes it.
  auto night = Writes(f, "c", "2026-11-24T03:00:00", {{"topic", "night"}});
  BOOST_TEST(Require(night, "ticket.routed")["group"] == "triage");
  BOOST_TEST(Require(night, "ticket.routed")["reason"] == "fallback");
  auto notes = All(night, "message.added");
  BOOST_REQUIRE(notes.size() == 2u);
  BOOST_TEST(notes[1]["public"] == false);
  BOOST_TEST(notes[1]["text"].get<std::string>().find("no group on duty now for follow-the-sun") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(B11_a_ticket_no_rule_places_goes_to_the_fallback_group_with_a_note_saying_why) {
  DeskFixture f(RoutingConfig().dump());
  auto events = Writes(f, "ann", "09:00:00", {{"topic", "gardening"}});
  const json* routed = FindType(events, "ticket.routed");
  BOOST_TEST((*routed)["group"] == "triage");
  BOOST_TEST((*routed)["reason"] == "fallback");
  auto notes = All(events, "message.added");
  BOOST_REQUIRE(notes.size() == 2u);
  BOOST_TEST(notes[1]["ticket"] == 1);
  BOOST_TEST(notes[1]["public"] == false);
  BOOST_TEST(notes[1]["text"] ==
             "Routed to the fallback group \"triage\": no conditions held for vip, french, billing, sales, "
             "follow-the-sun, default.");
  for (std::uint64_t id = 1; id <= f.state().ticket_count(); ++id) BOOST_TEST(!f.ticket(id).group.empty());
}

BOOST_AUTO_TEST_CASE(B12_omnichannel_gives_the_ticket_to_the_most_spare_capacity_then_the_longest_idle) {
  DeskFixture f(RoutingConfig().dump());
  Status(f, "alice", "online", "09:00:00");  // messaging capacity 2
  Status(f, "bob", "online", "09:00:01");    // messaging capacity 3 (the default)
  auto first = Writes(f, "c1", "09:01:00", {{"topic", "help"}});
  const json* decided = FindType(first, "routing.decided");
  BOOST_REQUIRE(decided);
  BOOST_TEST((*decided)["style"] == "omnichannel");
  BOOST_TEST((*decided)["chosen"] == "bob");  // 3 spare against 2
  BOOST_TEST((Reasons(*decided) == Reasons_t{{"alice", "eligible"}, {"bob", "eligible"}, {"carol", "offline"}}));
  BOOST_TEST(Require(first, "ticket.assigned")["agent"] == "bob");
  // Now both have 2 spare: alice has been idle since 09:00:00, bob since his assignment at 09:01:00.
  auto second = Writes(f, "c2", "09:02:00", {{"topic", "help"}});
  BOOST_TEST(Require(second, "routing.decided")["chosen"] == "alice");
  // Spare capacity is per channel: an email ticket counts against email capacity only.
  auto email = Writes(f, "c3", "09:03:00", {{"topic", "help"}}, "email");
  BOOST_TEST(Require(email, "routing.decided")["chosen"] == "bob");  // email: 10 spare against 3
  BOOST_TEST(f.ledger("bob").held_email == 1);
  BOOST_TEST(f.ledger("bob").held_messaging == 1);
  const json* load = FindType(email, "agent.load_changed");
  BOOST_REQUIRE(load);
  BOOST_TEST((*load)["channel"] == "email");
  BOOST_TEST((*load)["load"] == 1);
  BOOST_TEST((*load)["capacity"] == 10);
}

BOOST_AUTO_TEST_CASE(B12_assignment_spreads_tickets_round_robin_over_agents_below_their_limit) {
  DeskFixture f(RoutingConfig("assignment").dump());
  Status(f, "alice", "online", "09:00:00");
  Status(f, "bob", "online", "09:00:00");
  Status(f, "carol", "online", "09:00:00");
  Strings chosen;
  for (int i = 0; i < 8; ++i) {
    auto events = Writes(f, "c" + std::to_string(i), "09:01:0" + std::to_string(i), {{"topic", "help"}});
    const json* decided = FindType(events, "routing.decided");
    BOOST_REQUIRE(decided);
    BOOST_TEST((*decided)["style"] == "assignment");
    chosen.push_back((*decided)["chosen"].is_null() ? "-" : (*decided)["chosen"].get<std::string>());
    // Only the chosen agent hears of it: no offers in this style.
    BOOST_TEST(!FindType(events, "ticket.offered"));
  }
  // alice (capacity 2) is skipped once full; bob and carol (3 each) go on; then everyone is full.
  BOOST_TEST(chosen == (Strings{"alice", "bob", "carol", "alice", "bob", "carol", "bob", "carol"}),
             boost::test_tools::per_element());
  BOOST_TEST(f.ticket(7).assignee == "bob");
  auto full = Writes(f, "c9", "09:02:00", {{"topic", "help"}});
  BOOST_REQUIRE(FindType(full, "routing.decided"));
  BOOST_TEST(Require(full, "routing.decided")["chosen"].is_null());
  BOOST_TEST((Reasons(Require(full, "routing.decided")) ==
              Reasons_t{{"alice", "at_capacity"}, {"bob", "at_capacity"}, {"carol", "at_capacity"}}));
  BOOST_TEST(Require(full, "ticket.queued")["position"] == 1);
}

BOOST_AUTO_TEST_CASE(B12_broadcast_offers_to_every_eligible_agent_and_the_first_accept_wins) {
  DeskFixture f(RoutingConfig("broadcast").dump());
  Status(f, "alice", "online", "09:00:00");
  Status(f, "bob", "online", "09:00:00");
  auto events = Writes(f, "c1", "09:01:00", {{"topic", "help"}});
  const json* decided = FindType(events, "routing.decided");
  BOOST_TEST((*decided)["style"] == "broadcast");
  BOOST_TEST((*decided)["chosen"].is_null());
  auto offers = All(events, "ticket.offered");
  BOOST_REQUIRE(offers.size() == 2u);
  BOOST_TEST(offers[0]["agent"] == "alice");
  BOOST_TEST(offers[1]["agent"] == "bob");
  BOOST_TEST(!f.routed(1).queued);

  auto accept = [&](const std::string& agent, const std::string& time) {
    return f.Run(f.Line({{"type", "agent.accept"}, {"agent", agent}, {"ticket", 1}}, time));
  };
  auto won = accept("bob", "09:01:10");
  BOOST_TEST(Types(won) == (Strings{"ticket.assigned", "ticket.offer_withdrawn", "agent.load_changed"}),
             boost::test_tools::per_element());
  BOOST_TEST(won[0]["agent"] == "bob");
  BOOST_TEST(won[1]["agent"] == "alice");
  auto late = accept("alice", "09:01:11");
  BOOST_REQUIRE(late.size() == 1u);
  BOOST_TEST(late[0]["type"] == "command.rejected");
  BOOST_TEST(late[0]["error"] == "agent \"alice\" cannot accept ticket 1: it is assigned to \"bob\"");
  BOOST_TEST(f.ticket(1).assignee == "bob");
}

BOOST_AUTO_TEST_CASE(B12_broadcast_offers_time_out_and_are_made_again_at_their_due_time) {
  DeskFixture f(RoutingConfig("broadcast").dump());
  Status(f, "alice", "online", "09:00:00");
  Writes(f, "c1", "09:01:00", {{"topic", "help"}});
  Status(f, "bob", "online", "09:01:30");  // bob joins after the offer was made
  auto events = f.Advance("09:02:30");
  BOOST_TEST(
      Types(events) == (Strings{"ticket.offer_withdrawn", "routing.decided", "ticket.offered", "ticket.offered"}),
      boost::test_tools::per_element());
  for (const json& e : events) BOOST_TEST(e["at"] == "2026-11-23T09:02:00Z");  // 60 s after the offer
  BOOST_TEST(f.routed(1).offers == (Strings{"alice", "bob"}), boost::test_tools::per_element());
  // An agent who goes away loses its offers; the ticket stays offered to the others.
  auto away = Status(f, "alice", "away", "09:02:40");
  BOOST_TEST(Require(away, "ticket.offer_withdrawn")["agent"] == "alice");
  BOOST_TEST(f.routed(1).offers == (Strings{"bob"}), boost::test_tools::per_element());
  auto gone = Status(f, "bob", "offline", "09:02:50");  // the last offer goes: it waits in the queue
  BOOST_TEST(
      Types(gone) == (Strings{"agent.status_changed", "ticket.offer_withdrawn", "routing.decided", "ticket.queued"}),
      boost::test_tools::per_element());
  BOOST_TEST(f.routed(1).queued.has_value());
  auto back = Status(f, "bob", "online", "09:05:00");  // coming online drains the queue: a new offer
  BOOST_TEST(Require(back, "ticket.offered")["agent"] == "bob");
}

BOOST_AUTO_TEST_CASE(B13_eligibility_names_why_each_member_was_passed_over) {
  DeskFixture f(RoutingConfig().dump());
  Status(f, "alice", "online", "09:00:00");
  Status(f, "bob", "online", "09:00:00");
  // French is asked: bob only speaks English, carol is offline.
  auto french = Writes(f, "c1", "09:01:00", {{"language", "fr"}});
  BOOST_TEST((Reasons(Require(french, "routing.decided")) ==
              Reasons_t{{"alice", "eligible"}, {"bob", "language"}, {"carol", "offline"}}));
  // Billing is asked: only bob has the skill.
  auto billing = Writes(f, "c2", "09:02:00", {{"topic", "billing"}});
  BOOST_TEST((Reasons(Require(billing, "routing.decided")) ==
              Reasons_t{{"alice", "skills"}, {"bob", "eligible"}, {"carol", "offline"}}));
  BOOST_TEST(f.ticket(2).assignee == "bob");
  // alice fills up (capacity 2): the next French ticket finds her at capacity and waits.
  Writes(f, "c3", "09:03:00", {{"language", "fr"}});
  auto waiting = Writes(f, "c4", "09:04:00", {{"language", "fr"}});
  BOOST_TEST((Reasons(Require(waiting, "routing.decided")) ==
              Reasons_t{{"alice", "at_capacity"}, {"bob", "language"}, {"carol", "offline"}}));
  BOOST_TEST(f.ticket(4).assignee.empty());
  BOOST_TEST(f.routed(4).queued.has_value());
  // Closed hours: a group whose hours do not cover now (20:00 in Paris) passes everyone over.
  Status(f, "pierre", "online", "2026-11-23T19:00:00");
  Writes(f, "c5", "2026-11-23T19:00:00", {{"topic", "gardening"}});  // to triage, where nobody is online
  auto night = f.Update(5, "2026-11-23T19:00:10", {{"group", "paris"}});
  BOOST_TEST((Reasons(Require(night, "routing.decided")) == Reasons_t{{"pierre", "closed_hours"}}));
}

BOOST_AUTO_TEST_CASE(B14_the_queue_is_priority_then_age_and_drains_when_an_agent_comes_online) {
  DeskFixture f(RoutingConfig().dump());
  auto t1 = Writes(f, "c1", "09:00:00", {{"topic", "help"}});
  auto t2 = Writes(f, "c2", "09:01:00", {{"topic", "help"}});
  auto t3 = Writes(f, "c3", "09:02:00", {{"vip", true}});  // high priority: ahead of both
  BOOST_TEST(Require(t1, "ticket.queued")["position"] == 1);
  BOOST_TEST(Require(t2, "ticket.queued")["position"] == 2);
  BOOST_TEST(Require(t3, "ticket.queued")["position"] == 1);
  BOOST_TEST(Require(t3, "ticket.queued")["group"] == "support");
  BOOST_TEST(f.state().QueuePosition(f.ticket(1)) == 2u);
  auto online = Status(f, "alice", "online", "09:05:00");  // capacity 2: takes the vip, then the oldest
  auto assigned = All(online, "ticket.assigned");
  BOOST_REQUIRE(assigned.size() == 2u);
  BOOST_TEST(assigned[0]["ticket"] == 3);
  BOOST_TEST(assigned[1]["ticket"] == 1);
  BOOST_TEST(f.state().QueuePosition(f.ticket(2)) == 1u);
  // Capacity frees (alice solves ticket 3): the queue moves at once.
  auto solved = f.Update(3, "09:06:00", {{"agent", "alice"}, {"status", "solved"}});
  BOOST_TEST(Require(solved, "ticket.assigned")["ticket"] == 2);
  BOOST_TEST(Require(solved, "routing.decided")["chosen"] == "alice");
  // The estimated wait in ticket.queued is the recent waits' mean: 3, 5 and 5 minutes.
  auto later = Writes(f, "c4", "09:07:00", {{"topic", "help"}});
  BOOST_TEST(Require(later, "ticket.queued")["estimated_wait_s"] == (180 + 300 + 300) / 3);
}

BOOST_AUTO_TEST_CASE(B14_a_group_closed_for_the_night_drains_when_its_hours_begin) {
  DeskFixture f(RoutingConfig().dump());
  Status(f, "pierre", "online", "2026-11-23T20:00:00");
  Status(f, "marie", "offline", "2026-11-23T20:00:00");
  auto queued = Writes(f, "c1", "2026-11-24T03:00:00", {{"topic", "night"}});  // to triage (fallback)
  BOOST_TEST(Require(queued, "ticket.routed")["group"] == "triage");
  f.Update(1, "2026-11-24T03:00:10", {{"group", "paris"}});  // a supervisor moves it to Paris
  BOOST_TEST(f.routed(1).queued.has_value());
  auto morning = f.Advance("2026-11-24T12:00:00");
  const json* assigned = FindType(morning, "ticket.assigned");
  BOOST_REQUIRE(assigned);
  BOOST_TEST((*assigned)["agent"] == "pierre");
  BOOST_TEST((*assigned)["at"] == "2026-11-24T08:00:00Z");  // 09:00 in Paris
}

// Regression: an opening whose drain assigns nobody (no member online) must not come due again at
// the same instant; the desk used to loop forever in Handle.
BOOST_AUTO_TEST_CASE(B14_an_opening_with_nobody_online_passes_and_the_next_day_opens_again) {
  DeskFixture f(RoutingConfig().dump());
  Writes(f, "c1", "2026-11-24T03:00:00", {{"topic", "night"}});
  f.Update(1, "2026-11-24T03:00:10", {{"group", "paris"}});  // waits for Paris; pierre stays offline
  BOOST_TEST(f.routed(1).queued.has_value());
  auto day = f.Advance("2026-11-24T12:00:00");  // past the 08:00 UTC opening: returns, assigns nobody
  BOOST_TEST(!FindType(day, "ticket.assigned"));
  Status(f, "pierre", "online", "2026-11-24T18:00:00");  // after hours: still nobody
  BOOST_TEST(f.ticket(1).assignee.empty());
  auto next = f.Advance("2026-11-25T12:00:00");  // the next morning's opening drains it
  const json* assigned = FindType(next, "ticket.assigned");
  BOOST_REQUIRE(assigned);
  BOOST_TEST((*assigned)["at"] == "2026-11-25T08:00:00Z");
}

// A shift list of one group is still shift routing: it places only while that group is on duty
// (a plain "group" would take the ticket at any hour and queue it until the group opens).
BOOST_AUTO_TEST_CASE(B10_a_shift_list_of_one_group_places_only_while_it_is_on_duty) {
  json config = RoutingConfig();
  config["routing"]["rules"].insert(config["routing"]["rules"].begin(),
                                    json::parse(R"({"id": "paris-shift", "groups": ["paris"], "when": {"all": [
                                      {"field": "contact.topic", "operator": "is", "value": "paris"}]}})"));
  DeskFixture f(config.dump());
  auto night = Writes(f, "c1", "2026-11-24T03:00:00", {{"topic", "paris"}});
  BOOST_TEST(Require(night, "ticket.routed")["group"] == "triage");  // fallback: nobody on duty
  auto day = Writes(f, "c2", "2026-11-24T10:00:00", {{"topic", "paris"}});
  BOOST_TEST(Require(day, "ticket.routed")["group"] == "paris");
}

BOOST_AUTO_TEST_CASE(B15_inactivity_and_status_release_capacity_and_the_queue_moves) {
  DeskFixture f(RoutingConfig().dump());
  Status(f, "alice", "online", "09:00:00");
  Writes(f, "c1", "09:00:00", {{"language", "fr"}});
  Writes(f, "c2", "09:00:00", {{"language", "fr"}});
  Writes(f, "c3", "09:01:00", {{"language", "fr"}});  // alice is full: it waits
  BOOST_TEST(f.routed(3).queued.has_value());
  // Ten minutes after their last messages c1 and c2 are inactive (two changes at 09:10): the first
  // frees room for c3 at once, the second leaves alice's load at 1.
  auto inactive = f.Advance("09:10:00");
  BOOST_TEST(Types(inactive) == (Strings{"conversation.inactive", "routing.decided", "ticket.assigned",
                                         "conversation.inactive", "agent.load_changed"}),
             boost::test_tools::per_element());
  BOOST_TEST(f.ticket(3).assignee == "alice");
  BOOST_TEST(f.agent("alice").load_messaging == 1);
  // c1 and c2 write again: they count again, even above the limit (3 of 2).
  f.ContactSays("c1", "09:10:30");
  BOOST_TEST(f.ledger("alice").held_messaging == 2);
  f.ContactSays("c2", "09:10:40");
  BOOST_TEST(f.ledger("alice").held_messaging == 3);
  BOOST_TEST(f.agent("alice").load_messaging == 3);
  // Pending releases capacity (release_capacity_on); a new ticket then waits no more.
  f.Update(1, "09:13:00", {{"agent", "alice"}, {"status", "pending"}});
  f.Update(2, "09:13:10", {{"agent", "alice"}, {"status", "pending"}});
  auto next = Writes(f, "c4", "09:14:00", {{"language", "fr"}});
  BOOST_TEST(Require(next, "routing.decided")["chosen"] == "alice");
}

BOOST_AUTO_TEST_CASE(B16_an_agent_going_away_puts_its_open_messaging_tickets_back_at_their_place) {
  DeskFixture f(RoutingConfig().dump());
  Writes(f, "c0", "08:59:00", {{"language", "fr"}});           // waits: nobody online
  Status(f, "alice", "online", "09:00:00");                    // takes c0
  Writes(f, "e1", "09:01:00", {{"language", "fr"}}, "email");  // an email ticket, to alice
  Writes(f, "c2", "09:02:00", {{"language", "fr"}});           // alice's second chat
  Writes(f, "c3", "09:03:00", {{"language", "fr"}});           // waits behind nobody
  BOOST_TEST(f.ticket(3).assignee == "alice");
  BOOST_TEST(f.routed(4).queued.has_value());
  auto away = Status(f, "alice", "away", "09:05:00");
  auto unassigned = All(away, "ticket.unassigned");
  BOOST_REQUIRE(unassigned.size() == 2u);  // the two chats; the email stays hers
  BOOST_TEST(unassigned[0]["ticket"] == 1);
  BOOST_TEST(unassigned[1]["ticket"] == 3);
  BOOST_TEST(f.ticket(2).assignee == "alice");
  // Back in the queue at their original place: ticket 1 (08:59) before 3 (09:02) before 4 (09:03).
  BOOST_TEST(f.state().QueuePosition(f.ticket(1)) == 1u);
  BOOST_TEST(f.state().QueuePosition(f.ticket(3)) == 2u);
  BOOST_TEST(f.state().QueuePosition(f.ticket(4)) == 3u);
  auto queued = All(away, "ticket.queued");
  BOOST_REQUIRE(queued.size() == 2u);
  BOOST_TEST(queued[0]["position"] == 1);
  BOOST_TEST(f.agent("alice").load_messaging == 0);
  // Coming back online drains the queue in that order.
  auto back = Status(f, "alice", "online", "09:06:00");
  auto assigned = All(back, "ticket.assigned");
  BOOST_REQUIRE(assigned.size() == 2u);
  BOOST_TEST(assigned[0]["ticket"] == 1);
  BOOST_TEST(assigned[1]["ticket"] == 3);
}

BOOST_AUTO_TEST_CASE(B16_reassign_on_is_configurable_per_status) {
  json config = RoutingConfig();
  config["settings"]["reassign_on"] = json::array({"offline"});
  DeskFixture f(config.dump());
  Status(f, "alice", "online", "09:00:00");
  Writes(f, "c1", "09:01:00", {{"language", "fr"}});
  auto away = Status(f, "alice", "away", "09:02:00");
  BOOST_TEST(!FindType(away, "ticket.unassigned"));  // away: kept
  BOOST_TEST(f.ticket(1).assignee == "alice");
  auto offline = Status(f, "alice", "offline", "09:03:00");
  BOOST_TEST(Require(offline, "ticket.unassigned")["ticket"] == 1);
}

BOOST_AUTO_TEST_CASE(B17_a_transfer_to_an_agent_or_a_group_moves_the_ticket_and_its_capacity) {
  DeskFixture f(RoutingConfig().dump());
  Status(f, "alice", "online", "09:00:00");
  Writes(f, "c1", "09:01:00", {{"topic", "help"}});
  BOOST_TEST(f.ticket(1).assignee == "alice");
  auto transfer = [&](json fields, const std::string& time) {
    fields["type"] = "ticket.transfer";
    fields["ticket"] = 1;
    return f.Run(f.Line(fields, time));
  };
  auto to_bob = transfer({{"agent", "alice"}, {"to_agent", "bob"}, {"note", "He knows this customer"}}, "09:02:00");
  BOOST_TEST(Types(to_bob) == (Strings{"ticket.transferred", "ticket.unassigned", "ticket.assigned",
                                       "agent.load_changed", "agent.load_changed"}),
             boost::test_tools::per_element());
  BOOST_TEST(to_bob[0]["from_agent"] == "alice");
  BOOST_TEST(to_bob[0]["to_agent"] == "bob");
  BOOST_TEST(to_bob[0]["note"] == "He knows this customer");
  BOOST_TEST(f.agent("alice").load_messaging == 0);
  BOOST_TEST(f.agent("bob").load_messaging == 1);
  // To an agent outside the ticket's group: refused, naming why.
  auto refused = transfer({{"agent", "bob"}, {"to_agent", "pierre"}}, "09:03:00");
  BOOST_REQUIRE(refused.size() == 1u);
  BOOST_TEST(refused[0]["field"] == "to_agent");
  BOOST_TEST(refused[0]["error"].get<std::string>().find("not in group \"support\"") != std::string::npos);
  // To a group: it leaves bob and is routed there (carol is online in sales).
  Status(f, "carol", "online", "09:04:00");
  auto to_sales = transfer({{"agent", "bob"}, {"to_group", "sales"}, {"note", "A sales question"}}, "09:05:00");
  BOOST_TEST(Require(to_sales, "ticket.transferred")["to_group"] == "sales");
  BOOST_TEST(Require(to_sales, "routing.decided")["group"] == "sales");
  BOOST_TEST(f.ticket(1).group == "sales");
  BOOST_TEST(f.ticket(1).assignee == "carol");
  BOOST_TEST(f.agent("bob").load_messaging == 0);
  BOOST_TEST(f.agent("carol").load_messaging == 1);
  // Only someone who may act on the ticket may transfer it.
  auto outsider = transfer({{"agent", "alice"}, {"to_group", "support"}}, "09:06:00");
  BOOST_TEST(outsider[0]["type"] == "command.rejected");
}

BOOST_AUTO_TEST_SUITE_END()
