#include "rules/domain/ticket.h"

#include <nlohmann/json.hpp>

#include "events/value.h"

namespace switchboard {
namespace {

Status Unknown(const Event& e, const char* what) {
  return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown " + what);
}

}  // namespace

Status Ticket::Apply(const Event& e) {
  if (e.payload.type != fb::Payload::CommandRejected) updated_at = e.at;
  switch (e.payload.type) {
    case fb::Payload::TicketCreated: {
      std::optional<Channel> parsed = ParseChannel(e.payload.AsTicketCreated()->channel);
      if (!parsed) return Unknown(e, "channel");
      id = e.ticket;
      conversation = e.conversation;
      contact = e.contact;
      channel = handled_as = *parsed;
      proactive_rule = e.payload.AsTicketCreated()->proactive_rule;
      created_at = status_changed_at = e.at;
      break;
    }
    case fb::Payload::TicketRouted:
      group = e.payload.AsTicketRouted()->group;
      break;
    case fb::Payload::TicketTransferred: {
      const auto* p = e.payload.AsTicketTransferred();
      if (!p->to_group.empty()) group = p->to_group;
      break;
    }
    case fb::Payload::TicketStatusChanged: {
      const auto* p = e.payload.AsTicketStatusChanged();
      std::optional<TicketStatus> to = ParseTicketStatus(p->to);
      if (!to) return Unknown(e, "status");
      status = *to;
      status_changed_at = e.at;
      if (status == TicketStatus::kSolved) {
        solved_at = e.at;
        solved_by = assignee;
        solved_automatically = p->via == "trigger" || p->via == "automation";
      }
      break;
    }
    case fb::Payload::TicketUpdated:
      for (const auto& change : e.payload.AsTicketUpdated()->changes) {
        const nlohmann::json after = AfterOf(*change);  // typed, or an old event's text
        if (change->field == "group" && after.is_string()) group = after.get<std::string>();
        if (change->field == "priority" && after.is_string()) {
          std::optional<Priority> p = ParsePriority(after.get<std::string>());
          if (!p) return Unknown(e, "priority");
          priority = *p;
        }
        if (change->field == "tags" && after.is_array()) tags = after.get<std::vector<std::string>>();
      }
      break;
    case fb::Payload::TicketAssigned:
      assignee = e.agent;
      assigned_at = e.at;
      break;
    case fb::Payload::TicketUnassigned:
      assignee.clear();
      break;
    case fb::Payload::CsatRated:
      csat = e.payload.AsCsatRated()->score;
      break;
    case fb::Payload::CsatOffered:
      csat_offered = true;
      break;
    case fb::Payload::AutomationFired:
      automations_holding.insert(e.rule);
      break;
    case fb::Payload::SessionEnded:
      handled_as = Channel::kEmail;  // B31, B35: it goes on by email
      session_end_reason = e.payload.AsSessionEnded()->reason;
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->public_ && m->author.rfind("agent:", 0) == 0) {
        last_agent_message_at = e.at;
        unanswered_since = 0;
      } else if (m->author == "contact" && unanswered_since == 0) {
        unanswered_since = e.at;
      }
      break;
    }
    case fb::Payload::ContactNotificationOffered:
      if (notify == Notify::kNone) notify = Notify::kOffered;
      break;
    case fb::Payload::ContactNotificationRequested:
      notify = Notify::kRequested;
      break;
    case fb::Payload::ContactNotifiedAvailable:
      notify = Notify::kNotified;
      break;
    case fb::Payload::SlaApplied: {
      const auto* p = e.payload.AsSlaApplied();
      std::optional<SlaMetric> metric = ParseSlaMetric(p->metric);
      if (!metric) return Unknown(e, "metric");
      SlaClock* clock = FindClock(*metric);
      if (clock == nullptr) clock = &sla_clocks.emplace_back();
      const bool breached = clock->breached;  // a new target keeps a breach that happened
      const Timestamp breached_at = clock->breached_at;
      *clock = SlaClock{*metric, p->target_s * 1000, p->business_hours, p->since, p->due, 0, false, false, 0};
      clock->breached = breached && p->due <= e.at;
      clock->breached_at = clock->breached ? breached_at : 0;
      sla_policy = p->policy;
      break;
    }
    case fb::Payload::SlaPaused:
    case fb::Payload::SlaResumed:
    case fb::Payload::SlaBreached:
    case fb::Payload::SlaFulfilled:
    case fb::Payload::SlaRemoved:
      return ApplySla(e);
    default:
      break;
  }
  return Status::OK();
}

Status Ticket::ApplySla(const Event& e) {
  std::string metric_name;
  switch (e.payload.type) {
    case fb::Payload::SlaPaused:
      metric_name = e.payload.AsSlaPaused()->metric;
      break;
    case fb::Payload::SlaResumed:
      metric_name = e.payload.AsSlaResumed()->metric;
      break;
    case fb::Payload::SlaBreached:
      metric_name = e.payload.AsSlaBreached()->metric;
      break;
    case fb::Payload::SlaFulfilled:
      metric_name = e.payload.AsSlaFulfilled()->metric;
      break;
    default:
      metric_name = e.payload.AsSlaRemoved()->metric;
      break;
  }
  std::optional<SlaMetric> metric = ParseSlaMetric(metric_name);
  if (!metric) return Unknown(e, "metric");
  SlaClock* clock = FindClock(*metric);
  if (clock == nullptr)
    return Status::Corruption("event " + std::to_string(e.seq) + ": no " + metric_name + " clock on ticket " +
                              std::to_string(id));
  switch (e.payload.type) {
    case fb::Payload::SlaPaused:
      clock->paused = true;
      clock->remaining_ms = e.payload.AsSlaPaused()->remaining_ms;
      clock->due = 0;
      break;
    case fb::Payload::SlaResumed:
      clock->paused = false;
      clock->due = e.payload.AsSlaResumed()->due;
      break;
    case fb::Payload::SlaBreached:
      clock->breached = true;
      clock->breached_at = e.at;
      break;
    default: {  // fulfilled or removed: the clock closes
      if (e.payload.type == fb::Payload::SlaFulfilled) {
        sla_results.emplace_back(*metric, e.payload.AsSlaFulfilled()->breached);
        if (*metric == SlaMetric::kFirstReply || *metric == SlaMetric::kResolution) {
          sla_done |= static_cast<std::uint8_t>(1u << static_cast<int>(*metric));
        }
      }
      sla_clocks.erase(sla_clocks.begin() + (clock - sla_clocks.data()));
      if (sla_clocks.empty()) sla_policy.clear();
      break;
    }
  }
  return Status::OK();
}

SlaClock* Ticket::FindClock(SlaMetric m) {
  for (SlaClock& c : sla_clocks) {
    if (c.metric == m) return &c;
  }
  return nullptr;
}

const SlaClock* Ticket::FindClock(SlaMetric m) const { return const_cast<Ticket*>(this)->FindClock(m); }

Timestamp Ticket::NextBreach() const {
  Timestamp next = 0;
  for (const SlaClock& c : sla_clocks) {
    if (!c.paused && !c.breached && (next == 0 || c.due < next)) next = c.due;
  }
  return next;
}

}  // namespace switchboard
