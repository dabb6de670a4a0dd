#include "storage/restore.h"

#include <algorithm>
#include <map>
#include <vector>

#include "events/codec.h"
#include "storage/keys.h"

namespace switchboard {
namespace {

// The events of one stream before `before_seq`, decoded, in log order.
Status ReadStream(EventStore& store, const std::string& prefix, std::uint64_t before_seq, std::vector<Event>* out) {
  std::vector<std::uint64_t> seqs;
  Status s = store.ScanStream(prefix, [&](std::uint64_t seq) {
    if (seq >= before_seq) return false;
    seqs.push_back(seq);
    return true;
  });
  if (!s.ok()) return s;
  std::string buffer;
  out->reserve(out->size() + seqs.size());
  for (std::uint64_t seq : seqs) {
    s = store.ReadEvent(seq, &buffer);
    if (!s.ok()) return s;
    Event e;
    if (!DecodeEvent(buffer, &e).ok() || e.seq != seq) {
      return Status::Corruption("event " + std::to_string(seq) + " in the log is not a valid event");
    }
    out->push_back(std::move(e));
  }
  return Status::OK();
}

bool SavedToContact(const Event& e) {
  return e.payload.type == fb::Payload::BotAnswerSaved && e.payload.AsBotAnswerSaved()->key.rfind("contact.", 0) == 0;
}

// A conversation from its own stream; `has_bot`: whether it began with the bot.
Status FoldConversation(const std::vector<Event>& events, const DeskState& state, Conversation* c) {
  for (const Event& e : events) {
    const bool has_bot = e.payload.type == fb::Payload::ConversationStarted && state.BotAt(e.seq);
    Status s = c->Apply(e, has_bot);
    if (!s.ok()) return s;
  }
  c->Finish();  // it left because it was finished (DeskState::Evict)
  return Status::OK();
}

}  // namespace

Status StoreRestorer::RestoreContact(DeskState& state, const std::string& id, std::uint64_t before_seq) {
  std::vector<Event> events;
  Status s = ReadStream(*store_, StreamPrefix(StreamKind::kContact, id), before_seq, &events);
  if (!s.ok() || events.empty()) return s;
  std::vector<std::uint64_t> conversations;
  for (const Event& e : events) {
    if (e.payload.type == fb::Payload::ConversationStarted) conversations.push_back(e.conversation);
  }
  for (std::uint64_t c : conversations) {
    std::vector<Event> of_conversation;
    s = ReadStream(*store_, StreamPrefix(StreamKind::kConversation, c), before_seq, &of_conversation);
    if (!s.ok()) return s;
    for (Event& e : of_conversation) {
      if (SavedToContact(e) && e.contact.empty()) events.push_back(std::move(e));
    }
  }
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.seq < b.seq; });
  Contact contact;
  contact.id = id;
  for (const Event& e : events) {
    if (e.payload.type == fb::Payload::BotAnswerSaved && !SavedToContact(e)) continue;  // a var.* answer
    s = contact.Apply(e);
    if (!s.ok()) return s;
    contact.last_seq = e.seq;
  }
  // It left with every conversation finished: no channel has one to continue.
  contact.open_messaging = contact.open_email = 0;
  contact.live_conversations = 0;
  state.Admit(std::move(contact));
  ++restored_;
  return Status::OK();
}

Status StoreRestorer::RestoreTicket(DeskState& state, std::uint64_t id, std::uint64_t before_seq) {
  std::vector<Event> events;
  Status s = ReadStream(*store_, StreamPrefix(StreamKind::kTicket, id), before_seq, &events);
  if (!s.ok()) return s;
  if (events.empty())
    return Status::Corruption("ticket " + std::to_string(id) + " left memory but the log has none of it");
  Ticket ticket;
  for (const Event& e : events) {
    s = ticket.Apply(e);
    if (!s.ok()) return s;
  }
  std::optional<Conversation> conversation;
  if (state.FindConversation(ticket.conversation) == nullptr) {
    std::vector<Event> of_conversation;
    s = ReadStream(*store_, StreamPrefix(StreamKind::kConversation, ticket.conversation), before_seq, &of_conversation);
    if (!s.ok()) return s;
    conversation.emplace();
    s = FoldConversation(of_conversation, state, &*conversation);
    if (!s.ok()) return s;
  }
  if (state.FindContact(ticket.contact) == nullptr) {
    s = RestoreContact(state, ticket.contact, before_seq);  // conditions and placeholders read it
    if (!s.ok()) return s;
  }
  if (read_ != nullptr) read_->Admit(id, ReadModel::ExtrasOf(events));
  state.Admit(std::move(ticket), std::move(conversation));
  ++restored_;
  return Status::OK();
}

Status RestoreBotSession(EventStore& store, std::uint64_t conversation, std::uint64_t before_seq, BotSession* session) {
  std::vector<Event> events;
  Status s = ReadStream(store, StreamPrefix(StreamKind::kConversation, conversation), before_seq, &events);
  for (const Event& e : events) {
    if (!s.ok()) break;
    s = session->Hear(e, /*has_bot=*/true);
  }
  return s;
}

}  // namespace switchboard
