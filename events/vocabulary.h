// The closed vocabulary of the desk: ticket statuses, priorities, channels, agent presence, routing
// styles and session states, each an enum class with one name table (the names of PROTOCOL.md).
//
// Every order the domain relies on is the enum's order: statuses new < open < pending < on-hold <
// solved < closed (conditions' less_than / greater_than, views sorted by status), priorities low <
// normal < high < urgent. Parse* answer nullopt for a name that is not in the table; Name never
// fails. Events keep the names as strings on disk (docs/storage-format.md), so a log written by any
// build reads the same. Pure, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

enum class TicketStatus : std::uint8_t { kNew, kOpen, kPending, kOnHold, kSolved, kClosed };
enum class Priority : std::uint8_t { kLow, kNormal, kHigh, kUrgent };
enum class Channel : std::uint8_t { kMessaging, kEmail };
enum class Presence : std::uint8_t { kOnline, kAway, kOffline };
enum class RoutingStyle : std::uint8_t { kOmnichannel, kAssignment, kBroadcast };
enum class Session : std::uint8_t { kActive, kInactive, kEnded };

inline constexpr std::array<std::string_view, 6> kTicketStatusNames{"new",     "open",   "pending",
                                                                    "on-hold", "solved", "closed"};
inline constexpr std::array<std::string_view, 4> kPriorityNames{"low", "normal", "high", "urgent"};
inline constexpr std::array<std::string_view, 2> kChannelNames{"messaging", "email"};
inline constexpr std::array<std::string_view, 3> kPresenceNames{"online", "away", "offline"};
inline constexpr std::array<std::string_view, 3> kRoutingStyleNames{"omnichannel", "assignment", "broadcast"};
inline constexpr std::array<std::string_view, 3> kSessionNames{"active", "inactive", "ended"};

constexpr std::string_view Name(TicketStatus v) { return kTicketStatusNames[static_cast<int>(v)]; }
constexpr std::string_view Name(Priority v) { return kPriorityNames[static_cast<int>(v)]; }
constexpr std::string_view Name(Channel v) { return kChannelNames[static_cast<int>(v)]; }
constexpr std::string_view Name(Presence v) { return kPresenceNames[static_cast<int>(v)]; }
constexpr std::string_view Name(RoutingStyle v) { return kRoutingStyleNames[static_cast<int>(v)]; }
constexpr std::string_view Name(Session v) { return kSessionNames[static_cast<int>(v)]; }

std::optional<TicketStatus> ParseTicketStatus(std::string_view name);
std::optional<Priority> ParsePriority(std::string_view name);
std::optional<Channel> ParseChannel(std::string_view name);
std::optional<Presence> ParsePresence(std::string_view name);
std::optional<RoutingStyle> ParseRoutingStyle(std::string_view name);

// "new, open, pending, on-hold, solved or closed": the names of a table, for refusals.
template <std::size_t N>
std::string NameList(const std::array<std::string_view, N>& names) {
  std::string out;
  for (std::size_t i = 0; i < N; ++i) {
    out += i == 0 ? "" : i + 1 == N ? " or " : ", ";
    out += names[i];
  }
  return out;
}

}  // namespace switchboard
