// The SLA decisions (B60-B63): after every change to a ticket, its metrics' clocks are brought to
// what its policy and its state want (applied, paused, resumed, fulfilled, re-targeted, removed),
// and when a clock's due instant comes it is breached, as an event at that instant. Pure, over the
// Change and DeskState; the fold of the sla.* events is the Ticket's (rules/domain/ticket.h).
#pragma once

#include <cstdint>

#include "rules/domain/change.h"

namespace switchboard {

// Brings the ticket's SLA clocks up to date with its policy (the first of sla_policies whose
// conditions hold), its priority and its state, at the change's instant.
void ReconcileSla(Change& change, std::uint64_t ticket);

// Breaches every running clock of the ticket whose due instant has come (the change is at it).
void FireSlaBreaches(Change& change, std::uint64_t ticket);

}  // namespace switchboard
