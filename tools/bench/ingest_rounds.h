// The ingest measure of `switchboard bench` (issue 16): the whole engine and raw RocksDB take turns
// on the same day, round after round, so that a slow spell of this machine's disk or CPU falls on
// both sides and the ratio of each round compares like with like. Each round runs, in order:
//   1. the engine, synced, acknowledgements dropped, into a fresh database;
//   2. the same events (read once from the first round's log) into a fresh bare RocksDB, one key per
//      event, synced batches of `batch` (the yardstick);
//   3. the same at the engine's own group size: its mean events per synced write in step 1;
//   4. the engine again, fresh database, with each acknowledgement rendered as `switchboard run`
//      renders it (tools/ack_printer.h, on its own thread, into /dev/null).
// Every phase is timed in wall and CPU seconds (the whole process: RocksDB's background threads
// too, for the engine and the raw writer alike).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "switchboard/engine.h"
#include "tools/bench/raw_log.h"

namespace switchboard::tool {

// Opens an engine for a measure; throws std::runtime_error when it cannot (a figure of nothing is
// no figure).
// `options` adjusts the rest (snapshots).
std::unique_ptr<Engine> OpenBenchEngine(const std::string& db, const std::string& config, Durability durability,
                                        bool read_only = false, const std::function<void(Options&)>& options = {});

struct Phase {
  double seconds = 0;
  double cpu_seconds = 0;
};

struct IngestRound {
  std::uint64_t events = 0;  // the engine's log after the day
  Phase engine;              // step 1
  WriteStats writes;         // what the engine wrote in step 1
  SnapshotStats snapshots;   // the snapshots it made during step 1 (Options::snapshot_every)
  RawWrite raw;              // step 2
  std::size_t group_batch = 0;
  RawWrite raw_groups;  // step 3, batches of group_batch
  Phase rendered;       // step 4
  std::uint64_t rendered_lines = 0;
};

struct IngestResult {
  std::vector<IngestRound> rounds;
  double mean_value_bytes = 0;  // of the raw side's values: the encoded events
  std::string db;               // the last round's engine database (step 1), kept for replay and open
};

// `lines`: the day's commands on `config`. Throws std::runtime_error on a failure, or when a round's
// engine logs another number of events than the first (the rounds would not compare).
IngestResult RunIngestRounds(const std::string& work, const std::string& config, const std::vector<std::string>& lines,
                             std::size_t batch, int rounds);

// Prints the ingest rows (goal 1 among them: the median of the rounds' engine / raw at `batch`, with
// their spread) and adds report["ingest"], every round's figures in it. Returns the medians of the
// engine's commands/s and events/s: the peak the latency runs and the peer refer to.
struct IngestPeak {
  double commands_per_s = 0, events_per_s = 0;
};
IngestPeak ReportIngest(const IngestResult& ingest, std::size_t commands, std::size_t batch, nlohmann::json* report);

}  // namespace switchboard::tool
