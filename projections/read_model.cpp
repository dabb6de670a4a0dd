#include "projections/read_model.h"

#include <algorithm>

#include "projections/monitor.h"
#include "projections/views.h"

namespace switchboard {

const TicketExtras* ReadModel::FindTicket(std::uint64_t id) const {
  auto it = tickets_.find(id);
  return it == tickets_.end() ? nullptr : &it->second;
}

const PresenceChange* ReadModel::FindPresence(std::uint64_t seq) const {
  auto it = std::lower_bound(presence_.begin(), presence_.end(), seq,
                             [](const PresenceChange& p, std::uint64_t s) { return p.seq < s; });
  return it != presence_.end() && it->seq == seq ? &*it : nullptr;
}

void TicketWork::Apply(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::TicketCreated:
      created_at = e.at;
      break;
    case fb::Payload::TicketAssigned:
      assigned = true;
      break;
    case fb::Payload::TicketUnassigned:
      assigned = false;
      break;
    case fb::Payload::TicketStatusChanged: {
      const std::string& to = e.payload.AsTicketStatusChanged()->to;
      unsolved = to != Name(TicketStatus::kSolved) && to != Name(TicketStatus::kClosed);
      break;
    }
    case fb::Payload::ConversationActive:
      session = Session::kActive;
      break;
    case fb::Payload::ConversationInactive:
      session = Session::kInactive;
      // B72: the contact left before any public agent reply. Its time to abandon runs from the
      // ticket's creation to its last message (0 when it wrote nothing after the hand-off).
      if (!replied && unsolved && abandoned_at == 0) {
        abandoned_at = e.at;
        time_to_abandon_ms = std::max<Timestamp>(0, last_contact_at - created_at);
      }
      break;
    case fb::Payload::SessionEnded:
      session = Session::kEnded;
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->public_ && m->author.rfind("agent:", 0) == 0) replied = true;
      if (m->author == "contact") last_contact_at = e.at;
      break;
    }
    default:
      return;
  }
  const bool now_handling = assigned && session == Session::kActive && unsolved;
  if (now_handling == handling) return;
  if (now_handling) {
    handling_since = e.at;
  } else {
    handle_ms += e.at - handling_since;
    handling_since = 0;
  }
  handling = now_handling;
}

// Today's counters (B51) and the hourly conversation counters (B52), from the events that move them.
void ReadModel::Count(const Event& e, const DeskState& state) {
  const std::int64_t day = e.at / (24 * kMillisPerHour);
  if (day != today_.day) today_ = DayCounters{day};
  dirty_.monitor = true;
  auto hour = [&](Channel channel) -> HourCounters& {
    dirty_.hours.insert({e.at / kMillisPerHour, channel});
    return hours_[{e.at / kMillisPerHour, channel}];
  };
  switch (e.payload.type) {
    case fb::Payload::TicketCreated:
      ++today_.created;
      break;
    case fb::Payload::TicketStatusChanged:
      if (e.payload.AsTicketStatusChanged()->to == "solved") ++today_.solved;
      break;
    case fb::Payload::ConversationStarted: {
      HourCounters& h = hour(ParseChannel(e.payload.AsConversationStarted()->channel).value_or(Channel::kMessaging));
      ++h.conversations;
      if (!e.rule.empty()) ++h.proactive_conversations;  // it answers a proactive message
      break;
    }
    case fb::Payload::ConversationSelfSolved: {
      ++today_.deflected;
      const Conversation& c = *state.FindConversation(e.conversation);
      HourCounters& h = hour(c.channel);
      ++h.self_solved;
      if (!c.proactive_rule.empty()) ++h.proactive_self_solved;
      break;
    }
    case fb::Payload::ProactiveMessageSent:
      ++hour(Channel::kMessaging).proactive_sent;
      break;
    case fb::Payload::CsatRated:
      ++(e.payload.AsCsatRated()->score == "good" ? today_.csat_good : today_.csat_bad);
      break;
    default:
      break;
  }
}

