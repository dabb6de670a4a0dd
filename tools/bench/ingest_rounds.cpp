#include "tools/bench/ingest_rounds.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "tools/ack_printer.h"
#include "tools/bench/bench_table.h"
#include "tools/bench/process_cpu.h"

namespace switchboard::tool {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Step 1 (printer null) or 4: the day into a fresh engine at `db`, from the first Submit until
// every acknowledgement is in (and, with a printer, rendered).
Phase TimeEngine(const std::string& db, const std::string& config, const std::vector<std::string>& lines,
                 AckPrinter* printer, IngestRound* round) {
  fs::remove_all(db);
  auto engine = OpenBenchEngine(db, config, Durability::kSync);
  const WriteStats before = engine->Writes();
  std::atomic<std::uint64_t> failed{0};
  Phase phase;
  const double cpu_start = bench::CpuSeconds();
  const Clock::time_point start = Clock::now();
  for (const std::string& line : lines) {
    if (printer != nullptr) {
      engine->Submit(line, [printer](Acknowledgement ack) { printer->Push(std::move(ack)); });
    } else {
      engine->Submit(line, [&failed](Acknowledgement ack) {
        if (!ack.status.ok()) failed.fetch_add(1, std::memory_order_relaxed);
      });
    }
  }
  engine->Drain();
  if (printer != nullptr && printer->Finish()) failed.fetch_add(1);
  phase.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  phase.cpu_seconds = bench::CpuSeconds() - cpu_start;
  if (failed.load() != 0) throw std::runtime_error("bench: the engine failed during ingest into " + db);
  if (printer == nullptr) {
    const WriteStats after = engine->Writes();
    round->writes = {after.groups - before.groups, after.events - before.events, after.keys - before.keys,
                     after.bytes - before.bytes};
    round->events = engine->LastSeq();
    round->snapshots = engine->Snapshots();
  }
  return phase;
}

RawWrite TimeRaw(const std::vector<std::string>& encoded, const std::string& dir, std::size_t batch) {
  fs::remove_all(dir);
  RawWrite w;
  Status s = WriteRawLog(encoded, dir, batch, /*sync=*/true, &w);
  fs::remove_all(dir);
  if (!s.ok()) throw std::runtime_error("bench: raw RocksDB: " + s.message());
  return w;
}

}  // namespace

std::unique_ptr<Engine> OpenBenchEngine(const std::string& db, const std::string& config, Durability durability,
                                        bool read_only, const std::function<void(Options&)>& adjust) {
  Options options;
  options.db_path = db;
  options.config_json = config;
  options.durability = durability;
  options.read_only = read_only;
  if (adjust) adjust(options);
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) throw std::runtime_error("bench: cannot open " + db + ": " + s.message());
  return engine;
}

IngestResult RunIngestRounds(const std::string& work, const std::string& config, const std::vector<std::string>& lines,
                             std::size_t batch, int rounds) {
  IngestResult result;
  result.db = work + "/ingest";
  const std::string rendered_db = work + "/ingest-rendered", raw_dir = work + "/raw";
  std::vector<std::string> encoded;  // the raw side's values: the events of the first round's log
  for (int r = 0; r < std::max(rounds, 1); ++r) {
    IngestRound round;
    round.engine = TimeEngine(result.db, config, lines, nullptr, &round);
    if (encoded.empty()) {
      Status s = ReadLogEvents(result.db, &encoded);
      if (!s.ok()) throw std::runtime_error("bench: cannot read the log: " + s.message());
      double bytes = 0;
      for (const std::string& e : encoded) bytes += static_cast<double>(e.size());
      result.mean_value_bytes = encoded.empty() ? 0 : bytes / static_cast<double>(encoded.size());
    }
    if (round.events != encoded.size()) {
      throw std::runtime_error("bench: round " + std::to_string(r + 1) + " logged " + std::to_string(round.events) +
                               " events, the first " + std::to_string(encoded.size()));
    }
    round.raw = TimeRaw(encoded, raw_dir, batch);
    const double mean_group =
        round.writes.groups == 0 ? 1.0 : static_cast<double>(round.writes.events) / round.writes.groups;
    round.group_batch = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(mean_group)));
    round.raw_groups = TimeRaw(encoded, raw_dir, round.group_batch);
    {
      // As `switchboard run` prints to its stdout: fully buffered, 64 KiB.
      std::FILE* null = std::fopen("/dev/null", "w");
      if (null == nullptr) throw std::runtime_error("bench: cannot open /dev/null");
      std::vector<char> buffer(1 << 16);
      std::setvbuf(null, buffer.data(), _IOFBF, buffer.size());
      AckPrinter printer(null);
      round.rendered = TimeEngine(rendered_db, config, lines, &printer, &round);
      round.rendered_lines = printer.lines();
      std::fclose(null);
    }
    fs::remove_all(rendered_db);
    result.rounds.push_back(round);
  }
  return result;
}

IngestPeak ReportIngest(const IngestResult& ingest, std::size_t commands, std::size_t batch, nlohmann::json* report) {
  using nlohmann::json;
  const std::uint64_t events = ingest.rounds.front().events;
  std::vector<double> cmd_s, ev_s, rendered_s, raw_s, raw_groups_s, ratio, ratio_groups, ratio_rendered;
  std::vector<double> cpu_engine, cpu_rendered, cpu_raw, cpu_raw_groups, group, keys, bytes, raw_bytes;
  json rounds = json::array();
  for (const IngestRound& r : ingest.rounds) {
    const double e = static_cast<double>(r.events);
    cmd_s.push_back(commands / r.engine.seconds);
    ev_s.push_back(e / r.engine.seconds);
    rendered_s.push_back(e / r.rendered.seconds);
    raw_s.push_back(e / r.raw.seconds);
    raw_groups_s.push_back(e / r.raw_groups.seconds);
    ratio.push_back(ev_s.back() / raw_s.back());
    ratio_groups.push_back(ev_s.back() / raw_groups_s.back());
    ratio_rendered.push_back(rendered_s.back() / raw_s.back());
    cpu_engine.push_back(r.engine.cpu_seconds / e * 1e6);
    cpu_rendered.push_back(r.rendered.cpu_seconds / e * 1e6);
    cpu_raw.push_back(r.raw.cpu_seconds / e * 1e6);
    cpu_raw_groups.push_back(r.raw_groups.cpu_seconds / e * 1e6);
    group.push_back(r.writes.groups == 0 ? 0 : static_cast<double>(r.writes.events) / r.writes.groups);
    keys.push_back(r.writes.events == 0 ? 0 : static_cast<double>(r.writes.keys) / r.writes.events);
    bytes.push_back(r.writes.events == 0 ? 0 : static_cast<double>(r.writes.bytes) / r.writes.events);
    raw_bytes.push_back(static_cast<double>(r.raw.bytes) / e);
    rounds.push_back(
        {{"events", r.events},
         {"engine", {{"seconds", r.engine.seconds}, {"cpu_seconds", r.engine.cpu_seconds}}},
         {"writes",
          {{"groups", r.writes.groups},
           {"events", r.writes.events},
           {"keys", r.writes.keys},
           {"bytes", r.writes.bytes}}},
         {"rendered",
          {{"seconds", r.rendered.seconds}, {"cpu_seconds", r.rendered.cpu_seconds}, {"lines", r.rendered_lines}}},
         {"raw",
          {{"batch", batch},
           {"seconds", r.raw.seconds},
           {"cpu_seconds", r.raw.cpu_seconds},
           {"writes", r.raw.writes},
           {"bytes", r.raw.bytes}}},
         {"raw_at_engine_groups",
          {{"batch", r.group_batch},
           {"seconds", r.raw_groups.seconds},
           {"cpu_seconds", r.raw_groups.cpu_seconds},
           {"writes", r.raw_groups.writes},
           {"bytes", r.raw_groups.bytes}}},
         {"engine_over_raw", ratio.back()},
         {"engine_over_raw_at_engine_groups", ratio_groups.back()}});
  }
  const Spread commands_per_s = Of(cmd_s), events_per_s = Of(ev_s), mean_group = Of(group);
  (*report)["ingest"] = {{"rounds", rounds},
                         {"commands", commands},
                         {"events", events},
                         {"durability", "sync"},
                         {"commands_per_s", ToJson(commands_per_s)},
                         {"events_per_s", ToJson(events_per_s)},
                         {"rendered_events_per_s", ToJson(Of(rendered_s))},
                         {"raw_events_per_s", ToJson(Of(raw_s))},
                         {"raw_at_engine_groups_events_per_s", ToJson(Of(raw_groups_s))},
                         {"engine_over_raw", ToJson(Of(ratio))},
                         {"engine_over_raw_at_engine_groups", ToJson(Of(ratio_groups))},
                         {"rendered_over_raw", ToJson(Of(ratio_rendered))},
                         {"cpu_us_per_event",
                          {{"engine", ToJson(Of(cpu_engine))},
                           {"rendered", ToJson(Of(cpu_rendered))},
                           {"raw", ToJson(Of(cpu_raw))},
                           {"raw_at_engine_groups", ToJson(Of(cpu_raw_groups))}}},
                         {"engine_events_per_write", ToJson(mean_group)},
                         {"engine_keys_per_event", ToJson(Of(keys))},
                         {"engine_bytes_per_event", ToJson(Of(bytes))},
                         {"raw_keys_per_event", 1},
                         {"raw_mean_value_bytes", ingest.mean_value_bytes},
                         {"raw_bytes_per_event", ToJson(Of(raw_bytes))}};
  const std::string raw_label = "raw RocksDB, synced batches of " + std::to_string(batch);
  Row("ingest, sync, acks dropped: commands/s", Shown(commands_per_s));
  Row("ingest, sync, acks dropped: events/s", Shown(events_per_s));
  Row("ingest, sync, acks rendered as `run` renders them: events/s", Shown(Of(rendered_s)));
  Row(raw_label + ": events/s", Shown(Of(raw_s)));
  Row("raw RocksDB, synced batches of the engine's mean group: events/s", Shown(Of(raw_groups_s)));
  Row("engine: events per synced write (its mean group)", Shown(mean_group, 1));
  Row("CPU per event (whole process, user+system), engine, acks dropped: us", Shown(Of(cpu_engine), 2));
  Row("CPU per event, engine, acks rendered: us", Shown(Of(cpu_rendered), 2));
  Row("CPU per event, " + raw_label + ": us", Shown(Of(cpu_raw), 2));
  Row("CPU per event, raw RocksDB at the engine's mean group: us", Shown(Of(cpu_raw_groups), 2));
  Row("engine: keys per event / batch bytes per event", Shown(Of(keys), 2) + " / " + Fixed(Of(bytes).median));
  Row("raw: keys per event / value bytes per event (batch bytes)",
      "1 / " + Fixed(ingest.mean_value_bytes) + " (" + Fixed(Of(raw_bytes).median) + ")");
  Row("engine / raw at the engine's mean group", Shown(Of(ratio_groups), 2));
  Row("engine with acks rendered / " + raw_label, Shown(Of(ratio_rendered), 2));
  const Spread over_raw = Of(ratio);
  Goal(*report, "durable ingest / raw RocksDB",
       "goal 1: durable ingest / " + raw_label + ", per round (" + std::to_string(ingest.rounds.size()) + ")",
       Shown(over_raw, 2), over_raw.median, ">= 0.50 (aim 0.70)", over_raw.median >= 0.5,
       {{"min", over_raw.min}, {"max", over_raw.max}});

  return {commands_per_s.median, events_per_s.median};
}

}  // namespace switchboard::tool
