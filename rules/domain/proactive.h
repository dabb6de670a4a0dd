// Proactive messages (B70, seed 001): a visitor's page views (visitor.activity) are recorded, and the
// first proactive rule whose conditions hold messages the visitor (proactive.message_sent), at once
// or at the instant a time condition comes to hold (time_on_page_s: a timer, never a wall-clock
// callback). A visitor already in a conversation is messaged by no rule; a page view older than the
// visit gap (rules/domain/contact.h) no longer counts. The reply starts a conversation that names
// the rule (rules/domain/conversation_decide.cpp). Pure, over the Change and DeskState.
#pragma once

#include <string>

#include "rules/domain/change.h"

namespace switchboard {

// When a rule may next come to hold for the visitor (`now` if one holds now), 0 when none can
// without a new page view.
Timestamp ProactiveDue(const DeskState& state, const Contact& contact, Timestamp now);

// The first rule that holds messages the visitor (the change is at the instant to look).
void FireProactive(Change& change, const std::string& contact);

}  // namespace switchboard
