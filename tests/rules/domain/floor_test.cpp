// Changing the floor without redeploying the configuration (B74, seed 001: "aller chercher un agent
// travaillant dans un autre canal et lui demander de commencer à servir les clients via le chat"),
// and the cap on inactive conversations an agent may hold (B75, seed 002: "limites pour le nombre
// maximum de conversations ou de conversations inactives"). Pure domain, explicit times.
#include <boost/test/unit_test.hpp>

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

json Update(const std::string& agent, const std::string& by, json changes) {
  changes["type"] = "agent.update";
  changes["agent"] = agent;
  changes["by"] = by;
  return changes;
}

std::map<std::string, std::string> Reasons(const json& decided) {
  std::map<std::string, std::string> out;
  for (const json& c : decided["candidates"]) {
    out[c["agent"]] = c["eligible"].get<bool>() ? "eligible" : c["reason"].get<std::string>();
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(agent_floor)

BOOST_AUTO_TEST_CASE(B74_a_supervisor_moves_an_agent_into_a_group_and_its_queue_drains_in_that_change) {
  DeskFixture f;
  f.Run(f.Line(Online("carol"), "08:59:00"));  // carol serves sales; nobody of support is online
  f.ContactSays("ann", "09:00:00");
  BOOST_REQUIRE(f.routed(1).queued.has_value());
  Events moved = f.Run(f.Line(Update("carol", "sam", {{"groups", {"sales", "support"}}}), "09:05:00"));
  const json& updated = Require(moved, "agent.updated");
  BOOST_TEST(updated["agent"] == "carol");
  BOOST_TEST(updated["by"] == "sam");
  BOOST_TEST(updated["changes"] == json::parse(R"({"groups": ["sales", "support"]})"));
  const json& assigned = Require(moved, "ticket.assigned");
  BOOST_TEST(assigned["ticket"] == 1);
  BOOST_TEST(assigned["agent"] == "carol");
  json record = json::parse(AgentJson(f.state(), f.agent("carol")));
  BOOST_TEST(record["groups"] == json::parse(R"(["sales", "support"])"));

  // The change outlives a new configuration document that does not name it (docs/DECISIONS.md).
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["settings"]["inactivity_minutes"] = 20;
  f.Run(f.Line({{"type", "config.apply"}, {"config", config}}, "09:06:00"));
  BOOST_TEST(f.state().config().FindAgent("carol")->groups == (std::vector<std::string>{"sales", "support"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B74_a_higher_capacity_takes_the_next_queued_ticket_at_once_and_a_lower_one_takes_nothing_away) {
  DeskFixture f;
  f.Run(f.Line(Online("alice"), "08:59:00"));  // capacity 2 messaging
  f.ContactSays("ann", "09:00:00");
  f.ContactSays("bea", "09:01:00");
  f.ContactSays("cid", "09:02:00");
  BOOST_REQUIRE(f.routed(3).queued.has_value());
  Events raised = f.Run(f.Line(Update("alice", "sam", {{"capacity", {{"messaging", 3}}}}), "09:03:00"));
  BOOST_TEST(Require(raised, "ticket.assigned")["ticket"] == 3);
  BOOST_TEST(json::parse(AgentJson(f.state(), f.agent("alice")))["capacity"]["messaging"] == 3);

  Events lowered = f.Run(f.Line(Update("alice", "sam", {{"capacity", {{"messaging", 1}}}}), "09:04:00"));
  BOOST_TEST(!FindType(lowered, "ticket.unassigned"));  // what she holds stays hers
  Events next = f.ContactSays("dan", "09:05:00");
  BOOST_TEST((Reasons(Require(next, "routing.decided"))["alice"] == "at_capacity"));
}

BOOST_AUTO_TEST_CASE(
    B74_an_update_by_a_non_supervisor_of_an_unknown_agent_or_group_is_refused_and_a_repeat_changes_nothing) {
  DeskFixture f;
  const std::vector<std::tuple<json, std::string, std::string>> refused{
      {Update("bob", "alice", {{"skills", {"billing"}}}), "by", "only a supervisor may update an agent"},
      {Update("bob", "nobody", {{"skills", {"billing"}}}), "by", "unknown agent \"nobody\""},
      {Update("zed", "sam", {{"skills", {"billing"}}}), "agent", "unknown agent \"zed\""},
      {Update("bob", "sam", {{"groups", {"support", "night"}}}), "groups[1]", "unknown group \"night\""},
      {Update("bob", "sam", {{"capacity", {{"messaging", 0}}}}), "capacity.messaging", "whole number from 1"},
      {Update("bob", "sam", {{"capacity", {{"chat", 2}}}}), "capacity.chat", "unknown capacity"},
      {Update("bob", "sam", json::object()), "", "changes nothing"},
  };
  for (const auto& [command, field, error] : refused) {
    Events events = f.Run(f.Line(command, "09:00:00"));
    const json& rejected = Require(events, "command.rejected");
    BOOST_TEST((rejected["field"].is_null() ? std::string() : rejected["field"].get<std::string>()) == field,
               command.dump());
    BOOST_TEST(rejected["error"].get<std::string>().find(error) != std::string::npos, rejected["error"]);
  }
  BOOST_TEST(!FindType(f.Run(f.Line(Update("bob", "sam", {{"groups", {"support"}}}), "09:01:00")), "agent.updated"));
}

BOOST_AUTO_TEST_CASE(B75_an_agent_at_its_cap_of_inactive_conversations_gets_no_new_work_until_one_comes_back) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["agents"][0]["capacity"] = {{"messaging", 5}, {"email", 5}, {"inactive", 1}};
  DeskFixture f(config.dump());
  f.Run(f.Line(Online("alice"), "08:59:00"));
  f.ContactSays("ann", "09:00:00");  // alice; inactive at 09:10 (inactivity_minutes 10)
  BOOST_TEST(f.ticket(1).assignee == "alice");
  Events later = f.ContactSays("bea", "09:15:00");
  BOOST_TEST(FindType(later, "conversation.inactive"));
  BOOST_TEST((Reasons(Require(later, "routing.decided"))["alice"] == "inactive_limit"));
  BOOST_TEST(f.routed(2).queued.has_value());
  // ann writes again: her conversation is active, alice is under her cap, bea's ticket is hers.
  Events back = f.ContactSays("ann", "09:20:00", "still here");
  const json& assigned = Require(back, "ticket.assigned");
  BOOST_TEST(assigned["ticket"] == 2);
  BOOST_TEST(assigned["agent"] == "alice");
  BOOST_TEST(json::parse(AgentJson(f.state(), f.agent("alice")))["capacity"]["inactive"] == 1);
  // A supervisor lifts the cap with null.
  Events lifted = f.Run(f.Line(Update("alice", "sam", {{"capacity", {{"inactive", nullptr}}}}), "09:21:00"));
  BOOST_TEST(Require(lifted, "agent.updated")["changes"] == json::parse(R"({"capacity": {"inactive": null}})"));
  BOOST_TEST(f.state().config().FindAgent("alice")->capacity_inactive == 0);
}

BOOST_AUTO_TEST_SUITE_END()
