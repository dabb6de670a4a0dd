// For tests only: the desk's vocabulary (events/vocabulary.h) compared with and printed as its names,
// so a test reads `BOOST_TEST(ticket.status == "open")` and a failure prints the name. Product code
// compares enums, never names.
#pragma once

#include <optional>
#include <ostream>
#include <string_view>

#include "events/vocabulary.h"

namespace switchboard {

#define SWITCHBOARD_VOCABULARY_IO(E)                                                                         \
  inline bool operator==(E v, std::string_view name) { return Name(v) == name; }                             \
  inline bool operator!=(E v, std::string_view name) { return Name(v) != name; }                             \
  inline bool operator==(const std::optional<E>& v, std::string_view name) { return v && Name(*v) == name; } \
  inline bool operator!=(const std::optional<E>& v, std::string_view name) { return !(v == name); }          \
  inline std::ostream& operator<<(std::ostream& os, E v) { return os << Name(v); }                           \
  inline std::ostream& operator<<(std::ostream& os, const std::optional<E>& v) {                             \
    return v ? os << Name(*v) : os << "(none)";                                                              \
  }

SWITCHBOARD_VOCABULARY_IO(TicketStatus)
SWITCHBOARD_VOCABULARY_IO(Priority)
SWITCHBOARD_VOCABULARY_IO(Channel)
SWITCHBOARD_VOCABULARY_IO(Presence)
SWITCHBOARD_VOCABULARY_IO(RoutingStyle)
SWITCHBOARD_VOCABULARY_IO(Session)

#undef SWITCHBOARD_VOCABULARY_IO

}  // namespace switchboard
