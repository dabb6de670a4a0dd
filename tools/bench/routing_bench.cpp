// routing_bench: routing throughput of the pure domain core (issue 4), for docs/PERFORMANCE.md.
//
// Drives `Desk` over a `DeskState` with PROTOCOL.md command lines at fixed times (`--step-ms` apart,
// from 2026-11-23T09:00:00Z), one thread, no engine, no disk: the numbers are the cost of deciding
// and folding (Desk::Handle, then ClearDirty as the engine does after each command), never of
// storage, encoding or the actors. Building and parsing the command lines is outside the timings.
// Every command must be accepted: a `command.rejected` stops the run.
//
// Scenarios (one JSON line per result, parameters included):
//   drain      a queue of --tickets (100,000) messaging tickets spread over --groups (50) groups by a
//              routing rule on `contact.team`, all --agents (500) offline; then the agents come
//              online one `agent.status` at a time and drain it. Reports the enqueue rate and the
//              time to drain (assignments/s, events per assignment).
//   decisions  --agents (1,000) online in --groups (50) groups; --commands (200,000) commands that
//              alternate a new contact's message (routed and assigned at once) and the assignee
//              solving its oldest ticket, so that capacity stays free. Reports routing.decided/s.
//   queue      one group of --queue-agents (50) agents, all busy, and a queue of --queue (100,000),
//              then of --small-queue (1,000) tickets; each step an assignee solves a ticket and the
//              freed capacity takes exactly the head of the queue. Reports µs per solve+assignment
//              for both sizes: a drain step must not cost O(queue).
//   stuck      the same group (agents speak English) with --stuck (2,000), then a tenth of that,
//              tickets at the head of the queue that need French; each solve frees a place that the
//              first English ticket behind them takes. Reports µs per solve+assignment: the drain
//              passes over every ticket nobody can take, on every freed place (O(stuck) per drain).
//
//   routing_bench [--scenario drain|decisions|queue|stuck|all] [--style omnichannel|assignment|broadcast]
//                 [--tickets N] [--agents N] [--groups N] [--capacity N] [--commands N] [--queue N]
//                 [--small-queue N] [--queue-agents N] [--steps N] [--stuck N] [--step-ms N]
//
// Build: cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release && ninja -C build-bench routing_bench;
// run: build-bench/bench/routing_bench (about 10 s on the project's 2-core machine).
// drain, queue and stuck measure assignment, so they run with omnichannel or assignment only; broadcast
// (offers, then an agent.accept per ticket) is measured by `decisions`.
// The configuration sets a long `inactivity_minutes` so that no conversation goes inactive during
// the simulated hours (an inactive messaging ticket holds no capacity, which would change the drain).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "events/command.h"
#include "events/time.h"
#include "rules/domain/desk.h"

using namespace switchboard;
using nlohmann::json;

namespace {

struct Counts {
  long commands = 0, events = 0, decided = 0, assigned = 0, queued = 0, offered = 0;
};

// One DeskState and its Desk, fed one command at a time at start + n * step.
class Harness {
 public:
  Harness(const json& config, Timestamp step) : desk_(&state_), step_(step) {
    std::vector<Event> events;
    if (auto r = desk_.ApplyConfiguration(config.dump(), clock_, &events)) {
      std::fprintf(stderr, "configuration refused: %s\n", r->error.c_str());
      std::exit(2);
    }
  }

  // Decides one command (its `id` and `at` are added here); only the decision is timed.
  void Run(json command) {
    command["id"] = "c" + std::to_string(++ids_);
    command["at"] = FormatRfc3339(clock_ += step_);
    const Command parsed = ParseCommand(command.dump());
    auto start = std::chrono::steady_clock::now();
    desk_.Handle(parsed, 0, &events_);
    const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    seconds_ += took;
    slowest_ = std::max(slowest_, took);
    ++counts_.commands;
    counts_.events += static_cast<long>(events_.size());
    for (const Event& e : events_) {
      switch (e.payload.type) {
        case fb::Payload::RoutingDecided:
          ++counts_.decided;
          break;
        case fb::Payload::TicketAssigned:
          ++counts_.assigned;
          break;
        case fb::Payload::TicketQueued:
          ++counts_.queued;
          break;
        case fb::Payload::TicketOffered:
          ++counts_.offered;
          break;
        case fb::Payload::CommandRejected:
          std::fprintf(stderr, "command rejected: %s\n  %s\n", e.payload.AsCommandRejected()->error.c_str(),
                       command.dump().c_str());
          std::exit(1);
        default:
          break;
      }
    }
    events_.clear();
  }

