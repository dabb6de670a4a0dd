// EventStore: the durable log of events and everything kept beside it, on RocksDB.
//
// All that one command produced (its events, their stream index entries, its command id, the
// projection records it changed, the checkpoint) is written in one WriteBatch; Write() takes a
// group of commands and writes them as ONE batch with one WAL sync, so a crash leaves each command
// entirely there or entirely absent, and queued commands share one fsync (group commit).
// Opening checks that the log holds every acknowledged event (RocksDB's WAL checks, then the
// acknowledged mark, storage/acked_mark.h): a damaged or shortened log makes Open fail with a
// Corruption status that says what is missing and names the WAL files, instead of opening on less.
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
#include "storage/acked_mark.h"
#include "storage/keys.h"
#include "switchboard/status.h"

namespace rocksdb {
class Cache;
class WriteBufferManager;
class Env;
}  // namespace rocksdb

namespace switchboard {

enum class StoreRecovery {
  // The WAL may end in one incomplete record (a write cut short by a crash: it was never
  // acknowledged); anything else damaged or missing, or a log that ends before the acknowledged
  // mark, fails the open. Nothing is flushed while recovering, so a refused open changes nothing.
  kStrict,
  // For repair only: every WAL record that can be read is kept, the others are skipped, and the
  // acknowledged mark is not checked. What is left may have gaps: see CutLog. The database must
  // exist. Recovery flushes what it read, so the damaged WAL files are not read again.
  kSalvage,
};

// A block cache for the stores of one runtime (index and filter blocks too).
std::shared_ptr<rocksdb::Cache> NewBlockCache(std::size_t bytes);
// A memtable budget several stores may share (RocksDB's WriteBufferManager, not charged to a cache).
std::shared_ptr<rocksdb::WriteBufferManager> NewMemtableBudget(std::size_t bytes);

struct StoreOptions {
  // true: a write returns after the WAL is fsynced (survives power loss); false: after the WAL is
  // written to the OS (survives a process crash, not a machine crash). Default: true.
  bool sync = true;
  // Open a database that exists, and create nothing: NotFound "no database at DIR" otherwise.
  // For the readers (query, replay). Default: false (create the directory and the database).
  bool existing_only = false;
  // With existing_only: RocksDB opens the files read-only and nothing in the directory changes.
  bool untouched = false;
  StoreRecovery recovery = StoreRecovery::kStrict;
  // The RocksDB Env to use; tests pass one that injects faults. Default: null, RocksDB's own.
  rocksdb::Env* env = nullptr;
  // The block cache, which also holds the index and filter blocks (so that they are bounded by it,
  // not by the size of the log); stores opened on one runtime share one. Default: null, a cache of
  // this store's own of block_cache_bytes.
  std::shared_ptr<rocksdb::Cache> block_cache;
  std::size_t block_cache_bytes = 32u << 20;
  // All families' memtables together are flushed at this size, and each family's at most at it.
  // Default: 64 MiB.
  std::size_t write_buffer_bytes = 64u << 20;
  // The memtable budget shared with other stores (a runtime's); null: this store's own of
  // write_buffer_bytes.
  std::shared_ptr<rocksdb::WriteBufferManager> memtable_budget;
};

// What the store holds in memory (RocksDB's own figures), in bytes.
struct StoreMemory {
  std::uint64_t memtables = 0;        // every family's, flushed at 64 MiB in all
  std::uint64_t table_readers = 0;    // outside the block cache
  std::uint64_t block_cache = 0;      // what the cache holds (shared: all its stores')
  std::uint64_t background_jobs = 0;  // flushes and compactions running (they hold buffers of their own)
};

// What Write has put into RocksDB since open: the groups it wrote (one WriteBatch and one WAL
// write each), their events, the keys of those batches (Put and Delete: log entries, stream
// entries, command ids, projection records, checkpoints) and the batches' bytes (WriteBatch's
// data size, keys and values with their framing). The benchmark sets them against a bare log.
struct StoreWrites {
  std::uint64_t groups = 0;
  std::uint64_t events = 0;
  std::uint64_t keys = 0;
  std::uint64_t bytes = 0;
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

  // Opens (creating when missing, unless options.existing_only) the store in `dir`. Busy when
  // another process has it open; InvalidArgument when the directory holds a newer format than this
  // build knows; Corruption, naming what is damaged or missing, when the log does not hold every
  // acknowledged event (kStrict).
  static Status Open(const std::string& dir, const StoreOptions& options, std::unique_ptr<EventStore>* out);

