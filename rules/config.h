// Configuration: groups, agents, settings and routing, parsed and validated from one JSON document.
//
// ParseConfiguration refuses a document with the JSON path at fault and a sentence
// (`agents[0].groups[1]: unknown group "sales"`), and then leaves `out` untouched, so the
// configuration in force stays as it was. Sections owned by later stages (bot, triggers, views, ...)
// are kept in `document` for them. Pure, thread-safe.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "events/vocabulary.h"
#include "rules/api_tokens.h"
#include "rules/bot_config.h"
#include "rules/business_hours.h"
#include "rules/proactive_config.h"
#include "rules/rule_set.h"
#include "rules/sla_policy.h"
#include "switchboard/status.h"

namespace switchboard {

struct Settings {
  int inactivity_minutes = 10;
  // Solved tickets close this many hours after they were solved, whatever the automations (B23);
  // 0: never by this setting (an automation may still close them).
  int close_solved_after_hours = 96;
  std::vector<TicketStatus> release_capacity_on{TicketStatus::kPending, TicketStatus::kOnHold, TicketStatus::kSolved};
  std::vector<Presence> reassign_on{Presence::kAway, Presence::kOffline};
  int offer_timeout_s = 60;
  int max_trigger_cycles = 10;
};

struct GroupConfig {
  std::string id;
  std::optional<BusinessHours> hours;  // none: always open
};

struct AgentConfig {
  std::string id;
  std::string name;  // what contacts see ({{agent.name}}); empty: the id
  std::vector<std::string> groups;
  std::vector<std::string> languages;
  std::vector<std::string> skills;
  int capacity_messaging = 3;
  int capacity_email = 10;
  // capacity.inactive (seed 002): how many inactive conversations the agent may hold (they hold no
  // messaging capacity) before it gets no new work; 0: no cap.
  int capacity_inactive = 0;
  bool supervisor = false;  // role "supervisor"
};

// One of `routing.rules` (B10): when its conditions hold at hand-off, the ticket goes to its group.
// With "groups" instead of "group" it is shift routing: the first listed group whose business hours
// cover now; when none does, the rule places nothing and the next one is tried.
struct RoutingRule {
  std::string id;
  Conditions when;  // over the conversation: channel, language, returning, contact.*, var.*, the clock (in the
                    // zone of the first named group with hours, unless a condition says "tz")
  std::vector<std::string> groups;
  bool shift = false;                // "groups": only a group on duty takes the ticket, even a list of one
  std::optional<Priority> priority;  // none: leave the ticket's priority as it is
  std::string language;              // the agent must speak it; empty: any
  std::vector<std::string> skills;   // the agent must have all of them
};

struct Configuration {
  Settings settings;
  std::vector<GroupConfig> groups;
  std::vector<AgentConfig> agents;
  RoutingStyle routing_style = RoutingStyle::kOmnichannel;
  std::vector<RoutingRule> routing_rules;
  std::string fallback;  // the fallback group
  RuleSet rules;         // triggers, automations, macros
  BotConfig bot;         // the bot flow, lookups, articles
  std::vector<ViewConfig> views;
  std::vector<SlaPolicy> sla_policies;   // ordered: the first whose conditions hold applies (B60)
  std::vector<ProactiveRule> proactive;  // ordered: the first that holds messages the visitor (B70)
  std::vector<ApiToken> tokens;          // empty: `serve` answers without authentication (loopback only)
  std::string document;                  // the whole document, canonical JSON text (tokens as their digests)
  std::string digest;                    // FNV-1a 64 of `document`, 16 hex digits

  const AgentConfig* FindAgent(std::string_view id) const;
  bool HasGroup(std::string_view id) const;
  const GroupConfig* FindGroup(std::string_view id) const;
  // The agents of a group, in configuration order (indexes into `agents`); empty for an unknown group.
  const std::vector<std::size_t>& Members(std::string_view group) const;
  // Whether the group's business hours cover `t` (a group without hours is always open; an unknown
  // one never is).
  bool GroupOpen(std::string_view id, Timestamp t) const;

  // Built by ParseConfiguration: lookups by id without scanning (routing asks them per decision).
  std::unordered_map<std::string, std::size_t> agent_index;
  std::unordered_map<std::string, std::size_t> group_index;
  std::vector<std::vector<std::size_t>> members;  // by group index
};

Status ParseConfiguration(std::string_view text, Configuration* out);

// What is in force before any configuration is applied: one group, "support", which is the fallback.
const Configuration& DefaultConfiguration();

}  // namespace switchboard
