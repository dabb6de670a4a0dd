#include "events/vocabulary.h"

namespace switchboard {
namespace {

template <class E, std::size_t N>
std::optional<E> Find(const std::array<std::string_view, N>& names, std::string_view name) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

}  // namespace

std::optional<TicketStatus> ParseTicketStatus(std::string_view n) { return Find<TicketStatus>(kTicketStatusNames, n); }
std::optional<Priority> ParsePriority(std::string_view n) { return Find<Priority>(kPriorityNames, n); }
std::optional<Channel> ParseChannel(std::string_view n) { return Find<Channel>(kChannelNames, n); }
std::optional<Presence> ParsePresence(std::string_view n) { return Find<Presence>(kPresenceNames, n); }
std::optional<RoutingStyle> ParseRoutingStyle(std::string_view n) { return Find<RoutingStyle>(kRoutingStyleNames, n); }

}  // namespace switchboard
