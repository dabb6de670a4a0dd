// What supervisors read of the SLA clocks (B64): the monitor's tickets at risk and breached per
// group, and the analytics CSV's columns per metric, from the records a replay writes.
#include <boost/test/unit_test.hpp>

#include "projections/analytics.h"
#include "projections/monitor.h"
#include "projections/queries.h"
#include "projections/records.h"
#include "tests/rules/domain/desk_fixture.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::DeskFixture;

namespace {

json SlaConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["sla_policies"] = json::parse(R"([{"id": "standard",
     "targets": [{"metric": "first_reply", "priority": "normal", "target_minutes": 90},
                 {"metric": "first_reply", "priority": "urgent", "target_minutes": 15}]}])");
  return config;
}

json Monitor(const DeskFixture& f) {
  MemoryRecords records(AllRecords(f.state(), f.read()));
  std::string text;
  BOOST_REQUIRE(AnswerQuery(records, {"monitor"}, &text).ok());
  return json::parse(text);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sla_reporting)

BOOST_AUTO_TEST_CASE(B64_the_monitor_counts_per_group_the_tickets_breaching_within_the_hour_and_those_breached) {
  DeskFixture f(SlaConfig().dump());
  f.ContactSays("ann", "09:00:00");                   // support: due 10:30
  f.ContactSays("bea", "09:05:00");                   // support: due 10:35
  f.Update(2, "09:06:00", {{"priority", "urgent"}});  // due 09:20
  f.ContactSays("cid", "09:07:00");                   // due 10:37
  f.Update(3, "09:08:00", {{"group", "sales"}});
  json m = Monitor(f);
  BOOST_REQUIRE_EQUAL(m["sla"].size(), 2u);
  BOOST_TEST(m["sla"][0]["group"] == "sales");
  BOOST_TEST(m["sla"][0]["at_risk"] == 0);  // 10:37 is more than an hour after 09:08
  BOOST_TEST(m["sla"][1]["group"] == "support");
  BOOST_TEST(m["sla"][1]["at_risk"] == 1);  // ticket 2, due 09:20
  BOOST_TEST(m["sla"][1]["breached"] == 0);

  f.Advance("09:40:00");  // ticket 2 breached at 09:20; ticket 1 (10:30) and 3 (10:37) within the hour
  m = Monitor(f);
  BOOST_TEST(m["sla"][0]["at_risk"] == 1);
  BOOST_TEST(m["sla"][1]["at_risk"] == 1);
  BOOST_TEST(m["sla"][1]["breached"] == 1);

  f.Update(2, "09:45:00", {{"status", "solved"}});  // the breached clock is fulfilled: no longer breached now
  m = Monitor(f);
  BOOST_TEST(m["sla"][1]["breached"] == 0);
  BOOST_TEST(m["sla"][1]["at_risk"] == 1);
}

BOOST_AUTO_TEST_CASE(B64_the_analytics_csv_has_met_missed_and_share_columns_for_every_metric) {
  DeskFixture f(SlaConfig().dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  f.AgentSays("alice", 1, "09:30:00");  // in time
  AnalyticsReport report(AnalyticsRange{});
  report.AddTicket(TicketJson(f.state(), f.read(), f.ticket(1)));
  const std::string csv = report.Csv();
  const std::string header = csv.substr(0, csv.find('\n'));
  BOOST_TEST(header.find(",sla_first_reply_met,sla_first_reply_missed,sla_first_reply_share_met,") !=
             std::string::npos);
  BOOST_TEST(header.find(",sla_resolution_share_met") != std::string::npos);
  const std::string total = csv.substr(csv.find("\ntotal,") + 1);
  const std::size_t columns = static_cast<std::size_t>(std::count(header.begin(), header.end(), ','));
  BOOST_TEST(static_cast<std::size_t>(std::count(total.begin(), total.end(), ',')) == columns);
  // first_reply is the first metric: its three cells follow deflection_rate.
  const std::size_t first = header.find("sla_first_reply_met");
  const std::size_t index = static_cast<std::size_t>(std::count(header.begin(), header.begin() + first, ','));
  std::vector<std::string> cells;
  std::string cell;
  for (char c : total.substr(0, total.find('\n'))) {
    if (c == ',') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  cells.push_back(cell);
  BOOST_TEST(cells[index] == "1");
  BOOST_TEST(cells[index + 1] == "0");
  BOOST_TEST(cells[index + 2] == "100");
}

// A replay that renders nothing refreshes each ticket's SLA figures once, at the end
// (ReadModel::DeferRefreshes). A group's monitor line stays from its first ticket with a clock on,
// even if no ticket of it has one by then: the deferred fold must keep that line too, and give
// every record the fold after each event gives.
BOOST_AUTO_TEST_CASE(B64_a_replay_that_refreshes_once_at_the_end_keeps_the_lines_of_groups_whose_clocks_stopped) {
  const std::string config = SlaConfig().dump();
  DeskFixture f(config);
  f.ContactSays("ann", "09:00:00");                 // support: a first-reply clock, due 10:30
  f.Update(1, "09:01:00", {{"group", "sales"}});    // sales has it now
  f.Update(1, "09:02:00", {{"status", "solved"}});  // and no group has a clock any more
  BOOST_REQUIRE_EQUAL(f.read().sla_breached().count("sales"), 1u);
  BOOST_REQUIRE_EQUAL(f.read().sla_breached().count("support"), 1u);

  DeskState state;
  ReadModel read;
  Desk desk(&state);
  std::vector<Event> configured;
  BOOST_REQUIRE(!desk.ApplyConfiguration(config, 0, &configured));
  for (const Event& e : configured) read.Apply(e, state);
  read.DeferRefreshes(state);
  for (const Event& e : f.log()) {
    BOOST_REQUIRE(state.Apply(e).ok());
    read.Apply(e, state);
  }
  read.StopDeferring(state);
  BOOST_TEST((read.sla_breached() == f.read().sla_breached()));
  std::map<std::string, std::string> deferred, per_event;
  for (const Record& r : AllRecords(state, read)) deferred[r.key] = r.json;
  for (const Record& r : AllRecords(f.state(), f.read())) per_event[r.key] = r.json;
  BOOST_TEST((deferred == per_event));
}

BOOST_AUTO_TEST_SUITE_END()