// Keeps the ticket's view members equal to the views whose conditions hold for it, as of `now`.
void ReadModel::RefreshViews(const Ticket& t, const DeskState& state, Timestamp now, TicketExtras& x) {
  std::vector<std::string> keys = ViewKeysOf(state, t, now);
  if (keys == x.view_keys) return;
  for (const std::string& key : x.view_keys) dirty_.view_keys.insert(key);
  for (const std::string& key : keys) dirty_.view_keys.insert(key);
  x.view_keys = std::move(keys);
}

// The monitor's SLA figures for the ticket (B64): its next breach in the risk index, and whether it
// counts as breached in its group.
void ReadModel::RefreshSla(const Ticket& t, TicketExtras& x) {
  const Timestamp next = t.NextBreach();
  std::string key = next != 0 && !t.group.empty() ? SlaRiskKey(t.group, next, t.id) : std::string();
  if (key != x.sla_risk_key) {
    if (!x.sla_risk_key.empty()) dirty_.sla_keys.insert(x.sla_risk_key);
    if (!key.empty()) {
      dirty_.sla_keys.insert(key);
      // A group is in the monitor's SLA lines from its first ticket with a clock on.
      if (sla_breached_.emplace(t.group, 0).second) dirty_.sla_groups.insert(t.group);
    }
    x.sla_risk_key = std::move(key);
  }
  const bool breached =
      std::any_of(t.sla_clocks.begin(), t.sla_clocks.end(), [](const SlaClock& c) { return c.breached; });
  std::string in = breached ? t.group : std::string();
  if (in == x.sla_breached_in) return;
  if (!x.sla_breached_in.empty()) {
    --sla_breached_[x.sla_breached_in];
    dirty_.sla_groups.insert(x.sla_breached_in);
  }
  if (!in.empty()) {
    ++sla_breached_[in];
    dirty_.sla_groups.insert(in);
  }
  x.sla_breached_in = std::move(in);
}

// After any event about the ticket: its record, its views, its SLA figures, and the queues it left
// or joined.
void ReadModel::RefreshTicket(const Ticket& t, const DeskState& state, Timestamp now) {
  TicketExtras& x = tickets_[t.id];
  dirty_.tickets.insert(t.id);
  RefreshViews(t, state, now, x);
  RefreshSla(t, x);
  std::optional<std::pair<std::string, Channel>> queue;
  if (const RoutedTicket* r = state.FindRouted(t.id); r != nullptr && r->queued) {
    queue = std::make_pair(r->queued->group, r->queued->channel);
  }
  if (queue == x.queue) return;
  if (x.queue) dirty_.queues.insert(*x.queue);
  if (queue) dirty_.queues.insert(*queue);
  x.queue = std::move(queue);
}

namespace {

// Whether every view reads only what changes through events of its tickets (their fields), of their
// contacts (which refresh every ticket of the contact) or the configuration (which refreshes every
// ticket), plus the clock, which a deferred refresh reads as of the ticket's last event.
bool ViewsDeferrable(const Configuration& config) {
  auto reads_elsewhere = [](const Condition& c) {
    return c.field.id == FieldId::kVarField || c.field.id == FieldId::kSession || c.field.id == FieldId::kReturning;
  };
  for (const ViewConfig& v : config.views) {
    if (std::any_of(v.conditions.all.begin(), v.conditions.all.end(), reads_elsewhere) ||
        std::any_of(v.conditions.any.begin(), v.conditions.any.end(), reads_elsewhere)) {
      return false;
    }
  }
  return true;
}

}  // namespace

