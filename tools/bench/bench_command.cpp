// `switchboard bench` (issue 7): one run, on this machine, of everything PERFORMANCE.md reports:
// durable ingest through the whole engine, open-loop latency at 50 % and 90 % of that peak, the
// limit (the same events straight into RocksDB), the PostgreSQL peer, replay against a raw scan,
// query latency with many open tickets, memory per open conversation and the rules peer. Prints a
// table and writes the figures as JSON. The peers and the memory probe are separate programs of
// bench/ (found beside this binary); a missing one is skipped with a line saying why.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sys/utsname.h>
#include <thread>
#include <unistd.h>

#include "switchboard/engine.h"
#include "tools/bench/bench.h"
#include "tools/bench/raw_log.h"
#include "tools/day/day.h"
#include "tools/day/workload.h"

namespace switchboard::tool {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::unique_ptr<Engine> OpenOrDie(const std::string& db, const std::string& config, Durability durability,
                                  bool read_only = false) {
  Options options;
  options.db_path = db;
  options.config_json = config;
  options.durability = durability;
  options.read_only = read_only;
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) throw std::runtime_error("bench: cannot open " + db + ": " + s.message());
  return engine;
}

// The last JSON line a bench program printed; null when it did not run.
json RunProgram(const std::string& command) {
  std::FILE* pipe = ::popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return nullptr;
  std::string out, line;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) out += buffer;
  int rc = ::pclose(pipe);
  json last = nullptr;
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string l = out.substr(start, end - start);
    if (!l.empty() && l[0] == '{') last = json::parse(l, nullptr, false);
    start = end + 1;
  }
  if (rc != 0 && last.is_null()) return nullptr;
  return last.is_discarded() ? json(nullptr) : last;
}

double Percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i];
}

// Open loop: command i is due at start + i / rate whether or not earlier ones were acknowledged;
// its latency runs from its due time (not from when it was sent) to its durable acknowledgement, so
// a stall is charged to every command it delays (no coordinated omission).
json OpenLoopLatency(const std::string& dir, const std::string& config, const std::vector<std::string>& lines,
                     double rate, double seconds) {
  fs::remove_all(dir);
  auto engine = OpenOrDie(dir, config, Durability::kSync);
  const std::size_t n = std::min(lines.size(), static_cast<std::size_t>(rate * seconds));
  std::vector<double> latency(n);
  const Clock::time_point start = Clock::now();
  auto due_of = [&](std::size_t i) {
    return start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(i / rate));
  };
  // The sender wakes at most every 500 µs and sends every command due by then: a wake-up per
  // command would cost more than a command on a 2-core VM. A command sent late still counts its
  // latency from its due time.
  for (std::size_t i = 0; i < n;) {
    const Clock::time_point now = Clock::now();
    for (; i < n && due_of(i) <= now; ++i) {
      const Clock::time_point due = due_of(i);
      engine->Submit(lines[i], [&latency, i, due](Acknowledgement) {
        latency[i] = std::chrono::duration<double, std::milli>(Clock::now() - due).count();
      });
    }
    if (i < n) std::this_thread::sleep_until(std::max(due_of(i), now + std::chrono::microseconds(500)));
  }
  engine->Drain();
  const double elapsed = Since(start);
  std::sort(latency.begin(), latency.end());
  return {{"target_commands_per_s", rate},
          {"achieved_commands_per_s", n / elapsed},
          {"commands", n},
          {"p50_ms", Percentile(latency, 0.50)},
          {"p99_ms", Percentile(latency, 0.99)},
          {"p999_ms", Percentile(latency, 0.999)},
          {"max_ms", latency.empty() ? 0 : latency.back()}};
}

// Median of `runs` timings of fn, in milliseconds.
template <typename Fn>
double MedianMs(int runs, Fn fn) {
  std::vector<double> ms;
  for (int i = 0; i < runs; ++i) {
    Clock::time_point start = Clock::now();
    fn();
    ms.push_back(Since(start) * 1000);
  }
  std::sort(ms.begin(), ms.end());
  return ms[ms.size() / 2];
}

