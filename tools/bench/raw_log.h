// The yardsticks of `switchboard bench`: what RocksDB alone does with the engine's own events, with
// no actors, no rules and no projections. Thread-compatible; each call opens its own database.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "switchboard/status.h"

namespace switchboard {

// The encoded events of an engine's log (`db`), in order.
Status ReadLogEvents(const std::string& db, std::vector<std::string>* events);

// What WriteRawLog did, over its writes only (not the open and close of the database).
struct RawWrite {
  double seconds = 0;
  double cpu_seconds = 0;    // the whole process's, user + system (tools/bench/process_cpu.h)
  std::uint64_t writes = 0;  // WriteBatches, one WAL write (and sync) each
  std::uint64_t bytes = 0;   // the batches' data size, as EventStore's write counters count it
};

// Writes `events` into a fresh RocksDB at `dir`, keyed by big-endian seq, `batch` events per
// WriteBatch, WAL synced per batch when `sync`: the limit of durable ingest.
Status WriteRawLog(const std::vector<std::string>& events, const std::string& dir, std::size_t batch, bool sync,
                   RawWrite* out);

// Reads every entry of the engine's `log` column family in `db` with a bare iterator (no decoding,
// no copies beyond RocksDB's own): the floor of a replay. *count: entries read.
Status ScanRawLog(const std::string& db, std::uint64_t* count, double* seconds);

}  // namespace switchboard
