#include "actors/journal_actor.h"

#include <caf/all.hpp>

#include <iterator>

namespace switchboard {
namespace {

// One request's outcomes and the promise of its reply.
struct PendingWrite {
  std::vector<PersistCommand> commands;
  caf::typed_response_promise<std::vector<Acknowledgement>> reply;
};

struct JournalState {
  EventStore* store = nullptr;
  Publisher* publisher = nullptr;
  EngineFailure* failure = nullptr;  // sticky: once set (here or by the desk), nothing more is written
  RebuildJobs* rebuilds = nullptr;
  FeedsActor feeds;
  std::size_t max_group = 1024;
  std::vector<PendingWrite> pending;
  std::size_t pending_commands = 0;
  static inline const char* name = "journal";
};

// Writes the pending group and answers each request; the feed notices of what is now durable.
std::vector<FeedNotice> Flush(JournalState& st) {
  std::vector<const CommandWrite*> group;
  group.reserve(st.pending_commands);
  for (const PendingWrite& p : st.pending) {
    for (const PersistCommand& c : p.commands) {
      if (!c.duplicate && !c.refused) group.push_back(&c.write);
    }
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
  std::vector<FeedNotice> feed;
  if (failure.ok()) {
    for (PendingWrite& p : st.pending) {
      for (PersistCommand& c : p.commands) std::move(c.feed.begin(), c.feed.end(), std::back_inserter(feed));
    }
  }
  for (PendingWrite& p : st.pending) {
    std::vector<Acknowledgement> acks;
    acks.reserve(p.commands.size());
    for (PersistCommand& c : p.commands) {
      if (c.silent) continue;
      Acknowledgement ack;
      ack.command_id = std::move(c.write.command_id);
      ack.duplicate = c.duplicate;
      ack.status = failure;
      if (failure.ok()) ack.events = std::move(c.write.events);
      acks.push_back(std::move(ack));
    }
    p.reply.deliver(std::move(acks));
  }
  st.pending.clear();
  st.pending_commands = 0;
  return feed;
}

void FlushAndTell(JournalActor::stateful_pointer<JournalState> self) {
  std::vector<FeedNotice> feed = Flush(self->state);
  if (!feed.empty() && self->state.feeds) self->send(self->state.feeds, feed_atom::value, std::move(feed));
}

JournalActor::behavior_type Journal(JournalActor::stateful_pointer<JournalState> self, EventStore* store,
                                    Publisher* publisher, EngineFailure* failure, RebuildJobs* rebuilds,
                                    FeedsActor feeds, std::size_t max_group) {
  self->state.store = store;
  self->state.publisher = publisher;
  self->state.failure = failure;
  self->state.rebuilds = rebuilds;
  self->state.feeds = std::move(feeds);
  self->state.max_group = max_group;
  return {
      [=](persist_atom, std::vector<PersistCommand>& commands) -> caf::result<std::vector<Acknowledgement>> {
        auto& st = self->state;
        auto reply = self->make_response_promise<std::vector<Acknowledgement>>();
        st.pending_commands += commands.size();
        st.pending.push_back({std::move(commands), reply});
        if (st.pending_commands >= st.max_group || self->mailbox().empty()) FlushAndTell(self);
        return reply;
      },
      [=](finish_atom, std::uint64_t job_id) -> Status {
        auto& st = self->state;
        if (!st.pending.empty()) FlushAndTell(self);  // the rebuild must see every event decided before it
        std::shared_ptr<RebuildJob> job = st.rebuilds->Find(job_id);
        if (!job) return Status::NotFound("no rebuild job " + std::to_string(job_id));
        Status stopped = st.failure->Get();
        return stopped.ok() ? FinishRebuild(*st.store, job.get()) : stopped;
      },
  };
}

}  // namespace

JournalActor SpawnJournal(caf::actor_system& system, EventStore* store, Publisher* publisher, EngineFailure* failure,
                          RebuildJobs* rebuilds, FeedsActor feeds, std::size_t max_group, Threading threading) {
  if (threading == Threading::kScheduled) {
    return system.spawn(Journal, store, publisher, failure, rebuilds, std::move(feeds), max_group);
  }
  return system.spawn<caf::detached>(Journal, store, publisher, failure, rebuilds, std::move(feeds), max_group);
}

}  // namespace switchboard
