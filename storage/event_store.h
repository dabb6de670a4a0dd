// EventStore: the durable log of events and everything kept beside it, on RocksDB.
//
// All that one command produced (its events, their stream index entries, its command id, the
// projection records it changed, the checkpoint) is written in one WriteBatch; Write() takes a
// group of commands and writes them as ONE batch with one WAL sync, so a crash leaves each command
// entirely there or entirely absent, and queued commands share one fsync (group commit).
// This is the only file set that includes RocksDB. Thread-safety: Write is called by one thread at
// a time (the journal); reads may run from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "projections/catalog.h"
#include "projections/records.h"
#include "storage/keys.h"
#include "switchboard/status.h"

namespace switchboard {

struct StoreOptions {
  // true: a write returns after the WAL is fsynced (survives power loss); false: after the WAL is
  // written to the OS (survives a process crash, not a machine crash). Default: true.
  bool sync = true;
};

// What the store holds of one projection: its checkpoint is written with its records, in the same
// batch as the events they reflect.
struct ProjectionMark {
  bool present = false;          // a checkpoint is stored
  std::uint64_t checkpoint = 0;  // the last seq its live records reflect
  std::uint32_t version = 0;     // the catalog version that wrote them
  std::uint8_t generation = 0;   // the key space of its live records
};

// What one command adds to the store.
struct CommandWrite {
  std::string command_id;           // empty: a line without an id (recorded, but not as a key)
  std::vector<std::string> events;  // encoded Event buffers, contiguous ascending seqs
  std::vector<Record> records;      // the projection records the command changed
  std::uint64_t last_seq = 0;       // the log's last seq once this command is in
};

class EventStore {
 public:
  ~EventStore();
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Opens (creating when missing) the store in `dir`. Busy when another process has it open;
  // InvalidArgument when the directory holds a newer format than this build knows.
  static Status Open(const std::string& dir, const StoreOptions& options, std::unique_ptr<EventStore>* out);

  // Writes the group as one batch.
  Status Write(const std::vector<const CommandWrite*>& group);

  // The last seq in the log, 0 when it is empty.
  Status LastSeq(std::uint64_t* seq);

  // Calls fn(seq, buffer) for each event from `from` on, in order, until fn returns false.
  // The buffer is aligned for FlatBuffers but not verified here: decode it with the codec. It is
  // valid only during the call.
  Status ScanLog(std::uint64_t from, const std::function<bool(std::uint64_t, std::string_view)>& fn);

  // Calls fn(seq) for each event of the stream, in order.
  Status ScanStream(const std::string& prefix, const std::function<bool(std::uint64_t)>& fn);

  // Reads one event buffer; NotFound when seq is not in the log.
  Status ReadEvent(std::uint64_t seq, std::string* buffer);

  // Whether a command with this id was already applied.
  Status HasCommand(const std::string& id, bool* found);

  // A projection record (of the live generation); NotFound when there is none under `key`.
  Status GetRecord(const std::string& key, std::string* json);
  // Calls fn for each record whose key starts with `prefix` (not empty: its first byte names the
  // projection), in key order.
  Status ScanRecords(const std::string& prefix, const std::function<bool(const Record&)>& fn);
  // Calls fn for each live record of projection `p`, in key order.
  Status ScanProjection(ProjectionId p, const std::function<bool(const Record&)>& fn);

  // What the store holds of projection `p`. Safe from any thread.
  ProjectionMark Projection(ProjectionId p) const;

  // A rebuild (docs/ARCHITECTURE.md, "Projections"). The rebuilt records go under the next
  // generation of their projections, beside the live ones, which go on answering; TakeOver then
  // makes the next generation live and drops the old one in one batch. The projections are a bit
  // mask of ProjectionId. TakeOver must not run concurrently with Write (the journal calls it).
  Status DiscardRebuilt(unsigned projections);
  Status WriteRebuilt(const std::vector<Record>& records);
  Status TakeOver(unsigned projections, const std::vector<Record>& records, std::uint64_t checkpoint);

 private:
  struct Impl;
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard
