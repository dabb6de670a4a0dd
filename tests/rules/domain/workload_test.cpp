// Workload (B72): each ticket's handle time (assigned, its conversation active, not solved) and
// abandonment (the contact left before any public agent reply), folded in the read model, shown in
// the ticket record and in analytics (JSON and CSV); the same records whether written change by
// change or rendered at once, and after a closed ticket is read back from its events. The staffing
// rows over the same records (B73).
#include <boost/test/unit_test.hpp>

#include <cstdio>

#include "projections/analytics.h"
#include "projections/queries.h"
#include "projections/records.h"
#include "projections/staffing.h"
#include "tests/rules/domain/desk_fixture.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::DeskFixture;

namespace {

// Inactivity after 5 minutes without a contact message; alice and bob in support.
// A record key with its binary bytes as \xHH.
std::string Printable(const std::string& key) {
  std::string out;
  for (unsigned char c : key) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "\\x%02x", c);
    out += c >= 0x20 && c < 0x7f ? std::string(1, static_cast<char>(c)) : std::string(hex);
  }
  return out;
}

std::string WorkloadConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["settings"]["inactivity_minutes"] = 5;
  return config.dump();
}

json TicketRecord(const DeskFixture& f, std::uint64_t n) {
  return json::parse(TicketJson(f.state(), f.read(), f.ticket(n)));
}

// The day of both tests: ticket 1 handled by alice 09:00-09:05 and 09:19-09:24 (inactive between);
// ticket 2 never answered, its contact gone at 09:37 (last message 09:32, created 09:30).
void HandledAndAbandoned(DeskFixture& f) {
  f.KeepRecords();
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  BOOST_REQUIRE_EQUAL(f.ticket(1).assignee, "alice");
  f.AgentSays("alice", 1, "09:01:00");
  f.Advance("09:10:00");  // inactive at 09:05, five minutes after ann's message
  BOOST_REQUIRE(f.state().FindConversation(1)->session == Session::kInactive);
  f.ContactSays("ann", "09:19:00", "still there?");  // active again
  f.Update(1, "09:24:00", {{"status", "solved"}, {"agent", "alice"}});
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "away"}}, "09:29:00"));
  f.ContactSays("bea", "09:30:00");
  BOOST_REQUIRE(f.ticket(2).assignee.empty());  // nobody online: it waits
  f.ContactSays("bea", "09:32:00", "hello?");
  f.Advance("09:40:00");  // inactive at 09:37: gone before any reply
}

}  // namespace

BOOST_AUTO_TEST_SUITE(workload)

BOOST_AUTO_TEST_CASE(B72_handle_time_counts_only_while_assigned_active_and_unsolved_and_abandonment_is_recorded) {
  DeskFixture f(WorkloadConfig());
  HandledAndAbandoned(f);
  json handled = TicketRecord(f, 1);
  BOOST_TEST(handled["handle_s"] == 600);  // 09:00-09:05 and 09:19-09:24: the inactive gap is not counted
  BOOST_TEST(handled["handling_since"].is_null());
  BOOST_TEST(handled["abandoned_at"].is_null());  // replied to before it went inactive
  BOOST_TEST(handled["time_to_abandon_s"].is_null());
  json gone = TicketRecord(f, 2);
  BOOST_TEST(gone["handle_s"] == 0);
  BOOST_TEST(gone["abandoned_at"] == "2026-11-23T09:37:00Z");
  BOOST_TEST(gone["time_to_abandon_s"] == 120);  // created 09:30, last message 09:32

  // Abandoned stays abandoned: bea comes back, bob answers and handles it.
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "bob"}, {"status", "online"}}, "09:45:00"));
  f.ContactSays("bea", "09:46:00", "back");
  BOOST_REQUIRE_EQUAL(f.ticket(2).assignee, "bob");
  f.AgentSays("bob", 2, "09:47:00");
  gone = TicketRecord(f, 2);
  BOOST_TEST(gone["abandoned_at"] == "2026-11-23T09:37:00Z");
  BOOST_TEST(gone["handling_since"] == "2026-11-23T09:46:00Z");  // a span going on: not yet in handle_s
  BOOST_TEST(gone["handle_s"] == 0);

  // Change by change, the records are those rendered at once (what replay --verify compares).
  std::vector<Record> all = AllRecords(f.state(), f.read());
  std::map<std::string, std::string> rendered;
  for (const Record& r : all) rendered[r.key] = r.json;
  BOOST_TEST(rendered.size() == f.records().size());
  for (const auto& [key, value] : rendered) {
    BOOST_TEST_CONTEXT("record " << Printable(key)) {
      auto it = f.records().find(key);
      BOOST_REQUIRE(it != f.records().end());
      BOOST_TEST(it->second == value);
    }
  }
  // Presence changes are records of their own, in time order.
  int presence = 0;
  for (const Record& r : all) {
    if (r.key.rfind(kPresencePrefix, 0) != 0) continue;
    json p = json::parse(r.json);
    BOOST_TEST(p.contains("agent"));
    ++presence;
  }
  BOOST_TEST(presence == 3);  // alice online, alice away, bob online
}

