// The Engine of include/switchboard/engine.h: the actor system, the store and the front door.
#include "switchboard/engine.h"

#include <caf/all.hpp>

#include <condition_variable>
#include <future>
#include <mutex>

#include "actors/agent_actor.h"
#include "actors/desk_actor.h"
#include "actors/engine_open.h"
#include "actors/front_door.h"
#include "actors/journal_actor.h"
#include "actors/lookup_worker.h"
#include "actors/projection_builder.h"
#include "actors/runtime_impl.h"
#include "actors/snapshot_maker.h"
#include "events/codec.h"
#include "events/event_json.h"
#include "events/json_writer.h"
#include "projections/catalog.h"
#include "projections/queries.h"
#include "projections/records.h"
#include "projections/staffing.h"
#include "rules/config.h"
#include "storage/audit.h"
#include "storage/engine_failure.h"
#include "storage/keys.h"
#include "storage/rebuild.h"
#include "storage/recovery.h"
#include "storage/store_records.h"

namespace switchboard {
namespace {

// Renders the events of `store` whose seqs `scan` yields.
Status RenderSeqs(EventStore& store, const std::function<Status(const std::function<bool(std::uint64_t)>&)>& scan,
                  const std::function<bool(const std::string&)>& fn) {
  Status inner;
  std::string buffer;
  Status s = scan([&](std::uint64_t seq) {
    inner = store.ReadEvent(seq, &buffer);
    if (inner.ok() && VerifyEvent(buffer) == nullptr)
      inner = Status::Corruption("event " + std::to_string(seq) + " is corrupt");
    return inner.ok() && fn(EventBufferToJson(buffer));
  });
  return s.ok() ? inner : s;
}

// Each agent as recovery left it, for its actor: online or not, and what waits for its return.
std::vector<AgentStart> AgentStarts(const DeskState& state, const ReadModel& read) {
  std::map<std::string, AgentStart> starts;
  for (const auto& [id, agent] : state.agents()) {
    starts[id].agent = id;
    starts[id].online = agent.status == Presence::kOnline;
  }
  for (const auto& [id, items] : read.feeds().feeds()) {
    starts[id].agent = id;
    for (const FeedItem& item : items) {
      if (item.delivered_at == 0) starts[id].held.push_back(item);
    }
  }
  std::vector<AgentStart> out;
  for (auto& [id, start] : starts) out.push_back(std::move(start));
  return out;
}

class EngineImpl final : public Engine {
 public:
  EngineImpl(Options options, std::shared_ptr<RuntimeImpl> runtime, std::unique_ptr<EventStore> store)
      : options_(std::move(options)), runtime_(std::move(runtime)), store_(std::move(store)), publisher_(store_.get()) {
    runtime_->Attach();
  }

  // Stops this engine's actors, and only them: the actor system is the runtime's, other engines'
  // actors go on.
  ~EngineImpl() override {
    if (system_ != nullptr) {
      Drain();
      std::vector<caf::actor> mine{caf::actor_cast<caf::actor>(door_), caf::actor_cast<caf::actor>(desk_),
                                   caf::actor_cast<caf::actor>(journal_), caf::actor_cast<caf::actor>(feeds_)};
      {
        std::lock_guard<std::mutex> lock(mu_);
        for (const auto& [job, builder] : rebuilds_) mine.push_back(caf::actor_cast<caf::actor>(builder));
      }
      caf::scoped_actor self{*system_};
      for (const caf::actor& a : mine) {
        self->monitor(a);
        self->send_exit(a, caf::exit_reason::user_shutdown);
      }
      for (std::size_t i = 0; i < mine.size(); ++i) self->receive([](const caf::down_msg&) {});
      SnapshotAtClose();
      door_ = FrontDoorActor();
      desk_ = DeskActor();
      journal_ = JournalActor();
      feeds_ = FeedsActor();
    }
    runtime_->Detach();
  }

  // At a clean close every acknowledged event is in the state (the desk has stopped): the next open
  // starts from there and folds nothing.
  void SnapshotAtClose() {
    if (!options_.snapshot_at_close || !state_ || !failure_.Get().ok()) return;
    const std::uint64_t last = state_->last_seq();
    // Nothing since the newest snapshot (the one it opened from, or the desk's last): nothing to add.
    if (last == 0 || last != store_->Acknowledged() || last == gauges_.snapshot_last.load()) return;
    std::string event;
    if (!store_->ReadEvent(last, &event).ok()) return;
    SnapshotMaker(store_.get(), &gauges_).WriteNow(*state_, *read_, event);
  }

