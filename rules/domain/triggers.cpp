// The decisions of rules: triggers after every change (B40-B42), automations as time passes (B43),
// the close of solved tickets (B23), and the actions they share with macros (B44, B45).
#include <set>

#include "rules/domain/decide.h"
#include "rules/domain/placeholders.h"

namespace switchboard {
namespace {

// A messaging trigger runs only while the ticket's messaging session lasts (B34).
bool SessionLive(const DeskState& state, const Ticket& t) {
  const Conversation* c = state.FindConversation(t.conversation);
  return t.handled_as == Channel::kMessaging && c != nullptr && c->session != Session::kEnded;
}

}  // namespace

// Edge-triggered, in configured order: a trigger fires when its conditions hold and it has not fired
// since they last held. After each firing every trigger is checked again against the new ticket, with
// `changed*` measured from the start of the change. So a trigger without a guard fires once, and two
// triggers undoing each other re-arm each other: that loop is cut after max_trigger_cycles firings
// with rule.loop_stopped (B41). Closed tickets never change, so no trigger runs on them.
void RunTriggers(Change& change, std::uint64_t id) {
  const DeskState& state = change.state();
  const std::vector<Trigger>& triggers = change.config().rules.triggers;
  if (triggers.empty()) return;
  const int max_firings = change.config().settings.max_trigger_cycles;
  std::set<std::string> fired_and_holding;
  std::vector<std::string> fired;
  while (true) {
    const Ticket* found = state.FindTicket(id);
    if (found == nullptr || found->status == TicketStatus::kClosed) return;
    const Ticket& t = *found;
    const std::optional<TicketSnapshot>& before = change.touched().at(id);
    TicketFacts facts(state, t, before ? &*before : nullptr, change.via(), change.at());
    const bool live = SessionLive(state, t);
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
      change.set_rule("");
      change.Emit(About().Ticket(id), std::move(p));
      return;
    }
    change.set_rule(next->id);
    change.Emit(About().Ticket(id), fb::TriggerFiredT());
    // The ticket's own field, read as the actions go: a message after an assignee action speaks
    // for the new assignee.
    ApplyActions(change, next->actions, id, "trigger", "trigger:" + next->id, t.assignee);
    change.set_rule("");
    fired_and_holding.insert(next->id);
    fired.push_back(next->id);
  }
}

// Each automation whose conditions hold and that has not fired since they last held fires, in
// configured order (B43); the fold then computes the ticket's next due time.
void FireAutomations(Change& change, std::uint64_t id) {
  const DeskState& state = change.state();
  for (const Automation& a : change.config().rules.automations) {
    const Ticket& t = *state.FindTicket(id);
    if (t.status == TicketStatus::kClosed || t.automations_holding.count(a.id)) continue;
    TicketFacts facts = TicketFacts::Unchanged(state, t, "automation", change.at());
    if (!Holds(a.conditions, facts)) continue;
    change.set_rule(a.id);
    change.Emit(About().Ticket(id), fb::AutomationFiredT());
    ApplyActions(change, a.actions, id, "automation", "automation:" + a.id, t.assignee);
  }
  change.set_rule("");
  // B23: settings.close_solved_after_hours closes a solved ticket whatever the automations say (one
  // of them may have closed it earlier). The desk's own timer, not a rule: via system, no rule id.
  const Ticket& t = *state.FindTicket(id);
  const Timestamp closes = state.CloseSolvedDue(t);
  if (closes != 0 && closes <= change.at()) ChangeStatus(change, t, TicketStatus::kClosed, "system");
}

// Actions are data; each becomes the events a person doing the same would cause. An action that
// would change nothing (the status it already has, a tag it already carries) emits nothing.
void ApplyActions(Change& change, const std::vector<Action>& actions, std::uint64_t id, const char* via,
                  const std::string& author, const std::string& agent) {
  const DeskState& state = change.state();
  const Ticket& before = *state.FindTicket(id);
  std::string group = before.group;
  Priority priority = before.priority;
  std::set<std::string> tags(before.tags.begin(), before.tags.end());
  for (const Action& a : actions) {
    if (a.kind == ActionKind::kGroup) group = a.text;
    if (a.kind == ActionKind::kPriority) priority = a.priority;
    for (const std::string& tag : a.tags) {
      if (a.kind == ActionKind::kTagsAdd)
        tags.insert(tag);
      else
        tags.erase(tag);
    }
  }
  UpdateTicket(change, id, group, priority, {tags.begin(), tags.end()}, /*agent=*/"");
  for (const Action& a : actions) {
    const Ticket& t = *state.FindTicket(id);
    switch (a.kind) {
      case ActionKind::kStatus:
        if (a.status != t.status && !CheckStatusTransition(t, a.status)) ChangeStatus(change, t, a.status, via);
        break;
      case ActionKind::kAssignee:
        if (a.text != t.assignee) Assign(change, t, a.text);
        break;
      case ActionKind::kCsat:
        if (!t.csat_offered && t.csat.empty()) change.Emit(About().Ticket(id).Contact(t.contact), fb::CsatOfferedT());
        break;
      case ActionKind::kMessageContact:
      case ActionKind::kInternalNote: {
        fb::MessageAddedT m;
        m.author = author;
        m.public_ = a.kind == ActionKind::kMessageContact;
        m.text = FillPlaceholders(a.text, state, TextSubject{0, id, agent});
        change.Emit(About().Conversation(t.conversation).Ticket(id), std::move(m));
        break;
      }
      case ActionKind::kNotify: {
        std::string to = a.to == "assignee" ? (t.assignee.empty() ? "" : "agent:" + t.assignee) : a.to;
        if (to.empty()) break;  // nobody to tell
        fb::NotificationSentT n;
        n.to = to;
        n.text = FillPlaceholders(a.text, state, TextSubject{0, id, agent});
        change.Emit(About().Ticket(id), std::move(n));
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

}  // namespace switchboard