// `open` conversations, each with a ticket waiting in a queue (no agent online): what a supervisor's
// view and monitor must answer over.
json QueryLatency(const std::string& dir, std::uint64_t open) {
  fs::remove_all(dir);
  WorkloadOptions w;
  w.agents = 40;
  w.groups = 4;
  auto engine = OpenOrDie(dir, WorkloadConfig(w), Durability::kBuffered);
  for (std::uint64_t i = 0; i < open; ++i) {
    json line = {{"id", "open" + std::to_string(i)},   {"type", "contact.message"},
                 {"contact", "c" + std::to_string(i)}, {"channel", "messaging"},
                 {"text", "my parcel is late"},        {"at", "2026-11-23T08:00:00Z"}};
    engine->Submit(line.dump(), [](Acknowledgement) {});
  }
  engine->Drain();
  std::string text;
  std::size_t listed = 0;
  json out = {{"open_tickets", open}};
  out["view_ms"] = MedianMs(11, [&] {
    (void)engine->Query({"view", "unassigned-messaging"}, &text);
    listed = json::parse(text).size();
  });
  out["view_lists"] = listed;
  out["monitor_ms"] = MedianMs(11, [&] { (void)engine->Query({"monitor"}, &text); });
  out["ticket_ms"] = MedianMs(11, [&] { (void)engine->Query({"ticket", std::to_string(open / 2)}, &text); });
  if (!engine->Query({"ticket", std::to_string(open / 2)}, &text).ok() || listed != open) {
    throw std::runtime_error("bench: the open tickets are not all there");  // a figure of nothing is no figure
  }
  return out;
}

std::string Today() {
  std::time_t now = std::time(nullptr);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return buffer;
}

std::string Here() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string(".") : exe.parent_path().string();
}

std::string Machine() {
  utsname u{};
  ::uname(&u);
  std::string cpu;
  std::ifstream info("/proc/cpuinfo");
  for (std::string line; std::getline(info, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) + " cores, " + u.sysname + " " + u.release;
}

void Row(const char* what, const std::string& value, const std::string& target = "") {
  std::printf("| %-58s | %-22s | %-22s |\n", what, value.c_str(), target.c_str());
  std::fflush(stdout);
}

std::string Fixed(double v, int digits = 0) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, v);
  return buffer;
}

}  // namespace