  // Starts a new measured phase.
  void Reset() {
    counts_ = Counts();
    seconds_ = slowest_ = 0;
  }

  const DeskState& state() const { return state_; }
  const Counts& counts() const { return counts_; }
  double seconds() const { return seconds_; }
  double slowest() const { return slowest_; }  // the longest single command of the phase

 private:
  DeskState state_;
  Desk desk_;
  Timestamp step_;
  Timestamp clock_ = *ParseRfc3339("2026-11-23T09:00:00Z");
  long ids_ = 0;
  std::vector<Event> events_;
  Counts counts_;
  double seconds_ = 0, slowest_ = 0;
};

std::string Group(int g) { return "g" + std::to_string(g); }
std::string Agent(int a) { return "a" + std::to_string(a); }

// `groups` groups g0.. plus the fallback "triage", `agents` agents a0.. (agent i in group i % groups),
// one routing rule per group on `contact.team`.
json Configuration(int groups, int agents, int capacity, const std::string& style) {
  json config = {{"settings", {{"inactivity_minutes", 1000000}}},
                 {"groups", json::array({{{"id", "triage"}}})},
                 {"agents", json::array()},
                 {"routing", {{"style", style}, {"fallback", "triage"}, {"rules", json::array()}}}};
  for (int g = 0; g < groups; ++g) {
    config["groups"].push_back({{"id", Group(g)}});
    config["routing"]["rules"].push_back(
        {{"id", "team-" + Group(g)},
         {"when", {{"all", json::array({{{"field", "contact.team"}, {"operator", "is"}, {"value", Group(g)}}})}}},
         {"group", Group(g)}});
  }
  for (int a = 0; a < agents; ++a) {
    config["agents"].push_back(
        {{"id", Agent(a)}, {"groups", {Group(a % groups)}}, {"capacity", {{"messaging", capacity}, {"email", 10}}}});
  }
  return config;
}

json Message(long contact, int team) {
  return {{"type", "contact.message"},
          {"contact", "k" + std::to_string(contact)},
          {"channel", "messaging"},
          {"text", "hello, I need help"},
          {"profile", {{"team", Group(team)}}}};
}

json Online(int agent) { return {{"type", "agent.status"}, {"agent", Agent(agent)}, {"status", "online"}}; }

json Solve(std::uint64_t ticket, const std::string& agent) {
  return {{"type", "ticket.update"}, {"ticket", ticket}, {"agent", agent}, {"status", "solved"}};
}

std::size_t Queued(const DeskState& state, int groups) {
  std::size_t n = 0;
  for (int g = 0; g < groups; ++g) {
    if (const TicketQueue* q = state.FindQueue(Group(g), Channel::kMessaging)) n += q->size();
  }
  if (const TicketQueue* q = state.FindQueue("triage", Channel::kMessaging)) n += q->size();
  return n;
}

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "check failed: %s\n", what);
  std::exit(1);
}

// The ticket a contact's message just created.
std::uint64_t LastTicket(const DeskState& state) { return state.ticket_count(); }

void Drain(int tickets, int agents, int groups, int capacity, const std::string& style, Timestamp step) {
  Check(agents >= groups, "drain: at least one agent per group");
  if (capacity == 0) {  // just enough: the fullest group's tickets over its agents
    int per_group = (tickets + groups - 1) / groups, agents_per_group = agents / groups;
    capacity = (per_group + agents_per_group - 1) / agents_per_group;
  }
  Harness h(Configuration(groups, agents, capacity, style), step);

  for (long i = 0; i < tickets; ++i) h.Run(Message(i, static_cast<int>(i % groups)));
  Check(Queued(h.state(), groups) == static_cast<std::size_t>(tickets), "drain: every ticket queued");
  Check(h.counts().assigned == 0, "drain: nobody assigned while all agents are offline");
  Counts enqueue = h.counts();
  std::printf(
      "{\"scenario\":\"drain\",\"phase\":\"enqueue\",\"style\":\"%s\",\"tickets\":%d,\"groups\":%d,\"seconds\":%.3f,"
      "\"tickets_queued_per_s\":%.0f,\"events\":%ld,\"events_per_ticket\":%.2f,\"routing_decided\":%ld,"
      "\"slowest_command_ms\":%.2f}\n",
      style.c_str(), tickets, groups, h.seconds(), tickets / h.seconds(), enqueue.events,
      static_cast<double>(enqueue.events) / tickets, enqueue.decided, h.slowest() * 1e3);
  std::fflush(stdout);

  h.Reset();
  for (int a = 0; a < agents; ++a) h.Run(Online(a));
  Check(Queued(h.state(), groups) == 0, "drain: every queue empty");
  for (std::uint64_t id = 1; id <= h.state().ticket_count(); ++id) {
    Check(!h.state().FindTicket(id)->assignee.empty(), "drain: every ticket assigned");
  }
  const Counts& c = h.counts();
  Check(c.assigned == tickets, "drain: one assignment per ticket");
  std::printf(
      "{\"scenario\":\"drain\",\"phase\":\"agents_online\",\"style\":\"%s\",\"tickets\":%d,\"agents\":%d,"
      "\"groups\":%d,\"capacity_messaging\":%d,\"seconds\":%.3f,\"assignments\":%ld,\"assignments_per_s\":%.0f,"
      "\"events\":%ld,\"events_per_assignment\":%.3f,\"routing_decided\":%ld,\"slowest_command_ms\":%.2f}\n",
      style.c_str(), tickets, agents, groups, capacity, h.seconds(), c.assigned, c.assigned / h.seconds(), c.events,
      static_cast<double>(c.events) / c.assigned, c.decided, h.slowest() * 1e3);
  std::fflush(stdout);
}

