// Placeholders in texts sent by macros, triggers and the bot: {{contact.NAME}}, {{ticket.id}},
// {{agent.id}}. An unknown or empty placeholder becomes an empty string, never the raw braces.
// Pure, thread-safe.
#pragma once

#include <string>

#include "projections/desk_state.h"

namespace switchboard {

// `agent` may be empty (a rule acting on an unassigned ticket).
std::string FillPlaceholders(const std::string& text, const DeskState& state, const Ticket& ticket,
                             const std::string& agent);

}  // namespace switchboard
