// Options for opening an Engine. Plain values; each field says its default.
#pragma once

#include <cstddef>
#include <string>

namespace switchboard {

enum class Durability {
  kSync,      // an acknowledgement means the WAL was fsynced: it survives a machine crash
  kBuffered,  // the WAL was written to the OS: it survives kill -9, not a power loss (bulk loads)
};

struct Options {
  // The RocksDB directory; created when missing (unless read_only). Required.
  std::string db_path;
  // A configuration document (JSON) to put in force at open. Default: empty, keep the one in force.
  std::string config_json;
  // Default: kSync.
  Durability durability = Durability::kSync;
  // Submit blocks while this many commands are unacknowledged. Default: 8192.
  std::size_t max_in_flight = 8192;
  // Most commands merged into one WriteBatch and one WAL sync. Default: 1024.
  std::size_t max_group = 1024;
  // Open for reading only (query, audit, replay): no recovery of the decision state, no actors. The
  // database must exist: NotFound "no database at DIR" otherwise, and nothing is created.
  // Default: false.
  bool read_only = false;
};

}  // namespace switchboard