  // Writes the group as one batch, then moves the acknowledged mark. A failure is an IOError whose
  // sentence names the cause and the last acknowledged event; RocksDB then refuses every later
  // write, so the caller must stop writing.
  Status Write(const std::vector<const CommandWrite*>& group);

  StoreMemory Memory() const;
  // Safe from any thread; each counter is exact, but they are read one after the other.
  StoreWrites Writes() const;

  // The last seq acknowledged: the log's end at open, then that of each successful Write.
  std::uint64_t Acknowledged() const;
  // The acknowledged mark as read at open.
  const AckedMarkValue& MarkAtOpen() const;
  // kSalvage: empty, or why recovery had to stop at the first damage (what followed it is lost).
  const std::string& RecoveryNote() const;

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

  // Whether a command with this id was already applied. A failure's sentence names the cause and
  // the last acknowledged event.
  Status HasCommand(const std::string& id, bool* found);

  // A projection record (of the live generation); NotFound when there is none under `key`.
  Status GetRecord(const std::string& key, std::string* json);
  // Calls fn for each record whose key starts with `prefix` (not empty: its first byte names the
  // projection), in key order.
  Status ScanRecords(const std::string& prefix, const std::function<bool(const Record&)>& fn);
  // Calls fn for each live record of projection `p`, in key order.
  Status ScanProjection(ProjectionId p, const std::function<bool(const Record&)>& fn);

  // A named delivery cursor (an outbound webhook's last delivered seq), in the meta family beside
  // the format: written through the WAL like every event, so it survives kill -9. NotFound when
  // none was saved. Any thread; a failed save is the store's failure (later writes fail too).
  Status SaveCursor(const std::string& name, std::uint64_t seq);
  Status LoadCursor(const std::string& name, std::uint64_t* seq);

  // What the store holds of projection `p`. Safe from any thread.
  ProjectionMark Projection(ProjectionId p) const;

  // A rebuild (docs/ARCHITECTURE.md, "Projections"). The rebuilt records go under the next
  // generation of their projections, beside the live ones, which go on answering; TakeOver then
  // makes the next generation live and drops the old one in one batch. The projections are a bit
  // mask of ProjectionId. TakeOver must not run concurrently with Write (the journal calls it).
  Status DiscardRebuilt(unsigned projections);
  Status WriteRebuilt(const std::vector<Record>& records);
  Status TakeOver(unsigned projections, const std::vector<Record>& records, std::uint64_t checkpoint);

  // Snapshots (storage/snapshot.h), in the snapshots family under their seq. PutSnapshot writes one
  // as a table file of its own, ingested beside the others: it goes through neither the WAL nor the
  // memtables, so a snapshot of many megabytes neither delays acknowledgements nor fills the
  // memtable budget. The newest two are kept (when the newest does not verify, open takes the one
  // before). Any thread, one PutSnapshot at a time. ScanSnapshots calls fn newest first until it
  // returns false.
  Status PutSnapshot(std::uint64_t seq, const std::string& bytes);
  // PutSnapshot in two halves, for a snapshot made in a child process (fork): the child writes the
  // table file (WriteSnapshotFile takes no lock and starts no thread, so it is safe after fork() in
  // a process with other threads; call ForgetLockInChild first), the parent then ingests it
  // (IngestSnapshotFile, which returns its size; it removes the file whatever happens).
  Status WriteSnapshotFile(std::uint64_t seq, const std::string& bytes);
  Status IngestSnapshotFile(std::uint64_t seq, std::uint64_t* bytes);
  void ForgetLockInChild();
  Status ScanSnapshots(const std::function<bool(std::uint64_t seq, std::string_view bytes)>& fn);

  // Repair (docs/storage-format.md, "Repair"): ends the log after event `keep_through`. Deletes the
  // later events, the stream entries that point past it, and the ids of the commands recorded past
  // it (appended to `forgotten`, so that a client's retry is applied again) and the snapshots past
  // it; makes the result
  // durable without the WAL files it was recovered from, and resets the acknowledged mark. The
  // projections are then stale: rebuild them. Only where nothing else writes.
  Status CutLog(std::uint64_t keep_through, std::vector<std::string>* forgotten);

 private:
  struct Impl;
  explicit EventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace switchboard
