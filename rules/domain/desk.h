// Desk: the sequencer of one desk's decisions, in plain C++: given the state and a command, which
// events happen, across the aggregates (rules/domain/decide.h holds the decisions of each).
//
// Handle(command) first fires every timer due at or before the command's time, each at its own due
// time and as a change of its own, then decides the command as one change: the aggregate the
// command is for decides (ending, for a conversation the bot has, with the bot's turn, which the
// conversation's BotSession takes: rules/domain/bot_session.h), then routing runs, the bot's
// hand-off messages are said, the triggers run
// on every ticket the change touched (and routing again for what they moved), and the agents' loads
// are settled. Each event is applied to the state the moment it is emitted (Change::Emit), so a
// later decision in the same change sees the earlier ones; a command is validated completely before
// its first event, so a refused command changes nothing but adds its `command.rejected`.
// Deterministic: the same state and command give the same events. No threads, no disk; the desk
// actor owns one Desk, and has each turn taken by the conversation's own actor: Begin decides up to
// the turn and returns it, Resume ends the change with the turn's reply. Not thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "events/command.h"
#include "events/event.h"
#include "rules/domain/bot_session.h"
#include "rules/domain/change.h"
#include "rules/domain/desk_state.h"
#include "rules/domain/ticket_rules.h"

namespace switchboard {

// When each group with business hours next opens (B14: its queue may drain then): derived from the
// configuration and the clock only, so a restarted Desk computes the same instants (not state, a
// cache). A group whose last opening moved nothing is dormant: later openings cannot move anything
// either until something changes in the group, so they are not timers until then; without this,
// letting time jump years ahead walked every day's opening. A fruitless opening emits nothing, so a
// restarted Desk that fires one more gives the same events.
class GroupOpenings {
 public:
  // The earliest opening of a group with hours and a non-empty queue, after the state's clock.
  std::optional<std::pair<Timestamp, std::string>> Next(const DeskState& state);
  // The opening of `group` at `due` fired; `moved`: its drain emitted something.
  void Fired(const DeskState& state, const std::string& group, Timestamp due, bool moved);
  // Something changed in the group (an agent, a capacity, a queue entry): its openings count again.
  void Wake(const std::string& group) { dormant_.erase(group); }

 private:
  std::map<std::string, Timestamp> next_;
  std::set<std::string> dormant_;
  std::uint32_t config_version_ = 0;
};

class Desk {
 public:
  // `state` is settled: every change in its log was routed when it was decided, so the routing notes
  // its fold took while replaying are history, and are dropped.
  explicit Desk(DeskState* state);

  // Decides `command`; `wall_now` is the clock for a command without `at`. Appends the events, with
  // seq, at and cmd filled, to `out`. The bot's turns are taken by sessions this Desk keeps itself,
  // from the conversation's start until the bot is done with it (so a Desk deciding turns this way
  // starts from an empty log, as the tests and the day simulator do; the engine's desk actor uses
  // Begin and Resume and conversation actors restored from their streams).
  void Handle(const Command& command, Timestamp wall_now, std::vector<Event>* out);

  // Decides `command` (timers first) to its end, or to the bot's turn that ends its decision: then
  // the turn is returned, with the conversation's events decided so far, and the change stays open
  // until Resume.
  std::optional<BotTurnRequest> Begin(const Command& command, Timestamp wall_now, std::vector<Event>* out);
  // Ends the open change with the turn's reply: its events, the hand-off it asks for, the rest of the
  // change. Corruption when the reply does not follow the log (a session that heard something else).
  Status Resume(BotTurnReply reply);
  // Once the command is decided: the positions in `out` of its events that a conversation still in
  // its bot phase has to hear (all of that conversation's, except those its turn saw or made).
  const std::vector<std::size_t>& bot_news() const { return news_; }
  // The sessions Handle keeps (the day simulator reads the step a contact is asked).
  const BotSession* FindSession(std::uint64_t conversation) const;

  // Records `config_text` as the configuration in force when it differs from it (events with no
  // command); a refused document is returned as a rejection and changes nothing.
  std::optional<Rejection> ApplyConfiguration(const std::string& config_text, Timestamp at, std::vector<Event>* out);

 private:
  void FireTimers(Timestamp upto, std::vector<Event>* out);
  // The end of every change: routing, the hand-off messages, the triggers (then routing again for
  // what they moved), the loads.
  void EndChange(Change& change);
  std::optional<Rejection> Decide(Change& change, const Command& command);
  BotTurnRequest TurnFor(const Change::BotAsk& ask, const std::vector<Event>& out);
  void Close();

  DeskState* state_;
  GroupOpenings openings_;
  std::uint32_t sla_config_version_;  // the configuration the open tickets' SLA clocks were last fitted to
  // The command being decided between Begin and Resume.
  std::optional<Change> open_;
  Timestamp open_now_ = 0;
  std::size_t first_ = 0;                // where its events (timers included) begin in `out`
  std::uint64_t turn_conversation_ = 0;  // the conversation whose turn it took, if any
  std::size_t turn_end_ = 0;             // where that turn's events end in `out`
  std::vector<std::size_t> news_;
  std::unordered_map<std::uint64_t, BotSession> sessions_;  // Handle's own
};

}  // namespace switchboard
