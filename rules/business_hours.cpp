#include "rules/business_hours.h"

#include <date/tz.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "rules/json_path.h"

namespace switchboard {
namespace {

using namespace json_path;

constexpr const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

int DayIndex(const std::string& day) {
  for (int i = 0; i < 7; ++i) {
    if (day == kDays[i]) return i;
  }
  return -1;
}

// "HH:MM" -> minutes, 00:00 to 24:00; -1 when malformed.
int Minutes(const std::string& s) {
  if (s.size() != 5 || s[2] != ':' || !isdigit(s[0]) || !isdigit(s[1]) || !isdigit(s[3]) || !isdigit(s[4])) return -1;
  int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
  return h * 60 + m;
}

}  // namespace

bool BusinessHours::IsOpen(Timestamp t) const {
  auto utc = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}};
  auto local = zone->to_local(utc);
  auto day = date::floor<date::days>(local);
  int weekday = static_cast<int>(date::weekday{day}.c_encoding());
  int minute = static_cast<int>(std::chrono::duration_cast<std::chrono::minutes>(local - day).count());
  for (const auto& [start, end] : open[weekday]) {
    if (minute >= start && minute < end) return true;
  }
  return false;
}

Timestamp BusinessHours::NextOpening(Timestamp t) const {
  auto utc = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}};
  auto today = date::floor<date::days>(zone->to_local(utc));
  for (int d = 0; d <= 8; ++d) {  // a week and a day covers every weekday, time-zone shifts included
    auto day = today + date::days{d};
    int weekday = static_cast<int>(date::weekday{day}.c_encoding());
    std::vector<std::pair<int, int>> intervals = open[weekday];
    std::sort(intervals.begin(), intervals.end());
    for (const auto& [start, end] : intervals) {
      auto local = day + std::chrono::minutes{start};
      auto instant = zone->to_sys(local, date::choose::earliest);
      Timestamp ms = std::chrono::duration_cast<std::chrono::milliseconds>(instant.time_since_epoch()).count();
      if (ms > t) return ms;
    }
  }
  return 0;
}

Status ParseBusinessHours(const nlohmann::json& doc, const std::string& path, BusinessHours* out) {
  BusinessHours hours;
  try {
    if (!doc.is_object())
      Fail(path, "expected an object such as {\"tz\": \"Europe/Paris\", \"mon-fri\": \"09:00-18:00\"}");
    if (!doc.contains("tz") || !doc["tz"].is_string())
      Fail(path + ".tz", "expected an IANA time zone such as Europe/Paris");
    hours.tz = doc["tz"].get<std::string>();
    try {
      hours.zone = date::locate_zone(hours.tz);
    } catch (const std::exception&) {
      Fail(path + ".tz", "unknown time zone \"" + hours.tz + "\"");
    }
    std::string text;
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      if (it.key() == "tz") continue;
      const std::string key_path = path + "." + it.key();
      std::size_t dash = it.key().find('-');
      int first = DayIndex(it.key().substr(0, dash));
      int last = dash == std::string::npos ? first : DayIndex(it.key().substr(dash + 1));
      if (first < 0 || last < 0) Fail(key_path, "expected a day (mon..sun) or a range of days such as mon-fri");
      if (!it.value().is_string()) Fail(key_path, "expected an interval such as \"09:00-18:00\"");
      const std::string interval = it.value().get<std::string>();
      int start = interval.size() == 11 && interval[5] == '-' ? Minutes(interval.substr(0, 5)) : -1;
      int end = start < 0 ? -1 : Minutes(interval.substr(6));
      if (start < 0 || end <= start)
        Fail(key_path, "expected an interval such as \"09:00-18:00\", ending after it starts");
      for (int d = first;; d = (d + 1) % 7) {
        hours.open[d].emplace_back(start, end);
        if (d == last) break;
      }
      text += (text.empty() ? "" : ", ") + it.key() + " " + interval;
    }
    hours.text = text + " (" + hours.tz + ")";
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(hours);
  return Status::OK();
}

}  // namespace switchboard
