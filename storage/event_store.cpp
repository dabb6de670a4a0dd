#include "storage/event_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <rocksdb/write_buffer_manager.h>

#include <array>
#include <atomic>
#include <filesystem>
#include <limits>
#include <unordered_map>

#include "events/events_generated.h"
#include "storage/column_families.h"
#include "storage/dir_lock.h"
#include "storage/info_log.h"
#include "storage/wal_files.h"

namespace switchboard {
namespace {

// The info log of an untouched open: RocksDB would otherwise create (and rotate) LOG files.
class SilentLog : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char*, va_list) override {}
};

constexpr const char* kFormatKey = "format";
// Format 2 keeps each projection's records under a generation byte and checkpoints per projection;
// a format 1 store (one "desk" checkpoint, bare record keys) is upgraded at open by dropping its
// records, which are then rebuilt from the log.
constexpr const char* kFormatVersion = "2";
constexpr const char* kOldFormatVersion = "1";

// The one place where RocksDB statuses become ours.
Status FromRocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return Status::OK();
  if (s.IsNotFound()) return Status::NotFound(what);
  if (s.IsCorruption()) return Status::Corruption(std::string(what) + ": " + s.ToString());
  return Status::IOError(std::string(what) + ": " + s.ToString());
}

// One stream entry per stream per command: the key holds the first of the command's events in that
// stream, the value the gaps to the others (varints). A command's events mostly concern the same
// few streams, so this writes about half the keys of one entry per event.
void AddStreamEntries(rocksdb::WriteBatch& batch, rocksdb::ColumnFamilyHandle* cf,
                      const std::vector<std::string>& buffers) {
  struct Entry {
    std::string prefix;
    std::uint64_t first = 0, last = 0;
    std::string gaps;
  };
  std::vector<Entry> entries;
  auto note = [&](std::string prefix, std::uint64_t seq) {
    for (Entry& e : entries) {
      if (e.prefix != prefix) continue;
      for (std::uint64_t gap = seq - e.last;; gap >>= 7) {  // varint
        e.gaps.push_back(static_cast<char>((gap & 0x7f) | (gap >= 0x80 ? 0x80 : 0)));
        if (gap < 0x80) break;
      }
      e.last = seq;
      return;
    }
    entries.push_back({std::move(prefix), seq, seq, {}});
  };
  for (const std::string& buffer : buffers) {
    const fb::Event* e = fb::GetEvent(buffer.data());
    if (e->conversation() != 0) note(StreamPrefix(StreamKind::kConversation, e->conversation()), e->seq());
    if (e->ticket() != 0) note(StreamPrefix(StreamKind::kTicket, e->ticket()), e->seq());
    if (e->contact() != nullptr) note(StreamPrefix(StreamKind::kContact, e->contact()->string_view()), e->seq());
    if (e->agent() != nullptr) note(StreamPrefix(StreamKind::kAgent, e->agent()->string_view()), e->seq());
    if (e->by() != nullptr) note(StreamPrefix(StreamKind::kAgent, e->by()->string_view()), e->seq());
    if (e->payload_type() == fb::Payload::ConfigApplied) note(StreamPrefix(StreamKind::kConfig, 0), e->seq());
  }
  for (Entry& e : entries) {
    AppendBigEndian64(e.prefix, e.first);
    batch.Put(cf, e.prefix, e.gaps);
  }
}

// The part of a key before its trailing be64 seq: the whole log shares one (its keys are the seq),
// each stream has its own. Keys under one prefix arrive in increasing order, so RocksDB can insert
// each one right after the previous instead of searching the memtable skiplist from the top.
class BeforeSeq : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "switchboard.BeforeSeq"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    return rocksdb::Slice(key.data(), key.size() - 8);
  }
  bool InDomain(const rocksdb::Slice& key) const override { return key.size() >= 8; }
};

// A record's key in RocksDB: its projection's generation byte, then the record key.
std::string PhysicalKey(std::uint8_t generation, std::string_view key) {
  std::string out;
  out.reserve(key.size() + 1);
  out.push_back(static_cast<char>(generation));
  out.append(key);
  return out;
}

// A checkpoint value: be64 seq, be32 version, generation byte.
std::string MarkValue(std::uint64_t seq, std::uint32_t version, std::uint8_t generation) {
  std::string out;
  AppendBigEndian64(out, seq);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((version >> shift) & 0xff));
  out.push_back(static_cast<char>(generation));
  return out;
}

Status LastSeqOf(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* log, std::uint64_t* seq) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), log));
  it->SeekToLast();
  *seq = it->Valid() ? ReadBigEndian64(it->key().ToStringView()) : 0;
  return FromRocks(it->status(), "cannot read the end of the log");
}

