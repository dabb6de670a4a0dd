// The decisions of contacts and conversations: a contact's message (its profile, the conversation it
// goes to, the bot's turn or the ticket it reopens), a lookup's answer, inactivity.
#include <nlohmann/json.hpp>

#include <algorithm>

#include "events/value.h"
#include "rules/domain/availability.h"
#include "rules/domain/decide.h"

namespace switchboard {
namespace {

using nlohmann::json;

// contact.updated with the fields the message carries that differ from what is known.
void UpdateProfile(Change& change, const Command& c) {
  const Contact* contact = change.state().FindContact(c.contact);
  json changed = json::object();
  for (const auto& [field, value] : c.profile) {
    if (contact != nullptr) {
      auto it = contact->profile.find(field);
      if (it != contact->profile.end() && it->second == value) continue;
    }
    changed[field] = json::parse(value);
  }
  if (changed.empty()) return;
  fb::ContactUpdatedT p;
  p.profile_value = TypedValue(changed);  // typed only: the text field is for old logs
  change.Emit(About().Contact(c.contact), std::move(p));
}

void ContactSays(Change& change, const Command& c, std::uint64_t conversation, std::uint64_t ticket) {
  fb::MessageAddedT m;
  m.author = "contact";
  m.text = c.text;
  change.Emit(About().Conversation(conversation).Ticket(ticket).Contact(c.contact), std::move(m));
}

// B1: a new conversation; the bot greets and runs its flow, or hands off at once.
void StartConversation(Change& change, const Command& c) {
  const std::uint64_t conversation = change.state().conversation_count() + 1;
  fb::ConversationStartedT started;
  started.channel = std::string(Name(c.channel));
  // B70: a reply to a proactive message starts a conversation that names the rule that invited it.
  const Contact* contact = change.state().FindContact(c.contact);
  const std::string answering =
      contact != nullptr && c.channel == Channel::kMessaging ? contact->visitor.Answering(change.at()) : std::string();
  if (!answering.empty()) change.set_rule(answering);
  change.Emit(About().Conversation(conversation).Contact(c.contact), std::move(started));
  if (!answering.empty()) change.set_rule("");
  ContactSays(change, c, conversation, /*ticket=*/0);
  const BotConfig& bot = change.config().bot;
  if (bot.greeting.empty() && bot.start.empty()) {  // no bot: a person takes over at once (B7)
    return Handoff(change, conversation, "", std::nullopt, "");
  }
  change.AskBot({BotTurnKind::kStart, conversation, "", {}});
}

// B22: a contact's reply reopens a pending, on-hold or solved ticket; a solved one goes back to the
// agent who solved it, unless (B16 over B22) that agent is away or offline per reassign_on.
void Reopen(Change& change, const Ticket& t) {
  if (t.status != TicketStatus::kPending && t.status != TicketStatus::kOnHold && t.status != TicketStatus::kSolved) {
    return;
  }
  const DeskState& state = change.state();
  const std::uint64_t id = t.id;
  std::string solver = t.status == TicketStatus::kSolved ? t.solved_by : "";
  ChangeStatus(change, t, TicketStatus::kOpen, "contact");
  const Ticket& open = *state.FindTicket(id);
  if (!solver.empty() && open.assignee != solver && state.config().FindAgent(solver)) Assign(change, open, solver);
  const Ticket& reopened = *state.FindTicket(id);
  if (!reopened.assignee.empty() && reopened.handled_as == Channel::kMessaging) {
    const AgentState* a = state.FindAgent(reopened.assignee);
    const Presence status = a == nullptr ? Presence::kOffline : a->status;
    const auto& reassign = state.config().settings.reassign_on;
    if (std::find(reassign.begin(), reassign.end(), status) != reassign.end()) Assign(change, reopened, "");
  }
}

void ContinueConversation(Change& change, const Command& c, const Conversation& conv) {
  const std::uint64_t conversation = conv.id;
  if (conv.in_bot) {
    ContactSays(change, c, conversation, /*ticket=*/0);
    return change.AskBot({BotTurnKind::kAnswer, conversation, c.text, {}});  // held while a lookup is pending (B5)
  }
  const bool was_inactive = conv.session == Session::kInactive;
  const std::uint64_t ticket = conv.ticket;
  ContactSays(change, c, conversation, ticket);
  HearNotificationReply(change, ticket, c.text);  // B71: "yes" to the offer to be told
  if (was_inactive) change.Emit(About().Conversation(conversation).Ticket(ticket), fb::ConversationActiveT());
  if (const Ticket* t = change.state().FindTicket(ticket)) Reopen(change, *t);
}

}  // namespace

std::optional<Rejection> DecideContactMessage(Change& change, const Command& c) {
  UpdateProfile(change, c);
  const Contact* contact = change.state().FindContact(c.contact);
  const std::uint64_t open = contact == nullptr ? 0 : contact->open(c.channel);
  if (open == 0) {
    StartConversation(change, c);
  } else {
    ContinueConversation(change, c, *change.state().FindConversation(open));
  }
  return std::nullopt;
}

std::optional<Rejection> DecideLookupResult(Change& change, const Command& c) {
  const Conversation* conv = change.state().FindConversation(c.conversation);
  if (conv == nullptr || !conv->AwaitsLookup()) return std::nullopt;  // an answer nobody waits for (B5)
  change.AskBot({BotTurnKind::kLookup, c.conversation, "", LookupAnswer{c.lookup, c.result, c.error}});
  return std::nullopt;
}

void FireInactivity(Change& change, std::uint64_t conversation) {
  const Conversation& c = *change.state().FindConversation(conversation);
  change.Emit(About().Conversation(c.id).Ticket(c.ticket), fb::ConversationInactiveT());
}

}  // namespace switchboard
