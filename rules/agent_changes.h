// Agent changes (B74, seed 001: "aller chercher un agent travaillant dans un autre canal et lui
// demander de commencer à servir les clients via le chat"): what supervisors changed of an agent's
// floor settings with agent.update (capacity, groups, languages, skills), laid over the
// configuration document, so that routing reads one Configuration whatever changed it.
//
// The changes outlive a new configuration document: a supervisor's move of the day stays while an
// admin edits a trigger (docs/DECISIONS.md). Pure values and functions, thread-safe.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rules/config.h"
#include "switchboard/status.h"

namespace switchboard {

struct AgentChanges {
  std::optional<int> capacity_messaging, capacity_email;
  std::optional<int> capacity_inactive;  // 0: no cap
  std::optional<std::vector<std::string>> groups, languages, skills;

  bool empty() const;
  // Each field `later` gives replaces this one's.
  void Merge(const AgentChanges& later);
};

// The fields of `changes` that differ from `agent` as it is now (what an agent.updated records).
AgentChanges Differences(const AgentConfig& agent, const AgentChanges& changes);

// The `changes` object of agent.updated: {"capacity": {...}, "groups": [...], ...}, only the fields
// given, in that order (canonical: the same changes give the same bytes).
std::string AgentChangesJson(const AgentChanges& changes);
// The inverse; Corruption for a document this build cannot read.
Status ParseAgentChanges(std::string_view json, AgentChanges* out);

// `document` with each agent's changes applied (an agent no longer in it is skipped, and so is a
// group it no longer has), its group memberships rebuilt. `document` itself when nothing applies.
std::shared_ptr<const Configuration> WithAgentChanges(const std::shared_ptr<const Configuration>& document,
                                                      const std::map<std::string, AgentChanges>& changes);

}  // namespace switchboard
