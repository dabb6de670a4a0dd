// The lookup worker: performs one HTTP lookup of the bot off the desk's thread (a detached actor: it
// blocks on the network), then hands the answer back to the desk as a lookup.result command. A
// slow or failing lookup therefore never holds up other conversations (B5).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <cstdint>
#include <memory>
#include <string>

#include "actors/messages.h"

namespace switchboard {

struct LookupRequest {
  std::uint64_t conversation = 0;
  std::uint64_t started_seq = 0;  // the lookup.started event: makes the answer's command id unique
  std::string lookup;
  std::string url;
  std::string input;
  int timeout_ms = 2000;
};

void SpawnLookupWorker(caf::actor_system& system, caf::actor desk, LookupRequest request,
                       std::shared_ptr<Completion> done);

}  // namespace switchboard
