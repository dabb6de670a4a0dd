#include "projections/queries.h"

#include "events/json_writer.h"
#include "events/time.h"
#include "projections/analytics.h"
#include "projections/monitor.h"
#include "projections/staffing.h"
#include "projections/views.h"

namespace switchboard {
namespace {

Status QueryTicket(const RecordSource& records, const std::string& number, std::string* json) {
  std::uint64_t n = 0;
  try {
    n = std::stoull(number);
  } catch (...) {
    return Status::InvalidArgument("a ticket is named by its number; got \"" + number + "\"");
  }
  Status s = records.Get(TicketKey(n), json);
  return s.IsNotFound() ? Status::NotFound("unknown ticket " + number) : s;
}

Status QueryAgentOrContact(const RecordSource& records, const std::string& kind, const std::string& id,
                           std::string* json) {
  Status s = records.Get(kind == "agent" ? AgentKey(id) : ContactKey(id), json);
  if (s.IsNotFound()) return Status::NotFound("unknown " + kind + " \"" + id + "\"");
  if (!s.ok() || kind == "contact") return s;
  std::vector<std::uint64_t> tickets;
  s = records.Scan(AgentTicketsPrefix(id), [&](const Record& r) {
    tickets.push_back(TicketOfAgentTicketKey(r.key));
    return true;
  });
  *json = AgentQueryJson(*json, tickets);
  return s;
}

// B50: the stored members, in the view's order, without reading a ticket. `unassigned-messaging`
// exists before any configuration is applied, so it is answered even without its definition.
Status QueryView(const RecordSource& records, const std::string& name, std::string* json) {
  std::string definition;
  Status s = records.Get(ViewDefinitionKey(name), &definition);
  if (s.IsNotFound() && name != "unassigned-messaging") return Status::NotFound("unknown view \"" + name + "\"");
  if (!s.ok() && !s.IsNotFound()) return s;
  std::string out = "[";
  bool first = true;
  s = records.Scan(ViewPrefix(name), [&](const Record& r) {
    out += (first ? "" : ",") + std::to_string(TicketOfViewKey(r.key));
    first = false;
    return true;
  });
  if (!s.ok()) return s;
  *json = out + "]";
  return Status::OK();
}

// B51: today's counters, the queues and the agents, joined from their records (no ticket read).
Status QueryMonitor(const RecordSource& records, std::string* json) {
  std::string counters;
  Status s = records.Get(kMonitorKey, &counters);
  if (!s.ok() && !s.IsNotFound()) return s;
  std::vector<std::string> queues, agents;
  s = records.Scan(kQueuePrefix, [&](const Record& r) {
    queues.push_back(r.json);
    return true;
  });
  if (s.ok()) {
    s = records.Scan("a", [&](const Record& r) {
      agents.push_back(r.json);
      return true;
    });
  }
  // Per group with SLA tickets: its breached count, and its risk index entries up to an hour past
  // the clock (the index is in breach order, so the scan stops at the first later one).
  std::vector<SlaGroupFigures> sla;
  if (s.ok()) {
    s = records.Scan(kSlaGroupPrefix, [&](const Record& r) {
      sla.push_back(SlaGroupOfRecord(r.json));
      return true;
    });
  }
  const Timestamp horizon = MonitorClock(counters) + kMillisPerHour;
  for (SlaGroupFigures& f : sla) {
    if (!s.ok()) break;
    s = records.Scan(SlaRiskGroupPrefix(f.group), [&](const Record& r) {
      if (BreachOfSlaRiskKey(r.key) > horizon) return false;
      ++f.at_risk;
      return true;
    });
  }
  if (!s.ok()) return s;
  *json = MonitorJson(counters, queues, agents, sla);
  return Status::OK();
}

// The agent's notification list, oldest first; items whose delivered_at is null wait for its return.
Status QueryNotifications(const RecordSource& records, const std::string& agent, std::string* json) {
  std::string stored;
  Status s = records.Get(AgentKey(agent), &stored);
  if (s.IsNotFound()) return Status::NotFound("unknown agent \"" + agent + "\"");
  if (!s.ok()) return s;
  std::string items = "[";
  s = records.Scan(FeedPrefix(agent), [&](const Record& r) {
    items += (items.size() > 1 ? "," : "") + r.json;
    return true;
  });
  if (!s.ok()) return s;
  std::string out;
  JsonWriter j(&out);
  j.String("agent", agent).Raw("items", items + "]");
  j.Close();
  *json = out;
  return Status::OK();
}

}  // namespace

MemoryRecords::MemoryRecords(const std::vector<Record>& records) {
  for (const Record& r : records) records_[r.key] = r.json;
}

Status MemoryRecords::Get(const std::string& key, std::string* json) const {
  auto it = records_.find(key);
  if (it == records_.end()) return Status::NotFound(key);
  *json = it->second;
  return Status::OK();
}

Status MemoryRecords::Scan(const std::string& prefix, const std::function<bool(const Record&)>& fn) const {
  for (auto it = records_.lower_bound(prefix); it != records_.end() && it->first.rfind(prefix, 0) == 0; ++it) {
    if (!fn(Record{it->first, it->second})) break;
  }
  return Status::OK();
}

Status AnswerQuery(const RecordSource& records, const std::vector<std::string>& what, std::string* json) {
  if (what.size() == 2 && what[0] == "ticket") return QueryTicket(records, what[1], json);
  if (what.size() == 2 && (what[0] == "agent" || what[0] == "contact")) {
    return QueryAgentOrContact(records, what[0], what[1], json);
  }
  if (what.size() == 2 && what[0] == "view") return QueryView(records, what[1], json);
  if (what.size() == 1 && what[0] == "monitor") return QueryMonitor(records, json);
  if (what.size() == 2 && what[0] == "notifications") return QueryNotifications(records, what[1], json);
  std::string joined;
  for (const std::string& w : what) joined += (joined.empty() ? "" : " ") + w;
  return Status::InvalidArgument(
      "unknown query \"" + joined +
      "\"; expected ticket N, view NAME, agent ID, contact ID, notifications AGENT, monitor, analytics or "
      "staffing");
}

Status AnswerAnalytics(const RecordSource& records, const std::string& from, const std::string& to,
                       const std::string& by, bool csv, std::string* out) {
  AnalyticsRange range;
  for (const auto& [text, field, target] :
       {std::tuple{&from, "--from", &range.from}, std::tuple{&to, "--to", &range.to}}) {
    if (text->empty()) continue;
    std::optional<Timestamp> t = ParseRfc3339(*text);
    if (!t) return Status::InvalidArgument(std::string(field) + ": expected an RFC 3339 time; got \"" + *text + "\"");
    *target = *t;
  }
  if (!by.empty() && by != "agent" && by != "group" && by != "channel" && by != "priority" && by != "proactive_rule") {
    return Status::InvalidArgument("--by: expected agent, group, channel, priority or proactive_rule; got \"" + by +
                                   "\"");
  }
  range.by = by;
  std::string counters;
  Status s = records.Get(kMonitorKey, &counters);
  if (!s.ok() && !s.IsNotFound()) return s;
  range.clock = MonitorClock(s.ok() ? counters : "");  // handling going on counts up to it (B72)
  AnalyticsReport report(range);
  s = records.Scan("t", [&](const Record& r) {
    report.AddTicket(r.json);
    return true;
  });
  if (s.ok()) {
    s = records.Scan(kHourPrefix, [&](const Record& r) {
      report.AddHour(r.json);
      return true;
    });
  }
  if (!s.ok()) return s;
  *out = csv ? report.Csv() : report.Json();
  return Status::OK();
}

Status AnswerStaffing(const RecordSource& records, const StaffingRequest& request, bool csv, std::string* out) {
  StaffingParameters p;
  Status s = ParseStaffingParameters(request, &p);
  if (!s.ok()) return s;
  StaffingReport report(p);
  std::string counters;
  s = records.Get(kMonitorKey, &counters);
  if (!s.ok() && !s.IsNotFound()) return s;
  report.SetClock(MonitorClock(s.ok() ? counters : ""));
  s = records.Scan("t", [&](const Record& r) {
    report.AddTicket(r.json);
    return true;
  });
  if (s.ok()) {
    s = records.Scan(kPresencePrefix, [&](const Record& r) {
      report.AddPresence(r.json);
      return true;
    });
  }
  if (!s.ok()) return s;
  return csv ? report.Csv(out) : report.Json(out);
}

}  // namespace switchboard