void Decisions(long commands, int agents, int groups, int capacity, const std::string& style, Timestamp step) {
  if (capacity == 0) capacity = 4;
  Harness h(Configuration(groups, agents, capacity, style), step);
  for (int a = 0; a < agents; ++a) h.Run(Online(a));
  h.Reset();

  // Open tickets are kept at half the desk's capacity: every new ticket finds room at once.
  const std::size_t target = static_cast<std::size_t>(agents) * capacity / 2;
  std::deque<std::pair<std::uint64_t, std::string>> open;  // (ticket, assignee), oldest first
  long contacts = 0, waited = 0, solves = 0;
  double solving = 0;  // of h.seconds(): the solves; the rest is new tickets (with their accepts)
  while (h.counts().commands < commands) {
    if (open.size() >= target) {
      const double before = h.seconds();
      h.Run(Solve(open.front().first, open.front().second));
      solving += h.seconds() - before;
      ++solves;
      open.pop_front();
      continue;
    }
    h.Run(Message(contacts, static_cast<int>(contacts % groups)));
    ++contacts;
    const Ticket& t = *h.state().FindTicket(LastTicket(h.state()));
    const RoutedTicket* routed = h.state().FindRouted(t.id);
    if (style == "broadcast" && routed != nullptr && !routed->offers.empty()) {
      const std::string agent = routed->offers[t.id % routed->offers.size()];
      h.Run({{"type", "agent.accept"}, {"agent", agent}, {"ticket", t.id}});
    }
    const Ticket& now = *h.state().FindTicket(LastTicket(h.state()));
    if (now.assignee.empty()) {
      ++waited;
    } else {
      open.emplace_back(now.id, now.assignee);
    }
  }
  const Counts& c = h.counts();
  Check(waited == 0 && c.queued == 0, "decisions: every ticket is routed to an agent on arrival");
  std::printf(
      "{\"scenario\":\"decisions\",\"style\":\"%s\",\"agents\":%d,\"groups\":%d,\"capacity_messaging\":%d,"
      "\"open_tickets\":%zu,\"commands\":%ld,\"new_tickets\":%ld,\"seconds\":%.3f,\"routing_decided\":%ld,"
      "\"routing_decisions_per_s\":%.0f,\"commands_per_s\":%.0f,\"assignments\":%ld,\"offers\":%ld,"
      "\"events\":%ld,\"us_per_new_ticket\":%.2f,\"us_per_solve\":%.2f,\"slowest_command_ms\":%.2f}\n",
      style.c_str(), agents, groups, capacity, target, c.commands, contacts, h.seconds(), c.decided,
      c.decided / h.seconds(), c.commands / h.seconds(), c.assigned, c.offered, c.events,
      (h.seconds() - solving) / contacts * 1e6, solves ? solving / solves * 1e6 : 0.0, h.slowest() * 1e3);
  std::fflush(stdout);
}

