#include "rules/domain/desk.h"

#include <algorithm>

#include "rules/domain/availability.h"
#include "rules/domain/change.h"
#include "rules/domain/decide.h"
#include "rules/domain/placeholders.h"
#include "rules/domain/proactive.h"
#include "rules/domain/sla.h"

namespace switchboard {
namespace {

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
    case CommandKind::kAgentUpdate:
      return "agent";
    default:
      return "system";
  }
}

// A rejection names the ids the command named, so the audit of that ticket, agent or contact shows
// the refused attempt too.
void Reject(Change& change, const Command& c, const Rejection& r) {
  fb::CommandRejectedT p;
  p.error = r.error;
  p.field = r.field;
  p.line = c.line;
  change.Emit(About().Ticket(c.ticket).Agent(c.agent).Contact(c.contact), std::move(p));
}

std::optional<Rejection> ConfigApply(Change& change, const std::string& text) {
  Configuration config;
  Status s = ParseConfiguration(text, &config);
  if (!s.ok()) {
    const std::string& m = s.message();
    size_t colon = m.find(": ");
    return Rejection{m, colon == std::string::npos ? "config" : "config." + m.substr(0, colon)};
  }
  const DeskState& state = change.state();
  if (config.digest == state.config().digest && state.config_version() != 0) return std::nullopt;
  fb::ConfigAppliedT p;
  p.version = state.config_version() + 1;
  p.digest = config.digest;
  p.document = config.document;
  change.Emit(About(), std::move(p));
  return std::nullopt;
}

}  // namespace

std::optional<std::pair<Timestamp, std::string>> GroupOpenings::Next(const DeskState& state) {
  if (config_version_ != state.config_version()) {
    next_.clear();
    dormant_.clear();
    config_version_ = state.config_version();
  }
  std::optional<std::pair<Timestamp, std::string>> next;
  for (const GroupConfig& g : state.config().groups) {
    if (!g.hours || dormant_.count(g.id)) continue;
    const TicketQueue* m = state.FindQueue(g.id, Channel::kMessaging);
    const TicketQueue* e = state.FindQueue(g.id, Channel::kEmail);
    if ((m == nullptr || m->empty()) && (e == nullptr || e->empty())) continue;
    Timestamp& due = next_[g.id];
    if (due == 0 || due < state.now()) due = g.hours->NextOpening(state.now());
    if (due != 0 && (!next || due < next->first)) next = std::make_pair(due, g.id);
  }
  return next;
}

void GroupOpenings::Fired(const DeskState& state, const std::string& group, Timestamp due, bool moved) {
  // The next one is computed from this instant, not from the state's clock, which a drain that
  // assigns nobody leaves behind (the same opening would come due forever).
  if (const GroupConfig* g = state.config().FindGroup(group); g != nullptr && g->hours) {
    next_[group] = g->hours->NextOpening(due);
  }
  if (!moved) dormant_.insert(group);
}

Desk::Desk(DeskState* state) : state_(state), sla_config_version_(state->config_version()) {
  state_->TakeEnteredQueue();
  state_->TakeDrainGroups();
  state_->TakeLoadsMoved();
}

void Desk::Handle(const Command& command, Timestamp wall_now, std::vector<Event>* out) {
  if (std::optional<BotTurnRequest> turn = Begin(command, wall_now, out)) {
    const std::uint64_t id = turn->conversation;
    BotTurnReply reply = sessions_[id].Take(*turn);
    const bool done = reply.done;
    (void)Resume(std::move(reply));  // a failure stays in the state (DeskState::failure)
    if (done) sessions_.erase(id);
  }
  for (std::size_t i : news_) {
    if (auto it = sessions_.find((*out)[i].conversation); it != sessions_.end()) (void)it->second.Hear((*out)[i]);
  }
}

std::optional<BotTurnRequest> Desk::Begin(const Command& command, Timestamp wall_now, std::vector<Event>* out) {
  // A line that is not a command changes nothing, time included: its rejection is at the current
  // clock; in an empty log there is no clock yet, and it is stamped as a line without `at` would be.
  // A lookup's answer is part of the conversation's present: it does not move the clock either.
  const bool keeps_clock = command.kind == CommandKind::kInvalid || command.kind == CommandKind::kLookupResult;
  Timestamp now = keeps_clock ? state_->now() : std::max(state_->now(), command.at.value_or(wall_now));
  if (now == 0) now = command.at.value_or(wall_now);
  news_.clear();
  turn_conversation_ = 0;
  turn_end_ = 0;
  first_ = out->size();
  FireTimers(now, out);
  const char* via = UpdateVia(command);
  open_now_ = now;
  // Who acts: the agent the command names, except for agent.update, where `by` (a supervisor) acts on it.
  const std::string& actor = command.kind == CommandKind::kAgentUpdate ? command.by : command.agent;
  open_.emplace(state_, out, now, command.id.empty() ? command.recovered_id : command.id, via,
                std::string(via) == "agent" ? actor : "");
  if (std::optional<Rejection> r = Decide(*open_, command)) Reject(*open_, command, *r);
  if (std::optional<Change::BotAsk> ask = open_->TakeBotAsk()) return TurnFor(*ask, *out);
  Close();
  return std::nullopt;
}

