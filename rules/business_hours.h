// BusinessHours: when a group works, in its IANA time zone (B4, B10). Parsed from a group's "hours":
// {"tz": "Europe/Paris", "mon-fri": "09:00-18:00", "sat": "10:00-14:00"}. A day or a range of days
// maps to one interval "HH:MM-HH:MM" (end after start; "24:00" ends at midnight). Values,
// thread-safe once built (the tz database is read-only).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <string>
#include <utility>
#include <vector>

#include "events/time.h"
#include "switchboard/status.h"

namespace date {
class time_zone;
}

namespace switchboard {

struct BusinessHours {
  std::string tz;
  const date::time_zone* zone = nullptr;
  std::array<std::vector<std::pair<int, int>>, 7> open;  // by weekday, 0 = Sunday: [start, end) in minutes
  std::string text;                                      // "mon-fri 09:00-18:00 (Europe/Paris)"

  bool IsOpen(Timestamp t) const;
  // The first instant after `t` at which one of its intervals starts (a queue may drain then, B14);
  // 0 when it never opens.
  Timestamp NextOpening(Timestamp t) const;
};

// Refuses with "PATH.KEY: sentence" (an unknown zone, day or interval).
Status ParseBusinessHours(const nlohmann::json& doc, const std::string& path, BusinessHours* out);

}  // namespace switchboard
