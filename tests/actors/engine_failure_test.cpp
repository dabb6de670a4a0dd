// Failures stop the decider: after a failed idempotency read or a failed write to the log, the
// engine decides nothing more, every command is acknowledged with the first failure, and
// Engine::BackgroundError says so. Faults are injected below RocksDB, through a FileSystem wrapper
// (the way RocksDB's own fault-injection tests do it), into a real database on disk.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <atomic>

#include "actors/engine_open.h"
#include "switchboard/engine.h"
#include "tests/support/http_server.h"
#include "tests/support/log.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using switchboard::testing::HttpServer;
using switchboard::testing::LogOf;
using switchboard::testing::TempDir;

namespace {

bool EndsWith(const std::string& s, const char* tail) {
  const std::string t(tail);
  return s.size() >= t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0;
}

// Once armed, appends to WAL files fail as on a full disk, and reads of SST files fail.
class FaultFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FaultFileSystem"; }

  std::atomic<bool> fail_wal_appends{false};
  std::atomic<bool> fail_table_reads{false};

  class Wal : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    Wal(std::unique_ptr<rocksdb::FSWritableFile> file, FaultFileSystem* fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* dbg) override {
      if (fs_->fail_wal_appends) return rocksdb::IOStatus::NoSpace("injected: no space left on device");
      return target()->Append(data, options, dbg);
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& info, rocksdb::IODebugContext* dbg) override {
      if (fs_->fail_wal_appends) return rocksdb::IOStatus::NoSpace("injected: no space left on device");
      return target()->Append(data, options, info, dbg);
    }

   private:
    FaultFileSystem* fs_;
  };

  class Table : public rocksdb::FSRandomAccessFileOwnerWrapper {
   public:
    Table(std::unique_ptr<rocksdb::FSRandomAccessFile> file, FaultFileSystem* fs)
        : rocksdb::FSRandomAccessFileOwnerWrapper(std::move(file)), fs_(fs) {}
    rocksdb::IOStatus Read(uint64_t offset, size_t n, const rocksdb::IOOptions& options, rocksdb::Slice* result,
                           char* scratch, rocksdb::IODebugContext* dbg) const override {
      if (fs_->fail_table_reads) return rocksdb::IOStatus::IOError("injected: the disk cannot be read");
      return target()->Read(offset, n, options, result, scratch, dbg);
    }
    rocksdb::IOStatus MultiRead(rocksdb::FSReadRequest* requests, size_t n, const rocksdb::IOOptions& options,
                                rocksdb::IODebugContext* dbg) override {
      if (fs_->fail_table_reads) {
        for (size_t i = 0; i < n; ++i)
          requests[i].status = rocksdb::IOStatus::IOError("injected: the disk cannot be read");
        return rocksdb::IOStatus::IOError("injected: the disk cannot be read");
      }
      return target()->MultiRead(requests, n, options, dbg);
    }

   private:
    FaultFileSystem* fs_;
  };

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* file,
                                    rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, file, dbg);
    if (s.ok() && EndsWith(name, ".log")) file->reset(new Wal(std::move(*file), this));
    return s;
  }
  rocksdb::IOStatus NewRandomAccessFile(const std::string& name, const rocksdb::FileOptions& options,
                                        std::unique_ptr<rocksdb::FSRandomAccessFile>* file,
                                        rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewRandomAccessFile(name, options, file, dbg);
    if (s.ok() && EndsWith(name, ".sst")) file->reset(new Table(std::move(*file), this));
    return s;
  }
};

struct FaultyDisk {
  std::shared_ptr<FaultFileSystem> fs = std::make_shared<FaultFileSystem>();
  std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
};

std::string ClockAdvance(const std::string& id, int minute) {
  return R"({"id":")" + id + R"(","type":"clock.advance","at":"2026-11-23T09:)" + (minute < 10 ? "0" : "") +
         std::to_string(minute) + R"(:00Z"})";
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(engine_failures)

