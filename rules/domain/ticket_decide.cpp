// The decisions of tickets: agents' replies (B20), updates (status, group, assignee, priority, tags),
// the end of a session (B30-B33), CSAT ratings (B44), macros (B45), and the events every other
// decision uses to change a ticket.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "events/value.h"
#include "rules/domain/decide.h"
#include "rules/domain/placeholders.h"

namespace switchboard {
namespace {

using nlohmann::json;

std::unique_ptr<fb::ChangeT> MakeChange(const char* field, json before, json after) {
  auto change = std::make_unique<fb::ChangeT>();
  change->field = field;
  change->before_value = TypedValue(before);  // typed only: the text fields are for old logs
  change->after_value = TypedValue(after);
  return change;
}

// Seed 004: once an agent ended the messaging session, a public reply reaches the contact only by
// email; false when the session ended and the contact has no email address.
bool CanReachContact(const DeskState& state, const Ticket& t) {
  const Conversation* conv = state.FindConversation(t.conversation);
  if (conv == nullptr || conv->session != Session::kEnded) return true;
  const Contact* contact = state.FindContact(t.contact);
  if (contact == nullptr) return false;
  auto email = contact->values.find("email");
  return email != contact->values.end() && email->second.kind == Value::Kind::kString && !email->second.string.empty();
}

std::optional<Rejection> UnknownAgent(const DeskState& state, const std::string& agent) {
  if (state.config().FindAgent(agent) != nullptr) return std::nullopt;
  return Rejection{"unknown agent \"" + agent + "\"", "agent"};
}

}  // namespace

ActionableTicket TicketToActOn(const DeskState& state, std::uint64_t ticket, const std::string& agent,
                               AgentCheck check) {
  ActionableTicket out;
  const Ticket* t = state.FindTicket(ticket);
  if (t == nullptr) {
    out.refused = Rejection{"unknown ticket " + std::to_string(ticket), "ticket"};
    return out;
  }
  if (check == AgentCheck::kKnownFirst || check == AgentCheck::kKnownFirstThenMayAct) {
    if ((out.refused = UnknownAgent(state, agent))) return out;
  }
  if ((out.refused = CheckNotClosed(*t))) return out;
  if (check == AgentCheck::kMayAct || check == AgentCheck::kKnownFirstThenMayAct) {
    if ((out.refused = CheckMayAct(state.config(), agent, *t))) return out;
  }
  out.ticket = t;
  return out;
}

std::optional<Rejection> DecideAgentMessage(Change& change, const Command& c) {
  ActionableTicket t = TicketToActOn(change.state(), c.ticket, c.agent, AgentCheck::kMayAct);
  if (t.refused) return t.refused;
  return AgentReply(change, *t.ticket, c.agent, c.text, c.is_public, c.public_given);
}

std::optional<Rejection> AgentReply(Change& change, const Ticket& t, const std::string& agent, const std::string& text,
                                    bool is_public, bool public_given) {
  fb::MessageAddedT m;
  m.author = "agent:" + agent;
  m.public_ = is_public;
  m.text = text;
  if (is_public && !CanReachContact(change.state(), t)) {
    // With the messaging session ended and no email address known, the composer turns to internal
    // notes; a reply explicitly marked public could reach nobody, so it is refused.
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
  const std::uint64_t id = t.id;
  change.Emit(About().Conversation(t.conversation).Ticket(id).Agent(agent), std::move(m));
  const Ticket& now = *change.state().FindTicket(id);
  if (reaches && now.status == TicketStatus::kNew) ChangeStatus(change, now, TicketStatus::kOpen, "agent");  // B20
  return std::nullopt;
}

void UpdateTicket(Change& change, std::uint64_t id, const std::string& group, Priority priority,
                  std::vector<std::string> tags, const std::string& agent) {
  const Ticket& t = *change.state().FindTicket(id);
  fb::TicketUpdatedT updated;
  if (group != t.group) updated.changes.push_back(MakeChange("group", t.group, group));
  if (priority != t.priority) {
    updated.changes.push_back(MakeChange("priority", std::string(Name(t.priority)), std::string(Name(priority))));
  }
  if (tags != t.tags) updated.changes.push_back(MakeChange("tags", t.tags, tags));
  if (updated.changes.empty()) return;
  change.Emit(About().Ticket(id).Agent(agent), std::move(updated));
}

void ChangeStatus(Change& change, const Ticket& t, TicketStatus to, const char* via) {
  fb::TicketStatusChangedT p;
  p.from = std::string(Name(t.status));
  p.to = std::string(Name(to));
  p.via = via;
  change.Emit(About().Ticket(t.id), std::move(p));
}

void Assign(Change& change, const Ticket& t, const std::string& agent) {
  const std::uint64_t id = t.id;
  if (!t.assignee.empty()) change.Emit(About().Ticket(id).Agent(t.assignee), fb::TicketUnassignedT());
  if (!agent.empty()) change.Emit(About().Ticket(id).Agent(agent), fb::TicketAssignedT());
}

std::optional<Rejection> DecideTicketUpdate(Change& change, const Command& c) {
  const DeskState& state = change.state();
  ActionableTicket found =
      TicketToActOn(state, c.ticket, c.agent, c.agent.empty() ? AgentCheck::kNone : AgentCheck::kMayAct);
  if (found.refused) return found.refused;
  const Ticket* t = found.ticket;
  const Configuration& config = state.config();
  if (c.status && *c.status != t->status) {
    if (auto r = CheckStatusTransition(*t, *c.status)) return r;
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
  UpdateTicket(change, id, group, c.priority.value_or(t->priority), {tags.begin(), tags.end()}, c.agent);
  if (c.assignee && *c.assignee != state.FindTicket(id)->assignee) Assign(change, *state.FindTicket(id), *c.assignee);
  if (c.status && *c.status != state.FindTicket(id)->status) {
    ChangeStatus(change, *state.FindTicket(id), *c.status, c.agent.empty() ? "system" : "agent");
  }
  return std::nullopt;
}

// B30-B33: the assigned agent ends the messaging session; the ticket is handled as email from then
// on, its messaging capacity is released (SettleLoads) and its status does not change.
std::optional<Rejection> DecideSessionEnd(Change& change, const Command& c) {
  ActionableTicket found = TicketToActOn(change.state(), c.ticket, c.agent, AgentCheck::kKnownFirst);
  if (found.refused) return found.refused;
  const Ticket& t = *found.ticket;
  if (t.assignee != c.agent) {
    return Rejection{
        "only the assigned agent may end the session of ticket " + std::to_string(t.id) +
            (t.assignee.empty() ? std::string(", which is unassigned") : ", assigned to \"" + t.assignee + "\""),
        "agent"};
  }
  const Conversation* conv = change.state().FindConversation(t.conversation);
  if (t.channel != Channel::kMessaging || conv->session == Session::kEnded) {
    return Rejection{"ticket " + std::to_string(t.id) + " has no live messaging session", "ticket"};
  }
  fb::SessionEndedT p;
  p.reason = "ended_by_agent";
  change.Emit(About().Conversation(conv->id).Ticket(t.id).Agent(c.agent), std::move(p));
  return std::nullopt;
}

// B44: one rating per ticket, and only after the survey was sent.
std::optional<Rejection> DecideCsatRate(Change& change, const Command& c) {
  const Ticket* t = change.state().FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (!t->csat.empty()) return Rejection{"ticket " + std::to_string(t->id) + " was already rated", "ticket"};
  if (!t->csat_offered) {
    return Rejection{"no satisfaction survey was sent for ticket " + std::to_string(t->id), "ticket"};
  }
  fb::CsatRatedT p;
  p.score = c.score;
  p.comment = c.comment;
  change.Emit(About().Ticket(t->id).Contact(t->contact), std::move(p));
  return std::nullopt;
}

// B45: the macro's text goes to the contact as the agent's reply, then its actions run as the agent.
std::optional<Rejection> DecideMacroApply(Change& change, const Command& c) {
  ActionableTicket found = TicketToActOn(change.state(), c.ticket, c.agent, AgentCheck::kMayAct);
  if (found.refused) return found.refused;
  const Macro* macro = change.config().rules.FindMacro(c.macro);
  if (macro == nullptr) return Rejection{"unknown macro \"" + c.macro + "\"", "macro"};
  const std::uint64_t id = found.ticket->id;
  if (!macro->text.empty()) {
    // The macro's text is the agent's reply: like an agent.message that does not say `public`.
    std::string text = FillPlaceholders(macro->text, change.state(), TextSubject{0, id, c.agent});
    if (auto r = AgentReply(change, *found.ticket, c.agent, text, /*is_public=*/true, /*public_given=*/false)) return r;
  }
  ApplyActions(change, macro->actions, id, "agent", "agent:" + c.agent, c.agent);
  return std::nullopt;
}

}  // namespace switchboard
