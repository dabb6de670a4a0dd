#include "rules/domain/availability.h"

#include <date/tz.h>

#include <chrono>

#include "rules/domain/routing.h"
#include "rules/text_fold.h"

namespace switchboard {
namespace {

// "Tue 24 Nov 09:00 (Europe/Paris)": the opening in the group's own zone.
std::string LocalTime(const BusinessHours& hours, Timestamp t) {
  const date::zoned_time<std::chrono::milliseconds> local(
      hours.zone, date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}});
  return date::format("%a %d %b %H:%M", date::floor<std::chrono::minutes>(local.get_local_time())) + " (" + hours.tz +
         ")";
}

// Whether anyone could take a ticket of `group` now: the group is open and a member is online.
bool OnDuty(const DeskState& state, const std::string& group, Timestamp now) {
  const Configuration& config = state.config();
  if (!config.GroupOpen(group, now)) return false;
  for (std::size_t i : config.Members(group)) {
    const AgentState* a = state.FindAgent(config.agents[i].id);
    if (a != nullptr && a->status == Presence::kOnline) return true;
  }
  return false;
}

void Say(Change& change, std::uint64_t conversation, const std::string& step, std::string text) {
  fb::BotMessageSentT p;
  p.text = std::move(text);
  p.step = step;
  change.Emit(About().Conversation(conversation), std::move(p));
}

}  // namespace

bool SayAway(Change& change, std::uint64_t conversation) {
  const DeskState& state = change.state();
  const Conversation* c = state.FindConversation(conversation);
  const Ticket* t = c != nullptr ? state.FindTicket(c->ticket) : nullptr;
  if (t == nullptr || t->notify != Ticket::Notify::kNone || !t->assignee.empty()) return false;
  const RoutedTicket* r = state.FindRouted(t->id);
  if (r == nullptr || !r->queued || !r->offers.empty() || OnDuty(state, t->group, change.at())) return false;
  const GroupConfig* g = state.config().FindGroup(t->group);
  const Timestamp opens =
      g != nullptr && g->hours && !g->hours->IsOpen(change.at()) ? g->hours->NextOpening(change.at()) : 0;
  fb::ContactNotificationOfferedT offered;
  offered.group = t->group;
  offered.opens_at = opens;
  change.Emit(About().Conversation(conversation).Ticket(t->id).Contact(c->contact), std::move(offered));
  std::string text = "No agent is available right now.";
  if (opens != 0) text += " We are back " + LocalTime(*g->hours, opens) + ".";
  text += " Reply \"yes\" and we will message you here as soon as an agent is free.";
  Say(change, conversation, "away", std::move(text));
  return true;
}

void HearNotificationReply(Change& change, std::uint64_t ticket, const std::string& text) {
  const Ticket* t = change.state().FindTicket(ticket);
  if (t == nullptr || t->notify != Ticket::Notify::kOffered || !SaysYes(text)) return;
  change.Emit(About().Conversation(t->conversation).Ticket(ticket).Contact(t->contact),
              fb::ContactNotificationRequestedT());
  Say(change, t->conversation, "notify", "Thank you. We will message you here as soon as an agent is free.");
}

void NotifyIfAvailable(Change& change, std::uint64_t ticket) {
  const DeskState& state = change.state();
  const Ticket* t = state.FindTicket(ticket);
  if (t == nullptr || t->notify != Ticket::Notify::kRequested) return;
  const RoutedTicket* r = state.FindRouted(ticket);
  if (t->assignee.empty() && (r == nullptr || r->offers.empty())) return;
  fb::ContactNotifiedAvailableT p;
  p.text = "An agent is available now and will be with you in a moment.";
  change.Emit(About().Conversation(t->conversation).Ticket(ticket).Contact(t->contact), std::move(p));
}

}  // namespace switchboard