  Status Start(std::shared_ptr<DeskState> state, std::shared_ptr<ReadModel> read, std::string config,
               RecoveryReport recovery) {
    recovery_ = std::move(recovery);
    gauges_.snapshot_last.store(recovery_.snapshot_seq);
    state_ = state;
    read_ = read;
    std::vector<LookupRequest> pending;
    if (Status s = PendingLookups(*state, *store_, &pending); !s.ok()) return s;
    system_ = &runtime_->system();
    feeds_ = SpawnFeeds(*system_, subscribers_, AgentStarts(*state, *read));
    journal_ = SpawnJournal(*system_, store_.get(), &publisher_, &failure_, &jobs_, feeds_, options_.max_group);
    DeskSetup desk;
    desk.state = std::move(state);
    desk.read = std::move(read);
    desk.store = store_.get();
    desk.failure = &failure_;
    desk.journal = journal_;
    desk.config = std::move(config);
    desk.start_lookup = [this](LookupRequest request) { StartLookup(std::move(request)); };
    desk.max_in_flight = options_.max_in_flight;
    desk.gauges = &gauges_;
    desk.conversation_idle_ms = options_.conversation_idle_ms;
    desk.snapshot_every = options_.snapshot_every;
    desk.last_snapshot = recovery_.snapshot_seq;
    desk.threading = Threading::kScheduled;
    desk.clock = runtime_->clock_handle();
    desk_ = SpawnDesk(*system_, std::move(desk));
    door_ = SpawnFrontDoor(*system_, desk_, &completions_, options_.max_group);
    for (LookupRequest& request : pending) StartLookup(std::move(request));  // interrupted by a restart
    return Status::OK();
  }

  void OnBackground(std::function<void(Acknowledgement)> fn) override { background_ = std::move(fn); }

  Status BackgroundError() override { return failure_.Get(); }

  MemoryUsage Memory() override {
    MemoryUsage m;
    StoreMemory store = store_->Memory();
    m.store_memtables = store.memtables;
    m.store_table_readers = store.table_readers;
    m.store_block_cache = store.block_cache;
    m.store_background_jobs = store.background_jobs;
    m.contacts = gauges_.contacts.load(std::memory_order_relaxed);
    m.conversations = gauges_.conversations.load(std::memory_order_relaxed);
    m.tickets = gauges_.tickets.load(std::memory_order_relaxed);
    m.conversation_actors = gauges_.conversation_actors.load(std::memory_order_relaxed);
    m.conversation_actors_spawned = gauges_.conversation_actors_spawned.load(std::memory_order_relaxed);
    m.conversation_actors_restored = gauges_.conversation_actors_restored.load(std::memory_order_relaxed);
    m.conversation_actors_passivated = gauges_.conversation_actors_passivated.load(std::memory_order_relaxed);
    return m;
  }

  SnapshotStats Snapshots() override {
    SnapshotStats out;
    out.opened_from = recovery_.snapshot_seq;
    out.folded_at_open = recovery_.folded;
    out.ignored_at_open = recovery_.ignored;
    out.written = gauges_.snapshots.load(std::memory_order_relaxed);
    out.last = gauges_.snapshot_last.load(std::memory_order_relaxed);
    out.last_bytes = gauges_.snapshot_bytes.load(std::memory_order_relaxed);
    out.last_micros = gauges_.snapshot_micros.load(std::memory_order_relaxed);
    out.last_pause_micros = gauges_.snapshot_pause_micros.load(std::memory_order_relaxed);
    return out;
  }

  WriteStats Writes() override {
    StoreWrites w = store_->Writes();
    return {w.groups, w.events, w.keys, w.bytes};
  }

  // Counted like a submitted command, so Drain waits for the answer (bounded by the lookup's timeout).
  void StartLookup(LookupRequest request) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++in_flight_;
    }
    SpawnLookupWorker(*system_, desk_, std::move(request), [this](Acknowledgement ack) {
      if (background_) background_(std::move(ack));
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
      if (waiters_ > 0) room_.notify_all();
    });
  }

  void Submit(std::string line, std::function<void(Acknowledgement)> done) override {
    SubmitLine(std::move(line), 0, std::move(done));
  }

