// The condition engine (rules/condition.h): what each operator means (B40), the status and priority orders,
// all / any, the time-based fields and when an automation comes due (B43), the unassigned view (B50), and how
// a broken condition is refused with the JSON path at fault.
#include "rules/condition.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "events/time.h"

namespace {

using switchboard::ClockValue;
using switchboard::Condition;
using switchboard::Conditions;
using switchboard::Facts;
using switchboard::FieldFromName;
using switchboard::FieldId;
using switchboard::FieldName;
using switchboard::FieldRef;
using switchboard::FieldValue;
using switchboard::Holds;
using switchboard::kMillisPerHour;
using switchboard::kMillisPerMinute;
using switchboard::NextDue;
using switchboard::Operator;
using switchboard::ParseConditions;
using switchboard::ParseRfc3339;
using switchboard::Status;
using switchboard::TimeBase;
using switchboard::Timestamp;
using switchboard::Value;
using json = nlohmann::json;

// 2026-11-23T09:00:00Z: an arbitrary, realistic instant to count from.
constexpr Timestamp kT0 = 1795424400000;

FieldRef Field(const std::string& name) {
  std::optional<FieldRef> f = FieldFromName(name);
  BOOST_REQUIRE_MESSAGE(f.has_value(), "not a field: " << name);
  return *f;
}

// Facts from plain maps: what the test sets is what the conditions see; everything else is null / unchanged.
class FakeFacts : public Facts {
 public:
  FakeFacts& Set(const std::string& field, Value v) {
    current_[Field(field)] = std::move(v);
    return *this;
  }
  // Marks the field as changed in this change, from `before` to whatever Set gave it.
  FakeFacts& Was(const std::string& field, Value before) {
    previous_[Field(field)] = std::move(before);
    return *this;
  }
  FakeFacts& At(TimeBase base, Timestamp t) {
    times_[base] = t;
    return *this;
  }
  FakeFacts& SetNow(Timestamp t) {
    now_ = t;
    return *this;
  }

  // A clock field that was not Set is read off Now(), as every Facts does (ClockValue).
  Value Current(const FieldRef& field) const override {
    auto it = current_.find(field);
    if (it == current_.end()) return switchboard::IsClockField(field.id) ? ClockValue(field, now_) : Value::Null();
    return it->second;
  }
  std::optional<Value> Previous(const FieldRef& field) const override {
    auto it = previous_.find(field);
    if (it == previous_.end()) return std::nullopt;
    return it->second;
  }
  std::optional<Timestamp> TimeOf(TimeBase base) const override {
    auto it = times_.find(base);
    if (it == times_.end()) return std::nullopt;
    return it->second;
  }
  Timestamp Now() const override { return now_; }

 private:
  std::map<FieldRef, Value> current_;
  std::map<FieldRef, Value> previous_;
  std::map<TimeBase, Timestamp> times_;
  Timestamp now_ = kT0;
};

Value S(const std::string& s) { return Value::String(s); }

Conditions Compile(const std::string& text) {
  Conditions out;
  Status s = ParseConditions(json::parse(text), "triggers[0].conditions", &out);
  BOOST_REQUIRE_MESSAGE(s.ok(), "refused " << text << ": " << s.message());
  return out;
}

// One condition, given as its JSON object, evaluated alone.
bool Check(const std::string& condition, const Facts& facts) {
  Conditions c = Compile(R"({"all": [)" + condition + "]}");
  BOOST_REQUIRE_EQUAL(c.all.size(), 1u);
  return Holds(c.all[0], facts);
}

// NextDue as a number for BOOST_TEST messages: -1 stands for nullopt.
Timestamp Due(const std::string& conditions, const Facts& facts) {
  std::optional<Timestamp> due = NextDue(Compile(conditions), facts);
  return due ? *due : -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(condition)

// ---------------------------------------------------------------------------------------------------------
// One true and one false case per operator (B40).

BOOST_AUTO_TEST_CASE(B40_is_compares_the_current_value) {
  FakeFacts facts;
  facts.Set("status", S("open")).Set("contact.vip", Value::Bool(true)).Set("var.team", S("Sales"));
  BOOST_TEST(Check(R"({"field": "status", "operator": "is", "value": "open"})", facts));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "is", "value": "pending"})", facts));
  BOOST_TEST(Check(R"({"field": "contact.vip", "operator": "is", "value": true})", facts));
  BOOST_TEST(!Check(R"({"field": "contact.vip", "operator": "is", "value": "true"})", facts));  // no coercion
  BOOST_TEST(Check(R"({"field": "var.team", "operator": "is", "value": "Sales"})", facts));
  BOOST_TEST(!Check(R"({"field": "var.team", "operator": "is", "value": "sales"})", facts));
}

BOOST_AUTO_TEST_CASE(B40_is_not_is_the_negation_of_is) {
  FakeFacts facts;
  facts.Set("priority", S("high"));
  BOOST_TEST(Check(R"({"field": "priority", "operator": "is_not", "value": "low"})", facts));
  BOOST_TEST(!Check(R"({"field": "priority", "operator": "is_not", "value": "high"})", facts));
  // A field with no value is not "low" either.
  BOOST_TEST(Check(R"({"field": "group", "operator": "is_not", "value": "support"})", facts));
}

BOOST_AUTO_TEST_CASE(B40_less_than_follows_the_field_order) {
  FakeFacts facts;
  facts.Set("status", S("pending")).Set("contact.age", Value::Number(17));
  BOOST_TEST(Check(R"({"field": "status", "operator": "less_than", "value": "solved"})", facts));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "less_than", "value": "open"})", facts));
  BOOST_TEST(Check(R"({"field": "contact.age", "operator": "less_than", "value": 18})", facts));
  BOOST_TEST(!Check(R"({"field": "contact.age", "operator": "less_than", "value": 17})", facts));
  // Null has no place in an order.
  BOOST_TEST(!Check(R"({"field": "priority", "operator": "less_than", "value": "urgent"})", facts));
}

BOOST_AUTO_TEST_CASE(B40_greater_than_follows_the_field_order) {
  FakeFacts facts;
  facts.Set("priority", S("high")).Set("var.score", Value::Number(4.5)).Set("var.word", S("many"));
  BOOST_TEST(Check(R"({"field": "priority", "operator": "greater_than", "value": "normal"})", facts));
  BOOST_TEST(!Check(R"({"field": "priority", "operator": "greater_than", "value": "high"})", facts));
  BOOST_TEST(Check(R"({"field": "var.score", "operator": "greater_than", "value": 4})", facts));
  BOOST_TEST(!Check(R"({"field": "var.score", "operator": "greater_than", "value": 5})", facts));
  BOOST_TEST(!Check(R"({"field": "var.word", "operator": "greater_than", "value": 0})", facts));    // not a number
  BOOST_TEST(!Check(R"({"field": "status", "operator": "greater_than", "value": "new"})", facts));  // null
}

