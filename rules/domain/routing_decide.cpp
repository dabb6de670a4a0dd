// The decisions of routing and capacity (B10-B17): placing a new ticket in a group, queues, the three
// styles, broadcast offers, agents going away, transfers, and the agents' recorded loads.
//
// The fold (DeskState) keeps the queues equal to the set of tickets that should wait and notes what
// may move (TakeEnteredQueue, TakeDrainGroups); this file decides, at the end of every change, who
// gets what, and records each decision as events.
#include <algorithm>
#include <tuple>

#include "rules/domain/decide.h"
#include "rules/domain/desk.h"
#include "rules/domain/placeholders.h"
#include "rules/domain/routing.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {
namespace {

std::string Joined(const std::vector<std::string>& ids) {
  std::string out;
  for (const std::string& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

struct Placement {
  std::string group, reason;
  std::optional<Priority> priority;
  std::string language;
  std::vector<std::string> skills;
  std::string why;  // for a fallback: the internal note saying why no rule placed the ticket (B11)
};

// B10, B11: the bot step's group, else the first routing rule whose conditions hold and that has an
// open group, else the fallback group, with the reason written down.
Placement Place(const Change& change, std::uint64_t conversation, const std::string& group, const std::string& step) {
  const Configuration& config = change.config();
  if (!group.empty()) return Placement{group, "bot:" + step, std::nullopt, "", {}, ""};
  ConversationFacts facts(change.state(), *change.state().FindConversation(conversation), change.at());
  std::vector<std::string> unmatched, closed;
  for (const RoutingRule& rule : config.routing_rules) {
    if (!Holds(rule.when, facts)) {
      unmatched.push_back(rule.id);
      continue;
    }
    for (const std::string& g : rule.groups) {
      // A single group takes the ticket whatever the hour (it queues until it opens); a shift list
      // picks the group on duty now.
      if (!rule.shift || config.GroupOpen(g, change.at())) {
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
                   std::nullopt,
                   "",
                   {},
                   "Routed to the fallback group \"" + config.fallback + "\": " + why + "."};
}

void RouteNewTicket(Change& change, std::uint64_t ticket, std::uint64_t conversation, const std::string& group,
                    std::optional<Priority> priority, const std::string& step) {
  Placement p = Place(change, conversation, group, step);
  fb::TicketRoutedT r;
  r.group = p.group;
  r.reason = p.reason;
  r.language = p.language;
  r.skills = p.skills;
  change.Emit(About().Ticket(ticket), std::move(r));
  if (!p.why.empty()) {
    fb::MessageAddedT note;
    note.author = "bot";
    note.public_ = false;
    note.text = p.why;
    change.Emit(About().Conversation(conversation).Ticket(ticket), std::move(note));
  }
  std::optional<Priority> wanted = priority ? priority : p.priority;
  if (wanted) {
    const Ticket& t = *change.state().FindTicket(ticket);
    UpdateTicket(change, ticket, t.group, *wanted, t.tags, /*agent=*/"");
  }
}

void WithdrawOffer(Change& change, std::uint64_t ticket, const std::string& agent, const char* reason) {
  fb::TicketOfferWithdrawnT p;
  p.reason = reason;
  change.Emit(About().Ticket(ticket).Agent(agent), std::move(p));
}

// `reason`: timed_out, accepted (another agent took it), agent_unavailable, transferred.
void WithdrawOffers(Change& change, std::uint64_t ticket, const std::string& except, const char* reason) {
  const RoutedTicket* r = change.state().FindRouted(ticket);
  if (r == nullptr) return;
  const std::vector<std::string> offers = r->offers;
  for (const std::string& agent : offers) {
    if (agent != except) WithdrawOffer(change, ticket, agent, reason);
  }
}

// Decides for one queued ticket; `announce`: record the decision even when nobody can take it (a
// ticket just queued), rather than staying silent (a drain that finds nobody).
bool RouteTicket(Change& change, std::uint64_t id, bool announce) {
  const DeskState& state = change.state();
  const Configuration& config = change.config();
  const Ticket& t = *state.FindTicket(id);
  const RoutedTicket* routed = state.FindRouted(id);
  const std::string group = t.group;
  const Channel channel = t.handled_as;
  static const std::vector<std::string> kNoSkills;
  RoutingRequest request{group, channel, routed ? std::string_view(routed->language) : std::string_view(),
                         routed ? &routed->skills : &kNoSkills, config.GroupOpen(group, change.at())};
  RoutingChoice choice = ChooseAgents(config, state, request);
  if (choice.chosen.empty() && !announce) return false;

  fb::RoutingDecidedT decided;
  decided.group = group;
  decided.style = std::string(Name(config.routing_style));
  if (config.routing_style != RoutingStyle::kBroadcast && !choice.chosen.empty()) {
    decided.chosen = config.agents[choice.chosen[0]].id;
  }
  for (const RoutingCandidate& c : choice.candidates) {
    auto candidate = std::make_unique<fb::CandidateT>();
    candidate->agent = config.agents[c.agent].id;
    candidate->eligible = c.reason == nullptr;
    if (c.reason != nullptr) candidate->reason = c.reason;
    decided.candidates.push_back(std::move(candidate));
  }
  const std::string chosen = decided.chosen;
  change.Emit(About().Ticket(id).Agent(chosen), std::move(decided));

  if (choice.chosen.empty()) {  // B14: it waits, and the contact can be told where and for how long
    fb::TicketQueuedT q;
    q.group = group;
    q.position = static_cast<std::uint32_t>(state.QueuePosition(*state.FindTicket(id)));
    q.estimated_wait_s = static_cast<std::uint32_t>(state.EstimatedWait(group, channel).value_or(0) / 1000);
    change.Emit(About().Ticket(id), std::move(q));
    return false;
  }
  if (config.routing_style == RoutingStyle::kBroadcast) {
    for (std::size_t agent : choice.chosen)
      change.Emit(About().Ticket(id).Agent(config.agents[agent].id), fb::TicketOfferedT());
  } else {
    Assign(change, *state.FindTicket(id), config.agents[choice.chosen[0]].id);
  }
  return true;
}

}  // namespace

void Handoff(Change& change, std::uint64_t conversation, const std::string& group, std::optional<Priority> priority,
             const std::string& step) {
  const Conversation& c = *change.state().FindConversation(conversation);
  const std::string contact = c.contact;
  const Channel channel = c.channel;
  const std::uint64_t ticket = change.state().ticket_count() + 1;
  fb::TicketCreatedT created;
  created.channel = std::string(Name(channel));
  created.proactive_rule = c.proactive_rule;
  change.Emit(About().Conversation(conversation).Ticket(ticket).Contact(contact), std::move(created));

  RouteNewTicket(change, ticket, conversation, group, priority, step);
  const BotConfig& bot = change.config().bot;
  if (bot.start.empty() && bot.greeting.empty()) return;  // no bot: nobody speaks for the desk
  auto configured = bot.steps.find(step);
  std::string text =
      configured != bot.steps.end() && configured->second.kind == StepKind::kHandoff ? configured->second.text : "";
  if (text.empty()) {
    text = "Thank you, I am transferring you to an agent.";
    if (auto wait = change.state().EstimatedWait(change.state().FindTicket(ticket)->group, channel)) {
      text += " Estimated wait: " + DescribeWait(wait) + ".";  // B7
    }
  }
  // Said once routing has decided (the end of the change), so that {{position}} is the ticket's place
  // in its queue (0 when an agent took it at once).
  change.SayAfterRouting({conversation, step.empty() ? "handoff" : step, std::move(text)});
}

// Queue order holds across everything one change did: the groups that gained work or room are
// drained first, in priority-then-age order, so a ticket that has just come into a queue (new, put
// back, transferred) never overtakes an older or more urgent one; then each new arrival that still
// waits is announced, with its decision and its place.
void RoutePending(Change& change, GroupOpenings& openings) {
  DeskState& state = change.state();
  while (true) {
    std::set<std::uint64_t> entered = state.TakeEnteredQueue();
    std::set<std::string> groups = state.TakeDrainGroups();
    if (entered.empty() && groups.empty()) return;
    for (std::uint64_t id : entered) groups.insert(state.FindTicket(id)->group);
    for (const std::string& group : groups) openings.Wake(group);  // something changed there
    for (const std::string& group : groups) DrainGroup(change, group);
    for (std::uint64_t id : entered) {
      const RoutedTicket* r = state.FindRouted(id);
      if (r != nullptr && r->queued) RouteTicket(change, id, /*announce=*/true);
    }
  }
}

// Takes queued tickets in queue order (priority, then age) while any member could take one; a
// ticket that nobody eligible can take (language, skills) is passed and stays where it is. Within
// one drain, what one ticket's requirements could not find stays unfound (a drain only fills
// agents), so later tickets with the same requirements are passed without asking again.
void DrainGroup(Change& change, const std::string& group) {
  const DeskState& state = change.state();
  const Configuration& config = change.config();
  if (!config.HasGroup(group) || !config.GroupOpen(group, change.at())) return;
  for (Channel channel : {Channel::kEmail, Channel::kMessaging}) {
    const TicketQueue* queue = state.FindQueue(group, channel);
    if (queue == nullptr) continue;
    std::set<std::pair<std::string, std::vector<std::string>>> unfound;
    std::optional<QueueKey> after;
    while (AnyRoom(config, state, group, channel)) {
      auto it = after ? queue->upper_bound(*after) : queue->begin();
      if (it == queue->end()) break;
      after = *it;
      const RoutedTicket* r = state.FindRouted(it->ticket);
      std::pair<std::string, std::vector<std::string>> needs{r->language, r->skills};
      if (unfound.count(needs)) continue;
      if (!RouteTicket(change, it->ticket, /*announce=*/false)) unfound.insert(std::move(needs));
    }
  }
}

// B16: an agent who is no longer online gets no offers, and, when its new status is in
// `reassign_on`, its open messaging tickets go back to the queue at their original place (the fold
// queues them by creation time). Email tickets stay with it.
void ReleaseAbsentAgent(Change& change, const std::string& agent) {
  const DeskState& state = change.state();
  const AgentState* a = state.FindAgent(agent);
  if (a == nullptr) return;
  if (const AgentLedger* ledger = state.FindLedger(agent)) {
    const std::set<std::uint64_t> offers = ledger->offers;
    for (std::uint64_t ticket : offers) WithdrawOffer(change, ticket, agent, "agent_unavailable");
  }
  const auto& reassign = change.config().settings.reassign_on;
  if (std::find(reassign.begin(), reassign.end(), a->status) == reassign.end()) return;
  const std::set<std::uint64_t> tickets = a->tickets;
  for (std::uint64_t id : tickets) {
    const Ticket& t = *state.FindTicket(id);
    if (t.handled_as != Channel::kMessaging || (t.status != TicketStatus::kNew && t.status != TicketStatus::kOpen)) {
      continue;
    }
    if (state.FindConversation(t.conversation)->session == Session::kEnded) continue;
    Assign(change, t, "");
  }
}

// B12 broadcast: nobody accepted in time; the offers are withdrawn and the ticket, queued again, is
// offered anew to whoever is eligible now (RoutePending at the end of this change). The fold makes
// each round that times out last twice as long as the one before (RoutedTicket::offer_rounds).
void FireOfferTimeout(Change& change, std::uint64_t ticket) { WithdrawOffers(change, ticket, "", "timed_out"); }

std::optional<Rejection> DecideAgentAccept(Change& change, const Command& c) {
  const DeskState& state = change.state();
  if (change.config().FindAgent(c.agent) == nullptr) return Rejection{"unknown agent \"" + c.agent + "\"", "agent"};
  const Ticket* t = state.FindTicket(c.ticket);
  if (t == nullptr) return Rejection{"unknown ticket " + std::to_string(c.ticket), "ticket"};
  static const std::vector<std::string> kNone;
  const RoutedTicket* r = state.FindRouted(t->id);
  const std::vector<std::string>& offers = r ? r->offers : kNone;
  if (std::find(offers.begin(), offers.end(), c.agent) == offers.end()) {
    std::string why = !t->assignee.empty() ? "it is assigned to \"" + t->assignee + "\""
                      : offers.empty()     ? std::string("it has no open offer")
                                           : std::string("the offer to this agent was withdrawn or never made");
    return Rejection{"agent \"" + c.agent + "\" cannot accept ticket " + std::to_string(t->id) + ": " + why, "ticket"};
  }
  const std::uint64_t id = t->id;
  Assign(change, *t, c.agent);  // the fold consumes the accepted offer
  WithdrawOffers(change, id, c.agent, "accepted");
  return std::nullopt;
}

// B17: to an agent of the ticket's group (or a supervisor), or to a group, whose queue takes it.
// Capacity moves with the ticket: the fold counts it against whoever holds it.
std::optional<Rejection> DecideTicketTransfer(Change& change, const Command& c) {
  const Configuration& config = change.config();
  ActionableTicket found = TicketToActOn(change.state(), c.ticket, c.agent, AgentCheck::kKnownFirstThenMayAct);
  if (found.refused) return found.refused;
  const Ticket* t = found.ticket;
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
  change.Emit(About().Ticket(id).Agent(c.agent), std::move(p));
  WithdrawOffers(change, id, "", "transferred");
  Assign(change, *change.state().FindTicket(id), c.to_agent);  // to a group: unassigned, and queued there
  return std::nullopt;
}

// Brings every affected agent's recorded load in line with the tickets that hold its capacity, so
// that load always equals the count of held tickets (B15); agents in id order: deterministic.
void SettleLoads(Change& change) {
  const DeskState& state = change.state();
  const std::set<std::string> agents = change.state().TakeLoadsMoved();
  for (const std::string& id : agents) {
    const AgentState* a = state.FindAgent(id);
    const AgentConfig* config = change.config().FindAgent(id);
    if (a == nullptr || config == nullptr) continue;
    const AgentLedger* ledger = state.FindLedger(id);
    for (const auto& [channel, capacity] : {std::pair{Channel::kMessaging, config->capacity_messaging},
                                            std::pair{Channel::kEmail, config->capacity_email}}) {
      const int held = ledger ? ledger->held(channel) : 0;
      if (held == state.FindAgent(id)->load(channel)) continue;
      fb::AgentLoadChangedT p;
      p.channel = std::string(Name(channel));
      p.load = held;
      p.capacity = capacity;
      change.Emit(About().Agent(id), std::move(p));
    }
  }
}

}  // namespace switchboard