void ReadModel::RefreshOrDefer(const Ticket& t, const DeskState& state, Timestamp now) {
  if (!defer_ || !views_deferrable_) {
    RefreshTicket(t, state, now);
    return;
  }
  pending_refreshes_[t.id] = now;  // events come in time order: the last noted is the latest
  // A group is in the monitor's SLA lines from its first ticket with a clock on or breached, even if
  // that ticket's clock is gone by the time the refresh is made.
  if (!t.group.empty() && (t.NextBreach() != 0 || std::any_of(t.sla_clocks.begin(), t.sla_clocks.end(),
                                                              [](const SlaClock& c) { return c.breached; }))) {
    sla_breached_.emplace(t.group, 0);
  }
}

void ReadModel::DeferRefreshes(const DeskState& state) {
  defer_ = true;
  views_deferrable_ = ViewsDeferrable(state.config());
}

void ReadModel::FlushRefreshes(const DeskState& state) {
  for (const auto& [id, now] : pending_refreshes_) {
    if (const Ticket* t = state.FindTicket(id)) RefreshTicket(*t, state, now);
  }
  pending_refreshes_.clear();
}

void ReadModel::Apply(const Event& e, const DeskState& state) {
  feeds_.Apply(e, state);
  last_seq_ = e.seq;
  now_ = std::max(now_, e.at);
  Count(e, state);
  // A queue that appears has a record from then on, even if the ticket that opened it left it within
  // the same change (its record says size 0). Rare: the queues are the groups times two channels.
  if (state.queues().size() != queues_known_) {
    queues_known_ = state.queues().size();
    for (const auto& [key, queue] : state.queues()) dirty_.queues.insert(key);
  }
  const Ticket* ticket = e.ticket != 0 ? state.FindTicket(e.ticket) : nullptr;
  if (ticket != nullptr) tickets_[e.ticket].work.Apply(e);  // every event of its stream, as ExtrasOf folds them
  switch (e.payload.type) {
    case fb::Payload::ConfigApplied: {
      for (const std::string& id : views_in_force_) dirty_.views.insert(id);  // gone or changed
      views_in_force_.clear();
      for (const ViewConfig& v : state.config().views) {
        dirty_.views.insert(v.id);
        views_in_force_.push_back(v.id);
      }
      for (const auto& [id, agent] : state.agents()) dirty_.agents.insert(id);
      views_deferrable_ = ViewsDeferrable(state.config());
      if (!views_deferrable_) FlushRefreshes(state);  // every ticket is refreshed just below anyway
      for (const auto& [id, t] : state.tickets()) RefreshOrDefer(t, state, e.at);  // one not here is closed: in no view
      return;
    }
    case fb::Payload::AgentStatusChanged: {
      const auto* p = e.payload.AsAgentStatusChanged();
      presence_.push_back(PresenceChange{e.seq, e.at, e.agent, p->from, p->to});
      dirty_.presence.push_back(e.seq);
      dirty_.agents.insert(e.agent);
      return;
    }
    case fb::Payload::AgentLoadChanged:
    case fb::Payload::AgentUpdated:  // groups and capacity (B74)
      dirty_.agents.insert(e.agent);
      return;
    case fb::Payload::ContactUpdated:
    case fb::Payload::BotAnswerSaved: {
      const bool profile =
          e.payload.type == fb::Payload::ContactUpdated || e.payload.AsBotAnswerSaved()->key.rfind("contact.", 0) == 0;
      if (!profile) return;
      const std::string& id =
          e.payload.type == fb::Payload::ContactUpdated ? e.contact : state.FindConversation(e.conversation)->contact;
      dirty_.contacts.insert(id);
      if (const Contact* c = state.FindContact(id)) {
        for (std::uint64_t t_id : c->tickets) {
          if (const Ticket* t = state.FindTicket(t_id)) RefreshOrDefer(*t, state, e.at);  // views may read contact.*
        }
      }
      return;
    }
    case fb::Payload::ConversationStarted:
    case fb::Payload::VisitorPageViewed:
    case fb::Payload::ProactiveMessageSent:
      dirty_.contacts.insert(e.contact);
      return;
    case fb::Payload::TicketCreated:
      dirty_.contacts.insert(e.contact);
      break;
    case fb::Payload::TicketAssigned: {
      TicketExtras& x = tickets_[e.ticket];
      if (x.first_assigned_at == 0) {
        x.first_assigned_at = e.at;
        today_.wait_sum += e.at - ticket->created_at;
        ++today_.wait_count;
      }
      dirty_.agent_tickets.insert({e.agent, e.ticket});
      break;
    }
    case fb::Payload::TicketUnassigned:
      dirty_.agent_tickets.insert({e.agent, e.ticket});
      break;
    case fb::Payload::TicketStatusChanged:
      if (e.payload.AsTicketStatusChanged()->to == Name(TicketStatus::kClosed)) {
        if (!ticket->assignee.empty()) dirty_.agent_tickets.insert({ticket->assignee, e.ticket});
        closed_.emplace(e.ticket, e.seq);
      }
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (ticket != nullptr && m->public_ && m->author.rfind("agent:", 0) == 0) {
        TicketExtras& x = tickets_[e.ticket];
        if (x.first_reply_at == 0) x.first_reply_at = e.at;
      }
      break;
    }
    case fb::Payload::CommandRejected:
      return;  // a refusal changes nothing but the monitor's clock
    default:
      break;
  }
  if (ticket != nullptr) RefreshOrDefer(*ticket, state, e.at);
}