BOOST_AUTO_TEST_CASE(B40_includes_looks_inside_the_list) {
  FakeFacts facts;
  facts.Set("tags", Value::List({"vip", "refund"})).Set("contact.plans", Value::List({"gold"}));
  BOOST_TEST(Check(R"({"field": "tags", "operator": "includes", "value": "vip"})", facts));
  BOOST_TEST(!Check(R"({"field": "tags", "operator": "includes", "value": "spam"})", facts));
  BOOST_TEST(Check(R"({"field": "contact.plans", "operator": "includes", "value": "gold"})", facts));
  BOOST_TEST(!Check(R"({"field": "var.list", "operator": "includes", "value": "gold"})", facts));  // null list
}

BOOST_AUTO_TEST_CASE(B40_not_includes_is_the_negation_of_includes) {
  FakeFacts facts;
  facts.Set("tags", Value::List({"vip"}));
  BOOST_TEST(Check(R"({"field": "tags", "operator": "not_includes", "value": "spam"})", facts));
  BOOST_TEST(!Check(R"({"field": "tags", "operator": "not_includes", "value": "vip"})", facts));
  BOOST_TEST(Check(R"({"field": "contact.plans", "operator": "not_includes", "value": "x"})", facts));  // null
}

BOOST_AUTO_TEST_CASE(B40_present_needs_a_non_empty_value) {
  FakeFacts facts;
  facts.Set("group", S("support")).Set("language", S("")).Set("tags", Value::List({}));
  facts.Set("contact.vip", Value::Bool(false)).Set("var.count", Value::Number(0));
  BOOST_TEST(Check(R"({"field": "group", "operator": "present"})", facts));
  BOOST_TEST(Check(R"({"field": "contact.vip", "operator": "present"})", facts));  // false is a value
  BOOST_TEST(Check(R"({"field": "var.count", "operator": "present"})", facts));    // so is 0
  BOOST_TEST(!Check(R"({"field": "assignee", "operator": "present"})", facts));    // null
  BOOST_TEST(!Check(R"({"field": "language", "operator": "present"})", facts));    // ""
  BOOST_TEST(!Check(R"({"field": "tags", "operator": "present"})", facts));        // []
}

BOOST_AUTO_TEST_CASE(B40_absent_is_the_negation_of_present) {
  FakeFacts facts;
  facts.Set("group", S("support")).Set("tags", Value::List({}));
  BOOST_TEST(Check(R"({"field": "session_end_reason", "operator": "absent"})", facts));
  BOOST_TEST(Check(R"({"field": "tags", "operator": "absent"})", facts));
  BOOST_TEST(!Check(R"({"field": "group", "operator": "absent"})", facts));
}

BOOST_AUTO_TEST_CASE(B40_changed_needs_a_previous_value) {
  FakeFacts facts;
  facts.Set("status", S("solved")).Was("status", S("open")).Set("priority", S("high"));
  facts.Set("assignee", S("alice")).Was("assignee", Value::Null());  // assigned in this change
  BOOST_TEST(Check(R"({"field": "status", "operator": "changed"})", facts));
  BOOST_TEST(Check(R"({"field": "assignee", "operator": "changed"})", facts));  // from null counts
  BOOST_TEST(!Check(R"({"field": "priority", "operator": "changed"})", facts));
}

BOOST_AUTO_TEST_CASE(B40_changed_to_needs_the_change_and_the_new_value) {
  FakeFacts changed;
  changed.Set("status", S("solved")).Was("status", S("open"));
  BOOST_TEST(Check(R"({"field": "status", "operator": "changed_to", "value": "solved"})", changed));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "changed_to", "value": "pending"})", changed));
  FakeFacts unchanged;  // already solved before this change: the CSAT trigger must not fire again
  unchanged.Set("status", S("solved"));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "changed_to", "value": "solved"})", unchanged));
}

BOOST_AUTO_TEST_CASE(B40_changed_from_needs_the_change_and_the_old_value) {
  FakeFacts changed;
  changed.Set("status", S("open")).Was("status", S("solved"));
  changed.Set("assignee", Value::Null()).Was("assignee", S("alice"));
  BOOST_TEST(Check(R"({"field": "status", "operator": "changed_from", "value": "solved"})", changed));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "changed_from", "value": "pending"})", changed));
  BOOST_TEST(Check(R"({"field": "assignee", "operator": "changed_from", "value": "alice"})", changed));
  BOOST_TEST(Check(R"({"field": "assignee", "operator": "changed_to", "value": null})", changed));
  FakeFacts unchanged;
  unchanged.Set("status", S("open"));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "changed_from", "value": "solved"})", unchanged));
}

BOOST_AUTO_TEST_CASE(B40_who_made_the_change_and_why_the_session_ended) {
  FakeFacts facts;
  facts.Set("update_via", S("automation")).Set("via", S("contact")).Set("session_end_reason", S("ended_by_agent"));
  facts.Set("ticket", S("created")).Set("solved_automatically", Value::Bool(false));
  BOOST_TEST(Check(R"({"field": "update_via", "operator": "is", "value": "automation"})", facts));
  BOOST_TEST(!Check(R"({"field": "via", "operator": "is", "value": "agent"})", facts));
  BOOST_TEST(Check(R"({"field": "session_end_reason", "operator": "is", "value": "ended_by_agent"})", facts));
  BOOST_TEST(Check(R"({"field": "ticket", "operator": "is", "value": "created"})", facts));
  BOOST_TEST(Check(R"({"field": "solved_automatically", "operator": "is", "value": false})", facts));
}

// ---------------------------------------------------------------------------------------------------------
// Orders.

BOOST_AUTO_TEST_CASE(status_order_is_new_open_pending_on_hold_solved_closed) {
  const std::string below_solved = R"({"field": "status", "operator": "less_than", "value": "solved"})";
  const std::vector<std::pair<std::string, bool>> cases = {{"new", true},     {"open", true},    {"pending", true},
                                                           {"on-hold", true}, {"solved", false}, {"closed", false}};
  for (const auto& [status, expected] : cases) {
    FakeFacts facts;
    facts.Set("status", S(status));
    BOOST_TEST_CONTEXT("status " << status) { BOOST_TEST(Check(below_solved, facts) == expected); }
  }
  FakeFacts on_hold;
  on_hold.Set("status", S("on-hold"));
  BOOST_TEST(Check(R"({"field": "status", "operator": "greater_than", "value": "pending"})", on_hold));
  BOOST_TEST(!Check(R"({"field": "status", "operator": "greater_than", "value": "on-hold"})", on_hold));
}

