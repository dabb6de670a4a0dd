// Routing and capacity (B10-B17): placing a new ticket in a group, queues, the three styles,
// broadcast offers, agents going away, transfers.
//
// The fold (DeskState) keeps the queues equal to the set of tickets that should wait and notes what
// may move (TakeEnteredQueue, TakeDrainGroups); this file decides, at the end of every change, who
// gets what, and records each decision as events.
#include <algorithm>

#include "rules/domain/ticket_facts.h"
#include "rules/domain/desk.h"
#include "rules/domain/routing.h"

namespace switchboard {
namespace {

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

}  // namespace

// B10, B11: the bot step's group, else the first routing rule whose conditions hold and that has an
// open group, else the fallback group, with the reason written down.
Desk::Placement Desk::Place(std::uint64_t conversation, const std::string& group, const std::string& step) const {
  const Configuration& config = state_->config();
  if (!group.empty()) return Placement{group, "bot:" + step, "", "", {}, ""};
  const Conversation& c = *state_->FindConversation(conversation);
  ConversationFacts facts(*state_, c, clock_);
  std::vector<std::string> unmatched, closed;
  for (const RoutingRule& rule : config.routing_rules) {
    if (!Holds(rule.when, facts)) {
      unmatched.push_back(rule.id);
      continue;
    }
    for (const std::string& g : rule.groups) {
      // A single group takes the ticket whatever the hour (it queues until it opens); a shift list
      // picks the group on duty now.
      if (!rule.shift || config.GroupOpen(g, clock_)) {
        return Placement{g, rule.id, rule.priority, rule.language, rule.skills, ""};
      }
    }
    closed.push_back(rule.id);
  }
  std::string why;
  if (config.routing_rules.empty()) {
    why = "no routing rules are configured";
  } else {
    if (!unmatched.empty()) why = "no conditions held for " + Joined(unmatched);
    if (!closed.empty()) why += (why.empty() ? "" : "; ") + std::string("no group on duty now for ") + Joined(closed);
  }
  return Placement{config.fallback,
                   "fallback",
                   "",
                   "",
                   {},
                   "Routed to the fallback group \"" + config.fallback + "\": " + why + "."};
}

void Desk::RouteNewTicket(std::uint64_t ticket, std::uint64_t conversation, const std::string& group,
                          const std::string& priority, const std::string& step) {
  Placement p = Place(conversation, group, step);
  fb::TicketRoutedT r;
  r.group = p.group;
  r.reason = p.reason;
  r.language = p.language;
  r.skills = p.skills;
  Event routed = MakeEvent(std::move(r));
  routed.ticket = ticket;
  Emit(std::move(routed));
  if (!p.why.empty()) {
    fb::MessageAddedT note;
    note.author = "bot";
    note.public_ = false;
    note.text = p.why;
    Event e = MakeEvent(std::move(note));
    e.ticket = ticket;
    e.conversation = conversation;
    Emit(std::move(e));
  }
  const std::string& wanted = !priority.empty() ? priority : p.priority;
  if (!wanted.empty()) {
    const Ticket& t = *state_->FindTicket(ticket);
    UpdateTicket(ticket, t.group, wanted, t.tags, /*agent=*/"");
  }
}

// Queue order holds across everything one change did: the groups that gained work or room are
// drained first, in priority-then-age order, so a ticket that has just come into a queue (new, put
// back, transferred) never overtakes an older or more urgent one; then each new arrival that still
// waits is announced, with its decision and its place.
void Desk::RoutePending() {
  while (true) {
    std::set<std::uint64_t> entered = state_->TakeEnteredQueue();
    std::set<std::string> groups = state_->TakeDrainGroups();
    if (entered.empty() && groups.empty()) return;
    for (std::uint64_t id : entered) groups.insert(state_->FindTicket(id)->group);
    for (const std::string& group : groups) dormant_openings_.erase(group);  // something changed there
    for (const std::string& group : groups) DrainGroup(group);
    for (std::uint64_t id : entered) {
      if (state_->FindTicket(id)->queued) RouteTicket(id, /*announce=*/true);
    }
  }
}

bool Desk::RouteTicket(std::uint64_t id, bool announce) {
  const Configuration& config = state_->config();
  const Ticket& t = *state_->FindTicket(id);
  const std::string group = t.group, channel = t.handled_as;
  RoutingRequest request{group, channel, t.language, &t.skills, config.GroupOpen(group, clock_)};
  RoutingChoice choice = ChooseAgents(config, *state_, request);
  if (choice.chosen.empty() && !announce) return false;

  fb::RoutingDecidedT decided;
  decided.group = group;
  decided.style = config.routing_style;
  if (config.routing_style != "broadcast" && !choice.chosen.empty()) {
    decided.chosen = config.agents[choice.chosen[0]].id;
  }
  for (const RoutingCandidate& c : choice.candidates) {
    auto candidate = std::make_unique<fb::CandidateT>();
    candidate->agent = config.agents[c.agent].id;
    candidate->eligible = c.reason == nullptr;
    if (c.reason != nullptr) candidate->reason = c.reason;
    decided.candidates.push_back(std::move(candidate));
  }
  Event e = MakeEvent(std::move(decided));
  e.ticket = id;
  e.agent = e.payload.AsRoutingDecided()->chosen;
  Emit(std::move(e));

  if (choice.chosen.empty()) {  // B14: it waits, and the contact can be told where and for how long
    const Ticket& queued = *state_->FindTicket(id);
    fb::TicketQueuedT q;
    q.group = group;
    q.position = static_cast<std::uint32_t>(state_->QueuePosition(queued));
    q.estimated_wait_s = static_cast<std::uint32_t>(state_->EstimatedWait(group, channel).value_or(0) / 1000);
    Event qe = MakeEvent(std::move(q));
    qe.ticket = id;
    Emit(std::move(qe));
    return false;
  }
  if (config.routing_style == "broadcast") {
    for (std::size_t agent : choice.chosen) {
      Event offered = MakeEvent(fb::TicketOfferedT());
      offered.ticket = id;
      offered.agent = config.agents[agent].id;
      Emit(std::move(offered));
    }
  } else {
    Assign(*state_->FindTicket(id), config.agents[choice.chosen[0]].id);
  }
  return true;
}

// Takes queued tickets in queue order (priority, then age) while any member could take one; a
// ticket that nobody eligible can take (language, skills) is passed and stays where it is. Within
// one drain, what one ticket's requirements could not find stays unfound (a drain only fills
// agents), so later tickets with the same requirements are passed without asking again.
void Desk::DrainGroup(const std::string& group) {
  const Configuration& config = state_->config();
  if (!config.HasGroup(group) || !config.GroupOpen(group, clock_)) return;
  for (const char* channel : {"email", "messaging"}) {
    const TicketQueue* queue = state_->FindQueue(group, channel);
    if (queue == nullptr) continue;
    std::set<std::pair<std::string, std::vector<std::string>>> unfound;
    std::optional<QueueKey> after;
    while (AnyRoom(config, *state_, group, channel)) {
      auto it = after ? queue->upper_bound(*after) : queue->begin();
      if (it == queue->end()) break;
      after = *it;
      const Ticket& t = *state_->FindTicket(it->ticket);
      std::pair<std::string, std::vector<std::string>> needs{t.language, t.skills};
      if (unfound.count(needs)) continue;
      if (!RouteTicket(t.id, /*announce=*/false)) unfound.insert(std::move(needs));
    }
  }
}

// B16: an agent who is no longer online gets no offers, and, when its new status is in
// `reassign_on`, its open messaging tickets go back to the queue at their original place (the fold
// queues them by creation time). Email tickets stay with it.
void Desk::ReleaseAbsentAgent(const std::string& agent) {
  const AgentState* a = state_->FindAgent(agent);
  if (a == nullptr) return;
  const std::set<std::uint64_t> offers = a->offers;
  for (std::uint64_t ticket : offers) WithdrawOffer(ticket, agent, "agent_unavailable");
  const auto& reassign = state_->config().settings.reassign_on;
  if (std::find(reassign.begin(), reassign.end(), a->status) == reassign.end()) return;
  const std::set<std::uint64_t> tickets = a->tickets;
  for (std::uint64_t id : tickets) {
    const Ticket& t = *state_->FindTicket(id);
    if (t.handled_as != "messaging" || (t.status != "new" && t.status != "open")) continue;
    if (state_->FindConversation(t.conversation)->session == Session::kEnded) continue;
    Assign(t, "");
  }
}

void Desk::WithdrawOffers(std::uint64_t ticket, const std::string& except, const char* reason) {
  const std::vector<std::string> offers = state_->FindTicket(ticket)->offers;
  for (const std::string& agent : offers) {
    if (agent != except) WithdrawOffer(ticket, agent, reason);
  }
}

void Desk::WithdrawOffer(std::uint64_t ticket, const std::string& agent, const char* reason) {
  fb::TicketOfferWithdrawnT p;
  p.reason = reason;
  Event e = MakeEvent(std::move(p));
  e.ticket = ticket;
  e.agent = agent;
  Emit(std::move(e));
}

// B12 broadcast: nobody accepted in time; the offers are withdrawn and the ticket, queued again, is
// offered anew to whoever is eligible now (RoutePending at the end of this change). The fold makes
// each round that times out last twice as long as the one before (DeskState, offer_rounds).
void Desk::FireOfferTimeout(std::uint64_t ticket) { WithdrawOffers(ticket, "", "timed_out"); }

std::optional<std::pair<Timestamp, std::string>> Desk::NextGroupOpening() {
  if (next_opening_version_ != state_->config_version()) {
    next_opening_.clear();
    dormant_openings_.clear();
    next_opening_version_ = state_->config_version();
  }
  std::optional<std::pair<Timestamp, std::string>> next;
  for (const GroupConfig& g : state_->config().groups) {
    if (!g.hours || dormant_openings_.count(g.id)) continue;
    const TicketQueue* m = state_->FindQueue(g.id, "messaging");
    const TicketQueue* e = state_->FindQueue(g.id, "email");
    if ((m == nullptr || m->empty()) && (e == nullptr || e->empty())) continue;
    Timestamp& due = next_opening_[g.id];
    if (due == 0 || due < state_->now()) due = g.hours->NextOpening(state_->now());
    if (due != 0 && (!next || due < next->first)) next = std::make_pair(due, g.id);
  }
  return next;
}

std::optional<Rejection> Desk::AgentAccept(const Command& c) {
  if (state_->config().FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (std::find(t->offers.begin(), t->offers.end(), c.agent) == t->offers.end()) {
    std::string why = !t->assignee.empty() ? "it is assigned to \"" + t->assignee + "\""
                      : t->offers.empty()  ? std::string("it has no open offer")
                                           : std::string("the offer to this agent was withdrawn or never made");
    return Rejection{"agent \"" + c.agent + "\" cannot accept ticket " + std::to_string(t->id) + ": " + why, "ticket"};
  }
  const std::uint64_t id = t->id;
  Assign(*t, c.agent);  // the fold consumes the accepted offer
  WithdrawOffers(id, c.agent, "accepted");
  return std::nullopt;
}

// B17: to an agent of the ticket's group (or a supervisor), or to a group, whose queue takes it.
// Capacity moves with the ticket: the fold counts it against whoever holds it.
std::optional<Rejection> Desk::TicketTransfer(const Command& c) {
  const Configuration& config = state_->config();
  const Ticket* t = state_->FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  if (config.FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  if (auto r = CheckNotClosed(*t)) return r;
  if (auto r = CheckMayAct(config, c.agent, *t)) return r;
  if (!c.to_agent.empty()) {
    const AgentConfig* to = config.FindAgent(c.to_agent);
    if (to == nullptr) return Rejection{"unknown agent \"" + c.to_agent + "\"", "to_agent"};
    if (!to->supervisor && std::find(to->groups.begin(), to->groups.end(), t->group) == to->groups.end()) {
      return Rejection{"agent \"" + c.to_agent + "\" is not in group \"" + t->group + "\", which holds ticket " +
                           std::to_string(t->id) + "; transfer it to a group of theirs first",
                       "to_agent"};
    }
    if (c.to_agent == t->assignee) {
      return Rejection{"ticket " + std::to_string(t->id) + " is already assigned to \"" + c.to_agent + "\"",
                       "to_agent"};
    }
  } else if (!config.HasGroup(c.to_group)) {
    return Rejection{"unknown group \"" + c.to_group + "\"", "to_group"};
  }
  const std::uint64_t id = t->id;
  fb::TicketTransferredT p;
  p.from_agent = c.agent;
  p.to_agent = c.to_agent;
  p.to_group = c.to_group;
  p.note = c.note;
  Event e = MakeEvent(std::move(p));
  e.ticket = id;
  e.agent = c.agent;
  Emit(std::move(e));
  WithdrawOffers(id, "", "transferred");
  Assign(*state_->FindTicket(id), c.to_agent);  // to a group: unassigned, and queued there
  return std::nullopt;
}

}  // namespace switchboard
