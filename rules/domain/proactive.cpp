#include "rules/domain/proactive.h"

#include "rules/domain/decide.h"
#include "rules/domain/placeholders.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {
namespace {

// Whether `rule` may still message the contact on this page view.
bool MayFire(const ProactiveRule& rule, const Visitor& v) {
  if (v.fired_on_page.count(rule.id)) return false;
  return !rule.once_per_visitor || !v.fired.count(rule.id);
}

// A visitor no rule looks at: no page view, a visit over, or a conversation going on.
bool Unreachable(const Contact& c, Timestamp now) {
  return c.visitor.page_viewed_at == 0 || now - c.visitor.page_viewed_at >= kVisitGapMs || c.open_messaging != 0;
}

}  // namespace

Timestamp ProactiveDue(const DeskState& state, const Contact& contact, Timestamp now) {
  if (Unreachable(contact, now)) return 0;
  const VisitorFacts facts(state, contact, now);
  const Timestamp visit_end = contact.visitor.page_viewed_at + kVisitGapMs;
  Timestamp due = 0;
  for (const ProactiveRule& rule : state.config().proactive) {
    if (!MayFire(rule, contact.visitor)) continue;
    std::optional<Timestamp> next =
        Holds(rule.conditions, facts) ? std::optional<Timestamp>(now) : NextDue(rule.conditions, facts);
    if (next && *next < visit_end && (due == 0 || *next < due)) due = *next;
  }
  return due;
}

void FireProactive(Change& change, const std::string& id) {
  const DeskState& state = change.state();
  const Contact* contact = state.FindContact(id);
  if (contact == nullptr || Unreachable(*contact, change.at())) return;
  const VisitorFacts facts(state, *contact, change.at());
  for (const ProactiveRule& rule : state.config().proactive) {
    if (!MayFire(rule, contact->visitor) || !Holds(rule.conditions, facts)) continue;
    TextContext text;
    text.config = &state.config();
    text.contact = contact;
    fb::ProactiveMessageSentT p;
    p.text = FillPlaceholders(rule.message, text);
    change.set_rule(rule.id);
    change.Emit(About().Contact(id), std::move(p));
    change.set_rule("");
    return;  // one message at a time: the first rule that holds
  }
}

std::optional<Rejection> DecideVisitorActivity(Change& change, const Command& c) {
  fb::VisitorPageViewedT p;
  p.page_url = c.page_url;
  p.page_title = c.page_title;
  change.Emit(About().Contact(c.contact), std::move(p));
  FireProactive(change, c.contact);
  return std::nullopt;
}

}  // namespace switchboard