BOOST_AUTO_TEST_CASE(priority_order_is_low_normal_high_urgent) {
  const std::vector<std::string> order = {"low", "normal", "high", "urgent"};
  for (std::size_t i = 0; i < order.size(); ++i) {
    for (std::size_t j = 0; j < order.size(); ++j) {
      FakeFacts facts;
      facts.Set("priority", S(order[i]));
      BOOST_TEST_CONTEXT(order[i] << " vs " << order[j]) {
        BOOST_TEST(Check(R"({"field": "priority", "operator": "less_than", "value": ")" + order[j] + "\"}", facts) ==
                   (i < j));
        BOOST_TEST(Check(R"({"field": "priority", "operator": "greater_than", "value": ")" + order[j] + "\"}", facts) ==
                   (i > j));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(B4_weekday_and_time_of_day_are_ordered) {
  FakeFacts facts;
  facts.Set("weekday", S("sat")).Set("time_of_day", S("18:30"));
  BOOST_TEST(Check(R"({"field": "weekday", "operator": "greater_than", "value": "fri"})", facts));
  BOOST_TEST(!Check(R"({"field": "weekday", "operator": "less_than", "value": "fri"})", facts));
  BOOST_TEST(Check(R"({"field": "time_of_day", "operator": "greater_than", "value": "18:00"})", facts));
  BOOST_TEST(!Check(R"({"field": "time_of_day", "operator": "less_than", "value": "09:00"})", facts));
}

// ---------------------------------------------------------------------------------------------------------
// all / any.

BOOST_AUTO_TEST_CASE(empty_conditions_hold) {
  FakeFacts facts;
  BOOST_TEST(Holds(Compile("{}"), facts));
  BOOST_TEST(Holds(Compile(R"({"all": [], "any": []})"), facts));
  BOOST_TEST(Holds(Conditions{}, facts));
}

BOOST_AUTO_TEST_CASE(all_needs_every_condition_and_any_needs_one) {
  FakeFacts facts;
  facts.Set("status", S("open")).Set("channel", S("messaging")).Set("tags", Value::List({"vip"}));
  const std::string open = R"({"field": "status", "operator": "is", "value": "open"})";
  const std::string email = R"({"field": "channel", "operator": "is", "value": "email"})";
  const std::string vip = R"({"field": "tags", "operator": "includes", "value": "vip"})";
  const std::string spam = R"({"field": "tags", "operator": "includes", "value": "spam"})";

  BOOST_TEST(Holds(Compile(R"({"all": [)" + open + "," + vip + "]}"), facts));
  BOOST_TEST(!Holds(Compile(R"({"all": [)" + open + "," + email + "]}"), facts));
  BOOST_TEST(Holds(Compile(R"({"any": [)" + email + "," + vip + "]}"), facts));
  BOOST_TEST(!Holds(Compile(R"({"any": [)" + email + "," + spam + "]}"), facts));
  // Both lists: all of `all` and one of `any`.
  BOOST_TEST(Holds(Compile(R"({"all": [)" + open + R"(], "any": [)" + spam + "," + vip + "]}"), facts));
  BOOST_TEST(!Holds(Compile(R"({"all": [)" + open + R"(], "any": [)" + spam + "," + email + "]}"), facts));
  BOOST_TEST(!Holds(Compile(R"({"all": [)" + email + R"(], "any": [)" + vip + "]}"), facts));
  // An empty `any` next to a true `all` does not make the whole false.
  BOOST_TEST(Holds(Compile(R"({"all": [)" + open + R"(], "any": []})"), facts));
}

BOOST_AUTO_TEST_CASE(B50_assignee_is_null_finds_unassigned_tickets) {
  const Conditions view = Compile(R"({"all": [{"field": "assignee", "operator": "is", "value": null},
      {"field": "handled_as", "operator": "is", "value": "messaging"},
      {"field": "status", "operator": "less_than", "value": "solved"}]})");
  FakeFacts unassigned;
  unassigned.Set("handled_as", S("messaging")).Set("status", S("new"));
  BOOST_TEST(Holds(view, unassigned));
  FakeFacts assigned;
  assigned.Set("handled_as", S("messaging")).Set("status", S("new")).Set("assignee", S("alice"));
  BOOST_TEST(!Holds(view, assigned));
  FakeFacts solved;
  solved.Set("handled_as", S("messaging")).Set("status", S("solved"));
  BOOST_TEST(!Holds(view, solved));
  BOOST_TEST(Check(R"({"field": "assignee", "operator": "is_not", "value": null})", assigned));
}

// ---------------------------------------------------------------------------------------------------------
// Time-based fields (B43).

BOOST_AUTO_TEST_CASE(B43_hours_since_solved_counts_whole_hours) {
  const std::string after_96h = R"({"field": "hours_since_solved", "operator": "greater_than", "value": 96})";
  FakeFacts facts;
  facts.At(TimeBase::kSolved, kT0);
  facts.SetNow(kT0 + 96 * kMillisPerHour + 59 * kMillisPerMinute);
  BOOST_TEST(FieldValue(Field("hours_since_solved"), facts) == Value::Number(96));
  BOOST_TEST(!Check(after_96h, facts));
  facts.SetNow(kT0 + 97 * kMillisPerHour);
  BOOST_TEST(FieldValue(Field("hours_since_solved"), facts) == Value::Number(97));
  BOOST_TEST(Check(after_96h, facts));
}

BOOST_AUTO_TEST_CASE(B43_a_base_that_never_happened_is_null) {
  FakeFacts facts;  // never solved
  facts.SetNow(kT0 + 1000 * kMillisPerHour);
  BOOST_TEST(FieldValue(Field("hours_since_solved"), facts) == Value::Null());
  BOOST_TEST(!Check(R"({"field": "hours_since_solved", "operator": "greater_than", "value": 96})", facts));
  BOOST_TEST(!Check(R"({"field": "hours_since_solved", "operator": "less_than", "value": 96})", facts));
  BOOST_TEST(!Check(R"({"field": "hours_since_solved", "operator": "is", "value": 0})", facts));
}

