#include "rules/domain/desk_state.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

#include "rules/domain/ticket_facts.h"

namespace switchboard {

using nlohmann::json;

const char* SessionName(Session s) {
  switch (s) {
    case Session::kActive:
      return "active";
    case Session::kInactive:
      return "inactive";
    case Session::kEnded:
      return "ended";
  }
  return "active";
}

DeskState::DeskState() : config_(std::make_shared<Configuration>(DefaultConfiguration())) {}

const Ticket* DeskState::FindTicket(std::uint64_t id) const {
  return id >= 1 && id <= tickets_.size() ? &tickets_[id - 1] : nullptr;
}

const Conversation* DeskState::FindConversation(std::uint64_t id) const {
  return id >= 1 && id <= conversations_.size() ? &conversations_[id - 1] : nullptr;
}

const AgentState* DeskState::FindAgent(const std::string& id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

const Contact* DeskState::FindContact(const std::string& id) const {
  auto it = contacts_.find(id);
  return it == contacts_.end() ? nullptr : &it->second;
}

AgentState& DeskState::AgentAt(const std::string& id) {
  AgentState& a = agents_[id];
  a.id = id;
  return a;
}

void DeskState::SetAgentTicket(const std::string& agent, std::uint64_t ticket, bool has) {
  AgentState& a = AgentAt(agent);
  if (has)
    a.tickets.insert(ticket);
  else
    a.tickets.erase(ticket);
}

std::optional<Holding> DeskState::HoldingOf(const Ticket& t) const {
  if (t.assignee.empty() || t.status == "closed" || t.status == "solved") return std::nullopt;
  const auto& release = config_->settings.release_capacity_on;
  if (std::find(release.begin(), release.end(), t.status) != release.end()) return std::nullopt;
  const Conversation& c = conversations_[t.conversation - 1];
  if (c.session == Session::kEnded) return std::nullopt;  // B32: neither channel counts it any more
  if (t.handled_as == "messaging" && c.session == Session::kInactive) return std::nullopt;
  return Holding{t.assignee, t.handled_as};
}

bool DeskState::Queueable(const Ticket& t) const {
  if (t.group.empty() || !t.assignee.empty() || !t.offers.empty()) return false;
  if (t.status != "new" && t.status != "open") return false;
  return conversations_[t.conversation - 1].session != Session::kEnded;
}

namespace {
int PriorityRank(const std::string& p) { return p == "urgent" ? 3 : p == "high" ? 2 : p == "normal" ? 1 : 0; }
}  // namespace

// Keeps the queues equal to the set of queueable tickets, each at its QueueKey; a ticket that comes
// into a queue is noted for the router (TakeEnteredQueue).
void DeskState::RefreshQueue(Ticket& t) {
  std::optional<QueuePlace> now;
  if (Queueable(t)) now = QueuePlace{t.group, t.handled_as, QueueKey{-PriorityRank(t.priority), t.created_at, t.id}};
  if (now == t.queued) return;
  if (t.queued) queues_[{t.queued->group, t.queued->channel}].erase(t.queued->key);
  if (now) {
    queues_[{now->group, now->channel}].insert(now->key);
    if (!t.queued || t.queued->group != now->group || t.queued->channel != now->channel) entered_queue_.insert(t.id);
  }
  t.queued = std::move(now);
}

const TicketQueue* DeskState::FindQueue(const std::string& group, const std::string& channel) const {
  auto it = queues_.find({group, channel});
  return it == queues_.end() ? nullptr : &it->second;
}

Timestamp DeskState::OldestQueued(const std::string& group, const std::string& channel) const {
  const TicketQueue* queue = FindQueue(group, channel);
  if (queue == nullptr) return 0;
  Timestamp oldest = 0;
  for (int rank = -3; rank <= 0; ++rank) {  // the head of each priority is its oldest
    auto it = queue->lower_bound(QueueKey{rank, std::numeric_limits<Timestamp>::min(), 0});
    if (it != queue->end() && it->rank == rank && (oldest == 0 || it->since < oldest)) oldest = it->since;
  }
  return oldest;
}

std::uint64_t DeskState::QueuePosition(const Ticket& t) const {
  if (!t.queued) return 0;
  return FindQueue(t.queued->group, t.queued->channel)->order_of_key(t.queued->key) + 1;
}

const std::string& DeskState::RoundRobinLast(const std::string& group) const {
  static const std::string kNone;
  auto it = round_robin_.find(group);
  return it == round_robin_.end() ? kNone : it->second;
}

void DeskState::DrainGroupsOf(const std::string& agent) {
  if (const AgentConfig* a = config_->FindAgent(agent)) drain_groups_.insert(a->groups.begin(), a->groups.end());
}

void DeskState::SetOfferTimer(Ticket& t, Timestamp due) {
  if (t.offer_due != 0) offer_timers_.erase({t.offer_due, t.id});
  t.offer_due = due;
  if (due != 0) offer_timers_.insert({due, t.id});
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextOfferTimeout() const {
  if (offer_timers_.empty()) return std::nullopt;
  return *offer_timers_.begin();
}

// Keeps AgentState::held_* equal to the number of tickets for which HoldingOf names that agent and
// channel: called whenever an event may have changed a ticket's holding.
void DeskState::RefreshHolding(Ticket& t) {
  std::optional<Holding> now = HoldingOf(t);
  if (now == t.held) return;
  auto count = [&](const Holding& h, int delta) {
    AgentState& a = AgentAt(h.agent);
    (h.channel == "email" ? a.held_email : a.held_messaging) += delta;
    loads_moved_.insert(h.agent);
  };
  if (t.held) {
    count(*t.held, -1);
    DrainGroupsOf(t.held->agent);  // capacity freed: its groups' queues may move (B14)
  }
  if (now) count(*now, +1);
  t.held = std::move(now);
}

// Keeps a ticket's automation bookkeeping a pure function of the log: which automations have fired
// and still hold (they do not fire again until their conditions stop holding, B43), and when the
// next one could come due by the passage of time alone (a timer, not a scan of all tickets).
void DeskState::RefreshAutomations(Ticket& t, Timestamp now) {
  const auto& automations = config_->rules.automations;
  const Timestamp closes = CloseSolvedDue(t);
  if (automations.empty() && t.automation_due == 0 && closes == 0) return;
  TicketFacts facts = TicketFacts::Unchanged(*this, t, "automation", now);
  Timestamp due = closes;
  for (const Automation& a : automations) {
    if (t.status == "closed") break;
    bool holds = Holds(a.conditions, facts);
    if (t.automations_holding.count(a.id)) {
      if (holds) continue;
      t.automations_holding.erase(a.id);
    }
    std::optional<Timestamp> next = holds ? std::optional<Timestamp>(now) : NextDue(a.conditions, facts);
    if (next && (due == 0 || *next < due)) due = *next;
  }
  if (t.automation_due != 0) automation_timers_.erase({t.automation_due, t.id});
  t.automation_due = due;
  if (due != 0) automation_timers_.insert({due, t.id});
}

Timestamp DeskState::CloseSolvedDue(const Ticket& t) const {
  const int hours = config_->settings.close_solved_after_hours;
  return t.status == "solved" && hours > 0 ? t.solved_at + hours * kMillisPerHour : 0;
}

void DeskState::RecentWaits::Add(Timestamp wait) {
  if (count == kSize)
    sum -= samples[next];
  else
    ++count;
  samples[next] = wait;
  sum += wait;
  next = (next + 1) % kSize;
}

std::optional<Timestamp> DeskState::EstimatedWait(const std::string& group, const std::string& channel) const {
  auto it = waits_.find({group, channel});
  if (it == waits_.end() || it->second.count == 0) return std::nullopt;
  return it->second.sum / it->second.count;
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextAutomation() const {
  if (automation_timers_.empty()) return std::nullopt;
  return *automation_timers_.begin();
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextInactivity() const {
  if (inactivity_timers_.empty()) return std::nullopt;
  return *inactivity_timers_.begin();
}

void DeskState::SetInactivityTimer(Conversation& c, Timestamp due) {
  if (c.inactive_due != 0) inactivity_timers_.erase({c.inactive_due, c.id});
  c.inactive_due = due;
  if (due != 0) inactivity_timers_.insert({due, c.id});
}

void DeskState::FinishConversation(Conversation& c) {
  c.finished = true;
  SetInactivityTimer(c, 0);
  Contact& contact = contacts_[c.contact];
  if (contact.open_messaging == c.id) contact.open_messaging = 0;
  if (contact.open_email == c.id) contact.open_email = 0;
}

void DeskState::ApplyConfig(const fb::ConfigAppliedT& p, Timestamp at, std::uint64_t seq) {
  auto config = std::make_shared<Configuration>();
  // The document was validated before it was recorded: a refusal now means the log is corrupt, or
  // was written by a build that accepted what this one refuses. Either way the state cannot follow.
  Status parsed = ParseConfiguration(p.document, config.get());
  if (!parsed.ok()) {
    if (failure_.ok()) {
      failure_ = Status::Corruption("event " + std::to_string(seq) + " records configuration version " +
                                    std::to_string(p.version) + ", which this build refuses: " + parsed.message());
    }
    return;
  }
  config_ = std::move(config);
  config_version_ = p.version;
  for (const AgentConfig& a : config_->agents) AgentAt(a.id);
  for (Ticket& t : tickets_) {  // release_capacity_on and the automations may have changed
    RefreshHolding(t);
    RefreshAutomations(t, at);
    RefreshQueue(t);
  }
  for (const GroupConfig& g : config_->groups) drain_groups_.insert(g.id);  // members and capacities may have changed
}

void DeskState::ApplyConversationEvent(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::ConversationStarted: {
      Conversation c;
      c.id = e.conversation;
      c.contact = e.contact;
      c.channel = e.payload.AsConversationStarted()->channel;
      c.started_at = e.at;
      c.in_bot = !config_->bot.start.empty();
      Contact& contact = contacts_[e.contact];
      contact.id = e.contact;
      contact.conversations.push_back(c.id);
      (c.channel == "email" ? contact.open_email : contact.open_messaging) = c.id;
      conversations_.push_back(std::move(c));
      break;
    }
    case fb::Payload::ConversationInactive:
    case fb::Payload::ConversationActive: {
      Conversation& c = ConversationAt(e.conversation);
      bool inactive = e.payload.type == fb::Payload::ConversationInactive;
      c.session = inactive ? Session::kInactive : Session::kActive;
      if (inactive) SetInactivityTimer(c, 0);
      break;
    }
    case fb::Payload::SessionEnded: {
      Conversation& c = ConversationAt(e.conversation);
      c.session = Session::kEnded;
      SetInactivityTimer(c, 0);
      Contact& contact = contacts_[c.contact];
      if (contact.open_messaging == c.id) contact.open_messaging = 0;
      // B31, B35: the ticket goes on by email, so the contact's next email continues it (a new
      // messaging message starts a new conversation).
      if (contact.open_email == 0) contact.open_email = c.id;
      Ticket& t = TicketAt(e.ticket);
      t.handled_as = "email";
      t.session_end_reason = e.payload.AsSessionEnded()->reason;
      break;
    }
    case fb::Payload::ConversationSelfSolved: {
      Conversation& c = ConversationAt(e.conversation);
      c.in_bot = false;
      c.bot_step.clear();
      c.held.clear();
      FinishConversation(c);
      break;
    }
    case fb::Payload::BotMessageSent: {
      Conversation& c = ConversationAt(e.conversation);
      const auto* p = e.payload.AsBotMessageSent();
      if (p->takes_held && !c.held.empty()) c.held.erase(c.held.begin());
      if (!p->awaits) {
        c.bot_step.clear();
      } else {
        c.bot_attempts = c.bot_step == p->step ? c.bot_attempts + 1 : 0;
        c.bot_step = p->step;
      }
      break;
    }
    case fb::Payload::LookupStarted: {
      Conversation& c = ConversationAt(e.conversation);
      c.bot_step = e.payload.AsLookupStarted()->step;
      c.lookup_started = e.seq;
      break;
    }
    case fb::Payload::LookupCompleted:
    case fb::Payload::LookupFailed:
      ConversationAt(e.conversation).lookup_started = 0;
      break;
    case fb::Payload::BotAnswerSaved: {
      const auto* p = e.payload.AsBotAnswerSaved();
      Conversation& c = ConversationAt(e.conversation);
      if (p->key.rfind("var.", 0) == 0) {
        c.vars[p->key.substr(4)] = p->value;
      } else if (p->key.rfind("contact.", 0) == 0) {
        Contact& contact = contacts_[c.contact];
        contact.profile[p->key.substr(8)] = p->value;  // kept for later conversations (B3)
        contact.values[p->key.substr(8)] = ValueFromJson(p->value);
      }
      break;
    }
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->author == "contact") {
        Conversation& c = ConversationAt(e.conversation);
        c.last_contact_message_at = e.at;
        if (c.in_bot) c.words += " " + m->text;
        if (c.in_bot && c.lookup_started != 0) c.held.push_back(m->text);  // B5: for the next question
        if (c.channel == "messaging" && c.session == Session::kActive && !c.finished) {
          SetInactivityTimer(c, e.at + config_->settings.inactivity_minutes * kMillisPerMinute);
        }
      } else if (e.ticket != 0 && m->author.rfind("agent:", 0) == 0) {
        Ticket& t = TicketAt(e.ticket);
        if (m->public_) t.last_agent_message_at = e.at;
      }
      break;
    }
    default:
      break;
  }
}

void DeskState::ApplyTicketEvent(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::TicketCreated: {
      Ticket t;
      t.id = e.ticket;
      t.conversation = e.conversation;
      t.contact = e.contact;
      t.channel = t.handled_as = e.payload.AsTicketCreated()->channel;
      t.created_at = t.status_changed_at = e.at;
      Conversation& conversation = ConversationAt(e.conversation);
      conversation.ticket = t.id;
      conversation.in_bot = false;  // handed off (B7)
      conversation.bot_step.clear();
      conversation.held.clear();
      contacts_[e.contact].tickets.push_back(t.id);
      tickets_.push_back(std::move(t));
      break;
    }
    case fb::Payload::TicketRouted: {
      const auto* p = e.payload.AsTicketRouted();
      Ticket& t = TicketAt(e.ticket);
      t.group = p->group;
      t.language = p->language;
      t.skills = p->skills;
      break;
    }
    case fb::Payload::RoutingDecided: {
      const auto* p = e.payload.AsRoutingDecided();
      if (p->style == "assignment" && !p->chosen.empty()) round_robin_[p->group] = p->chosen;
      return;  // a decision changes nothing of the ticket itself
    }
    case fb::Payload::TicketOffered: {
      Ticket& t = TicketAt(e.ticket);
      t.offers.insert(std::lower_bound(t.offers.begin(), t.offers.end(), e.agent), e.agent);
      AgentAt(e.agent).offers.insert(t.id);
      // Each round nobody answered makes the next one last twice as long: a ticket nobody takes
      // does not flood the log, and letting time jump far ahead costs O(log) rounds, not O(time).
      if (t.offer_due == 0) {
        SetOfferTimer(t, e.at + (config_->settings.offer_timeout_s * kMillisPerSecond << std::min(t.offer_rounds, 40)));
      }
      break;
    }
    case fb::Payload::TicketOfferWithdrawn: {
      Ticket& t = TicketAt(e.ticket);
      t.offers.erase(std::remove(t.offers.begin(), t.offers.end(), e.agent), t.offers.end());
      AgentAt(e.agent).offers.erase(t.id);
      if (t.offers.empty()) {
        SetOfferTimer(t, 0);
        const auto* reason = e.payload.AsTicketOfferWithdrawn();
        if (reason->reason == "timed_out") ++t.offer_rounds;
      }
      break;
    }
    case fb::Payload::TicketTransferred: {
      const auto* p = e.payload.AsTicketTransferred();
      if (!p->to_group.empty()) TicketAt(e.ticket).group = p->to_group;
      break;
    }
    case fb::Payload::TicketStatusChanged: {
      const auto* p = e.payload.AsTicketStatusChanged();
      Ticket& t = TicketAt(e.ticket);
      t.status = p->to;
      t.status_changed_at = e.at;
      if (p->to == "solved") {
        t.solved_at = e.at;
        t.solved_by = t.assignee;
        t.solved_automatically = p->via == "trigger" || p->via == "automation";
      }
      if (p->to == "closed") {
        FinishConversation(ConversationAt(t.conversation));
        if (!t.assignee.empty()) SetAgentTicket(t.assignee, t.id, false);
      }
      break;
    }
    case fb::Payload::TicketUpdated: {
      Ticket& t = TicketAt(e.ticket);
      for (const auto& change : e.payload.AsTicketUpdated()->changes) {
        json after = json::parse(change->after, nullptr, false);
        if (change->field == "group" && after.is_string()) t.group = after.get<std::string>();
        if (change->field == "priority" && after.is_string()) t.priority = after.get<std::string>();
        if (change->field == "tags" && after.is_array()) t.tags = after.get<std::vector<std::string>>();
      }
      break;
    }
    case fb::Payload::TicketAssigned: {
      Ticket& t = TicketAt(e.ticket);
      t.assignee = e.agent;
      t.assigned_at = e.at;
      t.offer_rounds = 0;
      AgentState& agent = AgentAt(e.agent);
      agent.idle_since = e.at;
      if (agent.offers.erase(t.id)) {  // an accepted offer (B12 broadcast)
        t.offers.erase(std::remove(t.offers.begin(), t.offers.end(), e.agent), t.offers.end());
        if (t.offers.empty()) SetOfferTimer(t, 0);
      }
      if (!t.ever_assigned) {
        t.ever_assigned = true;
        waits_[{t.group, t.channel}].Add(e.at - t.created_at);
        waits_[{"", t.channel}].Add(e.at - t.created_at);
      }
      SetAgentTicket(e.agent, t.id, true);
      break;
    }
    case fb::Payload::TicketUnassigned: {
      Ticket& t = TicketAt(e.ticket);
      SetAgentTicket(t.assignee, t.id, false);
      t.assignee.clear();
      break;
    }
    case fb::Payload::CsatRated:
      TicketAt(e.ticket).csat = e.payload.AsCsatRated()->score;
      break;
    case fb::Payload::CsatOffered:
      TicketAt(e.ticket).csat_offered = true;
      break;
    case fb::Payload::AutomationFired:
      TicketAt(e.ticket).automations_holding.insert(e.rule);
      break;
    default:
      return;
  }
}

void DeskState::Apply(const Event& e) {
  last_seq_ = e.seq;
  now_ = std::max(now_, e.at);
  switch (e.payload.type) {
    case fb::Payload::ConfigApplied:
      ApplyConfig(*e.payload.AsConfigApplied(), e.at, e.seq);
      break;
    case fb::Payload::ContactUpdated: {
      Contact& c = contacts_[e.contact];
      c.id = e.contact;
      json profile = json::parse(e.payload.AsContactUpdated()->profile, nullptr, false);
      if (profile.is_object()) {
        for (auto it = profile.begin(); it != profile.end(); ++it) {
          c.profile[it.key()] = it.value().dump();
          c.values[it.key()] = ValueFromJson(c.profile[it.key()]);
        }
      }

      break;
    }
    case fb::Payload::AgentStatusChanged: {
      AgentState& a = AgentAt(e.agent);
      a.status = e.payload.AsAgentStatusChanged()->to;
      if (a.status == "online") {
        a.idle_since = e.at;
        DrainGroupsOf(e.agent);  // B14: an agent coming online drains its groups' queues
      }
      break;
    }
    case fb::Payload::AgentLoadChanged: {
      const auto* p = e.payload.AsAgentLoadChanged();
      AgentState& a = AgentAt(e.agent);
      (p->channel == "email" ? a.load_email : a.load_messaging) = p->load;
      break;
    }
    default:
      ApplyConversationEvent(e);
      ApplyTicketEvent(e);
  }
  if (e.ticket != 0 && e.ticket <= tickets_.size()) {
    Ticket& t = TicketAt(e.ticket);
    if (e.payload.type != fb::Payload::CommandRejected) t.updated_at = e.at;
    RefreshHolding(t);
    RefreshAutomations(t, e.at);
    RefreshQueue(t);
  }
}

}  // namespace switchboard
