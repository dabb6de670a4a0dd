// The rules part of the Desk: triggers after every change (B40-B42), automations as time passes
// (B43), CSAT (B44), macros (B45), and the actions they share.
#include <nlohmann/json.hpp>

#include <set>

#include "rules/domain/desk.h"
#include "rules/domain/placeholders.h"

namespace switchboard {
namespace {

// A messaging trigger runs only while the ticket's messaging session lasts (B34).
bool SessionLive(const DeskState& state, const Ticket& t) {
  const Conversation* c = state.FindConversation(t.conversation);
  return t.handled_as == "messaging" && c != nullptr && c->session != Session::kEnded;
}

}  // namespace

// Edge-triggered, in configured order: a trigger fires when its conditions hold and it has not fired
// since they last held. After each firing every trigger is checked again against the new ticket, with
// `changed*` measured from the start of the change. So a trigger without a guard fires once, and two
// triggers undoing each other re-arm each other: that loop is cut after max_trigger_cycles firings
// with rule.loop_stopped (B41). Closed tickets never change, so no trigger runs on them.
void Desk::RunTriggers(std::uint64_t id) {
  const std::vector<Trigger>& triggers = state_->config().rules.triggers;
  if (triggers.empty()) return;
  const int max_firings = state_->config().settings.max_trigger_cycles;
  std::set<std::string> fired_and_holding;
  std::vector<std::string> fired;
  while (true) {
    const Ticket& t = *state_->FindTicket(id);
    if (t.status == "closed") return;
    const std::optional<TicketSnapshot>& before = touched_.at(id);
    TicketFacts facts(*state_, t, before ? &*before : nullptr, update_via_, clock_);
    const bool live = SessionLive(*state_, t);
    const Trigger* next = nullptr;
    for (const Trigger& trigger : triggers) {
      if ((trigger.messaging && !live) || !Holds(trigger.conditions, facts)) {
        fired_and_holding.erase(trigger.id);
        continue;
      }
      if (next == nullptr && !fired_and_holding.count(trigger.id)) next = &trigger;
    }
    if (next == nullptr) return;
    if (static_cast<int>(fired.size()) >= max_firings) {
      fb::RuleLoopStoppedT p;
      p.rules = fired;
      Event e = MakeEvent(std::move(p));
      e.ticket = id;
      rule_.clear();
      Emit(std::move(e));
      return;
    }
    rule_ = next->id;
    Event e = MakeEvent(fb::TriggerFiredT());
    e.ticket = id;
    Emit(std::move(e));
    ApplyActions(next->actions, id, "trigger", "trigger:" + next->id, t.assignee);
    rule_.clear();
    fired_and_holding.insert(next->id);
    fired.push_back(next->id);
  }
}

// Each automation whose conditions hold and that has not fired since they last held fires, in
// configured order (B43); the fold then computes the ticket's next due time.
void Desk::FireAutomations(std::uint64_t id) {
  for (const Automation& a : state_->config().rules.automations) {
    const Ticket& t = *state_->FindTicket(id);
    if (t.status == "closed" || t.automations_holding.count(a.id)) continue;
    TicketFacts facts = TicketFacts::Unchanged(*state_, t, "automation", clock_);
    if (!Holds(a.conditions, facts)) continue;
    rule_ = a.id;
    Event e = MakeEvent(fb::AutomationFiredT());
    e.ticket = id;
    Emit(std::move(e));
    ApplyActions(a.actions, id, "automation", "automation:" + a.id, t.assignee);
  }
  rule_.clear();
  // B23: settings.close_solved_after_hours closes a solved ticket whatever the automations say (one
  // of them may have closed it earlier). The desk's own timer, not a rule: via system, no rule id.
  const Ticket& t = *state_->FindTicket(id);
  const Timestamp closes = state_->CloseSolvedDue(t);
  if (closes != 0 && closes <= clock_) ChangeStatus(t, "closed", "system");
}

// Actions are data; each becomes the events a person doing the same would cause. An action that
// would change nothing (the status it already has, a tag it already carries) emits nothing.
void Desk::ApplyActions(const std::vector<Action>& actions, std::uint64_t id, const char* via,
                        const std::string& author, const std::string& agent) {
  const Ticket& before = *state_->FindTicket(id);
  std::string group = before.group, priority = before.priority;
  std::set<std::string> tags(before.tags.begin(), before.tags.end());
  for (const Action& a : actions) {
    if (a.kind == ActionKind::kGroup) group = a.text;
    if (a.kind == ActionKind::kPriority) priority = a.text;
    for (const std::string& tag : a.tags) {
      if (a.kind == ActionKind::kTagsAdd)
        tags.insert(tag);
      else
        tags.erase(tag);
    }
  }
  UpdateTicket(id, group, priority, {tags.begin(), tags.end()}, /*agent=*/"");
  for (const Action& a : actions) {
    const Ticket& t = *state_->FindTicket(id);
    switch (a.kind) {
      case ActionKind::kStatus:
        if (a.text != t.status && !CheckStatusTransition(t, a.text)) ChangeStatus(t, a.text, via);
        break;
      case ActionKind::kAssignee:
        if (a.text != t.assignee) Assign(t, a.text);
        break;
      case ActionKind::kCsat:
        if (!t.csat_offered && t.csat.empty()) {  // at most once per ticket (B44)
          Event e = MakeEvent(fb::CsatOfferedT());
          e.ticket = id;
          e.contact = t.contact;
          Emit(std::move(e));
        }
        break;
      case ActionKind::kMessageContact:
      case ActionKind::kInternalNote: {
        fb::MessageAddedT m;
        m.author = author;
        m.public_ = a.kind == ActionKind::kMessageContact;
        m.text = FillPlaceholders(a.text, *state_, TextSubject{0, id, agent});
        Event e = MakeEvent(std::move(m));
        e.ticket = id;
        e.conversation = t.conversation;
        Emit(std::move(e));
        break;
      }
      case ActionKind::kNotify: {
        std::string to = a.to == "assignee" ? (t.assignee.empty() ? "" : "agent:" + t.assignee) : a.to;
        if (to.empty()) break;  // nobody to tell
        fb::NotificationSentT n;
        n.to = to;
        n.text = FillPlaceholders(a.text, *state_, TextSubject{0, id, agent});
        Event e = MakeEvent(std::move(n));
        e.ticket = id;
        Emit(std::move(e));
        break;
      }
      case ActionKind::kGroup:
      case ActionKind::kPriority:
      case ActionKind::kTagsAdd:
      case ActionKind::kTagsRemove:
        break;  // gathered into the one ticket.updated above
    }
  }
}

// B44: one rating per ticket, and only after the survey was sent.
std::optional<Rejection> Desk::CsatRate(const Command& c) {
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (!t->csat.empty()) return Rejection{"ticket " + std::to_string(t->id) + " was already rated", "ticket"};
  if (!t->csat_offered) {
    return Rejection{"no satisfaction survey was sent for ticket " + std::to_string(t->id), "ticket"};
  }
  fb::CsatRatedT p;
  p.score = c.score;
  p.comment = c.comment;
  Event e = MakeEvent(std::move(p));
  e.ticket = t->id;
  e.contact = t->contact;
  Emit(std::move(e));
  return std::nullopt;
}

// B45: the macro's text goes to the contact as the agent's reply, then its actions run as the agent.
std::optional<Rejection> Desk::MacroApply(const Command& c) {
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (auto r = CheckNotClosed(*t)) return r;
  if (auto r = CheckMayAct(state_->config(), c.agent, *t)) return r;
  const Macro* macro = state_->config().rules.FindMacro(c.macro);
  if (macro == nullptr) return Rejection{"unknown macro \"" + c.macro + "\"", "macro"};
  const std::uint64_t id = t->id;
  if (!macro->text.empty()) {
    // The macro's text is the agent's reply: like an agent.message that does not say `public`.
    std::string text = FillPlaceholders(macro->text, *state_, TextSubject{0, id, c.agent});
    if (auto r = AgentReply(*t, c.agent, text, /*is_public=*/true, /*public_given=*/false)) return r;
  }
  ApplyActions(macro->actions, id, "agent", "agent:" + c.agent, c.agent);
  return std::nullopt;
}

}  // namespace switchboard