BOOST_AUTO_TEST_CASE(B43_minutes_since_and_the_other_operators) {
  FakeFacts facts;
  facts.At(TimeBase::kLastContactMessage, kT0).SetNow(kT0 + 10 * kMillisPerMinute + 30 * 1000);
  BOOST_TEST(Check(R"({"field": "minutes_since_last_contact_message", "operator": "is", "value": 10})", facts));
  BOOST_TEST(!Check(R"({"field": "minutes_since_last_contact_message", "operator": "is", "value": 11})", facts));
  BOOST_TEST(Check(R"({"field": "minutes_since_last_contact_message", "operator": "is_not", "value": 11})", facts));
  BOOST_TEST(Check(R"({"field": "minutes_since_last_contact_message", "operator": "less_than", "value": 11})", facts));
  BOOST_TEST(!Check(R"({"field": "minutes_since_last_contact_message", "operator": "less_than", "value": 10})", facts));
  // A base in the future (clock skew) counts negative, floored: 30 minutes ahead is -1 hour, not 0.
  facts.At(TimeBase::kCreated, facts.Now() + 30 * kMillisPerMinute);
  BOOST_TEST(FieldValue(Field("hours_since_created"), facts) == Value::Number(-1));
}

// ---------------------------------------------------------------------------------------------------------
// NextDue (B43).

const char* const kCloseSolved = R"({"all": [{"field": "status", "operator": "is", "value": "solved"},
    {"field": "hours_since_solved", "operator": "greater_than", "value": 96}]})";

BOOST_AUTO_TEST_CASE(B43_close_solved_is_due_97_hours_after_solving) {
  FakeFacts facts;
  facts.Set("status", S("solved")).At(TimeBase::kSolved, kT0).SetNow(kT0 + kMillisPerHour);
  BOOST_TEST(Due(kCloseSolved, facts) == kT0 + 97 * kMillisPerHour);
  facts.SetNow(kT0 + 96 * kMillisPerHour + 59 * kMillisPerMinute);
  BOOST_TEST(Due(kCloseSolved, facts) == kT0 + 97 * kMillisPerHour);
  // And at that instant the automation does hold.
  facts.SetNow(kT0 + 97 * kMillisPerHour);
  BOOST_TEST(Holds(Compile(kCloseSolved), facts));
}

BOOST_AUTO_TEST_CASE(B43_a_false_non_time_condition_is_never_due) {
  FakeFacts facts;
  facts.Set("status", S("open")).At(TimeBase::kSolved, kT0).SetNow(kT0 + kMillisPerHour);
  BOOST_TEST(Due(kCloseSolved, facts) == -1);
  FakeFacts no_time;  // no time condition at all
  no_time.Set("status", S("open"));
  BOOST_TEST(Due(R"({"all": [{"field": "status", "operator": "is", "value": "solved"}]})", no_time) == -1);
}

BOOST_AUTO_TEST_CASE(B43_already_holding_is_not_due) {
  FakeFacts facts;
  facts.Set("status", S("solved")).At(TimeBase::kSolved, kT0).SetNow(kT0 + 100 * kMillisPerHour);
  BOOST_TEST(Due(kCloseSolved, facts) == -1);
  BOOST_TEST(Due("{}", facts) == -1);
  // Holding now wins even when another condition still has a due time ahead.
  facts.At(TimeBase::kCreated, kT0);
  BOOST_TEST(Due(R"({"any": [{"field": "hours_since_solved", "operator": "greater_than", "value": 96},
      {"field": "hours_since_created", "operator": "greater_than", "value": 200}]})",
                 facts) == -1);
}

BOOST_AUTO_TEST_CASE(B43_any_of_two_time_conditions_is_due_at_the_earlier) {
  const std::string doc = R"({"any": [{"field": "hours_since_created", "operator": "greater_than", "value": 24},
      {"field": "minutes_since_last_agent_message", "operator": "greater_than", "value": 30}]})";
  FakeFacts facts;
  facts.At(TimeBase::kCreated, kT0).At(TimeBase::kLastAgentMessage, kT0 + 2 * kMillisPerHour);
  facts.SetNow(kT0 + 2 * kMillisPerHour);
  BOOST_TEST(Due(doc, facts) == kT0 + 2 * kMillisPerHour + 31 * kMillisPerMinute);
  facts.At(TimeBase::kLastAgentMessage, kT0 + 30 * kMillisPerHour);  // now the other one comes first
  BOOST_TEST(Due(doc, facts) == kT0 + 25 * kMillisPerHour);
}

BOOST_AUTO_TEST_CASE(B43_all_of_two_time_conditions_is_due_at_the_later) {
  const std::string doc = R"({"all": [{"field": "hours_since_created", "operator": "greater_than", "value": 24},
      {"field": "minutes_since_last_agent_message", "operator": "greater_than", "value": 30}]})";
  FakeFacts facts;
  facts.At(TimeBase::kCreated, kT0).At(TimeBase::kLastAgentMessage, kT0 + 2 * kMillisPerHour);
  facts.SetNow(kT0 + 2 * kMillisPerHour);
  BOOST_TEST(Due(doc, facts) == kT0 + 25 * kMillisPerHour);
}

BOOST_AUTO_TEST_CASE(B43_less_than_never_makes_anything_due) {
  const std::string doc = R"({"all": [{"field": "hours_since_created", "operator": "less_than", "value": 48},
      {"field": "hours_since_status_changed", "operator": "greater_than", "value": 4}]})";
  FakeFacts facts;
  facts.At(TimeBase::kCreated, kT0).At(TimeBase::kStatusChanged, kT0).SetNow(kT0 + kMillisPerHour);
  BOOST_TEST(Due(doc, facts) == kT0 + 5 * kMillisPerHour);
  // Already false: it will not come back.
  facts.SetNow(kT0 + 49 * kMillisPerHour).At(TimeBase::kStatusChanged, kT0 + 48 * kMillisPerHour);
  BOOST_TEST(Due(doc, facts) == -1);
  // Still true now, but it stops holding (at 48h) before the other comes due (at 50h).
  facts.SetNow(kT0 + 46 * kMillisPerHour).At(TimeBase::kStatusChanged, kT0 + 45 * kMillisPerHour);
  BOOST_TEST(Due(doc, facts) == -1);
  // A lone less_than that is false is never due either.
  BOOST_TEST(Due(R"({"all": [{"field": "hours_since_created", "operator": "less_than", "value": 2}]})", facts) == -1);
}

BOOST_AUTO_TEST_CASE(B43_is_and_is_not_hold_for_one_unit) {
  const std::string is_3h = R"({"all": [{"field": "hours_since_updated", "operator": "is", "value": 3}]})";
  const std::string is_not_3h = R"({"all": [{"field": "hours_since_updated", "operator": "is_not", "value": 3}]})";
  FakeFacts facts;
  facts.At(TimeBase::kUpdated, kT0).SetNow(kT0 + kMillisPerHour);
  BOOST_TEST(Due(is_3h, facts) == kT0 + 3 * kMillisPerHour);
  facts.SetNow(kT0 + 4 * kMillisPerHour);  // the window has passed
  BOOST_TEST(Due(is_3h, facts) == -1);
  facts.SetNow(kT0 + 3 * kMillisPerHour + kMillisPerMinute);  // inside the window
  BOOST_TEST(Due(is_3h, facts) == -1);
  BOOST_TEST(Due(is_not_3h, facts) == kT0 + 4 * kMillisPerHour);
}

