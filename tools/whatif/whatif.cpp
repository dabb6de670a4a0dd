#include "tools/whatif/whatif.h"

#include <nlohmann/json.hpp>

#include <map>
#include <queue>
#include <random>
#include <set>
#include <tuple>

#include "events/command.h"
#include "projections/queries.h"
#include "projections/read_model.h"
#include "projections/records.h"
#include "rules/domain/desk.h"

namespace switchboard {
namespace {

using nlohmann::json;

constexpr Timestamp kAcceptAfterMs = 10 * 1000;
constexpr Timestamp kDefaultReplyMs = 60 * 1000;
constexpr Timestamp kDefaultHandleMs = 10 * 60 * 1000;

// One command of the scratch day: recorded (order = its place in the log) or simulated (after
// every recorded one at the same instant).
struct Planned {
  Timestamp at = 0;
  std::uint64_t order = 0;
  json command;
  bool operator>(const Planned& o) const { return std::tie(at, order) > std::tie(o.at, o.order); }
};

// What agents took on the record: assignment to first public reply, assignment to solve.
struct Measured {
  std::vector<Timestamp> reply, handle;
};

Timestamp AtOf(const json& e) { return ParseRfc3339(e["at"].get<std::string>()).value_or(0); }

// The recorded arrivals and presence in [from, to), as commands, and what agents took.
void ReadRecord(const std::vector<std::string>& recorded, Timestamp from, Timestamp to, std::vector<Planned>* plan,
                Measured* measured, Timestamp* last) {
  std::map<std::uint64_t, std::string> channel_of;     // conversation -> channel
  std::map<std::string, json> profile_of;              // contact -> profile not yet sent with a message
  std::map<std::string, std::string> presence_before;  // agent -> its status at `from`
  std::map<std::uint64_t, Timestamp> assigned_at;      // ticket -> its first assignment
  std::set<std::uint64_t> replied;
  std::uint64_t order = 0;
  auto in_range = [&](Timestamp at) { return at >= from && (to == 0 || at < to); };
  for (const std::string& text : recorded) {
    const json e = json::parse(text);
    const std::string type = e["type"];
    const Timestamp at = AtOf(e);
    *last = std::max(*last, at);
    ++order;
    if (type == "conversation.started") {
      channel_of[e["conversation"].get<std::uint64_t>()] = e["channel"];
    } else if (type == "contact.updated" && in_range(at)) {
      profile_of[e["contact"]].update(e["profile"]);
    } else if (type == "message.added" && e["author"] == "contact" && in_range(at)) {
      const std::string contact = e["contact"];
      json c = {{"type", "contact.message"},
                {"contact", contact},
                {"channel", channel_of[e["conversation"].get<std::uint64_t>()]},
                {"text", e["text"]}};
      if (auto p = profile_of.find(contact); p != profile_of.end()) {
        c["profile"] = p->second;
        profile_of.erase(p);
      }
      plan->push_back({at, order, std::move(c)});
    } else if (type == "visitor.page_viewed" && in_range(at)) {
      json c = {{"type", "visitor.activity"}, {"contact", e["contact"]}, {"page_url", e["page_url"]}};
      if (e["page_title"].is_string()) c["page_title"] = e["page_title"];
      plan->push_back({at, order, std::move(c)});
    } else if (type == "agent.status_changed") {
      if (at < from) {
        presence_before[e["agent"]] = e["to"];
      } else if (in_range(at)) {
        plan->push_back({at, order, {{"type", "agent.status"}, {"agent", e["agent"]}, {"status", e["to"]}}});
      }
    } else if (type == "ticket.assigned") {
      assigned_at.emplace(e["ticket"].get<std::uint64_t>(), at);
    } else if (type == "message.added" && e["public"] == true &&
               e["author"].get<std::string>().rfind("agent:", 0) == 0) {
      const std::uint64_t ticket = e["ticket"].is_number() ? e["ticket"].get<std::uint64_t>() : 0;
      auto a = assigned_at.find(ticket);
      if (a != assigned_at.end() && replied.insert(ticket).second) measured->reply.push_back(at - a->second);
    } else if (type == "ticket.status_changed" && e["to"] == "solved") {
      auto a = assigned_at.find(e["ticket"].get<std::uint64_t>());
      if (a != assigned_at.end()) measured->handle.push_back(at - a->second);
    }
  }
  // Who was online when the period starts, at its start, before anything else.
  std::uint64_t first = 0;
  for (const auto& [agent, status] : presence_before) {
    if (status != "offline")
      plan->push_back({from, first++, {{"type", "agent.status"}, {"agent", agent}, {"status", status}}});
  }
}

Timestamp Draw(const std::vector<Timestamp>& samples, Timestamp fallback, std::mt19937_64& rng) {
  if (samples.empty()) return fallback;
  return std::max<Timestamp>(1000, samples[rng() % samples.size()]);
}

}  // namespace

Status RunWhatIf(const std::vector<std::string>& recorded, const WhatIfOptions& options, WhatIfResult* out) {
  if (options.to != 0 && options.to <= options.from) return Status::InvalidArgument("--to must be after --from");
  std::vector<Planned> plan;
  Measured measured;
  Timestamp last = 0;
  ReadRecord(recorded, options.from, options.to, &plan, &measured, &last);
  std::priority_queue<Planned, std::vector<Planned>, std::greater<Planned>> queue(std::greater<Planned>(),
                                                                                  std::move(plan));
  DeskState state;
  Desk desk(&state);
  ReadModel read;
  std::vector<Event> events;
  const Timestamp start = queue.empty() ? options.from : queue.top().at;
  if (std::optional<Rejection> refused = desk.ApplyConfiguration(options.config, start, &events)) {
    return Status::InvalidArgument("the configuration is refused: " + refused->error);
  }
  for (const Event& e : events) read.Apply(e, state);
  std::mt19937_64 rng(options.seed);
  std::uint64_t simulated_order = std::uint64_t{1} << 62;  // after every recorded command at an instant
  std::uint64_t id = 0;
  std::set<std::uint64_t> accepting;  // broadcast tickets with an accept planned
  WhatIfResult result;
  result.events = events.size();
  auto plan_action = [&](Timestamp at, json command) {
    queue.push({at, simulated_order++, std::move(command)});
    ++result.simulated_actions;
  };
  while (!queue.empty()) {
    Planned next = queue.top();
    queue.pop();
    json& c = next.command;
    const std::string type = c["type"];
    // A simulated agent acts only on a ticket that is still theirs and not finished.
    if (type == "agent.message" || type == "ticket.update") {
      const Ticket* t = state.FindTicket(c["ticket"].get<std::uint64_t>());
      if (t == nullptr || t->assignee != c["agent"] || t->status == TicketStatus::kSolved ||
          t->status == TicketStatus::kClosed) {
        continue;
      }
    }
    if (type == "agent.accept") accepting.erase(c["ticket"].get<std::uint64_t>());
    c["id"] = "whatif-" + std::to_string(++id);
    c["at"] = FormatRfc3339(next.at);
    events.clear();
    desk.Handle(ParseCommand(c.dump()), 0, &events);
    ++result.commands;
    result.events += events.size();
    for (const Event& e : events) {
      read.Apply(e, state);
      if (e.payload.type == fb::Payload::TicketAssigned) {
        const Timestamp reply = e.at + Draw(measured.reply, kDefaultReplyMs, rng);
        const Timestamp solve = reply + Draw(measured.handle, kDefaultHandleMs, rng);
        plan_action(reply, {{"type", "agent.message"}, {"agent", e.agent}, {"ticket", e.ticket}, {"text", "(reply)"}});
        plan_action(solve, {{"type", "ticket.update"}, {"agent", e.agent}, {"ticket", e.ticket}, {"status", "solved"}});
      } else if (e.payload.type == fb::Payload::TicketOffered && accepting.insert(e.ticket).second) {
        plan_action(e.at + kAcceptAfterMs, {{"type", "agent.accept"}, {"agent", e.agent}, {"ticket", e.ticket}});
      }
    }
    read.ClearDirty();
  }
  // The timers of the period (inactivity, SLA breaches, automations) up to its end.
  const Timestamp end = options.to != 0 ? options.to : last;
  if (end > state.now()) {
    events.clear();
    desk.Handle(ParseCommand(json{{"type", "clock.advance"}, {"id", "whatif-end"}, {"at", FormatRfc3339(end)}}.dump()),
                0, &events);
    for (const Event& e : events) read.Apply(e, state);
    result.events += events.size();
  }
  MemoryRecords records(AllRecords(state, read));
  Status s = AnswerAnalytics(records, options.from ? FormatRfc3339(options.from) : "",
                             options.to ? FormatRfc3339(options.to) : "", "", false, &result.analytics);
  if (!s.ok()) return s;
  *out = std::move(result);
  return Status::OK();
}

namespace {

std::string Cell(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_number_float()) return std::to_string(v.get<double>());
  return v.dump();
}

}  // namespace