  void SubmitLine(std::string line, std::uint64_t line_number, std::function<void(Acknowledgement)> done) override {
    if (!system_) {
      Acknowledgement ack;
      ack.status = Status::InvalidArgument("the engine was opened read-only");
      done(std::move(ack));
      return;
    }
    Command command = ParseCommand(line);
    command.line = line_number;
    {
      std::unique_lock<std::mutex> lock(mu_);
      ++waiters_;
      room_.wait(lock, [&] { return in_flight_ < options_.max_in_flight; });
      --waiters_;
      ++in_flight_;
    }
    const std::uint64_t token = completions_.Add([this, done = std::move(done)](Acknowledgement ack) {
      done(std::move(ack));
      std::lock_guard<std::mutex> lock(mu_);
      --in_flight_;
      if (waiters_ > 0) room_.notify_all();  // a wake-up per acknowledgement would cost a syscall each
    });
    caf::anon_send(door_, submit_atom::value, token, std::move(command));
  }

  void Drain() override {
    std::unique_lock<std::mutex> lock(mu_);
    ++waiters_;
    room_.wait(lock, [&] { return in_flight_ == 0; });
    --waiters_;
  }

  std::uint64_t Subscribe(std::uint64_t from_seq, std::function<void(const std::string&)> fn) override {
    return system_ ? publisher_.Subscribe(from_seq, std::move(fn)) : 0;
  }

  void Unsubscribe(std::uint64_t handle) override { publisher_.Unsubscribe(handle); }

  std::uint64_t SubscribeAgent(const std::string& agent, std::function<void(const std::string&)> fn) override {
    return system_ ? subscribers_->Add(agent, std::move(fn)) : 0;
  }

  void UnsubscribeAgent(std::uint64_t handle) override { subscribers_->Remove(handle); }

  std::uint64_t LastSeq() override {
    std::uint64_t seq = 0;
    (void)store_->LastSeq(&seq);
    return seq;
  }

  Status ReadEvents(std::uint64_t from, const std::function<bool(const std::string&)>& fn) override {
    Status inner;
    Status s = store_->ScanLog(from, [&](std::uint64_t seq, std::string_view bytes) {
      if (VerifyEvent(bytes) == nullptr) {
        inner = Status::Corruption("event " + std::to_string(seq) + " is corrupt");
        return false;
      }
      return fn(EventBufferToJson(bytes));
    });
    return s.ok() ? inner : s;
  }

  Status SaveCursor(const std::string& name, std::uint64_t seq) override {
    if (options_.read_only) return Status::InvalidArgument("the database is open read-only");
    return store_->SaveCursor(name, seq);
  }
  Status LoadCursor(const std::string& name, std::uint64_t* seq) override { return store_->LoadCursor(name, seq); }

  Status Query(const std::vector<std::string>& what, std::string* json) override {
    if (what.size() == 1 && what[0] == "projections") {
      *json = ProjectionsJson();
      return Status::OK();
    }
    return AnswerQuery(StoreRecords(store_.get()), what, json);
  }

  // The configuration given at open is in force from then on, though it is recorded only with the
  // first command (so that the same input gives the same events): until the log has a newer one,
  // it is the answer (what serve authorizes with from its first request).
  void ConfigGivenAtOpen(std::string document, std::uint64_t last_seq) {
    given_config_ = std::move(document);
    seq_at_open_ = last_seq;
  }

  Status ConfigDocument(std::string* json) override {
    std::uint64_t last = 0;
    Status s = store_->ScanStream(StreamPrefix(StreamKind::kConfig, 0), [&](std::uint64_t seq) {
      last = seq;
      return true;
    });
    if (!s.ok()) return s;
    if (!given_config_.empty() && last <= seq_at_open_) {
      *json = given_config_;
      return Status::OK();
    }
    if (last == 0) {
      *json = DefaultConfiguration().document;
      return Status::OK();
    }
    std::string buffer;
    Event e;
    s = store_->ReadEvent(last, &buffer);
    if (s.ok()) s = DecodeEvent(buffer, &e);
    if (!s.ok()) return s;
    if (e.payload.type != fb::Payload::ConfigApplied) {
      return Status::Corruption("event " + std::to_string(last) + " is indexed as a configuration and is not one");
    }
    *json = e.payload.AsConfigApplied()->document;
    return Status::OK();
  }

