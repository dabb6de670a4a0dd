#include "storage/audit.h"

#include <algorithm>
#include <set>

#include "events/codec.h"

namespace switchboard {
namespace {

Status Collect(EventStore& store, const std::string& prefix, std::set<std::uint64_t>* seqs) {
  return store.ScanStream(prefix, [&](std::uint64_t seq) {
    seqs->insert(seq);
    return true;
  });
}

// A contact's conversations and tickets, read from the events of its own stream that start them.
Status ContactParts(EventStore& store, const std::set<std::uint64_t>& own, std::set<std::uint64_t>* conversations,
                    std::set<std::uint64_t>* tickets) {
  std::string buffer;
  for (std::uint64_t seq : own) {
    Status s = store.ReadEvent(seq, &buffer);
    if (!s.ok()) return s;
    const fb::Event* e = VerifyEvent(buffer);
    if (e == nullptr) return Status::Corruption("event " + std::to_string(seq) + " in the log is not a valid event");
    if (e->payload_type() == fb::Payload::ConversationStarted) conversations->insert(e->conversation());
    if (e->payload_type() == fb::Payload::TicketCreated) tickets->insert(e->ticket());
  }
  return Status::OK();
}

// The configurations in force during [first, last]: the last applied before `first`, and all up to `last`.
Status ConfigurationsInForce(EventStore& store, std::uint64_t first, std::uint64_t last,
                             std::set<std::uint64_t>* seqs) {
  std::uint64_t in_force = 0;
  Status s = store.ScanStream(StreamPrefix(StreamKind::kConfig, 0), [&](std::uint64_t seq) {
    if (seq > last) return false;
    if (seq < first) {
      in_force = seq;
    } else {
      seqs->insert(seq);
    }
    return true;
  });
  if (in_force != 0) seqs->insert(in_force);
  return s;
}

}  // namespace

Status AuditSeqs(EventStore& store, AuditKind kind, const std::string& id, std::vector<std::uint64_t>* out) {
  std::set<std::uint64_t> seqs;
  Status s;
  if (kind == AuditKind::kTicket || kind == AuditKind::kConversation) {
    std::uint64_t n = 0;
    try {
      n = std::stoull(id);
    } catch (...) {
      return Status::InvalidArgument(std::string("a ") + (kind == AuditKind::kTicket ? "ticket" : "conversation") +
                                     " is named by its number; got \"" + id + "\"");
    }
    s = Collect(store, StreamPrefix(kind == AuditKind::kTicket ? StreamKind::kTicket : StreamKind::kConversation, n),
                &seqs);
  } else if (kind == AuditKind::kAgent) {
    s = Collect(store, StreamPrefix(StreamKind::kAgent, id), &seqs);
  } else {
    s = Collect(store, StreamPrefix(StreamKind::kContact, id), &seqs);
    std::set<std::uint64_t> conversations, tickets;
    if (s.ok()) s = ContactParts(store, seqs, &conversations, &tickets);
    for (std::uint64_t c : conversations) {
      if (s.ok()) s = Collect(store, StreamPrefix(StreamKind::kConversation, c), &seqs);
    }
    for (std::uint64_t t : tickets) {
      if (s.ok()) s = Collect(store, StreamPrefix(StreamKind::kTicket, t), &seqs);
    }
  }
  if (s.ok() && !seqs.empty()) s = ConfigurationsInForce(store, *seqs.begin(), *seqs.rbegin(), &seqs);
  if (!s.ok()) return s;
  out->assign(seqs.begin(), seqs.end());
  return Status::OK();
}

}  // namespace switchboard
