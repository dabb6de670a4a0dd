// The lookup worker: performs one HTTP lookup of the bot off the desk's thread (a detached actor: it
// blocks on the network), then submits the answer to the desk as a lookup.result command and hands
// the desk's reply to `done`. A slow or failing lookup therefore never holds up other
// conversations (B5).
#pragma once

#include <caf/actor_system.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "actors/interfaces.h"

namespace switchboard {

struct LookupRequest {
  std::uint64_t conversation = 0;
  std::uint64_t started_seq = 0;  // the lookup.started event: makes the answer's command id unique
  std::string lookup;
  std::string url;
  std::string input;
  int timeout_ms = 2000;
};

// The lookup.result command that carries `answer` for `request`.
Command LookupResultCommand(const LookupRequest& request, bool ok, int http_status, const std::string& body,
                            const std::string& error);

void SpawnLookupWorker(caf::actor_system& system, DeskActor desk, LookupRequest request,
                       std::function<void(Acknowledgement)> done);

}  // namespace switchboard