// The number after `label` in a RocksDB message ("Missing WAL with log number: 12."), or 0.
std::uint64_t NumberAfter(const std::string& message, const std::string& label) {
  std::size_t at = message.find(label);
  if (at == std::string::npos) return 0;
  std::uint64_t n = 0;
  for (std::size_t i = at + label.size(); i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i) {
    n = n * 10 + static_cast<std::uint64_t>(message[i] - '0');
  }
  return n;
}

std::string RepairHint(const std::string& dir) {
  const std::string command = "`switchboard repair --db " + dir + "`";
  return command + " keeps the events that are left, says which are lost, and rebuilds the rest";
}

// Why RocksDB refused to open `dir`, in words that name the damaged WAL file and the way out.
Status OpenFailure(const std::string& dir, const rocksdb::Status& rs, const InfoLog* info_log) {
  const std::string rocks = rs.ToString();
  if (!rs.IsCorruption()) return FromRocks(rs, ("cannot open database " + dir).c_str());
  std::string what;
  std::vector<std::string> dropped = info_log != nullptr ? info_log->DroppedWalReports() : std::vector<std::string>();
  if (std::uint64_t n = NumberAfter(rocks, "Missing WAL with log number: ")) {
    what = "write-ahead log file " + WalFileName(n) + " is missing (" + rocks + ")";
  } else if (std::uint64_t m = NumberAfter(rocks, "WAL (log number: ")) {
    what = "write-ahead log file " + WalFileName(m) + " is shorter than what was synced to it (" + rocks + ")";
  } else if (!dropped.empty()) {
    // "000012.log: dropping 64 bytes; Corruption: checksum mismatch"
    const std::string& report = dropped.front();
    std::size_t colon = report.find(": ");
    what = "write-ahead log file " + report.substr(0, colon) + " is damaged (" + report.substr(colon + 2) + ")";
  } else {
    what = "the database is damaged (" + rocks + ")";
  }
  return Status::Corruption("cannot open database " + dir + ": " + what +
                            "; acknowledged events may be lost; write-ahead log files present: " +
                            DescribeWalFiles(dir) + "; " + RepairHint(dir));
}

bool ParseMark(std::string_view value, ProjectionMark* mark) {
  if (value.size() != 13) return false;
  mark->present = true;
  mark->checkpoint = ReadBigEndian64(value.substr(0, 8));
  mark->version = 0;
  for (int i = 8; i < 12; ++i) mark->version = (mark->version << 8) | static_cast<unsigned char>(value[i]);
  mark->generation = static_cast<std::uint8_t>(value[12]);
  return true;
}

// The RocksDB options of a store, and its column families.
rocksdb::Options DatabaseOptions(const StoreOptions& options, bool create, std::shared_ptr<InfoLog> info_log,
                                 std::vector<rocksdb::ColumnFamilyDescriptor>* descriptors) {
  rocksdb::Options db_options;
  if (options.env != nullptr) db_options.env = options.env;
  db_options.create_if_missing = create;
  db_options.create_missing_column_families = true;
  if (info_log) db_options.info_log = std::move(info_log);
  db_options.paranoid_checks = true;
  if (options.recovery == StoreRecovery::kStrict) {
    // A crash may leave the last WAL record half written: it was never acknowledged, and RocksDB
    // drops it. Any other damage (a checksum error in the middle, a record missing) fails the open,
    // where kPointInTimeRecovery, the default, would silently stop the log there.
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
    // The MANIFEST records each closed WAL's synced size: a missing or shortened one fails the open.
    db_options.track_and_verify_wals_in_manifest = true;
    // Recovery would otherwise flush what it read into SST files and delete the WAL files at once,
    // so an open refused afterwards (the acknowledged mark) would already have "repaired" the
    // database on less, and taken the evidence with it.
    db_options.avoid_flush_during_recovery = true;
  } else {
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kSkipAnyCorruptedRecords;
    db_options.track_and_verify_wals_in_manifest = false;  // a missing WAL is what we salvage around
    db_options.avoid_flush_during_recovery = false;        // keep what was read, without those WAL files
  }
  // One flush and one compaction at a time. Per database, not per process: the Env's thread pools
  // and their priorities are the process's (many engines share them), so no store changes them;
  // RocksDB only grows the pools to what its databases ask for.
  db_options.max_background_jobs = 2;
  // A flush writing a 64 MiB file and syncing it at the end makes the WAL's next fsync wait behind
  // all of it; syncing the file as it is written, a megabyte at a time, spreads that wait.
  db_options.bytes_per_sync = 1 << 20;
  db_options.allow_concurrent_memtable_write = false;  // one writer (the journal); lets insert hints work
  // One budget for all families' memtables (64 MiB by default, as one family's default): five families are
  // written by every command, and 64 MiB each (times two while one flushes) would be most of an engine's memory.
  db_options.db_write_buffer_size = options.write_buffer_bytes;
  db_options.write_buffer_manager = options.memtable_budget;  // when shared, it decides instead
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  // Index and filter blocks live in the block cache: otherwise every table file keeps its own in
  // memory as long as it is open, and memory grows with the log instead of staying at the cache's
  // size. Level 0's stay pinned (they are read on every lookup of a recent command id).
  table.block_cache = options.block_cache ? options.block_cache : rocksdb::NewLRUCache(options.block_cache_bytes);
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.write_buffer_size = options.write_buffer_bytes;
  for (int f = 0; f < kFamilyCount; ++f) {
    rocksdb::ColumnFamilyOptions options_for_family = cf_options;
    if (f == kLogFamily || f == kStreamsFamily) {
      options_for_family.memtable_insert_with_hint_prefix_extractor = std::make_shared<BeforeSeq>();
    }
    // A snapshot is read once and whole, at open: decompressing it cost more than reading it
    // (compactions of this family rewrite it, so its own files say it too, PutSnapshot).
    if (f == kSnapshotsFamily) options_for_family.compression = rocksdb::kNoCompression;
    descriptors->emplace_back(kFamilyNames[f], options_for_family);
  }
  return db_options;
}

}  // namespace

