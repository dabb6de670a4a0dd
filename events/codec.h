// Codec: Event values to and from the verified FlatBuffers bytes stored in the log.
//
// The only place that packs or verifies event buffers. Decoding verifies first and maps a failure
// to a Corruption status. Buffers must be 8-byte aligned (FlatBuffers reads scalars in place):
// std::string heap data is; storage hands out aligned copies. Thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>

#include "events/event.h"
#include "switchboard/status.h"

namespace switchboard {

// Packs `event` into a self-contained buffer.
std::string EncodeEvent(const Event& event);

// Verifies `bytes` as an Event buffer; nullptr when they are not one.
const fb::Event* VerifyEvent(std::string_view bytes);

// Verifies and unpacks; Corruption when `bytes` are not a valid Event buffer.
Status DecodeEvent(std::string_view bytes, Event* out);

}  // namespace switchboard
