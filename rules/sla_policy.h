// SLA policies (B60, B61): the `sla_policies` of a configuration, ordered; the first whose
// conditions hold applies to a ticket, with a target per metric and priority, counted in calendar
// time or in the business hours of the ticket's group. Values, thread-safe once built.
//
// {"id": "standard", "conditions": {"all": [...], "any": [...]},
//  "targets": [{"metric": "first_reply", "priority": "normal", "target_minutes": 60,
//               "business_hours": false}]}
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/vocabulary.h"
#include "rules/condition.h"
#include "switchboard/status.h"

namespace switchboard {

// The six metrics of Zendesk's SLA policies (PROTOCOL.md names them).
enum class SlaMetric : std::uint8_t {
  kFirstReply,      // creation to the first public agent reply
  kNextReply,       // the oldest unanswered contact message to the next public agent reply
  kPeriodicUpdate,  // a public agent reply to the next one, while the ticket is not solved
  kRequesterWait,   // time in new, open or on-hold (paused while pending), until solved
  kAgentWork,       // time in new or open (paused while pending or on-hold), until solved
  kResolution,      // creation to solved
};
constexpr int kSlaMetricCount = 6;

std::string_view Name(SlaMetric m);
std::optional<SlaMetric> ParseSlaMetric(std::string_view name);

struct SlaTarget {
  SlaMetric metric = SlaMetric::kFirstReply;
  Priority priority = Priority::kNormal;
  std::int64_t target_ms = 0;
  bool business_hours = false;
};

struct SlaPolicy {
  std::string id;
  Conditions conditions;
  std::vector<SlaTarget> targets;

  // The target for this metric at this priority, if the policy has one.
  const SlaTarget* Find(SlaMetric metric, Priority priority) const;
};

// Compiles `sla_policies` of `doc` (absent: none); a refusal names the path at fault.
Status ParseSlaPolicies(const nlohmann::json& doc, std::vector<SlaPolicy>* out);

}  // namespace switchboard
