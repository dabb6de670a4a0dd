// Ticket: created when the bot hands a conversation over to a person (B7), worked until it is closed
// (B20-B23). Its status, group, assignee, priority, tags, session end, CSAT and the times conditions
// read. What routing keeps about it (its queue, offers, the capacity it holds) is the routing
// aggregate's (rules/domain/routing.h).
//
// Folded from the events of its stream. Plain data and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/time.h"
#include "events/vocabulary.h"
#include "rules/sla_policy.h"
#include "switchboard/status.h"

namespace switchboard {

// One SLA metric's clock on a ticket (B60-B63), as the sla.* events leave it.
struct SlaClock {
  SlaMetric metric = SlaMetric::kFirstReply;
  std::int64_t target_ms = 0;
  bool business_hours = false;
  Timestamp since = 0;            // what it measures from (creation, a message, a reply, its start)
  Timestamp due = 0;              // while it runs
  std::int64_t remaining_ms = 0;  // while paused: what is left of the target (negative once breached)
  bool paused = false;
  bool breached = false;
  Timestamp breached_at = 0;
};

struct Ticket {
  std::uint64_t id = 0;
  std::uint64_t conversation = 0;
  std::string contact;
  Channel channel = Channel::kMessaging;     // where it came from; never changes
  std::string proactive_rule;                // the proactive rule its conversation answered (B70); empty: none
  Channel handled_as = Channel::kMessaging;  // becomes email when the session ends
  TicketStatus status = TicketStatus::kNew;
  std::string group;
  std::string assignee;  // empty: unassigned
  Priority priority = Priority::kNormal;
  std::vector<std::string> tags;  // sorted
  std::string session_end_reason;
  bool solved_automatically = false;
  std::string csat;
  std::string solved_by;
  std::string created_via = "contact";  // how the ticket came to be (the `via` condition field)
  Timestamp created_at = 0;
  Timestamp solved_at = 0;
  Timestamp updated_at = 0;  // the last event about this ticket
  Timestamp status_changed_at = 0;
  Timestamp assigned_at = 0;
  Timestamp last_agent_message_at = 0;
  bool csat_offered = false;
  bool ever_assigned = false;                 // its first assignment ended its wait (the estimated-wait samples)
  std::set<std::string> automations_holding;  // fired, and their conditions still hold (B43: once until then)
  Timestamp automation_due = 0;               // 0: no automation can come due by time alone
  // SLA (B60-B64): the policy of the open clocks, the clocks, and what the metrics measure from.
  std::string sla_policy;
  std::vector<SlaClock> sla_clocks;  // open ones: applied, neither fulfilled nor removed
  std::uint8_t sla_done = 0;         // bit per metric that is fulfilled for good (first reply, resolution)
  Timestamp unanswered_since = 0;    // the oldest public contact message after the last public agent reply
  Timestamp sla_timer_due = 0;       // the breach timer DeskState holds for it; 0: none
  std::vector<std::pair<SlaMetric, bool>> sla_results;  // each clock fulfilled, and whether it was late (B64)
  // B71: the contact was told no agent is on duty and offered a message when one is free.
  enum class Notify : std::uint8_t { kNone, kOffered, kRequested, kNotified };
  Notify notify = Notify::kNone;

  SlaClock* FindClock(SlaMetric m);
  const SlaClock* FindClock(SlaMetric m) const;
  // The earliest due instant of a running clock not yet breached; 0: none.
  Timestamp NextBreach() const;

  // Folds an event of this ticket's stream. Corruption for content that cannot be what the log says
  // (a status or priority this build does not know).
  Status Apply(const Event& e);

 private:
  Status ApplySla(const Event& e);
};

}  // namespace switchboard
