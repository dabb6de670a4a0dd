#include "rules/business_time.h"

#include <date/tz.h>

#include <algorithm>
#include <functional>
#include <vector>

namespace switchboard {
namespace {

template <typename Duration>
Timestamp ToMillis(date::sys_time<Duration> t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Calls fn(start, end) with each open interval, as UTC instants, in time order, from the local day
// of `from` on, until fn returns false or `max_days` local days have passed. An interval boundary
// that falls in a DST gap is taken at the earliest real instant, so the interval has its real length.
void ForEachOpenInterval(const BusinessHours& hours, Timestamp from, int max_days,
                         const std::function<bool(Timestamp, Timestamp)>& fn) {
  auto utc = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{from}};
  auto today = date::floor<date::days>(hours.zone->to_local(utc));
  for (int d = 0; d < max_days; ++d) {
    auto day = today + date::days{d};
    std::vector<std::pair<int, int>> intervals = hours.open[static_cast<int>(date::weekday{day}.c_encoding())];
    std::sort(intervals.begin(), intervals.end());
    for (const auto& [start, end] : intervals) {
      Timestamp s = ToMillis(hours.zone->to_sys(day + std::chrono::minutes{start}, date::choose::earliest));
      Timestamp e = ToMillis(hours.zone->to_sys(day + std::chrono::minutes{end}, date::choose::earliest));
      if (e <= s) continue;
      if (!fn(s, e)) return;
    }
  }
}

// Ten years of days: a target longer than that in business time is not one anybody sets, and a
// schedule with no open interval must end the search.
constexpr int kMaxDays = 3660;

}  // namespace

Timestamp AddBusinessTime(const BusinessHours& hours, Timestamp from, std::int64_t millis) {
  if (millis <= 0) return from;
  Timestamp due = 0;
  std::int64_t left = millis;
  ForEachOpenInterval(hours, from, kMaxDays, [&](Timestamp s, Timestamp e) {
    s = std::max(s, from);
    if (e <= s) return true;
    if (e - s >= left) {
      due = s + left;
      return false;
    }
    left -= e - s;
    return true;
  });
  return due;
}

std::int64_t BusinessTimeBetween(const BusinessHours& hours, Timestamp from, Timestamp to) {
  if (to <= from) return 0;
  std::int64_t total = 0;
  ForEachOpenInterval(hours, from, kMaxDays, [&](Timestamp s, Timestamp e) {
    if (s >= to) return false;
    s = std::max(s, from);
    e = std::min(e, to);
    if (e > s) total += e - s;
    return true;
  });
  return total;
}

}  // namespace switchboard
