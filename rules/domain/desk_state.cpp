#include "rules/domain/desk_state.h"

#include <algorithm>
#include <iterator>
#include <limits>

#include "rules/domain/proactive.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {

DeskState::DeskState() : config_(std::make_shared<Configuration>(DefaultConfiguration())), document_config_(config_) {
  bot_from_[0] = !config_->bot.start.empty();
}

const Ticket* DeskState::FindTicket(std::uint64_t id) const {
  auto it = tickets_.find(id);
  return it == tickets_.end() ? nullptr : &it->second;
}

const Conversation* DeskState::FindConversation(std::uint64_t id) const {
  auto it = conversations_.find(id);
  return it == conversations_.end() ? nullptr : &it->second;
}

const AgentState* DeskState::FindAgent(const std::string& id) const {
  auto it = agents_.find(id);
  return it == agents_.end() ? nullptr : &it->second;
}

const Contact* DeskState::FindContact(const std::string& id) const {
  auto it = contacts_.find(id);
  return it == contacts_.end() ? nullptr : &it->second;
}

const RoutedTicket* DeskState::FindRouted(std::uint64_t ticket) const {
  auto it = routing_.tickets.find(ticket);
  return it == routing_.tickets.end() ? nullptr : &it->second;
}

const AgentLedger* DeskState::FindLedger(const std::string& agent) const {
  auto it = routing_.agents.find(agent);
  return it == routing_.agents.end() ? nullptr : &it->second;
}

AgentState& DeskState::AgentAt(const std::string& id) {
  AgentState& a = agents_[id];
  a.id = id;
  return a;
}

std::optional<Holding> DeskState::HoldingOf(const Ticket& t) const {
  if (t.assignee.empty() || t.status == TicketStatus::kClosed || t.status == TicketStatus::kSolved) return std::nullopt;
  const auto& release = config_->settings.release_capacity_on;
  if (std::find(release.begin(), release.end(), t.status) != release.end()) return std::nullopt;
  const Conversation* c = FindConversation(t.conversation);
  if (c == nullptr || c->session == Session::kEnded) return std::nullopt;  // B32: neither channel counts it
  if (t.handled_as == Channel::kMessaging && c->session == Session::kInactive) return std::nullopt;
  return Holding{t.assignee, t.handled_as};
}

bool DeskState::Queueable(const Ticket& t) const {
  if (t.group.empty() || !t.assignee.empty()) return false;
  const RoutedTicket* r = FindRouted(t.id);
  if (r != nullptr && !r->offers.empty()) return false;
  if (t.status != TicketStatus::kNew && t.status != TicketStatus::kOpen) return false;
  const Conversation* c = FindConversation(t.conversation);
  return c != nullptr && c->session != Session::kEnded;
}

const TicketQueue* DeskState::FindQueue(const std::string& group, Channel channel) const {
  auto it = routing_.queues.find({group, channel});
  return it == routing_.queues.end() ? nullptr : &it->second;
}

Timestamp DeskState::OldestQueued(const std::string& group, Channel channel) const {
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
  const RoutedTicket* r = FindRouted(t.id);
  if (r == nullptr || !r->queued) return 0;
  return FindQueue(r->queued->group, r->queued->channel)->order_of_key(r->queued->key) + 1;
}

const std::string& DeskState::RoundRobinLast(const std::string& group) const {
  static const std::string kNone;
  auto it = routing_.round_robin.find(group);
  return it == routing_.round_robin.end() ? kNone : it->second;
}

void RecentWaits::Add(Timestamp wait) {
  if (count == kSize)
    sum -= samples[next];
  else
    ++count;
  samples[next] = wait;
  sum += wait;
  next = (next + 1) % kSize;
}

std::optional<Timestamp> DeskState::EstimatedWait(const std::string& group, Channel channel) const {
  auto it = routing_.waits.find({group, channel});
  if (it == routing_.waits.end() || it->second.count == 0) return std::nullopt;
  return it->second.sum / it->second.count;
}