std::string CompareTable(const std::string& recorded_text, const std::string& whatif_text) {
  const json a = json::parse(recorded_text)["total"], b = json::parse(whatif_text)["total"];
  std::vector<std::pair<std::string, json::json_pointer>> rows{
      {"tickets", json::json_pointer("/tickets")},
      {"solved", json::json_pointer("/solved")},
      {"wait mean (s)", json::json_pointer("/wait_s/mean")},
      {"wait median (s)", json::json_pointer("/wait_s/median")},
      {"first reply mean (s)", json::json_pointer("/first_reply_s/mean")},
      {"first reply median (s)", json::json_pointer("/first_reply_s/median")},
      {"resolution mean (s)", json::json_pointer("/resolution_s/mean")},
      {"csat score (%)", json::json_pointer("/csat/score")},
      {"deflection rate (%)", json::json_pointer("/deflection/rate")},
  };
  std::set<std::string> metrics;
  for (const json* doc : {&a, &b}) {
    if (!doc->contains("sla")) continue;
    for (const auto& [metric, counts] : (*doc)["sla"].items()) metrics.insert(metric);
  }
  for (const std::string& m : metrics)
    rows.emplace_back("SLA " + m + " met (%)", json::json_pointer("/sla/" + m + "/share_met"));
  std::string out = "figure                          recorded      what-if\n";
  for (const auto& [name, pointer] : rows) {
    const std::string left = a.contains(pointer) ? Cell(a[pointer]) : "-";
    const std::string right = b.contains(pointer) ? Cell(b[pointer]) : "-";
    char line[160];
    std::snprintf(line, sizeof line, "%-30s %10s   %10s\n", name.c_str(), left.c_str(), right.c_str());
    out += line;
  }
  return out;
}

}  // namespace switchboard
