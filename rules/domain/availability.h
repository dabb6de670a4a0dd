// Availability (B71, seed 000: "Options de notification qui permettent de contacter le client quand un
// agent est disponible"): when a hand-off finds no agent on duty for its group (the group is closed,
// or none of its members is online), the contact is told so, with the group's next opening, and
// offered a message once an agent is free (contact.notification_offered); a reply of yes accepts
// (contact.notification_requested); the first time an agent is then assigned or offered the ticket,
// the contact is told, once (contact.notified_available). Pure, over the Change and DeskState.
#pragma once

#include <cstdint>
#include <string>

#include "rules/domain/change.h"

namespace switchboard {

// After the hand-off message of a ticket that no agent on duty can take: the away message (step
// "away") and the offer. False (nothing emitted) when an agent is on duty or has the ticket.
bool SayAway(Change& change, std::uint64_t conversation);

// A contact's message on a ticket that was offered the notification: a yes accepts it.
void HearNotificationReply(Change& change, std::uint64_t ticket, const std::string& text);

// After routing: a ticket whose contact asked to be told, now with an agent, tells them.
void NotifyIfAvailable(Change& change, std::uint64_t ticket);

}  // namespace switchboard
