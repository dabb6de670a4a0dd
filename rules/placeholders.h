// Placeholders in texts sent by macros, triggers and the bot: {{contact.NAME}}, {{ticket.id}},
// {{agent.id}}, {{hours.GROUP}} (a group's business hours), {{wait}} (the estimated wait for the ticket's group and
// channel, or for its channel when it has no group yet: "about 4 minutes", "less than a minute", "not known yet"). An
// unknown or empty placeholder becomes an empty string, never the raw braces. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>

#include "projections/desk_state.h"

namespace switchboard {

// "about 4 minutes", "less than a minute", or "not known yet" when there is no estimate.
std::string DescribeWait(std::optional<Timestamp> wait);

// `agent` may be empty (a rule acting on an unassigned ticket).
std::string FillPlaceholders(const std::string& text, const DeskState& state, const Ticket& ticket,
                             const std::string& agent);

}  // namespace switchboard
