#include "actors/journal_actor.h"

#include <caf/all.hpp>

#include "actors/messages.h"

namespace switchboard {
namespace {

struct JournalState {
  EventStore* store = nullptr;
  Publisher* publisher = nullptr;
  std::size_t max_group = 1024;
  std::vector<PersistCommand> pending;
  Status failure;  // sticky: once the store fails, nothing more is written
  static inline const char* name = "journal";
};

void Flush(JournalState& st) {
  std::vector<const CommandWrite*> group;
  group.reserve(st.pending.size());
  for (const PersistCommand& p : st.pending) {
    if (!p.duplicate) group.push_back(&p.write);
  }
  if (st.failure.ok() && !group.empty()) st.failure = st.store->Write(group);
  if (st.failure.ok()) {
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
    ack.status = st.failure;
    if (st.failure.ok()) ack.events = std::move(p.write.events);
    (*p.done)(std::move(ack));
  }
  st.pending.clear();
}

caf::behavior Journal(caf::stateful_actor<JournalState>* self, EventStore* store, Publisher* publisher,
                      std::size_t max_group) {
  self->state.store = store;
  self->state.publisher = publisher;
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
        (*f.done)(st.failure.ok() ? FinishRebuild(*st.store, f.job.get()) : st.failure);
      },
  };
}

}  // namespace

caf::actor SpawnJournal(caf::actor_system& system, EventStore* store, Publisher* publisher, std::size_t max_group) {
  return system.spawn<caf::detached>(Journal, store, publisher, max_group);
}

}  // namespace switchboard
