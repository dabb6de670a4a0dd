#include "actors/projection_builder.h"

#include <caf/all.hpp>

namespace switchboard {
namespace {

struct BuilderState {
  static inline const char* name = "projection-builder";
};

BuilderActor::behavior_type Builder(BuilderActor::stateful_pointer<BuilderState> self, EventStore* store,
                                    JournalActor journal, std::shared_ptr<RebuildJob> job, std::uint64_t job_id,
                                    std::shared_ptr<std::function<void(Status)>> done) {
  Status s = BeginRebuild(*store, job.get());
  if (!s.ok()) {
    (*done)(s);
    self->quit();
    return {[](step_atom) {}};
  }
  self->send(self, step_atom::value);
  return {
      [=](step_atom) {
        bool caught_up = false;
        Status step = RebuildStep(*store, job.get(), &caught_up);
        if (!step.ok()) {
          (*done)(step);
          self->quit();
        } else if (caught_up) {
          self->request(journal, caf::infinite, finish_atom::value, job_id)
              .then(
                  [=](Status& finished) {
                    (*done)(finished);
                    self->quit();
                  },
                  [=](caf::error& e) {
                    (*done)(Status::IOError("the journal did not finish the rebuild: " + to_string(e)));
                    self->quit();
                  });
        } else {
          self->send(self, step_atom::value);
        }
      },
  };
}

}  // namespace

BuilderActor SpawnProjectionBuilder(caf::actor_system& system, EventStore* store, JournalActor journal,
                                    std::shared_ptr<RebuildJob> job, std::uint64_t job_id,
                                    std::function<void(Status)> done) {
  return system.spawn<caf::detached>(Builder, store, std::move(journal), std::move(job), job_id,
                                     std::make_shared<std::function<void(Status)>>(std::move(done)));
}

}  // namespace switchboard
