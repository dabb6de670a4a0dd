// `switchboard bench`: one run that measures ingest, latency, the raw RocksDB limit, the PostgreSQL
// peer, replay, queries, memory and the rules peer, and prints them as a table (docs/PERFORMANCE.md).
// It drives internals on purpose (the raw log, the day generator), so it lives beside them.
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
  std::size_t batch = 256;                       // events per batch for the limit and the peer
  double latency_seconds = 8;                    // per open-loop run
  std::vector<double> latency_shares{0.5, 0.9};  // open-loop rates, as shares of the measured peak
  std::uint64_t open_tickets = 100000;
  std::vector<std::uint64_t> memory_conversations{100000};
};
int Bench(const BenchArgs& args);

}  // namespace switchboard::tool
