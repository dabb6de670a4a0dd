// The actors themselves, run by CAF's deterministic test coordinator (scheduler.policy "testing"):
// the desk and the journal are spawned on the scheduler instead of threads of their own, over a real
// store in a temporary directory, and every message is delivered by the test, one run at a time.
// What is checked: replies come in request order and only once their events are durable (ordering),
// a repeated id changes nothing, before and after a restart (duplicates), the bot's lookups start
// once each and their answers come back as requests (lookups), and a restarted desk goes on from
// the log (restart); conversation actors are spawned per conversation the bot has, stop at the
// hand-off, are passivated when idle and restored from their stream (conversation actors). Also:
// every message of actors/interfaces.h survives CAF's binary serializer.
#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "actors/desk_actor.h"
#include "actors/interfaces.h"
#include "actors/journal_actor.h"
#include "actors/lookup_worker.h"
#include "events/event_json.h"
#include "storage/recovery.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;

namespace {

const char* kConfig = R"({"groups": [{"id": "support"}, {"id": "vip"}],
    "agents": [{"id": "alice", "groups": ["support"]}],
    "lookups": {"crm": {"url": "http://127.0.0.1:9/crm", "timeout_ms": 300}},
    "bot": {"start": "check", "steps": {
      "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "route", "fail": "handoff"},
      "route": {"branch": [{"when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                            "goto": "vip"}], "else": "handoff"},
      "vip": {"handoff": {"group": "vip"}},
      "handoff": {"handoff": {}}}}})";

std::string Message(const std::string& id, const std::string& contact, int second) {
  return json{{"id", id},
              {"type", "contact.message"},
              {"contact", contact},
              {"channel", "messaging"},
              {"text", "hello"},
              {"profile", {{"email", contact + "@example.com"}}},
              {"at", "2026-11-23T09:00:" + std::string(second < 10 ? "0" : "") + std::to_string(second) + "Z"}}
      .dump();
}

struct Reply {
  Acknowledgement ack;
  std::uint64_t durable_seq = 0;  // the store's last seq when the reply arrived
};

// A client that sends each command as its own request, in order, and records each reply with the
// store's last seq at its arrival. What it needs comes as spawn arguments: CAF 0.17 binds a null
// reference when a function actor is spawned without any.
void Client(caf::event_based_actor* self, DeskActor desk, std::vector<Command> commands, EventStore* store,
            std::vector<Reply>* replies) {
  for (const Command& c : commands) {
    self->request(desk, caf::infinite, decide_atom::value, std::vector<Command>{c})
        .then([=](std::vector<Acknowledgement>& acks) {
          BOOST_REQUIRE_EQUAL(acks.size(), 1u);
          Reply r{std::move(acks[0]), 0};
          (void)store->LastSeq(&r.durable_seq);
          replies->push_back(std::move(r));
        });
  }
}

// One desk's actors on the test coordinator, over a store in `dir`.
class Desk {
 public:
  explicit Desk(const std::string& dir, const char* config = kConfig, std::int64_t idle_ms = 30 * 60 * 1000)
      : dir_(dir), config_text_(config), idle_ms_(idle_ms) {
    Start();
  }
  ~Desk() { Stop(); }

  void Start() {
    StoreOptions options;
    BOOST_REQUIRE(EventStore::Open(dir_, options, &store_).ok());
    publisher_ = std::make_unique<Publisher>(store_.get());
    auto state = std::make_shared<DeskState>();
    auto read = std::make_shared<ReadModel>();
    BOOST_REQUIRE(Recover(*store_, state.get(), read.get()).ok());
    config_ = std::make_unique<caf::actor_system_config>();
    config_->set("scheduler.policy", caf::atom("testing"));
    config_->set("logger.verbosity", caf::atom("quiet"));
    system_ = std::make_unique<caf::actor_system>(*config_);
    scheduler_ = &dynamic_cast<caf::scheduler::test_coordinator&>(system_->scheduler());
    journal_ = SpawnJournal(*system_, store_.get(), publisher_.get(), &failure_, &jobs_, FeedsActor(), 1024,
                            Threading::kScheduled);
    DeskSetup setup;
    setup.state = std::move(state);
    setup.read = std::move(read);
    setup.store = store_.get();
    setup.failure = &failure_;
    setup.journal = journal_;
    setup.config = config_text_;
    setup.conversation_idle_ms = idle_ms_;
    setup.start_lookup = [this](LookupRequest request) { lookups.push_back(std::move(request)); };
    setup.gauges = &gauges_;
    setup.threading = Threading::kScheduled;
    desk_ = SpawnDesk(*system_, std::move(setup));
    scheduler_->run();
  }

  void Stop() {
    if (!system_) return;
    caf::anon_send_exit(desk_, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(journal_, caf::exit_reason::user_shutdown);
    scheduler_->run();
    desk_ = DeskActor();
    journal_ = JournalActor();
    system_.reset();
    publisher_.reset();
    store_.reset();
  }

  // Sends every command as a request from one client, in order; runs nothing yet.
  void Send(std::vector<Command> commands) {
    system_->spawn(Client, desk_, std::move(commands), store_.get(), &replies_);
  }
  void Send(const std::vector<std::string>& lines) {
    std::vector<Command> commands;
    for (const std::string& line : lines) commands.push_back(ParseCommand(line));
    Send(std::move(commands));
  }
  // Delivers every message there is, in the coordinator's order; the replies so far.
  const std::vector<Reply>& Run() {
    scheduler_->run();
    return replies_;
  }

  const std::vector<Reply>& replies() const { return replies_; }
  caf::scheduler::test_coordinator& scheduler() { return *scheduler_; }
  const DeskGauges& gauges() const { return gauges_; }
  std::vector<LookupRequest> lookups;

 private:
  std::string dir_;
  const char* config_text_;
  std::int64_t idle_ms_;
  std::unique_ptr<EventStore> store_;
  std::unique_ptr<Publisher> publisher_;
  EngineFailure failure_;
  RebuildJobs jobs_;
  DeskGauges gauges_;
  std::unique_ptr<caf::actor_system_config> config_;
  std::unique_ptr<caf::actor_system> system_;
  caf::scheduler::test_coordinator* scheduler_ = nullptr;
  JournalActor journal_;
  DeskActor desk_;
  std::vector<Reply> replies_;
};

std::vector<json> EventsOf(const Acknowledgement& ack) {
  std::vector<json> out;
  for (const std::string& e : ack.EventsAsJson()) out.push_back(json::parse(e));
  return out;
}

std::uint64_t LastSeqOf(const Acknowledgement& ack) {
  std::vector<json> events = EventsOf(ack);
  return events.empty() ? 0 : events.back()["seq"].get<std::uint64_t>();
}

template <class T>
T RoundTrip(T value) {
  std::vector<char> buffer;
  caf::actor_system_config config;
  caf::actor_system system(config);
  caf::binary_serializer sink(system, buffer);
  BOOST_REQUIRE(!sink(value));
  T back;
  caf::binary_deserializer source(system, buffer);
  BOOST_REQUIRE(!source(back));
  return back;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(actors)

BOOST_AUTO_TEST_CASE(replies_come_in_request_order_and_only_once_their_events_are_durable) {
  TempDir dir;
  Desk desk(dir.Sub("db"));
  desk.Send({Message("a", "ann", 1), Message("b", "bob", 2), Message("c", "cat", 3)});
  // Nothing is answered before the journal has written: step by step, a reply that has arrived
  // always names events the store already holds.
  std::size_t steps = 0;
  while (desk.scheduler().try_run_once()) {
    ++steps;
    for (const Reply& r : desk.replies()) BOOST_TEST(LastSeqOf(r.ack) <= r.durable_seq);
  }
  BOOST_TEST(steps > 3u);
  const std::vector<Reply>& replies = desk.Run();
  BOOST_REQUIRE_EQUAL(replies.size(), 3u);
  std::uint64_t previous = 0;
  for (std::size_t i = 0; i < replies.size(); ++i) {
    BOOST_TEST(replies[i].ack.command_id == std::string(1, static_cast<char>('a' + i)));
    BOOST_TEST(replies[i].ack.status.ok());
    std::vector<json> events = EventsOf(replies[i].ack);
    BOOST_REQUIRE(!events.empty());
    BOOST_TEST(events.front()["seq"].get<std::uint64_t>() == previous + 1);  // no gap, no overlap
    previous = LastSeqOf(replies[i].ack);
    BOOST_TEST(LastSeqOf(replies[i].ack) <= replies[i].durable_seq);
  }
}

BOOST_AUTO_TEST_CASE(a_repeated_id_changes_nothing_before_and_after_a_restart) {
  TempDir dir;
  Desk desk(dir.Sub("db"));
  desk.Send({Message("a", "ann", 1), Message("a", "ann", 1)});
  const std::vector<Reply>& first = desk.Run();
  BOOST_REQUIRE_EQUAL(first.size(), 2u);
  BOOST_TEST(!first[0].ack.duplicate);
  BOOST_TEST(first[1].ack.duplicate);
  BOOST_TEST(first[1].ack.events.empty());
  const std::uint64_t end = first[0].durable_seq;

  desk.Stop();
  desk.Start();
  desk.Send({Message("a", "ann", 1), Message("b", "bob", 2)});
  const std::vector<Reply>& after = desk.Run();
  BOOST_REQUIRE_EQUAL(after.size(), 4u);
  BOOST_TEST(after[2].ack.duplicate);  // answered by the store: the desk's window is new
  BOOST_TEST(EventsOf(after[3].ack).front()["seq"].get<std::uint64_t>() == end + 1);  // restart: goes on
}

BOOST_AUTO_TEST_CASE(B5_a_lookup_starts_once_and_its_answer_comes_back_as_a_request) {
  TempDir dir;
  Desk desk(dir.Sub("db"));
  desk.Send({Message("a", "vip", 1)});
  desk.Run();
  BOOST_REQUIRE_EQUAL(desk.lookups.size(), 1u);
  const LookupRequest request = desk.lookups[0];
  BOOST_TEST(request.lookup == "crm");
  BOOST_TEST(request.input == "vip@example.com");

  desk.Send({LookupResultCommand(request, true, 200, R"({"vip": true})", "")});
  const std::vector<Reply>& replies = desk.Run();
  BOOST_REQUIRE_EQUAL(replies.size(), 2u);
  bool completed = false, to_vip = false;
  for (const json& e : EventsOf(replies[1].ack)) {
    completed |= e["type"] == "lookup.completed";
    to_vip |= e["type"] == "ticket.routed" && e["group"] == "vip";
  }
  BOOST_TEST(completed);
  BOOST_TEST(to_vip);
  BOOST_TEST(desk.lookups.size() == 1u);  // the answer starts nothing new

  // The same answer again (a worker retried) is a duplicate: the conversation moves once.
  desk.Send({LookupResultCommand(request, true, 200, R"({"vip": true})", "")});
  BOOST_TEST(desk.Run().back().ack.duplicate);
}

BOOST_AUTO_TEST_CASE(B5_a_restart_asks_again_for_a_lookup_that_was_never_answered) {
  TempDir dir;
  auto desk = std::make_unique<Desk>(dir.Sub("db"));
  desk->Send({Message("a", "vip", 1)});
  desk->Run();
  BOOST_REQUIRE_EQUAL(desk->lookups.size(), 1u);
  desk.reset();
  StoreOptions options;
  std::unique_ptr<EventStore> store;
  BOOST_REQUIRE(EventStore::Open(dir.Sub("db"), options, &store).ok());
  DeskState state;
  ReadModel read;
  BOOST_REQUIRE(Recover(*store, &state, &read).ok());
  std::vector<LookupRequest> pending;
  BOOST_REQUIRE(PendingLookups(state, *store, &pending).ok());
  BOOST_REQUIRE_EQUAL(pending.size(), 1u);
  BOOST_TEST(pending[0].input == "vip@example.com");
}

const char* kAskConfig = R"({"groups": [{"id": "support"}],
    "agents": [{"id": "alice", "groups": ["support"]}],
    "bot": {"greeting": "Hi!", "start": "team", "steps": {
      "team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"], "save": "var.team",
               "retries": 1, "next": "handoff"},
      "handoff": {"handoff": {}}}}})";