// One group, every agent at capacity, `queue` tickets waiting; `steps` times an assignee solves its
// oldest ticket and the queue's head goes to it.
void QueueCase(long queue, long steps, int agents, const std::string& style, Timestamp step) {
  const int capacity = 2;
  Harness h(Configuration(1, agents, capacity, style), step);
  for (int a = 0; a < agents; ++a) h.Run(Online(a));
  std::deque<std::pair<std::uint64_t, std::string>> open;
  const long busy = static_cast<long>(agents) * capacity;
  for (long i = 0; i < busy + queue; ++i) {
    h.Run(Message(i, 0));
    const Ticket& t = *h.state().FindTicket(LastTicket(h.state()));
    if (!t.assignee.empty()) open.emplace_back(t.id, t.assignee);
  }
  const TicketQueue& q = *h.state().FindQueue(Group(0), Channel::kMessaging);
  Check(static_cast<long>(q.size()) == queue && static_cast<long>(open.size()) == busy,
        "queue: every agent busy and the rest queued");
  const double fill_seconds = h.seconds();
  const long fill_events = h.counts().events;

  h.Reset();
  steps = std::min(steps, queue);
  std::vector<double> took;  // seconds per step
  for (long s = 0; s < steps; ++s) {
    const std::uint64_t head = q.begin()->ticket;
    const double before = h.seconds();
    h.Run(Solve(open.front().first, open.front().second));
    took.push_back(h.seconds() - before);
    open.pop_front();
    const Ticket& t = *h.state().FindTicket(head);
    Check(!t.assignee.empty() && static_cast<long>(q.size()) == queue - s - 1,
          "queue: one solve drains exactly the head of the queue");
    open.emplace_back(t.id, t.assignee);
  }
  const Counts& c = h.counts();
  Check(c.assigned == steps, "queue: one assignment per solve");
  std::sort(took.begin(), took.end());
  auto percentile = [&](double p) { return took[static_cast<std::size_t>(p * (took.size() - 1))] * 1e6; };
  std::printf(
      "{\"scenario\":\"queue\",\"style\":\"%s\",\"queue\":%ld,\"agents\":%d,\"capacity_messaging\":%d,"
      "\"fill_seconds\":%.3f,\"fill_tickets_per_s\":%.0f,\"fill_events\":%ld,\"steps\":%ld,\"seconds\":%.4f,"
      "\"us_per_solve_and_assignment\":%.2f,\"median_us\":%.2f,\"p99_us\":%.1f,\"slowest_step_us\":%.1f,"
      "\"events_per_step\":%.2f}\n",
      style.c_str(), queue, agents, capacity, fill_seconds, (busy + queue) / fill_seconds, fill_events, steps,
      h.seconds(), h.seconds() / steps * 1e6, percentile(0.5), percentile(0.99), took.back() * 1e6,
      static_cast<double>(c.events) / steps);
  std::fflush(stdout);
}

