// `switchboard demo`: the shipped configuration (config/demo.json: groups in two languages with
// business hours, a VIP lookup table, the default rules, a bot with self-service) and a seeded day
// of traffic (bench/day.h: contacts arriving on a daily curve, agents' shifts, the bot, routing,
// replies, CSAT, reopenings) through the engine, then what a supervisor reads: the live monitor and
// the day's analytics as tables, and where the database is, to go on with `query` and `audit`.
#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>

#include "switchboard/engine.h"
#include "tools/day/day.h"
#include "tools/run_command.h"

namespace switchboard::tool {
namespace {

using nlohmann::json;

// 95 -> "1m 35s"; null -> "-".
std::string Duration(const json& seconds) {
  if (!seconds.is_number()) return "-";
  long s = seconds.get<long>();
  char buffer[32];
  if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%lds", s);
  } else if (s < 3600) {
    std::snprintf(buffer, sizeof buffer, "%ldm %02lds", s / 60, s % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%ldh %02ldm", s / 3600, (s % 3600) / 60);
  }
  return buffer;
}

std::string Share(const json& rate) {
  if (!rate.is_number()) return "-";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.0f %%", rate.get<double>());  // analytics gives percentages
  return buffer;
}

std::string Csat(const json& csat) {
  if (!csat.is_object() || !csat["score"].is_number()) return "-";
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.0f %% of %d", csat["score"].get<double>(),
                csat["good"].get<int>() + csat["bad"].get<int>());
  return buffer;
}

std::string Load(const json& agent, const char* channel) {
  return std::to_string(agent["load"][channel].get<int>()) + "/" +
         std::to_string(agent["capacity"][channel].get<int>());
}

void PrintMonitor(const json& m) {
  std::printf("\nLive monitor at %s (query monitor)\n", m["at"].get<std::string>().c_str());
  std::printf("  tickets created today %d, solved today %d; conversations deflected by self-service %d\n",
              m["tickets"]["created"].get<int>(), m["tickets"]["solved"].get<int>(), m["deflected"].get<int>());
  std::printf("  average wait %s; CSAT %s\n", Duration(m["average_wait_s"]).c_str(), Csat(m["csat"]).c_str());
  std::printf("\n  %-16s %-10s %8s %12s\n", "queue", "channel", "waiting", "oldest wait");
  for (const json& q : m["queues"]) {
    std::printf("  %-16s %-10s %8d %12s\n", q["group"].get<std::string>().c_str(),
                q["channel"].get<std::string>().c_str(), q["size"].get<int>(),
                q["size"].get<int>() == 0 ? "-" : Duration(q["oldest_wait_s"]).c_str());
  }
  std::printf("\n  %-14s %-9s %-10s %-10s\n", "agent", "status", "messaging", "email");
  for (const json& a : m["agents"]) {
    std::printf("  %-14s %-9s %-10s %-10s\n", a["id"].get<std::string>().c_str(),
                a["status"].get<std::string>().c_str(), Load(a, "messaging").c_str(), Load(a, "email").c_str());
  }
}

// The SLA table (B64): per metric and priority, the targets met and missed and the share met.
void PrintSla(const json& a) {
  std::printf("\nSLA targets (query analytics --by priority: met / missed, share met)\n");
  std::printf("\n  %-16s", "metric");
  for (const json& r : a["rows"])
    std::printf(" %18s", r["key"].is_string() ? r["key"].get<std::string>().c_str() : "-");
  std::printf(" %18s\n", "all");
  std::set<std::string> metrics;
  if (a["total"].contains("sla")) {
    for (const auto& [metric, counts] : a["total"]["sla"].items()) metrics.insert(metric);
  }
  auto cell = [](const json& row, const std::string& metric) {
    if (!row.contains("sla") || !row["sla"].contains(metric)) return std::string("-");
    const json& c = row["sla"][metric];
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%d / %d, %s", c["met"].get<int>(), c["missed"].get<int>(),
                  c["share_met"].is_null() ? "-" : (std::to_string(c["share_met"].get<int>()) + " %").c_str());
    return std::string(buffer);
  };
  for (const std::string& m : metrics) {
    std::printf("  %-16s", m.c_str());
    for (const json& r : a["rows"]) std::printf(" %18s", cell(r, m).c_str());
    std::printf(" %18s\n", cell(a["total"], m).c_str());
  }
  if (metrics.empty()) std::printf("  (no SLA policy applied)\n");
}

