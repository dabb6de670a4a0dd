// Defects found by trying the engine from the outside, proved through the real engine on a
// temporary RocksDB: complete audits (B53, B46), the clock kept across a restart, a real time on
// the first rejection of an empty log, a recorded configuration that no longer parses, and a
// verified replay of a database run without a configuration.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "events/codec.h"
#include "events/time.h"
#include "storage/event_store.h"
#include "switchboard/engine.h"
#include "tests/support/events.h"
#include "tests/support/temp_dir.h"

using nlohmann::json;
using namespace switchboard;
using switchboard::testing::Events;
using switchboard::testing::TempDir;

namespace {

const char* kConfig = R"({"groups":[{"id":"support"}],
  "agents":[{"id":"alice","groups":["support"]},{"id":"bob","groups":["support"]}],
  "bot":{"greeting":"Hello!","start":"email","steps":{
    "email":{"ask":"Your email?","kind":"email","save":"contact.email","next":"handoff"},
    "handoff":{"handoff":{}}}}})";

std::unique_ptr<Engine> Open(const std::string& dir, const std::string& config = kConfig) {
  Options options;
  options.db_path = dir;
  options.config_json = config;
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  return engine;
}

Events Exec(Engine& engine, const std::string& line) {
  Acknowledgement ack = engine.Execute(line);
  BOOST_REQUIRE_MESSAGE(ack.status.ok(), ack.status.message());
  Events out;
  for (const std::string& e : ack.EventsAsJson()) out.push_back(json::parse(e));
  return out;
}

std::string At(const std::string& time) { return R"(,"at":"2026-11-23T)" + time + R"(Z"})"; }

Events AuditOf(Engine& engine, const std::string& kind, const std::string& id) {
  Events out;
  Status s = engine.Audit(kind, id, [&](const std::string& e) {
    out.push_back(json::parse(e));
    return true;
  });
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  return out;
}