// The turn with what only the desk knows; `prior`: this command's events of the conversation so far
// (its earlier ones reached the session as news).
BotTurnRequest Desk::TurnFor(const Change::BotAsk& ask, const std::vector<Event>& out) {
  const Conversation& conversation = *state_->FindConversation(ask.conversation);
  BotTurnRequest turn;
  turn.kind = ask.kind;
  turn.conversation = ask.conversation;
  for (std::size_t i = first_; i < out.size(); ++i) {
    if (out[i].conversation == ask.conversation) turn.prior.push_back(out[i]);
  }
  turn.has_bot = conversation.in_bot;
  if (const Contact* contact = state_->FindContact(conversation.contact)) turn.contact = *contact;
  turn.wait = state_->EstimatedWait("", conversation.channel);
  turn.at = open_->at();
  turn.next_seq = state_->last_seq() + 1;
  turn.config = state_->shared_config();
  turn.text = ask.text;
  turn.answer = ask.answer;
  turn_conversation_ = ask.conversation;
  return turn;
}

Status Desk::Resume(BotTurnReply reply) {
  Change& change = *open_;
  Status status = reply.status;
  for (Event& e : reply.events) {
    if (!status.ok()) break;
    if (e.seq != state_->last_seq() + 1 || e.conversation != turn_conversation_) {
      status = Status::Corruption("the bot's turn for conversation " + std::to_string(turn_conversation_) +
                                  " does not follow the log at seq " + std::to_string(state_->last_seq() + 1));
      break;
    }
    std::string contact = std::move(e.contact);
    change.Emit(About().Conversation(turn_conversation_).Contact(std::move(contact)), std::move(e));
  }
  turn_end_ = change.out().size();
  if (status.ok() && reply.outcome.handoff) {
    Handoff(change, turn_conversation_, reply.outcome.group, reply.outcome.priority, reply.outcome.step);
  }
  Close();
  return status;
}

const BotSession* Desk::FindSession(std::uint64_t conversation) const {
  auto it = sessions_.find(conversation);
  return it == sessions_.end() ? nullptr : &it->second;
}

void Desk::Close() {
  Change& change = *open_;
  EndChange(change);
  // The engine's clock is the largest `at` seen, even from a command that caused nothing: the log
  // keeps it, so a later command with an earlier `at` is applied at this time, restart or not.
  if (state_->now() < open_now_) change.Emit(About(), fb::ClockAdvancedT());
  const std::vector<Event>& out = change.out();
  for (std::size_t i = first_; i < out.size(); ++i) {
    const std::uint64_t id = out[i].conversation;
    if (id == 0 || (id == turn_conversation_ && i < turn_end_)) continue;
    const Conversation* c = state_->FindConversation(id);
    if (c != nullptr && c->in_bot && !c->finished) news_.push_back(i);
  }
  open_.reset();
}

// Every timer due by `upto` fires, earliest first, each at its own due time and as a change of its
// own, caused by time (no command). At the same instant: inactivity, then automations, then offer
// time-outs, then group openings, then SLA breaches, then proactive messages.
void Desk::FireTimers(Timestamp upto, std::vector<Event>* out) {
  while (true) {
    auto inactivity = state_->NextInactivity();
    auto automation = state_->NextAutomation();
    auto offer = state_->NextOfferTimeout();
    auto opening = openings_.Next(*state_);
    auto breach = state_->NextSlaBreach();
    auto proactive = state_->NextProactive();
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
    consider(4, breach ? std::optional<Timestamp>(breach->first) : std::nullopt);
    consider(5, proactive ? std::optional<Timestamp>(proactive->first) : std::nullopt);
    if (kind < 0) break;
    Change change(state_, out, std::max(state_->now(), due), "", kind == 1 ? "automation" : "system", "");
    switch (kind) {
      case 0:
        FireInactivity(change, inactivity->second);
        break;
      case 1:
        FireAutomations(change, automation->second);
        break;
      case 2:
        FireOfferTimeout(change, offer->second);
        break;
      case 4:
        FireSlaBreaches(change, breach->second);
        break;
      case 5: {
        const std::size_t before = out->size();
        FireProactive(change, proactive->second);
        // A rule that did not hold after all (agents_online may have changed): look again later.
        if (out->size() == before) state_->DropProactiveTimer(proactive->second, due);
        break;
      }
      default: {
        const std::size_t before = out->size();
        DrainGroup(change, opening->second);
        openings_.Fired(*state_, opening->second, due, out->size() != before);
        break;
      }
    }
    EndChange(change);
  }
}

