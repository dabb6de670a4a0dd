#include "rules/domain/ticket_facts.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "rules/domain/routing.h"

namespace switchboard {
namespace {

Value StringOrNull(const std::string& s) { return s.empty() ? Value::Null() : Value::String(s); }

// A name of the vocabulary (a status, a channel, ...) as a condition reads it.
Value Word(std::string_view name) { return Value::String(std::string(name)); }

Value ProfileField(const Contact* c, const std::string& name) {
  if (c == nullptr) return Value::Null();
  auto it = c->values.find(name);
  return it == c->values.end() ? Value::Null() : it->second;
}

// The contact has been here before: an earlier conversation than this one.
bool Returning(const Contact* c, std::uint64_t conversation) {
  return c != nullptr && !c->conversations.empty() && c->conversations.front() != conversation;
}

Value Var(const Conversation* c, const std::string& name) {
  if (c == nullptr) return Value::Null();
  auto it = c->vars.find(name);
  return it == c->vars.end() ? Value::Null() : ValueFromJson(it->second);
}

}  // namespace

ConversationFacts::ConversationFacts(const Configuration& config, const Conversation& conversation,
                                     const Contact* contact, Timestamp now)
    : config_(config), conversation_(conversation), contact_(contact), now_(now) {}

Value ConversationFacts::Current(const FieldRef& field) const {
  switch (field.id) {
    case FieldId::kChannel:
    case FieldId::kHandledAs:
      return Word(Name(conversation_.channel));
    case FieldId::kSession:
      return Word(Name(conversation_.session));
    case FieldId::kLanguage:
      return ProfileField(contact_, "language");
    case FieldId::kContactField:
      return ProfileField(contact_, field.name);
    case FieldId::kReturning:
      return Value::Bool(Returning(contact_, conversation_.id));
    case FieldId::kVarField:
      return Var(&conversation_, field.name);
    case FieldId::kGroupOpen:
      return Value::Bool(config_.GroupOpen(field.name, now_));
    case FieldId::kWeekday:
    case FieldId::kTimeOfDay:
      return ClockValue(field, now_);
    default:
      return Value::Null();  // ticket fields: there is no ticket yet
  }
}

TicketSnapshot SnapshotOf(const DeskState& state, const Ticket& t) {
  const Conversation* c = state.FindConversation(t.conversation);
  return TicketSnapshot{t, c ? c->session : Session::kActive};
}

TicketFacts::TicketFacts(const DeskState& state, const Ticket& ticket, const TicketSnapshot* before,
                         std::string update_via, Timestamp now)
    : state_(state), ticket_(ticket), before_(before), update_via_(std::move(update_via)), now_(now) {}

TicketFacts TicketFacts::Unchanged(const DeskState& state, const Ticket& ticket, std::string update_via,
                                   Timestamp now) {
  TicketFacts facts(state, ticket, nullptr, std::move(update_via), now);
  facts.unchanged_ = true;
  return facts;
}

Value TicketFacts::Read(const FieldRef& field, const Ticket& t, Session session) const {
  switch (field.id) {
    case FieldId::kStatus:
      return Word(Name(t.status));
    case FieldId::kChannel:
      return Word(Name(t.channel));
    case FieldId::kHandledAs:
      return Word(Name(t.handled_as));
    case FieldId::kSession:
      return Word(Name(session));
    case FieldId::kSessionEndReason:
      return StringOrNull(t.session_end_reason);
    case FieldId::kGroup:
      return StringOrNull(t.group);
    case FieldId::kAssignee:
      return StringOrNull(t.assignee);
    case FieldId::kPriority:
      return Word(Name(t.priority));
    case FieldId::kTags:
      return Value::List(t.tags);
    case FieldId::kVia:
      return Value::String(t.created_via);
    case FieldId::kUpdateVia:
      return Value::String(update_via_);
    case FieldId::kSolvedAutomatically:
      return Value::Bool(t.solved_automatically);
    case FieldId::kTicket:
      return Value::String(before_ == nullptr && !unchanged_ ? "created" : "updated");
    case FieldId::kLanguage:
      return ProfileField(state_.FindContact(t.contact), "language");
    case FieldId::kContactField:
      return ProfileField(state_.FindContact(t.contact), field.name);
    case FieldId::kReturning:
      return Value::Bool(Returning(state_.FindContact(t.contact), t.conversation));
    case FieldId::kSlaBreached:
      return Value::Bool(
          std::any_of(t.sla_clocks.begin(), t.sla_clocks.end(), [](const SlaClock& c) { return c.breached; }));
    case FieldId::kWeekday:
    case FieldId::kTimeOfDay:
      return ClockValue(field, now_);
    case FieldId::kVarField:
      return Var(state_.FindConversation(t.conversation), field.name);
    case FieldId::kGroupOpen:
      return Value::Bool(state_.config().GroupOpen(field.name, now_));
    case FieldId::kMinutesSince:
    case FieldId::kHoursSince:
    case FieldId::kMinutesUntil:
    case FieldId::kHoursUntil:
    case FieldId::kTimeOnPage:
      return Value::Null();
    case FieldId::kPageUrl:  // a visitor's page: proactive rules only (B70)
    case FieldId::kPageTitle:
    case FieldId::kAgentsOnline:
      return Value::Null();
  }
  return Value::Null();
}

Session TicketFacts::SessionNow() const {
  const Conversation* c = state_.FindConversation(ticket_.conversation);
  return c ? c->session : Session::kActive;
}

Value TicketFacts::Current(const FieldRef& field) const {
  if (const Value* kept = Peek(field)) return *kept;
  return Read(field, ticket_, Session::kActive);  // Peek keeps every field that reads the session
}

const Value* TicketFacts::Peek(const FieldRef& field) const {
  const int i = static_cast<int>(field.id);
  if (i >= kKeptFields) return nullptr;  // weekday, time of day, contact.*, var.*, open.*, time-based
  if (!kept_[i]) kept_[i] = Read(field, ticket_, field.id == FieldId::kSession ? SessionNow() : Session::kActive);
  return &*kept_[i];
}

namespace {

FieldView WordView(int position) {
  FieldView v;
  v.kind = FieldView::Kind::kWord;
  v.word = position;
  return v;
}

// As StringOrNull reads it.
FieldView TextOrNull(const std::string& s) {
  FieldView v;
  v.kind = s.empty() ? FieldView::Kind::kNull : FieldView::Kind::kText;
  v.text = s;
  return v;
}

}  // namespace

FieldView TicketFacts::View(const FieldRef& field) const {
  const Ticket& t = ticket_;
  switch (field.id) {
    case FieldId::kStatus:
      return WordView(static_cast<int>(t.status));
    case FieldId::kChannel:
      return WordView(static_cast<int>(t.channel));
    case FieldId::kHandledAs:
      return WordView(static_cast<int>(t.handled_as));
    case FieldId::kSession:
      return WordView(static_cast<int>(SessionNow()));
    case FieldId::kPriority:
      return WordView(static_cast<int>(t.priority));
    case FieldId::kTicket:  // "created", "updated": the order of the condition engine's vocabulary
      return WordView(before_ == nullptr && !unchanged_ ? 0 : 1);
    case FieldId::kSessionEndReason:
      return TextOrNull(t.session_end_reason);
    case FieldId::kGroup:
      return TextOrNull(t.group);
    case FieldId::kAssignee:
      return TextOrNull(t.assignee);
    case FieldId::kTags: {
      FieldView v;
      v.kind = FieldView::Kind::kList;
      v.list = &t.tags;
      return v;
    }
    default:
      return FieldView{};  // read as a Value
  }
}

std::optional<Value> TicketFacts::Previous(const FieldRef& field) const {
  if (unchanged_ || field.id == FieldId::kUpdateVia || field.id == FieldId::kTicket || field.id == FieldId::kWeekday ||
      field.id == FieldId::kTimeOfDay) {
    return std::nullopt;
  }
  Value now = Current(field);
  if (before_ == nullptr) {  // the change created the ticket: every field it has came from nothing
    if (now.is_null()) return std::nullopt;
    return Value::Null();
  }
  Value then = Read(field, before_->ticket, before_->session);
  if (then == now) return std::nullopt;
  return then;
}

std::optional<Timestamp> TicketFacts::TimeOf(TimeBase base) const {
  Timestamp t = 0;
  switch (base) {
    case TimeBase::kCreated:
      t = ticket_.created_at;
      break;
    case TimeBase::kUpdated:
      t = ticket_.updated_at;
      break;
    case TimeBase::kStatusChanged:
      t = ticket_.status_changed_at;
      break;
    case TimeBase::kLastContactMessage: {
      const Conversation* c = state_.FindConversation(ticket_.conversation);
      t = c ? c->last_contact_message_at : 0;
      break;
    }
    case TimeBase::kLastAgentMessage:
      t = ticket_.last_agent_message_at;
      break;
    case TimeBase::kSolved:
      t = ticket_.solved_at;
      break;
    case TimeBase::kAssigned:
      t = ticket_.assigned_at;
      break;
    case TimeBase::kBreach:
      for (const SlaClock& c : ticket_.sla_clocks) {
        if (c.breached && (t == 0 || c.breached_at < t)) t = c.breached_at;
      }
      break;
    case TimeBase::kNextBreach:
      t = ticket_.NextBreach();
      break;
    case TimeBase::kPageViewed:  // a visitor's page: proactive rules only (B70)
      break;
  }
  if (t == 0) return std::nullopt;
  return t;
}

Value VisitorFacts::Current(const FieldRef& field) const {
  const Visitor& v = contact_.visitor;
  switch (field.id) {
    case FieldId::kPageUrl:
      return StringOrNull(v.page_url);
    case FieldId::kPageTitle:
      return StringOrNull(v.page_title);
    case FieldId::kReturning:  // an earlier visit, or an earlier conversation
      return Value::Bool(v.visits > 1 || !contact_.conversations.empty());
    case FieldId::kLanguage:
      return ProfileField(&contact_, "language");
    case FieldId::kContactField:
      return ProfileField(&contact_, field.name);
    case FieldId::kGroupOpen:
      return Value::Bool(state_.config().GroupOpen(field.name, now_));
    case FieldId::kAgentsOnline:
      return Value::Bool(state_.config().GroupOpen(field.name, now_) &&
                         AnyRoom(state_.config(), state_, field.name, Channel::kMessaging));
    case FieldId::kWeekday:
    case FieldId::kTimeOfDay:
      return ClockValue(field, now_);
    default:
      return Value::Null();  // a ticket's fields: there is no ticket
  }
}

std::optional<Timestamp> VisitorFacts::TimeOf(TimeBase base) const {
  if (base != TimeBase::kPageViewed || contact_.visitor.page_viewed_at == 0) return std::nullopt;
  return contact_.visitor.page_viewed_at;
}

}  // namespace switchboard
