#include "tools/day/workload.h"

#include <nlohmann/json.hpp>

#include <array>
#include <random>
#include <vector>

#include "events/time.h"

namespace switchboard {
namespace {

using nlohmann::json;

struct OpenTicket {
  std::uint64_t number;
  std::string contact;
  std::string channel;
  std::string assignee;
  bool session_live;
  bool solved;
  int agent = -1;      // the assignee's index
  bool holds = false;  // counted against the assignee's capacity, as the generator sees it
};

class Generator {
 public:
  Generator(const WorkloadOptions& o, const std::function<void(const std::string&)>& line)
      : o_(o), line_(line), rng_(o.seed), clock_(*ParseRfc3339(o.start)) {
    online_.assign(o.agents, false);
    busy_.assign(o.agents, {0, 0});
  }

  void Run() {
    for (int a = 0; a < o_.agents; a += 2) AgentStatus(a, "online");  // half the floor starts at once
    while (written_ < o_.commands) Step();
  }

 private:
  std::string Agent(int i) const { return "agent" + std::to_string(i); }
  double Uniform() { return std::uniform_real_distribution<double>(0, 1)(rng_); }
  std::size_t Pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

  void Emit(json command) {
    if (written_ >= o_.commands) return;
    clock_ += static_cast<Timestamp>(Pick(3000));
    command["id"] = "w" + std::to_string(written_);
    command["at"] = FormatRfc3339(clock_);
    ++written_;
    line_(command.dump());
  }

  void AgentStatus(int agent, const char* status) {
    online_[agent] = std::string(status) == "online";
    Emit({{"type", "agent.status"}, {"agent", Agent(agent)}, {"status", status}});
  }

  int OnlineAgent() {
    for (int tries = 0; tries < 8; ++tries) {
      int a = static_cast<int>(Pick(o_.agents));
      if (online_[a]) return a;
    }
    return -1;
  }

  // An online agent with room for one more ticket of this channel (3 chats, 10 emails), as a person
  // picking work would check; -1 when the few tried are all busy.
  int AgentWithRoom(const std::string& channel) {
    for (int tries = 0; tries < 8; ++tries) {
      int a = static_cast<int>(Pick(o_.agents));
      if (online_[a] && busy_[a][channel == "email"] < (channel == "email" ? 10 : 3)) return a;
    }
    return -1;
  }

  void Hold(OpenTicket& t, bool holds) {
    if (t.agent < 0 || t.holds == holds) return;
    busy_[t.agent][t.channel == "email"] += holds ? 1 : -1;
    t.holds = holds;
  }

  void NewContact() {
    std::string contact = "contact" + std::to_string(contacts_++);
    std::string channel = Uniform() < 0.85 ? "messaging" : "email";
    json profile = {{"name", "Contact " + std::to_string(contacts_)}, {"language", Uniform() < 0.5 ? "fr" : "en"}};
    Emit({{"type", "contact.message"},
          {"contact", contact},
          {"channel", channel},
          {"text", "Bonjour, ma livraison est en retard"},
          {"profile", profile}});
    open_.push_back({++tickets_, contact, channel, "", channel == "messaging", false});
  }

  void Step() {
    if (Uniform() < o_.malformed) {
      ++written_;
      line_(Uniform() < 0.5 ? "{not json"
                            : R"({"id":"bad)" + std::to_string(written_) + R"(","type":"ticket.update"})");
      return;
    }
    double r = Uniform();
    if (open_.empty() || r < 0.22) return NewContact();
    OpenTicket& t = open_[Pick(open_.size())];
    if (r < 0.40) {
      if (t.channel == "messaging" && !t.session_live) return NewContact();
      t.solved = false;
      if (t.session_live || t.channel == "email") Hold(t, true);  // a reply reopens it
      Emit({{"type", "contact.message"}, {"contact", t.contact}, {"channel", t.channel}, {"text", "Any news?"}});
    } else if (r < 0.55) {
      int a = AgentWithRoom(t.channel);
      if (a < 0 || !t.assignee.empty()) return AgentStatus(static_cast<int>(Pick(o_.agents)), "online");
      t.assignee = Agent(a);
      t.agent = a;
      Hold(t, true);
      // A dispatcher (no acting agent) moves the ticket from triage to the agent's group and assigns it.
      Emit({{"type", "ticket.update"},
            {"ticket", t.number},
            {"group", "group" + std::to_string(a % o_.groups)},
            {"assignee", t.assignee}});
    } else if (r < 0.75) {
      if (t.assignee.empty()) return;
      Emit({{"type", "agent.message"},
            {"ticket", t.number},
            {"agent", t.assignee},
            {"text", "Je regarde cela."},
            {"public", Uniform() < 0.9}});
    } else if (r < 0.83) {
      if (t.assignee.empty()) return;
      t.solved = Uniform() < 0.6;
      Hold(t, false);
      Emit({{"type", "ticket.update"},
            {"ticket", t.number},
            {"agent", t.assignee},
            {"status", t.solved ? "solved" : "pending"}});
    } else if (r < 0.86) {
      if (t.assignee.empty() || !t.session_live) return;
      t.session_live = false;
      Hold(t, false);
      Emit({{"type", "session.end"}, {"ticket", t.number}, {"agent", t.assignee}});
    } else if (r < 0.89) {
      if (!t.solved) return;
      Hold(t, false);
      Emit({{"type", "ticket.update"}, {"ticket", t.number}, {"status", "closed"}});
      t = open_.back();
      open_.pop_back();
    } else if (r < 0.95) {
      int a = static_cast<int>(Pick(o_.agents));
      AgentStatus(a, online_[a] ? (Uniform() < 0.5 ? "away" : "offline") : "online");
    } else if (r < 0.96) {
      clock_ += static_cast<Timestamp>(5 + Pick(10)) * kMillisPerMinute;
      Emit({{"type", "clock.advance"}});
    }
  }

