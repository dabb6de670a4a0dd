// rules_compare: our trigger evaluator on the rules of bench/rules_peer/rules.json (20 rules of 3 conditions),
// over N tickets, against npm's json-rules-engine running the same rules over the same facts
// (bench/rules_peer/rules_peer.js). The tickets are built through a real Desk with commands (a contact message,
// then one ticket.update setting status, priority, group, assignee and tags), the rules are applied as the
// configuration's triggers afterwards (so they fire on nothing while the tickets are built), and each pass
// evaluates every trigger over the TicketFacts of every ticket, as the Desk does at the end of a change.
// The fact values the rules read are written, as our facts return them, to --out-facts for the JS side.
// Prints fact sets (tickets, all 20 rules each) per second and M, the (ticket, rule) pairs that hold in one pass.
//
//   rules_compare --rules bench/rules_peer/rules.json [--facts 1000] [--seed 1] [--out-facts FILE] [--min-seconds 1]
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "events/command.h"
#include "rules/domain/desk.h"
#include "rules/domain/ticket_facts.h"

using namespace switchboard;
using nlohmann::json;

namespace {

// The fields the JS side reads; each written as our TicketFacts return it.
const char* const kFactFields[] = {"status", "priority", "tags", "channel", "group", "assignee", "hours_since_created"};

json ToJson(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return nullptr;
    case Value::Kind::kBool:
      return v.boolean;
    case Value::Kind::kNumber:  // whole numbers (hours) as integers
      return v.number == static_cast<double>(static_cast<long long>(v.number)) ? json(static_cast<long long>(v.number))
                                                                               : json(v.number);
    case Value::Kind::kString:
      return v.string;
    case Value::Kind::kList:
      return v.list;
  }
  return nullptr;
}

template <class T>
const T& Pick(std::mt19937_64& rng, const std::vector<T>& options, const std::vector<int>& weights) {
  std::discrete_distribution<std::size_t> d(weights.begin(), weights.end());
  return options[d(rng)];
}

}  // namespace