struct EventStore::Impl {
  std::unique_ptr<DirLock> lock;
  std::string dir;
  std::shared_ptr<InfoLog> info_log;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::WriteOptions write_options;
  AckedMarkValue mark_at_open;
  std::string recovery_note;        // kSalvage: why recovery had to stop at the damage, if it did
  std::unique_ptr<AckedMark> mark;  // null for a store opened existing_only (it writes no events)
  std::atomic<std::uint64_t> acknowledged{0};
  // Counters only (StoreWrites): relaxed, nothing is ordered by them.
  std::atomic<std::uint64_t> written_groups{0}, written_events{0}, written_keys{0}, written_bytes{0};
  // Read by queries on any thread, changed by the journal (Write, TakeOver) and at open.
  struct Mark {
    std::atomic<bool> present{false};
    std::atomic<std::uint64_t> checkpoint{0};
    std::atomic<std::uint32_t> version{0};
    std::atomic<std::uint8_t> generation{0};
  };
  std::array<Mark, kProjectionCount> marks;

  rocksdb::ColumnFamilyHandle* cf(ColumnFamily f) const { return families[f]; }
  std::string SnapshotPath(std::uint64_t seq) const;
  rocksdb::Options snapshot_file_options;  // the snapshots family's, for SstFileWriter

  // A failure after which nothing more may be written, in a sentence that says what was kept.
  Status Stopped(const std::string& what, const rocksdb::Status& rs) const {
    const bool no_space = rs.IsNoSpace();
    std::string sentence = what + ": " +
                           (no_space ? "no space left on device (" + rs.ToString() + ")" : rs.ToString()) +
                           "; nothing after event " + std::to_string(acknowledged.load()) + " was acknowledged; " +
                           (no_space ? "free space and restart" : "fix the cause and restart");
    return rs.IsCorruption() ? Status::Corruption(sentence) : Status::IOError(sentence);
  }

  std::uint8_t generation_of(std::string_view key) const {
    auto p = ProjectionOfKey(key);
    return p ? marks[*p].generation.load(std::memory_order_acquire) : 0;
  }

  // Writes records under the next generation of their projections (a rebuild's).
  void PutRebuilt(rocksdb::WriteBatch& batch, const std::vector<Record>& records) {
    for (const Record& r : records) {
      std::string key = PhysicalKey(generation_of(r.key) + 1, r.key);
      if (r.erase)
        batch.Delete(cf(kViewsFamily), key);
      else
        batch.Put(cf(kViewsFamily), key, r.json);
    }
  }

  // Drops every key of the projections in `mask` under `generation` (DeleteRange: O(1) to write).
  void DropGeneration(rocksdb::WriteBatch& batch, unsigned mask, bool next) {
    for (int p = 0; p < kProjectionCount; ++p) {
      if ((mask & (1u << p)) == 0) continue;
      std::uint8_t g = marks[p].generation.load() + (next ? 1 : 0);
      for (const char* head = Projections()[p].key_heads; *head != '\0'; ++head) {
        std::string from = PhysicalKey(g, std::string_view(head, 1));
        std::string to = PhysicalKey(g, std::string(1, static_cast<char>(*head + 1)));
        batch.DeleteRange(cf(kViewsFamily), from, to);
      }
    }
  }

  ~Impl() {
    for (auto* h : families) {
      if (h != nullptr) db->DestroyColumnFamilyHandle(h);
    }
    if (db) db->Close();
  }
};

EventStore::EventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventStore::~EventStore() = default;

std::shared_ptr<rocksdb::Cache> NewBlockCache(std::size_t bytes) { return rocksdb::NewLRUCache(bytes); }

