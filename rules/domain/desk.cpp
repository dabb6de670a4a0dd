#include "rules/domain/desk.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

namespace switchboard {
namespace {

using nlohmann::json;

std::unique_ptr<fb::ChangeT> MakeChange(const char* field, json before, json after) {
  auto change = std::make_unique<fb::ChangeT>();
  change->field = field;
  change->before = before.dump();
  change->after = after.dump();
  return change;
}

// Who makes the change a command makes: the `update_via` condition field (B40).
const char* UpdateVia(const Command& c) {
  switch (c.kind) {
    case CommandKind::kContactMessage:
    case CommandKind::kCsatRate:
      return "contact";
    case CommandKind::kTicketUpdate:
      return c.agent.empty() ? "system" : "agent";
    case CommandKind::kAgentStatus:
    case CommandKind::kAgentAccept:
    case CommandKind::kAgentMessage:
    case CommandKind::kTicketTransfer:
    case CommandKind::kSessionEnd:
    case CommandKind::kMacroApply:
      return "agent";
    default:
      return "system";
  }
}

}  // namespace

Desk::Desk(DeskState* state) : state_(state) {
  state_->TakeEnteredQueue();
  state_->TakeDrainGroups();
  state_->TakeLoadsMoved();
}

void Desk::Emit(Event e) {
  e.seq = state_->last_seq() + 1;
  e.at = clock_;
  e.cmd = cmd_;
  e.rule = rule_;
  if (!actor_.empty() && e.agent != actor_) e.by = actor_;
  if (e.ticket != 0 && e.payload.type != fb::Payload::CommandRejected && !touched_.count(e.ticket)) {
    const Ticket* t = state_->FindTicket(e.ticket);
    touched_.emplace(e.ticket, t ? std::optional<TicketSnapshot>(SnapshotOf(*state_, *t)) : std::nullopt);
  }
  state_->Apply(e);
  out_->push_back(std::move(e));
}

// A rejection names the ids the command named, so the audit of that ticket, agent or contact shows
// the refused attempt too.
void Desk::Reject(const Command& c, const Rejection& r) {
  fb::CommandRejectedT p;
  p.error = r.error;
  p.field = r.field;
  p.line = c.line;
  Event e = MakeEvent(std::move(p));
  e.ticket = c.ticket;
  e.agent = c.agent;
  e.contact = c.contact;
  Emit(std::move(e));
}

void Desk::Handle(const Command& command, Timestamp wall_now, std::vector<Event>* out) {
  out_ = out;
  // A line that is not a command changes nothing, time included: its rejection is at the current
  // clock; in an empty log there is no clock yet, and it is stamped as a line without `at` would be.
  // A lookup's answer is part of the conversation's present: it does not move the clock either.
  const bool keeps_clock = command.kind == CommandKind::kInvalid || command.kind == CommandKind::kLookupResult;
  Timestamp now = keeps_clock ? state_->now() : std::max(state_->now(), command.at.value_or(wall_now));
  if (now == 0) now = command.at.value_or(wall_now);
  FireTimers(now);
  clock_ = now;
  cmd_ = command.id.empty() ? command.recovered_id : command.id;
  const char* via = UpdateVia(command);
  BeginChange(via);
  actor_ = std::string(via) == "agent" ? command.agent : "";
  if (std::optional<Rejection> r = Decide(command)) Reject(command, *r);
  EndChange();
  // The engine's clock is the largest `at` seen, even from a command that caused nothing: the log
  // keeps it, so a later command with an earlier `at` is applied at this time, restart or not.
  if (state_->now() < clock_) Emit(MakeEvent(fb::ClockAdvancedT()));
  actor_.clear();
}

// Every timer due by `upto` fires, earliest first, each at its own due time and as a change of its
// own. At the same instant: inactivity, then automations, then offer time-outs, then group openings.
void Desk::FireTimers(Timestamp upto) {
  cmd_.clear();  // a timer is caused by time, not by the command that let time pass
  while (true) {
    auto inactivity = state_->NextInactivity();
    auto automation = state_->NextAutomation();
    auto offer = state_->NextOfferTimeout();
    auto opening = NextGroupOpening();
    int kind = -1;
    Timestamp due = 0;
    auto consider = [&](int k, std::optional<Timestamp> at) {
      if (at && *at <= upto && (kind < 0 || *at < due)) {
        kind = k;
        due = *at;
      }
    };
    consider(0, inactivity ? std::optional<Timestamp>(inactivity->first) : std::nullopt);
    consider(1, automation ? std::optional<Timestamp>(automation->first) : std::nullopt);
    consider(2, offer ? std::optional<Timestamp>(offer->first) : std::nullopt);
    consider(3, opening ? std::optional<Timestamp>(opening->first) : std::nullopt);
    if (kind < 0) break;
    clock_ = std::max(state_->now(), due);
    BeginChange(kind == 1 ? "automation" : "system");
    switch (kind) {
      case 0:
        FireInactivity(inactivity->second);
        break;
      case 1:
        FireAutomations(automation->second);
        break;
      case 2:
        FireOfferTimeout(offer->second);
        break;
      default: {
        // Fired: the next one is computed from this instant, not from the state's clock, which a
        // drain that assigns nobody leaves behind (the same opening would come due forever).
        for (const GroupConfig& g : state_->config().groups) {
          if (g.id == opening->second && g.hours) next_opening_[g.id] = g.hours->NextOpening(due);
        }
        const std::size_t before = out_->size();
        DrainGroup(opening->second);
        if (out_->size() == before) dormant_openings_.insert(opening->second);
        break;
      }
    }
    EndChange();
  }
}

void Desk::FireInactivity(std::uint64_t conversation) {
  const Conversation* c = state_->FindConversation(conversation);
  Event e = MakeEvent(fb::ConversationInactiveT());
  e.conversation = c->id;
  e.ticket = c->ticket;
  Emit(std::move(e));
}

void Desk::BeginChange(const char* update_via) {
  update_via_ = update_via;
  touched_.clear();
  rule_.clear();
  actor_.clear();
}

// Routing first, so that the triggers see where the change left each ticket; then what the triggers
// moved (a new group, a status that frees capacity) is routed too, and the triggers run on tickets
// that only this second routing touched. Each ticket's triggers run once per change.
void Desk::EndChange() {
  RoutePending();
  SayHandoffMessages();
  std::set<std::uint64_t> triggered;
  while (true) {
    std::vector<std::uint64_t> tickets;
    for (const auto& [id, before] : touched_) {
      if (!triggered.count(id)) tickets.push_back(id);
    }
    if (tickets.empty()) break;
    for (std::uint64_t id : tickets) {
      RunTriggers(id);
      triggered.insert(id);
    }
    rule_.clear();
    RoutePending();
  }
  SettleLoads();
  touched_.clear();
}

// Brings every affected agent's recorded load in line with the tickets that hold its capacity, so
// that load always equals the count of held tickets (B15). The fold keeps the held counts and marks
// every agent whose count moved as dirty; agents in id order: deterministic.
void Desk::SettleLoads() {
  const std::set<std::string> agents = state_->TakeLoadsMoved();
  for (const std::string& id : agents) {
    const AgentState* a = state_->FindAgent(id);
    const AgentConfig* config = state_->config().FindAgent(id);
    if (a == nullptr || config == nullptr) continue;
    const int messaging = a->held_messaging, email = a->held_email;
    for (const auto& [channel, load, recorded, capacity] :
         {std::tuple{"messaging", messaging, a->load_messaging, config->capacity_messaging},
          std::tuple{"email", email, a->load_email, config->capacity_email}}) {
      if (load == recorded) continue;
      fb::AgentLoadChangedT p;
      p.channel = channel;
      p.load = load;
      p.capacity = capacity;
      Event e = MakeEvent(std::move(p));
      e.agent = id;
      Emit(std::move(e));
    }
  }
}

std::optional<Rejection> Desk::Decide(const Command& c) {
  switch (c.kind) {
    case CommandKind::kInvalid:
      return Rejection{c.error, c.error_field};
    case CommandKind::kContactMessage:
      return ContactMessage(c);
    case CommandKind::kAgentStatus:
      return AgentStatus(c);
    case CommandKind::kAgentMessage:
      return AgentMessage(c);
    case CommandKind::kTicketUpdate:
      return TicketUpdate(c);
    case CommandKind::kSessionEnd:
      return SessionEnd(c);
    case CommandKind::kClockAdvance:
      return std::nullopt;
    case CommandKind::kConfigApply:
      return ConfigApply(c.config);
    case CommandKind::kCsatRate:
      return CsatRate(c);
    case CommandKind::kLookupResult:
      return LookupResult(c);
    case CommandKind::kMacroApply:
      return MacroApply(c);
    case CommandKind::kAgentAccept:
      return AgentAccept(c);
    case CommandKind::kTicketTransfer:
      return TicketTransfer(c);
  }
  return Rejection{"command type \"" + std::string(CommandKindName(c.kind)) + "\" is not supported by this version",
                   "type"};
}

std::optional<Rejection> Desk::ApplyConfiguration(const std::string& text, Timestamp at, std::vector<Event>* out) {
  out_ = out;
  clock_ = std::max(state_->now(), at);
  cmd_.clear();
  BeginChange("system");
  std::optional<Rejection> refused = ConfigApply(text);
  EndChange();
  return refused;
}

std::optional<Rejection> Desk::ConfigApply(const std::string& text) {
  Configuration config;
  Status s = ParseConfiguration(text, &config);
  if (!s.ok()) {
    const std::string& m = s.message();
    size_t colon = m.find(": ");
    return Rejection{m, colon == std::string::npos ? "config" : "config." + m.substr(0, colon)};
  }
  if (config.digest == state_->config().digest && state_->config_version() != 0) return std::nullopt;
  fb::ConfigAppliedT p;
  p.version = state_->config_version() + 1;
  p.digest = config.digest;
  p.document = config.document;
  Emit(MakeEvent(std::move(p)));
  return std::nullopt;
}

void Desk::UpdateProfile(const Command& c) {
  const Contact* contact = state_->FindContact(c.contact);
  json changed = json::object();
  for (const auto& [field, value] : c.profile) {
    if (contact != nullptr) {
      auto it = contact->profile.find(field);
      if (it != contact->profile.end() && it->second == value) continue;
    }
    changed[field] = json::parse(value);
  }
  if (changed.empty()) return;
  Event e = MakeEvent(fb::ContactUpdatedT{});
  e.payload.AsContactUpdated()->profile = changed.dump();
  e.contact = c.contact;
  Emit(std::move(e));
}

std::optional<Rejection> Desk::ContactMessage(const Command& c) {
  UpdateProfile(c);
  const Contact* contact = state_->FindContact(c.contact);
  std::uint64_t open = contact == nullptr ? 0 : (c.channel == "email" ? contact->open_email : contact->open_messaging);
  if (open == 0) {
    StartConversation(c);
  } else {
    ContinueConversation(c, *state_->FindConversation(open));
  }
  return std::nullopt;
}

// A new conversation; until the bot and routing stages exist, the ticket is created at once and
// placed in the fallback group (B7, B11).
void Desk::StartConversation(const Command& c) {
  std::uint64_t conversation = state_->conversation_count() + 1;
  Event started = MakeEvent(fb::ConversationStartedT{});
  started.payload.AsConversationStarted()->channel = c.channel;
  started.conversation = conversation;
  started.contact = c.contact;
  Emit(std::move(started));

  EmitContactMessage(c, conversation, /*ticket=*/0);
  StartBot(conversation);  // greets (when configured), then runs the flow or hands off at once
}

void Desk::EmitContactMessage(const Command& c, std::uint64_t conversation, std::uint64_t ticket) {
  fb::MessageAddedT m;
  m.author = "contact";
  m.text = c.text;
  Event message = MakeEvent(std::move(m));
  message.conversation = conversation;
  message.ticket = ticket;
  message.contact = c.contact;
  Emit(std::move(message));
}

void Desk::ContinueConversation(const Command& c, const Conversation& conv) {
  const std::uint64_t conversation = conv.id;
  if (conv.in_bot) {
    // B5: while a lookup is pending, the message is recorded and held for the next question; the
    // lookup's answer, whenever it comes, drives the flow.
    const bool held = AwaitsLookup(conv);
    EmitContactMessage(c, conversation, /*ticket=*/0);
    if (held) return;
    AnswerBot(conversation, c.text);
    return TakeHeldAnswers(conversation);
  }
  const bool was_inactive = conv.session == Session::kInactive;
  EmitContactMessage(c, conversation, conv.ticket);
  if (was_inactive) {
    Event active = MakeEvent(fb::ConversationActiveT());
    active.conversation = conversation;
    active.ticket = state_->FindConversation(conversation)->ticket;
    Emit(std::move(active));
  }
  const Ticket* t = state_->FindTicket(state_->FindConversation(conversation)->ticket);
  if (t == nullptr) return;
  // B22: a contact's reply reopens a pending, on-hold or solved ticket; a solved one goes back to
  // the agent who solved it.
  if (t->status == "pending" || t->status == "on-hold" || t->status == "solved") {
    std::string solver = t->status == "solved" ? t->solved_by : "";
    ChangeStatus(*t, "open", "contact");
    if (!solver.empty() && t->assignee != solver && state_->config().FindAgent(solver)) Assign(*t, solver);
    // B16 over B22: a reopened messaging ticket does not wait on an agent who is away or offline
    // (per reassign_on); it goes back to the queue instead.
    const Ticket& reopened = *state_->FindTicket(t->id);
    if (!reopened.assignee.empty() && reopened.handled_as == "messaging") {
      const AgentState* a = state_->FindAgent(reopened.assignee);
      const std::string status = a == nullptr ? "offline" : a->status;
      const auto& reassign = state_->config().settings.reassign_on;
      if (std::find(reassign.begin(), reassign.end(), status) != reassign.end()) Assign(reopened, "");
    }
  }
}

std::optional<Rejection> Desk::AgentStatus(const Command& c) {
  if (state_->config().FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  const AgentState* a = state_->FindAgent(c.agent);
  std::string from = a == nullptr ? "offline" : a->status;
  if (from == c.status) return std::nullopt;
  fb::AgentStatusChangedT p;
  p.from = from;
  p.to = c.status;
  Event e = MakeEvent(std::move(p));
  e.agent = c.agent;
  Emit(std::move(e));
  if (c.status != "online") ReleaseAbsentAgent(c.agent);  // B16
  return std::nullopt;
}

std::optional<Rejection> Desk::AgentMessage(const Command& c) {
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (auto r = CheckNotClosed(*t)) return r;
  if (auto r = CheckMayAct(state_->config(), c.agent, *t)) return r;
  return AgentReply(*t, c.agent, c.text, c.is_public, c.public_given);
}

bool Desk::CanReachContact(const Ticket& t) const {
  const Conversation* conv = state_->FindConversation(t.conversation);
  if (conv == nullptr || conv->session != Session::kEnded) return true;
  const Contact* contact = state_->FindContact(t.contact);
  if (contact == nullptr) return false;
  auto email = contact->values.find("email");
  return email != contact->values.end() && email->second.kind == Value::Kind::kString && !email->second.string.empty();
}

std::optional<Rejection> Desk::AgentReply(const Ticket& t, const std::string& agent, const std::string& text,
                                          bool is_public, bool public_given) {
  fb::MessageAddedT m;
  m.author = "agent:" + agent;
  m.public_ = is_public;
  m.text = text;
  if (is_public && !CanReachContact(t)) {
    // Seed 004: with the messaging session ended and no email address known, the composer turns to
    // internal notes; a reply explicitly marked public could reach nobody, so it is refused.
    if (public_given) {
      return Rejection{"ticket " + std::to_string(t.id) +
                           ": the messaging session ended and the contact has no email address, so a public reply "
                           "cannot reach them; send an internal note (\"public\": false)",
                       "public"};
    }
    m.public_ = false;
    m.reason = "session_ended_no_email";
  }
  const bool reaches = m.public_;
  Event e = MakeEvent(std::move(m));
  e.ticket = t.id;
  e.conversation = t.conversation;
  e.agent = agent;
  const std::uint64_t id = t.id;
  Emit(std::move(e));
  const Ticket& now = *state_->FindTicket(id);
  if (reaches && now.status == "new") ChangeStatus(now, "open", "agent");  // B20
  return std::nullopt;
}

void Desk::UpdateTicket(std::uint64_t id, const std::string& group, const std::string& priority,
                        std::vector<std::string> tags, const std::string& agent) {
  const Ticket& t = *state_->FindTicket(id);
  fb::TicketUpdatedT updated;
  if (group != t.group) updated.changes.push_back(MakeChange("group", t.group, group));
  if (priority != t.priority) updated.changes.push_back(MakeChange("priority", t.priority, priority));
  if (tags != t.tags) updated.changes.push_back(MakeChange("tags", t.tags, tags));
  if (updated.changes.empty()) return;
  Event e = MakeEvent(std::move(updated));
  e.ticket = id;
  e.agent = agent;
  Emit(std::move(e));
}

void Desk::ChangeStatus(const Ticket& t, const std::string& to, const char* via) {
  fb::TicketStatusChangedT p;
  p.from = t.status;
  p.to = to;
  p.via = via;
  Event e = MakeEvent(std::move(p));
  e.ticket = t.id;
  Emit(std::move(e));
}

void Desk::Assign(const Ticket& t, const std::string& agent) {
  const std::uint64_t id = t.id;
  if (!t.assignee.empty()) {
    Event e = MakeEvent(fb::TicketUnassignedT());
    e.ticket = id;
    e.agent = t.assignee;
    Emit(std::move(e));
  }
  if (agent.empty()) return;
  Event e = MakeEvent(fb::TicketAssignedT());
  e.ticket = id;
  e.agent = agent;
  Emit(std::move(e));
}

std::optional<Rejection> Desk::TicketUpdate(const Command& c) {
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (auto r = CheckNotClosed(*t)) return r;
  const Configuration& config = state_->config();
  if (!c.agent.empty()) {
    if (auto r = CheckMayAct(config, c.agent, *t)) return r;
  }
  if (!c.status.empty() && c.status != t->status) {
    if (auto r = CheckStatusTransition(*t, c.status)) return r;
  }
  std::string group = c.group.value_or(t->group);
  if (!config.HasGroup(group)) return Rejection{"unknown group \"" + group + "\"", "group"};
  if (c.assignee && !c.assignee->empty()) {
    const AgentConfig* a = config.FindAgent(*c.assignee);
    if (a == nullptr) return Rejection{"unknown agent \"" + *c.assignee + "\"", "assignee"};
    if (!a->supervisor && std::find(a->groups.begin(), a->groups.end(), group) == a->groups.end()) {
      return Rejection{"agent \"" + *c.assignee + "\" is not in group \"" + group + "\", which holds ticket " +
                           std::to_string(t->id),
                       "assignee"};
    }
  }

  const std::uint64_t id = t->id;
  std::set<std::string> tags(t->tags.begin(), t->tags.end());
  for (const std::string& tag : c.tags_add) tags.insert(tag);
  for (const std::string& tag : c.tags_remove) tags.erase(tag);
  UpdateTicket(id, group, c.priority.value_or(t->priority), {tags.begin(), tags.end()}, c.agent);
  if (c.assignee && *c.assignee != state_->FindTicket(id)->assignee) Assign(*state_->FindTicket(id), *c.assignee);
  if (!c.status.empty() && c.status != state_->FindTicket(id)->status) {
    ChangeStatus(*state_->FindTicket(id), c.status, c.agent.empty() ? "system" : "agent");
  }
  return std::nullopt;
}

// B30-B33: the assigned agent ends the messaging session; the ticket is handled as email from then
// on, its messaging capacity is released (SettleLoads) and its status does not change.
std::optional<Rejection> Desk::SessionEnd(const Command& c) {
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (state_->config().FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  if (auto r = CheckNotClosed(*t)) return r;
  if (t->assignee != c.agent) {
    return Rejection{
        "only the assigned agent may end the session of ticket " + std::to_string(t->id) +
            (t->assignee.empty() ? std::string(", which is unassigned") : ", assigned to \"" + t->assignee + "\""),
        "agent"};
  }
  const Conversation* conv = state_->FindConversation(t->conversation);
  if (t->channel != "messaging" || conv->session == Session::kEnded) {
    return Rejection{"ticket " + std::to_string(t->id) + " has no live messaging session", "ticket"};
  }
  fb::SessionEndedT p;
  p.reason = "ended_by_agent";
  Event e = MakeEvent(std::move(p));
  e.conversation = conv->id;
  e.ticket = t->id;
  e.agent = c.agent;
  Emit(std::move(e));
  return std::nullopt;
}

}  // namespace switchboard
