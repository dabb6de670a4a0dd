// `switchboard bench`: one run that measures durable ingest against raw RocksDB (interleaved over
// several rounds: median ratio, spread, CPU per event, write amplification, with and without
// acknowledgement rendering), latency, the PostgreSQL peer, replay and open time, queries, memory
// (memtables apart) and the rules peer, and prints them as a table with each goal of issue 16
// marked met or missed (docs/PERFORMANCE.md). It drives internals on purpose (the raw log, the day
// generator), so it lives beside them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::tool {

struct BenchArgs {
  std::string dir;  // work directory (default: a new one under /tmp, removed at the end)
  std::string out = "bench.json";
  std::uint64_t seed = 1;
  int conversations = 33000;                     // a day of about 1,000,000 events: the replay measure wants that log
  int rounds = 3;                                // engine and raw RocksDB, in turns, each this many times
  std::size_t batch = 256;                       // events per batch for the raw side and the peer
  double latency_seconds = 30;                   // per open-loop run: long enough to hold memtable switches
  std::vector<double> latency_shares{0.5, 0.9};  // open-loop rates, as shares of the measured peak
  int long_log_days = 5;  // goal 4: a log of that many days (about 1 M events each) to open; 0: skipped
  std::uint64_t open_tickets = 100000;
  std::vector<std::uint64_t> memory_conversations{100000};
};
int Bench(const BenchArgs& args);

}  // namespace switchboard::tool
