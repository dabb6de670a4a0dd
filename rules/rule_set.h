// RuleSet: the triggers, automations and macros of a configuration, compiled (B40-B46).
//
// Actions are data (`{"field": "status", "value": "pending"}`) resolved once into an ActionKind, so
// running a rule never compares field names. ParseRuleSet refuses a document with the JSON path at
// fault ("triggers[1].actions[0].value: unknown group \"sales\""). Values, thread-safe once built.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "events/vocabulary.h"
#include "rules/condition.h"
#include "switchboard/status.h"

namespace switchboard {

enum class ActionKind {
  kStatus,          // value: a status
  kGroup,           // value: a group id
  kAssignee,        // value: an agent id, or null to unassign
  kPriority,        // value: low, normal, high, urgent
  kTagsAdd,         // value: a tag or a list of tags
  kTagsRemove,      // value: a tag or a list of tags
  kCsat,            // value: "send" (the survey, at most once per ticket)
  kMessageContact,  // value: text, a public message to the contact
  kInternalNote,    // value: text, an internal note on the ticket
  kNotify,          // value: {"to": "agent:ID" | "group:ID" | "supervisors" | "assignee", "text": ...}
};

struct Action {
  ActionKind kind = ActionKind::kStatus;
  std::string text;                           // group, assignee ("" = unassign), message, note
  TicketStatus status = TicketStatus::kOpen;  // kStatus
  Priority priority = Priority::kNormal;      // kPriority
  std::vector<std::string> tags;              // tags_add / tags_remove
  std::string to;                             // notify: the recipient
};

struct Trigger {
  std::string id;
  bool messaging = false;  // kind "messaging": runs only while the session is live (B34)
  Conditions conditions;
  std::vector<Action> actions;
};

struct Automation {
  std::string id;
  Conditions conditions;
  std::vector<Action> actions;
};

struct Macro {
  std::string id;
  std::string text;  // sent to the contact with placeholders filled; may be empty
  std::vector<Action> actions;
};

struct RuleSet {
  std::vector<Trigger> triggers;
  std::vector<Automation> automations;
  std::vector<Macro> macros;

  const Macro* FindMacro(const std::string& id) const;
};

// What ParseRuleSet checks references against.
struct RuleReferences {
  std::vector<std::string> groups;
  std::vector<std::string> agents;
};

// Compiles the "triggers", "automations" and "macros" sections of `doc` (absent sections are empty).
Status ParseRuleSet(const nlohmann::json& doc, const RuleReferences& refs, RuleSet* out);

}  // namespace switchboard
