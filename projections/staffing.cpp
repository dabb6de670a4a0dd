#include "projections/staffing.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "projections/analytics.h"
#include "projections/erlang_c.h"

namespace switchboard {
namespace {

using nlohmann::json;

// "30m", "20s", "2h" (and, with `bare_seconds`, "20"): milliseconds; nullopt when it is not one.
std::optional<Timestamp> ParseDuration(const std::string& text, bool bare_seconds) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0 || digits > 9) return std::nullopt;  // up to 999,999,999 units: no overflow
  const Timestamp n = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  if (unit == "s" || (unit.empty() && bare_seconds)) return n * kMillisPerSecond;
  if (unit == "m") return n * kMillisPerMinute;
  if (unit == "h") return n * kMillisPerHour;
  return std::nullopt;
}

// "80", "80.5": a number; nullopt when it is not one.
std::optional<double> ParseDecimal(const std::string& text) {
  std::size_t i = 0, digits = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++digits;
  }
  if (digits == 0 || i != text.size() || text.size() > 20) return std::nullopt;
  return std::stod(text);
}

Timestamp FloorTo(Timestamp t, Timestamp step) {
  Timestamp q = t / step;
  if (t % step != 0 && t < 0) --q;
  return q * step;
}

Timestamp TimeField(const json& record, const char* field) {
  if (!record.contains(field) || !record[field].is_string()) return 0;
  return ParseRfc3339(record[field].get<std::string>()).value_or(0);
}

json OneDecimal(double v) { return std::round(v * 10) / 10; }

json Number(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

}  // namespace

Status ParseStaffingParameters(const StaffingRequest& request, StaffingParameters* out) {
  const std::string &from = request.from, &to = request.to, &interval = request.interval,
                    &service_level = request.service_level, &concurrency = request.concurrency;
  StaffingParameters p;
  for (const auto& [text, flag, target, given] :
       {std::tuple{&from, "--from", &p.from, &p.from_given}, std::tuple{&to, "--to", &p.to, &p.to_given}}) {
    if (text->empty()) continue;
    std::optional<Timestamp> t = ParseRfc3339(*text);
    if (!t) return Status::InvalidArgument(std::string(flag) + ": expected an RFC 3339 time; got \"" + *text + "\"");
    *target = *t;
    *given = true;
  }
  if (p.from_given && p.to_given && p.to <= p.from) {
    return Status::InvalidArgument("--to: expected a time after --from; got \"" + to + "\"");
  }
  if (!interval.empty()) {
    std::optional<Timestamp> ms = ParseDuration(interval, false);
    if (!ms || *ms <= 0) {
      return Status::InvalidArgument("--interval: expected a duration above zero in s, m or h (30m); got \"" +
                                     interval + "\"");
    }
    p.interval_ms = *ms;
  }
  if (!service_level.empty()) {
    const std::size_t slash = service_level.find('/');
    std::optional<double> percent =
        slash == std::string::npos ? std::nullopt : ParseDecimal(service_level.substr(0, slash));
    std::optional<Timestamp> within =
        slash == std::string::npos ? std::nullopt : ParseDuration(service_level.substr(slash + 1), true);
    if (!percent || !within || *percent <= 0 || *percent >= 100) {
      return Status::InvalidArgument(
          "--service-level: expected P/T, P percent of contacts (above 0, below 100) answered within T (20s, "
          "1m); got \"" +
          service_level + "\"");
    }
    p.percent = *percent;
    p.within_ms = *within;
  }
  if (!concurrency.empty()) {
    const bool digits = concurrency.size() <= 3 && concurrency.find_first_not_of("0123456789") == std::string::npos;
    const int n = digits ? std::stoi(concurrency) : 0;
    if (n < 1 || n > 100) {
      return Status::InvalidArgument("--concurrency: expected a whole number of chats from 1 to 100; got \"" +
                                     concurrency + "\"");
    }
    p.concurrency = n;
  }
  if (!request.channel.empty()) {
    if (request.channel != "messaging" && request.channel != "email") {
      return Status::InvalidArgument("--channel: expected messaging or email; got \"" + request.channel + "\"");
    }
    p.channel = request.channel;
  }
  *out = p;
  return Status::OK();
}

void StaffingReport::AddTicket(const std::string& text) {
  json t = json::parse(text);
  if (!p_.channel.empty() && t.value("channel", std::string()) != p_.channel) return;
  Arrival a;
  a.created_at = TimeField(t, "created_at");
  a.handle_ms = HandleMsOf(t, clock_);
  a.abandoned = TimeField(t, "abandoned_at") != 0;
  arrivals_.push_back(a);
}

void StaffingReport::AddPresence(const std::string& text) {
  json p = json::parse(text);
  const Timestamp at = TimeField(p, "at");
  online_agents_[p["agent"].get<std::string>()] = p["to"] == "online";
  const int online = static_cast<int>(
      std::count_if(online_agents_.begin(), online_agents_.end(), [](const auto& a) { return a.second; }));
  if (!online_.empty() && online_.back().first == at) {
    online_.back().second = online;  // the last change at an instant is what holds from it
  } else {
    online_.emplace_back(at, online);
  }
}