std::string Says(const std::string& id, const std::string& contact, const std::string& text, const std::string& time) {
  return json{{"id", id},     {"type", "contact.message"},       {"contact", contact}, {"channel", "messaging"},
              {"text", text}, {"at", "2026-11-23T" + time + "Z"}}
      .dump();
}

std::vector<std::string> TypesOf(const Acknowledgement& ack) {
  std::vector<std::string> types;
  for (const json& e : EventsOf(ack)) types.push_back(e["type"]);
  return types;
}

bool Has(const std::vector<std::string>& types, const std::string& type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

BOOST_AUTO_TEST_CASE(B1_B7_each_conversation_the_bot_has_is_an_actor_spawned_on_demand_and_gone_at_hand_off) {
  TempDir dir;
  Desk desk(dir.Sub("db"), kAskConfig);
  desk.Send({Says("a", "ann", "hello", "09:00:01"), Says("b", "bob", "hello", "09:00:02"),
             Says("c", "cat", "hello", "09:00:03")});
  desk.Run();
  BOOST_TEST(desk.gauges().conversation_actors_spawned.load() == 3u);  // one per conversation
  BOOST_TEST(desk.gauges().conversation_actors.load() == 3u);          // each waits for its answer
  BOOST_TEST(desk.gauges().conversation_actors_passivated.load() == 0u);

  desk.Send({Says("d", "ann", "Sales", "09:00:10"), Says("e", "bob", "hello again", "09:00:11"),
             Says("f", "dan", "hello", "09:00:12")});
  const std::vector<Reply>& replies = desk.Run();
  BOOST_REQUIRE_EQUAL(replies.size(), 6u);
  BOOST_TEST(Has(TypesOf(replies[3].ack), "ticket.created"));   // ann answered: handed off (B7)
  BOOST_TEST(!Has(TypesOf(replies[4].ack), "ticket.created"));  // bob's answer fits no option: asked again (B2)
  // bob's actor was found, and dan's conversation is hosted by the actor ann's left blank
  BOOST_TEST(desk.gauges().conversation_actors_spawned.load() == 3u);
  BOOST_TEST(desk.gauges().conversation_actors_passivated.load() == 1u);  // ann's let go at the hand-off
  BOOST_TEST(desk.gauges().conversation_actors.load() == 3u);
}

BOOST_AUTO_TEST_CASE(B2_an_idle_conversation_actor_is_passivated_and_restored_from_its_stream) {
  TempDir dir;
  Desk desk(dir.Sub("db"), kAskConfig, /*idle_ms=*/60'000);
  desk.Send({Says("a", "ann", "hello", "09:00:00"), Says("b", "ann", "maybe", "09:00:20")});  // asked twice (B2)
  desk.Run();
  BOOST_TEST(desk.gauges().conversation_actors.load() == 1u);
  desk.Send({R"({"id": "t", "type": "clock.advance", "at": "2026-11-23T09:02:00Z"})"});
  desk.Run();
  BOOST_TEST(desk.gauges().conversation_actors.load() == 0u);  // idle for a minute, everything durable
  BOOST_TEST(desk.gauges().conversation_actors_passivated.load() == 1u);

  // The restored actor knows the question waiting and that it was already asked again: an answer
  // that fits is saved and the conversation handed off, as if it had never left memory.
  desk.Send({Says("c", "ann", "Support", "09:03:00")});
  const std::vector<Reply>& replies = desk.Run();
  BOOST_TEST(desk.gauges().conversation_actors_restored.load() == 1u);
  BOOST_TEST(desk.gauges().conversation_actors_spawned.load() == 1u);  // the blank actor hosts it again
  std::vector<json> events = EventsOf(replies.back().ack);
  bool saved = false;
  for (const json& e : events) {
    if (e["type"] == "bot.answer_saved") saved = e["key"] == "var.team" && e["value"] == "Support";
  }
  std::string all;
  for (const std::string& e : replies.back().ack.EventsAsJson()) all += e + "\n";
  BOOST_TEST(saved, all);
  BOOST_TEST(Has(TypesOf(replies.back().ack), "ticket.created"));
  BOOST_TEST(desk.gauges().conversation_actors.load() == 0u);  // gone again, at the hand-off
}

BOOST_AUTO_TEST_CASE(every_message_survives_caf_s_binary_serializer) {
  Command command = ParseCommand(
      R"({"id":"u1","type":"ticket.update","ticket":7,"status":"pending","priority":"high","assignee":null,
          "tags_add":["vip"],"agent":"alice","at":"2026-11-23T09:00:00Z"})");
  Command back = RoundTrip(command);
  BOOST_TEST(back.id == "u1");
  BOOST_TEST(back.ticket == 7u);
  BOOST_TEST((back.at == command.at));
  BOOST_TEST((back.status == std::optional<TicketStatus>(TicketStatus::kPending)));
  BOOST_TEST((back.priority == std::optional<Priority>(Priority::kHigh)));
  BOOST_TEST((back.assignee == std::optional<std::string>("")));
  BOOST_TEST(!back.group.has_value());
  BOOST_TEST(back.tags_add == std::vector<std::string>{"vip"});

  Acknowledgement ack;
  ack.command_id = "u1";
  ack.status = Status::IOError("disk full");
  ack.events = {"\x01\x02", "abc"};
  Acknowledgement ack_back = RoundTrip(ack);
  BOOST_TEST(ack_back.command_id == "u1");
  BOOST_TEST((ack_back.status.code() == Status::Code::kIOError));
  BOOST_TEST(ack_back.status.message() == "disk full");
  BOOST_TEST(ack_back.events == ack.events);

  PersistCommand persist;
  persist.write.command_id = "u1";
  persist.write.events = {"e1"};
  persist.write.records = {{"t7", "{}", false}, {"v1", "", true}};
  persist.write.last_seq = 12;
  persist.duplicate = true;
  PersistCommand persist_back = RoundTrip(persist);
  BOOST_TEST(persist_back.write.records.size() == 2u);
  BOOST_TEST(persist_back.write.records[1].erase);
  BOOST_TEST(persist_back.write.last_seq == 12u);
  BOOST_TEST(persist_back.duplicate);

  // A bot's turn: its events travel as their storage encoding, the configuration as its document.
  BotTurnRequest turn;
  turn.kind = BotTurnKind::kAnswer;
  turn.conversation = 3;
  Event said;
  said.seq = 41;
  said.conversation = 3;
  fb::MessageAddedT message;
  message.author = "contact";
  message.text = "Sales";
  said.payload.Set(std::move(message));
  turn.prior.push_back(said);
  turn.contact.emplace();
  turn.contact->id = "ann";
  turn.contact->SetField("vip", "true");
  turn.wait = 120000;
  turn.next_seq = 42;
  auto config = std::make_shared<Configuration>();
  BOOST_REQUIRE(ParseConfiguration(kAskConfig, config.get()).ok());
  turn.config = config;
  turn.text = "Sales";
  BotTurnRequest turn_back = RoundTrip(turn);
  BOOST_TEST((turn_back.kind == BotTurnKind::kAnswer));
  BOOST_REQUIRE_EQUAL(turn_back.prior.size(), 1u);
  BOOST_TEST(turn_back.prior[0].seq == 41u);
  BOOST_TEST(turn_back.prior[0].payload.AsMessageAdded()->text == "Sales");
  BOOST_REQUIRE(turn_back.contact.has_value());
  BOOST_TEST((turn_back.contact->values.at("vip").kind == Value::Kind::kBool));  // rebuilt from the profile
  BOOST_TEST((turn_back.wait == std::optional<Timestamp>(120000)));
  BOOST_REQUIRE(turn_back.config != nullptr);
  BOOST_TEST(turn_back.config->bot.steps.count("team") == 1u);

  BotTurnReply reply;
  reply.events.push_back(said);
  reply.outcome.handoff = true;
  reply.outcome.priority = Priority::kHigh;
  reply.done = true;
  reply.status = Status::Corruption("event 9");
  BotTurnReply reply_back = RoundTrip(reply);
  BOOST_TEST(reply_back.events.size() == 1u);
  BOOST_TEST(reply_back.outcome.handoff);
  BOOST_TEST((reply_back.outcome.priority == std::optional<Priority>(Priority::kHigh)));
  BOOST_TEST(reply_back.done);
  BOOST_TEST(reply_back.status.message() == "event 9");
}

BOOST_AUTO_TEST_SUITE_END()