BOOST_AUTO_TEST_CASE(B43_a_base_that_never_happened_is_never_due) {
  FakeFacts facts;
  facts.Set("status", S("solved")).SetNow(kT0);  // solved, but no solved_at
  BOOST_TEST(Due(kCloseSolved, facts) == -1);
}

BOOST_AUTO_TEST_CASE(B43_a_change_condition_does_not_last_until_the_due_time) {
  // changed_to holds only in the change itself; the later check is a change where nothing changed.
  FakeFacts facts;
  facts.Set("status", S("solved")).Was("status", S("open")).At(TimeBase::kSolved, kT0).SetNow(kT0);
  BOOST_TEST(Due(R"({"all": [{"field": "status", "operator": "changed_to", "value": "solved"},
      {"field": "hours_since_solved", "operator": "greater_than", "value": 1}]})",
                 facts) == -1);
  facts.Set("ticket", S("created"));
  BOOST_TEST(Due(R"({"all": [{"field": "ticket", "operator": "is", "value": "created"},
      {"field": "minutes_since_created", "operator": "greater_than", "value": 5}]})",
                 facts.At(TimeBase::kCreated, kT0)) == -1);
  // Whereas a condition on a field's value does last.
  BOOST_TEST(Due(R"({"all": [{"field": "status", "operator": "is", "value": "solved"},
      {"field": "hours_since_solved", "operator": "greater_than", "value": 1}]})",
                 facts) == kT0 + 2 * kMillisPerHour);
}

// ---------------------------------------------------------------------------------------------------------
// Compiling.

BOOST_AUTO_TEST_CASE(B40_valid_conditions_compile_to_resolved_fields) {
  Conditions c = Compile(R"({"all": [{"field": "contact.vip", "operator": "is", "value": true},
      {"field": "var.team", "operator": "is", "value": "Sales"},
      {"field": "tags", "operator": "includes", "value": "vip"},
      {"field": "assignee", "operator": "is", "value": null}],
    "any": [{"field": "hours_since_last_contact_message", "operator": "greater_than", "value": 96},
      {"field": "status", "operator": "changed"}]})");
  BOOST_REQUIRE_EQUAL(c.all.size(), 4u);
  BOOST_REQUIRE_EQUAL(c.any.size(), 2u);

  BOOST_TEST((c.all[0].field.id == FieldId::kContactField));
  BOOST_TEST(c.all[0].field.name == "vip");
  BOOST_TEST(c.all[0].op == Operator::kIs);
  BOOST_TEST(c.all[0].value == Value::Bool(true));

  BOOST_TEST((c.all[1].field.id == FieldId::kVarField));
  BOOST_TEST(c.all[1].field.name == "team");
  BOOST_TEST(c.all[1].value == S("Sales"));

  BOOST_TEST((c.all[2].field.id == FieldId::kTags));
  BOOST_TEST(c.all[2].op == Operator::kIncludes);
  BOOST_TEST(c.all[2].value == S("vip"));

  BOOST_TEST((c.all[3].field.id == FieldId::kAssignee));
  BOOST_TEST(c.all[3].value == Value::Null());

  BOOST_TEST((c.any[0].field.id == FieldId::kHoursSince));
  BOOST_TEST((c.any[0].field.base == TimeBase::kLastContactMessage));
  BOOST_TEST(c.any[0].op == Operator::kGreaterThan);
  BOOST_TEST(c.any[0].value == Value::Number(96));

  BOOST_TEST(c.any[1].op == Operator::kChanged);
  BOOST_TEST(c.any[1].value == Value::Null());
}

BOOST_AUTO_TEST_CASE(field_names_round_trip) {
  const std::vector<std::string> names = {"status",
                                          "channel",
                                          "handled_as",
                                          "session",
                                          "session_end_reason",
                                          "group",
                                          "assignee",
                                          "priority",
                                          "tags",
                                          "via",
                                          "update_via",
                                          "solved_automatically",
                                          "ticket",
                                          "language",
                                          "returning",
                                          "weekday",
                                          "time_of_day",
                                          "contact.email",
                                          "var.team",
                                          "minutes_since_created",
                                          "hours_since_updated",
                                          "hours_since_status_changed",
                                          "minutes_since_last_contact_message",
                                          "hours_since_last_agent_message",
                                          "hours_since_solved",
                                          "minutes_since_assigned"};
  for (const std::string& name : names) BOOST_TEST(FieldName(Field(name)) == name);
  BOOST_TEST(!FieldFromName("colour").has_value());
  BOOST_TEST(!FieldFromName("contact.").has_value());
  BOOST_TEST(!FieldFromName("hours_since_lunch").has_value());
  BOOST_TEST(Field("contact.vip") != Field("var.vip"));
  BOOST_TEST(Field("hours_since_solved") != Field("minutes_since_solved"));
}

BOOST_AUTO_TEST_CASE(values_print_as_json) {
  BOOST_TEST(Value::Null().ToString() == "null");
  BOOST_TEST(Value::Bool(true).ToString() == "true");
  BOOST_TEST(Value::Number(96).ToString() == "96");
  BOOST_TEST(S("on-hold").ToString() == "\"on-hold\"");
  BOOST_TEST(Value::Number(4.5).ToString() == "4.5");
  BOOST_TEST(Value::List({"vip", "fr"}).ToString() == R"(["vip","fr"])");
  BOOST_TEST(Value::Bool(false) != Value::Null());
  BOOST_TEST(Value::Number(0) != Value::Bool(false));
}

struct Refusal {
  const char* doc;
  const char* path;      // the exact path the message must start with
  const char* sentence;  // a piece of the sentence after "PATH: "
};

