// Condition engine: the `{"all": [...], "any": [...]}` conditions shared by triggers, automations, views,
// bot branch steps and routing rules (PROTOCOL.md "Configuration"; DOMAIN.md B4, B10, B40, B43, B50).
//
// Conditions are compiled once, when the configuration is parsed: every field name is resolved to a closed
// FieldId (plus a name for `contact.NAME` / `var.NAME` and a TimeBase for `hours_since_solved` and the
// like), and every operator and value is checked against its field. A configuration therefore either loads
// whole or is refused with the JSON path at fault, and evaluation never compares field-name strings nor
// meets a value it cannot compare. Evaluation reads the ticket or conversation through the abstract Facts,
// so the same compiled conditions serve triggers (one change), views (a snapshot), automations (the passage
// of time) and bot branches (a conversation that may have no ticket yet).
//
// Thread-safety: everything here is a value or a pure function. Compiled Conditions may be shared read-only
// by any number of threads; Holds and NextDue call only const methods of the Facts they are given and are as
// thread-safe as that Facts is.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/time.h"
#include "switchboard/status.h"

namespace date {
class time_zone;
}

namespace switchboard {

// A field's value or a condition's operand: null, a boolean, a number, a string or a list of strings (tags).
// A tagged struct rather than a std::variant so that tests and facts can build and read one plainly; only the
// member named by `kind` is meaningful, the others keep their defaults.
struct Value {
  enum class Kind { kNull, kBool, kNumber, kString, kList };

  Kind kind = Kind::kNull;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<std::string> list;

  // Named constructors instead of converting constructors: Value("x") must never quietly become a bool.
  static Value Null() { return Value(); }
  static Value Bool(bool b);
  static Value Number(double n);
  static Value String(std::string s);
  static Value List(std::vector<std::string> items);

