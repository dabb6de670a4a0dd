// The closed-loop day generator (bench/day.h) and the demo configuration it ships (config/demo.json):
// its lines are deterministic, a fresh Desk accepts every one of them, and a small day already walks
// through the behaviours of DOMAIN.md named in each case.
#include "tools/day/day.h"

#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "events/command.h"
#include "events/event_json.h"
#include "rules/domain/desk.h"

namespace switchboard {
namespace {

std::vector<std::string> Day(std::uint64_t seed, int conversations, double malformed = 0.0) {
  DayOptions o;
  o.seed = seed;
  o.conversations = conversations;
  o.malformed = malformed;
  std::vector<std::string> lines;
  GenerateDay(o, DemoConfig(), [&](const std::string& line) { lines.push_back(line); });
  return lines;
}

// The lines through a fresh Desk with the demo configuration, applied (as `switchboard run --config`
// does) at the first line's time.
std::vector<Event> Play(const std::vector<std::string>& lines) {
  DeskState state;
  Desk desk(&state);
  std::vector<Event> events;
  Command first = ParseCommand(lines.front());
  BOOST_REQUIRE(!desk.ApplyConfiguration(DemoConfig(), first.at.value_or(0), &events));
  for (const std::string& line : lines) {
    desk.Handle(ParseCommand(line), 0, &events);
  }
  return events;
}

// A small day (200 conversations): every behaviour below already happens, and it runs in well under a
// second (a few under AddressSanitizer). The determinism checks use an even smaller one.
const std::vector<std::string>& SmallDay() {
  static const std::vector<std::string> lines = Day(1, 200);
  return lines;
}

const std::vector<Event>& SmallDayEvents() {
  static const std::vector<Event> events = Play(SmallDay());
  return events;
}

BOOST_AUTO_TEST_SUITE(day)

// B46: the shipped configuration is valid and becomes the configuration in force.
BOOST_AUTO_TEST_CASE(B46_the_demo_configuration_is_accepted) {
  DeskState state;
  Desk desk(&state);
  std::vector<Event> events;
  auto refused = desk.ApplyConfiguration(DemoConfig(), 0, &events);
  BOOST_TEST(!refused.has_value(), (refused ? refused->field + ": " + refused->error : ""));
  BOOST_REQUIRE(events.size() == 1u);
  BOOST_TEST(EventTypeName(events[0].payload.type) == "config.applied");
  BOOST_TEST(state.config().agents.size() >= 20u);
  BOOST_TEST(state.config().bot.articles.size() >= 8u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_gives_the_same_lines_and_another_seed_others) {
  const std::vector<std::string> a = Day(1, 100);
  BOOST_TEST(a.size() > 500u);
  BOOST_TEST((Day(1, 100) == a));
  BOOST_TEST((Day(2, 100) != a));
  std::set<std::string> ids;
  for (const std::string& line : a) {
    Command c = ParseCommand(line);
    BOOST_TEST(c.at.has_value());
    ids.insert(c.id);
  }
  BOOST_TEST(ids.size() == a.size());  // every line has its own id
}

// The Desk is deterministic: the lines give the same events every time (what `switchboard run`
// on an empty database reproduces).
BOOST_AUTO_TEST_CASE(the_lines_give_the_same_events_on_every_run) {
  const std::vector<std::string> lines = Day(4, 100);
  const std::vector<Event> first = Play(lines), again = Play(lines);
  BOOST_REQUIRE(again.size() == first.size());
  for (std::size_t i = 0; i < again.size(); ++i) {
    if (EventToJson(again[i]) != EventToJson(first[i])) {
      BOOST_TEST(EventToJson(again[i]) == EventToJson(first[i]));
      break;
    }
  }
}

// Closed loop: every line is one the Desk accepts, and the day exercises B1-B7 (bot and
// self-service), B10-B16 (routing, queues, capacity), B20-B22 (replies, inactivity, reopening),
// B30 (sessions ended), B44 (CSAT) and agents' shifts.
BOOST_AUTO_TEST_CASE(B1_B7_B10_B16_B20_B22_B30_B44_a_day_is_accepted_and_covers_the_domain) {
  std::map<std::string, int> count;
  std::set<std::string> groups;
  std::vector<std::string> rejections;
  int routed_to_agent = 0, agent_messages = 0, reopened = 0, solved = 0, online = 0, offline = 0, away = 0;
  for (const Event& e : SmallDayEvents()) {
    ++count[std::string(EventTypeName(e.payload.type))];
    switch (e.payload.type) {
      case fb::Payload::CommandRejected:
        rejections.push_back(EventToJson(e));
        break;
      case fb::Payload::TicketRouted:
        groups.insert(e.payload.AsTicketRouted()->group);
        break;
      case fb::Payload::RoutingDecided:
        routed_to_agent += e.payload.AsRoutingDecided()->chosen.empty() ? 0 : 1;
        break;
      case fb::Payload::MessageAdded:
        agent_messages += e.payload.AsMessageAdded()->author.rfind("agent:", 0) == 0 ? 1 : 0;
        break;
      case fb::Payload::TicketStatusChanged: {
        const auto* p = e.payload.AsTicketStatusChanged();
        solved += p->to == "solved" ? 1 : 0;
        reopened += p->from == "solved" && p->to == "open" && p->via == "contact" ? 1 : 0;
        break;
      }
      case fb::Payload::AgentStatusChanged: {
        const std::string& to = e.payload.AsAgentStatusChanged()->to;
        online += to == "online";
        offline += to == "offline";
        away += to == "away";
        break;
      }
      default:
        break;
    }
  }
  BOOST_TEST(rejections.empty(), (rejections.empty() ? "" : rejections.front()));
  BOOST_TEST(count["conversation.self_solved"] > 0);  // B6
  BOOST_TEST(count["articles.suggested"] > 0);        // B6
  BOOST_TEST(count["lookup.completed"] > 0);          // B5: a VIP email found in the table
  BOOST_TEST(count["bot.answer_saved"] > 0);          // B2, B3
  BOOST_TEST(count["ticket.created"] > 0);            // B7
  BOOST_TEST(count["ticket.queued"] > 0);             // B14
  BOOST_TEST(count["ticket.assigned"] > 0);           // B12
  BOOST_TEST(routed_to_agent > 0);                    // B12, B13: routing chose the agent
  BOOST_TEST(agent_messages > 0);                     // B20
  BOOST_TEST(solved > 0);
  BOOST_TEST(count["csat.offered"] > 0);           // B44
  BOOST_TEST(count["csat.rated"] > 0);             // B44
  BOOST_TEST(reopened > 0);                        // B22
  BOOST_TEST(count["conversation.inactive"] > 0);  // B15, B21
  BOOST_TEST(count["session.ended"] > 0);          // B30
  BOOST_TEST(count["ticket.unassigned"] > 0);      // B16: agents on a break or leaving
  // B10: both languages' groups received tickets.
  BOOST_TEST((groups.count("support-fr") + groups.count("billing-fr")) > 0u);
  BOOST_TEST((groups.count("support-en") + groups.count("billing-en")) > 0u);
  BOOST_TEST(groups.count("vip") == 1u);  // B10: the VIP rule, from the lookup (B5)
  BOOST_TEST(online > 0);
  BOOST_TEST(away > 0);
  BOOST_TEST(offline > 0);
}

// Malformed lines are the only ones refused: one rejection each (PROTOCOL.md "Errors").
BOOST_AUTO_TEST_CASE(malformed_lines_are_the_only_ones_refused) {
  std::vector<std::string> lines = Day(3, 60, 0.02);
  std::set<std::string> bad;
  for (const std::string& line : lines) {
    Command c = ParseCommand(line);
    if (c.kind == CommandKind::kInvalid || line.find("\"nobody\"") != std::string::npos) bad.insert(c.id);
  }
  BOOST_TEST(!bad.empty());
  std::set<std::string> refused;
  for (const Event& e : Play(lines)) {
    if (e.payload.type == fb::Payload::CommandRejected) refused.insert(e.cmd);
  }
  BOOST_TEST((refused == bad));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace switchboard
