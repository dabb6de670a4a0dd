// The messages between Switchboard's actors: the whole message contract in one header.
//
// Local-only messages carrying plain structs and completion callbacks; they never cross a process,
// so they are allowed as unsafe (not serializable) message types.
#pragma once

#include <caf/allowed_unsafe_message_type.hpp>

#include <functional>
#include <memory>

#include "events/command.h"
#include "storage/event_store.h"
#include "storage/rebuild.h"
#include "switchboard/engine.h"

namespace switchboard {

using Completion = std::function<void(Acknowledgement)>;

// Front door -> desk actor: decide one command.
struct DecideCommand {
  Command command;
  std::shared_ptr<Completion> done;
};

// Desk actor -> journal actor: make one command's outcome durable, then acknowledge it.
struct PersistCommand {
  CommandWrite write;
  bool duplicate = false;
  bool refused = false;  // not decided: the engine has stopped; acknowledged with its background error
  std::shared_ptr<Completion> done;
};

// Projection builder -> itself: fold the next chunk (a message per chunk, so the builder's mailbox
// stays responsive to an exit).
struct RebuildTick {};

// Projection builder -> journal actor: the job has caught up; fold the rest and make it live, between
// two groups of writes. `done` runs on the journal's thread.
struct FinishRebuildJob {
  std::shared_ptr<RebuildJob> job;
  std::shared_ptr<std::function<void(Status)>> done;
};

}  // namespace switchboard

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(switchboard::RebuildTick)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(switchboard::FinishRebuildJob)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(switchboard::DecideCommand)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(switchboard::PersistCommand)
