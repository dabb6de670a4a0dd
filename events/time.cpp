#include "events/time.h"

#include <date/date.h>

#include <chrono>
#include <cstdio>

namespace switchboard {
namespace {

bool ReadDigits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::optional<Timestamp> ParseRfc3339(std::string_view s) {
  int y, mo, d, h, mi, se;
  if (!ReadDigits(s, 0, 4, &y) || s.size() < 20 || s[4] != '-' || !ReadDigits(s, 5, 2, &mo) || s[7] != '-' ||
      !ReadDigits(s, 8, 2, &d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !ReadDigits(s, 11, 2, &h) ||
      s[13] != ':' || !ReadDigits(s, 14, 2, &mi) || s[16] != ':' || !ReadDigits(s, 17, 2, &se)) {
    return std::nullopt;
  }
  size_t pos = 19;
  int millis = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    int scale = 100;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      millis += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  Timestamp offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!ReadDigits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !ReadDigits(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (oh * 60 + om) * kMillisPerMinute * (s[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size() || mo < 1 || mo > 12 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)}, date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  Timestamp days = date::sys_days{ymd}.time_since_epoch().count();
  return days * 24 * kMillisPerHour + h * kMillisPerHour + mi * kMillisPerMinute + se * kMillisPerSecond + millis -
         offset;
}

std::string FormatRfc3339(Timestamp t) {
  auto tp = date::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{t}};
  auto day = date::floor<date::days>(tp);
  date::year_month_day ymd{day};
  date::hh_mm_ss<std::chrono::milliseconds> hms{tp - day};
  const int year = static_cast<int>(ymd.year());
  if (year >= 0 && year <= 9999) {
    // Every event and record carries times: digits by hand, not snprintf (measured on the desk's
    // thread, which renders the records).
    char out[24];
    auto two = [](char* at, unsigned v) {
      at[0] = static_cast<char>('0' + v / 10);
      at[1] = static_cast<char>('0' + v % 10);
    };
    two(out, static_cast<unsigned>(year / 100));
    two(out + 2, static_cast<unsigned>(year % 100));
    out[4] = '-';
    two(out + 5, static_cast<unsigned>(ymd.month()));
    out[7] = '-';
    two(out + 8, static_cast<unsigned>(ymd.day()));
    out[10] = 'T';
    two(out + 11, static_cast<unsigned>(hms.hours().count()));
    out[13] = ':';
    two(out + 14, static_cast<unsigned>(hms.minutes().count()));
    out[16] = ':';
    two(out + 17, static_cast<unsigned>(hms.seconds().count()));
    std::size_t n = 19;
    if (const auto ms = static_cast<unsigned>(hms.subseconds().count()); ms != 0) {
      out[n++] = '.';
      out[n++] = static_cast<char>('0' + ms / 100);
      two(out + n, ms % 100);
      n += 2;
    }
    out[n++] = 'Z';
    return std::string(out, n);
  }
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", year, static_cast<unsigned>(ymd.month()),
                        static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                        static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  auto ms = hms.subseconds().count();
  if (ms != 0) n += std::snprintf(buf + n, sizeof buf - n, ".%03d", static_cast<int>(ms));
  buf[n++] = 'Z';
  return std::string(buf, n);
}

Timestamp WallClockNow() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace switchboard
