#include "actors/desk_actor.h"

#include <caf/all.hpp>

#include <algorithm>
#include <chrono>
#include <deque>
#include <list>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "actors/conversation_actor.h"
#include "actors/snapshot_maker.h"
#include "events/codec.h"
#include "projections/records.h"
#include "rules/domain/desk.h"
#include "rules/domain/ticket_facts.h"
#include "rules/text_fold.h"
#include "storage/restore.h"

namespace switchboard {
namespace {

struct Batch;

// A conversation actor alive, as the desk sees it.
struct LiveConversation {
  ConversationActor actor;
  std::uint64_t last_seq = 0;                // the last event it heard or made
  Timestamp touched = 0;                     // engine time
  std::list<std::uint64_t>::iterator place;  // in DeskActorState::touch_order
};

struct DeskActorState {
  std::shared_ptr<DeskState> state;
  std::shared_ptr<ReadModel> read;  // beside `state`: what only the records need
  std::unique_ptr<Desk> desk;
  EventStore* store = nullptr;
  std::unique_ptr<StoreRestorer> restorer;  // reads back what eviction let go
  DeskGauges* gauges = nullptr;
  EngineFailure* failure = nullptr;
  JournalActor journal;
  // Ids decided recently: catches a repeat before its first copy is durable; the store answers for
  // the others. Only the last `window` are kept: Submit blocks while max_in_flight commands are
  // unacknowledged, so an id decided that many commands ago is durable, and the set stays a few
  // hundred kilobytes instead of growing with every command the process ever saw.
  std::unordered_set<std::string> decided;
  std::deque<std::string> decided_order;
  std::size_t window = 0;
  std::vector<Event> events;   // reused: one allocation for the life of the actor
  std::string pending_config;  // given at open; recorded at the first command's time
  std::function<void(LookupRequest)> start_lookup;
  std::shared_ptr<Clock> clock;
  // The conversation actors alive, and their ids least recently touched first (idle passivation).
  std::unordered_map<std::uint64_t, LiveConversation> conversations;
  std::list<std::uint64_t> touch_order;
  std::vector<ConversationActor> blank;  // actors hosting no conversation, ready for the next
  static constexpr std::size_t kMaxBlank = 256;
  Timestamp conversation_idle_ms = 0;
  std::uint64_t snapshot_every = 0;
  std::uint64_t last_snapshot = 0;  // the last one asked for
  std::unique_ptr<SnapshotMaker> snapshots;
  // Batches that arrived while one was waiting for a turn: decided next, in arrival order (never
  // empty unless a turn is out: each batch's end runs the next).
  std::deque<std::shared_ptr<Batch>> waiting;
  std::shared_ptr<Batch> turn_out;  // the batch whose command's turn is out, and that turn's conversation
  std::uint64_t turn_conversation = 0;
  static inline const char* name = "desk";
};

using DeskSelf = DeskActor::stateful_pointer<DeskActorState>;

// A batch of commands being decided: it stops at each bot turn and goes on with the reply.
struct Batch {
  std::vector<Command> commands;
  std::size_t next = 0;
  std::vector<PersistCommand> outcomes;
  PersistCommand current;  // the outcome of commands[next], while its turn is out
  caf::typed_response_promise<std::vector<Acknowledgement>> promise;
};

// A failed read is a failure, not a "no": deciding the command anyway could apply it twice.
Status IsDuplicate(DeskActorState& st, const std::string& id, bool* duplicate) {
  *duplicate = false;
  if (id.empty()) return Status::OK();
  if (st.decided.count(id)) {
    *duplicate = true;
    return Status::OK();
  }
  return st.store->HasCommand(id, duplicate);
}

// Once the engine has stopped, a command is not decided: the journal acknowledges it, in order with
// those before it, with the background error.
void Refuse(const Command& command, std::vector<PersistCommand>* out) {
  PersistCommand refused;
  refused.write.command_id = command.id;
  refused.refused = true;
  out->push_back(std::move(refused));
}

// Encodes the events decided since the last call, with the records they changed.
void Collect(DeskActorState& s, PersistCommand& out) {
  out.write.events.reserve(s.events.size());
  for (const Event& e : s.events) {
    out.write.events.push_back(EncodeEvent(e));
    s.read->Apply(e, *s.state);
  }
  out.write.records = DirtyRecords(*s.state, *s.read);
  out.write.last_seq = s.state->last_seq();
  out.feed = s.read->feeds().notices();
  s.read->ClearDirty();
  s.events.clear();
  // Memory bounded by open work: what finished in a change the journal has written leaves.
  const std::uint64_t written = s.store->Acknowledged();
  s.state->Evict(written);
  s.read->Evict(written);
  s.gauges->contacts.store(s.state->contacts().size(), std::memory_order_relaxed);
  s.gauges->conversations.store(s.state->conversations().size(), std::memory_order_relaxed);
  s.gauges->tickets.store(s.state->tickets().size(), std::memory_order_relaxed);
}

// The configuration given at open goes in at the first command's time, so that the same input gives
// the same events (the wall clock at open would not). Its events travel with that command's outcome.
void ApplyPendingConfig(DeskActorState& s, const Command& first) {
  std::string text = std::move(s.pending_config);
  s.pending_config.clear();
  (void)s.desk->ApplyConfiguration(text, first.at.value_or(s.clock->NowMillis()), &s.events);  // validated at open
}

LookupRequest RequestFor(const DeskState& state, std::uint64_t conversation, std::uint64_t seq,
                         const std::string& lookup, const std::string& input) {
  const LookupConfig& config = state.config().bot.lookups.at(lookup);
  return LookupRequest{conversation, seq, lookup, config.url, input, config.timeout_ms};
}

// Starts the HTTP lookups the last decision began.
void StartLookups(DeskActorState& s) {
  for (const Event& e : s.events) {
    if (e.payload.type != fb::Payload::LookupStarted) continue;
    const auto* p = e.payload.AsLookupStarted();
    s.start_lookup(RequestFor(*s.state, e.conversation, e.seq, p->lookup, p->input));
  }
}

// The checks before a command is decided: the engine has not stopped, the id is new, what it names
// is in memory. False: its outcome (refused, or a duplicate) is already in `out`.
bool Admit(DeskActorState& s, const Command& command, std::vector<PersistCommand>* out) {
  if (!s.failure->ok()) {
    Refuse(command, out);
    return false;
  }
  bool duplicate = false;
  if (Status lookup = IsDuplicate(s, command.id, &duplicate); !lookup.ok()) {
    (void)s.failure->Record(lookup);
    Refuse(command, out);
    return false;
  }
  if (!s.pending_config.empty()) ApplyPendingConfig(s, command);
  if (duplicate) {
    if (!s.events.empty()) {  // a new configuration arrived with a repeated first command
      PersistCommand config_write;
      config_write.silent = true;
      Collect(s, config_write);
      out->push_back(std::move(config_write));
    }
    PersistCommand outcome;
    outcome.write.command_id = command.id;
    outcome.duplicate = true;
    out->push_back(std::move(outcome));
    return false;
  }
  if (!command.id.empty() && s.decided.insert(command.id).second) {
    s.decided_order.push_back(command.id);
    if (s.decided_order.size() > s.window) {
      s.decided.erase(s.decided_order.front());
      s.decided_order.pop_front();
    }
  }
  if (Status recall = s.state->Recall(command.contact, command.ticket); !recall.ok()) {
    (void)s.failure->Record(recall);  // what the command names cannot be read back: stop
    Refuse(command, out);
    return false;
  }
  return true;
}

// The actor of `id`, spawned when none is alive (`restore_before`: 0 for a conversation starting now,
// else its stream before that seq is read back), marked touched at `now`.
LiveConversation& Touch(DeskSelf self, std::uint64_t id, std::uint64_t restore_before, Timestamp now) {
  auto& s = self->state;
  auto it = s.conversations.find(id);
  if (it == s.conversations.end()) {
    LiveConversation live;
    if (!s.blank.empty()) {
      live.actor = std::move(s.blank.back());
      s.blank.pop_back();
    } else {
      live.actor = self->spawn(ConversationBehavior, s.store, caf::actor_cast<DeskActor>(self));
      s.gauges->conversation_actors_spawned.fetch_add(1, std::memory_order_relaxed);
    }
    self->send(live.actor, host_atom::value, id, restore_before);
    live.place = s.touch_order.insert(s.touch_order.end(), id);
    it = s.conversations.emplace(id, std::move(live)).first;
    if (restore_before != 0) s.gauges->conversation_actors_restored.fetch_add(1, std::memory_order_relaxed);
  } else {
    s.touch_order.splice(s.touch_order.end(), s.touch_order, it->second.place);
  }
  it->second.touched = now;
  return it->second;
}

// The conversation no longer has an actor (`told`: the actor already let it go after its last turn;
// else it is told to). The actor waits, blank, for the next conversation (a few are kept).
void Release(DeskSelf self, std::unordered_map<std::uint64_t, LiveConversation>::iterator it, bool told) {
  auto& s = self->state;
  ConversationActor actor = std::move(it->second.actor);
  s.touch_order.erase(it->second.place);
  s.conversations.erase(it);
  s.gauges->conversation_actors_passivated.fetch_add(1, std::memory_order_relaxed);
  if (s.blank.size() < DeskActorState::kMaxBlank) {
    if (!told) self->send(actor, passivate_atom::value);
    s.blank.push_back(std::move(actor));
  } else {
    self->send(actor, stop_atom::value);
  }
}

// The conversation's other events of this command reach its actor before anything it is asked next
// (one sender, one mailbox: in order). A conversation whose actor was passivated is restored first:
// everything it had heard was durable, so its stream holds everything before these events.
void DeliverNews(DeskSelf self) {
  auto& s = self->state;
  std::map<std::uint64_t, std::vector<Event>> news;
  for (std::size_t i : s.desk->bot_news()) news[s.events[i].conversation].push_back(s.events[i]);
  for (auto& [id, events] : news) {
    LiveConversation& live = Touch(self, id, events.front().seq, s.state->now());
    live.last_seq = events.back().seq;
    self->send(live.actor, hear_atom::value, std::move(events));
  }
}

// Passivates the actors untouched for the idle time whose every event the journal has written.
void PassivateIdle(DeskSelf self) {
  auto& s = self->state;
  const std::uint64_t durable = s.store->Acknowledged();
  while (!s.touch_order.empty()) {
    auto it = s.conversations.find(s.touch_order.front());
    const LiveConversation& live = it->second;
    if (live.touched + s.conversation_idle_ms > s.state->now() || live.last_seq > durable) break;
    Release(self, it, /*told=*/false);
  }
}

// The end of one command's decision: lookups started, conversations told, the outcome collected.
void Conclude(DeskSelf self, Batch& batch) {
  auto& s = self->state;
  StartLookups(s);
  DeliverNews(self);
  PassivateIdle(self);
  Collect(s, batch.current);
  s.gauges->conversation_actors.store(s.conversations.size(), std::memory_order_relaxed);
  batch.outcomes.push_back(std::move(batch.current));
  batch.current = PersistCommand();
}

void Run(DeskSelf self, std::shared_ptr<Batch> batch);

// The conversation's actor takes the turn; the desk awaits its `turned` (a batch that arrives
// meanwhile waits in DeskActorState::waiting: nothing else is decided), then ends the command's
// change with it and goes on with the batch. A queue of our own rather than CAF's `await`, which
// walks every message waiting in the mailbox at each turn (measured: a tenth of the desk's time).
void AskTurn(DeskSelf self, std::shared_ptr<Batch> batch, BotTurnRequest turn) {
  const std::uint64_t id = turn.conversation;
  const std::uint64_t restore_before =
      turn.kind == BotTurnKind::kStart ? 0 : (turn.prior.empty() ? turn.next_seq : turn.prior.front().seq);
  LiveConversation& live = Touch(self, id, restore_before, turn.at);
  self->state.turn_out = batch;
  self->state.turn_conversation = id;
  self->send(live.actor, turn_atom::value, std::move(turn));
}

// The turn's reply: ends the command's change with it and goes on with the batch.
void Turned(DeskSelf self, std::uint64_t id, BotTurnReply reply) {
  auto& s = self->state;
  if (!s.turn_out || id != s.turn_conversation) return;  // not the turn that is out: nothing waits for it
  std::shared_ptr<Batch> batch = std::move(s.turn_out);
  s.turn_out.reset();
  const bool done = reply.done;
  if (Status resumed = s.desk->Resume(std::move(reply)); !resumed.ok()) {
    (void)s.failure->Record(resumed);  // the engine stops; this command is not written
    s.events.clear();
    Refuse(batch->commands[batch->next], &batch->outcomes);
    batch->current = PersistCommand();
  } else {
    if (auto it = s.conversations.find(id); it != s.conversations.end()) {
      if (done) {
        Release(self, it, /*told=*/true);  // it let the conversation go after the turn
      } else {
        it->second.last_seq = s.state->last_seq();
      }
    }
    Conclude(self, *batch);
  }
  ++batch->next;
  Run(self, batch);
}

// Every snapshot_every events, between two batches (the state and the read model are then as of the
// batch's last event, whose bytes are in its outcomes): open will fold only what follows. Made by a
// child process (actors/snapshot_maker.h), so the desk pauses only for the fork; the one a finished
// child made is ingested here too.
void MaybeSnapshot(DeskActorState& s, const std::vector<PersistCommand>& outcomes) {
  if (s.snapshot_every == 0) return;
  s.snapshots->Reap(/*wait=*/false);
  if (s.state->last_seq() < s.last_snapshot + s.snapshot_every) return;
  if (!s.snapshots->Ready(std::chrono::steady_clock::now())) return;
  for (auto it = outcomes.rbegin(); it != outcomes.rend(); ++it) {
    if (it->write.events.empty()) continue;
    const std::string& last = it->write.events.back();
    if (fb::GetEvent(last.data())->seq() != s.state->last_seq()) return;  // not this batch's: the next one
    s.snapshots->Start(*s.state, *s.read, last);
    s.last_snapshot = s.state->last_seq();
    return;
  }
}

// Decides the batch's commands from `next` on, until a bot turn (its reply goes on) or the end (the
// outcomes go to the journal, which answers the requester once they are durable).
void Run(DeskSelf self, std::shared_ptr<Batch> batch) {
  auto& s = self->state;
  while (batch->next < batch->commands.size()) {
    const Command& command = batch->commands[batch->next];
    if (Admit(s, command, &batch->outcomes)) {
      batch->current.write.command_id = command.id;
      if (std::optional<BotTurnRequest> turn = s.desk->Begin(command, s.clock->NowMillis(), &s.events)) {
        return AskTurn(self, batch, std::move(*turn));
      }
      Conclude(self, *batch);
    }
    ++batch->next;
  }
  MaybeSnapshot(s, batch->outcomes);
  batch->promise.delegate(s.journal, persist_atom::value, std::move(batch->outcomes));
  if (!s.waiting.empty()) {
    std::shared_ptr<Batch> next = std::move(s.waiting.front());
    s.waiting.pop_front();
    Run(self, std::move(next));
  }
}

DeskActor::behavior_type DeskBehavior(DeskSelf self, DeskSetup setup) {
  auto& st = self->state;
  st.gauges = setup.gauges;
  st.state = std::move(setup.state);
  st.read = std::move(setup.read);
  st.desk = std::make_unique<switchboard::Desk>(st.state.get());
  st.store = setup.store;
  st.restorer = std::make_unique<StoreRestorer>(setup.store, st.read.get());
  st.state->SetRestorer(st.restorer.get());
  st.failure = setup.failure;
  st.journal = std::move(setup.journal);
  st.pending_config = std::move(setup.config);
  st.start_lookup = std::move(setup.start_lookup);
  st.clock = setup.clock ? std::move(setup.clock) : SystemClock();
  st.window = 2 * setup.max_in_flight + 1024;  // margin: several submitting threads interleave
  st.conversation_idle_ms = setup.conversation_idle_ms;
  st.snapshot_every = setup.snapshot_every;
  st.last_snapshot = setup.last_snapshot;
  st.snapshots = std::make_unique<SnapshotMaker>(setup.store, setup.gauges);
  self->set_exit_handler([self](caf::exit_msg& exit) {
    self->state.snapshots->Reap(/*wait=*/true);  // a snapshot being made is kept
    for (auto& [id, live] : self->state.conversations) self->send(live.actor, stop_atom::value);
    for (ConversationActor& actor : self->state.blank) self->send(actor, stop_atom::value);
    self->quit(exit.reason);
  });
  return {
      [=](decide_atom, std::vector<Command>& commands) -> caf::result<std::vector<Acknowledgement>> {
        auto batch = std::make_shared<Batch>();
        batch->commands = std::move(commands);
        batch->outcomes.reserve(batch->commands.size());
        batch->promise = self->make_response_promise<std::vector<Acknowledgement>>();
        if (self->state.turn_out) {  // a turn is out: nothing is decided before its reply
          self->state.waiting.push_back(batch);
        } else {
          Run(self, batch);
        }
        return batch->promise;
      },
      [=](turned_atom, std::uint64_t conversation, BotTurnReply& reply) {
        Turned(self, conversation, std::move(reply));
      },
  };
}

}  // namespace

DeskActor SpawnDesk(caf::actor_system& system, DeskSetup setup) {
  if (setup.threading == Threading::kScheduled) return system.spawn(DeskBehavior, std::move(setup));
  return system.spawn<caf::detached>(DeskBehavior, std::move(setup));
}

Status PendingLookups(const DeskState& state, EventStore& store, std::vector<LookupRequest>* out) {
  std::string buffer;
  for (const auto& [id, c] : state.conversations()) {
    if (!c.AwaitsLookup()) continue;
    Event started;
    Status s = store.ReadEvent(c.lookup_started, &buffer);
    if (s.ok()) s = DecodeEvent(buffer, &started);
    if (!s.ok()) return s;
    if (started.payload.type != fb::Payload::LookupStarted) {
      return Status::Corruption("event " + std::to_string(c.lookup_started) +
                                " is not the lookup.started of conversation " + std::to_string(id));
    }
    const auto* p = started.payload.AsLookupStarted();
    if (!state.config().bot.lookups.count(p->lookup)) continue;  // a configuration since has no such lookup
    out->push_back(RequestFor(state, c.id, c.lookup_started, p->lookup, p->input));
  }
  std::sort(out->begin(), out->end(),
            [](const LookupRequest& a, const LookupRequest& b) { return a.conversation < b.conversation; });
  return Status::OK();
}

}  // namespace switchboard
