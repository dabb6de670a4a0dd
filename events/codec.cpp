#include "events/codec.h"

#include <flatbuffers/flatbuffers.h>

#include "events/json_depth.h"

namespace switchboard {
namespace {

// Tables nest as deep as the JSON values they type (events/value.h): a contact.updated profile, at
// depth 3 under the envelope and the payload, holds values of a command nested kMaxJsonDepth deep.
// FlatBuffers' default of 64 would refuse the deepest such event; the margin is for envelope tables.
constexpr flatbuffers::uoffset_t kMaxTableDepth = kMaxJsonDepth + 8;
constexpr flatbuffers::uoffset_t kMaxTables = 1000000;  // FlatBuffers' default

}  // namespace

std::string EncodeEvent(const Event& event) {
  thread_local flatbuffers::FlatBufferBuilder builder(1024);  // reused: no allocation per event
  builder.Clear();
  builder.Finish(fb::Event::Pack(builder, &event));
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

const fb::Event* VerifyEvent(std::string_view bytes) {
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), kMaxTableDepth,
                                 kMaxTables);
  if (!fb::VerifyEventBuffer(verifier)) return nullptr;
  return fb::GetEvent(bytes.data());
}

Status DecodeEvent(std::string_view bytes, Event* out) {
  const fb::Event* e = VerifyEvent(bytes);
  if (e == nullptr) return Status::Corruption("an event record in the log is not a valid event buffer");
  *out = Event();
  e->UnPackTo(out);
  return Status::OK();
}

}  // namespace switchboard
