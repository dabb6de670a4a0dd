#include "projections/monitor.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "events/json_writer.h"
#include "events/time.h"

namespace switchboard {
namespace {

using nlohmann::json;

std::string QueueRecordKey(const std::string& group, Channel channel) {
  std::string key = kQueuePrefix + group;
  key.push_back('\0');
  return key + std::string(Name(channel));
}

std::string HourRecordKey(std::int64_t hour, Channel channel) {
  std::string key = kHourPrefix;
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((hour >> shift) & 0xff));
  return key + std::string(Name(channel));
}

void AppendBigEndian(std::string* key, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) key->push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint64_t ReadBigEndian(const std::string& key, std::size_t at) {
  std::uint64_t v = 0;
  for (std::size_t i = at; i < at + 8; ++i) v = (v << 8) | static_cast<unsigned char>(key[i]);
  return v;
}

std::string SlaGroupJson(const std::string& group, int breached) {
  std::string out;
  JsonWriter(&out).String("group", group).Number("breached", breached).Close();
  return out;
}

// A risk index entry is written while its ticket holds it, and erased once it moved on.
void AppendSlaRiskRecord(const ReadModel& read, const std::string& key, std::vector<Record>* out) {
  out->push_back({key, "", !read.IsSlaRiskEntry(key)});
}

std::string CountersJson(const ReadModel& read) {
  const DayCounters& d = read.today();
  std::string out;
  JsonWriter(&out)
      .Number("now", read.now())
      .Number("day", d.day)
      .Number("created", d.created)
      .Number("solved", d.solved)
      .Number("deflected", d.deflected)
      .Number("csat_good", d.csat_good)
      .Number("csat_bad", d.csat_bad)
      .Number("wait_sum_ms", d.wait_sum)
      .Number("wait_count", d.wait_count)
      .Close();
  return out;
}

std::string QueueJson(const DeskState& state, const std::string& group, Channel channel) {
  const TicketQueue* queue = state.FindQueue(group, channel);
  std::string out;
  JsonWriter(&out)
      .String("group", group)
      .String("channel", std::string(Name(channel)))
      .Number("size", queue ? static_cast<std::int64_t>(queue->size()) : 0)
      .Number("oldest_created_at", state.OldestQueued(group, channel))
      .Close();
  return out;
}

std::string HourJson(std::int64_t hour, Channel channel, const HourCounters& c) {
  std::string out;
  JsonWriter(&out)
      .Number("hour", hour)
      .String("channel", std::string(Name(channel)))
      .Number("conversations", c.conversations)
      .Number("self_solved", c.self_solved)
      .Number("proactive_sent", c.proactive_sent)
      .Number("proactive_conversations", c.proactive_conversations)
      .Number("proactive_self_solved", c.proactive_self_solved)
      .Close();
  return out;
}

}  // namespace

std::string SlaRiskGroupPrefix(const std::string& group) {
  std::string key = kSlaRiskPrefix + group;
  key.push_back('\0');
  return key;
}

std::string SlaRiskKey(const std::string& group, Timestamp next_breach, std::uint64_t ticket) {
  std::string key = SlaRiskGroupPrefix(group);
  AppendBigEndian(&key, static_cast<std::uint64_t>(next_breach));
  AppendBigEndian(&key, ticket);
  return key;
}

std::uint64_t TicketOfSlaRiskKey(const std::string& key) { return ReadBigEndian(key, key.size() - 8); }
Timestamp BreachOfSlaRiskKey(const std::string& key) {
  return static_cast<Timestamp>(ReadBigEndian(key, key.size() - 16));
}

void AppendMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out) {
  const Dirty& d = read.dirty();
  if (d.monitor) out->push_back({kMonitorKey, CountersJson(read)});
  for (const auto& [group, channel] : d.queues)
    out->push_back({QueueRecordKey(group, channel), QueueJson(state, group, channel)});
  for (const auto& [hour, channel] : d.hours) {
    out->push_back({HourRecordKey(hour, channel), HourJson(hour, channel, read.hours().at({hour, channel}))});
  }
  for (const std::string& key : d.sla_keys) AppendSlaRiskRecord(read, key, out);
  for (const std::string& group : d.sla_groups)
    out->push_back({kSlaGroupPrefix + group, SlaGroupJson(group, read.sla_breached().at(group))});
}

void AppendAllMonitorRecords(const DeskState& state, const ReadModel& read, std::vector<Record>* out) {
  if (read.last_seq() != 0) out->push_back({kMonitorKey, CountersJson(read)});
  for (const auto& [key, queue] : state.queues()) {
    out->push_back({QueueRecordKey(key.first, key.second), QueueJson(state, key.first, key.second)});
  }
  for (const auto& [key, counters] : read.hours()) {
    out->push_back({HourRecordKey(key.first, key.second), HourJson(key.first, key.second, counters)});
  }
  for (const auto& [group, breached] : read.sla_breached())
    out->push_back({kSlaGroupPrefix + group, SlaGroupJson(group, breached)});
  std::vector<std::string> risk;
  for (const auto& [id, t] : state.tickets()) {
    if (const TicketExtras* x = read.FindTicket(id); x != nullptr && !x->sla_risk_key.empty())
      risk.push_back(x->sla_risk_key);
  }
  std::sort(risk.begin(), risk.end());
  for (std::string& key : risk) out->push_back({std::move(key), ""});
}

Timestamp MonitorClock(const std::string& counters) {
  if (counters.empty()) return 0;
  return json::parse(counters).value("now", std::int64_t{0});
}

SlaGroupFigures SlaGroupOfRecord(const std::string& text) {
  json r = json::parse(text);
  SlaGroupFigures f;
  f.group = r["group"].get<std::string>();
  f.breached = r["breached"].get<int>();
  return f;
}

std::string MonitorJson(const std::string& counters_text, const std::vector<std::string>& queue_texts,
                        const std::vector<std::string>& agent_texts, const std::vector<SlaGroupFigures>& sla_figures) {
  json counters = counters_text.empty() ? json::object() : json::parse(counters_text);
  const std::int64_t now = counters.value("now", std::int64_t{0});
  json queues = json::array();
  for (const std::string& text : queue_texts) {
    json q = json::parse(text);
    const std::int64_t oldest = q["oldest_created_at"];
    queues.push_back({{"group", q["group"]},
                      {"channel", q["channel"]},
                      {"size", q["size"]},
                      {"oldest_wait_s", oldest == 0 ? 0 : (now - oldest) / 1000}});
  }
  json agents = json::array();
  for (const std::string& text : agent_texts) {
    json a = json::parse(text);
    agents.push_back({{"id", a["id"]}, {"status", a["status"]}, {"load", a["load"]}, {"capacity", a["capacity"]}});
  }
  json sla = json::array();
  for (const SlaGroupFigures& f : sla_figures) {
    sla.push_back({{"group", f.group}, {"at_risk", f.at_risk}, {"breached", f.breached}});
  }
  const int good = counters.value("csat_good", 0), bad = counters.value("csat_bad", 0);
  const int waits = counters.value("wait_count", 0);
  json out = {
      {"queues", queues},
      {"average_wait_s", waits == 0 ? 0 : counters.value("wait_sum_ms", std::int64_t{0}) / waits / 1000},
      {"agents", agents},
      {"csat",
       {{"good", good}, {"bad", bad}, {"score", good + bad == 0 ? json(nullptr) : json(100 * good / (good + bad))}}},
      {"tickets", {{"created", counters.value("created", 0)}, {"solved", counters.value("solved", 0)}}},
      {"deflected", counters.value("deflected", 0)},
      {"sla", std::move(sla)}};
  if (now != 0) out["at"] = FormatRfc3339(now);  // the engine's clock the figures are as of
  return out.dump();
}

}  // namespace switchboard
