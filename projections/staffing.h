// Staffing (B73): per interval, the contacts that arrived, their mean handle time, the agents Erlang C
// says they needed for a service level, and the agents that were online.
//
// Built from stored records, never from the log: the ticket records (created_at, handle_s,
// handling_since, abandoned_at), the presence changes ("P", the staffing projection) and the
// monitor record's clock. Arrivals are the tickets created in the interval, abandoned ones
// included; the mean handle time is over those of them not abandoned that an agent held (handle
// time > 0), a span going on counted up to the clock; agents needed are Erlang C's
// (projections/erlang_c.h) for arrivals / interval length and the mean handle time divided by the
// chat concurrency; agents online is the time-weighted mean number of agents online over the
// interval (agents start offline), one decimal. With a channel, only the tickets that came from it
// count (the agents online are all of them). docs/PROTOCOL.md lists the fields. Not thread-safe
// (one report per object).
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "events/time.h"
#include "switchboard/status.h"

namespace switchboard {

struct StaffingParameters {
  Timestamp from = 0, to = 0;  // given: --from / --to; else 0 (from the tickets, aligned)
  bool from_given = false, to_given = false;
  Timestamp interval_ms = 30 * kMillisPerMinute;
  double percent = 80;           // the service level: `percent` % answered ...
  Timestamp within_ms = 20'000;  // ... within this
  int concurrency = 1;           // chats an agent holds at once
  std::string channel;           // "messaging", "email", or empty: both
};

// The parameters as text, as the CLI and HTTP give them; empty: the default.
struct StaffingRequest {
  std::string from, to, interval, service_level, concurrency, channel;
};

// The most rows one answer has: a longer range or a shorter interval is refused.
constexpr std::size_t kMaxStaffingRows = 10'000;

// Parses the query's parameters: `from`, `to` RFC 3339; `interval` Ns, Nm or Nh (N > 0);
// `service_level` P/T (0 < P < 100, T a duration as above or seconds, 0 allowed); `concurrency` a
// whole number from 1 to 100; `channel` messaging or email. InvalidArgument naming the flag
// (`--interval: ...`).
Status ParseStaffingParameters(const StaffingRequest& request, StaffingParameters* out);

class StaffingReport {
 public:
  explicit StaffingReport(StaffingParameters p) : p_(p) {}

  void SetClock(Timestamp clock) { clock_ = clock; }     // the monitor record's `now`
  void AddTicket(const std::string& ticket_record);      // the JSON of a stored ticket record
  void AddPresence(const std::string& presence_record);  // one "P" record, in key (time) order

  // The document; InvalidArgument when the range holds more than kMaxStaffingRows intervals.
  Status Json(std::string* out) const;
  Status Csv(std::string* out) const;

 private:
  struct Arrival {
    Timestamp created_at = 0;
    Timestamp handle_ms = 0;
    bool abandoned = false;
  };
  struct Row {
    Timestamp from = 0, to = 0;
    int arrivals = 0, abandoned = 0;
    double handle_sum_ms = 0;
    int handled = 0;
    double online_ms = 0;  // the integral of agents online over the row, agent-milliseconds
  };
  Status Rows(std::vector<Row>* rows, Timestamp* from, Timestamp* to) const;

  StaffingParameters p_;
  Timestamp clock_ = 0;
  std::vector<Arrival> arrivals_;
  std::vector<std::pair<Timestamp, int>> online_;  // from each presence change on: the agents online
  std::map<std::string, bool> online_agents_;      // each agent seen: whether it is online
};

}  // namespace switchboard
