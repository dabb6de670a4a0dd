// Audits (B53): the complete, ordered history of one ticket, conversation, contact or agent, read
// from the stream index, with the configuration that was in force while it happened (B46).
//
// A ticket's, conversation's or agent's history is its own stream (an agent's includes what its
// commands caused: events whose `by` names it). A contact's is its stream joined with the streams
// of all its conversations and tickets (agent replies, bot messages, status changes carry no
// `contact`). Each audit also lists the config.applied in force at its first event and every one
// applied up to its last. Memory: the audit's own seqs. Thread-safety: as EventStore reads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/event_store.h"

namespace switchboard {

enum class AuditKind { kTicket, kConversation, kContact, kAgent };

// The seqs of the audit of `id` (a number for tickets and conversations), ascending, no repeats;
// empty when nothing concerns it.
Status AuditSeqs(EventStore& store, AuditKind kind, const std::string& id, std::vector<std::uint64_t>* seqs);

}  // namespace switchboard