std::shared_ptr<rocksdb::WriteBufferManager> NewMemtableBudget(std::size_t bytes) {
  return std::make_shared<rocksdb::WriteBufferManager>(bytes);
}

Status EventStore::Open(const std::string& dir, const StoreOptions& options, std::unique_ptr<EventStore>* out) {
  // A reader must not leave an empty database (or a lock file) behind in a directory it was
  // pointed at by mistake.
  std::error_code ec;
  const bool must_exist = options.existing_only || options.recovery == StoreRecovery::kSalvage;
  if (must_exist && !std::filesystem::exists(dir + "/CURRENT", ec)) return Status::NotFound("no database at " + dir);
  auto impl = std::make_unique<Impl>();
  impl->dir = dir;
  Status s = DirLock::Acquire(dir, !must_exist, &impl->lock);
  if (!s.ok()) return s;

  // Our own LOG writer: RocksDB's aborts the process when the disk is full (storage/info_log.h). An
  // untouched open writes no log at all.
  const bool untouched = options.existing_only && options.untouched;
  impl->info_log = untouched ? nullptr : InfoLog::Open(dir);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  rocksdb::Options db_options = DatabaseOptions(options, !must_exist, impl->info_log, &descriptors);
  bool had_wal_data = false;
  for (const WalFile& f : ListWalFiles(dir)) had_wal_data = had_wal_data || f.bytes > 0;
  rocksdb::DB* db = nullptr;
  if (untouched) db_options.info_log = std::make_shared<SilentLog>();
  rocksdb::Status rs = untouched ? rocksdb::DB::OpenForReadOnly(db_options, dir, descriptors, &impl->families, &db)
                                 : rocksdb::DB::Open(db_options, dir, descriptors, &impl->families, &db);
  if (rs.IsCorruption() && options.recovery == StoreRecovery::kSalvage) {
    // RocksDB 7.8 cannot skip a damaged fragment in the middle of a record spread over several
    // blocks when a fragmented record follows it: the record checksum it then computes still holds
    // the dropped fragments, and recovery fails ("Write batch content corrupted"). Point-in-time
    // recovery stops at the first damage instead: the gap-free prefix, without what follows it.
    impl->recovery_note = "RocksDB could not read past the damage (" + rs.ToString() +
                          "), so whatever followed it in the write-ahead log is lost without a copy";
    db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
    impl->families.clear();
    rs = rocksdb::DB::Open(db_options, dir, descriptors, &impl->families, &db);
  }
  if (!rs.ok()) return OpenFailure(dir, rs, impl->info_log.get());
  impl->db.reset(db);
  impl->write_options.sync = options.sync;
  impl->snapshot_file_options = rocksdb::Options(db->GetDBOptions(), db->GetOptions(impl->cf(kSnapshotsFamily)));
  impl->snapshot_file_options.compression = rocksdb::kNoCompression;  // as the family (DatabaseOptions)
  if (!must_exist) {
    // A snapshot file left by a process killed between writing and ingesting it.
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.rfind("snapshot-", 0) == 0 && entry.path().extension() == ".sst") std::filesystem::remove(entry, ec);
    }
  }

  // The log must reach the acknowledged mark; RocksDB cannot tell a live WAL cut short from one
  // that was never longer. Checked before anything is written.
  std::uint64_t last = 0;
  s = LastSeqOf(*db, impl->cf(kLogFamily), &last);
  if (!s.ok()) return s;
  impl->acknowledged = last;
  impl->mark_at_open = AckedMark::Read(dir);
  const AckedMarkValue& acked = impl->mark_at_open;
  if (options.recovery == StoreRecovery::kStrict && acked.present && acked.seq > last) {
    return Status::Corruption(
        "database " + dir + " has lost acknowledged events: events up to " + std::to_string(acked.seq) +
        " were acknowledged" +
        (acked.synced ? "" : " (with buffered durability, which survives a killed process but not a machine crash)") +
        " but the log ends at event " + std::to_string(last) + ", so " + std::to_string(acked.seq - last) +
        " acknowledged events are missing, from event " + std::to_string(last + 1) +
        " on; write-ahead log files present: " + DescribeWalFiles(dir) + "; " + RepairHint(dir));
  }

  std::string format;
  rs = db->Get(rocksdb::ReadOptions(), impl->cf(kMetaFamily), kFormatKey, &format);
  if (rs.IsNotFound() && options.existing_only) {
    // Created but never written to (its first open stopped early): nothing to read, nothing to write.
  } else if (rs.IsNotFound()) {
    rs = db->Put(impl->write_options, impl->cf(kMetaFamily), kFormatKey, kFormatVersion);
    if (!rs.ok()) return FromRocks(rs, "cannot write the format version");
  } else if (!rs.ok()) {
    return FromRocks(rs, "cannot read the format version");
  } else if (format == kOldFormatVersion) {
    rocksdb::WriteBatch upgrade;
    upgrade.DeleteRange(impl->cf(kViewsFamily), rocksdb::Slice(""), rocksdb::Slice("\xff\xff"));
    upgrade.DeleteRange(impl->cf(kCheckpointsFamily), rocksdb::Slice(""), rocksdb::Slice("\xff\xff"));
    upgrade.Put(impl->cf(kMetaFamily), kFormatKey, kFormatVersion);
    rs = db->Write(impl->write_options, &upgrade);
    if (!rs.ok()) return FromRocks(rs, "cannot upgrade the format");
  } else if (format != kFormatVersion) {
    return Status::InvalidArgument("database " + dir + " has format " + format + "; this build reads format " +
                                   kFormatVersion);
  }
  for (int p = 0; p < kProjectionCount; ++p) {
    std::string value;
    rs = db->Get(rocksdb::ReadOptions(), impl->cf(kCheckpointsFamily), Projections()[p].name, &value);
    if (rs.IsNotFound()) continue;
    ProjectionMark mark;
    if (!rs.ok() || !ParseMark(value, &mark)) {
      return rs.ok() ? Status::Corruption(std::string("the checkpoint of projection ") + Projections()[p].name +
                                          " is not readable")
                     : FromRocks(rs, "cannot read the projection checkpoints");
    }
    impl->marks[p].present = true;
    impl->marks[p].checkpoint = mark.checkpoint;
    impl->marks[p].version = mark.version;
    impl->marks[p].generation = mark.generation;
  }
  if (!options.existing_only) {
    if (options.recovery == StoreRecovery::kStrict) {
      // The log is whole: now put what recovery read into SST files, so that the WAL files of the
      // previous run are deleted. Kept, they would be live WALs whose synced size the MANIFEST does
      // not know, and damage to them, other than at the log's end, would go unnoticed at the next open.
      // (What RocksDB does during recovery by default, only after the checks.) Waited for: a flush
      // left to the background is dropped when the database is closed soon after.
      if (had_wal_data) {
        rocksdb::FlushOptions flush;
        flush.wait = true;
        rs = db->Flush(flush, impl->families);
        if (!rs.ok())
          return FromRocks(rs, ("cannot open database " + dir + ": the recovered log cannot be flushed").c_str());
      }
    }
    s = AckedMark::Open(dir, &impl->mark);
    if (!s.ok()) return s;
    // A database from before the mark, or one whose mark was unreadable, starts from its log's end.
    if (!acked.present || acked.seq < last) {
      s = impl->mark->Write(last, options.sync);
      if (!s.ok()) return s;
    }
  }
  out->reset(new EventStore(std::move(impl)));
  return Status::OK();
}

