// Views (B50), kept incrementally by the fold: after every command of a seeded run that changes
// tickets in every way (status, priority, group, assignee, tags, sessions, inactivity, contact
// fields, transfers, routing), each view's members equal a from-scratch filter of all tickets,
// in the view's sort order.
#include "projections/views.h"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <random>

#include "rules/domain/ticket_facts.h"
#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;

namespace {

const char* kViewsConfig = R"({
  "groups": [{"id": "support"}, {"id": "sales"}],
  "agents": [{"id": "alice", "groups": ["support", "sales"]}, {"id": "bob", "groups": ["support"]},
             {"id": "sam", "groups": ["support"], "role": "supervisor"}],
  "routing": {"style": "omnichannel", "fallback": "support"},
  "views": [
    {"id": "alice-open", "sort": "priority", "conditions": {"all": [
      {"field": "assignee", "operator": "is", "value": "alice"},
      {"field": "status", "operator": "less_than", "value": "solved"}]}},
    {"id": "vip", "sort": "updated_at", "conditions": {"any": [
      {"field": "tags", "operator": "includes", "value": "vip"},
      {"field": "contact.vip", "operator": "is", "value": true}]}},
    {"id": "waiting-email", "sort": "status", "conditions": {"all": [
      {"field": "handled_as", "operator": "is", "value": "email"},
      {"field": "status", "operator": "less_than", "value": "solved"}]}},
    {"id": "sales", "conditions": {"all": [{"field": "group", "operator": "is", "value": "sales"}]}}]})";

// The view's members computed from scratch: every ticket, filtered, sorted as the view sorts.
std::vector<std::uint64_t> FromScratch(const switchboard::DeskState& state, const switchboard::ViewConfig& view) {
  std::vector<std::pair<std::string, std::uint64_t>> rows;
  for (std::uint64_t id = 1; id <= state.ticket_count(); ++id) {
    const switchboard::Ticket& t = *state.FindTicket(id);
    auto facts = switchboard::TicketFacts::Unchanged(state, t, "system", t.updated_at);
    if (!switchboard::Holds(view.conditions, facts)) continue;
    // ViewKeysOf gives the key the view sorts by; the filter above is independent of it.
    for (const std::string& key : switchboard::ViewKeysOf(state, t, t.updated_at)) {
      if (switchboard::ViewOfKey(key) == view.id) rows.push_back({key, id});
    }
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::uint64_t> out;
  for (const auto& [key, id] : rows) out.push_back(id);
  return out;
}

std::vector<std::uint64_t> Incremental(const switchboard::testing::DeskFixture& f, const std::string& view) {
  std::vector<std::uint64_t> out;
  std::vector<std::string> members = f.read().ViewMembers(f.state(), view).value();
  for (const std::string& key : members) out.push_back(switchboard::TicketOfViewKey(key));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(views)

BOOST_AUTO_TEST_CASE(B50_incremental_views_equal_a_from_scratch_filter_after_every_command) {
  DeskFixture f(kViewsConfig);
  std::mt19937_64 rng(50);
  auto pick = [&](int n) { return static_cast<int>(std::uniform_int_distribution<int>(0, n - 1)(rng)); };
  const std::vector<std::string> agents{"alice", "bob"};
  int seconds = 0;
  int nonempty_checks = 0;
  for (int step = 0; step < 1500; ++step) {
    seconds += 1 + pick(90);
    char time[32];
    std::snprintf(time, sizeof time, "2026-11-23T%02d:%02d:%02d", 8 + seconds / 3600, seconds / 60 % 60, seconds % 60);
    const std::uint64_t tickets = f.state().ticket_count();
    const std::uint64_t n = tickets == 0 ? 0 : 1 + pick(static_cast<int>(tickets));
    const switchboard::Ticket* t = n ? &f.ticket(n) : nullptr;
    const std::string actor = t && !t->assignee.empty() ? t->assignee : "sam";
    switch (tickets < 5 ? 0 : pick(11)) {
      case 0:
        f.Run(f.Line({{"type", "contact.message"},
                      {"contact", "c" + std::to_string(pick(60))},
                      {"channel", pick(3) ? "messaging" : "email"},
                      {"text", "hello"},
                      {"profile", {{"vip", pick(5) == 0}}}},
                     time));
        break;
      case 1:
        f.Run(f.Line({{"type", "agent.status"}, {"agent", agents[pick(2)]}, {"status", pick(3) ? "online" : "away"}},
                     time));
        break;
      case 2:
        f.Update(n, time,
                 {{"agent", actor}, {"status", std::vector<std::string>{"open", "pending", "solved"}[pick(3)]}});
        break;
      case 3:
        f.Update(n, time, {{"agent", "sam"}, {"priority", std::vector<std::string>{"low", "high", "urgent"}[pick(3)]}});
        break;
      case 4:
        f.Update(n, time, {{"agent", "sam"}, {pick(2) ? "tags_add" : "tags_remove", {"vip"}}});
        break;
      case 5:
        f.Update(n, time, {{"agent", "sam"}, {"assignee", pick(3) ? json(agents[pick(2)]) : json(nullptr)}});
        break;
      case 6:
        f.Run(f.Line({{"type", "session.end"}, {"ticket", n}, {"agent", actor}}, time));
        break;
      case 7:
        f.Run(f.Line(
            {{"type", "ticket.transfer"}, {"ticket", n}, {"agent", actor}, {"to_group", pick(2) ? "sales" : "support"}},
            time));
        break;
      case 8:
        f.AgentSays(actor, n, time);
        break;
      case 9:
        f.ContactSays(t->contact, time, "news?", pick(2) ? "messaging" : "email");
        break;
      default:
        f.Update(n, time, {{"status", "closed"}});
        break;
    }
    for (const switchboard::ViewConfig& view : f.state().config().views) {
      auto expected = FromScratch(f.state(), view);
      auto actual = Incremental(f, view.id);
      BOOST_REQUIRE_MESSAGE(actual == expected, "view " << view.id << " after step " << step << " at " << time);
      if (!expected.empty()) ++nonempty_checks;
    }
  }
  BOOST_TEST(f.state().ticket_count() > 100u);
  BOOST_TEST(nonempty_checks > 3000);  // the views were not empty all along
}

BOOST_AUTO_TEST_CASE(B50_a_view_removed_by_a_new_configuration_is_gone_and_a_new_one_is_filled) {
  DeskFixture f(kViewsConfig);
  f.ContactSays("ann", "09:00:00");
  f.Update(1, "09:00:10", {{"agent", "sam"}, {"group", "sales"}});
  BOOST_TEST(Incremental(f, "sales") == (std::vector<std::uint64_t>{1}), boost::test_tools::per_element());
  json config = json::parse(kViewsConfig);
  config["views"] = json::parse(R"([{"id": "new-tickets", "conditions": {"all": [
      {"field": "status", "operator": "is", "value": "new"}]}}])");
  f.Run(f.Line({{"type", "config.apply"}, {"config", config}}, "09:01:00"));
  BOOST_TEST(!f.read().ViewMembers(f.state(), "sales").has_value());
  BOOST_TEST(Incremental(f, "new-tickets") == (std::vector<std::uint64_t>{1}),
             boost::test_tools::per_element());
  BOOST_TEST(Incremental(f, "unassigned-messaging") == (std::vector<std::uint64_t>{1}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
