#include "storage/event_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <array>
#include <atomic>
#include <unordered_map>

#include "events/events_generated.h"
#include "storage/column_families.h"
#include "storage/dir_lock.h"

namespace switchboard {
namespace {

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

bool ParseMark(std::string_view value, ProjectionMark* mark) {
  if (value.size() != 13) return false;
  mark->present = true;
  mark->checkpoint = ReadBigEndian64(value.substr(0, 8));
  mark->version = 0;
  for (int i = 8; i < 12; ++i) mark->version = (mark->version << 8) | static_cast<unsigned char>(value[i]);
  mark->generation = static_cast<std::uint8_t>(value[12]);
  return true;
}

}  // namespace

struct EventStore::Impl {
  std::unique_ptr<DirLock> lock;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::WriteOptions write_options;
  // Read by queries on any thread, changed by the journal (Write, TakeOver) and at open.
  struct Mark {
    std::atomic<bool> present{false};
    std::atomic<std::uint64_t> checkpoint{0};
    std::atomic<std::uint32_t> version{0};
    std::atomic<std::uint8_t> generation{0};
  };
  std::array<Mark, kProjectionCount> marks;

  rocksdb::ColumnFamilyHandle* cf(ColumnFamily f) const { return families[f]; }

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

Status EventStore::Open(const std::string& dir, const StoreOptions& options, std::unique_ptr<EventStore>* out) {
  auto impl = std::make_unique<Impl>();
  Status s = DirLock::Acquire(dir, &impl->lock);
  if (!s.ok()) return s;

  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.IncreaseParallelism(2);
  // Flushes and compactions run below the deciding and writing threads: on two cores they would
  // otherwise take the CPU from commands in bursts (latency tails).
  db_options.env->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::HIGH);
  db_options.env->LowerThreadPoolCPUPriority(rocksdb::Env::Priority::LOW);
  // A flush writing a 64 MiB file and syncing it at the end makes the WAL's next fsync wait behind
  // all of it; syncing the file as it is written, a megabyte at a time, spreads that wait.
  db_options.bytes_per_sync = 1 << 20;
  db_options.allow_concurrent_memtable_write = false;  // one writer (the journal); lets insert hints work
  // One 64 MiB budget for all families' memtables (as one family's default): five families are written by every
  // command, and 64 MiB each (times two while one flushes) would be most of an engine's resident memory.
  db_options.db_write_buffer_size = 64 << 20;
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions cf_options;
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  cf_options.write_buffer_size = 64 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (int f = 0; f < kFamilyCount; ++f) {
    rocksdb::ColumnFamilyOptions options_for_family = cf_options;
    if (f == kLogFamily || f == kStreamsFamily) {
      options_for_family.memtable_insert_with_hint_prefix_extractor = std::make_shared<BeforeSeq>();
    }
    descriptors.emplace_back(kFamilyNames[f], options_for_family);
  }

  rocksdb::DB* db = nullptr;
  rocksdb::Status rs = rocksdb::DB::Open(db_options, dir, descriptors, &impl->families, &db);
  if (!rs.ok()) return FromRocks(rs, ("cannot open database " + dir).c_str());
  impl->db.reset(db);
  impl->write_options.sync = options.sync;

  std::string format;
  rs = db->Get(rocksdb::ReadOptions(), impl->cf(kMetaFamily), kFormatKey, &format);
  if (rs.IsNotFound()) {
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
  out->reset(new EventStore(std::move(impl)));
  return Status::OK();
}

Status EventStore::Write(const std::vector<const CommandWrite*>& group) {
  rocksdb::WriteBatch batch;
  std::uint64_t last = 0;
  // A record changed by several commands of the group is written once, in its last version: the
  // batch is atomic, so nobody can see the versions in between.
  std::unordered_map<std::string_view, const Record*> latest;
  std::vector<const Record*> order;
  for (const CommandWrite* w : group) {
    for (const std::string& buffer : w->events) {
      batch.Put(impl_->cf(kLogFamily), LogKey(fb::GetEvent(buffer.data())->seq()), buffer);
    }
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
  Status s = FromRocks(impl_->db->Write(impl_->write_options, &batch), "cannot write to the log");
  if (s.ok()) {
    for (Impl::Mark& m : impl_->marks) {
      if (m.present) m.checkpoint.store(last, std::memory_order_release);
    }
  }
  return s;
}

Status EventStore::LastSeq(std::uint64_t* seq) {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kLogFamily)));
  it->SeekToLast();
  *seq = it->Valid() ? ReadBigEndian64(it->key().ToStringView()) : 0;
  return FromRocks(it->status(), "cannot read the end of the log");
}

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
  return rs.IsNotFound() ? Status::OK() : FromRocks(rs, "cannot read the applied command ids");
}

Status EventStore::GetRecord(const std::string& key, std::string* json) {
  return FromRocks(impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kViewsFamily),
                                  PhysicalKey(impl_->generation_of(key), key), json),
                   "no such record");
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

}  // namespace switchboard