BOOST_AUTO_TEST_CASE(B40_broken_conditions_are_refused_with_the_path_at_fault) {
  const std::vector<Refusal> refusals = {
      // Shape.
      {R"([])", "triggers[0].conditions", "expected an object"},
      {R"({"none": []})", "triggers[0].conditions.none", "unknown key \"none\"; expected one of all, any"},
      {R"({"all": {}})", "triggers[0].conditions.all", "expected a list of conditions; got an object"},
      {R"({"any": "status"})", "triggers[0].conditions.any", "expected a list of conditions; got a string"},
      {R"({"all": ["status"]})", "triggers[0].conditions.all[0]", "expected an object; got a string"},
      {R"({"all": [{"field": "status", "operator": "is", "value": "open", "colour": 1}]})",
       "triggers[0].conditions.all[0].colour", "unknown key \"colour\""},
      {R"({"all": [{"operator": "is", "value": "open"}]})", "triggers[0].conditions.all[0].field",
       "missing field \"field\""},
      {R"({"all": [{"field": "status", "value": "open"}]})", "triggers[0].conditions.all[0].operator",
       "missing field \"operator\""},
      // Fields.
      {R"({"all": [{"field": 3, "operator": "is", "value": "open"}]})", "triggers[0].conditions.all[0].field",
       "expected a string; got a number"},
      {R"({"all": [{"field": "colour", "operator": "is", "value": "red"}]})", "triggers[0].conditions.all[0].field",
       "unknown field \"colour\""},
      {R"({"all": [{"field": "contact.", "operator": "present"}]})", "triggers[0].conditions.all[0].field",
       "unknown field \"contact.\""},
      {R"({"all": [{"field": "hours_since_lunch", "operator": "greater_than", "value": 1}]})",
       "triggers[0].conditions.all[0].field", "unknown field \"hours_since_lunch\""},
      // Operators.
      {R"({"all": [{"field": "status", "operator": "is", "value": "open"},
                   {"field": "status", "operator": "sort_of", "value": "open"}]})",
       "triggers[0].conditions.all[1].operator",
       "unknown operator \"sort_of\"; expected one of is, is_not, less_than, greater_than, includes, not_includes, "
       "present, absent, changed, changed_to, changed_from"},
      {R"({"all": [{"field": "status", "operator": null, "value": "open"}]})", "triggers[0].conditions.all[0].operator",
       "expected a string; got null"},
      {R"({"all": [{"field": "channel", "operator": "less_than", "value": "email"}]})",
       "triggers[0].conditions.all[0].operator", "\"channel\" is not ordered"},
      {R"({"all": [{"field": "assignee", "operator": "greater_than", "value": "alice"}]})",
       "triggers[0].conditions.all[0].operator", "\"assignee\" is not ordered"},
      {R"({"all": [{"field": "status", "operator": "includes", "value": "open"}]})",
       "triggers[0].conditions.all[0].operator", "\"status\" is not a list"},
      {R"({"all": [{"field": "tags", "operator": "is", "value": "vip"}]})", "triggers[0].conditions.all[0].operator",
       "\"is\" does not apply to tags"},
      {R"({"all": [{"field": "tags", "operator": "less_than", "value": "vip"}]})",
       "triggers[0].conditions.all[0].operator", "\"less_than\" does not apply to tags"},
      {R"({"all": [{"field": "hours_since_solved", "operator": "present"}]})", "triggers[0].conditions.all[0].operator",
       "does not apply to the time-based field \"hours_since_solved\"; expected one of is, is_not, less_than, "
       "greater_than"},
      {R"({"all": [{"field": "minutes_since_created", "operator": "changed"}]})",
       "triggers[0].conditions.all[0].operator", "\"changed\" does not apply to the time-based field"},
      // Values.
      {R"({"all": [{"field": "status", "operator": "is", "value": "weird"}]})", "triggers[0].conditions.all[0].value",
       "unknown status \"weird\"; expected one of new, open, pending, on-hold, solved, closed"},
      {R"({"all": [{"field": "priority", "operator": "is", "value": "critical"}]})",
       "triggers[0].conditions.all[0].value",
       "unknown priority \"critical\"; expected one of low, normal, high, urgent"},
      {R"({"all": [{"field": "session", "operator": "is", "value": "closed"}]})", "triggers[0].conditions.all[0].value",
       "expected one of active, inactive, ended"},
      {R"({"all": [{"field": "handled_as", "operator": "is", "value": "sms"}]})", "triggers[0].conditions.all[0].value",
       "unknown channel \"sms\"; expected one of messaging, email"},
      {R"({"all": [{"field": "update_via", "operator": "changed_to", "value": "api"}]})",
       "triggers[0].conditions.all[0].value", "expected one of agent, contact, trigger, automation, system"},
      {R"({"all": [{"field": "status", "operator": "is", "value": 3}]})", "triggers[0].conditions.all[0].value",
       "expected a string; got a number"},
      {R"({"all": [{"field": "status", "operator": "less_than", "value": null}]})",
       "triggers[0].conditions.all[0].value", "needs a value to compare with; got null"},
      {R"({"all": [{"field": "group", "operator": "is", "value": 5}]})", "triggers[0].conditions.all[0].value",
       "expected a string or null; got a number"},
      {R"({"all": [{"field": "solved_automatically", "operator": "is", "value": "yes"}]})",
       "triggers[0].conditions.all[0].value", "expected true, false or null; got a string"},
      {R"({"all": [{"field": "ticket", "operator": "is", "value": "deleted"}]})", "triggers[0].conditions.all[0].value",
       "expected one of created, updated"},
      {R"({"all": [{"field": "weekday", "operator": "is", "value": "monday"}]})", "triggers[0].conditions.all[0].value",
       "unknown weekday \"monday\""},
      {R"({"all": [{"field": "time_of_day", "operator": "greater_than", "value": "25:00"}]})",
       "triggers[0].conditions.all[0].value", "expected a time of day \"HH:MM\""},
      {R"({"all": [{"field": "group", "operator": "present", "value": "support"}]})",
       "triggers[0].conditions.all[0].value", "\"present\" takes no value"},
      {R"({"all": [{"field": "group", "operator": "absent", "value": null}]})", "triggers[0].conditions.all[0].value",
       "\"absent\" takes no value"},
      {R"({"all": [{"field": "status", "operator": "changed", "value": "open"}]})",
       "triggers[0].conditions.all[0].value", "\"changed\" takes no value"},
      {R"({"all": [{"field": "status", "operator": "changed_to"}]})", "triggers[0].conditions.all[0].value",
       "missing field \"value\"; \"changed_to\" needs a value"},
      {R"({"all": [{"field": "status", "operator": "changed_from"}]})", "triggers[0].conditions.all[0].value",
       "\"changed_from\" needs a value"},
      {R"({"all": [{"field": "assignee", "operator": "is"}]})", "triggers[0].conditions.all[0].value",
       "\"is\" needs a value"},
      {R"({"all": [{"field": "hours_since_solved", "operator": "greater_than", "value": "96"}]})",
       "triggers[0].conditions.all[0].value", "expected a whole number of hours from 0 to 2147483647; got \"96\""},
      {R"({"all": [{"field": "minutes_since_created", "operator": "less_than", "value": -5}]})",
       "triggers[0].conditions.all[0].value", "expected a whole number of minutes"},
      {R"({"all": [{"field": "hours_since_created", "operator": "is", "value": 1.5}]})",
       "triggers[0].conditions.all[0].value", "expected a whole number of hours"},
      {R"({"all": [{"field": "hours_since_created", "operator": "is", "value": null}]})",
       "triggers[0].conditions.all[0].value", "expected a whole number of hours"},
      {R"({"all": [{"field": "contact.age", "operator": "greater_than", "value": "18"}]})",
       "triggers[0].conditions.all[0].value", "compares numbers; got a string"},
      {R"({"all": [{"field": "contact.vip", "operator": "is", "value": {"yes": true}}]})",
       "triggers[0].conditions.all[0].value", "expected null, a boolean, a number or a string; got an object"},
      {R"({"any": [{"field": "tags", "operator": "includes", "value": "vip"},
                   {"field": "tags", "operator": "not_includes", "value": "spam"},
                   {"field": "tags", "operator": "includes", "value": 7}]})",
       "triggers[0].conditions.any[2].value", "\"includes\" needs a string to look for; got a number"},
      {R"({"all": [{"field": "status", "operator": "is", "value": "open"}],
           "any": [{"field": "status", "operator": "is", "value": "open"}, {"field": "priority"}]})",
       "triggers[0].conditions.any[1].operator", "missing field \"operator\""},
  };
  BOOST_TEST(refusals.size() >= 25u);
  for (const Refusal& r : refusals) {
    BOOST_TEST_CONTEXT("document " << r.doc) {
      Conditions out;
      out.all.push_back(Condition{});  // must survive a refusal untouched
      Status s = ParseConditions(json::parse(r.doc), "triggers[0].conditions", &out);
      BOOST_TEST(!s.ok());
      BOOST_TEST((s.code() == Status::Code::kInvalidArgument));
      const std::string prefix = std::string(r.path) + ": ";
      BOOST_TEST(s.message().substr(0, prefix.size()) == prefix, "message: " << s.message());
      BOOST_TEST(s.message().find(r.sentence) != std::string::npos, "message: " << s.message());
      BOOST_TEST(out.all.size() == 1u);
      BOOST_TEST(out.any.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(the_protocol_examples_compile) {
  // PROTOCOL.md "Configuration": the routing rule, the CSAT trigger, the close-solved automation, the view.
  for (const char* doc : {
           R"({"all": [{"field": "contact.vip", "operator": "is", "value": true}]})",
           R"({"all": [{"field": "status", "operator": "changed_to", "value": "solved"},
                       {"field": "solved_automatically", "operator": "is", "value": false}]})",
           kCloseSolved,
           R"({"all": [{"field": "assignee", "operator": "is", "value": null},
                       {"field": "handled_as", "operator": "is", "value": "messaging"},
                       {"field": "status", "operator": "less_than", "value": "solved"}]})",
       }) {
    Conditions out;
    Status s = ParseConditions(json::parse(doc), "x", &out);
    BOOST_TEST(s.ok(), s.message());
    BOOST_TEST(!out.all.empty());
  }
}

