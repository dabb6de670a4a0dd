// Randomized routing simulation (issue 4): B13, B14, B15, B16 (and B11, B12, B17 on the way).
//
// What it proves: thousands of seeded random commands drive the pure Desk (contacts writing in by
// messaging or email, in French or English, about billing, sales or anything; contact and agent
// replies; status changes, priorities, ended sessions, transfers and hand-made unassignments by the
// agents; agents coming and going; time passing so that inactivity and offer timers fire), under each
// routing style, and after EVERY command:
//  - each agent's recorded load (agent.load_changed) equals, per channel, the tickets whose HoldingOf
//    names it, and is never negative (B15); an independent model folded from the events alone (a
//    ticket holds capacity while assigned, new or open, its session not ended and, for messaging, its
//    conversation not inactive) agrees with every holding, every load event and every ticket;
//  - the queues hold exactly the tickets that should wait (a group, no agent, no offer, new or open,
//    session not ended), none of them is assigned, each at its place (priority, then age), and none
//    waits while a member of its group is online, speaks its language, has its skills and (except in
//    broadcast) has room (B14);
//  - no ticket is without a group (B11);
//  - every routing.decided agrees with the model at the moment it is decided: each candidate's
//    eligibility and reason (B13), the chosen agent (B12: most spare capacity, then the longest idle;
//    round robin; every eligible agent offered in broadcast), never an agent at its limit, no ticket
//    ahead of it in its queue that someone could take (B14: priority, then age), the position the
//    contact is told, and the decision carried out (assigned, offered or queued);
//  - no open messaging ticket is left on an agent who is away or offline (B16: both are in
//    reassign_on), and such an agent has no offer;
//  - broadcast: no ticket has offers and an agent at once, and offers go only to online agents.
// It also proves determinism: the same seed gives the same event stream, a different seed another.
// A failure names the seed, the command number and line, its events, the ticket or agent and the
// invariant; SWITCHBOARD_SIM_SEED=N runs the simulations with another seed.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "events/time.h"
#include "tests/rules/domain/desk_fixture.h"

