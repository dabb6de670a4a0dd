// Renders any event as the JSON line of PROTOCOL.md, through FlatBuffers reflection.
//
// This is the one code path for every event type: the envelope fields first (seq, type, at, cmd,
// rule, then the ids that are present), then the payload's fields in schema order, shaped by the
// schema's rendering attributes (`time`, `json`, `map`, `hidden`; see events/events.fbs).
// Thread-safe: the reflected schema is loaded once and only read afterwards.
#pragma once

#include <string>
#include <string_view>

#include "events/event.h"

namespace switchboard {

// `bytes` must be a buffer accepted by VerifyEvent.
std::string EventBufferToJson(std::string_view bytes);

// Packs and renders; for tests and tools that hold Event values.
std::string EventToJson(const Event& event);

// Appends `s` to `out` as a JSON string literal, escaped.
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace switchboard