BOOST_AUTO_TEST_CASE(B72_a_closed_ticket_read_back_from_its_events_shows_the_same_workload) {
  DeskFixture f(WorkloadConfig());
  HandledAndAbandoned(f);
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "bob"}, {"status", "online"}}, "09:45:00"));
  f.ContactSays("bea", "09:46:00", "back");
  BOOST_REQUIRE_EQUAL(f.ticket(2).assignee, "bob");
  f.AgentSays("bob", 2, "09:47:00");
  f.Update(2, "09:50:00", {{"status", "solved"}, {"agent", "bob"}});
  f.Update(2, "09:51:00", {{"status", "closed"}});
  f.Update(1, "09:52:00", {{"status", "closed"}});
  BOOST_TEST(TicketRecord(f, 2)["handle_s"] == 240);  // bob, 09:46-09:50
  BOOST_TEST(TicketRecord(f, 2)["abandoned_at"] == "2026-11-23T09:37:00Z");
  for (std::uint64_t n : {1u, 2u}) {
    std::vector<Event> events;
    for (const Event& e : f.log()) {
      if (e.ticket == n) events.push_back(e);
    }
    ReadModel restored;
    restored.Admit(n, ReadModel::ExtrasOf(events));
    BOOST_TEST_CONTEXT("ticket " << n) {
      BOOST_TEST(TicketJson(f.state(), restored, f.ticket(n)) == TicketJson(f.state(), f.read(), f.ticket(n)));
    }
  }
}

BOOST_AUTO_TEST_CASE(B72_analytics_give_handle_time_abandoned_and_time_to_abandon_in_json_and_csv) {
  DeskFixture f(WorkloadConfig());
  HandledAndAbandoned(f);
  MemoryRecords records(AllRecords(f.state(), f.read()));
  std::string text;
  BOOST_REQUIRE(AnswerAnalytics(records, "", "", "", false, &text).ok());
  json total = json::parse(text)["total"];
  BOOST_TEST(total["handle_time_s"]["mean"] == 600);  // ticket 1 only: ticket 2 was never held
  BOOST_TEST(total["handle_time_s"]["median"] == 600);
  BOOST_TEST(total["abandoned"] == 1);
  BOOST_TEST(total["time_to_abandon_s"]["mean"] == 120);
  BOOST_TEST(total["time_to_abandon_s"]["median"] == 120);

  BOOST_REQUIRE(AnswerAnalytics(records, "", "", "", true, &text).ok());
  const std::string header = text.substr(0, text.find('\n'));
  const std::string tail =
      ",sla_resolution_share_met,handle_time_mean_s,handle_time_median_s,abandoned,time_to_abandon_mean_s,"
      "time_to_abandon_median_s,proactive_sent,proactive_conversations,proactive_self_solved,proactive_tickets,"
      "proactive_solved";
  BOOST_TEST(header.size() >= tail.size());
  BOOST_TEST(header.compare(header.size() - tail.size(), tail.size(), tail) == 0);  // after the SLA columns
  BOOST_TEST(header.rfind("row,key,tickets,solved,first_reply_mean_s,", 0) == 0);   // the old ones first
  const std::string line = text.substr(text.find("\ntotal,") + 1);
  const std::string end = ",600,600,1,120,120,0,0,0,0,0\n";  // no proactive message on this day
  BOOST_TEST(line.substr(line.size() - end.size()) == end);
}

BOOST_AUTO_TEST_CASE(B73_staffing_rows_over_the_records_of_the_day) {
  DeskFixture f(WorkloadConfig());
  HandledAndAbandoned(f);
  MemoryRecords records(AllRecords(f.state(), f.read()));
  std::string text;
  BOOST_REQUIRE(AnswerStaffing(records, StaffingRequest{}, false, &text).ok());
  json doc = json::parse(text);
  BOOST_TEST(doc["from"] == "2026-11-23T09:00:00Z");  // the first creation, aligned
  BOOST_TEST(doc["to"] == "2026-11-23T10:00:00Z");    // past the last one
  BOOST_REQUIRE_EQUAL(doc["rows"].size(), 2u);
  json first = doc["rows"][0], second = doc["rows"][1];
  BOOST_TEST(first["arrivals"] == 1);
  BOOST_TEST(first["mean_handle_s"] == 600.0);
  // 1 arrival in 1,800 s of 600 s: A = 1/3 erlang; one agent answers 80 % within 20 s? SL(1) =
  // 1 - (1/3) e^{-(2/3)(20/600)} = 0.674, so two.
  BOOST_TEST(first["agents_needed"] == 2);
  BOOST_TEST(first["agents_online"] == 1.0);  // alice, 09:00-09:29: 29/30 rounds to 1.0
  BOOST_TEST(second["arrivals"] == 1);
  BOOST_TEST(second["abandoned"] == 1);
  BOOST_TEST(second["mean_handle_s"].is_null());  // its one arrival was abandoned
  BOOST_TEST(second["agents_needed"].is_null());
  BOOST_TEST(second["agents_online"] == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
