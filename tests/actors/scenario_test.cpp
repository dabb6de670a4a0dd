// One contact's whole day through the public API (issue 3's scenario): greeting, questions,
// articles, hand-off, replies, inactivity, reactivation, session end, a new conversation, solved,
// reopened, closed, and a new ticket; every ticket's query and audit checked at the end.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "switchboard/engine.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;

namespace {

const char* kConfig = R"({
  "settings": {"inactivity_minutes": 10},
  "groups": [{"id": "support"}],
  "agents": [{"id": "alice", "groups": ["support"]}],
  "articles": [{"id": "shipping", "title": "Shipping policy", "keywords": ["shipping", "delivery"]}],
  "bot": {"greeting": "Hello {{contact.name}}!", "start": "ask_team",
    "steps": {
      "ask_team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"],
                   "save": "var.team", "next": "faq", "else": "handoff"},
      "faq": {"articles": 2, "solved": "done", "unsolved": "handoff"},
      "handoff": {"handoff": {}},
      "done": {"end": "solved"}}}})";

class Day {
 public:
  explicit Day(const std::string& dir) {
    Options options;
    options.db_path = dir;
    options.config_json = kConfig;
    BOOST_REQUIRE(Engine::Open(options, &engine_).ok());
  }

  std::vector<json> Do(json command, const std::string& time) {
    command["id"] = "c" + std::to_string(++n_);
    command["at"] = "2026-11-23T" + time + "Z";
    Acknowledgement ack = engine_->Execute(command.dump());
    BOOST_REQUIRE(ack.status.ok());
    std::vector<json> out;
    for (const std::string& e : ack.EventsAsJson()) out.push_back(json::parse(e));
    return out;
  }
  std::vector<json> Contact(const std::string& text, const std::string& time) {
    return Do({{"type", "contact.message"},
               {"contact", "ann"},
               {"channel", "messaging"},
               {"text", text},
               {"profile", {{"name", "Ann"}}}},
              time);
  }
  std::vector<json> Alice(std::uint64_t ticket, json fields, const std::string& time) {
    fields["agent"] = "alice";
    fields["ticket"] = ticket;
    return Do(fields, time);
  }
  json Ticket(int n) {
    std::string text;
    BOOST_REQUIRE(engine_->Query({"ticket", std::to_string(n)}, &text).ok());
    return json::parse(text);
  }
  std::vector<std::string> Audit(const std::string& kind, const std::string& id) {
    std::vector<std::string> types;
    BOOST_REQUIRE(engine_
                      ->Audit(kind, id,
                              [&](const std::string& e) {
                                types.push_back(json::parse(e)["type"]);
                                return true;
                              })
                      .ok());
    return types;
  }
  Engine& engine() { return *engine_; }

 private:
  std::unique_ptr<Engine> engine_;
  int n_ = 0;
};

bool Has(const std::vector<json>& events, const std::string& type) {
  for (const json& e : events) {
    if (e["type"] == type) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(scenario)

BOOST_AUTO_TEST_CASE(B1_to_B35_one_contact_s_whole_day) {
  TempDir dir;
  Day day(dir.path());
  day.Do({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:55:00");

  // Morning: greeting, a question, articles that do not help, hand-off to ticket 1.
  auto hello = day.Contact("Hello, where is my delivery?", "09:00:00");
  BOOST_TEST(hello[3]["text"] == "Hello Ann!");
  BOOST_TEST(Has(day.Contact("support", "09:00:30"), "articles.suggested"));
  BOOST_TEST(Has(day.Contact("no", "09:01:00"), "ticket.created"));
  // Alice takes it and replies; the contact answers.
  day.Alice(1, {{"type", "ticket.update"}, {"assignee", "alice"}}, "09:02:00");
  day.Alice(1, {{"type", "agent.message"}, {"text", "Let me check your parcel."}}, "09:03:00");
  day.Contact("Thanks", "09:04:00");
  // The contact goes quiet: inactive after 10 minutes; back at 09:30, active again.
  auto quiet = day.Do({{"type", "clock.advance"}}, "09:20:00");
  BOOST_TEST(Has(quiet, "conversation.inactive"));
  BOOST_TEST(day.Ticket(1)["session"] == "inactive");
  BOOST_TEST(Has(day.Contact("Any news?", "09:30:00"), "conversation.active"));
  // Alice ends the session: the ticket goes on by email, its status unchanged.
  day.Alice(1, {{"type", "session.end"}}, "09:35:00");
  json t1 = day.Ticket(1);
  BOOST_TEST(t1["handled_as"] == "email");
  BOOST_TEST(t1["status"] == "open");
  BOOST_TEST(t1["session_end_reason"] == "ended_by_agent");

  // Afternoon: a new message starts conversation 2 with the bot; self-service solves it.
  auto again = day.Contact("My shipping address changed", "14:00:00");
  BOOST_TEST(again[0]["type"] == "conversation.started");
  BOOST_TEST(again[0]["conversation"] == 2);
  day.Contact("2", "14:00:30");
  BOOST_TEST(Has(day.Contact("yes", "14:01:00"), "conversation.self_solved"));

  // Ticket 1 is solved, reopened by the contact (by email now), solved and closed.
  day.Alice(1, {{"type", "ticket.update"}, {"status", "solved"}}, "15:00:00");
  auto reopened =
      day.Do({{"type", "contact.message"}, {"contact", "ann"}, {"channel", "email"}, {"text", "It came back broken"}},
             "15:30:00");
  BOOST_TEST(reopened[0]["ticket"] == 1);  // by email, into the ticket whose session ended (B31, B35)
  BOOST_TEST(reopened[1]["to"] == "open");
  day.Alice(1, {{"type", "ticket.update"}, {"status", "solved"}}, "16:00:00");
  day.Do({{"type", "ticket.update"}, {"ticket", 1}, {"status", "closed"}}, "16:30:00");
  BOOST_TEST(day.Ticket(1)["status"] == "closed");

  // Evening: a new conversation, a new ticket at hand-off.
  day.Contact("One last thing", "18:00:00");
  day.Contact("Sales", "18:00:30");
  BOOST_TEST(day.Ticket(2)["conversation"] == 3);

  // Every ticket's query and audit.
  json t1_end = day.Ticket(1);
  BOOST_TEST(t1_end["first_reply_at"] == "2026-11-23T09:03:00Z");
  BOOST_TEST(t1_end["solved_at"] == "2026-11-23T16:00:00Z");
  BOOST_TEST(t1_end["channel"] == "messaging");
  BOOST_TEST(day.Ticket(2)["status"] == "new");
  auto audit1 = day.Audit("ticket", "1");
  for (const char* type : {"ticket.created", "ticket.assigned", "message.added", "ticket.status_changed",
                           "conversation.inactive", "conversation.active", "session.ended"}) {
    BOOST_TEST((std::find(audit1.begin(), audit1.end(), type) != audit1.end()), type);
  }
  BOOST_TEST(audit1.back() == "ticket.status_changed");  // closed, and nothing since
  std::string text;
  BOOST_REQUIRE(day.engine().Query({"contact", "ann"}, &text).ok());
  json contact = json::parse(text);
  BOOST_TEST(contact["conversations"] == json::array({1, 2, 3}));
  BOOST_TEST(contact["tickets"] == json::array({1, 2}));
  std::string report;
  BOOST_TEST(day.engine().Replay(/*verify=*/true, nullptr, &report).ok(), report);
}

BOOST_AUTO_TEST_SUITE_END()