bool Has(const Events& events, const std::string& type, const std::string& key = "", const json& value = nullptr) {
  for (const json& e : events) {
    if (e["type"] == type && (key.empty() || (e.contains(key) && e[key] == value))) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audits)

BOOST_AUTO_TEST_CASE(B53_an_agents_audit_holds_what_the_agent_solved_and_a_contacts_audit_holds_its_whole_story) {
  TempDir dir;
  auto engine = Open(dir.path());
  Exec(*engine,
       R"({"id":"m1","type":"contact.message","contact":"ann","channel":"messaging","text":"hi")" + At("09:00:00"));
  Exec(*engine, R"({"id":"m2","type":"contact.message","contact":"ann","channel":"messaging",)"
                R"("text":"ann@example.com")" +
                    At("09:00:10"));
  Exec(*engine, R"({"id":"u1","type":"ticket.update","ticket":1,"agent":"alice","assignee":"alice")" + At("09:01:00"));
  Exec(*engine, R"({"id":"r1","type":"agent.message","ticket":1,"agent":"alice","text":"on it")" + At("09:02:00"));
  Exec(*engine, R"({"id":"s1","type":"ticket.update","ticket":1,"agent":"alice","status":"solved")" + At("09:03:00"));

  Events alice = AuditOf(*engine, "agent", "alice");
  BOOST_TEST(Has(alice, "ticket.status_changed", "to", "solved"));  // caused by alice, named by `by`
  BOOST_TEST(Has(alice, "message.added", "text", "on it"));

  Events ann = AuditOf(*engine, "contact", "ann");
  BOOST_TEST(Has(ann, "bot.message_sent", "text", "Hello!"));        // the bot's messages
  BOOST_TEST(Has(ann, "bot.answer_saved", "key", "contact.email"));  // answers saved to the contact
  BOOST_TEST(Has(ann, "message.added", "text", "on it"));            // the agent's reply
  BOOST_TEST(Has(ann, "ticket.status_changed", "to", "solved"));     // status changes
  BOOST_TEST(Has(ann, "config.applied"));                            // the rules in force (B46)
  std::uint64_t last = 0;
  for (const json& e : ann) {
    BOOST_TEST(e["seq"].get<std::uint64_t>() > last);  // ordered, no repeats
    last = e["seq"];
  }
}

BOOST_AUTO_TEST_CASE(B46_a_tickets_audit_shows_the_configuration_in_force_and_each_one_applied_during_its_life) {
  TempDir dir;
  auto engine = Open(dir.path(), R"({"groups":[{"id":"support"}],"agents":[{"id":"alice","groups":["support"]}]})");
  Exec(*engine,
       R"({"id":"x1","type":"contact.message","contact":"zed","channel":"email","text":"earlier")" + At("08:00:00"));
  Exec(*engine, R"({"id":"c2","type":"config.apply","config":{"groups":[{"id":"support"}],)"
                R"("agents":[{"id":"alice","groups":["support"]},{"id":"bob","groups":["support"]}]})" +
                    At("08:30:00"));
  Exec(*engine,
       R"({"id":"m1","type":"contact.message","contact":"ann","channel":"email","text":"hi")" + At("09:00:00"));
  Exec(*engine, R"({"id":"c3","type":"config.apply","config":{"groups":[{"id":"support"}],)"
                R"("agents":[{"id":"alice","groups":["support"]}]})" +
                    At("09:30:00"));
  Exec(*engine, R"({"id":"u1","type":"ticket.update","ticket":2,"tags_add":["late"])" + At("10:00:00"));
  Exec(*engine, R"({"id":"c4","type":"config.apply","config":{"groups":[{"id":"support"}]})" + At("11:00:00"));
  std::vector<std::uint32_t> versions;
  for (const json& e : AuditOf(*engine, "ticket", "2")) {
    if (e["type"] == "config.applied") versions.push_back(e["version"]);
  }
  // Version 2 was in force when the ticket began; 3 came during its life; 1 and 4 did not apply to it.
  BOOST_TEST(versions == (std::vector<std::uint32_t>{2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(engine_clock)

BOOST_AUTO_TEST_CASE(the_engines_clock_is_the_largest_at_seen_even_across_a_restart) {
  TempDir dir;
  {
    auto engine = Open(dir.path());
    Exec(*engine,
         R"({"id":"m1","type":"contact.message","contact":"ann","channel":"email","text":"hi")" + At("09:00:00"));
    auto quiet = Exec(*engine, R"({"id":"t1","type":"clock.advance")" + At("12:00:00"));
    BOOST_TEST(quiet.back()["type"] == "clock.advanced");
  }
  auto engine = Open(dir.path());
  auto late = Exec(
      *engine, R"({"id":"m2","type":"contact.message","contact":"ben","channel":"email","text":"hi")" + At("11:00:00"));
  BOOST_TEST(late[0]["at"] == "2026-11-23T12:00:00Z");  // not 11:00: time does not go back
}

BOOST_AUTO_TEST_CASE(the_first_rejection_in_an_empty_log_is_stamped_with_a_real_time) {
  TempDir dir;
  Options options;
  options.db_path = dir.path();
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  const Timestamp before = WallClockNow();
  auto refused = Exec(*engine, "this is not json");
  BOOST_TEST(refused[0]["type"] == "command.rejected");
  std::optional<Timestamp> at = ParseRfc3339(refused[0]["at"].get<std::string>());
  BOOST_REQUIRE(at.has_value());
  BOOST_TEST(*at >= before - 1000);  // the wall clock, not 1970-01-01
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(recovery_failures)

BOOST_AUTO_TEST_CASE(a_recorded_configuration_that_no_longer_parses_stops_the_engine_with_its_cause) {
  TempDir dir;
  {
    std::unique_ptr<EventStore> store;
    BOOST_REQUIRE(EventStore::Open(dir.path(), StoreOptions{}, &store).ok());
    fb::ConfigAppliedT applied;
    applied.version = 1;
    applied.digest = "0000000000000000";
    applied.document = R"({"groups":[{"id":"support"}],"routing":{"style":"random"}})";
    Event e = MakeEvent(std::move(applied));
    e.seq = 1;
    e.at = 1795424400000;
    CommandWrite write;
    write.events.push_back(EncodeEvent(e));
    write.last_seq = 1;
    BOOST_REQUIRE(store->Write({&write}).ok());
  }
  Options options;
  options.db_path = dir.path();
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  BOOST_TEST(s.IsCorruption());
  BOOST_TEST(s.message().find("event 1") != std::string::npos, s.message());
  BOOST_TEST(s.message().find("routing.style") != std::string::npos, s.message());
}

BOOST_AUTO_TEST_CASE(replay_verify_passes_on_a_database_run_without_a_configuration) {
  TempDir dir;
  {
    Options options;
    options.db_path = dir.path();
    std::unique_ptr<Engine> engine;
    BOOST_REQUIRE(Engine::Open(options, &engine).ok());
    Exec(*engine,
         R"({"id":"m1","type":"contact.message","contact":"ann","channel":"messaging","text":"hi")" + At("09:00:00"));
  }
  Options options;
  options.db_path = dir.path();
  options.read_only = true;
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  std::string report;
  BOOST_TEST(engine->Replay(/*verify=*/true, nullptr, &report).ok(), report);
}

BOOST_AUTO_TEST_SUITE_END()