Status EventStore::Write(const std::vector<const CommandWrite*>& group) {
  rocksdb::WriteBatch batch;
  std::uint64_t last = 0, events = 0;
  // A record changed by several commands of the group is written once, in its last version: the
  // batch is atomic, so nobody can see the versions in between.
  std::unordered_map<std::string_view, const Record*> latest;
  std::vector<const Record*> order;
  for (const CommandWrite* w : group) {
    for (const std::string& buffer : w->events) {
      batch.Put(impl_->cf(kLogFamily), LogKey(fb::GetEvent(buffer.data())->seq()), buffer);
    }
    events += w->events.size();
    AddStreamEntries(batch, impl_->cf(kStreamsFamily), w->events);
    if (!w->command_id.empty()) batch.Put(impl_->cf(kCommandsFamily), w->command_id, LogKey(w->last_seq));
    for (const Record& r : w->records) {
      auto [it, fresh] = latest.try_emplace(r.key, &r);
      if (fresh)
        order.push_back(&r);
      else
        it->second = &r;
    }
    last = w->last_seq;
  }
  for (const Record* first : order) {
    const Record& r = *latest[first->key];
    std::string key = PhysicalKey(impl_->generation_of(r.key), r.key);
    if (r.erase)
      batch.Delete(impl_->cf(kViewsFamily), key);
    else
      batch.Put(impl_->cf(kViewsFamily), key, r.json);
  }
  // Every projection consumes every event, so each checkpoint moves with the log; a projection
  // never built (not present) gets its first checkpoint when a rebuild takes over.
  for (int p = 0; p < kProjectionCount; ++p) {
    Impl::Mark& m = impl_->marks[p];
    if (!m.present) continue;
    batch.Put(impl_->cf(kCheckpointsFamily), Projections()[p].name, MarkValue(last, m.version, m.generation));
  }
  rocksdb::Status rs = impl_->db->Write(impl_->write_options, &batch);
  if (!rs.ok()) return impl_->Stopped("the log cannot be written", rs);
  impl_->written_groups.fetch_add(1, std::memory_order_relaxed);
  impl_->written_events.fetch_add(events, std::memory_order_relaxed);
  impl_->written_keys.fetch_add(batch.Count(), std::memory_order_relaxed);
  impl_->written_bytes.fetch_add(batch.GetDataSize(), std::memory_order_relaxed);
  for (Impl::Mark& m : impl_->marks) {
    if (m.present) m.checkpoint.store(last, std::memory_order_release);
  }
  impl_->acknowledged.store(last, std::memory_order_release);
  // After the WAL write (and its sync), never before: the mark must not run ahead of the log. A
  // failed mark write loses no event; it only leaves the mark behind, so it is not an error here.
  if (impl_->mark) (void)impl_->mark->Write(last, impl_->write_options.sync);
  return Status::OK();
}

