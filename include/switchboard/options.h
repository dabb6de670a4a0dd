// Options for opening an Engine. Plain values; each field says its default.
#pragma once

#include <cstddef>
#include <cstdint>
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
  // The store's memory budgets (RocksDB): its memtables, all column families together, are flushed
  // to disk when they reach write_buffer_bytes; the block cache (which holds the index and filter
  // blocks too) keeps at most block_cache_bytes. Defaults: 64 MiB and 32 MiB. On a shared Runtime
  // the runtime's block cache and memtable budget are used instead (RuntimeOptions); each family's
  // memtable still switches at write_buffer_bytes.
  std::size_t write_buffer_bytes = 64u << 20;
  std::size_t block_cache_bytes = 32u << 20;
  // A conversation the bot has gets its own actor; one untouched for this long (the engine's time:
  // the commands' `at`) is passivated, and restored from its stream when the contact writes again.
  // 0: passivated as soon as what it holds is durable. Default: 30 minutes.
  std::int64_t conversation_idle_ms = 30 * 60 * 1000;
  // Snapshots of the decision state, in the database beside the log: open folds only the events
  // after the newest one, so its time follows the open work, not the length of the log. One is
  // written when the engine is closed (snapshot_at_close). With snapshot_every N > 0, one is also
  // made every N events, by a child process (fork) so that the desk pauses only for the fork; on a
  // 2-core machine the child and the copy-on-write faults it causes still cost the tail of the
  // acknowledgements while it runs (docs/PERFORMANCE.md), so periodic snapshots are asked for, not
  // the default: without them, an open after a kill -9 folds the whole log. Defaults: 0, true.
  std::uint64_t snapshot_every = 0;
  bool snapshot_at_close = true;
  // false: open ignores the snapshots and folds the whole log (what a snapshot saves, measured; a
  // check of the snapshots against the log). Default: true.
  bool open_from_snapshot = true;
  // Open for reading only (query, audit, replay): no recovery of the decision state, no actors. The
  // database must exist: NotFound "no database at DIR" otherwise, and nothing is created.
  // Default: false.
  bool read_only = false;
  // With read_only: not a byte of the directory is written, not even RocksDB's own bookkeeping (its
  // manifest, options and info log): the files are opened read-only (what-if reads a recorded
  // database so). Rebuilding projections is then refused. Default: false.
  bool untouched = false;
};

}  // namespace switchboard