  Status Analytics(const std::string& from, const std::string& to, const std::string& by, bool csv,
                   std::string* out) override {
    return AnswerAnalytics(StoreRecords(store_.get()), from, to, by, csv, out);
  }

  Status Staffing(const StaffingQuery& q, std::string* out) override {
    const StaffingRequest request{q.from, q.to, q.interval, q.service_level, q.concurrency, q.channel};
    auto answer = [&](const RecordSource& records) { return AnswerStaffing(records, request, q.csv, out); };
    if (q.as_of.empty()) return answer(StoreRecords(store_.get()));
    std::vector<Record> past;
    Status s = RecordsAsOf(q.as_of, &past);
    return s.ok() ? answer(MemoryRecords(past)) : s;
  }

  // B53: the log folded up to `at` into a scratch state, whose records answer as the store would.
  Status QueryAsOf(const std::vector<std::string>& what, const std::string& at, std::string* json) override {
    std::vector<Record> past;
    Status s = RecordsAsOf(at, &past);
    if (!s.ok()) return s;
    MemoryRecords records(past);
    if (!what.empty() && what[0] == "analytics") return AnswerAnalytics(records, "", "", "", false, json);
    if (!what.empty() && what[0] == "staffing") return AnswerStaffing(records, StaffingRequest{}, false, json);
    return AnswerQuery(records, what, json);
  }

  // Every record of the log folded up to `at` (RFC 3339), in a scratch state.
  Status RecordsAsOf(const std::string& at, std::vector<Record>* out) {
    std::optional<Timestamp> until = ParseRfc3339(at);
    if (!until) return Status::InvalidArgument("--as-of: expected an RFC 3339 time; got \"" + at + "\"");
    if (system_) Drain();
    DeskState past;
    ReadModel past_records;
    Status s = FoldLog(*store_, &past, &past_records, nullptr, *until);
    if (!s.ok()) return s;
    *out = AllRecords(past, past_records);
    return Status::OK();
  }

  Status Audit(const std::string& kind, const std::string& id,
               const std::function<bool(const std::string&)>& fn) override {
    AuditKind audit;
    if (kind == "ticket") {
      audit = AuditKind::kTicket;
    } else if (kind == "conversation") {
      audit = AuditKind::kConversation;
    } else if (kind == "contact") {
      audit = AuditKind::kContact;
    } else if (kind == "agent") {
      audit = AuditKind::kAgent;
    } else {
      return Status::InvalidArgument("unknown audit \"" + kind + "\"; expected ticket, conversation, contact or agent");
    }
    std::vector<std::uint64_t> seqs;
    Status s = AuditSeqs(*store_, audit, id, &seqs);
    if (!s.ok()) return s;
    return RenderSeqs(
        *store_,
        [&](const auto& each) {
          for (std::uint64_t seq : seqs) {
            if (!each(seq)) break;
          }
          return Status::OK();
        },
        fn);
  }

  std::vector<ProjectionStatus> Projections() override {
    std::vector<ProjectionStatus> out;
    std::lock_guard<std::mutex> lock(mu_);
    for (int p = 0; p < kProjectionCount; ++p) {
      ProjectionMark mark = store_->Projection(static_cast<ProjectionId>(p));
      ProjectionStatus status;
      status.name = switchboard::Projections()[p].name;
      status.version = switchboard::Projections()[p].version;
      status.stored_version = mark.present ? mark.version : 0;
      status.checkpoint = mark.checkpoint;
      for (const auto& [job, builder] : rebuilds_) {
        if ((job->projections & (1u << p)) == 0) continue;
        status.rebuilding = true;
        status.rebuilt = job->done;
        status.total = job->total;
      }
      out.push_back(status);
    }
    return out;
  }

  std::string ProjectionsJson() {
    std::string out = "[";
    for (const ProjectionStatus& p : Projections()) {
      if (out.size() > 1) out += ",";
      JsonWriter j(&out);
      j.String("name", p.name).Number("version", p.version).Number("stored_version", p.stored_version);
      j.Number("checkpoint", p.checkpoint).String("state", p.rebuilding ? "rebuilding" : "live");
      if (p.rebuilding) j.Number("rebuilt", p.rebuilt).Number("of", p.total);
      j.Close();
    }
    return out + "]";
  }

