#include "tools/bench/raw_log.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <chrono>
#include <memory>

#include "storage/column_families.h"
#include "storage/event_store.h"
#include "tools/bench/process_cpu.h"

namespace switchboard {
namespace {

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Status Rocks(const rocksdb::Status& s) { return s.ok() ? Status::OK() : Status::IOError(s.ToString()); }

}  // namespace

Status ReadLogEvents(const std::string& db, std::vector<std::string>* events) {
  std::unique_ptr<EventStore> store;
  Status s = EventStore::Open(db, {}, &store);
  if (!s.ok()) return s;
  return store->ScanLog(1, [&](std::uint64_t, std::string_view bytes) {
    events->emplace_back(bytes);
    return true;
  });
}

Status WriteRawLog(const std::vector<std::string>& events, const std::string& dir, std::size_t batch, bool sync,
                   RawWrite* out) {
  *out = RawWrite();
  batch = std::max<std::size_t>(batch, 1);
  rocksdb::Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 64 << 20;  // as the engine's families
  rocksdb::DB* raw = nullptr;
  rocksdb::Status rs = rocksdb::DB::Open(options, dir, &raw);
  if (!rs.ok()) return Rocks(rs);
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  const double cpu_start = bench::CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  std::string key(8, '\0');
  for (std::size_t i = 0; i < events.size(); i += batch) {
    rocksdb::WriteBatch wb;
    for (std::size_t j = i; j < std::min(events.size(), i + batch); ++j) {
      for (int b = 0; b < 8; ++b) key[b] = static_cast<char>(((j + 1) >> (56 - 8 * b)) & 0xff);
      wb.Put(key, events[j]);
    }
    rs = db->Write(wo, &wb);
    if (!rs.ok()) return Rocks(rs);
    ++out->writes;
    out->bytes += wb.GetDataSize();
  }
  out->seconds = Since(start);
  out->cpu_seconds = bench::CpuSeconds() - cpu_start;
  return Status::OK();
}

Status ScanRawLog(const std::string& dir, std::uint64_t* count, double* seconds) {
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const char* name : kFamilyNames) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  // As the engine opens it (storage/event_store.cpp): its MANIFEST tracks the WAL files, and RocksDB
  // 7.8 opening such a database read-only without tracking aborts the process (it tries to record
  // that it stopped tracking them, which a read-only open cannot).
  rocksdb::DBOptions options;
  options.track_and_verify_wals_in_manifest = true;
  rocksdb::Status rs = rocksdb::DB::OpenForReadOnly(options, dir, families, &handles, &raw);
  if (!rs.ok()) return Rocks(rs);
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ReadOptions ro;
  ro.readahead_size = 2 << 20;  // as EventStore::ScanLog
  ro.fill_cache = false;
  auto start = std::chrono::steady_clock::now();
  std::uint64_t n = 0;
  volatile std::uint64_t bytes = 0;  // touched, so the reads are not optimized away
  {
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, handles[kLogFamily]));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      bytes += it->value().size();  // touch the value, as a reader would
      ++n;
    }
    rs = it->status();
  }
  (void)bytes;  // only written on purpose; this read keeps clang's -Wunused-but-set-variable quiet
  *seconds = Since(start);
  *count = n;
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  return Rocks(rs);
}

}  // namespace switchboard
