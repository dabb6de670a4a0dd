// Condition engine: compiling `{"all","any"}` documents and evaluating them against Facts. See condition.h.
#include "rules/condition.h"

#include <date/date.h>
#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <iterator>
#include <limits>
#include <ostream>
#include <utility>

#include "events/vocabulary.h"
#include "rules/json_path.h"

namespace switchboard {
namespace {

using json = nlohmann::json;

// ---------------------------------------------------------------------------------------------------------
// Vocabularies. A list's order is the field's order where the field is ordered.

// A fixed list of words; a plain pointer + size because C++17 has no std::span.
struct Words {
  const std::string_view* items;
  std::size_t size;

  const std::string_view* begin() const { return items; }
  const std::string_view* end() const { return items + size; }
};

template <std::size_t N>
constexpr Words MakeWords(const std::array<std::string_view, N>& items) {
  return Words{items.data(), N};
}

// Statuses, priorities, channels and session states are the desk's vocabulary (events/vocabulary.h).
constexpr std::array<std::string_view, 5> kVias{"agent", "contact", "trigger", "automation", "system"};
constexpr std::array<std::string_view, 2> kTicketEvents{"created", "updated"};
constexpr std::array<std::string_view, 7> kWeekdays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

// The position of `word` in `words`, or -1.
int Rank(Words words, const std::string& word) {
  for (std::size_t i = 0; i < words.size; ++i) {
    if (word == words.items[i]) return static_cast<int>(i);
  }
  return -1;
}

std::string Join(Words words) {
  std::string out;
  for (std::string_view w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Field names.

struct NamedField {
  const char* name;
  FieldId id;
};

constexpr NamedField kSimpleFields[] = {
    {"status", FieldId::kStatus},
    {"channel", FieldId::kChannel},
    {"handled_as", FieldId::kHandledAs},
    {"session", FieldId::kSession},
    {"session_end_reason", FieldId::kSessionEndReason},
    {"group", FieldId::kGroup},
    {"assignee", FieldId::kAssignee},
    {"priority", FieldId::kPriority},
    {"tags", FieldId::kTags},
    {"via", FieldId::kVia},
    {"update_via", FieldId::kUpdateVia},
    {"solved_automatically", FieldId::kSolvedAutomatically},
    {"ticket", FieldId::kTicket},
    {"language", FieldId::kLanguage},
    {"returning", FieldId::kReturning},
    {"sla_breached", FieldId::kSlaBreached},
    {"weekday", FieldId::kWeekday},
    {"time_of_day", FieldId::kTimeOfDay},
    {"page_url", FieldId::kPageUrl},
    {"page_title", FieldId::kPageTitle},
};

struct NamedBase {
  const char* name;
  TimeBase base;
};

constexpr NamedBase kTimeBases[] = {
    {"created", TimeBase::kCreated},
    {"updated", TimeBase::kUpdated},
    {"status_changed", TimeBase::kStatusChanged},
    {"last_contact_message", TimeBase::kLastContactMessage},
    {"last_agent_message", TimeBase::kLastAgentMessage},
    {"solved", TimeBase::kSolved},
    {"assigned", TimeBase::kAssigned},
    {"breach", TimeBase::kBreach},
};

// What a countdown field (minutes_until_BASE, hours_until_BASE) may count down to.
constexpr NamedBase kCountdownBases[] = {
    {"breach", TimeBase::kNextBreach},
};

constexpr std::string_view kContactPrefix = "contact.";
constexpr std::string_view kVarPrefix = "var.";
constexpr std::string_view kOpenPrefix = "open.";
constexpr std::string_view kAgentsOnlinePrefix = "agents_online.";
constexpr std::string_view kTimeOnPage = "time_on_page_s";
constexpr std::string_view kMinutesPrefix = "minutes_since_";
constexpr std::string_view kHoursPrefix = "hours_since_";
constexpr std::string_view kMinutesUntilPrefix = "minutes_until_";
constexpr std::string_view kHoursUntilPrefix = "hours_until_";

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool IsCountdown(FieldId id) { return id == FieldId::kMinutesUntil || id == FieldId::kHoursUntil; }
bool IsTimeBased(FieldId id) {
  return id == FieldId::kMinutesSince || id == FieldId::kHoursSince || id == FieldId::kTimeOnPage || IsCountdown(id);
}

std::string KnownFieldNames() {
  std::string out;
  for (const NamedField& f : kSimpleFields) {
    out += f.name;
    out += ", ";
  }
  out +=
      "contact.NAME, var.NAME, open.GROUP, agents_online.GROUP, time_on_page_s, minutes_since_BASE or hours_since_BASE "
      "with BASE one of ";
  for (std::size_t i = 0; i < std::size(kTimeBases); ++i) out += (i == 0 ? "" : ", ") + std::string(kTimeBases[i].name);
  out += ", minutes_until_breach, hours_until_breach";
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// What each field accepts. Kept in one table-like function so the parser and the evaluator agree.

enum class Domain {
  kWords,      // one of a fixed vocabulary (Spec::words)
  kText,       // any string (ids, languages, reasons)
  kBool,       // true / false
  kTags,       // a list of strings
  kTimeOfDay,  // "HH:MM"
  kElapsed,    // whole minutes / hours
  kAny,        // contact. / var.: whatever the profile or the bot stored
};

struct Spec {
  Domain domain;
  bool ordered;
  Words words;       // kWords only
  const char* noun;  // "status", "priority", ... for messages about a value outside the vocabulary
};

constexpr Words kNoWords{nullptr, 0};

Spec SpecOf(FieldId id) {
  switch (id) {
    case FieldId::kStatus:
      return {Domain::kWords, true, MakeWords(kTicketStatusNames), "status"};
    case FieldId::kPriority:
      return {Domain::kWords, true, MakeWords(kPriorityNames), "priority"};
    case FieldId::kChannel:
    case FieldId::kHandledAs:
      return {Domain::kWords, false, MakeWords(kChannelNames), "channel"};
    case FieldId::kSession:
      return {Domain::kWords, false, MakeWords(kSessionNames), "session state"};
    case FieldId::kVia:
    case FieldId::kUpdateVia:
      return {Domain::kWords, false, MakeWords(kVias), "source of change"};
    case FieldId::kTicket:
      return {Domain::kWords, false, MakeWords(kTicketEvents), "ticket event"};
    case FieldId::kWeekday:
      return {Domain::kWords, true, MakeWords(kWeekdays), "weekday"};
    case FieldId::kSessionEndReason:
    case FieldId::kGroup:
    case FieldId::kAssignee:
    case FieldId::kLanguage:
    case FieldId::kPageUrl:
    case FieldId::kPageTitle:
      return {Domain::kText, false, kNoWords, ""};
    case FieldId::kSolvedAutomatically:
    case FieldId::kReturning:
    case FieldId::kSlaBreached:
    case FieldId::kGroupOpen:
    case FieldId::kAgentsOnline:
      return {Domain::kBool, false, kNoWords, ""};
    case FieldId::kTags:
      return {Domain::kTags, false, kNoWords, ""};
    case FieldId::kTimeOfDay:
      return {Domain::kTimeOfDay, true, kNoWords, ""};
    case FieldId::kMinutesSince:
    case FieldId::kHoursSince:
    case FieldId::kMinutesUntil:
    case FieldId::kHoursUntil:
    case FieldId::kTimeOnPage:
      return {Domain::kElapsed, true, kNoWords, ""};
    case FieldId::kContactField:
    case FieldId::kVarField:
      return {Domain::kAny, true, kNoWords, ""};
  }
  return {Domain::kAny, false, kNoWords, ""};
}

// "HH:MM", 00:00 to 23:59. Two-digit fields make the string order the time order.
bool IsTimeOfDay(const std::string& s) {
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  if (s.size() != 5 || s[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return false;
  return (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] < '6';
}

// The zone of the system's tz database called `name`, or nullptr when there is none (date::locate_zone
// throws then). A search of the database: done once per condition, when it is compiled.
const date::time_zone* LocateZone(const std::string& name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return nullptr;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing. Errors are thrown internally (as config.cpp does) and turned into one Status at the top.

using namespace json_path;

std::string Quote(const std::string& s) { return json(s).dump(); }

constexpr Operator kAllOperators[] = {
    Operator::kIs,       Operator::kIsNot,       Operator::kLessThan,    Operator::kGreaterThan,
    Operator::kIncludes, Operator::kNotIncludes, Operator::kPresent,     Operator::kAbsent,
    Operator::kChanged,  Operator::kChangedTo,   Operator::kChangedFrom,
};

std::string OperatorList(std::initializer_list<Operator> ops) {
  std::string out;
  for (Operator op : ops) {
    if (!out.empty()) out += ", ";
    out += OperatorName(op);
  }
  return out;
}

bool TakesNoValue(Operator op) {
  return op == Operator::kPresent || op == Operator::kAbsent || op == Operator::kChanged;
}

// Refuses an operator the field cannot answer; the sentence says what the operator needs.
void CheckOperator(const FieldRef& field, Operator op, const std::string& path) {
  const std::string name = FieldName(field);
  const Spec spec = SpecOf(field.id);
  const std::string quoted_op = Quote(OperatorName(op));
  if (spec.domain == Domain::kElapsed) {
    if (op != Operator::kIs && op != Operator::kIsNot && op != Operator::kLessThan && op != Operator::kGreaterThan) {
      Fail(path, quoted_op + " does not apply to the time-based field " + Quote(name) + "; expected one of " +
                     OperatorList({Operator::kIs, Operator::kIsNot, Operator::kLessThan, Operator::kGreaterThan}));
    }
    return;
  }
  if (spec.domain == Domain::kTags) {
    // Tags are a set: equality with a whole list is not something a rule author means, and changed_to /
    // changed_from a list would be the same trap. Membership, emptiness and "tags changed" are.
    if (op != Operator::kIncludes && op != Operator::kNotIncludes && op != Operator::kPresent &&
        op != Operator::kAbsent && op != Operator::kChanged) {
      Fail(path, quoted_op + " does not apply to tags; expected one of " +
                     OperatorList({Operator::kIncludes, Operator::kNotIncludes, Operator::kPresent, Operator::kAbsent,
                                   Operator::kChanged}));
    }
    return;
  }
  if ((op == Operator::kLessThan || op == Operator::kGreaterThan) && !spec.ordered) {
    Fail(path, quoted_op + " compares ordered values and field " + Quote(name) +
                   " is not ordered; ordered fields are status, priority, weekday, time_of_day, minutes_since_*, "
                   "hours_since_*, and contact.* / var.* compared with a number");
  }
  if ((op == Operator::kIncludes || op == Operator::kNotIncludes) && spec.domain != Domain::kAny) {
    Fail(path, quoted_op + " looks inside a list and field " + Quote(name) +
                   " is not a list; lists are tags and contact.* / var.* fields");
  }
}

// Checks `v` against what `op` on `field` needs and returns it compiled.
Value CompileValue(const FieldRef& field, Operator op, const json& v, const std::string& path) {
  const Spec spec = SpecOf(field.id);
  const bool ordering = op == Operator::kLessThan || op == Operator::kGreaterThan;
  const bool membership = op == Operator::kIncludes || op == Operator::kNotIncludes;
  const std::string quoted_op = Quote(OperatorName(op));

  if (spec.domain == Domain::kElapsed) {
    // Whole numbers only: the field is a floored count, and the bound keeps base + (N+1) units far from
    // overflowing a Timestamp.
    constexpr double kMax = std::numeric_limits<int>::max();
    const char* unit = field.id == FieldId::kHoursSince ? "hours" : "minutes";
    const bool whole = v.is_number() && std::floor(v.get<double>()) == v.get<double>() && v.get<double>() >= 0 &&
                       v.get<double>() <= kMax;
    if (!whole) {
      Fail(path, std::string("expected a whole number of ") + unit + " from 0 to " +
                     std::to_string(std::numeric_limits<int>::max()) + "; got " + v.dump());
    }
    return Value::Number(v.get<double>());
  }

  if (v.is_null()) {
    if (ordering) Fail(path, quoted_op + " needs a value to compare with; got null");
    if (membership) Fail(path, quoted_op + " needs a string to look for; got null");
    return Value::Null();  // is / is_not / changed_to / changed_from null: "has no value"
  }
  if (membership) {
    if (!v.is_string()) Fail(path, quoted_op + " needs a string to look for; got " + TypeName(v));
    return Value::String(v.get<std::string>());
  }

  switch (spec.domain) {
    case Domain::kWords: {
      if (!v.is_string()) Fail(path, std::string("expected a string; got ") + TypeName(v));
      const std::string s = v.get<std::string>();
      if (Rank(spec.words, s) < 0)
        Fail(path, std::string("unknown ") + spec.noun + " " + Quote(s) + "; expected one of " + Join(spec.words));
      return Value::String(s);
    }
    case Domain::kText:
      if (!v.is_string()) Fail(path, std::string("expected a string or null; got ") + TypeName(v));
      return Value::String(v.get<std::string>());
    case Domain::kBool:
      if (!v.is_boolean()) Fail(path, std::string("expected true, false or null; got ") + TypeName(v));
      return Value::Bool(v.get<bool>());
    case Domain::kTimeOfDay: {
      if (!v.is_string() || !IsTimeOfDay(v.get<std::string>()))
        Fail(path, "expected a time of day \"HH:MM\" from 00:00 to 23:59; got " + v.dump());
      return Value::String(v.get<std::string>());
    }
    case Domain::kAny:
      if (ordering) {
        if (!v.is_number()) Fail(path, quoted_op + " on a contact or var field compares numbers; got " + TypeName(v));
        return Value::Number(v.get<double>());
      }
      if (v.is_boolean()) return Value::Bool(v.get<bool>());
      if (v.is_number()) return Value::Number(v.get<double>());
      if (v.is_string()) return Value::String(v.get<std::string>());
      Fail(path, std::string("expected null, a boolean, a number or a string; got ") + TypeName(v));
    case Domain::kTags:     // only membership operators reach here, handled above
    case Domain::kElapsed:  // handled above
      break;
  }
  Fail(path, std::string("unexpected value ") + v.dump());
}

// A condition's "tz": the zone its clock field is read in, kept in the field (FieldRef::name and ::zone).
void CompileZone(const json& tz, const std::string& path, FieldRef* field) {
  if (!IsClockField(field->id)) {
    Fail(path, "\"tz\" applies only to the fields weekday and time_of_day; field " + Quote(FieldName(*field)) +
                   " takes none");
  }
  if (!tz.is_string())
    Fail(path, std::string("expected an IANA time zone such as \"Europe/Paris\"; got ") + TypeName(tz));
  const std::string name = tz.get<std::string>();
  const date::time_zone* zone = LocateZone(name);
  if (zone == nullptr) Fail(path, "unknown time zone " + Quote(name));
  field->name = name;
  field->zone = zone;
}

Condition CompileCondition(const json& item, const std::string& path) {
  ExpectKeys(item, path, {"field", "operator", "value", "tz"});
  if (!item.contains("field")) Fail(path + ".field", "missing field \"field\"");
  if (!item.contains("operator")) Fail(path + ".operator", "missing field \"operator\"");

  const json& field_json = item["field"];
  if (!field_json.is_string()) Fail(path + ".field", std::string("expected a string; got ") + TypeName(field_json));
  const std::string field_name = field_json.get<std::string>();
  std::optional<FieldRef> field = FieldFromName(field_name);
  if (!field) Fail(path + ".field", "unknown field " + Quote(field_name) + "; expected one of " + KnownFieldNames());

  const json& op_json = item["operator"];
  if (!op_json.is_string()) Fail(path + ".operator", std::string("expected a string; got ") + TypeName(op_json));
  const std::string op_name = op_json.get<std::string>();
  std::optional<Operator> op;
  for (Operator candidate : kAllOperators) {
    if (op_name == OperatorName(candidate)) op = candidate;
  }
  if (!op) {
    std::string all;
    for (Operator candidate : kAllOperators) all += (all.empty() ? "" : ", ") + std::string(OperatorName(candidate));
    Fail(path + ".operator", "unknown operator " + Quote(op_name) + "; expected one of " + all);
  }
  CheckOperator(*field, *op, path + ".operator");

  Condition condition;
  condition.field = std::move(*field);
  condition.op = *op;
  const std::string value_path = path + ".value";
  if (TakesNoValue(*op)) {
    if (item.contains("value")) Fail(value_path, Quote(op_name) + " takes no value; remove \"value\"");
  } else {
    if (!item.contains("value")) Fail(value_path, "missing field \"value\"; " + Quote(op_name) + " needs a value");
    condition.value = CompileValue(condition.field, condition.op, item["value"], value_path);
    const Spec spec = SpecOf(condition.field.id);
    if (spec.domain == Domain::kWords && condition.value.kind == Value::Kind::kString) {
      condition.word = Rank(spec.words, condition.value.string);
    }
  }
  if (item.contains("tz")) CompileZone(item["tz"], path + ".tz", &condition.field);
  return condition;
}

std::vector<Condition> CompileList(const json& list, const std::string& path) {
  if (!list.is_array()) Fail(path, std::string("expected a list of conditions; got ") + TypeName(list));
  std::vector<Condition> out;
  out.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i)
    out.push_back(CompileCondition(list[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Evaluation.

// Floor division; C++ `/` truncates toward zero, which would count a base 30 minutes in the future as 0
// hours elapsed instead of -1.
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// to - from, saturated: Facts are not trusted to keep timestamps sane, and signed overflow is undefined.
std::int64_t SaturatingSub(std::int64_t to, std::int64_t from) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  constexpr std::int64_t kMin = std::numeric_limits<std::int64_t>::min();
  if (from < 0 && to > kMax + from) return kMax;
  if (from > 0 && to < kMin + from) return kMin;
  return to - from;
}

Timestamp UnitOf(FieldId id) {
  if (id == FieldId::kTimeOnPage) return 1000;
  return id == FieldId::kHoursSince || id == FieldId::kHoursUntil ? kMillisPerHour : kMillisPerMinute;
}

// -1, 0 or 1 when a and b compare in the field's order; nullopt when either is outside it.
std::optional<int> Compare(FieldId id, const Value& a, const Value& b) {
  auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
  const Spec spec = SpecOf(id);
  if (spec.domain == Domain::kWords && spec.ordered) {
    if (a.kind != Value::Kind::kString || b.kind != Value::Kind::kString) return std::nullopt;
    int ra = Rank(spec.words, a.string);
    int rb = Rank(spec.words, b.string);
    if (ra < 0 || rb < 0) return std::nullopt;
    return sign(ra, rb);
  }
  if (spec.domain == Domain::kTimeOfDay) {
    if (a.kind != Value::Kind::kString || b.kind != Value::Kind::kString) return std::nullopt;
    if (!IsTimeOfDay(a.string) || !IsTimeOfDay(b.string)) return std::nullopt;
    return sign(a.string, b.string);
  }
  if (a.kind != Value::Kind::kNumber || b.kind != Value::Kind::kNumber) return std::nullopt;
  return sign(a.number, b.number);
}

bool Contains(const Value& list, const Value& item) {
  if (list.kind != Value::Kind::kList || item.kind != Value::Kind::kString) return false;
  return std::find(list.list.begin(), list.list.end(), item.string) != list.list.end();
}

bool IsPresent(const Value& v) {
  switch (v.kind) {
    case Value::Kind::kNull:
      return false;
    case Value::Kind::kString:
      return !v.string.empty();
    case Value::Kind::kList:
      return !v.list.empty();
    case Value::Kind::kBool:
    case Value::Kind::kNumber:
      return true;
  }
  return false;
}

// The facts as they will be at `now` if only time passes: that later check is a change of its own in which
// nothing changed (see NextDue in condition.h).
class LaterFacts : public Facts {
 public:
  explicit LaterFacts(const Facts& base) : base_(base) {}

  void set_now(Timestamp now) { now_ = now; }

  Value Current(const FieldRef& field) const override {
    if (field.id == FieldId::kTicket) return Value::String("updated");
    return base_.Current(field);
  }
  std::optional<Value> Previous(const FieldRef&) const override { return std::nullopt; }
  std::optional<Timestamp> TimeOf(TimeBase base) const override { return base_.TimeOf(base); }
  Timestamp Now() const override { return now_; }

 private:
  const Facts& base_;
  Timestamp now_ = 0;
};

// Adds to `out` the instants after `now` at which `c` may change truth (see NextDue in condition.h).
void AddBreakpoints(const Condition& c, const Facts& facts, Timestamp now, std::vector<Timestamp>* out) {
  if (!IsTimeBased(c.field.id) || c.value.kind != Value::Kind::kNumber) return;
  std::optional<Timestamp> base = facts.TimeOf(c.field.base);
  if (!base) return;
  const Timestamp unit = UnitOf(c.field.id);
  // ParseConditions bounds N to an int, so (N+1) * unit fits comfortably; only base + that can overflow.
  const auto n = static_cast<std::int64_t>(c.value.number);
  if (IsCountdown(c.field.id)) {
    // floor((T - now) / unit) steps down at T - k units: the truth of N may change at T - N and
    // T - (N+1) units, and just after them; an extra instant only makes an automation look again.
    for (std::int64_t units : {n, n + 1}) {
      const std::int64_t delta = units * unit;
      if (*base < std::numeric_limits<Timestamp>::min() + delta) continue;
      for (Timestamp t : {*base - delta, *base - delta + 1}) {
        if (t > now) out->push_back(t);
      }
    }
    return;
  }
  auto add = [&](std::int64_t units) {
    const std::int64_t delta = units * unit;
    if (*base > std::numeric_limits<Timestamp>::max() - delta) return;
    const Timestamp t = *base + delta;
    if (t > now) out->push_back(t);
  };
  if (c.op != Operator::kGreaterThan) add(n);   // is / is_not / less_than change at T + N units
  if (c.op != Operator::kLessThan) add(n + 1);  // is / is_not / greater_than change at T + (N+1) units
}

}  // namespace

// -----------------------------------------------------------------------------------------------------------
// Value

Value Value::Bool(bool b) {
  Value v;
  v.kind = Kind::kBool;
  v.boolean = b;
  return v;
}

Value Value::Number(double n) {
  Value v;
  v.kind = Kind::kNumber;
  v.number = n;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind = Kind::kString;
  v.string = std::move(s);
  return v;
}

Value Value::List(std::vector<std::string> items) {
  Value v;
  v.kind = Kind::kList;
  v.list = std::move(items);
  return v;
}

std::string Value::ToString() const {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return boolean ? "true" : "false";
    case Kind::kNumber:
      // Whole numbers print as integers ("96", not "96.0"): they are what rule authors write.
      if (std::floor(number) == number && std::fabs(number) < 9e15)
        return std::to_string(static_cast<long long>(number));
      return json(number).dump();
    case Kind::kString:
      return json(string).dump();
    case Kind::kList:
      return json(list).dump();
  }
  return "null";
}

bool operator==(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case Value::Kind::kNull:
      return true;
    case Value::Kind::kBool:
      return a.boolean == b.boolean;
    case Value::Kind::kNumber:
      return a.number == b.number;
    case Value::Kind::kString:
      return a.string == b.string;
    case Value::Kind::kList:
      return a.list == b.list;
  }
  return false;
}

bool operator!=(const Value& a, const Value& b) { return !(a == b); }

std::ostream& operator<<(std::ostream& os, const Value& v) { return os << v.ToString(); }

// -----------------------------------------------------------------------------------------------------------
// FieldRef and Operator

bool operator==(const FieldRef& a, const FieldRef& b) { return a.id == b.id && a.name == b.name && a.base == b.base; }

bool operator!=(const FieldRef& a, const FieldRef& b) { return !(a == b); }

bool operator<(const FieldRef& a, const FieldRef& b) {
  if (a.id != b.id) return a.id < b.id;
  if (a.base != b.base) return a.base < b.base;
  return a.name < b.name;
}

std::ostream& operator<<(std::ostream& os, const FieldRef& f) {
  os << FieldName(f);
  if (IsClockField(f.id) && !f.name.empty()) os << " (tz " << f.name << ")";
  return os;
}

bool IsClockField(FieldId id) { return id == FieldId::kWeekday || id == FieldId::kTimeOfDay; }

Value ClockValue(const FieldRef& field, Timestamp now) {
  if (!IsClockField(field.id)) return Value::Null();
  using Millis = std::chrono::milliseconds;
  // Milliseconds since 1970-01-01T00:00 on the clock read: UTC's, or the zone's local clock. Without a
  // zone nothing is looked up.
  Timestamp local = now;
  if (!field.name.empty()) {
    const date::time_zone* zone = field.zone != nullptr ? field.zone : LocateZone(field.name);
    if (zone == nullptr) return Value::Null();
    local = zone->to_local(date::sys_time<Millis>{Millis{now}}).time_since_epoch().count();
  }
  if (field.id == FieldId::kWeekday) {
    const auto day = date::floor<date::days>(date::sys_time<Millis>{Millis{local}});
    return Value::String(std::string(kWeekdays[date::weekday{day}.iso_encoding() - 1]));  // iso: mon = 1
  }
  constexpr Timestamp kDay = 24 * kMillisPerHour;
  const Timestamp in_day = ((local % kDay) + kDay) % kDay;
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(in_day / kMillisPerHour),
                static_cast<int>(in_day % kMillisPerHour / kMillisPerMinute));
  return Value::String(buf);
}

std::optional<FieldRef> FieldFromName(std::string_view name) {
  FieldRef ref;
  if (StartsWith(name, kContactPrefix) || StartsWith(name, kVarPrefix)) {
    const bool contact = StartsWith(name, kContactPrefix);
    std::string_view rest = name.substr(contact ? kContactPrefix.size() : kVarPrefix.size());
    if (rest.empty()) return std::nullopt;
    ref.id = contact ? FieldId::kContactField : FieldId::kVarField;
    ref.name = std::string(rest);
    return ref;
  }
  if (StartsWith(name, kOpenPrefix) || StartsWith(name, kAgentsOnlinePrefix)) {
    const bool open = StartsWith(name, kOpenPrefix);
    const std::size_t prefix = open ? kOpenPrefix.size() : kAgentsOnlinePrefix.size();
    if (name.size() == prefix) return std::nullopt;
    ref.id = open ? FieldId::kGroupOpen : FieldId::kAgentsOnline;
    ref.name = std::string(name.substr(prefix));
    return ref;
  }
  if (name == kTimeOnPage) {
    ref.id = FieldId::kTimeOnPage;
    ref.base = TimeBase::kPageViewed;
    return ref;
  }
  if (StartsWith(name, kMinutesUntilPrefix) || StartsWith(name, kHoursUntilPrefix)) {
    const bool minutes = StartsWith(name, kMinutesUntilPrefix);
    std::string_view rest = name.substr(minutes ? kMinutesUntilPrefix.size() : kHoursUntilPrefix.size());
    for (const NamedBase& b : kCountdownBases) {
      if (rest == b.name) {
        ref.id = minutes ? FieldId::kMinutesUntil : FieldId::kHoursUntil;
        ref.base = b.base;
        return ref;
      }
    }
    return std::nullopt;
  }
  if (StartsWith(name, kMinutesPrefix) || StartsWith(name, kHoursPrefix)) {
    const bool minutes = StartsWith(name, kMinutesPrefix);
    std::string_view rest = name.substr(minutes ? kMinutesPrefix.size() : kHoursPrefix.size());
    for (const NamedBase& b : kTimeBases) {
      if (rest == b.name) {
        ref.id = minutes ? FieldId::kMinutesSince : FieldId::kHoursSince;
        ref.base = b.base;
        return ref;
      }
    }
    return std::nullopt;
  }
  for (const NamedField& f : kSimpleFields) {
    if (name == f.name) {
      ref.id = f.id;
      return ref;
    }
  }
  return std::nullopt;
}

std::string FieldName(const FieldRef& field) {
  switch (field.id) {
    case FieldId::kContactField:
      return std::string(kContactPrefix) + field.name;
    case FieldId::kVarField:
      return std::string(kVarPrefix) + field.name;
    case FieldId::kGroupOpen:
      return std::string(kOpenPrefix) + field.name;
    case FieldId::kAgentsOnline:
      return std::string(kAgentsOnlinePrefix) + field.name;
    case FieldId::kTimeOnPage:
      return std::string(kTimeOnPage);
    case FieldId::kMinutesSince:
    case FieldId::kHoursSince: {
      std::string out(field.id == FieldId::kMinutesSince ? kMinutesPrefix : kHoursPrefix);
      for (const NamedBase& b : kTimeBases) {
        if (b.base == field.base) return out + b.name;
      }
      return out;
    }
    case FieldId::kMinutesUntil:
    case FieldId::kHoursUntil: {
      std::string out(field.id == FieldId::kMinutesUntil ? kMinutesUntilPrefix : kHoursUntilPrefix);
      for (const NamedBase& b : kCountdownBases) {
        if (b.base == field.base) return out + b.name;
      }
      return out;
    }
    default:
      for (const NamedField& f : kSimpleFields) {
        if (f.id == field.id) return f.name;
      }
      return "";
  }
}

const char* OperatorName(Operator op) {
  switch (op) {
    case Operator::kIs:
      return "is";
    case Operator::kIsNot:
      return "is_not";
    case Operator::kLessThan:
      return "less_than";
    case Operator::kGreaterThan:
      return "greater_than";
    case Operator::kIncludes:
      return "includes";
    case Operator::kNotIncludes:
      return "not_includes";
    case Operator::kPresent:
      return "present";
    case Operator::kAbsent:
      return "absent";
    case Operator::kChanged:
      return "changed";
    case Operator::kChangedTo:
      return "changed_to";
    case Operator::kChangedFrom:
      return "changed_from";
  }
  return "?";
}

std::ostream& operator<<(std::ostream& os, Operator op) { return os << OperatorName(op); }

// -----------------------------------------------------------------------------------------------------------
// Parsing

Status ParseConditions(const nlohmann::json& doc, const std::string& path, Conditions* out) {
  Conditions compiled;
  try {
    if (!doc.is_object())
      Fail(path, std::string("expected an object with \"all\" and/or \"any\"; got ") + TypeName(doc));
    ExpectKeys(doc, path, {"all", "any"});
    if (doc.contains("all")) compiled.all = CompileList(doc["all"], path + ".all");
    if (doc.contains("any")) compiled.any = CompileList(doc["any"], path + ".any");
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(compiled);
  return Status::OK();
}

void SetDefaultZone(Conditions* conditions, const std::string& tz, const date::time_zone* zone) {
  for (std::vector<Condition>* list : {&conditions->all, &conditions->any}) {
    for (Condition& c : *list) {
      if (!IsClockField(c.field.id) || !c.field.name.empty()) continue;
      c.field.name = tz;
      c.field.zone = zone;
    }
  }
}

// -----------------------------------------------------------------------------------------------------------
// Evaluation

Facts::~Facts() = default;

Value FieldValue(const FieldRef& field, const Facts& facts) {
  if (!IsTimeBased(field.id)) return facts.Current(field);
  std::optional<Timestamp> base = facts.TimeOf(field.base);
  if (!base) return Value::Null();
  if (IsCountdown(field.id)) {
    return Value::Number(static_cast<double>(FloorDiv(SaturatingSub(*base, facts.Now()), UnitOf(field.id))));
  }
  return Value::Number(static_cast<double>(FloorDiv(SaturatingSub(facts.Now(), *base), UnitOf(field.id))));
}

const Value* Facts::Peek(const FieldRef&) const { return nullptr; }

FieldView Facts::View(const FieldRef&) const { return FieldView{}; }

namespace {

// FieldValue, borrowed from the facts when they hold it (most conditions read a handful of fields:
// copying a tag list per condition was most of an evaluation), else computed into *scratch.
const Value& ValueOf(const FieldRef& field, const Facts& facts, Value* scratch) {
  if (!IsTimeBased(field.id)) {
    if (const Value* held = facts.Peek(field)) return *held;
  }
  *scratch = FieldValue(field, facts);
  return *scratch;
}

// Holds for the conditions a FieldView or an elapsed count answers without a Value: nullopt when it cannot
// tell (then the Value path decides). Each answer is the one the Value path gives, operator by operator
// (the semantics in condition.h); the property test in condition_test.cpp holds them equal.
std::optional<bool> HoldsOnView(const Condition& c, const Facts& facts) {
  const Value& x = c.value;
  if (IsTimeBased(c.field.id)) {
    const bool ordering = c.op == Operator::kLessThan || c.op == Operator::kGreaterThan;
    if (x.kind != Value::Kind::kNumber || !(ordering || c.op == Operator::kIs || c.op == Operator::kIsNot)) {
      return std::nullopt;
    }
    std::optional<Timestamp> base = facts.TimeOf(c.field.base);
    if (!base) return c.op == Operator::kIsNot;  // null: equal to no number, ordered against none
    const Timestamp span =
        IsCountdown(c.field.id) ? SaturatingSub(*base, facts.Now()) : SaturatingSub(facts.Now(), *base);
    const double v = static_cast<double>(FloorDiv(span, UnitOf(c.field.id)));
    switch (c.op) {
      case Operator::kIs:
        return v == x.number;
      case Operator::kIsNot:
        return v != x.number;
      case Operator::kLessThan:
        return v < x.number;
      default:
        return v > x.number;
    }
  }
  const FieldView v = facts.View(c.field);
  switch (v.kind) {
    case FieldView::Kind::kUnknown:
      return std::nullopt;
    case FieldView::Kind::kNull:
      switch (c.op) {
        case Operator::kIs:
          return x.kind == Value::Kind::kNull;
        case Operator::kIsNot:
          return x.kind != Value::Kind::kNull;
        case Operator::kLessThan:
        case Operator::kGreaterThan:
        case Operator::kIncludes:
        case Operator::kPresent:
          return false;
        case Operator::kNotIncludes:
        case Operator::kAbsent:
          return true;
        default:
          return std::nullopt;
      }
    case FieldView::Kind::kWord:
      if (c.op == Operator::kPresent || c.op == Operator::kAbsent) return c.op == Operator::kPresent;
      if (c.op == Operator::kIncludes || c.op == Operator::kNotIncludes) return c.op == Operator::kNotIncludes;
      if (c.op == Operator::kIs || c.op == Operator::kIsNot) {
        if (x.kind != Value::Kind::kString) return c.op == Operator::kIsNot;  // a word is not null
        if (c.word == kNoWord) return std::nullopt;
        return (v.word == c.word) == (c.op == Operator::kIs);
      }
      if (c.word < 0 || !SpecOf(c.field.id).ordered) return std::nullopt;
      if (c.op == Operator::kLessThan) return v.word < c.word;
      if (c.op == Operator::kGreaterThan) return v.word > c.word;
      return std::nullopt;
    case FieldView::Kind::kText:
      switch (c.op) {
        case Operator::kIs:
          return x.kind == Value::Kind::kString && x.string == v.text;
        case Operator::kIsNot:
          return !(x.kind == Value::Kind::kString && x.string == v.text);
        case Operator::kIncludes:
          return false;
        case Operator::kNotIncludes:
          return true;
        case Operator::kPresent:
          return true;
        case Operator::kAbsent:
          return false;
        default:
          return std::nullopt;
      }
    case FieldView::Kind::kList:
      switch (c.op) {
        case Operator::kIncludes:
        case Operator::kNotIncludes: {
          const bool found =
              x.kind == Value::Kind::kString && std::find(v.list->begin(), v.list->end(), x.string) != v.list->end();
          return found == (c.op == Operator::kIncludes);
        }
        case Operator::kPresent:
          return !v.list->empty();
        case Operator::kAbsent:
          return v.list->empty();
        default:
          return std::nullopt;
      }
  }
  return std::nullopt;
}

// Holds through FieldValue: every condition HoldsOnView cannot tell.
bool HoldsOnValue(const Condition& condition, const Facts& facts) {
  Value scratch;
  switch (condition.op) {
    case Operator::kIs:
      return ValueOf(condition.field, facts, &scratch) == condition.value;
    case Operator::kIsNot:
      return ValueOf(condition.field, facts, &scratch) != condition.value;
    case Operator::kLessThan: {
      std::optional<int> c = Compare(condition.field.id, ValueOf(condition.field, facts, &scratch), condition.value);
      return c && *c < 0;
    }
    case Operator::kGreaterThan: {
      std::optional<int> c = Compare(condition.field.id, ValueOf(condition.field, facts, &scratch), condition.value);
      return c && *c > 0;
    }
    case Operator::kIncludes:
      return Contains(ValueOf(condition.field, facts, &scratch), condition.value);
    case Operator::kNotIncludes:
      return !Contains(ValueOf(condition.field, facts, &scratch), condition.value);
    case Operator::kPresent:
      return IsPresent(ValueOf(condition.field, facts, &scratch));
    case Operator::kAbsent:
      return !IsPresent(ValueOf(condition.field, facts, &scratch));
    case Operator::kChanged:
      return facts.Previous(condition.field).has_value();
    case Operator::kChangedTo:
      return facts.Previous(condition.field).has_value() && FieldValue(condition.field, facts) == condition.value;
    case Operator::kChangedFrom: {
      std::optional<Value> previous = facts.Previous(condition.field);
      return previous.has_value() && *previous == condition.value;
    }
  }
  return false;
}

}  // namespace

bool Holds(const Condition& condition, const Facts& facts) {
  if (std::optional<bool> quick = HoldsOnView(condition, facts)) return *quick;
  return HoldsOnValue(condition, facts);
}

bool Holds(const Conditions& conditions, const Facts& facts) {
  for (const Condition& c : conditions.all) {
    if (!Holds(c, facts)) return false;
  }
  if (conditions.any.empty()) return true;
  for (const Condition& c : conditions.any) {
    if (Holds(c, facts)) return true;
  }
  return false;
}

std::optional<Timestamp> NextDue(const Conditions& conditions, const Facts& facts) {
  if (Holds(conditions, facts)) return std::nullopt;
  const Timestamp now = facts.Now();
  std::vector<Timestamp> instants;
  for (const Condition& c : conditions.all) AddBreakpoints(c, facts, now, &instants);
  for (const Condition& c : conditions.any) AddBreakpoints(c, facts, now, &instants);
  std::sort(instants.begin(), instants.end());
  instants.erase(std::unique(instants.begin(), instants.end()), instants.end());
  // Truth only changes at these instants and each new truth starts at its instant, so the first instant at
  // which everything holds is the answer. A handful of conditions: the quadratic walk is cheaper than cleverness.
  LaterFacts later(facts);
  for (Timestamp t : instants) {
    later.set_now(t);
    if (Holds(conditions, later)) return t;
  }
  return std::nullopt;
}

}  // namespace switchboard