// ---------------------------------------------------------------------------------------------------------
// weekday and time_of_day in a time zone (B77).

namespace {

Timestamp At(const std::string& rfc3339) {
  std::optional<Timestamp> t = ParseRfc3339(rfc3339);
  BOOST_REQUIRE_MESSAGE(t.has_value(), "not a time: " << rfc3339);
  return *t;
}

FakeFacts Now(const std::string& rfc3339) {
  FakeFacts facts;
  facts.SetNow(At(rfc3339));
  return facts;
}

constexpr const char* kAfter18InParis =
    R"({"field": "time_of_day", "operator": "greater_than", "value": "18:00", "tz": "Europe/Paris"})";

}  // namespace

BOOST_AUTO_TEST_CASE(B77_time_of_day_in_paris_follows_the_zone_on_both_sides_of_dst) {
  // Europe/Paris is CET (UTC+1) until 2026-03-29T01:00Z, CEST (UTC+2) from then on.
  BOOST_TEST(Check(kAfter18InParis, Now("2026-03-28T17:30:00Z")));   // 18:30 CET
  BOOST_TEST(!Check(kAfter18InParis, Now("2026-03-28T16:30:00Z")));  // 17:30 CET
  BOOST_TEST(Check(kAfter18InParis, Now("2026-03-30T16:30:00Z")));   // 18:30 CEST: the same UTC hour as above
  BOOST_TEST(!Check(kAfter18InParis, Now("2026-03-30T15:30:00Z")));  // 17:30 CEST
  // Without tz the same condition reads UTC, as before.
  const char* utc = R"({"field": "time_of_day", "operator": "greater_than", "value": "18:00"})";
  BOOST_TEST(!Check(utc, Now("2026-03-28T17:30:00Z")));
  BOOST_TEST(!Check(utc, Now("2026-03-30T16:30:00Z")));
  BOOST_TEST(Check(utc, Now("2026-03-30T18:30:00Z")));

  // The local clock jumps from 01:59 to 03:00 at the change, and the zone's offset is taken at each instant.
  Conditions c = Compile(std::string(R"({"all": [)") + kAfter18InParis + "]}");
  const FieldRef& paris = c.all[0].field;
  BOOST_TEST(ClockValue(paris, At("2026-03-29T00:59:00Z")) == S("01:59"));
  BOOST_TEST(ClockValue(paris, At("2026-03-29T01:00:00Z")) == S("03:00"));
  BOOST_TEST(ClockValue(paris, At("2026-10-25T00:30:00Z")) == S("02:30"));  // CEST, the last hour of summer
  BOOST_TEST(ClockValue(paris, At("2026-10-25T01:30:00Z")) == S("02:30"));  // CET: 02:30 comes twice
  BOOST_TEST(ClockValue(Field("time_of_day"), At("2026-03-29T01:00:00Z")) == S("01:00"));
}

