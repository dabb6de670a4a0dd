// SLA policies (B60-B63) through the pure domain with explicit times: which policy applies, each
// metric's clock applied, paused, resumed, fulfilled, re-targeted and breached as events at their
// exact instants, in calendar time and in a group's business hours across a DST change.
#include <boost/test/unit_test.hpp>

#include "events/time.h"
#include "projections/analytics.h"
#include "projections/records.h"
#include "projections/views.h"
#include "rules/business_time.h"
#include "rules/config.h"
#include "tests/rules/domain/desk_fixture.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::Events;

namespace {

json SlaConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["sla_policies"] = json::parse(R"([
    {"id": "vip", "conditions": {"all": [{"field": "tags", "operator": "includes", "value": "vip"}]},
     "targets": [{"metric": "first_reply", "priority": "normal", "target_minutes": 10}]},
    {"id": "standard",
     "targets": [{"metric": "first_reply", "priority": "normal", "target_minutes": 60},
                 {"metric": "first_reply", "priority": "urgent", "target_minutes": 15},
                 {"metric": "next_reply", "priority": "normal", "target_minutes": 30},
                 {"metric": "requester_wait", "priority": "normal", "target_minutes": 240},
                 {"metric": "agent_work", "priority": "normal", "target_minutes": 120},
                 {"metric": "resolution", "priority": "normal", "target_minutes": 480}]}])");
  return config;
}

// The sla.* events of a list, as "type metric" strings, in order.
std::vector<std::string> SlaEvents(const Events& events) {
  std::vector<std::string> out;
  for (const json& e : events) {
    const std::string type = e["type"];
    if (type.rfind("sla.", 0) == 0) out.push_back(type + " " + e["metric"].get<std::string>());
  }
  return out;
}

const json& Sla(const Events& events, const std::string& type, const std::string& metric) {
  for (const json& e : events) {
    if (e["type"] == type && e["metric"] == metric) return e;
  }
  BOOST_FAIL("no " + type + " for " + metric);
  static const json kNone;
  return kNone;
}

Timestamp At(const std::string& rfc3339) { return *ParseRfc3339(rfc3339); }

}  // namespace

BOOST_AUTO_TEST_SUITE(sla)