int Bench(const BenchArgs& args) {
  std::string work = args.dir;
  if (work.empty()) {
    char pattern[] = "/tmp/switchboard-bench-XXXXXX";
    if (::mkdtemp(pattern) == nullptr) return 2;
    work = pattern;
  }
  fs::create_directories(work);
  const std::string bench_dir = Here() + "/bench";  // build/tools/bench, beside build/tools/switchboard
  json report = {{"machine", Machine()}, {"date", Today()}};

  // The workload: a seeded, deterministic day (bench/day.h) on the demo's configuration, sized to
  // give the replay measure its log of about a million events.
  DayOptions day;
  day.seed = args.seed;
  day.conversations = args.conversations;
  const std::string& config = DemoConfig();
  std::vector<std::string> lines;
  GenerateDay(day, config, [&](const std::string& line) { lines.push_back(line); });
  std::printf(
      "switchboard bench: a day of %d conversations, %zu commands (seed %llu), work directory %s\nmachine: %s\n\n",
      day.conversations, lines.size(), static_cast<unsigned long long>(day.seed), work.c_str(),
      report["machine"].get<std::string>().c_str());
  std::printf("| %-58s | %-22s | %-22s |\n|%s|%s|%s|\n", "measure", "value", "target", std::string(60, '-').c_str(),
              std::string(24, '-').c_str(), std::string(24, '-').c_str());

  // 1. Durable ingest through the whole engine (synced WAL, group commit).
  const std::string ingest_db = work + "/ingest";
  fs::remove_all(ingest_db);
  double ingest_s = 0;
  std::uint64_t events = 0;
  {
    auto engine = OpenOrDie(ingest_db, config, Durability::kSync);
    Clock::time_point start = Clock::now();
    for (const std::string& line : lines) engine->Submit(line, [](Acknowledgement) {});
    engine->Drain();
    ingest_s = Since(start);
    events = engine->LastSeq();
  }
  const double commands_per_s = lines.size() / ingest_s, events_per_s = events / ingest_s;
  report["ingest"] = {{"commands", lines.size()},     {"events", events},
                      {"seconds", ingest_s},          {"commands_per_s", commands_per_s},
                      {"events_per_s", events_per_s}, {"durability", "sync"}};
  Row("ingest, sync: commands/s", Fixed(commands_per_s));
  Row("ingest, sync: events/s", Fixed(events_per_s));

  // 2. The limit: the same events straight into RocksDB, same durability, batches of 256.
  std::vector<std::string> encoded;
  Status s = ReadLogEvents(ingest_db, &encoded);
  if (!s.ok()) throw std::runtime_error(s.message());
  double limit_s = 0;
  fs::remove_all(work + "/limit");
  s = WriteRawLog(encoded, work + "/limit", args.batch, /*sync=*/true, &limit_s);
  if (!s.ok()) throw std::runtime_error(s.message());
  fs::remove_all(work + "/limit");
  const double limit = encoded.size() / limit_s;
  std::size_t bytes = 0;
  for (const std::string& e : encoded) bytes += e.size();
  report["limit"] = {{"events_per_s", limit},
                     {"batch", args.batch},
                     {"mean_event_bytes", encoded.empty() ? 0 : bytes / encoded.size()}};
  report["engine_over_limit"] = events_per_s / limit;
  encoded.clear();
  encoded.shrink_to_fit();
  Row(("limit: raw RocksDB, synced batches of " + std::to_string(args.batch) + ": events/s").c_str(), Fixed(limit));
  Row("engine / limit", Fixed(events_per_s / limit, 2), ">= 0.50");

  // 3. The peer: the same events into a PostgreSQL event store, same batches.
  json peer = RunProgram(bench_dir + "/pg_peer --from " + ingest_db + " --batch " + std::to_string(args.batch));
  report["peer"] = peer;
  if (peer.is_object() && peer.contains("events_per_s")) {
    const double rate = peer["events_per_s"].get<double>();
    report["engine_over_peer"] = events_per_s / rate;
    Row("peer: PostgreSQL event store, same batches: events/s", Fixed(rate));
    Row("engine / peer", Fixed(events_per_s / rate, 1), ">= 6");
  } else {
    Row("peer: PostgreSQL",
        peer.is_object() ? peer.value("skipped", "skipped") : "skipped: tools/bench/pg_peer not built");
  }

  // 4. Latency, open loop, at 50 % and 90 % of the peak just measured.
  for (double share : args.latency_shares) {
    json l = OpenLoopLatency(work + "/latency", config, lines, share * commands_per_s, args.latency_seconds);
    const std::string name = "latency_" + std::to_string(static_cast<int>(share * 100));
    report[name] = l;
    const std::string label = "latency at " + std::to_string(static_cast<int>(share * 100)) + " % of peak (" +
                              Fixed(l["achieved_commands_per_s"].get<double>()) + " cmd/s): p50/p99/p99.9 ms";
    Row(label.c_str(),
        Fixed(l["p50_ms"].get<double>(), 2) + " / " + Fixed(l["p99_ms"].get<double>(), 2) + " / " +
            Fixed(l["p999_ms"].get<double>(), 2),
        share < 0.6 ? "p99 <= 2 ms" : "");
  }
  fs::remove_all(work + "/latency");

  // 5. Replay: recovery (fold into the decision state) and a rebuild of every projection, against a
  // raw scan of the same log.
  {
    std::uint64_t scanned = 0;
    double scan_s = 0;
    s = ScanRawLog(ingest_db, &scanned, &scan_s);
    if (!s.ok()) throw std::runtime_error(s.message());
    Clock::time_point start = Clock::now();
    { auto engine = OpenOrDie(ingest_db, "", Durability::kSync); }  // Open folds the whole log
    const double recover_s = Since(start);
    auto engine = OpenOrDie(ingest_db, "", Durability::kSync, /*read_only=*/true);
    start = Clock::now();
    std::string report_text;
    s = engine->Replay(/*verify=*/false, nullptr, &report_text);
    const double rebuild_s = Since(start);
    if (!s.ok()) throw std::runtime_error(s.message());
    report["replay"] = {{"events", events},
                        {"raw_scan_per_s", scanned / scan_s},
                        {"recovery_fold_per_s", events / recover_s},
                        {"rebuild_all_projections_per_s", events / rebuild_s}};
    report["recovery_over_scan"] = (events / recover_s) / (scanned / scan_s);
    Row("raw RocksDB scan of the log: entries/s", Fixed(scanned / scan_s));
    Row("recovery (fold the log into the decision state): events/s", Fixed(events / recover_s));
    Row("recovery / raw scan", Fixed((events / recover_s) / (scanned / scan_s), 2), ">= 0.50");
    Row("replay rebuilding every projection: events/s", Fixed(events / rebuild_s));
  }

  // 6. Query latency with many open tickets.
  json q = QueryLatency(work + "/open", args.open_tickets);
  report["queries"] = q;
  Row(("query view (" + std::to_string(q["view_lists"].get<std::size_t>()) + " tickets listed): ms").c_str(),
      Fixed(q["view_ms"].get<double>(), 2));
  Row("query monitor: ms", Fixed(q["monitor_ms"].get<double>(), 3));
  Row("query ticket: ms", Fixed(q["ticket_ms"].get<double>(), 3));
  fs::remove_all(work + "/open");

  // 7. Memory per open conversation (its own process, so the figure is its own).
  for (std::uint64_t n : args.memory_conversations) {
    json m = RunProgram(bench_dir + "/memory_bench --kind ticket --conversations " + std::to_string(n));
    report["memory_" + std::to_string(n)] = m;
    if (m.is_object() && m.contains("bytes_per_conversation")) {
      Row(("resident bytes per open conversation, " + std::to_string(n)).c_str(),
          Fixed(m["bytes_per_conversation"].get<double>()), n <= 100000 ? "<= 2,560" : "1M in <= 1 GiB");
    } else {
      Row("memory", "skipped: tools/bench/memory_bench not built");
    }
  }

  // 8. Rules: our trigger evaluator and npm's json-rules-engine on the same 20 rules and facts.
  {
    const std::string facts = work + "/facts.json";
    const std::string rules = std::string(SWITCHBOARD_SOURCE_DIR) + "/tools/bench/rules_peer";
    json ours = RunProgram(bench_dir + "/rules_compare --rules " + rules +
                           "/rules.json --facts 2000 --seed 7 --out-facts " + facts);
    json theirs = nullptr;
    const std::string engine_dir = rules + "/node_modules/json-rules-engine";
    if (ours.is_object() && ::access(engine_dir.c_str(), F_OK) != 0 && std::system("command -v npm >/dev/null") == 0) {
      (void)std::system(("npm install --prefix " + rules + " --no-audit --no-fund >/dev/null 2>&1").c_str());
    }
    if (ours.is_object() && ::access(engine_dir.c_str(), F_OK) == 0) {
      theirs = RunProgram("node " + rules + "/rules_peer.js --rules " + rules + "/rules.json --facts " + facts);
    }
    report["rules"] = {{"ours", ours}, {"json_rules_engine", theirs}};
    if (ours.is_object() && ours.contains("fact_sets_per_s")) {
      Row("rules: fact sets/s, 20 rules x 3 conditions", Fixed(ours["fact_sets_per_s"].get<double>()));
      if (theirs.is_object() && theirs.contains("fact_sets_per_s")) {
        const double ratio = ours["fact_sets_per_s"].get<double>() / theirs["fact_sets_per_s"].get<double>();
        report["rules_over_peer"] = ratio;
        Row("json-rules-engine (node): fact sets/s", Fixed(theirs["fact_sets_per_s"].get<double>()));
        Row("ours / json-rules-engine", Fixed(ratio, 0), ">= 100");
      } else {
        Row("json-rules-engine", "skipped: node or npm install bench/rules_peer missing");
      }
    } else {
      Row("rules", "skipped: bench/rules_compare not built");
    }
    fs::remove(facts);
  }

  std::ofstream(args.out) << report.dump(2) << "\n";
  std::printf("\nFigures written to %s\n", args.out.c_str());
  if (args.dir.empty()) fs::remove_all(work);
  return 0;
}

}  // namespace switchboard::tool
