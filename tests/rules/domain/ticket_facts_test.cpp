// TicketFacts answers the common conditions through FieldView (a word's position, a borrowed string or
// tag list) instead of a Value. These tests hold that quick path to the Value path it stands for: every
// condition over every field a view answers, on tickets in every state, evaluated both ways, must agree
// (B40 triggers, B43 automations and B50 views all evaluate through it).
#include "rules/domain/ticket_facts.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <vector>

#include "rules/condition.h"
#include "rules/domain/desk_state.h"

using namespace switchboard;
using nlohmann::json;

namespace {

constexpr Timestamp kNow = 1795424400000;  // 2026-11-23T09:00:00Z

// The same facts with View hidden: Holds can only take the Value path.
class ValueOnlyFacts : public Facts {
 public:
  explicit ValueOnlyFacts(const Facts& inner) : inner_(inner) {}
  Value Current(const FieldRef& field) const override { return inner_.Current(field); }
  const Value* Peek(const FieldRef& field) const override { return inner_.Peek(field); }
  std::optional<Value> Previous(const FieldRef& field) const override { return inner_.Previous(field); }
  std::optional<Timestamp> TimeOf(TimeBase base) const override { return inner_.TimeOf(base); }
  Timestamp Now() const override { return inner_.Now(); }

 private:
  const Facts& inner_;
};

// Every condition ParseConditions accepts over the fields a view answers (and the elapsed counts), with
// values inside and outside each vocabulary's order, null, and strings no ticket has.
std::vector<Condition> AllConditions() {
  const std::vector<std::string> fields = {"status",
                                           "priority",
                                           "channel",
                                           "handled_as",
                                           "session",
                                           "ticket",
                                           "group",
                                           "assignee",
                                           "session_end_reason",
                                           "tags",
                                           "hours_since_created",
                                           "minutes_since_assigned",
                                           "hours_until_breach"};
  const std::vector<std::string> operators = {"is",       "is_not",       "less_than",   "greater_than",
                                              "includes", "not_includes", "present",     "absent",
                                              "changed",  "changed_to",   "changed_from"};
  const std::vector<json> values = {
      nullptr,  "new",       "open",  "pending",        "on-hold", "solved",  "closed",  "low",     "normal", "high",
      "urgent", "messaging", "email", "active",         "ended",   "created", "updated", "support", "sales",  "alice",
      "",       "vip",       "fr",    "ended_by_agent", 0,         1,         6,         24,        48};
  std::vector<Condition> out;
  for (const std::string& f : fields) {
    for (const std::string& op : operators) {
      for (int k = -1; k < static_cast<int>(values.size()); ++k) {
        json c = {{"field", f}, {"operator", op}};
        if (k >= 0) c["value"] = values[k];
        Conditions parsed;
        if (ParseConditions(json{{"all", {c}}}, "c", &parsed).ok()) out.push_back(parsed.all[0]);
      }
    }
  }
  return out;
}

template <class T>
T PickOne(std::mt19937_64& rng, const std::vector<T>& options) {
  return options[std::uniform_int_distribution<std::size_t>(0, options.size() - 1)(rng)];
}

Ticket RandomTicket(std::mt19937_64& rng) {
  Ticket t;
  t.id = 1;
  t.status = static_cast<TicketStatus>(std::uniform_int_distribution<int>(0, 5)(rng));
  t.priority = static_cast<Priority>(std::uniform_int_distribution<int>(0, 3)(rng));
  t.channel = static_cast<Channel>(std::uniform_int_distribution<int>(0, 1)(rng));
  t.handled_as = static_cast<Channel>(std::uniform_int_distribution<int>(0, 1)(rng));
  t.group = PickOne<std::string>(rng, {"", "support", "sales"});
  t.assignee = PickOne<std::string>(rng, {"", "alice", "bob"});
  t.session_end_reason = PickOne<std::string>(rng, {"", "ended_by_agent"});
  for (const char* tag : {"fr", "late", "vip"}) {
    if (std::bernoulli_distribution(0.4)(rng)) t.tags.push_back(tag);
  }
  t.created_at = kNow - std::uniform_int_distribution<Timestamp>(0, 72LL * 3600 * 1000)(rng);
  t.assigned_at = std::bernoulli_distribution(0.5)(rng) ? 0 : t.created_at + 60000;
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(ticket_facts)

BOOST_AUTO_TEST_CASE(B40_a_condition_read_through_a_view_holds_exactly_when_it_does_through_its_value) {
  const std::vector<Condition> conditions = AllConditions();
  BOOST_TEST_REQUIRE(conditions.size() > 300u);  // the sweep really covers the operators and values
  DeskState state;
  std::mt19937_64 rng(16);
  std::size_t evaluations = 0, held = 0;
  for (int n = 0; n < 300; ++n) {
    const Ticket ticket = RandomTicket(rng);
    const TicketSnapshot before{RandomTicket(rng), Session::kActive};
    for (int kind = 0; kind < 3; ++kind) {  // created in this change, changed from `before`, unchanged
      TicketFacts quick = kind == 2 ? TicketFacts::Unchanged(state, ticket, "agent", kNow)
                                    : TicketFacts(state, ticket, kind == 0 ? nullptr : &before, "agent", kNow);
      ValueOnlyFacts plain(quick);  // the same facts, read only through Current and Value
      for (const Condition& c : conditions) {
        const bool a = Holds(c, quick), b = Holds(c, plain);
        ++evaluations;
        held += a;
        if (a != b) {
          BOOST_ERROR("condition " << c.field << " " << c.op << " " << c.value << " on ticket " << ticket.id
                                   << ": view says " << a << ", value says " << b);
          return;
        }
      }
    }
  }
  // Both answers occur: the sweep is not comparing two constant falses.
  BOOST_TEST(held > evaluations / 10);
  BOOST_TEST(held < evaluations - evaluations / 10);
}

BOOST_AUTO_TEST_CASE(B50_a_view_borrows_the_tickets_tags_and_names_its_words_by_position) {
  DeskState state;
  Ticket t;
  t.status = TicketStatus::kPending;
  t.group = "support";
  t.tags = {"vip"};
  TicketFacts facts = TicketFacts::Unchanged(state, t, "agent", kNow);
  FieldView status = facts.View(*FieldFromName("status"));
  BOOST_TEST((status.kind == FieldView::Kind::kWord));
  BOOST_TEST(status.word == 2);  // new, open, pending
  FieldView tags = facts.View(*FieldFromName("tags"));
  BOOST_TEST((tags.kind == FieldView::Kind::kList));
  BOOST_TEST(tags.list == &t.tags);
  BOOST_TEST((facts.View(*FieldFromName("assignee")).kind == FieldView::Kind::kNull));
  BOOST_TEST(facts.View(*FieldFromName("group")).text == "support");
  BOOST_TEST((facts.View(*FieldFromName("contact.vip")).kind == FieldView::Kind::kUnknown));
}

BOOST_AUTO_TEST_SUITE_END()
