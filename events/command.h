// Commands: what a front door asks the engine to do, one JSON object per line (PROTOCOL.md).
//
// ParseCommand turns a line into a Command. A line that cannot be understood still yields a Command,
// of kind kInvalid, carrying the sentence and the field at fault, so the engine can record the
// rejection in the log (and the run goes on). Pure functions, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/time.h"
#include "events/vocabulary.h"

namespace switchboard {

enum class CommandKind {
  kInvalid,
  kContactMessage,
  kAgentStatus,
  kAgentAccept,
  kAgentMessage,
  kTicketUpdate,
  kTicketTransfer,
  kSessionEnd,
  kCsatRate,
  kMacroApply,
  kClockAdvance,
  kConfigApply,
  kAgentUpdate,      // a supervisor changes an agent's capacity, groups, languages or skills (B74)
  kVisitorActivity,  // a page view of a contact on the site (B70)
  kLookupResult,     // internal: the answer of an HTTP lookup, made by the engine, never parsed from a line
};

// The PROTOCOL.md name of a kind (`contact.message`, ...).
std::string_view CommandKindName(CommandKind kind);

struct Command {
  CommandKind kind = CommandKind::kInvalid;
  std::string id;               // the idempotency key; empty when the line had none
  std::optional<Timestamp> at;  // absent: the wall clock is used

  std::string contact;
  Channel channel = Channel::kMessaging;
  std::string text;
  std::map<std::string, std::string> profile;  // field -> JSON text of its value

  std::string agent;
  Presence presence = Presence::kOffline;  // agent.status
  std::uint64_t ticket = 0;
  bool is_public = true;
  bool public_given = false;  // agent.message: `public` was in the line (otherwise a default applies)

  // ticket.update: each optional is "not mentioned" when absent.
  std::optional<TicketStatus> status;
  std::optional<Priority> priority;
  std::optional<std::string> group;
  std::optional<std::string> assignee;  // "" means unassign (JSON null)
  std::vector<std::string> tags_add;
  std::vector<std::string> tags_remove;

  std::string to_agent, to_group, note;  // ticket.transfer
  std::string score, comment;            // csat.rate
  std::string macro;                     // macro.apply
  std::string config;                    // config.apply: the document, as JSON text

  // agent.update (B74): `agent` is the one changed, `by` the supervisor; each optional is "not
  // mentioned" when absent. capacity_inactive: 0 removes the cap (JSON null).
  std::string by;
  std::optional<int> capacity_messaging, capacity_email, capacity_inactive;
  std::optional<std::vector<std::string>> groups, languages, skills;

  // visitor.activity (B70): `contact` viewed this page.
  std::string page_url, page_title;

  // kLookupResult: which conversation and lookup, and the answer (a JSON object) or the error.
  std::uint64_t conversation = 0;
  std::string lookup;
  std::string result;

  // kInvalid only: what is wrong, and the field at fault (empty when the whole line is).
  std::string error;
  std::string error_field;
  // kInvalid only, for a line that is not JSON: the "id" found in its text, to name in the
  // rejection. It is not an idempotency key (the line was never a command), so a corrected line
  // with the same id is applied.
  std::string recovered_id;

  // Where the line came from: its number in the input of `switchboard run` (0: not known).
  std::uint64_t line = 0;
};

// A line that is not JSON is refused with the parser's position ("at byte 17: ..."); a line nested
// deeper than kMaxJsonDepth (events/json_depth.h) is refused before anything recursive touches it.
Command ParseCommand(std::string_view line);

}  // namespace switchboard
