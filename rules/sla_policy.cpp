#include "rules/sla_policy.h"

#include <nlohmann/json.hpp>

#include <array>
#include <set>

#include "rules/json_path.h"

namespace switchboard {
namespace {

using nlohmann::json;
using namespace json_path;

constexpr std::array<std::string_view, kSlaMetricCount> kMetricNames{"first_reply",    "next_reply", "periodic_update",
                                                                     "requester_wait", "agent_work", "resolution"};

SlaPolicy ParsePolicy(const json& p, const std::string& path, std::set<std::string>* ids) {
  ExpectKeys(p, path, {"id", "conditions", "targets"});
  SlaPolicy policy;
  if (!p.contains("id") || !p["id"].is_string() || p["id"].get<std::string>().empty()) {
    Fail(path + ".id", "expected the policy's id, a string");
  }
  policy.id = p["id"];
  if (!ids->insert(policy.id).second) Fail(path + ".id", "a second policy \"" + policy.id + "\"");
  if (p.contains("conditions")) {
    if (Status s = ParseConditions(p["conditions"], path + ".conditions", &policy.conditions); !s.ok()) Rethrow(s);
  }
  if (!p.contains("targets") || !p["targets"].is_array() || p["targets"].empty()) {
    Fail(path + ".targets", "expected a list of targets, not empty");
  }
  const json& targets = p["targets"];
  for (std::size_t i = 0; i < targets.size(); ++i) {
    const std::string tp = path + ".targets[" + std::to_string(i) + "]";
    const json& t = targets[i];
    ExpectKeys(t, tp, {"metric", "priority", "target_minutes", "business_hours"});
    SlaTarget target;
    std::optional<SlaMetric> metric =
        t.contains("metric") && t["metric"].is_string() ? ParseSlaMetric(t["metric"].get<std::string>()) : std::nullopt;
    if (!metric) {
      Fail(tp + ".metric",
           "expected first_reply, next_reply, periodic_update, requester_wait, agent_work or resolution");
    }
    target.metric = *metric;
    std::optional<Priority> priority = t.contains("priority") && t["priority"].is_string()
                                           ? ParsePriority(t["priority"].get<std::string>())
                                           : std::nullopt;
    if (!priority) Fail(tp + ".priority", "expected low, normal, high or urgent");
    target.priority = *priority;
    const json& minutes = t.contains("target_minutes") ? t["target_minutes"] : json();
    if (!minutes.is_number_integer() || minutes.get<long long>() < 1 || minutes.get<long long>() > 5'256'000) {
      Fail(tp + ".target_minutes", "expected a whole number of minutes from 1 to 5256000 (ten years)");
    }
    target.target_ms = minutes.get<long long>() * 60'000;
    if (t.contains("business_hours")) {
      if (!t["business_hours"].is_boolean()) Fail(tp + ".business_hours", "expected true or false");
      target.business_hours = t["business_hours"];
    }
    if (policy.Find(target.metric, target.priority) != nullptr) {
      Fail(tp, "a second target for " + std::string(Name(target.metric)) + " at priority " +
                   std::string(Name(target.priority)));
    }
    policy.targets.push_back(target);
  }
  return policy;
}

}  // namespace

std::string_view Name(SlaMetric m) { return kMetricNames[static_cast<int>(m)]; }

std::optional<SlaMetric> ParseSlaMetric(std::string_view name) {
  for (int i = 0; i < kSlaMetricCount; ++i) {
    if (kMetricNames[i] == name) return static_cast<SlaMetric>(i);
  }
  return std::nullopt;
}

const SlaTarget* SlaPolicy::Find(SlaMetric metric, Priority priority) const {
  for (const SlaTarget& t : targets) {
    if (t.metric == metric && t.priority == priority) return &t;
  }
  return nullptr;
}

Status ParseSlaPolicies(const json& doc, std::vector<SlaPolicy>* out) {
  std::vector<SlaPolicy> policies;
  try {
    if (doc.contains("sla_policies")) {
      const json& list = doc["sla_policies"];
      if (!list.is_array()) Fail("sla_policies", std::string("expected a list; got ") + TypeName(list));
      std::set<std::string> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        policies.push_back(ParsePolicy(list[i], "sla_policies[" + std::to_string(i) + "]", &ids));
      }
    }
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(policies);
  return Status::OK();
}

}  // namespace switchboard