  bool is_null() const { return kind == Kind::kNull; }
  // JSON text: null, true, 96, "solved", ["vip","fr"].
  std::string ToString() const;
};

// Same kind and same payload; lists compare element by element, in order.
bool operator==(const Value& a, const Value& b);
bool operator!=(const Value& a, const Value& b);
std::ostream& operator<<(std::ostream& os, const Value& v);

// The fields a condition can look at. A closed set: a configuration naming any other field is refused.
enum class FieldId {
  kStatus,               // new, open, pending, on-hold, solved, closed (ordered in that order)
  kChannel,              // where the ticket came from: messaging, email
  kHandledAs,            // messaging, or email once the session has ended
  kSession,              // active, inactive, ended
  kSessionEndReason,     // for example ended_by_agent; null while the session lasts
  kGroup,                // group id or null
  kAssignee,             // agent id or null ("assignee is null" is the unassigned test, B50)
  kPriority,             // low, normal, high, urgent (ordered in that order)
  kTags,                 // list of strings
  kVia,                  // how the ticket was created: agent, contact, trigger, automation, system
  kUpdateVia,            // who made the current change: agent, contact, trigger, automation, system
  kSolvedAutomatically,  // bool
  kTicket,               // "created" on the change that created the ticket, else "updated"
  kLanguage,             // the contact's language, for example "fr"
  kReturning,            // bool: the contact has been here before
  kSlaBreached,          // bool: one of the ticket's open SLA clocks is breached (B64)
  kWeekday,              // mon .. sun (ordered), in the condition's time zone (FieldRef::name, default UTC)
  kTimeOfDay,            // "HH:MM" (ordered), in the condition's time zone (FieldRef::name, default UTC)
  kContactField,         // contact.NAME: a profile field, any JSON scalar or a list of strings
  kVarField,             // var.NAME: a conversation variable saved by the bot
  kMinutesSince,         // minutes_since_BASE: whole minutes elapsed since TimeOf(base), floored
  kHoursSince,           // hours_since_BASE: whole hours elapsed since TimeOf(base), floored
  kMinutesUntil,         // minutes_until_BASE: whole minutes left until TimeOf(base), floored (negative past it)
  kHoursUntil,           // hours_until_BASE: whole hours left until TimeOf(base), floored
  kGroupOpen,            // open.GROUP: bool, the group's business hours cover now (always, without hours)
  // A visitor's page (proactive rules, B70; null elsewhere):
  kPageUrl,       // page_url: the page the contact views now
  kPageTitle,     // page_title
  kTimeOnPage,    // time_on_page_s: whole seconds since the page was viewed (TimeBase::kPageViewed)
  kAgentsOnline,  // agents_online.GROUP: bool, a member of the group is online with room for a chat
};

// The instant a time-based field counts from (the BASE of `hours_since_BASE`).
enum class TimeBase {
  kCreated,             // created
  kUpdated,             // updated
  kStatusChanged,       // status_changed
  kLastContactMessage,  // last_contact_message
  kLastAgentMessage,    // last_agent_message
  kSolved,              // solved
  kAssigned,            // assigned
  kBreach,              // breach: the earliest breach of the ticket's open SLA clocks (hours_since_breach)
  kNextBreach,          // breach, counted down: the next breach to come (hours_until_breach)
  kPageViewed,          // the visitor's current page view (time_on_page_s)
};

// A resolved field name. `name` is the NAME part of kContactField / kVarField / kGroupOpen and, for kWeekday
// / kTimeOfDay, the IANA time zone the condition reads them in ("" = UTC, the default; set from a
// condition's "tz"). `base` is meaningful only for the time-based fields. FieldFromName leaves them empty /
// kCreated otherwise, so two refs to the same field always compare equal; the same clock field in two zones
// does not. `zone` is the zone named by `name`, located once when the condition is compiled so that
// evaluation never searches the tz database; nullptr for UTC. It follows from `name` and takes no part in
// comparisons. A ref built by hand with a zone name and no `zone` is still read in that zone (located then).
struct FieldRef {
  FieldId id = FieldId::kStatus;
  std::string name;
  TimeBase base = TimeBase::kCreated;
  const date::time_zone* zone = nullptr;
};

bool operator==(const FieldRef& a, const FieldRef& b);
bool operator!=(const FieldRef& a, const FieldRef& b);
bool operator<(const FieldRef& a, const FieldRef& b);  // any strict order, so a FieldRef can key a std::map
// FieldName, and for a clock field in a zone the zone after it: `time_of_day (tz Europe/Paris)`.
std::ostream& operator<<(std::ostream& os, const FieldRef& f);

// `status`, `contact.vip`, `hours_since_solved`, ... -> FieldRef; nullopt for a name that is not a field
// (including `contact.` / `var.` with an empty NAME). Clock fields come back in UTC.
std::optional<FieldRef> FieldFromName(std::string_view name);
// The inverse of FieldFromName: what a condition's "field" says (a clock field's zone is its "tz", not part
// of its name).
std::string FieldName(const FieldRef& field);

// True for kWeekday and kTimeOfDay, the fields read off the wall clock, which take a "tz".
bool IsClockField(FieldId id);

// The value of a clock field at `now`: the weekday ("mon" .. "sun") or the time of day ("HH:MM") of the
// local time in the field's zone, with that zone's offset at `now` (so DST is respected); UTC when the
// field names no zone. Null for any other field, or for a zone name the tz database does not know. What
// every Facts answers for weekday and time_of_day.
Value ClockValue(const FieldRef& field, Timestamp now);

enum class Operator {
  kIs,
  kIsNot,
  kLessThan,
  kGreaterThan,
  kIncludes,
  kNotIncludes,
  kPresent,
  kAbsent,
  kChanged,
  kChangedTo,
  kChangedFrom,
};

// "is", "is_not", "less_than", ...
const char* OperatorName(Operator op);
std::ostream& operator<<(std::ostream& os, Operator op);

// Condition::word when the condition has no vocabulary word to compare: a field outside the vocabularies,
// a null value, or a condition built by hand rather than by ParseConditions.
inline constexpr int kNoWord = -2;

struct Condition {
  FieldRef field;
  Operator op = Operator::kIs;
  Value value;  // null for present / absent / changed
  // For a field of a fixed vocabulary (status, priority, channel, session, via, ticket, weekday) and a
  // string value: the value's position in that vocabulary, set by ParseConditions so that evaluation
  // compares two integers (Facts::View) instead of two strings. kNoWord otherwise; it follows from
  // `field` and `value`.
  int word = kNoWord;
};

// All of `all` hold, and `any` is empty or at least one of `any` holds. Empty conditions hold.
struct Conditions {
  std::vector<Condition> all;
  std::vector<Condition> any;
};

// Compiles `doc`, the JSON found at `path` (for example `triggers[2].conditions`), into `out`.
//
// Accepted: an object with optional keys "all" and "any", each a list of objects with exactly the keys
// "field", "operator" and, depending on the operator, "value", and for weekday / time_of_day an optional
// "tz": an IANA zone name of the system's tz database (for example "Europe/Paris"), the zone the field is
// read in (default UTC). Refused (Status::InvalidArgument, message "PATH: sentence", `out` left untouched),
// with PATH naming the innermost culprit, for example `triggers[2].conditions.all[0].operator`:
//   - unknown keys, wrong JSON types, a missing "field" or "operator";
//   - a "tz" on any other field than weekday or time_of_day, or one that names no known zone
//     (`...all[0].tz: unknown time zone "Mars/Olympus"`);
//   - an unknown field or operator;
//   - an operator the field does not support: less_than / greater_than need an ordered field (status,
//     priority, weekday, time_of_day, the time-based fields, contact./var. compared with a number);
//     includes / not_includes need a list (tags, or a contact./var. field); time-based fields take only
//     is, is_not, less_than, greater_than; tags take only includes, not_includes, present, absent, changed;
//   - a value that does not fit: missing for is / is_not / less_than / greater_than / includes /
//     not_includes / changed_to / changed_from, present at all for present / absent / changed, outside the
//     field's vocabulary (a status that is not one of the six, ...), null where an order or a membership is
//     asked, or not a whole number from 0 to 2147483647 for a time-based field.
// Null is accepted wherever equality is asked (is, is_not, changed_to, changed_from) on a field that is not
// time-based: "assignee is null" is how a view finds unassigned tickets. Group and agent ids are not checked
// against the configuration here; that is the caller's business, which knows them.
Status ParseConditions(const nlohmann::json& doc, const std::string& path, Conditions* out);

// Gives each weekday / time_of_day condition of `conditions` that names no zone the zone `tz` (located as
// `zone`, not null); conditions with their own "tz" keep it. How a routing rule reads the clock in its
// group's zone (config.cpp).
void SetDefaultZone(Conditions* conditions, const std::string& tz, const date::time_zone* zone);

// A field's current value as the facts hold it, read without building a Value: how Holds compares the
// common conditions without a copy or an allocation (triggers evaluate every rule at every change, B10).
// kUnknown: the facts do not answer this field so, and Holds reads FieldValue instead. The other kinds say
// exactly what FieldValue would be: kNull for null, kWord for the string at position `word` of the
// field's vocabulary, kText for a non-empty string, kList for a list of strings.
struct FieldView {
  enum class Kind { kUnknown, kNull, kWord, kText, kList };
  Kind kind = Kind::kUnknown;
  int word = -1;                                   // kWord
  std::string_view text;                           // kText: never empty
  const std::vector<std::string>* list = nullptr;  // kList: never null
};

// What a condition reads: the ticket and/or conversation at one change, or a snapshot for a view.
class Facts {
 public:
  virtual ~Facts();
  // The field's value now as a FieldView (valid while the facts and what they read live), for the fields
  // that are not time-based; the default answers kUnknown for every field.
  virtual FieldView View(const FieldRef& field) const;
  // The field's value now (null when it has none). Never asked for time-based fields: those are computed
  // from TimeOf and Now.
  virtual Value Current(const FieldRef& field) const = 0;
  // The field's value now, held by the facts themselves so that a condition can read it without a
  // copy; nullptr when they do not hold it (then Current is asked). Valid while the facts live.
  virtual const Value* Peek(const FieldRef& field) const;
  // The value before this change, or nullopt when the field did not change in this change (always nullopt
  // for a view or an automation tick).
  virtual std::optional<Value> Previous(const FieldRef& field) const = 0;
  // When `base` happened (ticket created, last solved, ...), or nullopt when it has not.
  virtual std::optional<Timestamp> TimeOf(TimeBase base) const = 0;
  virtual Timestamp Now() const = 0;
};

// The value a condition on `field` compares: Facts::Current, except for the time-based fields, which are the
// whole minutes / hours elapsed since TimeOf(base), floored (negative when the base lies in the future), or
// null when TimeOf(base) is nullopt.
Value FieldValue(const FieldRef& field, const Facts& facts);

// Operator semantics, with V the field's value (FieldValue) and X the condition's value:
//   is / is_not              V == X / V != X (null equals null);
//   less_than / greater_than V < X / V > X in the field's order (statuses new < open < pending < on-hold <
//                            solved < closed, priorities low < normal < high < urgent, weekdays mon < .. <
//                            sun, times of day, numbers); false when V is null or not comparable with X;
//   includes / not_includes  V is a list containing X / not (V null or not a list: includes is false,
//                            not_includes true);
//   present / absent         V is not null, not "" and not [] / the opposite;
//   changed                  Previous(field) has a value;
//   changed_to X             changed and V == X;
//   changed_from X           changed and Previous(field) == X.
bool Holds(const Condition& condition, const Facts& facts);
bool Holds(const Conditions& conditions, const Facts& facts);

// For automations (B43): the earliest instant strictly after Now() at which `conditions` would hold through the
// passage of time alone, or nullopt when they already hold now or never will.
//
// "Time alone" means: Facts::Current and TimeOf stay as they are, only Now() moves, and the later check is a
// change of its own in which nothing changed (Previous is nullopt for every field, the `ticket` field is
// "updated"). So a changed / changed_to / changed_from condition, or any other non-time condition that is
// false now, is false at every later instant as well. `weekday` and `time_of_day` are read through
// Facts::Current and held as they are now: NextDue does not schedule on the wall clock.
//
// The answer is exact, not a heuristic. With T = TimeOf(base) and u one minute or one hour, each time-based
// condition with value N is a step function of the instant t, closed on the left:
//   greater_than N  holds from T + (N+1)u on (the first instant the floored count exceeds N);
//   is N            holds on [T + Nu, T + (N+1)u);
//   is_not N        holds before T + Nu and from T + (N+1)u on;
//   less_than N     holds before T + Nu: it can only stop holding, never make anything due.
// Between consecutive such instants nothing changes, so the answer is the first of these instants after Now()
// at which the whole `conditions` hold. For an `all` list of greater_than conditions with true non-time
// conditions this is the latest of their dues; for an `any` list it is the earliest; a less_than in `all`
// that is already false, or that expires before the other conditions come due, gives nullopt. A time-based
// condition whose base has not happened (TimeOf nullopt) never changes.
std::optional<Timestamp> NextDue(const Conditions& conditions, const Facts& facts);

}  // namespace switchboard