namespace {

using nlohmann::json;
using switchboard::AgentState;
using switchboard::DeskState;
using switchboard::Session;
using switchboard::Ticket;
using switchboard::Timestamp;
using switchboard::testing::DeskFixture;

// Fails the test case at once with the simulation's context (seed, command number and line). The
// condition is tested first, so the message is only built on failure: the checks run millions of times.
#define SIM_REQUIRE(cond, what)                         \
  do {                                                  \
    if (!(cond)) {                                      \
      std::ostringstream sim_message;                   \
      sim_message << Context() << ": " << what;         \
      BOOST_REQUIRE_MESSAGE((cond), sim_message.str()); \
    }                                                   \
  } while (false)

struct AgentSpec {
  std::string id;
  std::vector<std::string> groups, languages, skills;
  std::array<int, 2> capacity;  // messaging, email
};

const std::vector<std::string> kGroups = {"support", "sales", "francophone", "billing"};
const std::array<const char*, 2> kChannels = {"messaging", "email"};

// 20 agents in 4 groups, some in two; French and English speakers; the billing skill on a few.
const std::vector<AgentSpec> kAgents = {
    {"ava", {"support"}, {"en"}, {}, {3, 6}},
    {"ben", {"support"}, {"en", "fr"}, {"billing"}, {2, 5}},
    {"cleo", {"support", "billing"}, {"en"}, {"billing"}, {3, 4}},
    {"dan", {"support"}, {"en"}, {}, {2, 6}},
    {"eve", {"support", "francophone"}, {"fr", "en"}, {}, {3, 5}},
    {"finn", {"sales"}, {"en"}, {}, {2, 4}},
    {"gia", {"sales"}, {"en", "fr"}, {}, {3, 6}},
    {"hugo", {"sales", "francophone"}, {"fr"}, {}, {2, 5}},
    {"ines", {"sales"}, {"en"}, {}, {3, 4}},
    {"jon", {"sales"}, {"en"}, {"billing"}, {2, 6}},
    {"kai", {"francophone"}, {"fr"}, {}, {3, 5}},
    {"lea", {"francophone"}, {"fr", "en"}, {"billing"}, {2, 4}},
    {"max", {"francophone"}, {"fr"}, {}, {3, 6}},
    {"nina", {"francophone", "billing"}, {"fr", "en"}, {"billing"}, {2, 5}},
    {"omar", {"francophone"}, {"fr", "en"}, {}, {3, 4}},
    {"paul", {"billing"}, {"en"}, {"billing"}, {2, 6}},
    {"quin", {"billing"}, {"en"}, {}, {3, 5}},
    {"rosa", {"billing"}, {"en", "fr"}, {"billing"}, {2, 4}},
    {"sam", {"billing"}, {"en"}, {}, {3, 6}},
    {"tess", {"billing", "support"}, {"en"}, {"billing"}, {2, 5}},
};

std::string SimulationConfig(const std::string& style) {
  json groups = json::array();
  for (const std::string& g : kGroups) groups.push_back({{"id", g}});
  json agents = json::array();
  for (const AgentSpec& a : kAgents) {
    agents.push_back({{"id", a.id},
                      {"groups", a.groups},
                      {"languages", a.languages},
                      {"skills", a.skills},
                      {"capacity", {{"messaging", a.capacity[0]}, {"email", a.capacity[1]}}}});
  }
  auto is = [](const char* field, const char* value) {
    return json{{"field", field}, {"operator", "is"}, {"value", value}};
  };
  json rules = json::array();
  rules.push_back({{"id", "billing"},
                   {"when", {{"all", json::array({is("contact.topic", "billing")})}}},
                   {"group", "billing"},
                   {"priority", "high"},
                   {"skills", json::array({"billing"})}});
  rules.push_back({{"id", "sales-fr"},
                   {"when", {{"all", json::array({is("contact.topic", "sales"), is("language", "fr")})}}},
                   {"group", "sales"},
                   {"language", "fr"}});
  rules.push_back(
      {{"id", "sales"}, {"when", {{"all", json::array({is("contact.topic", "sales")})}}}, {"group", "sales"}});
  rules.push_back({{"id", "french"},
                   {"when", {{"all", json::array({is("language", "fr")})}}},
                   {"group", "francophone"},
                   {"language", "fr"}});
  json config = {
      {"settings",
       {{"inactivity_minutes", 10}, {"offer_timeout_s", 60}, {"reassign_on", json::array({"away", "offline"})}}},
      {"groups", groups},
      {"agents", agents},
      {"routing", {{"style", style}, {"rules", rules}, {"fallback", "support"}}}};
  return config.dump();
}

std::uint64_t Seed(std::uint64_t fallback) {
  const char* text = std::getenv("SWITCHBOARD_SIM_SEED");
  return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

// The words the checks compare most, as strings: comparing with them tests the size first.
const std::string kNew = "new", kOpen = "open", kClosed = "closed", kMessaging = "messaging", kEmail = "email",
                  kOnline = "online";

int ChannelIndex(const std::string& channel) { return channel == kEmail ? 1 : 0; }
int ChannelIndex(switchboard::Channel channel) { return channel == switchboard::Channel::kEmail ? 1 : 0; }
std::string NameOf(switchboard::Channel channel) { return std::string(switchboard::Name(channel)); }

// What routing keeps of a ticket, or nothing kept.
const switchboard::RoutedTicket& Routed(const DeskState& s, std::uint64_t ticket) {
  static const switchboard::RoutedTicket kNone;
  const switchboard::RoutedTicket* r = s.FindRouted(ticket);
  return r ? *r : kNone;
}
const switchboard::AgentLedger& Ledger(const DeskState& s, const std::string& agent) {
  static const switchboard::AgentLedger kNone;
  const switchboard::AgentLedger* l = s.FindLedger(agent);
  return l ? *l : kNone;
}

bool Live(const std::string& status) { return status == kNew || status == kOpen; }
bool Live(switchboard::TicketStatus status) { return Live(std::string(switchboard::Name(status))); }

bool Has(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// A string field of an event, or "" when absent or null.
std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::uint64_t TicketOf(const json& e) {
  auto it = e.find("ticket");
  return it != e.end() && it->is_number() ? it->get<std::uint64_t>() : 0;
}

// The independent model of what routing and capacity depend on, folded from the events alone.
struct ModelTicket {
  std::uint64_t id = 0;
  Timestamp created_at = 0;
  std::string group, language, status = "new", assignee, channel, priority = "normal";  // channel: as handled now
  std::vector<std::string> skills;
  std::set<std::string> offers;
  bool inactive = false, ended = false;
};

// B15, B32: a ticket holds its agent's capacity on the channel it is handled on while it is assigned,
// new or open (pending, on-hold and solved release it: the default release_capacity_on), its session
// not ended, and, for messaging, its conversation not inactive.
std::optional<std::pair<std::string, int>> ModelHolding(const ModelTicket& t) {
  if (t.assignee.empty() || !Live(t.status) || t.ended) return std::nullopt;
  if (t.channel == kMessaging && t.inactive) return std::nullopt;
  return std::make_pair(t.assignee, ChannelIndex(t.channel));
}

// B14: a ticket waits in its group's queue while it has a group, no agent, no open offer, is new or
// open and its session has not ended; the queue is ordered by priority, then age (then number).
bool ModelQueueable(const ModelTicket& t) {
  return !t.group.empty() && t.assignee.empty() && t.offers.empty() && Live(t.status) && !t.ended;
}

using QueueOrder = std::tuple<int, Timestamp, std::uint64_t>;

QueueOrder OrderOf(const ModelTicket& t) {
  const int rank = t.priority == "urgent" ? 3 : t.priority == "high" ? 2 : t.priority == "normal" ? 1 : 0;
  return {-rank, t.created_at, t.id};
}

struct ModelAgent {
  std::string status = "offline";
  std::array<int, 2> held = {0, 0};
  Timestamp idle_since = 0;  // its last assignment, or its coming online
};

enum class Compare { kRecord, kSame, kDiffer };

struct Stats {
  std::uint64_t commands = 0, events = 0, rejected = 0, decisions = 0, routed = 0, queued = 0, offered = 0,
                accepted = 0, inactive = 0, reactivated = 0, requeued_b16 = 0, sessions_ended = 0, transfers = 0,
                over_capacity = 0, max_queued = 0, checked_tickets = 0;
};

class Simulation {
 public:
  Simulation(const std::string& style, std::uint64_t seed, bool check, Compare compare = Compare::kRecord,
             const std::vector<std::string>* reference = nullptr)
      : style_(style),
        seed_(seed),
        check_(check),
        compare_(compare),
        reference_(reference),
        f_(SimulationConfig(style)),
        rng_(seed),
        now_(start_) {
    for (std::size_t i = 0; i < kAgents.size(); ++i) {
      index_[kAgents[i].id] = static_cast<int>(i);
      agents_[kAgents[i].id];
      for (const std::string& g : kAgents[i].groups) members_[g].push_back(static_cast<int>(i));
    }
  }

  // `contacts` new contacts write in over simulated days, then the desk works on for a while and
  // every timer is let fire.
  void Drive(int contacts) {
    for (int i = 0; i < 5; ++i) NewContact();           // nobody is online yet: they wait (B14)
    for (std::size_t i = 0; i < kAgents.size(); ++i) {  // most agents start the day online
      if (i % 7 != 6) Send({{"type", "agent.status"}, {"agent", kAgents[i].id}, {"status", "online"}});
    }
    int tail = contacts / 8;
    while (!stopped_ && (started_ < contacts || tail-- > 0)) Step(started_ < contacts);
    if (!stopped_) Advance(2 * 60 * 60);
  }

  const std::vector<std::string>& stream() const { return stream_; }
  std::size_t compared() const { return compared_; }
  bool diverged() const { return stopped_; }
  const Stats& stats() const { return stats_; }

  std::string Summary() const {
    std::ostringstream out;
    out << style_ << " seed " << seed_ << ": " << started_ << " contacts, " << f_.state().ticket_count() << " tickets, "
        << stats_.commands << " commands (" << stats_.rejected << " rejected), " << stats_.events << " events over "
        << (now_ - start_) / switchboard::kMillisPerHour << " simulated hours; " << stats_.decisions
        << " routing decisions (" << stats_.routed << " assigned, " << stats_.queued << " queued, " << stats_.offered
        << " offers, " << stats_.accepted << " accepted), " << stats_.inactive << " inactive, " << stats_.reactivated
        << " reactivated, " << stats_.requeued_b16 << " put back by B16, " << stats_.sessions_ended
        << " sessions ended, " << stats_.transfers << " transfers; most tickets waiting at once " << stats_.max_queued
        << "; commands after which an agent was above its limit (B15: a contact's message counts a released ticket"
        << " again) " << stats_.over_capacity << "; ticket checks " << stats_.checked_tickets;
    return out.str();
  }

 private:
  std::string Context() const {
    std::ostringstream out;
    out << style_ << " simulation, seed " << seed_ << ", command #" << stats_.commands << " " << last_line_;
    if (last_events_ != nullptr) {  // what it caused, for the reader of a failure
      std::string events;
      for (const json& e : *last_events_) events += "\n    " + e.dump();
      if (events.size() > 6000) events = events.substr(0, 6000) + "\n    ...";
      out << "\n  events:" << events << "\n ";
    }
    return out.str();
  }

  // Randomness from the engine of the standard (whose output is fixed), not from the distributions
  // (whose output is not): a seed reproduces the same run with any standard library.
  std::uint64_t Below(std::uint64_t n) { return rng_() % n; }
  bool Chance(int percent) { return Below(100) < static_cast<std::uint64_t>(percent); }

  std::vector<json> Send(json command) {
    ++stats_.commands;
    last_type_ = Str(command, "type");
    std::string at = switchboard::FormatRfc3339(now_);
    at.pop_back();  // the fixture adds the "Z"
    last_line_ = f_.Line(std::move(command), at);
    std::vector<json> events = f_.Run(last_line_);
    last_events_ = &events;
    for (const json& e : events) Track(e);
    if (check_) {
      Observe(events);
      for (const json& e : events) {
        if (Str(e, "type") == "agent.status_changed") CheckAbsentAgent(e);
      }
      CheckState();
    }
    last_events_ = nullptr;
    return events;
  }

  // What every run needs from the events: the stream, its comparison, the open offers, the counts.
  void Track(const json& e) {
    ++stats_.events;
    std::string text = e.dump();
    if (compare_ == Compare::kRecord) {
      stream_.push_back(std::move(text));
    } else if (compare_ == Compare::kSame) {
      SIM_REQUIRE(compared_ < reference_->size() && (*reference_)[compared_] == text,
                  "determinism: with the same seed, event "
                      << compared_ << " differs: first run "
                      << (compared_ < reference_->size() ? (*reference_)[compared_] : std::string("<no more events>"))
                      << ", second run " << text);
      ++compared_;
    } else if (!stopped_) {
      if (compared_ >= reference_->size() || (*reference_)[compared_] != text) stopped_ = true;
      ++compared_;
    }
    const std::string type = Str(e, "type");
    const std::uint64_t ticket = TicketOf(e);
    if (type == "ticket.offered") {
      offers_.insert({ticket, Str(e, "agent")});
      ++stats_.offered;
    } else if (type == "ticket.offer_withdrawn") {
      offers_.erase({ticket, Str(e, "agent")});
      withdrawn_[withdrawn_next_++ % withdrawn_.size()] = {ticket, Str(e, "agent")};
    } else if (type == "ticket.assigned") {
      offers_.erase(offers_.lower_bound({ticket, ""}), offers_.lower_bound({ticket + 1, ""}));
      if (last_type_ == "agent.accept") ++stats_.accepted;
    } else if (type == "command.rejected") {
      ++stats_.rejected;
    } else if (type == "routing.decided") {
      ++stats_.decisions;
      if (!Str(e, "chosen").empty()) ++stats_.routed;
    } else if (type == "ticket.queued") {
      ++stats_.queued;
    } else if (type == "conversation.inactive") {
      ++stats_.inactive;
    } else if (type == "conversation.active") {
      ++stats_.reactivated;
    } else if (type == "ticket.unassigned" && last_type_ == "agent.status") {
      ++stats_.requeued_b16;
    } else if (type == "session.ended") {
      ++stats_.sessions_ended;
    } else if (type == "ticket.transferred") {
      ++stats_.transfers;
    }
  }

  // ---- The model, and the routing decisions checked against it as they are made ----

  template <typename F>
  void ChangeTicket(std::uint64_t id, F&& change) {
    SIM_REQUIRE(id >= 1 && id <= tickets_.size(), "an event names ticket " << id << ", which was never created");
    ModelTicket& t = tickets_[id - 1];
    if (auto h = ModelHolding(t)) --agents_[h->first].held[h->second];
    if (ModelQueueable(t)) queues_[{t.group, t.channel}].erase(OrderOf(t));
    change(t);
    if (auto h = ModelHolding(t)) ++agents_[h->first].held[h->second];
    if (ModelQueueable(t)) queues_[{t.group, t.channel}].insert(OrderOf(t));
  }

  void Observe(const std::vector<json>& events) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      const json& e = events[i];
      const std::string type = Str(e, "type");
      const std::uint64_t id = TicketOf(e);
      const std::string agent = Str(e, "agent");
      if (id != 0) touched_.push_back(id);
      if (type == "routing.decided") {
        CheckDecision(events, i);
        if (style_ == "assignment" && !Str(e, "chosen").empty()) round_robin_[Str(e, "group")] = Str(e, "chosen");
      } else if (type == "ticket.created") {
        SIM_REQUIRE(id == tickets_.size() + 1, "ticket " << id << " created out of order");
        tickets_.emplace_back();
        tickets_.back().id = id;
        tickets_.back().created_at = *switchboard::ParseRfc3339(Str(e, "at"));
        tickets_.back().channel = Str(e, "channel");
      } else if (type == "ticket.routed") {
        ChangeTicket(id, [&](ModelTicket& t) {
          t.group = Str(e, "group");
          t.language = Str(e, "language");
          t.skills.clear();
          if (e.contains("skills") && e["skills"].is_array()) t.skills = e["skills"].get<std::vector<std::string>>();
        });
      } else if (type == "ticket.updated") {
        const json& changes = e["changes"];
        ChangeTicket(id, [&](ModelTicket& t) {
          if (changes.contains("group")) t.group = changes["group"][1];
          if (changes.contains("priority")) t.priority = changes["priority"][1];
        });
      } else if (type == "ticket.transferred") {
        if (!Str(e, "to_group").empty()) ChangeTicket(id, [&](ModelTicket& t) { t.group = Str(e, "to_group"); });
      } else if (type == "ticket.assigned") {
        ChangeTicket(id, [&](ModelTicket& t) {
          t.assignee = agent;
          t.offers.erase(agent);  // an accepted offer is consumed
        });
        agents_[agent].idle_since = *switchboard::ParseRfc3339(Str(e, "at"));
      } else if (type == "ticket.unassigned") {
        SIM_REQUIRE(tickets_[id - 1].assignee == agent,
                    "ticket " << id << " unassigned from " << agent << " but held by " << tickets_[id - 1].assignee);
        ChangeTicket(id, [&](ModelTicket& t) { t.assignee.clear(); });
      } else if (type == "ticket.status_changed") {
        SIM_REQUIRE(tickets_[id - 1].status == Str(e, "from"),
                    "ticket " << id << " changes from " << Str(e, "from") << " but was " << tickets_[id - 1].status);
        ChangeTicket(id, [&](ModelTicket& t) { t.status = Str(e, "to"); });
      } else if ((type == "conversation.inactive" || type == "conversation.active") && id != 0) {
        ChangeTicket(id, [&](ModelTicket& t) { t.inactive = type == "conversation.inactive"; });
      } else if (type == "session.ended") {
        ChangeTicket(id, [&](ModelTicket& t) {
          t.ended = true;
          t.channel = "email";
        });
      } else if (type == "ticket.offered") {
        SIM_REQUIRE(agents_[agent].status == "online", "B13/B12 broadcast: ticket " << id << " offered to " << agent
                                                                                    << ", who is "
                                                                                    << agents_[agent].status);
        SIM_REQUIRE(tickets_[id - 1].assignee.empty(), "broadcast: ticket " << id << " offered to " << agent
                                                                            << " while assigned to "
                                                                            << tickets_[id - 1].assignee);
        ChangeTicket(id, [&](ModelTicket& t) { t.offers.insert(agent); });
      } else if (type == "ticket.offer_withdrawn") {
        ChangeTicket(id, [&](ModelTicket& t) { t.offers.erase(agent); });
      } else if (type == "ticket.queued") {  // B14: the contact can be told its place
        const ModelTicket& t = tickets_[id - 1];
        const std::set<QueueOrder>& queue = queues_[{t.group, t.channel}];
        auto place = queue.find(OrderOf(t));
        SIM_REQUIRE(place != queue.end(), "B14: ticket.queued for ticket " << id << ", which is not waiting");
        const auto position = std::distance(queue.begin(), place) + 1;
        SIM_REQUIRE(e["position"] == position, "B14: ticket " << id << " is told position " << e["position"]
                                                              << ", it is " << position << " in " << t.group << "/"
                                                              << t.channel);
      } else if (type == "agent.status_changed") {
        agents_[agent].status = Str(e, "to");
        if (agents_[agent].status == "online") agents_[agent].idle_since = *switchboard::ParseRfc3339(Str(e, "at"));
      } else if (type == "agent.load_changed") {
        const int channel = ChannelIndex(Str(e, "channel"));
        const int load = e["load"].get<int>();
        SIM_REQUIRE(load >= 0 && load == agents_[agent].held[channel],
                    "B15: agent.load_changed says " << agent << " has " << load << " " << Str(e, "channel")
                                                    << " tickets, the model counts " << agents_[agent].held[channel]);
        SIM_REQUIRE(e["capacity"] == kAgents[index_.at(agent)].capacity[channel],
                    "agent.load_changed for " << agent << " reports capacity " << e["capacity"]);
      }
    }
  }

  // Why `a` may not take ticket `t` now, or "" when it may (B13), in the documented order.
  std::string PassedOver(const AgentSpec& a, const ModelTicket& t) const {
    const ModelAgent& m = agents_.at(a.id);
    const int channel = ChannelIndex(t.channel);
    if (m.status != "online") return "offline";
    if (!t.language.empty() && !Has(a.languages, t.language)) return "language";
    for (const std::string& skill : t.skills) {
      if (!Has(a.skills, skill)) return "skills";
    }
    if (style_ != "broadcast" && m.held[channel] >= a.capacity[channel]) return "at_capacity";
    return "";
  }

  void CheckDecision(const std::vector<json>& events, std::size_t i) {
    const json& e = events[i];
    const std::uint64_t id = TicketOf(e);
    SIM_REQUIRE(id >= 1 && id <= tickets_.size(), "routing.decided for unknown ticket " << id);
    const ModelTicket& t = tickets_[id - 1];
    const std::string group = Str(e, "group");
    SIM_REQUIRE(group == t.group && !group.empty(), "routing.decided for ticket " << id << " in group '" << group
                                                                                  << "', the ticket is in '" << t.group
                                                                                  << "'");
    SIM_REQUIRE(Str(e, "style") == style_, "routing.decided for ticket " << id << " in style " << Str(e, "style"));
    const std::vector<int>& members = members_.at(group);
    const json& candidates = e["candidates"];
    SIM_REQUIRE(candidates.is_array() && candidates.size() == members.size(),
                "B13: routing.decided for ticket " << id << " lists " << candidates.size() << " candidates, group "
                                                   << group << " has " << members.size() << " members");
    const int channel = ChannelIndex(t.channel);
    std::vector<int> eligible;
    for (std::size_t k = 0; k < members.size(); ++k) {
      const AgentSpec& a = kAgents[members[k]];
      const json& c = candidates[k];
      const std::string expected = PassedOver(a, t);
      const bool is_eligible = c.value("eligible", false);
      const std::string reason = Str(c, "reason");
      SIM_REQUIRE(Str(c, "agent") == a.id, "B13: ticket " << id << " candidate " << k << " is " << Str(c, "agent")
                                                          << ", expected " << a.id << " (configuration order)");
      SIM_REQUIRE(is_eligible == expected.empty() && reason == expected,
                  "B13: for ticket " << id << " (" << t.channel << ", language '" << t.language << "', group " << group
                                     << ") candidate " << a.id << " is " << (is_eligible ? "eligible" : reason)
                                     << ", expected " << (expected.empty() ? "eligible" : expected) << " (status "
                                     << agents_.at(a.id).status << ", held " << agents_.at(a.id).held[channel] << "/"
                                     << a.capacity[channel] << ")");
      if (expected.empty()) eligible.push_back(members[k]);
    }
    std::string expected;
    if (style_ == "omnichannel") {  // most spare capacity, then the longest idle, then configuration order
      int best_spare = 0;
      Timestamp best_idle = 0;
      for (int k : eligible) {
        const ModelAgent& m = agents_.at(kAgents[k].id);
        const int spare = kAgents[k].capacity[channel] - m.held[channel];
        if (expected.empty() || spare > best_spare || (spare == best_spare && m.idle_since < best_idle)) {
          expected = kAgents[k].id;
          best_spare = spare;
          best_idle = m.idle_since;
        }
      }
    } else if (style_ == "assignment") {  // round robin: the first eligible member after the last chosen
      std::size_t start = 0;
      auto last = round_robin_.find(group);
      for (std::size_t k = 0; k < members.size(); ++k) {
        if (last != round_robin_.end() && kAgents[members[k]].id == last->second) start = k + 1;
      }
      for (std::size_t k = 0; k < members.size() && expected.empty(); ++k) {
        const int member = members[(start + k) % members.size()];
        if (std::find(eligible.begin(), eligible.end(), member) != eligible.end()) expected = kAgents[member].id;
      }
    }
    const std::string chosen = Str(e, "chosen");
    SIM_REQUIRE(chosen == expected, "B12: " << style_ << " routing of ticket " << id << " chose '" << chosen
                                            << "', expected '" << expected << "'");
    // B14: it was waiting, and it takes an agent's room only if nobody could take any ticket ahead of
    // it in its queue (priority, then age).
    const std::set<QueueOrder>& queue = queues_[{group, t.channel}];
    SIM_REQUIRE(queue.count(OrderOf(t)) == 1,
                "B14: routing.decided for ticket " << id << ", which is not waiting in " << group << "/" << t.channel);
    if (!eligible.empty() && style_ != "broadcast") {  // broadcast: every ticket is offered, none competes
      std::map<std::string, std::string> taker;        // requirement -> an agent that could take it
      for (auto it = queue.begin(); it != queue.end() && *it < OrderOf(t); ++it) {
        const ModelTicket& ahead = tickets_[std::get<2>(*it) - 1];
        std::string need = ahead.language;
        for (const std::string& skill : ahead.skills) need += '|' + skill;
        auto [found, fresh] = taker.try_emplace(need);
        if (fresh) {
          for (int k : members) {
            if (PassedOver(kAgents[k], ahead).empty()) {
              found->second = kAgents[k].id;
              break;
            }
          }
        }
        SIM_REQUIRE(found->second.empty(), "B14 queue order: ticket "
                                               << id << " (" << t.priority << ") is routed in " << group << "/"
                                               << t.channel << " while ticket " << ahead.id << " (" << ahead.priority
                                               << ", older or more urgent) waits ahead of it and " << found->second
                                               << " could take it");
      }
    }
    auto next = [&](std::size_t k) -> const json& {
      static const json kNone = json::object();
      return i + k < events.size() ? events[i + k] : kNone;
    };
    if (!chosen.empty()) {
      const ModelAgent& m = agents_.at(chosen);
      SIM_REQUIRE(m.held[channel] < kAgents[index_.at(chosen)].capacity[channel],
                  "B13: routing gave ticket " << id << " to " << chosen << ", who already holds " << m.held[channel]
                                              << " " << t.channel << " tickets, its limit");
      SIM_REQUIRE(
          Str(next(1), "type") == "ticket.assigned" && TicketOf(next(1)) == id && Str(next(1), "agent") == chosen,
          "B12: routing chose " << chosen << " for ticket " << id << " but the next event is " << next(1).dump());
    } else if (style_ == "broadcast" && !eligible.empty()) {
      for (std::size_t k = 0; k < eligible.size(); ++k) {
        SIM_REQUIRE(Str(next(k + 1), "type") == "ticket.offered" && TicketOf(next(k + 1)) == id &&
                        Str(next(k + 1), "agent") == kAgents[eligible[k]].id,
                    "B12 broadcast: ticket " << id << " should be offered to " << kAgents[eligible[k]].id
                                             << " (eligible), event is " << next(k + 1).dump());
      }
      SIM_REQUIRE(Str(next(eligible.size() + 1), "type") != "ticket.offered" ||
                      TicketOf(next(eligible.size() + 1)) != id,
                  "B13 broadcast: ticket "
                      << id << " offered to an agent that is not eligible: " << next(eligible.size() + 1).dump());
    } else {
      SIM_REQUIRE(Str(next(1), "type") == "ticket.queued" && TicketOf(next(1)) == id && Str(next(1), "group") == group,
                  "B14: nobody could take ticket " << id << " but the next event is " << next(1).dump());
    }
  }

  // ---- The whole state, after every command: O(tickets + agents) ----

  // A member of the ticket's group that could take it now (B13), ignoring the limit in broadcast; ""
  // when none. Memoised per requirement within one check.
  const std::string& RoomFor(const Ticket& t) {
    const DeskState& s = f_.state();
    const switchboard::RoutedTicket& r = Routed(s, t.id);
    std::string key = t.group + '|' + NameOf(t.handled_as) + '|' + r.language;
    for (const std::string& skill : r.skills) key += '|' + skill;
    auto [it, fresh] = room_.try_emplace(key);
    if (!fresh) return it->second;
    const int channel = ChannelIndex(t.handled_as);
    for (int k : members_.at(t.group)) {
      const AgentSpec& a = kAgents[k];
      const AgentState* state = s.FindAgent(a.id);
      if (state == nullptr || state->status != kOnline) continue;
      if (!r.language.empty() && !Has(a.languages, r.language)) continue;
      bool skilled = true;
      for (const std::string& skill : r.skills) skilled = skilled && Has(a.skills, skill);
      if (!skilled) continue;
      const int held = Ledger(s, a.id).held(t.handled_as);
      if (style_ == "broadcast" || held < a.capacity[channel]) {
        it->second = a.id;
        break;
      }
    }
    return it->second;
  }

  // A ticket in the state is what its events say (the model), holds capacity where B15 says and waits
  // at the place B14 says.
  void CheckAgainstModel(std::uint64_t id) {
    const DeskState& s = f_.state();
    const Ticket& t = *s.FindTicket(id);
    const ModelTicket& m = tickets_[id - 1];
    SIM_REQUIRE(t.assignee == m.assignee && t.status == m.status && t.group == m.group && t.handled_as == m.channel,
                "ticket " << id << " is (" << t.status << ", '" << t.assignee << "', " << t.group << ", "
                          << t.handled_as << ") in the state, (" << m.status << ", '" << m.assignee << "', " << m.group
                          << ", " << m.channel << ") by its events");
    const std::optional<switchboard::Holding> h = s.HoldingOf(t);
    const auto expected = ModelHolding(m);
    SIM_REQUIRE(h.has_value() == expected.has_value() &&
                    (!h || (h->agent == expected->first && ChannelIndex(h->channel) == expected->second)),
                "B15: ticket " << id << " (" << t.status << ", " << t.handled_as << ", session "
                               << s.FindConversation(t.conversation)->session << ", '" << t.assignee << "') holds "
                               << (h ? h->agent + "/" + NameOf(h->channel) : "nothing") << ", expected "
                               << (expected ? expected->first : "nothing"));
    const switchboard::RoutedTicket& r = Routed(s, id);
    SIM_REQUIRE(r.held == h, "B15: ticket " << id << " is counted where it no longer holds capacity");
    SIM_REQUIRE(ModelQueueable(m) == r.queued.has_value(),
                "B14: ticket " << id << " is " << (r.queued ? "queued" : "not queued") << " in the state, "
                               << (ModelQueueable(m) ? "waiting" : "not waiting") << " by its events");
    if (r.queued) {
      SIM_REQUIRE(QueueOrder(r.queued->key.rank, r.queued->key.since, r.queued->key.ticket) == OrderOf(m),
                  "B14: ticket " << id << " waits at the place of priority rank " << r.queued->key.rank << ", creation "
                                 << r.queued->key.since << ", ticket " << r.queued->key.ticket << "; its events say "
                                 << m.priority << ", " << m.created_at);
    }
  }

  // The invariants, over every ticket and agent: O(tickets + agents), so cheap per ticket.
  void CheckState() {
    const DeskState& s = f_.state();
    SIM_REQUIRE(s.ticket_count() == tickets_.size(),
                "the state has " << s.ticket_count() << " tickets, the events created " << tickets_.size());
    std::vector<std::array<int, 2>> held(kAgents.size(), {0, 0});
    std::uint64_t queued = 0;
    room_.clear();
    for (std::uint64_t id = 1; id <= s.ticket_count(); ++id) {
      const Ticket& t = *s.FindTicket(id);
      SIM_REQUIRE(!t.group.empty(), "B11: ticket " << id << " has no group");
      const std::optional<switchboard::Holding> h = s.HoldingOf(t);
      if (h) ++held[index_.at(h->agent)][ChannelIndex(h->channel)];
      const Session session = s.FindConversation(t.conversation)->session;
      const switchboard::RoutedTicket& r = Routed(s, id);
      const bool live = Live(t.status);
      const bool queueable = live && t.assignee.empty() && r.offers.empty() && session != Session::kEnded;
      SIM_REQUIRE(!(r.queued && !t.assignee.empty()), "ticket " << id << " is queued and assigned to " << t.assignee);
      SIM_REQUIRE(r.queued.has_value() == queueable,
                  "B14: ticket " << id << " (" << t.status << ", '" << t.assignee << "', " << r.offers.size()
                                 << " offers, session " << session << ") is " << (r.queued ? "queued" : "not queued"));
      if (r.queued) {
        ++queued;
        SIM_REQUIRE(r.queued->group == t.group && r.queued->channel == t.handled_as,
                    "B14: ticket " << id << " waits in " << r.queued->group << "/" << r.queued->channel
                                   << " but belongs to " << t.group << "/" << t.handled_as);
        const switchboard::TicketQueue* queue = s.FindQueue(t.group, t.handled_as);
        SIM_REQUIRE(queue != nullptr && queue->find(r.queued->key) != queue->end(),
                    "B14: ticket " << id << " is marked queued but is not in queue " << t.group << "/" << t.handled_as);
        const std::string& room = RoomFor(t);
        SIM_REQUIRE(room.empty(), "B14: ticket " << id << " (" << t.handled_as << ", language '" << r.language
                                                 << "') waits in " << t.group << " while " << room
                                                 << " is online, eligible and has room");
      }
      if (!r.offers.empty()) {
        SIM_REQUIRE(style_ == "broadcast", "ticket " << id << " has offers in style " << style_);
        SIM_REQUIRE(t.assignee.empty(), "broadcast: ticket " << id << " has offers and is assigned to " << t.assignee);
        for (const std::string& agent : r.offers) {
          SIM_REQUIRE(s.FindAgent(agent)->status == kOnline, "broadcast: ticket " << id << " is offered to " << agent
                                                                                  << ", who is "
                                                                                  << s.FindAgent(agent)->status);
        }
      }
      // B16: away and offline are both in reassign_on, so no open messaging ticket waits on an absent
      // agent, however it became open (B22: a contact's reply reopens it).
      SIM_REQUIRE(!(live && !t.assignee.empty() && t.handled_as == kMessaging && session != Session::kEnded &&
                    s.FindAgent(t.assignee)->status != kOnline),
                  "B16: " << t.status << " messaging ticket " << id << " (session " << session << ") waits on "
                          << t.assignee << ", who is " << s.FindAgent(t.assignee)->status);
    }
    // The model follows each ticket through its events: compared on the tickets this command touched,
    // and on all of them now and then.
    if (stats_.commands % 64 == 0) {
      touched_.clear();
      for (std::uint64_t id = 1; id <= s.ticket_count(); ++id) touched_.push_back(id);
    }
    std::sort(touched_.begin(), touched_.end());
    touched_.erase(std::unique(touched_.begin(), touched_.end()), touched_.end());
    for (std::uint64_t id : touched_) CheckAgainstModel(id);
    touched_.clear();
    stats_.checked_tickets += s.ticket_count();
    std::uint64_t in_queues = 0;
    for (const std::string& group : kGroups) {
      for (switchboard::Channel channel : {switchboard::Channel::kMessaging, switchboard::Channel::kEmail}) {
        if (const switchboard::TicketQueue* queue = s.FindQueue(group, channel)) in_queues += queue->size();
      }
    }
    SIM_REQUIRE(in_queues == queued,
                "B14: the queues hold " << in_queues << " tickets, " << queued << " tickets are marked queued");
    std::uint64_t modelled = 0;
    for (const auto& [where, queue] : queues_) modelled += queue.size();
    SIM_REQUIRE(modelled == queued, "B14: the events leave " << modelled << " tickets waiting, the state " << queued);
    stats_.max_queued = std::max(stats_.max_queued, queued);
    bool over = false;
    for (std::size_t k = 0; k < kAgents.size(); ++k) {
      const AgentSpec& spec = kAgents[k];
      const AgentState* a = s.FindAgent(spec.id);
      SIM_REQUIRE(a != nullptr, "agent " << spec.id << " is missing from the state");
      SIM_REQUIRE(a->load_messaging == held[k][0] && a->load_email == held[k][1],
                  "B15: agent " << spec.id << " has recorded load " << a->load_messaging << " messaging / "
                                << a->load_email << " email, but holds " << held[k][0] << " / " << held[k][1]);
      const switchboard::AgentLedger& ledger = Ledger(s, spec.id);
      SIM_REQUIRE(ledger.held_messaging == held[k][0] && ledger.held_email == held[k][1],
                  "B15: agent " << spec.id << " counts " << ledger.held_messaging << " / " << ledger.held_email
                                << " held tickets, but holds " << held[k][0] << " / " << held[k][1]);
      SIM_REQUIRE(agents_.at(spec.id).held == held[k],
                  "B15: agent " << spec.id << " holds " << held[k][0] << " / " << held[k][1] << ", its events say "
                                << agents_.at(spec.id).held[0] << " / " << agents_.at(spec.id).held[1]);
      SIM_REQUIRE(a->status == agents_.at(spec.id).status, "agent " << spec.id << " is " << a->status
                                                                    << " in the state, " << agents_.at(spec.id).status
                                                                    << " by its events");
      SIM_REQUIRE(a->status == "online" || ledger.offers.empty(), "B16: agent " << spec.id << " is " << a->status
                                                                                << " and still has "
                                                                                << ledger.offers.size() << " offers");
      over = over || held[k][0] > spec.capacity[0] || held[k][1] > spec.capacity[1];
    }
    if (over) ++stats_.over_capacity;
  }

  // B16: right after an agent goes away or offline (both in reassign_on), it keeps no new or open
  // messaging ticket whose session is live: they went back to the queue.
  void CheckAbsentAgent(const json& changed) {
    const std::string agent = Str(changed, "agent");
    if (Str(changed, "to") == "online") return;
    const DeskState& s = f_.state();
    for (std::uint64_t id : s.FindAgent(agent)->tickets) {
      const Ticket& t = *s.FindTicket(id);
      const bool live = (t.status == "new" || t.status == "open") && t.handled_as == "messaging" &&
                        s.FindConversation(t.conversation)->session != Session::kEnded;
      SIM_REQUIRE(!live, "B16: agent " << agent << " went " << Str(changed, "to") << " but keeps " << t.status
                                       << " messaging ticket " << id);
    }
  }

  // ---- The commands ----

  void Step(bool arrivals) {
    // Contacts arrive steadily, with a rush now and then that builds a queue for the desk to drain (in
    // broadcast, where nobody has a limit, a rush only multiplies the offers).
    const bool rush = style_ != "broadcast" && started_ % 500 < 150;
    if (arrivals && Chance(rush ? 40 : 15)) return NewContact();
    now_ += static_cast<Timestamp>(Below(16)) * switchboard::kMillisPerSecond;
    enum {
      kContactReply,
      kAgentReply,
      kStatus,
      kSessionEnd,
      kAgentStatus,
      kClock,
      kTransfer,
      kUnassign,
      kPriority,
      kOdd,
      kAccept
    };
    const int weights[] = {20, 12, 30, 5, 4, 14, 2, 2, 6, 1, style_ == "broadcast" ? 60 : 0};
    int total = 0;
    for (int w : weights) total += w;
    int pick = static_cast<int>(Below(total)), action = 0;
    while (pick >= weights[action]) pick -= weights[action++];
    bool sent = false;
    switch (action) {
      case kContactReply:
        sent = ContactReply();
        break;
      case kAgentReply:
        sent = AgentReply();
        break;
      case kStatus:
        sent = StatusUpdate();
        break;
      case kSessionEnd:
        sent = SessionEnd();
        break;
      case kAgentStatus:
        sent = AgentStatusChange();
        break;
      case kTransfer:
        sent = Transfer();
        break;
      case kUnassign:
        sent = Unassign();
        break;
      case kPriority:
        sent = Reprioritize();
        break;
      case kOdd:
        sent = Odd();
        break;
      case kAccept:
        sent = Accept();
        break;
      default:
        break;
    }
    if (!sent) Advance(Chance(8) ? 11 * 60 + Below(15 * 60) : 5 + Below(116));
  }

  void Advance(std::uint64_t seconds) {
    now_ += static_cast<Timestamp>(seconds) * switchboard::kMillisPerSecond;
    Send({{"type", "clock.advance"}});
  }

  void NewContact() {
    now_ += static_cast<Timestamp>(Below(16)) * switchboard::kMillisPerSecond;
    const std::string contact = "c" + std::to_string(++started_);
    const char* channel = Chance(35) ? "email" : "messaging";
    const char* language = Chance(35) ? "fr" : "en";
    const std::uint64_t r = Below(100);
    const char* topic = r < 15 ? "billing" : r < 40 ? "sales" : "general";
    Send({{"type", "contact.message"},
          {"contact", contact},
          {"channel", channel},
          {"text", "hello"},
          {"profile", {{"language", language}, {"topic", topic}}}});
  }

  // A contact writes again, mostly on a recent ticket, on the channel its conversation is open on (a
  // closed ticket or an ended session: a new conversation, B22, B35).
  bool ContactReply() {
    const DeskState& s = f_.state();
    const std::uint64_t n = s.ticket_count();
    if (n == 0) return false;
    const std::uint64_t id = Chance(85) ? n - Below(std::min<std::uint64_t>(n, 150)) : 1 + Below(n);
    const Ticket& t = *s.FindTicket(id);
    if (t.status == "closed" && !Chance(20)) return false;
    const switchboard::Contact& c = *s.FindContact(t.contact);
    const std::string channel = c.open_messaging == t.conversation ? "messaging"
                                : c.open_email == t.conversation   ? "email"
                                                                   : NameOf(t.channel);
    Send({{"type", "contact.message"}, {"contact", t.contact}, {"channel", channel}, {"text", "any news?"}});
    return true;
  }

  // An online agent with work, at random, and one of its tickets (not closed) that `fits`.
  template <typename Fits>
  std::optional<std::pair<std::string, std::uint64_t>> AgentTicket(Fits fits) {
    const DeskState& s = f_.state();
    std::vector<const AgentState*> busy;
    for (const AgentSpec& a : kAgents) {
      const AgentState* state = s.FindAgent(a.id);
      if (state->status == kOnline && !state->tickets.empty()) busy.push_back(state);
    }
    for (int attempt = 0; attempt < 3 && !busy.empty(); ++attempt) {
      const AgentState& agent = *busy[Below(busy.size())];
      std::vector<std::uint64_t> found;
      for (std::uint64_t id : agent.tickets) {
        const Ticket& t = *s.FindTicket(id);
        if (t.status != kClosed && fits(t)) found.push_back(id);
      }
      if (!found.empty()) return std::make_pair(agent.id, found[Below(found.size())]);
    }
    return std::nullopt;
  }

  bool AgentReply() {
    auto pick = AgentTicket([](const Ticket&) { return true; });
    if (!pick) return false;
    Send({{"type", "agent.message"},
          {"agent", pick->first},
          {"ticket", pick->second},
          {"text", "on it"},
          {"public", Chance(90)}});
    return true;
  }

  // Mostly on a ticket that takes up the agent's room; solved ones get closed (or reopened).
  bool StatusUpdate() {
    const bool busy = Chance(75);
    auto pick = AgentTicket([&](const Ticket& t) { return !busy || Routed(f_.state(), t.id).held.has_value(); });
    if (!pick) return false;
    const Ticket& t = *f_.state().FindTicket(pick->second);
    const std::uint64_t r = Below(100);
    const char* status = t.status == "solved" ? (r < 70 ? "closed" : "open")
                         : r < 45             ? "solved"
                         : r < 70             ? "pending"
                         : r < 80             ? "on-hold"
                                              : "open";
    Send({{"type", "ticket.update"}, {"ticket", pick->second}, {"agent", pick->first}, {"status", status}});
    return true;
  }

  bool SessionEnd() {
    const DeskState& s = f_.state();
    auto pick = AgentTicket([&](const Ticket& t) {
      return t.channel == "messaging" && s.FindConversation(t.conversation)->session != Session::kEnded;
    });
    if (!pick) return false;
    Send({{"type", "session.end"}, {"ticket", pick->second}, {"agent", pick->first}});
    return true;
  }

  bool AgentStatusChange() {
    const std::uint64_t r = Below(100);
    Send({{"type", "agent.status"},
          {"agent", kAgents[Below(kAgents.size())].id},
          {"status", r < 70   ? "online"
                     : r < 85 ? "away"
                              : "offline"}});
    return true;
  }

  // B17: to another group (it waits there, or is routed at once), or to an online member of its group.
  bool Transfer() {
    const DeskState& s = f_.state();
    std::optional<std::pair<std::string, std::uint64_t>> pick;
    if (Chance(25) && s.ticket_count() > 0) {  // a member of its group moves a waiting (or offered) ticket
      const Ticket& t = *s.FindTicket(s.ticket_count() - Below(std::min<std::uint64_t>(s.ticket_count(), 300)));
      std::vector<std::string> online;
      for (int k : members_.at(t.group)) {
        if (s.FindAgent(kAgents[k].id)->status == kOnline) online.push_back(kAgents[k].id);
      }
      if (t.assignee.empty() && Live(t.status) && !online.empty()) {
        pick.emplace(online[Below(online.size())], t.id);
      }
    }
    if (!pick) pick = AgentTicket([](const Ticket&) { return true; });
    if (!pick) return false;
    const Ticket& t = *s.FindTicket(pick->second);
    json command = {{"type", "ticket.transfer"}, {"ticket", t.id}, {"agent", pick->first}, {"note", "over to you"}};
    std::vector<std::string> online;
    for (int k : members_.at(t.group)) {
      if (kAgents[k].id != pick->first && s.FindAgent(kAgents[k].id)->status == "online") {
        online.push_back(kAgents[k].id);
      }
    }
    if (Chance(80) || online.empty()) {
      std::vector<std::string> others;
      for (const std::string& group : kGroups) {
        if (group != t.group) others.push_back(group);
      }
      command["to_group"] = others[Below(others.size())];
    } else {
      command["to_agent"] = online[Below(online.size())];
    }
    Send(command);
    return true;
  }

  // B16: an agent puts a ticket back by hand, mostly while others wait in its queue; it is routed again.
  bool Unassign() {
    const DeskState& s = f_.state();
    const bool busy = Chance(70);
    auto pick = AgentTicket([&](const Ticket& t) {
      const switchboard::TicketQueue* queue = s.FindQueue(t.group, t.handled_as);
      return Live(t.status) && (!busy || (queue != nullptr && !queue->empty()));
    });
    if (!pick) return false;
    Send({{"type", "ticket.update"}, {"ticket", pick->second}, {"agent", pick->first}, {"assignee", nullptr}});
    return true;
  }

  // An agent of its group changes the priority of a recent ticket, waiting or its own: the queue
  // reorders (B14).
  bool Reprioritize() {
    const DeskState& s = f_.state();
    const std::uint64_t n = s.ticket_count();
    if (n == 0) return false;
    const Ticket* pick = s.FindTicket(n - Below(std::min<std::uint64_t>(n, 300)));
    const bool escalate = Chance(50);  // a waiting ticket, made more urgent
    for (std::uint64_t id = n; escalate && id > 0 && id + 300 > n; --id) {
      if (s.FindTicket(id) != nullptr && Routed(s, id).queued) {
        pick = s.FindTicket(id);
        break;
      }
    }
    const Ticket& t = *pick;
    if (t.status == "closed") return false;
    std::string agent = t.assignee;
    if (agent.empty()) {
      std::vector<std::string> online;
      for (int k : members_.at(t.group)) {
        if (s.FindAgent(kAgents[k].id)->status == "online") online.push_back(kAgents[k].id);
      }
      if (online.empty()) return false;
      agent = online[Below(online.size())];
    }
    static const char* const kPriorities[] = {"low", "normal", "high", "urgent"};
    Send({{"type", "ticket.update"},
          {"ticket", t.id},
          {"agent", agent},
          {"priority", kPriorities[Routed(s, t.id).queued && escalate ? 2 + Below(2) : Below(4)]}});
    return true;
  }

  // Commands that are mostly refused: they must change nothing.
  bool Odd() {
    const DeskState& s = f_.state();
    if (s.ticket_count() == 0) return false;
    const std::uint64_t id = 1 + Below(s.ticket_count());
    const std::string agent = kAgents[Below(kAgents.size())].id;
    switch (Below(4)) {
      case 0:
        Send({{"type", "agent.message"}, {"agent", agent}, {"ticket", id}, {"text", "hi"}});
        break;
      case 1:
        Send({{"type", "session.end"}, {"agent", agent}, {"ticket", id}});
        break;
      case 2:
        Send({{"type", "agent.accept"}, {"agent", agent}, {"ticket", id}});
        break;
      default:
        Send({{"type", "ticket.update"}, {"ticket", id}, {"status", "new"}});
        break;
    }
    return true;
  }

  // B12 broadcast: an agent accepts an offer it received (read from the events); now and then one
  // that was withdrawn meanwhile, which is refused.
  bool Accept() {
    std::pair<std::uint64_t, std::string> offer;
    if (Chance(5) && withdrawn_next_ > 0) {
      offer = withdrawn_[Below(std::min<std::size_t>(withdrawn_next_, withdrawn_.size()))];
    } else if (!offers_.empty() && Chance(70)) {  // mostly the longest-offered ticket, by one of its agents
      auto first = offers_.begin();
      auto end = offers_.lower_bound({first->first + 1, ""});
      offer = *std::next(first, static_cast<std::ptrdiff_t>(Below(std::distance(first, end))));
    } else if (!offers_.empty()) {
      offer = *std::next(offers_.begin(), static_cast<std::ptrdiff_t>(Below(offers_.size())));
    } else {
      return false;
    }
    Send({{"type", "agent.accept"}, {"agent", offer.second}, {"ticket", offer.first}});
    return true;
  }

  const std::string style_;
  const std::uint64_t seed_;
  const bool check_;
  const Compare compare_;
  const std::vector<std::string>* reference_;
  DeskFixture f_;
  std::mt19937_64 rng_;
  const Timestamp start_ = *switchboard::ParseRfc3339("2026-11-23T08:00:00Z");
  Timestamp now_;
  int started_ = 0;
  bool stopped_ = false;
  std::string last_line_;
  const std::vector<json>* last_events_ = nullptr;  // while they are being checked
  std::string last_type_;
  Stats stats_;
  std::vector<std::string> stream_;
  std::size_t compared_ = 0;
  std::set<std::pair<std::uint64_t, std::string>> offers_;
  std::array<std::pair<std::uint64_t, std::string>, 64> withdrawn_;
  std::size_t withdrawn_next_ = 0;
  // The model.
  std::unordered_map<std::string, int> index_;
  std::map<std::string, std::vector<int>> members_;  // group -> agents, in configuration order
  std::vector<ModelTicket> tickets_;
  std::unordered_map<std::string, ModelAgent> agents_;
  std::map<std::string, std::string> round_robin_;
  std::map<std::pair<std::string, std::string>, std::set<QueueOrder>> queues_;  // (group, channel)
  std::unordered_map<std::string, std::string> room_;
  std::vector<std::uint64_t> touched_;  // tickets named by the events of this command
};

// Runs the simulation with every check, then twice more without them: the same seed must give the
// same event stream, event for event, and another seed another stream.
void SimulateAndReplay(const std::string& style, int contacts, std::uint64_t default_seed) {
  const std::uint64_t seed = Seed(default_seed);
  Simulation checked(style, seed, /*check=*/true);
  checked.Drive(contacts);
  BOOST_TEST_MESSAGE(checked.Summary());
  // The run went where the invariants matter: tickets waited and were routed, conversations went
  // inactive and came back, agents left with work, sessions ended, tickets moved, commands were refused.
  const Stats& stats = checked.stats();
  BOOST_TEST(stats.queued > 0u);
  BOOST_TEST(stats.max_queued > 0u);
  BOOST_TEST(stats.inactive > 0u);
  BOOST_TEST(stats.reactivated > 0u);
  BOOST_TEST(stats.requeued_b16 > 0u);
  BOOST_TEST(stats.sessions_ended > 0u);
  BOOST_TEST(stats.transfers > 0u);
  BOOST_TEST(stats.rejected > 0u);
  if (style == "broadcast") {
    BOOST_TEST(stats.offered > 0u);
    BOOST_TEST(stats.accepted > 0u);
  } else {
    BOOST_TEST(stats.routed > 0u);
  }

  Simulation again(style, seed, /*check=*/false, Compare::kSame, &checked.stream());
  again.Drive(contacts);
  BOOST_TEST(again.compared() == checked.stream().size());

  Simulation other(style, seed + 1, /*check=*/false, Compare::kDiffer, &checked.stream());
  other.Drive(contacts);
  BOOST_TEST(other.diverged());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(routing_simulation)

BOOST_AUTO_TEST_CASE(B13_B14_B15_B16_omnichannel_2000_contacts_keep_loads_queues_and_decisions_right) {
  SimulateAndReplay("omnichannel", 2000, 20261123);
}

BOOST_AUTO_TEST_CASE(B13_B14_B15_B16_assignment_round_robin_keeps_loads_queues_and_decisions_right) {
  SimulateAndReplay("assignment", 400, 4242);
}

BOOST_AUTO_TEST_CASE(B13_B14_B15_B16_broadcast_offers_and_accepts_keep_loads_queues_and_decisions_right) {
  SimulateAndReplay("broadcast", 250, 777);
}

BOOST_AUTO_TEST_SUITE_END()
