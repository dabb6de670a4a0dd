#include "actors/front_door.h"

#include <caf/all.hpp>

namespace switchboard {

std::uint64_t Completions::Add(Completion done) {
  std::lock_guard<std::mutex> lock(mu_);
  waiting_.emplace(next_, std::move(done));
  return next_++;
}

Completions::Completion Completions::Take(std::uint64_t token) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = waiting_.find(token);
  if (it == waiting_.end()) return {};
  Completion done = std::move(it->second);
  waiting_.erase(it);
  return done;
}

namespace {

struct FrontDoorState {
  static inline const char* name = "front-door";
};

void Complete(Completions* completions, std::uint64_t token, Acknowledgement ack) {
  if (Completions::Completion done = completions->Take(token)) done(std::move(ack));
}

FrontDoorActor::behavior_type FrontDoor(FrontDoorActor::stateful_pointer<FrontDoorState> self, DeskActor desk,
                                        Completions* completions) {
  return {
      [=](submit_atom, std::uint64_t token, Command& command) {
        std::string id = command.id;
        self->request(desk, caf::infinite, decide_atom::value, std::move(command))
            .then([=](Acknowledgement& ack) { Complete(completions, token, std::move(ack)); },
                  [=](caf::error& e) {
                    // The desk is gone (the engine is closing): the command was not applied.
                    Acknowledgement ack;
                    ack.command_id = id;
                    ack.status = Status::IOError("the engine stopped before deciding the command: " + to_string(e));
                    Complete(completions, token, std::move(ack));
                  });
      },
  };
}

}  // namespace

FrontDoorActor SpawnFrontDoor(caf::actor_system& system, DeskActor desk, Completions* completions,
                              Threading threading) {
  if (threading == Threading::kScheduled) return system.spawn(FrontDoor, std::move(desk), completions);
  return system.spawn<caf::detached>(FrontDoor, std::move(desk), completions);
}

}  // namespace switchboard