int main(int argc, char** argv) {
  std::string rules_path, out_facts;
  int n = 1000;
  std::uint64_t seed = 1;
  double min_seconds = 1.0;
  CLI::App app{"Our trigger evaluator over N tickets: the peer of bench/rules_peer/rules_peer.js"};
  app.add_option("--rules", rules_path, "A configuration whose triggers are the rules")->required();
  app.add_option("--facts", n, "Tickets (fact sets)")->check(CLI::Range(1, 1000000));
  app.add_option("--seed", seed);
  app.add_option("--out-facts", out_facts, "Write the fact sets as a JSON array for the JS side");
  app.add_option("--min-seconds", min_seconds, "Repeat passes until this much time has passed");
  CLI11_PARSE(app, argc, argv);

  json config;
  {
    std::ifstream in(rules_path);
    std::stringstream ss;
    ss << in.rdbuf();
    config = json::parse(ss.str(), nullptr, false);
    if (!in || config.is_discarded() || !config.is_object()) {
      std::fprintf(stderr, "%s: not a JSON configuration\n", rules_path.c_str());
      return 2;
    }
  }
  json base = config;
  base.erase("triggers");

  DeskState state;
  Desk desk(&state);
  std::vector<Event> events;
  if (auto r = desk.ApplyConfiguration(base.dump(), 0, &events)) {
    std::fprintf(stderr, "%s\n", r->error.c_str());
    return 2;
  }
  // Members of each group, to pick an assignee the Desk accepts.
  std::map<std::string, std::vector<std::string>> members;
  for (const json& a : config["agents"]) {
    for (const json& g : a["groups"]) members[g.get<std::string>()].push_back(a["id"].get<std::string>());
  }
  std::vector<std::string> groups;
  for (const json& g : config["groups"]) groups.push_back(g["id"].get<std::string>());

  std::mt19937_64 rng(seed);
  const Timestamp start_at = *ParseRfc3339("2026-11-20T00:00:00Z");
  const Timestamp span = 72LL * 3600 * 1000;  // tickets created over three days
  int command = 0, rejected = 0;
  auto handle = [&](const json& c) {
    json line = c;
    line["id"] = std::to_string(++command);
    events.clear();
    desk.Handle(ParseCommand(line.dump()), 0, &events);
    for (const Event& e : events) {
      if (e.payload.type == fb::Payload::CommandRejected) {
        ++rejected;
        std::fprintf(stderr, "rejected: %s: %s\n", line.dump().c_str(), e.payload.AsCommandRejected()->error.c_str());
      }
    }
  };
  for (int i = 0; i < n; ++i) {
    Timestamp at = start_at + span * i / n;
    std::string channel = Pick(rng, std::vector<std::string>{"messaging", "email"}, {60, 40});
    handle({{"type", "contact.message"},
            {"contact", "c" + std::to_string(i + 1)},
            {"channel", channel},
            {"text", "hello"},
            {"at", FormatRfc3339(at)}});
    const std::uint64_t ticket = state.ticket_count();
    std::string group = groups[std::uniform_int_distribution<std::size_t>(0, groups.size() - 1)(rng)];
    json update = {
        {"type", "ticket.update"},
        {"ticket", ticket},
        {"group", group},
        {"priority", Pick(rng, std::vector<std::string>{"low", "normal", "high", "urgent"}, {15, 50, 25, 10})},
        {"at", FormatRfc3339(at + 60 * 1000)}};
    std::string status =
        Pick(rng, std::vector<std::string>{"new", "open", "pending", "on-hold", "solved"}, {15, 30, 20, 10, 25});
    if (status != "new") update["status"] = status;
    const auto& m = members[group];
    if (!m.empty() && std::bernoulli_distribution(0.5)(rng)) {
      update["assignee"] = m[std::uniform_int_distribution<std::size_t>(0, m.size() - 1)(rng)];
    }
    json tags = json::array();
    for (const char* tag : {"vip", "late", "fr", "refund", "bug"}) {
      if (std::bernoulli_distribution(0.3)(rng)) tags.push_back(tag);
    }
    update["tags_add"] = tags;
    handle(update);
  }
  const Timestamp now = start_at + span + 3600 * 1000;
  handle({{"type", "clock.advance"}, {"at", FormatRfc3339(now)}});
  if (rejected != 0) return 2;

  // Now the rules, as the configuration's triggers.
  if (auto r = desk.ApplyConfiguration(config.dump(), now, &events)) {
    std::fprintf(stderr, "%s\n", r->error.c_str());
    return 2;
  }
  const auto& compiled = state.config().rules.triggers;

  std::vector<const Ticket*> tickets;
  std::vector<TicketSnapshot> before;
  for (std::uint64_t id = 1; id <= static_cast<std::uint64_t>(n); ++id) {
    const Ticket* t = state.FindTicket(id);
    if (t == nullptr) {
      std::fprintf(stderr, "ticket %llu missing\n", static_cast<unsigned long long>(id));
      return 2;
    }
    tickets.push_back(t);
    before.push_back(SnapshotOf(state, *t));  // the change began with the ticket as it is: nothing changed
  }
  if (!out_facts.empty()) {
    json all = json::array();
    for (std::size_t k = 0; k < tickets.size(); ++k) {
      TicketFacts facts(state, *tickets[k], &before[k], "agent", now);
      json f = {{"id", tickets[k]->id}};
      for (const char* name : kFactFields) f[name] = ToJson(FieldValue(*FieldFromName(name), facts));
      all.push_back(f);
    }
    std::ofstream out(out_facts);
    out << all.dump() << "\n";
    if (!out) {
      std::fprintf(stderr, "cannot write %s\n", out_facts.c_str());
      return 2;
    }
  }

  // An untimed first pass gives M and the matches of each rule (the cross-check with the JS side); then timed
  // passes until --min-seconds have passed.
  long matches = 0;
  std::vector<long> per_rule(compiled.size());
  for (std::size_t k = 0; k < tickets.size(); ++k) {
    TicketFacts facts(state, *tickets[k], &before[k], "agent", now);
    for (std::size_t r = 0; r < compiled.size(); ++r) {
      bool holds = Holds(compiled[r].conditions, facts);
      per_rule[r] += holds;
      matches += holds;
    }
  }
  long holding = 0, rounds = 0;
  auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  do {
    for (std::size_t k = 0; k < tickets.size(); ++k) {
      TicketFacts facts(state, *tickets[k], &before[k], "agent", now);
      for (const Trigger& t : compiled) holding += Holds(t.conditions, facts);
    }
    ++rounds;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (seconds < min_seconds);
  if (holding != matches * rounds) {
    std::fprintf(stderr, "passes disagree\n");
    return 1;
  }
  std::size_t conditions = 0;
  for (const Trigger& t : compiled) conditions += t.conditions.all.size() + t.conditions.any.size();
  std::printf(
      "{\"fact_sets\":%zu,\"rounds\":%ld,\"seconds\":%.3f,\"fact_sets_per_s\":%.0f,\"rules\":%zu,"
      "\"conditions_per_rule\":%.0f,\"matches\":%ld,\"matches_per_rule\":%s}\n",
      tickets.size(), rounds, seconds, rounds * static_cast<double>(tickets.size()) / seconds, compiled.size(),
      compiled.empty() ? 0.0 : static_cast<double>(conditions) / compiled.size(), matches,
      json(per_rule).dump().c_str());
  return 0;
}