void ReadModel::Evict(std::uint64_t durable_seq) {
  // The closed tickets waiting for their closing to be durable are walked only when more is durable
  // (as DeskState::Evict); the hours loop stops at the first hour that is not over.
  if (durable_seq != evicted_upto_) {
    evicted_upto_ = durable_seq;
    for (auto it = closed_.begin(); it != closed_.end();) {
      if (it->second > durable_seq) {
        ++it;
        continue;
      }
      tickets_.erase(it->first);
      it = closed_.erase(it);
    }
  }
  // Rendered (the caller took the dirty records) and durable: the store has them.
  while (!presence_.empty() && presence_.front().seq <= durable_seq) presence_.pop_front();
  // Events come in time order: an hour before the clock's gets no more events.
  const std::int64_t hour = now_ / kMillisPerHour;
  for (auto it = hours_.begin(); it != hours_.end() && it->first.first < hour;) it = hours_.erase(it);
}

TicketExtras ReadModel::ExtrasOf(const std::vector<Event>& events) {
  TicketExtras x;
  for (const Event& e : events) {
    x.work.Apply(e);
    if (e.payload.type == fb::Payload::TicketAssigned && x.first_assigned_at == 0) x.first_assigned_at = e.at;
    if (e.payload.type == fb::Payload::MessageAdded && x.first_reply_at == 0) {
      const auto* m = e.payload.AsMessageAdded();
      if (m->public_ && m->author.rfind("agent:", 0) == 0) x.first_reply_at = e.at;
    }
  }
  return x;
}

std::optional<std::vector<std::string>> ReadModel::ViewMembers(const DeskState& state, const std::string& view) const {
  const auto& views = state.config().views;
  if (std::none_of(views.begin(), views.end(), [&](const ViewConfig& v) { return v.id == view; })) return std::nullopt;
  std::vector<std::string> keys;
  for (const auto& [id, x] : tickets_) {
    for (const std::string& key : x.view_keys) {
      if (ViewOfKey(key) == view) keys.push_back(key);
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool ReadModel::IsSlaRiskEntry(const std::string& key) const {
  const TicketExtras* x = FindTicket(TicketOfSlaRiskKey(key));
  return x != nullptr && x->sla_risk_key == key;
}

bool ReadModel::IsViewMember(const std::string& key) const {
  const TicketExtras* x = FindTicket(TicketOfViewKey(key));
  return x != nullptr && std::find(x->view_keys.begin(), x->view_keys.end(), key) != x->view_keys.end();
}

}  // namespace switchboard
