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
#include "switchboard/status.h"

namespace switchboard {

struct Ticket {
  std::uint64_t id = 0;
  std::uint64_t conversation = 0;
  std::string contact;
  Channel channel = Channel::kMessaging;     // where it came from; never changes
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

  // Folds an event of this ticket's stream. Corruption for content that cannot be what the log says
  // (a status or priority this build does not know).
  Status Apply(const Event& e);
};

}  // namespace switchboard
