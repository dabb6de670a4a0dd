// B5: the bot's HTTP lookups against a server the test runs on 127.0.0.1. One answers, one never
// does (the lookup's time-out fails it), one is down; each takes its path, the answers are events
// (a replay never calls out), and a pending lookup holds up no other conversation.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "switchboard/engine.h"
#include "tests/support/http_server.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::HttpServer;
using switchboard::testing::TempDir;

namespace {

std::string BotWithLookup(int port) {
  json config = json::parse(R"({"groups": [{"id": "support"}, {"id": "vip"}],
    "lookups": {"crm": {"url": "", "timeout_ms": 300}},
    "bot": {"start": "check", "steps": {
      "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "route", "fail": "handoff"},
      "route": {"branch": [{"when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                            "goto": "vip"}], "else": "handoff"},
      "vip": {"handoff": {"group": "vip"}},
      "handoff": {"handoff": {}}}}})");
  config["lookups"]["crm"]["url"] = "http://127.0.0.1:" + std::to_string(port) + "/crm";
  return config.dump();
}

std::string Message(const std::string& id, const std::string& contact, const std::string& email, int second) {
  json m = {{"id", id},
            {"type", "contact.message"},
            {"contact", contact},
            {"channel", "messaging"},
            {"text", "hello"},
            {"profile", {{"email", email}}},
            {"at", "2026-11-23T09:00:" + std::string(second < 10 ? "0" : "") + std::to_string(second) + "Z"}};
  return m.dump();
}

std::vector<json> Log(Engine& engine) {
  std::vector<json> log;
  BOOST_REQUIRE(engine
                    .ReadEvents(1,
                                [&](const std::string& e) {
                                  log.push_back(json::parse(e));
                                  return true;
                                })
                    .ok());
  return log;
}

const json* First(const std::vector<json>& log, const std::string& type, std::uint64_t conversation) {
  for (const json& e : log) {
    if (e["type"] == type && e.value("conversation", std::uint64_t{0}) == conversation) return &e;
  }
  return nullptr;
}

// The group the conversation's ticket was routed to, or "" when it has no ticket.
std::string RoutedGroup(const std::vector<json>& log, std::uint64_t conversation) {
  const json* created = First(log, "ticket.created", conversation);
  if (created == nullptr) return "";
  for (const json& e : log) {
    if (e["type"] == "ticket.routed" && e["ticket"] == (*created)["ticket"]) return e["group"];
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_lookups)

BOOST_AUTO_TEST_CASE(B5_an_answer_a_time_out_and_a_server_that_is_down_each_take_their_path) {
  HttpServer server(std::map<std::string, std::string>{{"vip@example.com", R"({"vip": true, "tier": "gold"})"}});
  TempDir dir;
  Options options;
  options.db_path = dir.Sub("live");
  options.config_json = BotWithLookup(server.port());
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());

  auto waiting = engine->Execute(Message("a", "ann", "vip@example.com", 1)).EventsAsJson();
  BOOST_TEST(json::parse(waiting.back())["type"] == "lookup.started");
  engine->Execute(Message("b", "bob", "slow@example.com", 2));
  // While bob's lookup hangs, other work goes on: carol (no email: the lookup fails at once) is
  // served before bob's lookup times out.
  engine->Execute(R"({"id":"c","type":"contact.message","contact":"carol","channel":"messaging","text":"hi",
                      "at":"2026-11-23T09:00:03Z"})");
  engine->Drain();  // waits for both lookups to be answered or to time out

  auto log = Log(*engine);
  const json* completed = First(log, "lookup.completed", 1);
  BOOST_REQUIRE(completed);
  BOOST_TEST((*completed)["result"] == json::parse(R"({"vip": true, "tier": "gold"})"));
  BOOST_TEST(RoutedGroup(log, 1) == "vip");
  const json* timed_out = First(log, "lookup.failed", 2);
  BOOST_REQUIRE(timed_out);
  BOOST_TEST((*timed_out)["error"] == "timed out after 300 ms");
  BOOST_TEST(RoutedGroup(log, 2) == "support");  // the failure path
  std::uint64_t clock_seq = 0;                   // carol's last event
  for (const json& e : log) {
    if (e["cmd"] == "c") clock_seq = e["seq"];
  }
  BOOST_REQUIRE(clock_seq != 0);
  BOOST_TEST((*timed_out)["seq"].get<std::uint64_t>() > clock_seq);
  BOOST_TEST((*First(log, "lookup.failed", 3))["error"] == "contact.email is not known");
  BOOST_TEST(server.requests() == 2);

  // Replay reads the answers from the log: no call goes out again.
  std::string report;
  BOOST_TEST(engine->Replay(/*verify=*/true, nullptr, &report).ok(), report);
  engine.reset();
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  engine->Drain();
  BOOST_TEST(server.requests() == 2);
}

BOOST_AUTO_TEST_CASE(B5_a_lookup_to_a_server_that_is_down_fails_at_once) {
  TempDir dir;
  Options options;
  options.db_path = dir.path();
  const int port = HttpServer::DeadPort();
  options.config_json = BotWithLookup(port);
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  engine->Execute(Message("a", "ann", "vip@example.com", 1));
  engine->Drain();
  auto log = Log(*engine);
  const json* failed = First(log, "lookup.failed", 1);
  BOOST_REQUIRE(failed);
  BOOST_TEST((*failed)["error"].get<std::string>().rfind("cannot reach 127.0.0.1:" + std::to_string(port), 0) == 0,
             (*failed)["error"]);
  BOOST_TEST(First(log, "ticket.created", 1));
}

BOOST_AUTO_TEST_SUITE_END()