StoreWrites EventStore::Writes() const {
  StoreWrites w;
  w.groups = impl_->written_groups.load(std::memory_order_relaxed);
  w.events = impl_->written_events.load(std::memory_order_relaxed);
  w.keys = impl_->written_keys.load(std::memory_order_relaxed);
  w.bytes = impl_->written_bytes.load(std::memory_order_relaxed);
  return w;
}

StoreMemory EventStore::Memory() const {
  StoreMemory m;
  rocksdb::DB& db = *impl_->db;
  (void)db.GetAggregatedIntProperty(rocksdb::DB::Properties::kCurSizeAllMemTables, &m.memtables);
  (void)db.GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimateTableReadersMem, &m.table_readers);
  (void)db.GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &m.block_cache);
  std::uint64_t flushes = 0, compactions = 0;
  (void)db.GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &flushes);
  (void)db.GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &compactions);
  m.background_jobs = flushes + compactions;
  return m;
}

std::uint64_t EventStore::Acknowledged() const { return impl_->acknowledged.load(std::memory_order_acquire); }

const AckedMarkValue& EventStore::MarkAtOpen() const { return impl_->mark_at_open; }

const std::string& EventStore::RecoveryNote() const { return impl_->recovery_note; }

Status EventStore::LastSeq(std::uint64_t* seq) { return LastSeqOf(*impl_->db, impl_->cf(kLogFamily), seq); }

Status EventStore::ScanLog(std::uint64_t from, const std::function<bool(std::uint64_t, std::string_view)>& fn) {
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;
  ro.fill_cache = false;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(kLogFamily)));
  // FlatBuffers reads scalars in place, so a buffer must be aligned; values inside RocksDB blocks
  // are not. One reused string (heap data, 16-byte aligned) holds each value in turn.
  std::string aligned;
  for (it->Seek(LogKey(from)); it->Valid(); it->Next()) {
    aligned.assign(it->value().data(), it->value().size());
    if (!fn(ReadBigEndian64(it->key().ToStringView()), aligned)) break;
  }
  return FromRocks(it->status(), "cannot read the log");
}

Status EventStore::ScanStream(const std::string& prefix, const std::function<bool(std::uint64_t)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kStreamsFamily)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (it->key().size() != prefix.size() + 8) continue;  // a longer id that shares the prefix
    std::uint64_t seq = ReadBigEndian64(it->key().ToStringView().substr(prefix.size()));
    if (!fn(seq)) return Status::OK();
    std::uint64_t gap = 0;
    int shift = 0;
    for (char c : it->value().ToStringView()) {
      gap |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      shift += 7;
      if (c & 0x80) continue;
      seq += gap;
      if (!fn(seq)) return Status::OK();
      gap = 0;
      shift = 0;
    }
  }
  return FromRocks(it->status(), "cannot read a stream");
}

Status EventStore::ReadEvent(std::uint64_t seq, std::string* buffer) {
  return FromRocks(impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kLogFamily), LogKey(seq), buffer), "no such event");
}

Status EventStore::HasCommand(const std::string& id, bool* found) {
  std::string value;
  rocksdb::Status rs = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kCommandsFamily), id, &value);
  *found = rs.ok();
  if (rs.ok() || rs.IsNotFound()) return Status::OK();
  return impl_->Stopped("the applied command ids cannot be read", rs);
}

Status EventStore::GetRecord(const std::string& key, std::string* json) {
  return FromRocks(impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kViewsFamily),
                                  PhysicalKey(impl_->generation_of(key), key), json),
                   "no such record");
}

namespace {
std::string CursorKey(const std::string& name) { return "cursor/" + name; }
}  // namespace

Status EventStore::SaveCursor(const std::string& name, std::uint64_t seq) {
  std::string value;
  AppendBigEndian64(value, seq);
  return FromRocks(impl_->db->Put(impl_->write_options, impl_->cf(kMetaFamily), CursorKey(name), value),
                   "saving a delivery cursor");
}