void PrintAnalytics(const json& a, const char* by) {
  std::printf("\n  %-16s %8s %8s %12s %12s %12s %20s\n", by, "tickets", "solved", "first reply", "resolution", "wait",
              "CSAT");
  auto row = [](const std::string& key, const json& r) {
    std::printf("  %-16s %8d %8d %12s %12s %12s %20s\n", key.c_str(), r["tickets"].get<int>(), r["solved"].get<int>(),
                Duration(r["first_reply_s"]["median"]).c_str(), Duration(r["resolution_s"]["median"]).c_str(),
                Duration(r["wait_s"]["median"]).c_str(), Csat(r["csat"]).c_str());
  };
  for (const json& r : a["rows"]) row(r["key"].is_null() ? std::string("(none)") : r["key"].get<std::string>(), r);
  row("all", a["total"]);
}

}  // namespace

int Demo(const DemoArgs& args) {
  if (args.serve) {
    // Before any thread starts (RocksDB's outlive the engine), so that only serve's sigwait gets them.
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  }
  std::string db = args.db;
  if (db.empty()) {
    char pattern[] = "/tmp/switchboard-demo-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) {
      std::fprintf(stderr, "switchboard: cannot create a demo directory under /tmp\n");
      return 2;
    }
    db = pattern;
  }
  DayOptions day;
  day.seed = args.seed;
  day.conversations = args.conversations;
  Options options;
  options.db_path = db;
  options.config_json = DemoConfig();
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }
  std::printf("Switchboard demo: a seeded day (seed %llu) of %d conversations, %s, on the shipped configuration\n",
              static_cast<unsigned long long>(day.seed), day.conversations, day.date.c_str());
  std::printf(
      "(config/demo.json: English and French groups with business hours, a VIP lookup table, a bot with\n"
      "self-service articles, the default triggers, automations, macros and views)\n");
  auto start = std::chrono::steady_clock::now();
  bool failed = false;
  std::uint64_t commands = 0;
  GenerateDay(day, DemoConfig(), [&](const std::string& line) {
    ++commands;
    engine->Submit(line, [&failed](Acknowledgement ack) { failed = failed || !ack.status.ok(); });
  });
  engine->Drain();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "switchboard: the store failed during the demo\n");
    return 1;
  }
  std::uint64_t events = engine->LastSeq();
  std::printf("\n%llu commands -> %llu events in %.2f s, each acknowledged after a synced write (%.0f commands/s)\n",
              static_cast<unsigned long long>(commands), static_cast<unsigned long long>(events), seconds,
              commands / seconds);

  std::string text;
  s = engine->Query({"monitor"}, &text);
  if (s.ok()) PrintMonitor(json::parse(text));
  std::printf("\nThe day's analytics (query analytics --by group | channel; medians)\n");
  for (const char* by : {"group", "channel"}) {
    if (engine->Analytics("", "", by, false, &text).ok()) PrintAnalytics(json::parse(text), by);
  }
  if (engine->Analytics("", "", "priority", false, &text).ok()) PrintSla(json::parse(text));
  if (engine->Analytics("", "", "", false, &text).ok()) {
    json d = json::parse(text)["total"]["deflection"];
    if (d.is_object()) {
      std::printf("\n  self-service: %d of %d conversations solved by the bot's articles (%s deflection)\n",
                  d["self_solved"].get<int>(), d["conversations"].get<int>(), Share(d["rate"]).c_str());
    }
    json p = json::parse(text)["total"]["proactive"];
    if (p.is_object()) {
      std::printf(
          "  proactive messages: %d sent, %d answered (conversations), %d tickets from them, %d solved "
          "(query analytics --by proactive_rule)\n",
          p["messages_sent"].get<int>(), p["conversations"].get<int>(), p["tickets"].get<int>(),
          p["solved"].get<int>());
    }
  }
  // The suggestions name this very program, so they can be pasted as they are.
  std::error_code ec;
  const std::string sb = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  const char* me = ec ? "switchboard" : sb.c_str();
  std::printf("\nDatabase: %s\nGo on with, for example:\n", db.c_str());
  std::printf("  %s query --db %s view unassigned-messaging\n", me, db.c_str());
  std::printf("  %s query --db %s analytics --by agent --csv\n", me, db.c_str());
  std::printf("  %s query --db %s audit ticket 1\n", me, db.c_str());
  std::printf("  %s query --db %s ticket 1 --as-of %sT12:00:00Z\n", me, db.c_str(), day.date.c_str());
  std::printf("  %s replay --db %s --verify\n", me, db.c_str());
  if (!args.serve) return 0;
  engine.reset();  // the database is exclusive: the server opens it next
  std::printf("\nServing it over HTTP (docs/PROTOCOL.md, \"HTTP\"); stop with Ctrl-C.\n");
  ServeArgs serve;
  serve.db = db;
  serve.listen = args.listen;
  return Serve(serve);
}

}  // namespace switchboard::tool
