#include "rules/domain/ticket_rules.h"

#include <algorithm>

namespace switchboard {

std::optional<Rejection> CheckStatusTransition(const Ticket& t, TicketStatus to) {
  using S = TicketStatus;
  const S from = t.status;
  bool allowed = false;
  if (to == S::kNew) {
    allowed = false;
  } else if (from == S::kNew || from == S::kOpen || from == S::kPending || from == S::kOnHold) {
    allowed = to != S::kClosed;
  } else if (from == S::kSolved) {
    allowed = to == S::kOpen || to == S::kClosed;
  }
  if (allowed) return std::nullopt;
  std::string why = to == S::kNew        ? "a ticket never returns to new"
                    : from == S::kClosed ? "a closed ticket never changes"
                    : from == S::kSolved ? "a solved ticket can only be reopened or closed"
                                         : "only a solved ticket can be closed";
  return Rejection{"ticket " + std::to_string(t.id) + " cannot go from " + std::string(Name(from)) + " to " +
                       std::string(Name(to)) + ": " + why,
                   "status"};
}

std::optional<Rejection> CheckMayAct(const Configuration& config, const std::string& agent, const Ticket& t) {
  const AgentConfig* a = config.FindAgent(agent);
  if (a == nullptr) return Rejection{"unknown agent \"" + agent + "\"", "agent"};
  if (a->supervisor || t.assignee == agent) return std::nullopt;
  const std::string rule = " (rule: an agent acts only on tickets assigned to it or queued in one of its groups)";
  if (!t.assignee.empty()) {
    return Rejection{"agent \"" + agent + "\" may not act on ticket " + std::to_string(t.id) +
                         ": it is assigned to \"" + t.assignee + "\"" + rule,
                     "agent"};
  }
  if (std::find(a->groups.begin(), a->groups.end(), t.group) != a->groups.end()) return std::nullopt;
  return Rejection{"agent \"" + agent + "\" may not act on ticket " + std::to_string(t.id) +
                       ": it is queued in group \"" + t.group + "\", which the agent is not in" + rule,
                   "agent"};
}

std::optional<Rejection> CheckNotClosed(const Ticket& t) {
  if (t.status != TicketStatus::kClosed) return std::nullopt;
  return Rejection{"ticket " + std::to_string(t.id) + " is closed: a closed ticket never changes", "ticket"};
}

}  // namespace switchboard
