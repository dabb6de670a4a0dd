#include "actors/journal_actor.h"

#include <caf/all.hpp>

#include "actors/messages.h"

namespace switchboard {
namespace {

struct JournalState {
  EventStore* store = nullptr;
  Publisher* publisher = nullptr;
  EngineFailure* failure = nullptr;  // sticky: once set (here or by the desk), nothing more is written
  std::size_t max_group = 1024;
  std::vector<PersistCommand> pending;
  static inline const char* name = "journal";
};

void Flush(JournalState& st) {
  std::vector<const CommandWrite*> group;
  group.reserve(st.pending.size());
  for (const PersistCommand& p : st.pending) {
    if (!p.duplicate && !p.refused) group.push_back(&p.write);
  }
  // Checked before writing, not only after a failure of our own: commands decided before the desk
  // recorded a failure must not reach the log after it (the engine has stopped at that failure).
  Status failure = st.failure->Get();
  if (failure.ok() && !group.empty()) {
    Status written = st.store->Write(group);
    if (!written.ok()) failure = st.failure->Record(written);
  }
  if (failure.ok()) {
    std::vector<const std::string*> events;
    for (const CommandWrite* w : group) {
      for (const std::string& e : w->events) events.push_back(&e);
    }
    st.publisher->Publish(events);
  }
  for (PersistCommand& p : st.pending) {
    Acknowledgement ack;
    ack.command_id = p.write.command_id;
    ack.duplicate = p.duplicate;
    ack.status = failure;
    if (failure.ok()) ack.events = std::move(p.write.events);
    (*p.done)(std::move(ack));
  }
  st.pending.clear();
}

caf::behavior Journal(caf::stateful_actor<JournalState>* self, EventStore* store, Publisher* publisher,
                      EngineFailure* failure, std::size_t max_group) {
  self->state.store = store;
  self->state.publisher = publisher;
  self->state.failure = failure;
  self->state.max_group = max_group;
  return {
      [=](PersistCommand& p) {
        auto& st = self->state;
        st.pending.push_back(std::move(p));
        if (st.pending.size() >= st.max_group || self->mailbox().empty()) Flush(st);
      },
      [=](FinishRebuildJob& f) {
        auto& st = self->state;
        if (!st.pending.empty()) Flush(st);  // the rebuild must see every event decided before it
        Status stopped = st.failure->Get();
        (*f.done)(stopped.ok() ? FinishRebuild(*st.store, f.job.get()) : stopped);
      },
  };
}

}  // namespace

caf::actor SpawnJournal(caf::actor_system& system, EventStore* store, Publisher* publisher, EngineFailure* failure,
                        std::size_t max_group) {
  return system.spawn<caf::detached>(Journal, store, publisher, failure, max_group);
}

}  // namespace switchboard