BOOST_AUTO_TEST_CASE(B77_the_weekday_near_midnight_is_the_zones_not_utcs) {
  // 2026-11-23 is a Monday. At 23:30Z it is already Tuesday 00:30 in Paris; at 03:00Z on Tuesday it is
  // still Monday 22:00 in Montreal.
  const char* tue_in_paris = R"({"field": "weekday", "operator": "is", "value": "tue", "tz": "Europe/Paris"})";
  const char* mon_in_utc = R"({"field": "weekday", "operator": "is", "value": "mon"})";
  BOOST_TEST(Check(tue_in_paris, Now("2026-11-23T23:30:00Z")));
  BOOST_TEST(Check(mon_in_utc, Now("2026-11-23T23:30:00Z")));
  BOOST_TEST(!Check(tue_in_paris, Now("2026-11-23T22:30:00Z")));  // 23:30 in Paris, still Monday
  BOOST_TEST(Check(R"({"field": "weekday", "operator": "is", "value": "mon", "tz": "America/Montreal"})",
                   Now("2026-11-24T03:00:00Z")));
  BOOST_TEST(Check(R"({"field": "weekday", "operator": "greater_than", "value": "mon", "tz": "Asia/Tokyo"})",
                   Now("2026-11-23T15:00:00Z")));  // Tuesday 00:00 in Tokyo
  Conditions c = Compile(R"({"all": [{"field": "weekday", "operator": "is", "value": "tue", "tz": "Europe/Paris"}]})");
  BOOST_TEST(ClockValue(c.all[0].field, At("2026-11-23T23:30:00Z")) == S("tue"));
  BOOST_TEST(ClockValue(Field("weekday"), At("2026-11-23T23:30:00Z")) == S("mon"));
}

BOOST_AUTO_TEST_CASE(B77_the_zone_is_kept_in_the_compiled_field_and_located_once) {
  Conditions c = Compile(R"({"all": [
      {"field": "time_of_day", "operator": "less_than", "value": "09:00", "tz": "Europe/Paris"},
      {"field": "time_of_day", "operator": "less_than", "value": "09:00"},
      {"field": "weekday", "operator": "is", "value": "sun", "tz": "UTC"}]})");
  BOOST_REQUIRE_EQUAL(c.all.size(), 3u);
  BOOST_TEST((c.all[0].field.id == FieldId::kTimeOfDay));
  BOOST_TEST(c.all[0].field.name == "Europe/Paris");
  BOOST_TEST(c.all[0].field.zone != nullptr);
  BOOST_TEST(c.all[1].field.name.empty());
  BOOST_TEST(c.all[1].field.zone == nullptr);  // UTC: nothing to look up when evaluating
  BOOST_TEST(c.all[2].field.name == "UTC");    // an explicit UTC is a zone like any other
  BOOST_TEST(c.all[2].field.zone != nullptr);
  // The same field in two zones is two fields; the name stays what "field" says.
  BOOST_TEST(c.all[0].field != c.all[1].field);
  BOOST_TEST(c.all[1].field == Field("time_of_day"));
  BOOST_TEST(FieldName(c.all[0].field) == "time_of_day");
  std::ostringstream printed;
  printed << c.all[0].field << ", " << c.all[1].field;
  BOOST_TEST(printed.str() == "time_of_day (tz Europe/Paris), time_of_day");
  // A ref built by hand with a zone name and no located zone is read in that zone all the same.
  FieldRef by_hand = Field("time_of_day");
  by_hand.name = "Europe/Paris";
  BOOST_TEST(ClockValue(by_hand, At("2026-11-23T17:30:00Z")) == S("18:30"));
  BOOST_TEST(ClockValue(Field("status"), At("2026-11-23T17:30:00Z")).is_null());
}

BOOST_AUTO_TEST_CASE(B77_a_routing_default_zone_fills_only_clock_conditions_without_tz) {
  // The zone as a condition's "tz" locates it.
  Conditions located = Compile(std::string(R"({"all": [)") + kAfter18InParis + "]}");
  Conditions c = Compile(R"({"all": [
      {"field": "time_of_day", "operator": "greater_than", "value": "18:00"},
      {"field": "language", "operator": "is", "value": "fr"}],
    "any": [{"field": "weekday", "operator": "is", "value": "sat", "tz": "Asia/Tokyo"},
            {"field": "weekday", "operator": "is", "value": "sun"}]})");
  switchboard::SetDefaultZone(&c, "Europe/Paris", located.all[0].field.zone);
  BOOST_TEST(c.all[0].field.name == "Europe/Paris");
  BOOST_TEST(c.all[0].field.zone == located.all[0].field.zone);
  BOOST_TEST(c.all[1].field.name.empty());  // not a clock field
  BOOST_TEST(c.any[0].field.name == "Asia/Tokyo");
  BOOST_TEST(c.any[1].field.name == "Europe/Paris");
  BOOST_TEST(Holds(c.all[0], Now("2026-11-23T17:30:00Z")));  // 18:30 in Paris
}

BOOST_AUTO_TEST_CASE(B77_a_tz_is_refused_on_other_fields_and_when_the_zone_is_unknown) {
  const Refusal refusals[] = {
      {R"({"all": [{"field": "time_of_day", "operator": "greater_than", "value": "18:00", "tz": "Mars/Olympus"}]})",
       "triggers[0].conditions.all[0].tz", "unknown time zone \"Mars/Olympus\""},
      {R"({"any": [{"field": "status", "operator": "is", "value": "open"},
                   {"field": "weekday", "operator": "is", "value": "mon", "tz": ""}]})",
       "triggers[0].conditions.any[1].tz", "unknown time zone \"\""},
      {R"({"all": [{"field": "weekday", "operator": "is", "value": "mon", "tz": "europe/paris"}]})",
       "triggers[0].conditions.all[0].tz", "unknown time zone \"europe/paris\""},
      {R"({"all": [{"field": "weekday", "operator": "is", "value": "mon", "tz": 2}]})",
       "triggers[0].conditions.all[0].tz", "expected an IANA time zone such as \"Europe/Paris\"; got a number"},
      {R"({"all": [{"field": "status", "operator": "is", "value": "open", "tz": "Europe/Paris"}]})",
       "triggers[0].conditions.all[0].tz",
       "\"tz\" applies only to the fields weekday and time_of_day; field \"status\" takes none"},
      {R"({"all": [{"field": "hours_since_created", "operator": "greater_than", "value": 2, "tz": "UTC"}]})",
       "triggers[0].conditions.all[0].tz", "field \"hours_since_created\" takes none"},
      {R"({"all": [{"field": "open.support", "operator": "is", "value": true, "tz": "Europe/Paris"}]})",
       "triggers[0].conditions.all[0].tz", "field \"open.support\" takes none"},
  };
  for (const Refusal& r : refusals) {
    BOOST_TEST_CONTEXT("document " << r.doc) {
      Conditions out;
      Status s = ParseConditions(json::parse(r.doc), "triggers[0].conditions", &out);
      BOOST_TEST(!s.ok());
      const std::string prefix = std::string(r.path) + ": ";
      BOOST_TEST(s.message().substr(0, prefix.size()) == prefix, "message: " << s.message());
      BOOST_TEST(s.message().find(r.sentence) != std::string::npos, "message: " << s.message());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
