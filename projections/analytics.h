// Analytics (B52): first-reply time, full resolution time, wait time, CSAT and deflection, per
// agent, group or channel, over the tickets created in [from, to).
//
// Built from the stored records, not the log: each ticket record (created_at, first_reply_at,
// solved_at, first_assigned_at, csat, assignee, group, channel, handle_s, handling_since,
// abandoned_at, time_to_abandon_s) and the hourly conversation
// counters (deflection: conversations self-solved / started, by the hour they happened in, so a
// range counts whole hours). One pass over the ticket records; a report, not a hot path.
// Times are whole seconds (truncated); a mean or median of nothing is null; the median of an even
// count is the mean of the two middle values. Handle time (B72) is over the tickets with some, a
// span going on counted up to the engine's clock; time to abandon over the abandoned tickets.
// Proactive messages (B70): messages sent, conversations that answered one and those self-solved
// (hourly counters, like deflection: the total and the channel rows), and the tickets such
// conversations became and how many were solved (ticket records: every row). `by: proactive_rule`
// gives one row per rule (tickets without one in the `none` row).
//
// Rows are keyed by the agent, group or channel, plus one row for tickets without one (JSON: key
// null; CSV: row kind `none`, key empty) and the total (JSON: `total`; CSV: row kind `total`), so no
// real id, not even "total" or "(none)", can be mistaken for them. CSV fields are quoted per RFC 4180.
// Not thread-safe (one report per object).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "events/time.h"

namespace switchboard {

struct AnalyticsRange {
  Timestamp from = 0;   // inclusive
  Timestamp to = 0;     // exclusive; 0: no end
  std::string by;       // "", "agent", "group", "channel", "priority" or "proactive_rule"
  Timestamp clock = 0;  // the engine's clock (the monitor record's `now`): a handling span going on runs to it
};

// A ticket record's handle time in milliseconds (B72): its `handle_s`, plus the span going on
// (`handling_since`) up to `clock`.
Timestamp HandleMsOf(const nlohmann::json& ticket_record, Timestamp clock);

class AnalyticsReport {
 public:
  explicit AnalyticsReport(AnalyticsRange range) : range_(std::move(range)) {}

  void AddTicket(const std::string& ticket_record);  // the JSON of a stored ticket record
  void AddHour(const std::string& hour_record);      // the JSON of a stored hour record ("h")

  std::string Json() const;
  std::string Csv() const;

 private:
  struct Bucket {
    int tickets = 0, solved = 0, csat_good = 0, csat_bad = 0, conversations = 0, self_solved = 0;
    int abandoned = 0;
    int proactive_sent = 0, proactive_conversations = 0, proactive_self_solved = 0;  // hourly counters
    int proactive_tickets = 0, proactive_solved = 0;                                 // ticket records
    std::vector<Timestamp> first_reply, resolution, wait, handle, abandon;           // milliseconds
    std::map<std::string, std::pair<int, int>> sla;  // metric -> targets met, missed (B64)
  };
  using Key = std::optional<std::string>;  // nullopt: no agent, group or channel (sorts first)
  Bucket& BucketFor(const Key& key);

  AnalyticsRange range_;
  std::map<Key, Bucket> rows_;
  Bucket total_;
};

}  // namespace switchboard
