// ticket.updated and contact.updated carry typed values; logs written before that hold JSON text in
// the deprecated fields. Writers emit only the typed fields, and the state folds an old event exactly
// as it folds the typed one (docs/storage-format.md, "Typed values").
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "events/command.h"
#include "events/event_json.h"
#include "events/value.h"
#include "rules/domain/desk.h"
#include "tests/rules/domain/desk_fixture.h"

namespace {

namespace fb = switchboard::fb;
using switchboard::Event;

std::string Line(nlohmann::json command, int n, const std::string& time) {
  command["id"] = "cmd" + std::to_string(n);
  command["at"] = "2026-11-23T" + time + "Z";
  return command.dump();
}

// A contact with a profile of every kind, a ticket, and an update of its group, priority and tags.
std::vector<Event> DecideADay() {
  switchboard::DeskState state;
  switchboard::Desk desk(&state);
  std::vector<Event> out;
  BOOST_REQUIRE(!desk.ApplyConfiguration(switchboard::testing::kTwoGroupConfig, 0, &out));
  const nlohmann::json profile =
      nlohmann::json::parse(R"({"name":"Ann Ó","vip":true,"age":42,"balance":-3.25,"tags":["a","b"],"none":null,)"
                            R"("address":{"city":"Lyon","geo":[45.76,4.83]}})");
  const std::string lines[] = {
      Line({{"type", "contact.message"},
            {"contact", "ann"},
            {"channel", "messaging"},
            {"text", "hi"},
            {"profile", profile}},
           1, "09:00:00"),
      Line({{"type", "ticket.update"},
            {"ticket", 1},
            {"agent", "sam"},
            {"group", "sales"},
            {"priority", "high"},
            {"tags_add", {"vip", "late"}}},
           2, "09:00:10"),
      Line({{"type", "contact.message"},
            {"contact", "ann"},
            {"channel", "messaging"},
            {"text", "again"},
            {"profile", {{"name", "Ann"}, {"age", 43}}}},
           3, "09:00:20"),
      Line({{"type", "ticket.update"}, {"ticket", 1}, {"agent", "sam"}, {"tags_remove", {"late"}}}, 4, "09:00:30"),
  };
  for (const std::string& line : lines) desk.Handle(switchboard::ParseCommand(line), 0, &out);
  return out;
}

// The event as a build before the typed-events change wrote it: the JSON text in the deprecated
// fields, no typed values.
Event AsOldBuildWroteIt(const Event& typed) {
  Event old = typed;
  if (fb::TicketUpdatedT* p = old.payload.AsTicketUpdated()) {
    for (auto& change : p->changes) {
      change->before = switchboard::JsonOf(*change->before_value).dump();
      change->after = switchboard::JsonOf(*change->after_value).dump();
      change->before_value.reset();
      change->after_value.reset();
    }
  }
  if (fb::ContactUpdatedT* p = old.payload.AsContactUpdated()) {
    p->profile = switchboard::JsonOf(*p->profile_value).dump();
    p->profile_value.reset();
  }
  return old;
}

switchboard::DeskState Fold(const std::vector<Event>& events) {
  switchboard::DeskState state;
  for (const Event& e : events) BOOST_REQUIRE(state.Apply(e).ok());
  return state;
}

int Count(const std::vector<Event>& events, fb::Payload type) {
  int n = 0;
  for (const Event& e : events) n += e.payload.type == type;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(typed_events)

BOOST_AUTO_TEST_CASE(writers_emit_only_the_typed_fields_of_ticket_updated_and_contact_updated) {
  const std::vector<Event> events = DecideADay();
  BOOST_TEST_REQUIRE(Count(events, fb::Payload::TicketUpdated) == 2);
  BOOST_TEST_REQUIRE(Count(events, fb::Payload::ContactUpdated) == 2);
  for (const Event& e : events) {
    if (const fb::TicketUpdatedT* p = e.payload.AsTicketUpdated()) {
      for (const auto& change : p->changes) {
        BOOST_TEST(change->before.empty());
        BOOST_TEST(change->after.empty());
        BOOST_TEST((change->before_value != nullptr));
        BOOST_TEST((change->after_value != nullptr));
      }
    }
    if (const fb::ContactUpdatedT* p = e.payload.AsContactUpdated()) {
      BOOST_TEST(p->profile.empty());
      BOOST_TEST_REQUIRE((p->profile_value != nullptr));
      BOOST_TEST((p->profile_value->kind == fb::ValueKind::Object));
    }
  }
}

BOOST_AUTO_TEST_CASE(old_text_ticket_updated_and_contact_updated_print_and_fold_as_the_typed_ones) {
  const std::vector<Event> typed = DecideADay();
  std::vector<Event> old;
  for (const Event& e : typed) old.push_back(AsOldBuildWroteIt(e));
  for (std::size_t i = 0; i < typed.size(); ++i) {
    BOOST_TEST_CONTEXT("event " << i) {
      BOOST_TEST(switchboard::EventToJson(old[i]) == switchboard::EventToJson(typed[i]));
    }
  }

  const switchboard::DeskState now = Fold(typed);
  const switchboard::DeskState then = Fold(old);
  const switchboard::Ticket& t = *now.FindTicket(1);
  const switchboard::Ticket& t_old = *then.FindTicket(1);
  BOOST_TEST(t.group == "sales");
  BOOST_TEST((t.priority == switchboard::Priority::kHigh));
  BOOST_TEST(t.tags == std::vector<std::string>{"vip"}, boost::test_tools::per_element());
  BOOST_TEST(t_old.group == t.group);
  BOOST_TEST((t_old.priority == t.priority));
  BOOST_TEST(t_old.tags == t.tags, boost::test_tools::per_element());

  const switchboard::Contact& c = *now.FindContact("ann");
  const switchboard::Contact& c_old = *then.FindContact("ann");
  BOOST_TEST(c.profile.at("name") == "\"Ann\"");
  BOOST_TEST(c.profile.at("age") == "43");
  BOOST_TEST(c.profile.at("address") == R"({"city":"Lyon","geo":[45.76,4.83]})");
  BOOST_TEST((c_old.profile == c.profile));
  BOOST_TEST((c_old.values == c.values));
}

BOOST_AUTO_TEST_CASE(old_contact_updated_whose_text_is_not_an_object_is_still_refused_as_corruption) {
  fb::ContactUpdatedT p;
  p.profile = "[1,2]";
  Event e = switchboard::MakeEvent(std::move(p));
  e.seq = 7;
  e.contact = "ann";
  switchboard::Contact contact;
  contact.id = "ann";
  BOOST_TEST(contact.Apply(e).IsCorruption());
}

BOOST_AUTO_TEST_SUITE_END()
