// The subcommands of the `switchboard` tool, each a function from parsed arguments to an exit code.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::tool {

struct RunArgs {
  std::string db;
  std::string config_file;
  std::string in_file;  // empty: standard input
  std::string durability = "sync";
  std::size_t max_group = 1024;                        // most commands in one write (one WAL record, one fsync)
  std::size_t max_in_flight = 8192;                    // Options::max_in_flight
  std::int64_t conversation_idle_ms = 30 * 60 * 1000;  // Options::conversation_idle_ms
  std::uint64_t snapshot_every = 0;                    // Options::snapshot_every
};
int Run(const RunArgs& args);

struct QueryArgs {
  std::string db;
  std::vector<std::string> what;
  std::string from, to, by, as_of;                            // analytics range and grouping; --as-of T (B53)
  std::string interval, service_level, concurrency, channel;  // staffing (B73); empty: the defaults
  bool csv = false;
};
int Query(const QueryArgs& args);

struct ReplayArgs {
  std::string db;
  bool verify = false;
  std::vector<std::string> projections;  // rebuild only these (default: all)
};
int Replay(const ReplayArgs& args);

struct RepairArgs {
  std::string db;
};
int Repair(const RepairArgs& args);

struct WhatIfArgs {
  std::string db, config, from, to;
  std::uint64_t seed = 1;
  bool json = false;  // both analytics documents as one JSON object instead of the table
};
int WhatIf(const WhatIfArgs& args);

struct DemoArgs {
  std::string db;  // empty: a new directory under /tmp
  std::uint64_t seed = 42;
  int conversations = 3000;
  bool serve = false;                     // then serve the day's database over HTTP (until SIGINT/SIGTERM)
  std::string listen = "127.0.0.1:8080";  // where
};
int Demo(const DemoArgs& args);

struct ServeArgs {
  std::string db;
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0: any free one (printed)
  std::string config_file;
  std::string durability = "sync";
  std::size_t max_body_bytes = 1u << 20;
  std::size_t max_connections = 2048;
};
int Serve(const ServeArgs& args);

// Reads a whole file; false (with a message on stderr) when it cannot.
bool ReadFile(const std::string& path, std::string* out);

}  // namespace switchboard::tool
