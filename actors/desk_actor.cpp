#include "actors/desk_actor.h"

#include <caf/all.hpp>

#include <algorithm>
#include <deque>
#include <unordered_set>

#include "events/codec.h"
#include "projections/records.h"
#include "rules/domain/desk.h"
#include "rules/domain/ticket_facts.h"
#include "rules/text_fold.h"
#include "storage/restore.h"

namespace switchboard {
namespace {

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
  static inline const char* name = "desk";
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

// Decides one command; appends its outcome (and, before it, a silent one for a configuration put in
// force with a repeated first command) to `out`.
void Decide(DeskActorState& s, const Command& command, std::vector<PersistCommand>* out) {
  if (!s.failure->ok()) return Refuse(command, out);
  bool duplicate = false;
  if (Status lookup = IsDuplicate(s, command.id, &duplicate); !lookup.ok()) {
    (void)s.failure->Record(lookup);
    return Refuse(command, out);
  }
  if (!s.pending_config.empty()) ApplyPendingConfig(s, command);
  PersistCommand outcome;
  outcome.write.command_id = command.id;
  if (duplicate) {
    if (!s.events.empty()) {  // a new configuration arrived with a repeated first command
      PersistCommand config_write;
      config_write.silent = true;
      Collect(s, config_write);
      out->push_back(std::move(config_write));
    }
    outcome.duplicate = true;
    out->push_back(std::move(outcome));
    return;
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
    return Refuse(command, out);
  }
  s.desk->Handle(command, s.clock->NowMillis(), &s.events);
  StartLookups(s);
  Collect(s, outcome);
  out->push_back(std::move(outcome));
}

DeskActor::behavior_type DeskBehavior(DeskActor::stateful_pointer<DeskActorState> self, DeskSetup setup) {
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
  return {
      [=](decide_atom, std::vector<Command>& commands) -> caf::result<std::vector<Acknowledgement>> {
        std::vector<PersistCommand> outcomes;
        outcomes.reserve(commands.size());
        for (const Command& command : commands) Decide(self->state, command, &outcomes);
        return self->delegate(self->state.journal, persist_atom::value, std::move(outcomes));
      },
  };
}

}  // namespace

DeskActor SpawnDesk(caf::actor_system& system, DeskSetup setup) {
  if (setup.threading == Threading::kScheduled) return system.spawn(DeskBehavior, std::move(setup));
  return system.spawn<caf::detached>(DeskBehavior, std::move(setup));
}

std::vector<LookupRequest> PendingLookups(const DeskState& state) {
  std::vector<LookupRequest> pending;
  for (const auto& [id, c] : state.conversations()) {
    if (c.lookup_started == 0 || !c.in_bot) continue;
    auto step = state.config().bot.steps.find(c.bot_step);
    if (step == state.config().bot.steps.end() || step->second.kind != StepKind::kLookup) continue;
    Value input = ConversationFacts(state, c, state.now()).Current(*FieldFromName(step->second.input));
    pending.push_back(RequestFor(state, c.id, c.lookup_started, step->second.lookup,
                                 input.kind == Value::Kind::kString ? FoldText(input.string) : ""));
  }
  std::sort(pending.begin(), pending.end(),
            [](const LookupRequest& a, const LookupRequest& b) { return a.conversation < b.conversation; });
  return pending;
}

}  // namespace switchboard