Timestamp DeskState::CloseSolvedDue(const Ticket& t) const {
  const int hours = config_->settings.close_solved_after_hours;
  return t.status == TicketStatus::kSolved && hours > 0 ? t.solved_at + hours * kMillisPerHour : 0;
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextInactivity() const {
  if (inactivity_timers_.empty()) return std::nullopt;
  return *inactivity_timers_.begin();
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextAutomation() const {
  if (automation_timers_.empty()) return std::nullopt;
  return *automation_timers_.begin();
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextSlaBreach() const {
  if (sla_timers_.empty()) return std::nullopt;
  return *sla_timers_.begin();
}

std::optional<std::pair<Timestamp, std::uint64_t>> DeskState::NextOfferTimeout() const {
  if (offer_timers_.empty()) return std::nullopt;
  return *offer_timers_.begin();
}

void DeskState::SetInactivityTimer(Conversation& c, Timestamp due) {
  if (c.inactive_due != 0) inactivity_timers_.erase({c.inactive_due, c.id});
  c.inactive_due = due;
  if (due != 0) inactivity_timers_.insert({due, c.id});
}

void DeskState::RefreshProactive(Contact& c, Timestamp now) {
  const Timestamp due = config_->proactive.empty() ? 0 : ProactiveDue(*this, c, now);
  if (due == c.visitor.proactive_due) return;
  if (c.visitor.proactive_due != 0) proactive_timers_.erase({c.visitor.proactive_due, c.id});
  c.visitor.proactive_due = due;
  if (due != 0) proactive_timers_.insert({due, c.id});
}

void DeskState::DropProactiveTimer(const std::string& contact, Timestamp due) {
  proactive_timers_.erase({due, contact});
  if (auto it = contacts_.find(contact); it != contacts_.end() && it->second.visitor.proactive_due == due) {
    it->second.visitor.proactive_due = 0;
  }
}

std::optional<std::pair<Timestamp, std::string>> DeskState::NextProactive() const {
  if (proactive_timers_.empty()) return std::nullopt;
  return *proactive_timers_.begin();
}

void DeskState::SetOfferTimer(std::uint64_t ticket, RoutedTicket& r, Timestamp due) {
  if (r.offer_due != 0) offer_timers_.erase({r.offer_due, ticket});
  r.offer_due = due;
  if (due != 0) offer_timers_.insert({due, ticket});
}

void DeskState::DrainGroupsOf(const std::string& agent) {
  if (const AgentConfig* a = config_->FindAgent(agent)) {
    routing_.drain_groups.insert(a->groups.begin(), a->groups.end());
  }
}

Contact& DeskState::ContactAt(const std::string& id, std::uint64_t seq) {
  Contact& c = contacts_[id];
  c.id = id;
  c.last_seq = std::max(c.last_seq, seq);
  if (c.live_conversations <= 0) idle_contacts_.insert(id);  // may leave, once this is durable
  return c;
}

void DeskState::FinishConversation(Conversation& c, std::uint64_t seq) {
  if (c.finished && finished_conversations_.count(c.id)) return;
  c.Finish();
  SetInactivityTimer(c, 0);
  finished_conversations_.emplace(c.id, seq);
  Contact& contact = ContactAt(c.contact, seq);
  if (contact.open_messaging == c.id) contact.open_messaging = 0;
  if (contact.open_email == c.id) contact.open_email = 0;
  if (--contact.live_conversations <= 0) idle_contacts_.insert(contact.id);
}

void DeskState::Evict(std::uint64_t durable_seq) {
  // Nothing more became durable (the journal has not written since): what waits is still waiting.
  // Without this, a batch of commands decided before one write walks the same waiting entries once
  // per command.
  not_in_log_.clear();  // those contacts now have their first event, or were never named
  if (durable_seq == evicted_upto_) return;
  evicted_upto_ = durable_seq;
  for (auto it = closed_tickets_.begin(); it != closed_tickets_.end();) {
    if (it->second > durable_seq) {
      ++it;
      continue;
    }
    tickets_.erase(it->first);
    auto r = routing_.tickets.find(it->first);
    if (r != routing_.tickets.end() && r->second.offers.empty()) routing_.tickets.erase(r);
    it = closed_tickets_.erase(it);
  }
  for (auto it = finished_conversations_.begin(); it != finished_conversations_.end();) {
    if (it->second > durable_seq) {
      ++it;
      continue;
    }
    conversations_.erase(it->first);
    it = finished_conversations_.erase(it);
  }
  for (auto it = idle_contacts_.begin(); it != idle_contacts_.end();) {
    auto c = contacts_.find(*it);
    if (c == contacts_.end() || c->second.live_conversations > 0) {
      it = idle_contacts_.erase(it);
    } else if (c->second.last_seq <= durable_seq && c->second.visitor.proactive_due == 0) {
      contacts_.erase(c);  // a visitor a proactive rule may still message stays
      it = idle_contacts_.erase(it);
    } else {
      ++it;
    }
  }
}

void DeskState::Admit(Contact contact) {
  if (contact.live_conversations <= 0) idle_contacts_.insert(contact.id);
  std::string id = contact.id;
  contacts_[id] = std::move(contact);
}

bool DeskState::BotAt(std::uint64_t seq) const {
  return std::prev(bot_from_.upper_bound(seq))->second;  // [0] is the default's, in force before any
}

Status DeskState::RecallContact(const std::string& id, std::uint64_t before_seq) {
  if (restorer_ == nullptr || id.empty() || contacts_.count(id) || not_in_log_.count(id)) return Status::OK();
  Status s = restorer_->RestoreContact(*this, id, before_seq);
  if (s.ok() && !contacts_.count(id)) not_in_log_.insert(id);  // new: its first event creates it
  return s;
}

Status DeskState::Recall(const std::string& contact, std::uint64_t ticket) {
  if (restorer_ == nullptr) return Status::OK();
  Status s = RecallContact(contact, last_seq_ + 1);
  if (s.ok() && Evicted(ticket)) s = restorer_->RestoreTicket(*this, ticket, last_seq_ + 1);
  return s;
}

void DeskState::Admit(Ticket ticket, std::optional<Conversation> conversation) {
  if (conversation && !conversations_.count(conversation->id)) {
    if (conversation->finished) finished_conversations_.emplace(conversation->id, 0);
    conversations_.emplace(conversation->id, std::move(*conversation));
  }
  if (ticket.status == TicketStatus::kClosed) closed_tickets_.emplace(ticket.id, 0);
  tickets_.emplace(ticket.id, std::move(ticket));
}

// An event naming a contact or a closed ticket that left the state brings it back first.
Status DeskState::RestoreIfEvicted(const Event& e) {
  if (restorer_ == nullptr) return Status::OK();
  if (e.payload.type == fb::Payload::ContactUpdated || e.payload.type == fb::Payload::ConversationStarted ||
      e.payload.type == fb::Payload::TicketCreated || e.payload.type == fb::Payload::VisitorPageViewed ||
      e.payload.type == fb::Payload::ProactiveMessageSent) {
    Status s = RecallContact(e.contact, e.seq);
    if (!s.ok()) return s;
  }
  if (e.ticket != 0 && e.payload.type != fb::Payload::CommandRejected && Evicted(e.ticket)) {
    return restorer_->RestoreTicket(*this, e.ticket, e.seq);
  }
  return Status::OK();
}

// Keeps the ledger's held counts equal to the number of tickets whose holding names that agent and
// channel; a release makes the agent's groups drain (B14).
void DeskState::RefreshHolding(const Ticket& t, RoutedTicket& r) {
  // B75: an inactive conversation holds no messaging capacity, but counts against capacity.inactive.
  std::string inactive_of;
  if (!t.assignee.empty() && t.status != TicketStatus::kClosed && t.status != TicketStatus::kSolved &&
      t.handled_as == Channel::kMessaging) {
    const Conversation* c = FindConversation(t.conversation);
    if (c != nullptr && c->session == Session::kInactive) inactive_of = t.assignee;
  }
  if (inactive_of != r.inactive_of) {
    if (!r.inactive_of.empty()) {
      routing_.agents[r.inactive_of].inactive -= 1;
      DrainGroupsOf(r.inactive_of);  // under its cap again: its groups' queues may move
    }
    if (!inactive_of.empty()) routing_.agents[inactive_of].inactive += 1;
    r.inactive_of = std::move(inactive_of);
  }
  std::optional<Holding> now = HoldingOf(t);
  if (now == r.held) return;
  if (r.held) {
    routing_.agents[r.held->agent].held(r.held->channel) -= 1;
    routing_.loads_moved.insert(r.held->agent);
    DrainGroupsOf(r.held->agent);  // capacity freed: its groups' queues may move (B14)
  }
  if (now) {
    AgentAt(now->agent);  // an agent with a ticket has a record
    routing_.agents[now->agent].held(now->channel) += 1;
    routing_.loads_moved.insert(now->agent);
  }
  r.held = std::move(now);
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
    if (t.status == TicketStatus::kClosed) break;
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

// Keeps the queues equal to the set of queueable tickets, each at its QueueKey; a ticket that comes
// into a queue is noted for the router (TakeEnteredQueue).
void DeskState::RefreshQueue(const Ticket& t, RoutedTicket& r) {
  std::optional<QueuePlace> now;
  if (Queueable(t)) {
    now = QueuePlace{t.group, t.handled_as, QueueKey{-static_cast<int>(t.priority), t.created_at, t.id}};
  }
  if (now == r.queued) return;
  if (r.queued) routing_.queues[{r.queued->group, r.queued->channel}].erase(r.queued->key);
  if (now) {
    routing_.queues[{now->group, now->channel}].insert(now->key);
    if (!r.queued || r.queued->group != now->group || r.queued->channel != now->channel) {
      routing_.entered_queue.insert(t.id);
    }
  }
  r.queued = std::move(now);
}

void DeskState::RefreshTicket(Ticket& t, Timestamp now) {
  RoutedTicket& r = routing_.tickets[t.id];
  RefreshHolding(t, r);
  RefreshAutomations(t, now);
  RefreshQueue(t, r);
  const Timestamp breach = t.NextBreach();
  if (breach != t.sla_timer_due) {
    if (t.sla_timer_due != 0) sla_timers_.erase({t.sla_timer_due, t.id});
    t.sla_timer_due = breach;
    if (breach != 0) sla_timers_.insert({breach, t.id});
  }
}

Status DeskState::ApplyConfig(const Event& e) {
  const auto& p = *e.payload.AsConfigApplied();
  auto config = std::make_shared<Configuration>();
  // The document was validated before it was recorded: a refusal now means the log is corrupt, or
  // was written by a build that accepted what this one refuses. Either way the state cannot follow.
  Status parsed = ParseConfiguration(p.document, config.get());
  if (!parsed.ok()) {
    return Status::Corruption("event " + std::to_string(e.seq) + " records configuration version " +
                              std::to_string(p.version) + ", which this build refuses: " + parsed.message());
  }
  document_config_ = std::move(config);
  config_ = WithAgentChanges(document_config_, agent_changes_);
  config_version_ = p.version;
  bot_from_[e.seq] = !config_->bot.start.empty();
  for (const AgentConfig& a : config_->agents) AgentAt(a.id);
  // release_capacity_on and the automations may have changed; closed tickets never change again.
  for (auto& [id, t] : tickets_) {
    if (t.status != TicketStatus::kClosed) RefreshTicket(t, e.at);
  }
  for (const GroupConfig& g : config_->groups) routing_.drain_groups.insert(g.id);  // members, capacities
  return Status::OK();
}

// B74: a supervisor's change to an agent, in force at once: the groups it left and joined drain.
Status DeskState::ApplyAgentUpdated(const Event& e) {
  AgentChanges changes;
  Status s = ParseAgentChanges(e.payload.AsAgentUpdated()->changes, &changes);
  if (!s.ok()) return Status::Corruption("event " + std::to_string(e.seq) + ": " + s.message());
  DrainGroupsOf(e.agent);
  agent_changes_[e.agent].Merge(changes);
  config_ = WithAgentChanges(document_config_, agent_changes_);
  DrainGroupsOf(e.agent);
  AgentAt(e.agent);
  return Status::OK();
}

// Routing's own events: requirements, the round robin, offers, the end of a wait, agents coming online.
void DeskState::ApplyRouting(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::TicketRouted: {
      const auto* p = e.payload.AsTicketRouted();
      RoutedTicket& r = routing_.tickets[e.ticket];
      r.language = p->language;
      r.skills = p->skills;
      break;
    }
    case fb::Payload::RoutingDecided: {
      const auto* p = e.payload.AsRoutingDecided();
      if (p->style == Name(RoutingStyle::kAssignment) && !p->chosen.empty()) routing_.round_robin[p->group] = p->chosen;
      break;
    }
    case fb::Payload::TicketOffered: {
      RoutedTicket& r = routing_.tickets[e.ticket];
      r.offers.insert(std::lower_bound(r.offers.begin(), r.offers.end(), e.agent), e.agent);
      routing_.agents[e.agent].offers.insert(e.ticket);
      // Each round nobody answered makes the next one last twice as long: a ticket nobody takes
      // does not flood the log, and letting time jump far ahead costs O(log) rounds, not O(time).
      if (r.offer_due == 0) {
        const Timestamp round = config_->settings.offer_timeout_s * kMillisPerSecond << std::min(r.offer_rounds, 40);
        SetOfferTimer(e.ticket, r, e.at + round);
      }
      break;
    }
    case fb::Payload::TicketOfferWithdrawn: {
      RoutedTicket& r = routing_.tickets[e.ticket];
      r.offers.erase(std::remove(r.offers.begin(), r.offers.end(), e.agent), r.offers.end());
      routing_.agents[e.agent].offers.erase(e.ticket);
      if (r.offers.empty()) {
        SetOfferTimer(e.ticket, r, 0);
        if (e.payload.AsTicketOfferWithdrawn()->reason == "timed_out") ++r.offer_rounds;
      }
      break;
    }
    case fb::Payload::TicketAssigned: {
      RoutedTicket& r = routing_.tickets[e.ticket];
      r.offer_rounds = 0;
      AgentLedger& agent = routing_.agents[e.agent];
      agent.idle_since = e.at;
      if (agent.offers.erase(e.ticket)) {  // an accepted offer (B12 broadcast)
        r.offers.erase(std::remove(r.offers.begin(), r.offers.end(), e.agent), r.offers.end());
        if (r.offers.empty()) SetOfferTimer(e.ticket, r, 0);
      }
      Ticket& t = tickets_.at(e.ticket);
      if (!t.ever_assigned) {
        t.ever_assigned = true;
        routing_.waits[{t.group, t.channel}].Add(e.at - t.created_at);
        routing_.waits[{"", t.channel}].Add(e.at - t.created_at);
      }
      break;
    }
    case fb::Payload::AgentStatusChanged:
      if (FindAgent(e.agent)->status == Presence::kOnline) {
        routing_.agents[e.agent].idle_since = e.at;
        DrainGroupsOf(e.agent);  // B14: an agent coming online drains its groups' queues
      }
      break;
    default:
      break;
  }
}

// Each aggregate the event concerns applies it; the links between them (a contact's open
// conversations, a conversation's timer, a closed ticket's agent) are kept here.
Status DeskState::Dispatch(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::ConfigApplied:
      return ApplyConfig(e);
    case fb::Payload::AgentUpdated:
      return ApplyAgentUpdated(e);
    case fb::Payload::ContactUpdated:
      return ContactAt(e.contact, e.seq).Apply(e);
    case fb::Payload::AgentStatusChanged:
    case fb::Payload::AgentLoadChanged: {
      Status s = AgentAt(e.agent).Apply(e);
      ApplyRouting(e);
      return s;
    }
    case fb::Payload::ConversationStarted: {
      conversation_count_ = std::max(conversation_count_, e.conversation);
      Conversation& c = conversations_[e.conversation];
      Status s = c.Apply(e, !config_->bot.start.empty());
      Contact& contact = ContactAt(e.contact, e.seq);
      ++contact.live_conversations;
      idle_contacts_.erase(contact.id);
      if (s.ok()) s = contact.Apply(e);
      RefreshProactive(contact, e.at);  // a contact in a conversation is messaged by no rule
      return s;
    }
    case fb::Payload::VisitorPageViewed:
    case fb::Payload::ProactiveMessageSent: {
      Contact& contact = ContactAt(e.contact, e.seq);
      Status s = contact.Apply(e);
      RefreshProactive(contact, e.at);
      return s;
    }
    case fb::Payload::TicketCreated: {
      ticket_count_ = std::max(ticket_count_, e.ticket);
      Status s = tickets_[e.ticket].Apply(e);
      if (auto c = conversations_.find(e.conversation); c != conversations_.end()) (void)c->second.Apply(e, false);
      if (contacts_.count(e.contact)) (void)ContactAt(e.contact, e.seq).Apply(e);
      return s;
    }
    default:
      break;
  }
  Conversation* c = nullptr;
  if (e.conversation != 0) {
    auto it = conversations_.find(e.conversation);
    if (it != conversations_.end()) c = &it->second;
  }
  if (c != nullptr) {
    Status s = c->Apply(e, false);
    if (!s.ok()) return s;
    switch (e.payload.type) {
      case fb::Payload::ConversationInactive:
        SetInactivityTimer(*c, 0);
        break;
      case fb::Payload::SessionEnded: {
        SetInactivityTimer(*c, 0);
        Contact& contact = ContactAt(c->contact, e.seq);
        if (contact.open_messaging == c->id) contact.open_messaging = 0;
        // B31, B35: the ticket goes on by email, so the contact's next email continues it (a new
        // messaging message starts a new conversation).
        if (contact.open_email == 0) contact.open_email = c->id;
        break;
      }
      case fb::Payload::ConversationSelfSolved:
        FinishConversation(*c, e.seq);
        break;
      case fb::Payload::BotAnswerSaved:
        if (e.payload.AsBotAnswerSaved()->key.rfind("contact.", 0) == 0) {
          Contact& contact = ContactAt(c->contact, e.seq);  // kept for later conversations (B3)
          s = contact.Apply(e);
        }
        break;
      case fb::Payload::MessageAdded:
        if (e.payload.AsMessageAdded()->author == "contact" && c->channel == Channel::kMessaging &&
            c->session == Session::kActive && !c->finished) {
          SetInactivityTimer(*c, e.at + config_->settings.inactivity_minutes * kMillisPerMinute);
        }
        break;
      default:
        break;
    }
    if (!s.ok()) return s;
  }
  auto t = e.ticket != 0 ? tickets_.find(e.ticket) : tickets_.end();
  if (t != tickets_.end()) {
    Status s = t->second.Apply(e);
    if (!s.ok()) return s;
    switch (e.payload.type) {
      case fb::Payload::TicketAssigned:
      case fb::Payload::TicketUnassigned:
        (void)AgentAt(e.agent).Apply(e);
        break;
      case fb::Payload::TicketStatusChanged:
        if (t->second.status == TicketStatus::kClosed) {
          closed_tickets_.emplace(t->first, e.seq);
          if (auto conversation = conversations_.find(t->second.conversation); conversation != conversations_.end()) {
            FinishConversation(conversation->second, e.seq);
          }
          if (!t->second.assignee.empty()) AgentAt(t->second.assignee).tickets.erase(t->first);
        }
        break;
      default:
        break;
    }
  }
  ApplyRouting(e);
  return Status::OK();
}

Status DeskState::Apply(const Event& e) {
  if (!failure_.ok()) return failure_;
  failure_ = RestoreIfEvicted(e);
  if (!failure_.ok()) return failure_;
  last_seq_ = e.seq;
  now_ = std::max(now_, e.at);
  failure_ = Dispatch(e);
  if (!failure_.ok()) return failure_;
  if (e.ticket != 0) {
    auto t = tickets_.find(e.ticket);
    if (t != tickets_.end()) RefreshTicket(t->second, e.at);
  }
  return failure_;
}

}  // namespace switchboard