BOOST_AUTO_TEST_CASE(B60_the_first_policy_whose_conditions_hold_applies_with_its_targets_for_the_priority) {
  DeskFixture f(SlaConfig().dump());
  Events created = f.ContactSays("ann", "09:00:00");
  BOOST_TEST(SlaEvents(created) == (std::vector<std::string>{"sla.applied first_reply", "sla.applied requester_wait",
                                                             "sla.applied agent_work", "sla.applied resolution"}),
             boost::test_tools::per_element());  // next_reply waits for a first reply
  const json& first = Sla(created, "sla.applied", "first_reply");
  BOOST_TEST(first["policy"] == "standard");
  BOOST_TEST(first["target_s"] == 3600);
  BOOST_TEST(first["due"] == "2026-11-23T10:00:00Z");
  BOOST_TEST(Sla(created, "sla.applied", "resolution")["due"] == "2026-11-23T17:00:00Z");

  // Tagged vip, the first policy holds: its first_reply target replaces the standard one, and the
  // metrics it has no target for are removed (B63).
  Events tagged = f.Update(1, "09:02:00", {{"tags_add", {"vip"}}});
  const json& retargeted = Sla(tagged, "sla.applied", "first_reply");
  BOOST_TEST(retargeted["policy"] == "vip");
  BOOST_TEST(retargeted["due"] == "2026-11-23T09:10:00Z");  // 10 minutes from creation
  BOOST_TEST(SlaEvents(tagged) == (std::vector<std::string>{"sla.applied first_reply", "sla.removed requester_wait",
                                                            "sla.removed agent_work", "sla.removed resolution"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B63_a_metric_is_breached_at_its_exact_due_instant_and_fulfilled_by_the_reply_that_ends_it) {
  DeskFixture f(SlaConfig().dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  BOOST_TEST(SlaEvents(f.Advance("09:59:59")).empty());  // (the conversation goes inactive meanwhile)
  Events late = f.Advance("10:30:00");
  const json& breached = Sla(late, "sla.breached", "first_reply");
  BOOST_TEST(breached["at"] == "2026-11-23T10:00:00Z");  // at the due instant, not when time was seen
  BOOST_TEST(breached["ticket"] == 1);
  BOOST_TEST(f.ticket(1).FindClock(SlaMetric::kFirstReply)->breached);

  Events reply = f.AgentSays("alice", 1, "10:40:00");
  const json& fulfilled = Sla(reply, "sla.fulfilled", "first_reply");
  BOOST_TEST(fulfilled["breached"] == true);
  BOOST_TEST(f.ticket(1).FindClock(SlaMetric::kFirstReply) == nullptr);

  // B60: next reply runs from the oldest unanswered contact message, and the reply fulfils it.
  f.ContactSays("ann", "11:00:00", "still there?");
  Events again = f.ContactSays("ann", "11:05:00", "hello?");
  BOOST_TEST(SlaEvents(again).empty());  // the clock runs from 11:00, not again from 11:05
  BOOST_TEST(f.ticket(1).FindClock(SlaMetric::kNextReply)->due == At("2026-11-23T11:30:00Z"));
  Events answered = f.AgentSays("alice", 1, "11:20:00");
  BOOST_TEST(Sla(answered, "sla.fulfilled", "next_reply")["breached"] == false);
}

BOOST_AUTO_TEST_CASE(B64_the_ticket_document_shows_the_next_breach_whether_one_happened_and_each_clock) {
  DeskFixture f(SlaConfig().dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  json t = json::parse(TicketJson(f.state(), f.read(), f.ticket(1)));
  BOOST_TEST(t["sla_policy"] == "standard");
  BOOST_TEST(t["sla_next_breach_at"] == "2026-11-23T10:00:00Z");  // first reply, the earliest
  BOOST_TEST(t["sla_breached"] == false);
  BOOST_TEST(t["sla"].size() == 4u);
  f.Advance("10:00:00");
  t = json::parse(TicketJson(f.state(), f.read(), f.ticket(1)));
  BOOST_TEST(t["sla_breached"] == true);
  BOOST_TEST(t["sla_next_breach_at"] == "2026-11-23T11:00:00Z");  // agent work, 2 h
  f.Update(1, "10:30:00", {{"agent", "alice"}, {"status", "pending"}});
  t = json::parse(TicketJson(f.state(), f.read(), f.ticket(1)));
  BOOST_TEST(t["sla_next_breach_at"] == "2026-11-23T17:00:00Z");  // resolution: the others paused
  for (const json& clock : t["sla"]) {
    if (clock["metric"] == "agent_work") {
      BOOST_TEST(clock["paused"] == true);
      BOOST_TEST(clock["due"].is_null());
      BOOST_TEST(clock["remaining_ms"] == 30 * 60 * 1000);
    }
  }
}

BOOST_AUTO_TEST_CASE(B64_automations_read_hours_until_breach_triggers_read_sla_breached_views_sort_by_next_breach) {
  json config = SlaConfig();
  config["automations"] = json::parse(R"([{"id": "at-risk",
      "conditions": {"all": [{"field": "hours_until_breach", "operator": "less_than", "value": 1}]},
      "actions": [{"field": "tags_add", "value": "at-risk"}]}])");
  config["triggers"] = json::parse(R"([{"id": "late",
      "conditions": {"all": [{"field": "sla_breached", "operator": "is", "value": true}]},
      "actions": [{"field": "priority", "value": "high"}]}])");
  config["views"] = json::parse(R"([{"id": "by-breach", "sort": "sla_next_breach_at",
      "conditions": {"all": [{"field": "status", "operator": "less_than", "value": "solved"}]}}])");
  DeskFixture f(config.dump());
  f.ContactSays("ann", "09:00:00");  // first reply due 10:00
  // Less than an hour before ticket 1's breach (10:00) means from 09:00:00.001 on: the automation
  // looks at that instant, before the next command.
  Events next = f.ContactSays("bea", "09:01:00");
  const json& risk = switchboard::testing::Require(next, "automation.fired");
  BOOST_TEST(risk["ticket"] == 1);
  BOOST_TEST(risk["at"] == "2026-11-23T09:00:00.001Z");
  BOOST_TEST(std::count(f.ticket(1).tags.begin(), f.ticket(1).tags.end(), "at-risk") == 1);
  f.Update(2, "09:02:00", {{"priority", "urgent"}});  // first reply due 09:16
  f.ContactSays("cid", "09:03:00");                   // first reply due 10:03
  std::vector<std::uint64_t> order;
  const std::vector<std::string> members = f.read().ViewMembers(f.state(), "by-breach").value();
  for (const std::string& key : members) order.push_back(TicketOfViewKey(key));
  BOOST_TEST(order == (std::vector<std::uint64_t>{2, 1, 3}), boost::test_tools::per_element());

  // Ticket 2 breaches at 09:16: the trigger reads sla_breached in that same change.
  Events breached = f.Advance("09:20:00");
  const json& breach = Sla(breached, "sla.breached", "first_reply");
  BOOST_TEST(breach["ticket"] == 2);
  const json* fired = switchboard::testing::FindType(breached, "trigger.fired");
  BOOST_REQUIRE(fired);
  BOOST_TEST((*fired)["rule"] == "late");
  BOOST_TEST((*fired)["at"] == "2026-11-23T09:16:00Z");
}

