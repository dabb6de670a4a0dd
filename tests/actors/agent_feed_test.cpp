// Agent actors and their live feed (issue 13; seed 000: "l'agent verra le message du client dans la
// liste des notifications quand il se reconnectera"): what reaches an agent while it is online is
// pushed at once; what arrives while it is away waits and is delivered, in order, when it comes
// back, and `query notifications AGENT` lists both, across a restart.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "switchboard/engine.h"
#include "tests/support/log.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;

namespace {

// Tickets stay with an agent who is away (no reassign_on): its contacts' replies wait for it.
const char* kConfig = R"({"settings": {"reassign_on": []}, "groups": [{"id": "support"}],
  "agents": [{"id": "alice", "groups": ["support"]}, {"id": "sam", "groups": ["support"], "role": "supervisor"}],
  "triggers": [{"id": "tell-supervisors", "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "pending"}]},
                "actions": [{"field": "notify", "value": {"to": "supervisors", "text": "ticket {{ticket.id}} is pending"}}]}]})";

// What one agent's subscription received; Wait blocks until `n` items came (the push runs on the
// agent's actor, after the acknowledgement).
class Screen {
 public:
  void Receive(const std::string& item) {
    std::lock_guard<std::mutex> lock(mu_);
    items_.push_back(json::parse(item));
    cv_.notify_all();
  }
  std::vector<json> Wait(std::size_t n) {
    std::unique_lock<std::mutex> lock(mu_);
    BOOST_REQUIRE(cv_.wait_for(lock, std::chrono::seconds(30), [&] { return items_.size() >= n; }));
    return items_;
  }
  std::size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<json> items_;
};

class Desk {
 public:
  explicit Desk(std::string dir) : dir_(std::move(dir)) { Open(); }
  void Open() {
    Options options;
    options.db_path = dir_;
    options.config_json = kConfig;
    Status s = Engine::Open(options, &engine_);
    BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  }
  void Do(json command, const std::string& time) {
    command["id"] = "f" + std::to_string(++n_);
    command["at"] = "2026-11-23T" + time + "Z";
    BOOST_REQUIRE(engine_->Execute(command.dump()).status.ok());
  }
  void Presence(const std::string& agent, const std::string& status, const std::string& time) {
    Do({{"type", "agent.status"}, {"agent", agent}, {"status", status}}, time);
  }
  void Contact(const std::string& text, const std::string& time) {
    Do({{"type", "contact.message"}, {"contact", "ann"}, {"channel", "messaging"}, {"text", text}}, time);
  }
  json Notifications(const std::string& agent) {
    std::string text;
    BOOST_REQUIRE(engine_->Query({"notifications", agent}, &text).ok());
    return json::parse(text);
  }
  Engine& engine() { return *engine_; }
  void Close() { engine_.reset(); }

 private:
  std::string dir_;
  std::unique_ptr<Engine> engine_;
  int n_ = 0;
};

std::vector<std::string> Kinds(const json& items) {
  std::vector<std::string> kinds;
  for (const json& i : items) kinds.push_back(i["kind"]);
  return kinds;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(agent_feed)

BOOST_AUTO_TEST_CASE(seed_000_a_reply_that_came_while_the_agent_was_away_is_delivered_when_it_comes_back) {
  TempDir dir;
  Desk desk(dir.Sub("db"));
  Screen alice;
  desk.engine().SubscribeAgent("alice", [&](const std::string& item) { alice.Receive(item); });
  desk.Presence("alice", "online", "09:00:00");
  desk.Contact("Hello", "09:01:00");  // ticket 1, assigned to alice: pushed at once
  std::vector<json> live = alice.Wait(1);
  BOOST_TEST(live[0]["kind"] == "assigned");
  BOOST_TEST(live[0]["delivered_at"] == "2026-11-23T09:01:00Z");

  desk.Presence("alice", "away", "09:05:00");
  desk.Contact("Are you still there?", "09:06:00");  // waits for alice's return
  desk.Do({{"type", "clock.advance"}}, "09:07:00");
  json waiting = desk.Notifications("alice")["items"].back();
  BOOST_TEST(waiting["kind"] == "contact_message");
  BOOST_TEST(waiting["text"] == "Are you still there?");
  BOOST_TEST(waiting["delivered_at"].is_null());
  BOOST_TEST(alice.count() == 1u);  // held, not pushed

  // A restart while she is away: the held message survives in her actor, restored from the list.
  desk.Close();
  desk.Open();
  desk.engine().SubscribeAgent("alice", [&](const std::string& item) { alice.Receive(item); });
  desk.Presence("alice", "online", "09:30:00");
  std::vector<json> back = alice.Wait(2);
  BOOST_TEST(back[1]["kind"] == "contact_message");
  BOOST_TEST(back[1]["text"] == "Are you still there?");
  BOOST_TEST(back[1]["at"] == "2026-11-23T09:06:00Z");
  BOOST_TEST(back[1]["delivered_at"] == "2026-11-23T09:30:00Z");  // the moment she came back
  BOOST_TEST(desk.Notifications("alice")["items"].back()["delivered_at"] == "2026-11-23T09:30:00Z");
}

BOOST_AUTO_TEST_CASE(notifications_reach_every_agent_they_name_and_the_list_verifies) {
  TempDir dir;
  Desk desk(dir.Sub("db"));
  desk.Presence("alice", "online", "09:00:00");
  desk.Contact("Hello", "09:01:00");
  desk.Do({{"type", "ticket.update"}, {"agent", "alice"}, {"ticket", 1}, {"status", "pending"}}, "09:02:00");
  // sam (a supervisor, offline) gets the trigger's notification, waiting; alice does not.
  json sam = desk.Notifications("sam")["items"];
  BOOST_REQUIRE_EQUAL(sam.size(), 1u);
  BOOST_TEST(sam[0]["kind"] == "notification");
  BOOST_TEST(sam[0]["text"] == "ticket 1 is pending");
  BOOST_TEST(sam[0]["ticket"] == 1);
  BOOST_TEST(sam[0]["delivered_at"].is_null());
  BOOST_TEST(Kinds(desk.Notifications("alice")["items"]) == std::vector<std::string>{"assigned"});
  std::string missing;
  BOOST_TEST(desk.engine().Query({"notifications", "nobody"}, &missing).IsNotFound());
  desk.Close();
  switchboard::testing::LogOf(dir.Sub("db"), /*verify=*/true);  // the stored lists equal the log's
}

BOOST_AUTO_TEST_SUITE_END()
