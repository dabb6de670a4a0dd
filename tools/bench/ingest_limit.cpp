// ingest_limit: the ceiling for durable ingest on this machine. Takes the events of an existing log
// (written by `switchboard run`) and writes the same bytes straight into a fresh RocksDB, keyed by
// big-endian seq, one WriteBatch per --batch events with the same durability; no actors, no rules,
// no projections. Prints events/s. `switchboard run` on the same input is then compared against it.
//
//   ingest_limit --from DB --to EMPTY_DIR [--batch 1000] [--buffered]
#include <CLI/CLI.hpp>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstdio>

#include "storage/event_store.h"

int main(int argc, char** argv) {
  std::string from, to;
  std::size_t batch_size = 1000;
  bool buffered = false;
  CLI::App app{"Write a log's events straight to RocksDB: the durable-ingest limit"};
  app.add_option("--from", from, "Database written by switchboard run")->required();
  app.add_option("--to", to, "Empty directory for the raw RocksDB")->required();
  app.add_option("--batch", batch_size, "Events per WriteBatch");
  app.add_flag("--buffered", buffered, "Do not fsync the WAL (as --durability buffered)");
  CLI11_PARSE(app, argc, argv);

  std::vector<std::string> events;
  {
    std::unique_ptr<switchboard::EventStore> store;
    switchboard::Status s = switchboard::EventStore::Open(from, {}, &store);
    if (!s.ok()) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 2;
    }
    (void)store->ScanLog(1, [&](std::uint64_t, std::string_view bytes) {
      events.emplace_back(bytes);
      return true;
    });
  }
  rocksdb::Options options;
  options.create_if_missing = true;
  options.write_buffer_size = 64 << 20;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status rs = rocksdb::DB::Open(options, to, &raw);
  if (!rs.ok()) {
    std::fprintf(stderr, "%s\n", rs.ToString().c_str());
    return 2;
  }
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::WriteOptions wo;
  wo.sync = !buffered;
  std::size_t bytes = 0;
  auto start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < events.size(); i += batch_size) {
    rocksdb::WriteBatch batch;
    for (std::size_t j = i; j < std::min(events.size(), i + batch_size); ++j) {
      std::string key;
      for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>(((j + 1) >> shift) & 0xff));
      batch.Put(key, events[j]);
      bytes += events[j].size();
    }
    rs = db->Write(wo, &batch);
    if (!rs.ok()) {
      std::fprintf(stderr, "%s\n", rs.ToString().c_str());
      return 1;
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "{\"events\":%zu,\"mean_event_bytes\":%zu,\"batch\":%zu,\"sync\":%s,\"seconds\":%.3f,\"events_per_s\":%.0f}\n",
      events.size(), events.empty() ? 0 : bytes / events.size(), batch_size, buffered ? "false" : "true", seconds,
      events.size() / seconds);
  return 0;
}
