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
  // The commands submitted while the front door was busy, sent to the desk as one request once the
  // messages queued before them are handled (or at max_batch), as the journal groups writes.
  std::vector<Command> commands;
  std::vector<std::uint64_t> tokens;
  bool flush_sent = false;  // a flush message to itself is on its way
  std::size_t max_batch = 1024;
  static inline const char* name = "front-door";
};

void Complete(Completions* completions, std::uint64_t token, Acknowledgement ack) {
  if (Completions::Completion done = completions->Take(token)) done(std::move(ack));
}

void SendBatch(FrontDoorActor::stateful_pointer<FrontDoorState> self, const DeskActor& desk, Completions* completions) {
  std::vector<std::uint64_t> tokens = std::move(self->state.tokens);
  std::vector<Command> commands = std::move(self->state.commands);
  self->state.tokens.clear();
  self->state.commands.clear();
  std::vector<std::string> ids;
  ids.reserve(commands.size());
  for (const Command& c : commands) ids.push_back(c.id);
  self->request(desk, caf::infinite, decide_atom::value, std::move(commands))
      .then(
          [=](std::vector<Acknowledgement>& acks) {
            for (std::size_t i = 0; i < tokens.size(); ++i) {
              Acknowledgement ack;
              if (i < acks.size()) {
                ack = std::move(acks[i]);
              } else {
                ack.command_id = ids[i];
                ack.status = Status::Corruption("the desk answered " + std::to_string(acks.size()) + " of " +
                                                std::to_string(tokens.size()) + " commands");
              }
              Complete(completions, tokens[i], std::move(ack));
            }
          },
          [=](caf::error& e) {
            // The desk is gone (the engine is closing): the commands were not applied.
            for (std::size_t i = 0; i < tokens.size(); ++i) {
              Acknowledgement ack;
              ack.command_id = ids[i];
              ack.status = Status::IOError("the engine stopped before deciding the command: " + to_string(e));
              Complete(completions, tokens[i], std::move(ack));
            }
          });
}

FrontDoorActor::behavior_type FrontDoor(FrontDoorActor::stateful_pointer<FrontDoorState> self, DeskActor desk,
                                        Completions* completions, std::size_t max_batch) {
  self->state.max_batch = max_batch == 0 ? 1 : max_batch;
  return {
      [=](submit_atom, std::uint64_t token, Command& command) {
        auto& st = self->state;
        st.commands.push_back(std::move(command));
        st.tokens.push_back(token);
        if (st.commands.size() >= st.max_batch) {
          SendBatch(self, desk, completions);
        } else if (!st.flush_sent) {
          // Behind whatever is already in the mailbox (more commands, or replies): the batch goes
          // once those are in, so a burst is one request and a lone command waits for nothing.
          st.flush_sent = true;
          self->send(self, flush_atom::value);
        }
      },
      [=](flush_atom) {
        self->state.flush_sent = false;
        if (!self->state.commands.empty()) SendBatch(self, desk, completions);
      },
  };
}

}  // namespace

FrontDoorActor SpawnFrontDoor(caf::actor_system& system, DeskActor desk, Completions* completions,
                              std::size_t max_batch, Threading threading) {
  if (threading == Threading::kScheduled) return system.spawn(FrontDoor, std::move(desk), completions, max_batch);
  return system.spawn<caf::detached>(FrontDoor, std::move(desk), completions, max_batch);
}

}  // namespace switchboard