  Status Rebuild(const std::vector<std::string>& names, const ReplayProgress& progress) override {
    unsigned mask = 0;
    for (const std::string& name : names) {
      auto p = ProjectionNamed(name);
      if (!p) return Status::InvalidArgument("unknown projection \"" + name + "\"; see query projections");
      mask |= 1u << *p;
    }
    return StartRebuild(mask == 0 ? (1u << kProjectionCount) - 1 : mask, progress);
  }

  Status StartRebuild(unsigned mask, const ReplayProgress& progress) {
    auto job = std::make_shared<RebuildJob>();
    job->projections = mask;
    job->progress = progress;
    if (!system_) {  // read-only: nothing else writes, so the rebuild runs and takes over here
      Status s = BeginRebuild(*store_, job.get());
      for (bool caught_up = false; s.ok() && !caught_up;) s = RebuildStep(*store_, job.get(), &caught_up);
      return s.ok() ? FinishRebuild(*store_, job.get()) : s;
    }
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [other, builder] : rebuilds_) {
      if ((other->projections & mask) != 0) return Status::Busy("a rebuild of these projections is already running");
    }
    const std::uint64_t id = jobs_.Add(job);
    BuilderActor builder = SpawnProjectionBuilder(*system_, store_.get(), journal_, job, id, [this, job, id](Status s) {
      jobs_.Remove(id);
      Rebuilt(job, s);
    });
    rebuilds_.emplace_back(job, builder);
    return Status::OK();
  }

  void Rebuilt(const std::shared_ptr<RebuildJob>& job, const Status& s) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = rebuilds_.begin(); it != rebuilds_.end(); ++it) {
      if (it->first == job) {
        rebuilds_.erase(it);
        break;
      }
    }
    if (!s.ok() && rebuild_failure_.ok()) rebuild_failure_ = s;
    room_.notify_all();
  }

  Status WaitForRebuilds() override {
    std::unique_lock<std::mutex> lock(mu_);
    room_.wait(lock, [&] { return rebuilds_.empty(); });
    return rebuild_failure_;
  }

  Status Replay(bool verify, const ReplayProgress& progress, std::string* report) override {
    if (system_) Drain();
    Status s = WaitForRebuilds();
    if (!s.ok()) return s;
    if (!verify) {
      s = StartRebuild((1u << kProjectionCount) - 1, progress);
      if (!s.ok()) return s;
      s = WaitForRebuilds();
      if (!s.ok()) return s;
      if (report) report->clear();
      return Status::OK();
    }
    DeskState rebuilt;
    ReadModel rebuilt_records;
    std::string transitions;
    s = FoldLog(*store_, &rebuilt, &rebuilt_records, progress, 0, &transitions);
    if (!s.ok()) return s;
    std::string problems;
    CheckInvariants(rebuilt, &problems);
    problems += transitions;
    s = DiffRecords(*store_, rebuilt, rebuilt_records, &problems);
    if (!s.ok()) return s;
    if (report) *report = problems;
    return problems.empty() ? Status::OK() : Status::Corruption("replay found differences");
  }

 private:
  Options options_;
  std::shared_ptr<RuntimeImpl> runtime_;  // outlives the store and the actors below
  std::unique_ptr<EventStore> store_;
  Publisher publisher_;
  EngineFailure failure_;  // the desk and the journal hold pointers to it: declared before the actors
  DeskGauges gauges_;      // the desk writes it
  // The desk's state, shared with it: read only once it has stopped (the snapshot at close).
  std::shared_ptr<DeskState> state_;
  std::shared_ptr<ReadModel> read_;
  RecoveryReport recovery_;
  std::string given_config_;  // Options::config_json as it will be recorded; empty: none
  std::uint64_t seq_at_open_ = 0;
  caf::actor_system* system_ = nullptr;  // the runtime's; null when read-only (no actors)
  RebuildJobs jobs_;                     // the journal finds the job a builder asks it to finish here
  Completions completions_;              // Submit's callers, waiting for their acknowledgement
  JournalActor journal_;
  DeskActor desk_;
  FrontDoorActor door_;
  std::shared_ptr<AgentSubscribers> subscribers_ = std::make_shared<AgentSubscribers>();  // the agent actors share it
  FeedsActor feeds_;
  std::mutex mu_;
  std::condition_variable room_;
  std::size_t in_flight_ = 0;
  int waiters_ = 0;  // threads blocked in Submit or Drain
  std::function<void(Acknowledgement)> background_;
  std::vector<std::pair<std::shared_ptr<RebuildJob>, BuilderActor>> rebuilds_;  // under mu_
  Status rebuild_failure_;                                                      // under mu_
};

}  // namespace

