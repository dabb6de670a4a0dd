// Key encodings of the event store. Big-endian numbers, so byte order is numeric order.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard {

void AppendBigEndian64(std::string& out, std::uint64_t v);
std::uint64_t ReadBigEndian64(std::string_view bytes);  // the first 8 bytes
std::string LogKey(std::uint64_t seq);

// A stream is everything that concerns one conversation, ticket, contact or agent (B53); an agent's
// stream also holds what its commands caused (an event's `by`). The configuration stream (number 0)
// holds every config.applied, so an audit can show the rules in force (B46).
enum class StreamKind : char { kConversation = 'v', kTicket = 't', kContact = 'c', kAgent = 'a', kConfig = 'g' };

// kind ‖ id ‖ be64 seq, where a numeric id is be64 and a string id is its bytes then a NUL byte.
std::string StreamPrefix(StreamKind kind, std::uint64_t number);
std::string StreamPrefix(StreamKind kind, std::string_view id);

}  // namespace switchboard
