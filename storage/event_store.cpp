#include "storage/event_store.h"

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <unordered_map>

#include "events/events_generated.h"
#include "storage/column_families.h"
#include "storage/dir_lock.h"

namespace switchboard {
namespace {

constexpr const char* kFormatKey = "format";
constexpr const char* kFormatVersion = "1";
constexpr const char* kDeskCheckpoint = "desk";

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

}  // namespace

struct EventStore::Impl {
  std::unique_ptr<DirLock> lock;
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> families;
  rocksdb::WriteOptions write_options;

  rocksdb::ColumnFamilyHandle* cf(ColumnFamily f) const { return families[f]; }

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
  db_options.allow_concurrent_memtable_write = false;  // one writer (the journal); lets insert hints work
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
  } else if (format != kFormatVersion) {
    return Status::InvalidArgument("database " + dir + " has format " + format + "; this build reads format " +
                                   kFormatVersion);
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
    if (r.erase)
      batch.Delete(impl_->cf(kViewsFamily), r.key);
    else
      batch.Put(impl_->cf(kViewsFamily), r.key, r.json);
  }
  batch.Put(impl_->cf(kCheckpointsFamily), kDeskCheckpoint, LogKey(last));
  return FromRocks(impl_->db->Write(impl_->write_options, &batch), "cannot write to the log");
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
  return FromRocks(impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kViewsFamily), key, json), "no such record");
}

Status EventStore::ScanRecords(const std::string& prefix, const std::function<bool(const Record&)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(kViewsFamily)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!fn(Record{it->key().ToString(), it->value().ToString()})) break;
  }
  return FromRocks(it->status(), "cannot read the projection records");
}

Status EventStore::Checkpoint(std::uint64_t* seq) {
  std::string value;
  rocksdb::Status rs = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(kCheckpointsFamily), kDeskCheckpoint, &value);
  *seq = rs.ok() && value.size() == 8 ? ReadBigEndian64(value) : 0;
  return rs.IsNotFound() ? Status::OK() : FromRocks(rs, "cannot read the projection checkpoint");
}

Status EventStore::ReplaceRecords(const std::vector<Record>& records, std::uint64_t checkpoint) {
  rocksdb::WriteBatch batch;
  batch.DeleteRange(impl_->cf(kViewsFamily), rocksdb::Slice(""), rocksdb::Slice("\xff\xff"));
  for (const Record& r : records) batch.Put(impl_->cf(kViewsFamily), r.key, r.json);
  batch.Put(impl_->cf(kCheckpointsFamily), kDeskCheckpoint, LogKey(checkpoint));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  return FromRocks(impl_->db->Write(wo, &batch), "cannot write the rebuilt projection records");
}

}  // namespace switchboard
