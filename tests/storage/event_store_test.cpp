// The RocksDB event store on temporary directories: append, read by stream, scan, idempotency keys,
// records and checkpoint in the same batch, one process per directory, format version.
#include "storage/event_store.h"

#include <boost/test/unit_test.hpp>
#include <rocksdb/db.h>

#include "events/codec.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using switchboard::testing::TempDir;

namespace {

std::string Encoded(std::uint64_t seq, std::uint64_t ticket, const std::string& agent) {
  Event e = MakeEvent(fb::TicketAssignedT());
  e.seq = seq;
  e.at = 1000 * seq;
  e.ticket = ticket;
  e.agent = agent;
  return EncodeEvent(e);
}

// A command of `count` events from `first` on, all about `ticket` and `agent`.
CommandWrite Command(const std::string& id, std::uint64_t first, int count, std::uint64_t ticket,
                     const std::string& agent) {
  CommandWrite w;
  w.command_id = id;
  for (int i = 0; i < count; ++i) w.events.push_back(Encoded(first + i, ticket, agent));
  w.last_seq = first + count - 1;
  w.records.push_back({"t" + std::to_string(ticket), "{\"ticket\":" + std::to_string(ticket) + "}"});
  return w;
}

std::vector<std::uint64_t> Stream(EventStore& store, const std::string& prefix) {
  std::vector<std::uint64_t> seqs;
  BOOST_REQUIRE(store
                    .ScanStream(prefix,
                                [&](std::uint64_t seq) {
                                  seqs.push_back(seq);
                                  return true;
                                })
                    .ok());
  return seqs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_store)

BOOST_AUTO_TEST_CASE(a_group_of_commands_is_readable_in_order_by_log_and_by_stream) {
  TempDir dir;
  std::unique_ptr<EventStore> store;
  BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &store).ok());
  CommandWrite a = Command("a", 1, 3, 1, "alice"), b = Command("b", 4, 2, 2, "bob"), c = Command("c", 6, 1, 1, "bob");
  BOOST_REQUIRE(store->Write({&a, &b, &c}).ok());

  std::uint64_t last = 0;
  BOOST_REQUIRE(store->LastSeq(&last).ok());
  BOOST_TEST(last == 6u);
  std::vector<std::uint64_t> seqs;
  BOOST_REQUIRE(store
                    ->ScanLog(3,
                              [&](std::uint64_t seq, std::string_view bytes) {
                                Event e;
                                BOOST_REQUIRE(DecodeEvent(bytes, &e).ok());
                                BOOST_TEST(e.seq == seq);
                                seqs.push_back(seq);
                                return true;
                              })
                    .ok());
  BOOST_TEST(seqs == (std::vector<std::uint64_t>{3, 4, 5, 6}), boost::test_tools::per_element());

  BOOST_TEST(Stream(*store, StreamPrefix(StreamKind::kTicket, 1)) == (std::vector<std::uint64_t>{1, 2, 3, 6}),
             boost::test_tools::per_element());
  BOOST_TEST(Stream(*store, StreamPrefix(StreamKind::kAgent, "bob")) == (std::vector<std::uint64_t>{4, 5, 6}),
             boost::test_tools::per_element());
  BOOST_TEST(Stream(*store, StreamPrefix(StreamKind::kAgent, "bo")).empty());  // no prefix confusion
  std::string buffer;
  BOOST_TEST(store->ReadEvent(5, &buffer).ok());
  BOOST_TEST(store->ReadEvent(7, &buffer).IsNotFound());
}

constexpr unsigned kAllProjections = (1u << kProjectionCount) - 1;

std::vector<std::string> KeysUnder(EventStore& store, const std::string& prefix) {
  std::vector<std::string> keys;
  BOOST_REQUIRE(store
                    .ScanRecords(prefix,
                                 [&](const Record& r) {
                                   keys.push_back(r.key + "=" + r.json);
                                   return true;
                                 })
                    .ok());
  return keys;
}

BOOST_AUTO_TEST_CASE(command_ids_records_and_checkpoints_survive_a_reopen) {
  TempDir dir;
  {
    std::unique_ptr<EventStore> store;
    BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &store).ok());
    BOOST_TEST(!store->Projection(kTicketsProjection).present);
    BOOST_REQUIRE(store->TakeOver(kAllProjections, {}, 0).ok());  // what Engine::Open does on an empty log
    CommandWrite a = Command("cmd-1", 1, 2, 7, "alice");
    BOOST_REQUIRE(store->Write({&a}).ok());
  }
  std::unique_ptr<EventStore> store;
  BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &store).ok());
  bool found = false;
  BOOST_REQUIRE(store->HasCommand("cmd-1", &found).ok());
  BOOST_TEST(found);
  BOOST_REQUIRE(store->HasCommand("cmd-2", &found).ok());
  BOOST_TEST(!found);
  std::string json;
  BOOST_REQUIRE(store->GetRecord("t7", &json).ok());
  BOOST_TEST(json == "{\"ticket\":7}");
  BOOST_TEST(store->GetRecord("t8", &json).IsNotFound());
  for (int p = 0; p < kProjectionCount; ++p) {  // every projection's checkpoint moved with the batch
    ProjectionMark mark = store->Projection(static_cast<ProjectionId>(p));
    BOOST_TEST(mark.present);
    BOOST_TEST(mark.checkpoint == 2u);
    BOOST_TEST(mark.version == Projections()[p].version);
  }
}