Status StaffingReport::Rows(std::vector<Row>* rows, Timestamp* from, Timestamp* to) const {
  const Timestamp step = p_.interval_ms;
  Timestamp first = 0, last = 0;
  for (std::size_t i = 0; i < arrivals_.size(); ++i) {
    first = i == 0 ? arrivals_[i].created_at : std::min(first, arrivals_[i].created_at);
    last = i == 0 ? arrivals_[i].created_at : std::max(last, arrivals_[i].created_at);
  }
  const bool any = !arrivals_.empty();
  *from = p_.from_given ? p_.from : any ? FloorTo(first, step) : p_.to;
  *to = p_.to_given ? p_.to : any ? FloorTo(last, step) + step : p_.from;
  if (*to < *from) *to = *from;
  const Timestamp span = *to - *from;
  const std::uint64_t count = static_cast<std::uint64_t>(span / step + (span % step != 0));
  if (count > kMaxStaffingRows) {
    return Status::InvalidArgument("--interval: " + std::to_string(step / kMillisPerSecond) + " s from " +
                                   FormatRfc3339(*from) + " to " + FormatRfc3339(*to) + " gives " +
                                   std::to_string(count) + " intervals; at most " + std::to_string(kMaxStaffingRows) +
                                   ": take a longer interval or a shorter range");
  }
  rows->assign(count, Row{});
  for (std::size_t i = 0; i < count; ++i) {
    (*rows)[i].from = *from + static_cast<Timestamp>(i) * step;
    (*rows)[i].to = std::min((*rows)[i].from + step, *to);
  }
  for (const Arrival& a : arrivals_) {
    if (a.created_at < *from || a.created_at >= *to) continue;
    Row& r = (*rows)[static_cast<std::size_t>((a.created_at - *from) / step)];
    ++r.arrivals;
    if (a.abandoned) {
      ++r.abandoned;
    } else if (a.handle_ms > 0) {
      r.handle_sum_ms += static_cast<double>(a.handle_ms);
      ++r.handled;
    }
  }
  // Agents online: a step function, from each change on; none before the first.
  std::size_t next = 0;
  int online = 0;
  for (Row& r : *rows) {
    while (next < online_.size() && online_[next].first <= r.from) online = online_[next++].second;
    Timestamp t = r.from;
    int now = online;
    for (std::size_t j = next; j < online_.size() && online_[j].first < r.to; ++j) {
      r.online_ms += static_cast<double>(now) * static_cast<double>(online_[j].first - t);
      t = online_[j].first;
      now = online_[j].second;
    }
    r.online_ms += static_cast<double>(now) * static_cast<double>(r.to - t);
  }
  return Status::OK();
}

Status StaffingReport::Json(std::string* out) const {
  std::vector<Row> rows;
  Timestamp from = 0, to = 0;
  Status s = Rows(&rows, &from, &to);
  if (!s.ok()) return s;
  json list = json::array();
  for (const Row& r : rows) {
    const double length_s = static_cast<double>(r.to - r.from) / kMillisPerSecond;
    json mean = nullptr, needed = 0, traffic = 0.0;
    if (r.handled > 0) {
      const double mean_s = r.handle_sum_ms / r.handled / kMillisPerSecond;
      mean = OneDecimal(mean_s);
      // B73: an agent holding `concurrency` chats gives each 1/concurrency of its time.
      const double aht_s = mean_s / p_.concurrency;
      const double a = r.arrivals / length_s * aht_s;
      const int n = AgentsNeeded(a, aht_s, static_cast<double>(p_.within_ms) / kMillisPerSecond, p_.percent / 100);
      needed = n < 0 ? json(nullptr) : json(n);
      traffic = std::round(a * 100) / 100;
    } else if (r.arrivals > 0) {
      needed = traffic = nullptr;  // contacts came, none was handled yet: no handle time to plan with
    }
    list.push_back({{"from", FormatRfc3339(r.from)},
                    {"to", FormatRfc3339(r.to)},
                    {"arrivals", r.arrivals},
                    {"mean_handle_s", mean},
                    {"agents_needed", needed},
                    {"agents_online", OneDecimal(r.online_ms / static_cast<double>(r.to - r.from))},
                    {"abandoned", r.abandoned},
                    {"traffic_erlangs", traffic}});
  }
  const bool empty = rows.empty() && from == to && !p_.from_given && !p_.to_given;
  json doc = {{"from", empty ? json(nullptr) : json(FormatRfc3339(from))},
              {"to", empty ? json(nullptr) : json(FormatRfc3339(to))},
              {"interval_s", p_.interval_ms / kMillisPerSecond},
              {"service_level", {{"percent", Number(p_.percent)}, {"within_s", p_.within_ms / kMillisPerSecond}}},
              {"concurrency", p_.concurrency},
              {"channel", p_.channel.empty() ? json(nullptr) : json(p_.channel)},
              {"rows", std::move(list)}};
  *out = doc.dump();
  return Status::OK();
}

Status StaffingReport::Csv(std::string* out) const {
  std::string doc;
  Status s = Json(&doc);
  if (!s.ok()) return s;
  static const char* kColumns[] = {"from",          "to",        "arrivals",       "mean_handle_s", "agents_needed",
                                   "agents_online", "abandoned", "traffic_erlangs"};
  std::string text;
  for (const char* c : kColumns) text += std::string(c == kColumns[0] ? "" : ",") + c;
  text += "\n";
  const json parsed = json::parse(doc);
  for (const json& r : parsed["rows"]) {
    for (const char* c : kColumns) {
      const json& v = r[c];
      if (c != kColumns[0]) text += ",";
      if (!v.is_null()) text += v.is_string() ? v.get<std::string>() : v.dump();  // no cell needs quoting
    }
    text += "\n";
  }
  *out = std::move(text);
  return Status::OK();
}

}  // namespace switchboard
