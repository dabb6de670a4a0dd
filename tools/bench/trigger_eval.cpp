// trigger_eval: trigger evaluations per second with 200 triggers of 3-6 conditions each (issue 5),
// over the real TicketFacts of a real DeskState, the way the Desk evaluates them after a change.
//
//   trigger_eval [--triggers 200] [--rounds 20000] [--seed 7]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <random>

#include "events/command.h"
#include "rules/domain/desk.h"
#include "rules/domain/ticket_facts.h"

using namespace switchboard;
using nlohmann::json;

namespace {

// A condition drawn from the fields a support team writes triggers on.
json RandomCondition(std::mt19937_64& rng) {
  auto pick = [&](std::initializer_list<const char*> options) {
    std::vector<const char*> v(options);
    return std::string(v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)]);
  };
  switch (std::uniform_int_distribution<int>(0, 8)(rng)) {
    case 0:
      return {{"field", "status"},
              {"operator", pick({"is", "is_not", "less_than", "changed_to"})},
              {"value", pick({"new", "open", "pending", "solved"})}};
    case 1:
      return {{"field", "priority"}, {"operator", pick({"is", "greater_than"})}, {"value", pick({"normal", "high"})}};
    case 2:
      return {
          {"field", "tags"}, {"operator", pick({"includes", "not_includes"})}, {"value", pick({"vip", "late", "fr"})}};
    case 3:
      return {{"field", "channel"}, {"operator", "is"}, {"value", pick({"messaging", "email"})}};
    case 4:
      return {{"field", "group"}, {"operator", pick({"is", "is_not"})}, {"value", pick({"support", "sales"})}};
    case 5:
      return {{"field", "contact.vip"}, {"operator", "is"}, {"value", true}};
    case 6:
      return {{"field", "assignee"}, {"operator", pick({"is", "present", "absent"})}, {"value", nullptr}};
    case 7:
      return {{"field", "hours_since_created"}, {"operator", pick({"greater_than", "less_than"})}, {"value", 4}};
    default:
      return {{"field", "update_via"}, {"operator", "is"}, {"value", pick({"agent", "contact"})}};
  }
}

}  // namespace

int main(int argc, char** argv) {
  int triggers = 200, rounds = 20000;
  std::uint64_t seed = 7;
  CLI::App app{"Trigger evaluations per second"};
  app.add_option("--triggers", triggers);
  app.add_option("--rounds", rounds, "evaluations of every trigger");
  app.add_option("--seed", seed);
  CLI11_PARSE(app, argc, argv);

  std::mt19937_64 rng(seed);
  json config = json::parse(R"({"groups": [{"id": "support"}, {"id": "sales"}],
                               "agents": [{"id": "alice", "groups": ["support"]}]})");
  config["triggers"] = json::array();
  int conditions = 0;
  for (int i = 0; i < triggers; ++i) {
    json all = json::array();
    int n = std::uniform_int_distribution<int>(3, 6)(rng);
    for (int k = 0; k < n; ++k) {
      json c = RandomCondition(rng);
      if (c["operator"] == "present" || c["operator"] == "absent") c.erase("value");
      all.push_back(c);
    }
    conditions += n;
    config["triggers"].push_back(
        {{"id", "t" + std::to_string(i)},
         {"conditions", {{"all", all}}},
         {"actions", json::array({{{"field", "tags_add"}, {"value", "t" + std::to_string(i)}}})}});
  }
  DeskState state;
  Desk desk(&state);
  std::vector<Event> events;
  if (auto r = desk.ApplyConfiguration(config.dump(), 0, &events)) {
    std::fprintf(stderr, "%s\n", r->error.c_str());
    return 2;
  }
  desk.Handle(ParseCommand(R"({"id":"1","type":"contact.message","contact":"ann","channel":"messaging","text":"hi",
                              "profile":{"vip":true},"at":"2026-11-23T09:00:00Z"})"),
              0, &events);
  const Ticket& ticket = *state.FindTicket(1);
  TicketSnapshot before = SnapshotOf(state, ticket);
  before.ticket.status = TicketStatus::kOpen;  // so `changed` operators have something to compare
  TicketFacts facts(state, ticket, &before, "agent", *ParseRfc3339("2026-11-23T15:00:00Z"));

  const auto& compiled = state.config().rules.triggers;
  long holding = 0;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    for (const Trigger& t : compiled) holding += Holds(t.conditions, facts);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double evaluations = static_cast<double>(rounds) * compiled.size();
  std::printf(
      "{\"triggers\":%zu,\"conditions\":%d,\"rounds\":%d,\"holding_per_round\":%.1f,"
      "\"trigger_evaluations_per_s\":%.0f,\"full_passes_per_s\":%.0f}\n",
      compiled.size(), conditions, rounds, holding / static_cast<double>(rounds), evaluations / seconds,
      rounds / seconds);
  return 0;
}