Engine::~Engine() = default;

std::vector<std::string> Acknowledgement::EventsAsJson() const {
  std::vector<std::string> out;
  if (duplicate) {
    std::string line = "{\"type\":\"command.duplicate\",\"cmd\":";
    AppendJsonString(line, command_id);
    out.push_back(line + "}");
    return out;
  }
  out.reserve(events.size());
  for (const std::string& e : events) out.push_back(EventBufferToJson(e));
  return out;
}

Acknowledgement Engine::Execute(std::string line) {
  std::promise<Acknowledgement> promise;
  std::future<Acknowledgement> future = promise.get_future();
  Submit(std::move(line), [&promise](Acknowledgement ack) { promise.set_value(std::move(ack)); });
  return future.get();
}

Status Engine::Open(const Options& options, std::unique_ptr<Engine>* out) {
  return OpenEngine(options, nullptr, nullptr, out);
}

Status Engine::Open(const Options& options, std::shared_ptr<Runtime> runtime, std::unique_ptr<Engine>* out) {
  return OpenEngine(options, std::move(runtime), nullptr, out);
}

Status OpenEngine(const Options& options, std::shared_ptr<Runtime> shared, rocksdb::Env* env,
                  std::unique_ptr<Engine>* out) {
  std::shared_ptr<RuntimeImpl> runtime = std::static_pointer_cast<RuntimeImpl>(shared);
  if (!runtime) {
    RuntimeOptions private_runtime;
    private_runtime.block_cache_bytes = options.block_cache_bytes;
    private_runtime.memtable_bytes = options.write_buffer_bytes;
    runtime = std::make_shared<RuntimeImpl>(private_runtime);
  }
  if (options.db_path.empty()) return Status::InvalidArgument("no database directory given (--db DIR)");
  StoreOptions store_options;
  store_options.sync = options.durability == Durability::kSync;
  store_options.existing_only = options.read_only;
  store_options.untouched = options.read_only && options.untouched;
  store_options.env = env;
  store_options.write_buffer_bytes = options.write_buffer_bytes;
  store_options.block_cache = runtime->block_cache();
  store_options.memtable_budget = runtime->memtable_budget();
  std::unique_ptr<EventStore> store;
  Status s = EventStore::Open(options.db_path, store_options, &store);
  if (!s.ok()) return s;
  EventStore& st = *store;
  auto engine = std::make_unique<EngineImpl>(options, std::move(runtime), std::move(store));
  if (options.read_only) {
    *out = std::move(engine);
    return Status::OK();
  }
  auto state = std::make_shared<DeskState>();
  auto read = std::make_shared<ReadModel>();
  RecoveryReport recovery;
  s = Recover(st, state.get(), read.get(), &recovery, options.open_from_snapshot);
  if (!s.ok()) return s;
  // Projections this build would write otherwise (new, of another version, or behind the log) are
  // rebuilt from the log in the background once the engine runs; an empty log has nothing to fold.
  unsigned stale = StaleProjections(st, state->last_seq());
  if (stale != 0 && state->last_seq() == 0) {
    // The empty state still has records (the default configuration's view definitions): without
    // them a verified replay of a database with no event yet reports them missing.
    std::vector<Record> initial;
    for (Record& r : AllRecords(*state, *read)) {
      std::optional<ProjectionId> p = ProjectionOfKey(r.key);
      if (p && (stale & (1u << *p)) != 0) initial.push_back(std::move(r));
    }
    s = st.TakeOver(stale, initial, 0);
    if (!s.ok()) return s;
    stale = 0;
  }
  if (!options.config_json.empty()) {
    Configuration parsed;  // refuse a bad document now; it is recorded with the first command
    s = ParseConfiguration(options.config_json, &parsed);
    if (!s.ok()) return Status::InvalidArgument("configuration refused: " + s.message());
    engine->ConfigGivenAtOpen(std::move(parsed.document), state->last_seq());
  }
  s = engine->Start(std::move(state), std::move(read), options.config_json, std::move(recovery));
  if (!s.ok()) return s;
  if (stale != 0) {
    s = engine->StartRebuild(stale, nullptr);
    if (!s.ok()) return s;
  }
  *out = std::move(engine);
  return Status::OK();
}

}  // namespace switchboard