// Routing first, so that the triggers see where the change left each ticket; then what the triggers
// moved (a new group, a status that frees capacity) is routed too, and the triggers run on tickets
// that only this second routing touched. Each ticket's triggers run once per change.
void Desk::EndChange(Change& change) {
  RoutePending(change, openings_);
  for (Change::HandoffMessage& m : change.TakeHandoffMessages()) {
    fb::BotMessageSentT p;
    const Conversation* c = state_->FindConversation(m.conversation);
    p.text = FillPlaceholders(m.text, *state_, TextSubject{m.conversation, c ? c->ticket : 0, ""});
    p.step = m.step;
    change.Emit(About().Conversation(m.conversation), std::move(p));
    SayAway(change, m.conversation);  // nobody on duty: the away message and the offer (B71)
  }
  std::set<std::uint64_t> triggered;
  while (true) {
    std::vector<std::uint64_t> tickets;
    for (const auto& [id, before] : change.touched()) {
      if (!triggered.count(id)) tickets.push_back(id);
    }
    if (tickets.empty()) break;
    for (std::uint64_t id : tickets) {
      RunTriggers(change, id);
      triggered.insert(id);
    }
    change.set_rule("");
    RoutePending(change, openings_);
  }
  // SLA clocks follow what the change (and the triggers) made of each ticket (B60-B63); a new
  // configuration may bring other policies or targets, so then every ticket in memory (every one not
  // closed) is re-targeted, in ticket order.
  // B71: a contact who asked to be told when an agent is free is told once one has the ticket.
  for (const auto& [id, before] : change.touched()) NotifyIfAvailable(change, id);
  std::vector<std::uint64_t> tickets;
  if (state_->config_version() != sla_config_version_) {
    sla_config_version_ = state_->config_version();
    for (const auto& [id, t] : state_->tickets()) tickets.push_back(id);
    std::sort(tickets.begin(), tickets.end());
  } else {
    for (const auto& [id, before] : change.touched()) tickets.push_back(id);
  }
  for (std::uint64_t id : tickets) ReconcileSla(change, id);
  SettleLoads(change);
}

std::optional<Rejection> Desk::Decide(Change& change, const Command& c) {
  switch (c.kind) {
    case CommandKind::kInvalid:
      return Rejection{c.error, c.error_field};
    case CommandKind::kContactMessage:
      return DecideContactMessage(change, c);
    case CommandKind::kAgentStatus:
      return DecideAgentStatus(change, c);
    case CommandKind::kAgentMessage:
      return DecideAgentMessage(change, c);
    case CommandKind::kTicketUpdate:
      return DecideTicketUpdate(change, c);
    case CommandKind::kSessionEnd:
      return DecideSessionEnd(change, c);
    case CommandKind::kClockAdvance:
      return std::nullopt;
    case CommandKind::kConfigApply:
      return ConfigApply(change, c.config);
    case CommandKind::kCsatRate:
      return DecideCsatRate(change, c);
    case CommandKind::kLookupResult:
      return DecideLookupResult(change, c);
    case CommandKind::kMacroApply:
      return DecideMacroApply(change, c);
    case CommandKind::kAgentAccept:
      return DecideAgentAccept(change, c);
    case CommandKind::kTicketTransfer:
      return DecideTicketTransfer(change, c);
    case CommandKind::kAgentUpdate:
      return DecideAgentUpdate(change, c);
    case CommandKind::kVisitorActivity:
      return DecideVisitorActivity(change, c);
  }
  return Rejection{"command type \"" + std::string(CommandKindName(c.kind)) + "\" is not supported by this version",
                   "type"};
}

std::optional<Rejection> Desk::ApplyConfiguration(const std::string& text, Timestamp at, std::vector<Event>* out) {
  Change change(state_, out, std::max(state_->now(), at), "", "system", "");
  std::optional<Rejection> refused = ConfigApply(change, text);
  EndChange(change);
  return refused;
}

}  // namespace switchboard
