#include "projections/analytics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

#include "rules/sla_policy.h"

namespace switchboard {
namespace {

using nlohmann::json;

Timestamp TimeField(const json& record, const char* field) {
  if (!record.contains(field) || !record[field].is_string()) return 0;
  return ParseRfc3339(record[field].get<std::string>()).value_or(0);
}

json Mean(const std::vector<Timestamp>& ms) {
  if (ms.empty()) return nullptr;
  Timestamp sum = 0;
  for (Timestamp v : ms) sum += v;
  return sum / static_cast<Timestamp>(ms.size()) / 1000;
}

// The middle value, or the mean of the two middle values of an even count (168 s and 318 s: 243 s).
json Median(std::vector<Timestamp> ms) {
  if (ms.empty()) return nullptr;
  const auto mid = ms.begin() + static_cast<std::ptrdiff_t>(ms.size() / 2);
  std::nth_element(ms.begin(), mid, ms.end());
  Timestamp median = *mid;
  if (ms.size() % 2 == 0) {
    const Timestamp lower = *std::max_element(ms.begin(), mid);  // nth_element left the lower half before mid
    median = lower + (median - lower) / 2;
  }
  return median / 1000;
}

json Percent(int part, int whole) { return whole == 0 ? json(nullptr) : json(100 * part / whole); }

// RFC 4180: a field with a comma, a double quote, CR or LF is enclosed in double quotes, and its
// double quotes are doubled; any other field is written as it is.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

}  // namespace

Timestamp HandleMsOf(const json& t, Timestamp clock) {
  Timestamp ms = t.value("handle_s", Timestamp{0}) * kMillisPerSecond;
  const Timestamp since = TimeField(t, "handling_since");
  if (since != 0 && clock > since) ms += clock - since;
  return ms;
}

AnalyticsReport::Bucket& AnalyticsReport::BucketFor(const Key& key) { return rows_[key]; }

void AnalyticsReport::AddTicket(const std::string& text) {
  json t = json::parse(text);
  const Timestamp created = TimeField(t, "created_at");
  if (created < range_.from || (range_.to != 0 && created >= range_.to)) return;
  std::vector<Bucket*> buckets{&total_};
  if (!range_.by.empty()) {
    const char* field = range_.by == "agent" ? "assignee" : range_.by.c_str();
    buckets.push_back(&BucketFor(t[field].is_string() ? Key(t[field].get<std::string>()) : std::nullopt));
  }
  const Timestamp reply = TimeField(t, "first_reply_at"), solved = TimeField(t, "solved_at"),
                  assigned = TimeField(t, "first_assigned_at");
  const Timestamp handle = HandleMsOf(t, range_.clock);
  const bool abandoned = TimeField(t, "abandoned_at") != 0;
  const bool proactive = t.value("proactive_rule", json()).is_string();
  const Timestamp to_abandon = abandoned ? t.value("time_to_abandon_s", Timestamp{0}) * kMillisPerSecond : 0;
  for (Bucket* b : buckets) {
    ++b->tickets;
    if (reply) b->first_reply.push_back(reply - created);
    if (assigned) b->wait.push_back(assigned - created);
    if (solved) {
      ++b->solved;
      b->resolution.push_back(solved - created);
    }
    for (const json& r : t.value("sla_fulfilled", json::array())) {
      auto& [met, missed] = b->sla[r["metric"].get<std::string>()];
      ++(r["breached"].get<bool>() ? missed : met);
    }
    if (t["csat"] == "good") ++b->csat_good;
    if (t["csat"] == "bad") ++b->csat_bad;
    if (handle > 0) b->handle.push_back(handle);
    if (abandoned) {
      ++b->abandoned;
      b->abandon.push_back(to_abandon);
    }
    if (proactive) {
      ++b->proactive_tickets;
      if (solved) ++b->proactive_solved;
    }
  }
}

void AnalyticsReport::AddHour(const std::string& text) {
  json h = json::parse(text);
  const Timestamp start = h["hour"].get<Timestamp>() * kMillisPerHour;
  if (start < range_.from - kMillisPerHour + 1 || (range_.to != 0 && start >= range_.to)) return;
  auto add = [&h](Bucket& b) {
    b.conversations += h["conversations"].get<int>();
    b.self_solved += h["self_solved"].get<int>();
    b.proactive_sent += h.value("proactive_sent", 0);
    b.proactive_conversations += h.value("proactive_conversations", 0);
    b.proactive_self_solved += h.value("proactive_self_solved", 0);
  };
  add(total_);
  // Deflection and proactive messages belong to a channel, not to a group, an agent or a rule.
  if (range_.by == "channel") add(BucketFor(h["channel"].get<std::string>()));
}

namespace {

json BucketJson(int tickets, int solved, const std::vector<Timestamp>& first_reply,
                const std::vector<Timestamp>& resolution, const std::vector<Timestamp>& wait, int good, int bad,
                json deflection) {
  return {{"tickets", tickets},
          {"solved", solved},
          {"first_reply_s", {{"mean", Mean(first_reply)}, {"median", Median(first_reply)}}},
          {"resolution_s", {{"mean", Mean(resolution)}, {"median", Median(resolution)}}},
          {"wait_s", {{"mean", Mean(wait)}, {"median", Median(wait)}}},
          {"csat", {{"good", good}, {"bad", bad}, {"score", Percent(good, good + bad)}}},
          {"deflection", std::move(deflection)}};
}

}  // namespace

std::string AnalyticsReport::Json() const {
  auto row = [&](const Bucket& b, bool has_deflection) {
    json deflection = nullptr;
    if (has_deflection) {
      deflection = {{"conversations", b.conversations},
                    {"self_solved", b.self_solved},
                    {"rate", Percent(b.self_solved, b.conversations)}};
    }
    json r = BucketJson(b.tickets, b.solved, b.first_reply, b.resolution, b.wait, b.csat_good, b.csat_bad, deflection);
    json sla = json::object();
    for (const auto& [metric, counts] : b.sla) {
      sla[metric] = {{"met", counts.first},
                     {"missed", counts.second},
                     {"share_met", Percent(counts.first, counts.first + counts.second)}};
    }
    r["sla"] = std::move(sla);
    r["handle_time_s"] = {{"mean", Mean(b.handle)}, {"median", Median(b.handle)}};
    r["abandoned"] = b.abandoned;
    r["time_to_abandon_s"] = {{"mean", Mean(b.abandon)}, {"median", Median(b.abandon)}};
    auto hourly = [has_deflection](int n) { return has_deflection ? json(n) : json(nullptr); };
    r["proactive"] = {{"messages_sent", hourly(b.proactive_sent)},
                      {"conversations", hourly(b.proactive_conversations)},
                      {"self_solved", hourly(b.proactive_self_solved)},
                      {"tickets", b.proactive_tickets},
                      {"solved", b.proactive_solved}};
    return r;
  };
  json rows = json::array();
  for (const auto& [key, b] : rows_) {
    json r = row(b, range_.by == "channel");
    r["key"] = key ? json(*key) : json(nullptr);
    rows.push_back(std::move(r));
  }
  json out = {{"from", range_.from ? json(FormatRfc3339(range_.from)) : json(nullptr)},
              {"to", range_.to ? json(FormatRfc3339(range_.to)) : json(nullptr)},
              {"by", range_.by.empty() ? json(nullptr) : json(range_.by)},
              {"rows", rows},
              {"total", row(total_, true)}};
  return out.dump();
}

std::string AnalyticsReport::Csv() const {
  // `row` says what a line is (the grouping, `none` or `total`), so the key column holds only real ids.
  std::string out =
      "row,key,tickets,solved,first_reply_mean_s,first_reply_median_s,resolution_mean_s,resolution_median_s,"
      "wait_mean_s,wait_median_s,csat_good,csat_bad,csat_score,conversations,self_solved,deflection_rate";
  // Three columns per SLA metric, every metric always present, so a sheet's columns do not move (B64).
  for (int m = 0; m < kSlaMetricCount; ++m) {
    const std::string metric(Name(static_cast<SlaMetric>(m)));
    out += ",sla_" + metric + "_met,sla_" + metric + "_missed,sla_" + metric + "_share_met";
  }
  out += ",handle_time_mean_s,handle_time_median_s,abandoned,time_to_abandon_mean_s,time_to_abandon_median_s";
  out += ",proactive_sent,proactive_conversations,proactive_self_solved,proactive_tickets,proactive_solved\n";
  auto cell = [](const json& v) { return v.is_null() ? std::string() : v.dump(); };
  auto line = [&](const char* kind, const std::string& key, const Bucket& b, bool has_deflection) {
    std::string l = std::string(kind) + "," + CsvField(key);
    for (const json& v :
         {json(b.tickets), json(b.solved), Mean(b.first_reply), Median(b.first_reply), Mean(b.resolution),
          Median(b.resolution), Mean(b.wait), Median(b.wait), json(b.csat_good), json(b.csat_bad),
          Percent(b.csat_good, b.csat_good + b.csat_bad), has_deflection ? json(b.conversations) : json(nullptr),
          has_deflection ? json(b.self_solved) : json(nullptr),
          has_deflection ? Percent(b.self_solved, b.conversations) : json(nullptr)}) {
      l += "," + cell(v);
    }
    for (int m = 0; m < kSlaMetricCount; ++m) {
      auto it = b.sla.find(std::string(Name(static_cast<SlaMetric>(m))));
      const int met = it == b.sla.end() ? 0 : it->second.first, missed = it == b.sla.end() ? 0 : it->second.second;
      l += "," + std::to_string(met) + "," + std::to_string(missed) + "," + cell(Percent(met, met + missed));
    }
    for (const json& v : {Mean(b.handle), Median(b.handle), json(b.abandoned), Mean(b.abandon), Median(b.abandon)}) {
      l += "," + cell(v);
    }
    for (const json& v : {has_deflection ? json(b.proactive_sent) : json(nullptr),
                          has_deflection ? json(b.proactive_conversations) : json(nullptr),
                          has_deflection ? json(b.proactive_self_solved) : json(nullptr), json(b.proactive_tickets),
                          json(b.proactive_solved)}) {
      l += "," + cell(v);
    }
    out += l + "\n";
  };
  for (const auto& [key, b] : rows_)
    line(key ? range_.by.c_str() : "none", key.value_or(""), b, range_.by == "channel");
  line("total", "", total_, true);
  return out;
}

}  // namespace switchboard
