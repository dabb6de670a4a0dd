// Placeholders filled in every text a contact or an agent reads: the greeting, bot questions and
// messages, the hand-off message, trigger and automation messages and notes, notifications and
// macros. The names are those of rules/text_template.h, checked when a configuration is applied:
// {{contact.NAME}}, {{var.NAME}}, {{ticket.id}}, {{agent.id}}, {{agent.name}}, {{wait}},
// {{position}}, {{hours.GROUP}}. A placeholder whose value is not known (no such contact field, no
// ticket yet) renders as an empty string, never as the raw braces. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "rules/domain/desk_state.h"

namespace switchboard {

// "about 4 minutes", "less than a minute", or "not known yet" when there is no estimate.
std::string DescribeWait(std::optional<Timestamp> wait);

// What a text is filled from; each pointer may be null (no ticket yet, no contact record).
struct TextContext {
  const Configuration* config = nullptr;
  const Conversation* conversation = nullptr;
  const Contact* contact = nullptr;
  const Ticket* ticket = nullptr;
  std::string agent;              // the agent it speaks for; empty for the bot, or a rule on an unassigned ticket
  std::optional<Timestamp> wait;  // {{wait}}: the estimate for the ticket's group, or the channel's
  std::uint64_t position = 0;     // {{position}}: the ticket's place in its queue, 0 when it does not wait
};

std::string FillPlaceholders(const std::string& text, const TextContext& context);

// What a text is about, for a text filled from the desk's state: its conversation (0 when only the
// ticket is known: it names its own), its ticket (0 during the bot phase), the agent it speaks for.
struct TextSubject {
  std::uint64_t conversation = 0;
  std::uint64_t ticket = 0;
  std::string agent;
};

std::string FillPlaceholders(const std::string& text, const DeskState& state, const TextSubject& about);

}  // namespace switchboard