BOOST_AUTO_TEST_CASE(B64_analytics_report_the_share_of_targets_met_per_metric_and_priority) {
  DeskFixture f(SlaConfig().dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");  // answered in time
  f.AgentSays("alice", 1, "09:30:00");
  f.ContactSays("bea", "09:01:00");  // answered late: first reply due 10:01
  f.Advance("10:30:00");
  f.AgentSays("alice", 2, "10:30:00");
  AnalyticsReport report(AnalyticsRange{0, 0, "priority"});
  for (std::uint64_t id : {1u, 2u}) report.AddTicket(TicketJson(f.state(), f.read(), f.ticket(id)));
  json a = json::parse(report.Json());
  const json& first = a["total"]["sla"]["first_reply"];
  BOOST_TEST(first["met"] == 1);
  BOOST_TEST(first["missed"] == 1);
  BOOST_TEST(first["share_met"] == 50);
  BOOST_REQUIRE_EQUAL(a["rows"].size(), 1u);
  BOOST_TEST(a["rows"][0]["key"] == "normal");
  BOOST_TEST(a["rows"][0]["sla"]["first_reply"]["met"] == 1);
}

BOOST_AUTO_TEST_CASE(B62_requester_wait_pauses_while_pending_and_agent_work_while_on_hold_and_both_resume) {
  DeskFixture f(SlaConfig().dump());
  f.Run(f.Line({{"type", "agent.status"}, {"agent", "alice"}, {"status", "online"}}, "08:59:00"));
  f.ContactSays("ann", "09:00:00");
  Events pending = f.Update(1, "10:00:00", {{"agent", "alice"}, {"status", "pending"}});
  BOOST_TEST(Sla(pending, "sla.paused", "requester_wait")["remaining_ms"] == 3 * 3600 * 1000);  // 4 h - 1 h
  BOOST_TEST(Sla(pending, "sla.paused", "agent_work")["remaining_ms"] == 3600 * 1000);          // 2 h - 1 h
  BOOST_TEST(f.Advance("16:00:00").size() == 0u);  // paused clocks do not breach

  Events on_hold = f.Update(1, "16:00:00", {{"agent", "alice"}, {"status", "on-hold"}});
  BOOST_TEST(Sla(on_hold, "sla.resumed", "requester_wait")["due"] == "2026-11-23T19:00:00Z");  // 3 h left
  BOOST_TEST(SlaEvents(on_hold) == (std::vector<std::string>{"sla.resumed requester_wait"}),
             boost::test_tools::per_element());  // agent work stays paused on hold

  Events open = f.Update(1, "17:00:00", {{"agent", "alice"}, {"status", "open"}});
  BOOST_TEST(Sla(open, "sla.resumed", "agent_work")["due"] == "2026-11-23T18:00:00Z");
  // The resolution target (8 h from creation) was not paused: it breached at 17:00 exactly.
  BOOST_TEST(Sla(open, "sla.breached", "resolution")["at"] == "2026-11-23T17:00:00Z");

  Events solved = f.Update(1, "17:30:00", {{"agent", "alice"}, {"status", "solved"}});
  BOOST_TEST(Sla(solved, "sla.fulfilled", "requester_wait")["breached"] == false);
  BOOST_TEST(Sla(solved, "sla.fulfilled", "agent_work")["breached"] == false);
  BOOST_TEST(Sla(solved, "sla.fulfilled", "resolution")["breached"] == true);
  BOOST_TEST(f.ticket(1).sla_clocks.empty());
}

BOOST_AUTO_TEST_CASE(B63_a_priority_change_re_targets_the_open_clock_keeping_what_was_used) {
  DeskFixture f(SlaConfig().dump());
  f.ContactSays("ann", "09:00:00");
  Events urgent = f.Update(1, "09:05:00", {{"priority", "urgent"}});
  const json& applied = Sla(urgent, "sla.applied", "first_reply");
  BOOST_TEST(applied["target_s"] == 900);
  BOOST_TEST(applied["due"] == "2026-11-23T09:15:00Z");  // 5 of 15 minutes used
  // The other metrics have no urgent target in the policy: removed.
  BOOST_TEST(Sla(urgent, "sla.removed", "resolution")["policy"] == "standard");
  BOOST_TEST(Sla(f.Advance("09:20:00"), "sla.breached", "first_reply")["at"] == "2026-11-23T09:15:00Z");
}

BOOST_AUTO_TEST_CASE(B63_a_new_configuration_re_targets_the_open_clocks_of_every_ticket_in_that_change) {
  DeskFixture f(SlaConfig().dump());
  f.ContactSays("ann", "09:00:00");  // ticket 1: first reply due 10:00
  f.ContactSays("bea", "09:10:00");  // ticket 2: first reply due 10:10
  json config = SlaConfig();
  config["sla_policies"][1]["targets"][0]["target_minutes"] = 30;  // first reply: 30 minutes now
  Events applied = f.Run(f.Line({{"type", "config.apply"}, {"config", config}}, "09:20:00"));
  std::vector<std::pair<std::uint64_t, std::string>> retargeted;
  for (const json& e : applied) {
    if (e["type"] == "sla.applied") retargeted.emplace_back(e["ticket"], e["due"]);
  }
  BOOST_TEST(retargeted.size() == 2u);
  BOOST_TEST((retargeted[0] == std::make_pair(std::uint64_t{1}, std::string("2026-11-23T09:30:00Z"))));
  BOOST_TEST((retargeted[1] == std::make_pair(std::uint64_t{2}, std::string("2026-11-23T09:40:00Z"))));
  BOOST_TEST(Sla(f.Advance("09:35:00"), "sla.breached", "first_reply")["ticket"] == 1);

  // Without policies, every open clock goes (sla.removed), and nothing breaches later.
  config.erase("sla_policies");
  Events removed = f.Run(f.Line({{"type", "config.apply"}, {"config", config}}, "09:36:00"));
  BOOST_TEST(std::count_if(removed.begin(), removed.end(), [](const json& e) { return e["type"] == "sla.removed"; }) ==
             8);  // four clocks each: a breached clock stays open until fulfilled
  BOOST_TEST(f.Advance("23:00:00").size() == 0u);
}

BOOST_AUTO_TEST_CASE(B61_a_business_hours_target_counts_only_open_hours_in_the_groups_zone_across_dst) {
  json config = SlaConfig();
  config["groups"][0]["hours"] = {{"tz", "Europe/Paris"}, {"mon-fri", "09:00-18:00"}};
  config["sla_policies"] = json::parse(R"([{"id": "office", "targets": [
      {"metric": "first_reply", "priority": "normal", "target_minutes": 120, "business_hours": true}]}])");
  DeskFixture f(config.dump());
  // Friday 27 March 2026, 17:00 in Paris (CET, 16:00Z): one open hour that day; Paris goes to summer
  // time on Sunday the 29th; the second hour is Monday 09:00-10:00 CEST, 07:00-08:00Z.
  Events created = f.ContactSays("ann", "2026-03-27T16:00:00");
  BOOST_TEST(Sla(created, "sla.applied", "first_reply")["due"] == "2026-03-30T08:00:00Z");
  BOOST_TEST(Sla(created, "sla.applied", "first_reply")["business_hours"] == true);
}

