// The ticket rules that do not depend on configuration beyond the agents: status transitions and who
// may act on a ticket. Each answers with nullopt (allowed) or the sentence that refuses.
// Pure functions, thread-safe.
#pragma once

#include <optional>
#include <string>

#include "rules/config.h"
#include "rules/domain/ticket.h"

namespace switchboard {

struct Rejection {
  std::string error;
  std::string field;  // empty when no single field is at fault
};

// new -> open, pending, on-hold, solved; open/pending/on-hold -> each other and solved;
// solved -> open, closed; closed -> nothing, ever. Nothing returns to new.
std::optional<Rejection> CheckStatusTransition(const Ticket& t, TicketStatus to);

// An agent acts only on tickets assigned to it or unassigned in one of its groups; a supervisor acts
// on any. `agent` must name a configured agent.
std::optional<Rejection> CheckMayAct(const Configuration& config, const std::string& agent, const Ticket& t);

// A closed ticket never changes again (B23).
std::optional<Rejection> CheckNotClosed(const Ticket& t);

}  // namespace switchboard
