// Records: the query documents of PROTOCOL.md (`query ticket N`, `agent ID`, `contact ID`), rendered
// from DeskState, with the keys under which storage keeps them.
//
// Keys: "t" + big-endian ticket number, "a" + agent id, "c" + contact id: byte order is the order a
// listing wants. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "projections/desk_state.h"

namespace switchboard {

struct Record {
  std::string key;
  std::string json;
};

std::string TicketKey(std::uint64_t id);
std::string AgentKey(const std::string& id);
std::string ContactKey(const std::string& id);

std::string TicketJson(const DeskState& state, const Ticket& t);
std::string AgentJson(const DeskState& state, const AgentState& a);
std::string ContactJson(const Contact& c);

// The records that changed since state.ClearDirty(), in key order.
std::vector<Record> DirtyRecords(const DeskState& state);

// Every record, in key order: what a replay writes and what `--verify` compares.
std::vector<Record> AllRecords(const DeskState& state);

}  // namespace switchboard