BOOST_AUTO_TEST_CASE(B61_business_time_counts_a_dst_day_at_its_real_length) {
  Configuration config;
  BOOST_REQUIRE(
      ParseConfiguration(R"({"groups": [{"id": "g", "hours": {"tz": "Europe/Paris", "sun": "00:00-24:00"}}]})", &config)
          .ok());
  const BusinessHours& h = *config.FindGroup("g")->hours;
  // Sunday 29 March 2026 in Paris has 23 hours: 23:00Z on the 28th to 22:00Z on the 29th.
  BOOST_TEST(BusinessTimeBetween(h, At("2026-03-28T23:00:00Z"), At("2026-03-29T22:00:00Z")) == 23 * kMillisPerHour);
  BOOST_TEST(BusinessTimeBetween(h, At("2026-03-28T00:00:00Z"), At("2026-03-31T00:00:00Z")) == 23 * kMillisPerHour);
  // Sunday 25 October 2026 has 25.
  BOOST_TEST(BusinessTimeBetween(h, At("2026-10-24T00:00:00Z"), At("2026-10-27T00:00:00Z")) == 25 * kMillisPerHour);
  BOOST_TEST(AddBusinessTime(h, At("2026-03-28T12:00:00Z"), 2 * kMillisPerHour) == At("2026-03-29T01:00:00Z"));
  BOOST_TEST(AddBusinessTime(h, At("2026-03-29T21:00:00Z"), 2 * kMillisPerHour) == At("2026-04-04T23:00:00Z"));
}

