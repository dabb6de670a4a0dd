// `switchboard demo`: a seeded day of contact-centre traffic through the engine, then a summary a
// person can read, and where the database is so they can go on with `query`.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "bench/workload.h"
#include "switchboard/engine.h"
#include "tools/run_command.h"

namespace switchboard::tool {
namespace {

using nlohmann::json;

void PrintSummary(Engine& engine, const WorkloadOptions& workload) {
  std::map<std::string, int> by_type;
  (void)engine.ReadEvents(1, [&](const std::string& line) {
    ++by_type[json::parse(line)["type"].get<std::string>()];
    return true;
  });
  std::map<std::string, int> by_status, by_handling;
  std::string text;
  for (std::uint64_t n = 1; engine.Query({"ticket", std::to_string(n)}, &text).ok(); ++n) {
    json t = json::parse(text);
    ++by_status[t["status"].get<std::string>()];
    ++by_handling[t["channel"].get<std::string>() + " handled as " + t["handled_as"].get<std::string>()];
  }
  std::printf("\nTickets by status\n");
  for (const auto& [status, count] : by_status) std::printf("  %-10s %8d\n", status.c_str(), count);
  std::printf("\nTickets by channel\n");
  for (const auto& [how, count] : by_handling) std::printf("  %-34s %8d\n", how.c_str(), count);
  std::printf("\nAgents (load / capacity)\n  %-10s %-8s %-12s %-12s %s\n", "agent", "status", "messaging", "email",
              "open tickets");
  for (int a = 0; a < workload.agents; ++a) {
    if (!engine.Query({"agent", "agent" + std::to_string(a)}, &text).ok()) continue;
    json j = json::parse(text);
    std::string messaging = std::to_string(j["load"]["messaging"].get<int>()) + " / " +
                            std::to_string(j["capacity"]["messaging"].get<int>());
    std::string email =
        std::to_string(j["load"]["email"].get<int>()) + " / " + std::to_string(j["capacity"]["email"].get<int>());
    std::printf("  %-10s %-8s %-12s %-12s %zu\n", j["id"].get<std::string>().c_str(),
                j["status"].get<std::string>().c_str(), messaging.c_str(), email.c_str(), j["tickets"].size());
  }
  std::printf("\nEvents by type\n");
  for (const auto& [type, count] : by_type) std::printf("  %-24s %8d\n", type.c_str(), count);
}

}  // namespace

int Demo(const DemoArgs& args) {
  std::string db = args.db;
  if (db.empty()) {
    char pattern[] = "/tmp/switchboard-demo-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      std::fprintf(stderr, "switchboard: cannot create a demo directory under /tmp\n");
      return 2;
    }
    db = pattern;
  }
  WorkloadOptions workload;
  workload.seed = args.seed;
  workload.commands = args.commands;
  workload.agents = 16;
  workload.groups = 2;
  Options options;
  options.db_path = db;
  options.config_json = WorkloadConfig(workload);
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }
  std::printf("Switchboard demo: %llu commands of a seeded day (seed %llu), %d agents in %d groups + triage\n",
              static_cast<unsigned long long>(workload.commands), static_cast<unsigned long long>(workload.seed),
              workload.agents, workload.groups);
  auto start = std::chrono::steady_clock::now();
  bool failed = false;
  GenerateWorkload(workload, [&](const std::string& line) {
    engine->Submit(line, [&failed](Acknowledgement ack) { failed = failed || !ack.status.ok(); });
  });
  engine->Drain();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "switchboard: the store failed during the demo\n");
    return 1;
  }
  std::uint64_t events = engine->LastSeq();
  std::printf("Applied in %.2f s with synced durability: %.0f commands/s, %.0f events/s (%llu events)\n", seconds,
              workload.commands / seconds, events / seconds, static_cast<unsigned long long>(events));
  PrintSummary(*engine, workload);
  std::printf(
      "\nDatabase: %s\nGo on with, for example:\n  switchboard query --db %s ticket 1\n"
      "  switchboard query --db %s audit ticket 1\n  switchboard replay --db %s --verify\n",
      db.c_str(), db.c_str(), db.c_str(), db.c_str());
  return 0;
}

}  // namespace switchboard::tool
