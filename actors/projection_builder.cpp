#include "actors/projection_builder.h"

#include <caf/all.hpp>

#include "actors/messages.h"

namespace switchboard {
namespace {

struct BuilderState {
  static inline const char* name = "projection-builder";
};

caf::behavior Builder(caf::stateful_actor<BuilderState>* self, EventStore* store, caf::actor journal,
                      std::shared_ptr<RebuildJob> job, std::shared_ptr<std::function<void(Status)>> done) {
  Status s = BeginRebuild(*store, job.get());
  if (!s.ok()) {
    (*done)(s);
    self->quit();
    return {};
  }
  self->send(self, RebuildTick{});
  return {
      [=](RebuildTick) {
        bool caught_up = false;
        Status step = RebuildStep(*store, job.get(), &caught_up);
        if (!step.ok()) {
          (*done)(step);
          self->quit();
        } else if (caught_up) {
          self->send(journal, FinishRebuildJob{job, done});
          self->quit();
        } else {
          self->send(self, RebuildTick{});
        }
      },
  };
}

}  // namespace

caf::actor SpawnProjectionBuilder(caf::actor_system& system, EventStore* store, caf::actor journal,
                                  std::shared_ptr<RebuildJob> job, std::function<void(Status)> done) {
  return system.spawn<caf::detached>(Builder, store, std::move(journal), std::move(job),
                                     std::make_shared<std::function<void(Status)>>(std::move(done)));
}

}  // namespace switchboard