BOOST_AUTO_TEST_CASE(B60_a_policy_that_cannot_work_is_refused_naming_its_path) {
  for (const auto& [policies, path] : std::vector<std::pair<std::string, std::string>>{
           {R"([{"id": "p", "targets": [{"metric": "first_response", "priority": "normal", "target_minutes": 5}]}])",
            "sla_policies[0].targets[0].metric"},
           {R"([{"id": "p", "targets": [{"metric": "first_reply", "priority": "asap", "target_minutes": 5}]}])",
            "sla_policies[0].targets[0].priority"},
           {R"([{"id": "p", "targets": [{"metric": "first_reply", "priority": "low", "target_minutes": 0}]}])",
            "sla_policies[0].targets[0].target_minutes"},
           {R"([{"id": "p", "targets": []}])", "sla_policies[0].targets"},
           {R"([{"id": "p", "targets": [{"metric": "resolution", "priority": "low", "target_minutes": 5}]},
                {"id": "p", "targets": [{"metric": "resolution", "priority": "low", "target_minutes": 5}]}])",
            "sla_policies[1].id"}}) {
    json config = {{"groups", {{{"id", "g"}}}}, {"sla_policies", json::parse(policies)}};
    Configuration parsed;
    Status s = ParseConfiguration(config.dump(), &parsed);
    BOOST_TEST(!s.ok());
    BOOST_TEST(s.message().rfind(path + ":", 0) == 0, s.message());
  }
}

BOOST_AUTO_TEST_SUITE_END()
