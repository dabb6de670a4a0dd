#include "actors/lookup_worker.h"

#include <caf/all.hpp>

#include "storage/http_get.h"

namespace switchboard {

Command LookupResultCommand(const LookupRequest& request, bool ok, int http_status, const std::string& body,
                            const std::string& error) {
  Command command;
  command.kind = CommandKind::kLookupResult;
  command.id = "lookup:" + std::to_string(request.conversation) + ":" + std::to_string(request.started_seq);
  command.conversation = request.conversation;
  command.lookup = request.lookup;
  if (!ok) {
    command.error = error;
  } else if (http_status != 200) {
    command.error = "the lookup answered HTTP " + std::to_string(http_status);
  } else {
    command.result = body;  // the desk checks it is a JSON object
  }
  return command;
}

namespace {

void LookupWorker(caf::blocking_actor* self, DeskActor desk, LookupRequest request,
                  std::function<void(Acknowledgement)> done) {
  HttpAnswer answer = HttpGet(request.url, request.input, std::chrono::milliseconds(request.timeout_ms));
  Command command = LookupResultCommand(request, answer.ok, answer.status, answer.body, answer.error);
  self->request(desk, caf::infinite, decide_atom::value, std::vector<Command>{std::move(command)})
      .receive([&](std::vector<Acknowledgement>& acks) { done(std::move(acks.at(0))); },
               [&](caf::error& e) {
                 Acknowledgement ack;
                 ack.status = Status::IOError("the desk did not answer the lookup: " + to_string(e));
                 done(std::move(ack));
               });
}

}  // namespace

// The request travels as spawn arguments: CAF 0.17 binds a null reference when a function actor is
// spawned without any (UBSan reports it).
void SpawnLookupWorker(caf::actor_system& system, DeskActor desk, LookupRequest request,
                       std::function<void(Acknowledgement)> done) {
  system.spawn<caf::detached>(LookupWorker, std::move(desk), std::move(request), std::move(done));
}

}  // namespace switchboard