Status EventStore::LoadCursor(const std::string& name, std::uint64_t* seq) {
  std::string value;
  Status s = FromRocks(impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kMetaFamily), CursorKey(name), &value),
                       "no such cursor");
  if (!s.ok()) return s;
  if (value.size() != 8) return Status::Corruption("delivery cursor " + name + " is not 8 bytes");
  *seq = ReadBigEndian64(value);
  return Status::OK();
}

Status EventStore::ScanRecords(const std::string& prefix, const std::function<bool(const Record&)>& fn) {
  const std::string physical = PhysicalKey(impl_->generation_of(prefix), prefix);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kViewsFamily)));
  for (it->Seek(physical); it->Valid() && it->key().starts_with(physical); it->Next()) {
    rocksdb::Slice key = it->key();
    key.remove_prefix(1);
    if (!fn(Record{key.ToString(), it->value().ToString()})) break;
  }
  return FromRocks(it->status(), "cannot read the projection records");
}

Status EventStore::ScanProjection(ProjectionId p, const std::function<bool(const Record&)>& fn) {
  bool more = true;
  for (const char* head = Projections()[p].key_heads; *head != '\0' && more; ++head) {
    Status s = ScanRecords(std::string(1, *head), [&](const Record& r) { return more = fn(r); });
    if (!s.ok()) return s;
  }
  return Status::OK();
}

ProjectionMark EventStore::Projection(ProjectionId p) const {
  const Impl::Mark& m = impl_->marks[p];
  ProjectionMark out;
  out.present = m.present;
  out.checkpoint = m.checkpoint;
  out.version = m.version;
  out.generation = m.generation;
  return out;
}

Status EventStore::DiscardRebuilt(unsigned projections) {
  rocksdb::WriteBatch batch;
  impl_->DropGeneration(batch, projections, /*next=*/true);
  return FromRocks(impl_->db->Write(impl_->write_options, &batch), "cannot drop a rebuild's leftovers");
}

Status EventStore::WriteRebuilt(const std::vector<Record>& records) {
  rocksdb::WriteBatch batch;
  impl_->PutRebuilt(batch, records);
  // Not synced: a crash in the middle of a rebuild restarts it (its leftovers are discarded).
  rocksdb::WriteOptions wo;
  wo.sync = false;
  return FromRocks(impl_->db->Write(wo, &batch), "cannot write rebuilt projection records");
}

Status EventStore::TakeOver(unsigned projections, const std::vector<Record>& records, std::uint64_t checkpoint) {
  rocksdb::WriteBatch batch;
  impl_->PutRebuilt(batch, records);
  impl_->DropGeneration(batch, projections, /*next=*/false);
  for (int p = 0; p < kProjectionCount; ++p) {
    if ((projections & (1u << p)) == 0) continue;
    std::uint8_t next = impl_->marks[p].generation + 1;
    batch.Put(impl_->cf(kCheckpointsFamily), Projections()[p].name,
              MarkValue(checkpoint, Projections()[p].version, next));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  Status s = FromRocks(impl_->db->Write(wo, &batch), "cannot switch to the rebuilt projections");
  if (!s.ok()) return s;
  for (int p = 0; p < kProjectionCount; ++p) {
    if ((projections & (1u << p)) == 0) continue;
    Impl::Mark& m = impl_->marks[p];
    m.checkpoint = checkpoint;
    m.version = Projections()[p].version;
    m.present = true;
    m.generation.store(m.generation + 1, std::memory_order_release);
  }
  return Status::OK();
}

Status EventStore::PutSnapshot(std::uint64_t seq, const std::string& bytes) {
  Status s = WriteSnapshotFile(seq, bytes);
  std::uint64_t size = 0;
  return s.ok() ? IngestSnapshotFile(seq, &size) : s;
}

std::string EventStore::Impl::SnapshotPath(std::uint64_t seq) const {
  return dir + "/snapshot-" + std::to_string(seq) + ".sst";
}

void EventStore::ForgetLockInChild() {
  if (impl_->lock) impl_->lock->ForgetInChild();
}

Status EventStore::WriteSnapshotFile(std::uint64_t seq, const std::string& bytes) {
  // The options were copied at open: asking the database for them takes its mutex, which another
  // thread of a forked parent may have held at the fork.
  rocksdb::SstFileWriter writer(rocksdb::EnvOptions(), impl_->snapshot_file_options, impl_->cf(kSnapshotsFamily));
  rocksdb::Status rs = writer.Open(impl_->SnapshotPath(seq));
  if (rs.ok()) rs = writer.Put(LogKey(seq), bytes);
  if (rs.ok()) rs = writer.Finish();
  return FromRocks(rs, ("cannot write the snapshot of event " + std::to_string(seq)).c_str());
}

Status EventStore::IngestSnapshotFile(std::uint64_t seq, std::uint64_t* bytes) {
  rocksdb::ColumnFamilyHandle* cf = impl_->cf(kSnapshotsFamily);
  const std::string path = impl_->SnapshotPath(seq);
  std::error_code ec;
  *bytes = std::filesystem::file_size(path, ec);
  if (ec) *bytes = 0;
  rocksdb::IngestExternalFileOptions ingest;
  ingest.move_files = true;  // linked into the database, not copied
  rocksdb::Status rs = impl_->db->IngestExternalFile(cf, {path}, ingest);
  std::filesystem::remove(path, ec);  // moved in, or left over by a failure
  if (!rs.ok()) return FromRocks(rs, ("cannot ingest the snapshot of event " + std::to_string(seq)).c_str());
  // Keep this one and the one before it.
  std::vector<std::string> older;
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), cf));
  for (it->Seek(LogKey(seq)), it->Prev(); it->Valid(); it->Prev()) older.push_back(it->key().ToString());
  if (!it->status().ok()) return FromRocks(it->status(), "cannot list the snapshots");
  if (older.size() <= 1) return Status::OK();
  rocksdb::WriteBatch batch;
  for (std::size_t i = 1; i < older.size(); ++i) batch.Delete(cf, older[i]);
  rocksdb::WriteOptions wo;
  wo.sync = false;  // an old snapshot that comes back after a crash is only deleted again
  return FromRocks(impl_->db->Write(wo, &batch), "cannot delete old snapshots");
}

