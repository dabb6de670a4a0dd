// Views (B50): which tickets each configured view holds, in its sort order, kept incrementally.
//
// A ticket's membership is evaluated again only when the ticket changes (DeskState::Apply calls
// ViewKeysOf for the ticket an event touched), never by scanning tickets. A member is one record
// key, "v" + view id + NUL + sort key + big-endian ticket number, so a prefix scan lists the view
// in its order; the view's definition is "V" + view id. Time-based conditions (hours_since_...)
// are evaluated as of the ticket's last event. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules/bot_config.h"

namespace switchboard {

class DeskState;
struct Ticket;

std::string ViewDefinitionKey(const std::string& view);
std::string ViewDefinitionJson(const ViewConfig& view);
std::string ViewPrefix(const std::string& view);
// The view a member key belongs to, and the ticket it names.
std::string ViewOfKey(const std::string& key);
std::uint64_t TicketOfViewKey(const std::string& key);

// The member keys `t` has now, one per view whose conditions hold for it at `now`, in view order.
std::vector<std::string> ViewKeysOf(const DeskState& state, const Ticket& t, std::int64_t now);

}  // namespace switchboard
