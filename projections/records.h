// Records: the query documents of PROTOCOL.md (`query ticket N`, `agent ID`, `contact ID`), rendered
// from DeskState and the ReadModel beside it, with the keys under which storage keeps them.
//
// Keys: "t" + big-endian ticket number, "a" + agent id, "c" + contact id, "P" + big-endian time +
// big-endian seq an agent's presence change (the staffing projection, B73), and the index of an
// agent's tickets, "A" + agent id + NUL + big-endian ticket (empty value), kept one entry at a time so
// that a change costs the same whether the agent has 3 tickets or 300. Byte order is the order a
// listing wants. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "projections/read_model.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

struct Record {
  std::string key;
  std::string json;
  bool erase = false;  // remove the key instead of writing it
};

std::string TicketKey(std::uint64_t id);
std::string AgentKey(const std::string& id);
std::string ContactKey(const std::string& id);
std::string AgentTicketsPrefix(const std::string& agent);
// "n" + agent + NUL + big-endian seq: one item of the agent's notification list.
std::string FeedPrefix(const std::string& agent);
std::string FeedKey(const std::string& agent, std::uint64_t seq);
std::string AgentTicketKey(const std::string& agent, std::uint64_t ticket);
// "P" + big-endian at + big-endian seq: one agent presence change (B73), in time order.
constexpr char kPresencePrefix[] = "P";
std::string PresenceKey(Timestamp at, std::uint64_t seq);
std::string PresenceJson(const PresenceChange& p);             // {agent, from, to, at, seq}
std::uint64_t TicketOfAgentTicketKey(const std::string& key);  // the ticket number at its end

std::string TicketJson(const DeskState& state, const ReadModel& read, const Ticket& t);
std::string AgentJson(const DeskState& state, const AgentState& a);  // without `tickets`
std::string ContactJson(const Contact& c);

// The `query agent` document: the stored agent record with its `tickets` list added.
std::string AgentQueryJson(const std::string& stored, const std::vector<std::uint64_t>& tickets);

// The records that changed since read.ClearDirty(), grouped by projection (a batch orders nothing).
// With `projections` (a bit per ProjectionId), only theirs: a rebuild renders only what it rebuilds.
std::vector<Record> DirtyRecords(const DeskState& state, const ReadModel& read, unsigned projections = ~0u);

// Every record, in key order: what a replay writes and what `--verify` compares.
std::vector<Record> AllRecords(const DeskState& state, const ReadModel& read);

}  // namespace switchboard