BOOST_AUTO_TEST_CASE(a_failed_idempotency_read_stops_the_engine_instead_of_applying_the_command_again) {
  TempDir dir;
  Options options;
  options.db_path = dir.Sub("db");
  {
    std::unique_ptr<Engine> engine;
    BOOST_REQUIRE(Engine::Open(options, &engine).ok());
    BOOST_REQUIRE(engine->Execute(ClockAdvance("a", 1)).status.ok());
  }
  const std::vector<std::string> before = LogOf(options.db_path);
  FaultyDisk disk;
  std::unique_ptr<Engine> engine;
  // This open flushes what the last run left in the WAL, so the id "a" is read from an SST file.
  BOOST_REQUIRE(OpenEngine(options, nullptr, disk.env.get(), &engine).ok());
  disk.fs->fail_table_reads = true;
  Acknowledgement repeat = engine->Execute(ClockAdvance("a", 1));  // a client's retry of "a"
  BOOST_TEST(!repeat.status.ok());
  BOOST_TEST(repeat.events.empty());
  BOOST_TEST(Contains(repeat.status.message(), "the applied command ids cannot be read"), repeat.status.message());
  BOOST_TEST(Contains(repeat.status.message(), "injected: the disk cannot be read"));
  BOOST_TEST(
      Contains(repeat.status.message(), "nothing after event " + std::to_string(before.size()) + " was acknowledged"));
  // Sticky: even a command that needs no read is refused, with the first cause.
  disk.fs->fail_table_reads = false;
  Acknowledgement next = engine->Execute(ClockAdvance("b", 2));
  BOOST_TEST(!next.status.ok());
  BOOST_TEST(next.status.message() == repeat.status.message());
  BOOST_TEST(engine->BackgroundError().message() == repeat.status.message());
  engine.reset();
  BOOST_TEST(LogOf(options.db_path) == before, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(after_a_failed_write_the_engine_decides_nothing_more_and_starts_no_lookup) {
  HttpServer server(std::map<std::string, std::string>{{"vip@example.com", R"({"vip": true})"}});
  nlohmann::json config = nlohmann::json::parse(R"({"groups": [{"id": "support"}],
    "lookups": {"crm": {"url": "", "timeout_ms": 2000}},
    "bot": {"start": "check", "steps": {
      "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "handoff", "fail": "handoff"},
      "handoff": {"handoff": {}}}}})");
  config["lookups"]["crm"]["url"] = "http://127.0.0.1:" + std::to_string(server.port()) + "/crm";
  TempDir dir;
  Options options;
  options.db_path = dir.Sub("db");
  options.config_json = config.dump();
  FaultyDisk disk;
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(OpenEngine(options, nullptr, disk.env.get(), &engine).ok());
  Acknowledgement first = engine->Execute(ClockAdvance("first", 1));
  BOOST_REQUIRE(first.status.ok());
  const std::vector<std::string> acknowledged = first.EventsAsJson();

  disk.fs->fail_wal_appends = true;
  Acknowledgement failed = engine->Execute(ClockAdvance("second", 2));
  BOOST_TEST(!failed.status.ok());
  BOOST_TEST(Contains(failed.status.message(), "the log cannot be written: no space left on device"),
             failed.status.message());
  BOOST_TEST(Contains(failed.status.message(), "nothing after event " + std::to_string(acknowledged.size()) +
                                                   " was acknowledged; free space and restart"));
  BOOST_TEST(engine->BackgroundError().message() == failed.status.message());
  // A contact whose first message would start an HTTP lookup: not decided, so no call goes out for
  // a conversation the log will never hold.
  disk.fs->fail_wal_appends = false;
  Acknowledgement message = engine->Execute(R"({"id":"m","type":"contact.message","contact":"ann",
      "channel":"messaging","text":"hi","profile":{"email":"vip@example.com"},"at":"2026-11-23T09:03:00Z"})");
  BOOST_TEST(message.status.message() == failed.status.message());
  engine->Drain();
  BOOST_TEST(server.requests() == 0);
  engine.reset();
  // Restarted (the disk is fine again): what was acknowledged is there, nothing else.
  std::vector<std::string> log = LogOf(options.db_path);
  BOOST_TEST(log == acknowledged, boost::test_tools::per_element());
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  BOOST_TEST(engine->BackgroundError().ok());
  BOOST_TEST(engine->Execute(ClockAdvance("second", 2)).status.ok());
}

BOOST_AUTO_TEST_SUITE_END()
