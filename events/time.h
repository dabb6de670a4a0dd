// Timestamps of the engine's clock: milliseconds since the Unix epoch, UTC.
//
// The clock is the commands' `at` (PROTOCOL.md); these helpers turn RFC 3339 text into timestamps and
// back. Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

using Timestamp = std::int64_t;  // milliseconds since 1970-01-01T00:00:00Z

constexpr Timestamp kMillisPerSecond = 1000;
constexpr Timestamp kMillisPerMinute = 60 * kMillisPerSecond;
constexpr Timestamp kMillisPerHour = 60 * kMillisPerMinute;

// Parses `2026-11-23T09:00:00Z`, with optional fractional seconds and a `Z` or `±HH:MM` offset.
// Returns nullopt when the text is not RFC 3339.
std::optional<Timestamp> ParseRfc3339(std::string_view text);

// Formats as `2026-11-23T09:00:00Z`, with `.mmm` only when the milliseconds are not zero.
std::string FormatRfc3339(Timestamp t);

// The wall clock, for commands that carry no `at`.
Timestamp WallClockNow();

}  // namespace switchboard
