// Business time: durations counted only while a group's business hours are open (B61: an SLA target
// "in business hours"), in the group's time zone, daylight-saving changes included: a working day
// that loses an hour to DST counts its real, shorter length. Pure functions over BusinessHours;
// thread-safe.
#pragma once

#include <cstdint>

#include "events/time.h"
#include "rules/business_hours.h"

namespace switchboard {

// The instant at which `millis` of open time have passed since `from`; `from` itself when millis
// is 0 or less. 0 when the hours never open (nothing can ever be counted).
Timestamp AddBusinessTime(const BusinessHours& hours, Timestamp from, std::int64_t millis);

// The open time between `from` and `to` (0 when to <= from).
std::int64_t BusinessTimeBetween(const BusinessHours& hours, Timestamp from, Timestamp to);

}  // namespace switchboard
