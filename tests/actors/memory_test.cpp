// Memory bounded by open work (issue 13): closed tickets, finished conversations and idle contacts
// leave the desk once their events are durable, and come back from the log when a command touches
// them again. The engine that lets them go must decide exactly what a desk holding everything
// decides: the same events, byte for byte, and projections that a verified replay accepts.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "events/command.h"
#include "events/event_json.h"
#include "rules/domain/desk.h"
#include "switchboard/engine.h"
#include "tests/support/log.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;

namespace {

const char* kConfig = R"({
  "settings": {"inactivity_minutes": 10},
  "groups": [{"id": "support"}],
  "agents": [{"id": "alice", "groups": ["support"], "capacity": {"messaging": 5, "email": 5}}],
  "triggers": [{"id": "survey", "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"}]},
                "actions": [{"field": "csat", "value": "send"}]}]})";

// The pure desk, holding everything it ever saw: the reference the evicting engine must equal.
class Reference {
 public:
  Reference() : desk_(&state_) {}
  void Run(const std::string& line) {
    Command command = ParseCommand(line);
    if (first_) {
      first_ = false;
      BOOST_REQUIRE(!desk_.ApplyConfiguration(kConfig, *command.at, &events_));
    }
    desk_.Handle(command, 0, &events_);
  }
  std::vector<std::string> Log() const {
    std::vector<std::string> log;
    for (const Event& e : events_) log.push_back(EventToJson(e));
    return log;
  }

 private:
  DeskState state_;
  Desk desk_;
  std::vector<Event> events_;
  bool first_ = true;
};

class Both {
 public:
  explicit Both(std::string db) : db_(std::move(db)) { Open(); }
  void Open() {
    Options options;
    options.db_path = db_;
    options.config_json = kConfig;
    Status s = Engine::Open(options, &engine_);
    BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  }
  void Restart() {
    Shut();
    Open();
  }
  void Shut() { engine_.reset(); }
  void Do(json command, const std::string& time) {
    command["id"] = "m" + std::to_string(++n_);
    command["at"] = "2026-11-23T" + time + "Z";
    const std::string line = command.dump();
    reference_.Run(line);
    BOOST_REQUIRE(engine_->Execute(line).status.ok());
  }
  void Contact(const std::string& who, const std::string& time) {
    Do({{"type", "contact.message"}, {"contact", who}, {"channel", "messaging"}, {"text", "hello"}}, time);
  }
  void Alice(std::uint64_t ticket, json fields, const std::string& time) {
    fields["agent"] = "alice";
    fields["ticket"] = ticket;
    Do(fields, time);
  }
  void Close(std::uint64_t ticket, const std::string& time) {
    Alice(ticket, {{"type", "ticket.update"}, {"status", "solved"}}, time);
    Alice(ticket, {{"type", "ticket.update"}, {"status", "closed"}}, time);
  }
  json Ticket(std::uint64_t id) {
    std::string text;
    BOOST_REQUIRE(engine_->Query({"ticket", std::to_string(id)}, &text).ok());
    return json::parse(text);
  }
  Engine& engine() { return *engine_; }
  const Reference& reference() const { return reference_; }

 private:
  std::string db_;
  std::unique_ptr<Engine> engine_;
  Reference reference_;
  int n_ = 0;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(memory_bounded_by_open_work)

BOOST_AUTO_TEST_CASE(closed_tickets_leave_memory_and_come_back_from_the_log_unchanged) {
  TempDir dir;
  Both both(dir.path() + "/db");
  both.Do({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "09:00:00");
  both.Contact("ann", "09:01:00");  // ticket 1
  both.Alice(1, {{"type", "agent.message"}, {"text", "Here is your answer."}}, "09:02:00");
  both.Close(1, "09:03:00");        // csat.offered by the trigger, then closed
  both.Contact("bob", "09:05:00");  // ticket 2, and ticket 1's close is now durable
  both.Contact("cat", "09:06:00");  // ticket 3

  // Ann, her conversation and her closed ticket have left; Bob and Cat's open work stays.
  MemoryUsage held = both.engine().Memory();
  BOOST_TEST(held.tickets == 2u);
  BOOST_TEST(held.conversations == 2u);
  BOOST_TEST(held.contacts == 2u);

  // Commands on what left are decided over it read back from the log.
  both.Do({{"type", "csat.rate"}, {"ticket", 1}, {"score", "good"}, {"comment", "quick"}}, "09:07:00");
  both.Alice(1, {{"type", "agent.message"}, {"text", "One more thing"}}, "09:08:00");  // refused: closed
  both.Alice(1, {{"type", "ticket.update"}, {"status", "open"}}, "09:08:30");          // refused: closed
  both.Contact("ann", "09:09:00");  // returning: a new conversation and, closed being final, ticket 4
  // A restart recovers with eviction too; the returning contact's work goes on where it was.
  both.Restart();
  both.Contact("ann", "09:10:00");
  both.Close(4, "09:12:00");
  both.Close(2, "09:13:00");
  both.Contact("cat", "09:14:00");
  both.Contact("ann", "09:30:00");  // after the restart, after a second closing: ticket 5

  BOOST_TEST(both.Ticket(1)["status"] == "closed");
  BOOST_TEST(both.Ticket(1)["csat"] == "good");
  BOOST_TEST(both.Ticket(5)["status"] == "new");
  held = both.engine().Memory();
  BOOST_TEST(held.tickets == 2u);  // 3 and 5
  BOOST_TEST(held.contacts == 2u);

  std::vector<std::string> expected = both.reference().Log();
  both.Shut();
  std::vector<std::string> log = switchboard::testing::LogOf(dir.path() + "/db", /*verify=*/true);
  BOOST_REQUIRE_EQUAL(log.size(), expected.size());
  for (std::size_t i = 0; i < log.size(); ++i) BOOST_TEST(log[i] == expected[i], "event " << i + 1);
}

BOOST_AUTO_TEST_CASE(a_long_history_holds_only_its_open_work) {
  TempDir dir;
  Both both(dir.path() + "/db");
  both.Do({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:00:00");
  // 300 contacts, each served and closed; ten stay open at the end.
  int ticket = 0;
  for (int i = 0; i < 300; ++i) {
    char time[16];
    std::snprintf(time, sizeof time, "%02d:%02d:%02d", 9 + i / 60, i % 60, 0);
    both.Contact("c" + std::to_string(i), time);
    ++ticket;
    if (i < 290) {
      std::snprintf(time, sizeof time, "%02d:%02d:%02d", 9 + i / 60, i % 60, 30);
      both.Close(ticket, time);
    }
  }
  both.Contact("last", "15:00:00");
  const MemoryUsage held = both.engine().Memory();
  BOOST_TEST(held.tickets == 11u);
  BOOST_TEST(held.conversations == 11u);
  BOOST_TEST(held.contacts == 11u);
  both.Shut();
  BOOST_TEST(switchboard::testing::LogOf(dir.path() + "/db", true).size() == both.reference().Log().size());
}

BOOST_AUTO_TEST_SUITE_END()
