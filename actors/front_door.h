// The front door: the actor through which Engine::Submit's callers reach the desk. A caller's
// completion stays in this process, in Completions, named by a token; only the token and the
// command travel, as a request to the desk whose reply (sent by the journal once the outcome is
// durable) the front door hands to that completion. Runs detached: completions are the caller's
// code, and may take their time.
#pragma once

#include <caf/actor_system.hpp>

#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "actors/interfaces.h"
#include "actors/journal_actor.h"

namespace switchboard {

// The completions waiting for their acknowledgement, by token. Thread-safe.
class Completions {
 public:
  using Completion = std::function<void(Acknowledgement)>;
  std::uint64_t Add(Completion done);
  // The completion of `token`, removed; an empty function when there is none.
  Completion Take(std::uint64_t token);

 private:
  std::mutex mu_;
  std::unordered_map<std::uint64_t, Completion> waiting_;
  std::uint64_t next_ = 1;
};

// `max_batch`: most commands in one request (the journal's group size: a group holds whole requests).
FrontDoorActor SpawnFrontDoor(caf::actor_system& system, DeskActor desk, Completions* completions,
                              std::size_t max_batch, Threading threading = Threading::kDetached);

}  // namespace switchboard
