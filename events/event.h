// Event: one immutable fact in the log, as a plain C++ value.
//
// The event structs are the FlatBuffers object API generated from events/events.fbs, so the schema
// is the single definition of every event type: the domain builds `Event` values, the codec packs
// them into verified buffers, and event_json renders any of them through reflection. Only the codec
// and storage touch the binary (`fb::Event`) form. See docs/ARCHITECTURE.md, "Events".
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "events/events_generated.h"

namespace switchboard {

using Event = fb::EventT;

// Makes an event whose payload is `payload`; the engine fills seq, at, cmd and rule.
template <class Payload>
Event MakeEvent(Payload payload) {
  Event e;
  e.payload.Set(std::move(payload));
  return e;
}

// The PROTOCOL.md type name of an event (`ticket.created`, ...), from the schema's `event` attribute.
std::string_view EventTypeName(fb::Payload type);

}  // namespace switchboard