// One group of `agents` English-speaking agents, all busy; at the head of its queue `stuck` tickets that
// need French (which no agent speaks), behind them English ones. Each solve frees one place, which the
// first English ticket takes: how much do the tickets nobody can take cost each drain?
void StuckCase(long stuck, long steps, int agents, const std::string& style, Timestamp step) {
  auto rule = [](const char* team, const char* language) {
    json r = {{"id", team},
              {"when", {{"all", json::array({{{"field", "contact.team"}, {"operator", "is"}, {"value", team}}})}}},
              {"group", Group(0)}};
    if (*language) r["language"] = language;
    return r;
  };
  json config = {{"settings", {{"inactivity_minutes", 1000000}}},
                 {"groups", json::array({{{"id", Group(0)}}})},
                 {"agents", json::array()},
                 {"routing", {{"style", style}, {"rules", json::array({rule("fr", "fr"), rule("en", "")})}}}};
  for (int a = 0; a < agents; ++a) {
    config["agents"].push_back(
        {{"id", Agent(a)}, {"groups", {Group(0)}}, {"languages", {"en"}}, {"capacity", {{"messaging", 2}}}});
  }
  Harness h(config, step);
  for (int a = 0; a < agents; ++a) h.Run(Online(a));
  auto message = [](long contact, const char* team) {
    return json{{"type", "contact.message"},
                {"contact", "k" + std::to_string(contact)},
                {"channel", "messaging"},
                {"text", "hello"},
                {"profile", {{"team", team}}}};
  };
  std::deque<std::pair<std::uint64_t, std::string>> open;
  long contacts = 0;
  for (long i = 0; i < 2L * agents; ++i) {
    h.Run(message(contacts++, "en"));
    const Ticket& t = *h.state().FindTicket(LastTicket(h.state()));
    open.emplace_back(t.id, t.assignee);
  }
  for (long i = 0; i < stuck; ++i) h.Run(message(contacts++, "fr"));
  for (long i = 0; i < steps; ++i) h.Run(message(contacts++, "en"));
  const TicketQueue& q = *h.state().FindQueue(Group(0), Channel::kMessaging);
  Check(h.counts().assigned == 2L * agents && static_cast<long>(q.size()) == stuck + steps,
        "stuck: every agent busy, the rest queued");

  h.Reset();
  for (long s = 0; s < steps; ++s) {
    h.Run(Solve(open.front().first, open.front().second));
    open.pop_front();
    const Ticket& t = *h.state().FindTicket(LastTicket(h.state()) - steps + 1 + s);
    Check(!t.assignee.empty() && static_cast<long>(q.size()) == stuck + steps - s - 1,
          "stuck: one solve assigns exactly the first English ticket");
    open.emplace_back(t.id, t.assignee);
  }
  std::printf(
      "{\"scenario\":\"stuck\",\"style\":\"%s\",\"agents\":%d,\"stuck_tickets_ahead\":%ld,\"steps\":%ld,"
      "\"seconds\":%.4f,\"us_per_solve_and_assignment\":%.1f,\"assignments\":%ld,\"events_per_step\":%.2f}\n",
      style.c_str(), agents, stuck, steps, h.seconds(), h.seconds() / steps * 1e6, h.counts().assigned,
      static_cast<double>(h.counts().events) / steps);
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string scenario = "all", style = "omnichannel";
  int tickets = 100000, agents = 0, groups = 50, capacity = 0, queue_agents = 50;
  long commands = 200000, queue = 100000, small_queue = 1000, steps = 1000, step_ms = 1000, stuck = 2000;
  CLI::App app{"Routing throughput of the pure Desk (issue 4)"};
  app.add_option("--scenario", scenario)->check(CLI::IsMember({"drain", "decisions", "queue", "stuck", "all"}));
  app.add_option("--style", style)->check(CLI::IsMember({"omnichannel", "assignment", "broadcast"}));
  app.add_option("--tickets", tickets, "drain: tickets waiting when the agents come online")
      ->check(CLI::PositiveNumber);
  app.add_option("--agents", agents, "drain: 500, decisions: 1000")->check(CLI::PositiveNumber);
  app.add_option("--groups", groups)->check(CLI::PositiveNumber);
  app.add_option("--capacity", capacity, "messaging capacity per agent; 0: drain just fits, decisions 4")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--commands", commands, "decisions: commands in the run")->check(CLI::PositiveNumber);
  app.add_option("--queue", queue, "queue: the long queue")->check(CLI::PositiveNumber);
  app.add_option("--small-queue", small_queue, "queue: the short queue to compare with")->check(CLI::PositiveNumber);
  app.add_option("--queue-agents", queue_agents)->check(CLI::PositiveNumber);
  app.add_option("--steps", steps, "queue: solve+assignment steps timed for each queue size")
      ->check(CLI::PositiveNumber);
  app.add_option("--stuck", stuck, "stuck: tickets nobody can take ahead in the queue (also run with a tenth)")
      ->check(CLI::PositiveNumber);
  app.add_option("--step-ms", step_ms, "simulated time between two commands")->check(CLI::PositiveNumber);
  CLI11_PARSE(app, argc, argv);

  std::printf(
      "{\"bench\":\"routing_bench\",\"measures\":\"pure Desk::Handle + fold, one thread, no engine, no disk\","
      "\"scenario\":\"%s\",\"style\":\"%s\",\"step_ms\":%ld}\n",
      scenario.c_str(), style.c_str(), step_ms);
  const bool all = scenario == "all", assigns = style != "broadcast";
  if ((scenario == "drain" || scenario == "queue" || scenario == "stuck") && !assigns) {
    std::fprintf(stderr, "--style broadcast offers rather than assigns: measure it with --scenario decisions\n");
    return 2;
  }
  if (all && !assigns) std::fprintf(stderr, "--style broadcast: only the decisions scenario applies\n");
  if ((all || scenario == "drain") && assigns) Drain(tickets, agents ? agents : 500, groups, capacity, style, step_ms);
  if (all || scenario == "decisions") Decisions(commands, agents ? agents : 1000, groups, capacity, style, step_ms);
  if ((all || scenario == "queue") && assigns) {
    QueueCase(queue, steps, queue_agents, style, step_ms);
    QueueCase(small_queue, steps, queue_agents, style, step_ms);
  }
  if ((all || scenario == "stuck") && assigns) {
    StuckCase(stuck / 10, 100, queue_agents, style, step_ms);
    StuckCase(stuck, 100, queue_agents, style, step_ms);
  }
  return 0;
}