Status EventStore::ScanSnapshots(const std::function<bool(std::uint64_t, std::string_view)>& fn) {
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;  // one block the size of the snapshot, read once
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(kSnapshotsFamily)));
  for (it->SeekToLast(); it->Valid(); it->Prev()) {
    if (it->key().size() != 8) continue;  // not a snapshot key
    if (!fn(ReadBigEndian64(it->key().ToStringView()), it->value().ToStringView())) break;
  }
  return FromRocks(it->status(), "cannot read the snapshots");
}

Status EventStore::CutLog(std::uint64_t keep_through, std::vector<std::string>* forgotten) {
  if (!impl_->mark) return Status::InvalidArgument("a store opened existing_only cannot be cut");
  rocksdb::WriteBatch batch;
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  {
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(kCommandsFamily)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (it->value().size() != 8 || ReadBigEndian64(it->value().ToStringView()) <= keep_through) continue;
      forgotten->push_back(it->key().ToString());
      batch.Delete(impl_->cf(kCommandsFamily), it->key());
    }
    if (!it->status().ok()) return FromRocks(it->status(), "cannot read the applied command ids");
  }
  {
    // A stream entry covers one command's events in that stream: dropped when the command began past
    // the cut, shortened when some of its events lie past it.
    std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(kStreamsFamily)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      std::string_view key = it->key().ToStringView();
      if (key.size() < 8) continue;
      std::uint64_t seq = ReadBigEndian64(key.substr(key.size() - 8));
      if (seq > keep_through) {
        batch.Delete(impl_->cf(kStreamsFamily), it->key());
        continue;
      }
      std::string_view gaps = it->value().ToStringView();
      std::size_t kept = 0;
      std::uint64_t gap = 0;
      int shift = 0;
      for (std::size_t i = 0; i < gaps.size(); ++i) {
        gap |= static_cast<std::uint64_t>(gaps[i] & 0x7f) << shift;
        shift += 7;
        if (gaps[i] & 0x80) continue;
        seq += gap;
        if (seq > keep_through) break;
        kept = i + 1;
        gap = 0;
        shift = 0;
      }
      if (kept != gaps.size()) batch.Put(impl_->cf(kStreamsFamily), it->key(), rocksdb::Slice(gaps.data(), kept));
    }
    if (!it->status().ok()) return FromRocks(it->status(), "cannot read the stream index");
  }
  if (keep_through < std::numeric_limits<std::uint64_t>::max()) {
    batch.DeleteRange(impl_->cf(kLogFamily), LogKey(keep_through + 1), std::string(9, '\xff'));
    // A snapshot past the cut is of events no longer in the log (open would ignore it anyway).
    batch.DeleteRange(impl_->cf(kSnapshotsFamily), LogKey(keep_through + 1), std::string(9, '\xff'));
  }
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status rs = impl_->db->Write(wo, &batch);
  if (!rs.ok()) return FromRocks(rs, "cannot cut the log");
  // Into SST files: the database no longer needs the WAL files it was salvaged from, and the next
  // (strict) open does not read them again.
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rs = impl_->db->Flush(flush, impl_->families);
  if (!rs.ok()) return FromRocks(rs, "cannot flush the repaired log");
  impl_->acknowledged = keep_through;
  return impl_->mark->Write(keep_through, impl_->write_options.sync);
}

}  // namespace switchboard
