#include "actors/lookup_worker.h"

#include <caf/all.hpp>

#include "storage/http_get.h"

namespace switchboard {

namespace {

void LookupWorker(caf::blocking_actor*, caf::actor desk, LookupRequest request, std::shared_ptr<Completion> done) {
  HttpAnswer answer = HttpGet(request.url, request.input, std::chrono::milliseconds(request.timeout_ms));
  Command command;
  command.kind = CommandKind::kLookupResult;
  command.id = "lookup:" + std::to_string(request.conversation) + ":" + std::to_string(request.started_seq);
  command.conversation = request.conversation;
  command.lookup = request.lookup;
  if (!answer.ok) {
    command.error = answer.error;
  } else if (answer.status != 200) {
    command.error = "the lookup answered HTTP " + std::to_string(answer.status);
  } else {
    command.result = answer.body;  // the desk checks it is a JSON object
  }
  caf::anon_send(desk, DecideCommand{std::move(command), std::move(done)});
}

}  // namespace

// The request travels as spawn arguments: CAF 0.17 binds a null reference when a function actor is
// spawned without any (UBSan reports it).
void SpawnLookupWorker(caf::actor_system& system, caf::actor desk, LookupRequest request,
                       std::shared_ptr<Completion> done) {
  system.spawn<caf::detached>(LookupWorker, std::move(desk), std::move(request), std::move(done));
}

}  // namespace switchboard
