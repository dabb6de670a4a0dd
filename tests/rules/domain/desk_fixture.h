// DeskFixture: the pure domain (DeskState + Desk) driven by PROTOCOL.md command lines with explicit
// times. No threads, no disk: what the engine would decide, checked event by event.
#pragma once

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "events/command.h"
#include "events/event_json.h"
#include "projections/read_model.h"
#include "projections/records.h"
#include "rules/domain/desk.h"
#include "tests/support/events.h"
#include "tests/support/vocabulary_io.h"

namespace switchboard::testing {

inline const char* kTwoGroupConfig = R"({
  "settings": {"inactivity_minutes": 10},
  "groups": [{"id": "support"}, {"id": "sales"}, {"id": "supervisors"}],
  "agents": [
    {"id": "alice", "groups": ["support"], "capacity": {"messaging": 2, "email": 5}},
    {"id": "bob", "groups": ["support"]},
    {"id": "carol", "groups": ["sales"]},
    {"id": "sam", "groups": ["supervisors"], "role": "supervisor"}],
  "routing": {"style": "omnichannel", "fallback": "support"}})";

// The agent.status command that brings `agent` online (give it to DeskFixture::Line with a time).
inline nlohmann::json Online(const std::string& agent) {
  return {{"type", "agent.status"}, {"agent", agent}, {"status", "online"}};
}

class DeskFixture {
 public:
  explicit DeskFixture(const std::string& config = kTwoGroupConfig) : desk_(&state_) {
    std::vector<Event> events;
    auto r = desk_.ApplyConfiguration(config, 0, &events);
    BOOST_REQUIRE(!r);
    for (const Event& e : events) read_.Apply(e, state_);
  }

  // Applies one command line; returns its events as parsed JSON.
  Events Run(const std::string& line) { return Run(ParseCommand(line)); }
  // A command made by hand (for example the engine's own lookup.result).
  Events Run(const Command& command) {
    std::vector<Event> events;
    desk_.Handle(command, 0, &events);
    Events out;
    for (const Event& e : events) {
      read_.Apply(e, state_);
      out.push_back(nlohmann::json::parse(EventToJson(e)));
      log_.push_back(e);
    }
    if (keep_records_) {  // as the desk writes them: the records each change dirtied
      for (const Record& r : DirtyRecords(state_, read_)) {
        if (r.erase) {
          records_.erase(r.key);
        } else {
          records_[r.key] = r.json;
        }
      }
    }
    read_.ClearDirty();
    return out;
  }

  // From now on, keeps the records as the engine writes them: every record now, then after each
  // command the ones it dirtied (records(): what a store would hold, to compare with AllRecords).
  void KeepRecords() {
    keep_records_ = true;
    records_.clear();
    for (const Record& r : AllRecords(state_, read_)) records_[r.key] = r.json;
  }
  const std::map<std::string, std::string>& records() const { return records_; }
  // Every event since the configuration, in log order.
  const std::vector<Event>& log() const { return log_; }

  // Shorthands for the commands most tests need, at "2026-11-23T" + time + "Z".
  Events ContactSays(const std::string& contact, const std::string& time, const std::string& text = "hello",
                     const std::string& channel = "messaging") {
    return Run(Line({{"type", "contact.message"}, {"contact", contact}, {"channel", channel}, {"text", text}}, time));
  }
  Events Update(std::uint64_t ticket, const std::string& time, nlohmann::json fields) {
    fields["type"] = "ticket.update";
    fields["ticket"] = ticket;
    return Run(Line(fields, time));
  }
  // A public reply says nothing of `public` (the default applies); an internal note says false.
  Events AgentSays(const std::string& agent, std::uint64_t ticket, const std::string& time, bool is_public = true) {
    nlohmann::json line = {{"type", "agent.message"}, {"agent", agent}, {"ticket", ticket}, {"text", "reply"}};
    if (!is_public) line["public"] = false;
    return Run(Line(line, time));
  }
  // Lets time pass; what fired, without the clock.advanced that records the new clock when nothing else did.
  Events Advance(const std::string& time) {
    Events events = Run(Line({{"type", "clock.advance"}}, time));
    if (!events.empty() && events.back()["type"] == "clock.advanced") {
      BOOST_TEST(events.back()["at"] == (time.find('T') == std::string::npos ? "2026-11-23T" + time : time) + "Z");
      events.pop_back();
    }
    return events;
  }

  std::string Line(nlohmann::json command, const std::string& time) {
    command["id"] = "cmd" + std::to_string(++ids_);
    // "09:00:00" is that time on 2026-11-23 (a Monday); a full "2026-11-27T09:00:00" is taken as is.
    command["at"] = (time.find('T') == std::string::npos ? "2026-11-23T" + time : time) + "Z";
    return command.dump();
  }

  const DeskState& state() const { return state_; }
  const ReadModel& read() const { return read_; }  // what only the records need (first replies, views)
  const Ticket& ticket(std::uint64_t n) const { return *state_.FindTicket(n); }
  const AgentState& agent(const std::string& id) const { return *state_.FindAgent(id); }
  // What routing keeps of a ticket (its queue, offers, requirements) and of an agent (held capacity).
  const RoutedTicket& routed(std::uint64_t n) const {
    static const RoutedTicket kNone;
    const RoutedTicket* r = state_.FindRouted(n);
    return r ? *r : kNone;
  }
  const AgentLedger& ledger(const std::string& id) const {
    static const AgentLedger kNone;
    const AgentLedger* l = state_.FindLedger(id);
    return l ? *l : kNone;
  }

 private:
  DeskState state_;
  ReadModel read_;
  Desk desk_;
  int ids_ = 0;
  std::vector<Event> log_;
  bool keep_records_ = false;
  std::map<std::string, std::string> records_;
};

}  // namespace switchboard::testing