BOOST_AUTO_TEST_CASE(a_rebuild_is_written_beside_the_live_records_and_takes_over_in_one_batch) {
  TempDir dir;
  std::unique_ptr<EventStore> store;
  BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &store).ok());
  BOOST_REQUIRE(store->TakeOver(kAllProjections, {}, 0).ok());
  CommandWrite a = Command("a", 1, 1, 7, "alice");  // writes t7
  a.records.push_back({"aalice", "{}"});
  BOOST_REQUIRE(store->Write({&a}).ok());
  const std::uint8_t generation = store->Projection(kTicketsProjection).generation;

  BOOST_REQUIRE(store->DiscardRebuilt(1u << kTicketsProjection).ok());
  BOOST_REQUIRE(store->WriteRebuilt({{"t7", "{\"rebuilt\":7}"}, {"t9", "{\"rebuilt\":9}"}}).ok());
  // Until the take-over, queries see the live generation only.
  BOOST_TEST(KeysUnder(*store, "t") == (std::vector<std::string>{"t7={\"ticket\":7}"}),
             boost::test_tools::per_element());

  BOOST_REQUIRE(store->TakeOver(1u << kTicketsProjection, {{"t8", "{\"rebuilt\":8}"}}, 1).ok());
  BOOST_TEST(KeysUnder(*store, "t") ==
                 (std::vector<std::string>{"t7={\"rebuilt\":7}", "t8={\"rebuilt\":8}", "t9={\"rebuilt\":9}"}),
             boost::test_tools::per_element());
  BOOST_TEST(store->Projection(kTicketsProjection).generation == static_cast<std::uint8_t>(generation + 1));
  // The other projections kept their records and generation.
  BOOST_TEST(KeysUnder(*store, "a").size() == 1u);
  BOOST_TEST(store->Projection(kAgentsProjection).generation == generation);

  // A reopen finds the new generation.
  store.reset();
  BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &store).ok());
  std::string json;
  BOOST_REQUIRE(store->GetRecord("t7", &json).ok());
  BOOST_TEST(json == "{\"rebuilt\":7}");
}

BOOST_AUTO_TEST_CASE(a_second_opener_gets_a_clear_error_not_a_lock_file_message) {
  TempDir dir;
  std::unique_ptr<EventStore> first, second;
  BOOST_REQUIRE(EventStore::Open(dir.path(), {}, &first).ok());
  Status s = EventStore::Open(dir.path(), {}, &second);
  BOOST_TEST(s.IsBusy());
  BOOST_TEST(s.message().find("already in use by another switchboard process") != std::string::npos);
  first.reset();
  BOOST_TEST(EventStore::Open(dir.path(), {}, &second).ok());  // released on close
}

BOOST_AUTO_TEST_CASE(a_newer_format_is_refused) {
  TempDir dir;
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyDescriptor> families{{"default", {}}, {"meta", {}}};
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* db = nullptr;
    BOOST_REQUIRE(rocksdb::DB::Open(options, dir.path(), families, &handles, &db).ok());
    BOOST_REQUIRE(db->Put(rocksdb::WriteOptions(), handles[1], "format", "99").ok());
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    delete db;
  }
  std::unique_ptr<EventStore> store;
  Status s = EventStore::Open(dir.path(), {}, &store);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message().find("format 99") != std::string::npos);
}

// Stores given one memtable budget (a runtime's) stay within it together: a flush is triggered in
// the store being written when the total reaches it, where each alone would grow to its own 64 MiB.
BOOST_AUTO_TEST_CASE(stores_sharing_a_memtable_budget_stay_within_it_together) {
  TempDir dir;
  StoreOptions options;
  options.memtable_budget = NewMemtableBudget(16u << 20);
  std::unique_ptr<EventStore> a, b;
  BOOST_REQUIRE(EventStore::Open(dir.Sub("a"), options, &a).ok());
  BOOST_REQUIRE(EventStore::Open(dir.Sub("b"), options, &b).ok());
  const std::string big(1u << 20, 'x');  // a 1 MiB record per command
  for (std::uint64_t seq = 1; seq <= 32; ++seq) {
    for (EventStore* store : {a.get(), b.get()}) {
      CommandWrite w = Command("c" + std::to_string(seq), seq, 1, seq, "alice");
      w.records.push_back({"t" + std::to_string(seq), "\"" + big + "\""});
      BOOST_REQUIRE(store->Write({&w}).ok());
    }
  }
  // 64 MiB written in all; a flush running may hold a switched memtable beside the new one.
  const std::uint64_t held = a->Memory().memtables + b->Memory().memtables;
  BOOST_TEST(held <= (32u << 20), held << " bytes of memtables for a budget of 16 MiB");
}

BOOST_AUTO_TEST_SUITE_END()