  const WorkloadOptions& o_;
  const std::function<void(const std::string&)>& line_;
  std::mt19937_64 rng_;
  Timestamp clock_;
  std::uint64_t written_ = 0;
  std::uint64_t contacts_ = 0;
  std::uint64_t tickets_ = 0;
  std::vector<bool> online_;
  std::vector<std::array<int, 2>> busy_;  // per agent: messaging, email tickets held
  std::vector<OpenTicket> open_;
};

}  // namespace

std::string WorkloadConfig(const WorkloadOptions& o) {
  json groups = json::array({{{"id", "triage"}}});
  for (int g = 0; g < o.groups; ++g) groups.push_back({{"id", "group" + std::to_string(g)}});
  json agents = json::array();
  for (int a = 0; a < o.agents; ++a) {
    agents.push_back({{"id", "agent" + std::to_string(a)},
                      {"groups", {"group" + std::to_string(a % o.groups)}},
                      {"languages", {"fr", "en"}},
                      {"capacity", {{"messaging", 3}, {"email", 10}}},
                      {"role", a == 0 ? "supervisor" : "agent"}});
  }
  // Tickets wait in "triage", a group without agents, until the generator (a dispatcher who cannot
  // see the engine's answers) assigns them; with reassign_on empty, routing never moves a ticket the
  // generator placed, so its picture of who holds what stays true.
  json config = {
      {"settings", {{"inactivity_minutes", 10}, {"close_solved_after_hours", 120}, {"reassign_on", json::array()}}},
      {"groups", groups},
      {"agents", agents},
      {"routing", {{"style", "omnichannel"}, {"fallback", "triage"}}}};
  if (o.default_rules) {
    // The design card's four triggers, the default automation and the end-of-chat macro (issue 5).
    config["triggers"] = json::parse(R"([
      {"id": "notify-on-solve", "kind": "ticket",
       "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"}]},
       "actions": [{"field": "notify", "value": {"to": "assignee", "text": "Ticket {{ticket.id}} is solved"}}]},
      {"id": "session-ended-csat-by-email", "kind": "ticket",
       "conditions": {"all": [{"field": "session_end_reason", "operator": "changed_to", "value": "ended_by_agent"}]},
       "actions": [{"field": "tags_add", "value": "session-ended"}, {"field": "csat", "value": "send"}]},
      {"id": "inactive-to-pending", "kind": "messaging",
       "conditions": {"all": [{"field": "session", "operator": "changed_to", "value": "inactive"},
                              {"field": "status", "operator": "is", "value": "open"}]},
       "actions": [{"field": "status", "value": "pending"}]},
      {"id": "csat-on-solve", "kind": "messaging",
       "conditions": {"all": [{"field": "status", "operator": "changed_to", "value": "solved"},
                              {"field": "solved_automatically", "operator": "is", "value": false}]},
       "actions": [{"field": "csat", "value": "send"}]}])");
    config["automations"] = json::parse(R"([
      {"id": "close-solved",
       "conditions": {"all": [{"field": "status", "operator": "is", "value": "solved"},
                              {"field": "hours_since_solved", "operator": "greater_than", "value": 96}]},
       "actions": [{"field": "status", "value": "closed"}]}])");
    config["macros"] = json::parse(R"([
      {"id": "end-notice", "text": "Thanks {{contact.name}}, I am closing this chat; write again any time."}])");
  }
  return config.dump();
}

void GenerateWorkload(const WorkloadOptions& options, const std::function<void(const std::string&)>& line) {
  Generator(options, line).Run();
}

}  // namespace switchboard
