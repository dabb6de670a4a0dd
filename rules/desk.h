// Desk: the domain's decisions, in plain C++: given the state and a command, which events happen.
//
// Handle(command) first fires every timer due at or before the command's time, each at its own due
// time, then decides the command. Each event is applied to the state the moment it is emitted, so a
// later decision in the same change sees the earlier ones; a command is validated completely before
// its first event, so a refused command changes nothing but adds its `command.rejected`.
// Deterministic: the same state and command give the same events. No threads, no disk; the engine
// actor owns one Desk. Not thread-safe.
#pragma once

#include <string>
#include <vector>

#include "events/command.h"
#include "events/event.h"
#include "projections/desk_state.h"
#include "rules/ticket_rules.h"

namespace switchboard {

class Desk {
 public:
  explicit Desk(DeskState* state) : state_(state) {}

  // Decides `command`; `wall_now` is the clock for a command without `at`. Appends the events, with
  // seq, at and cmd filled, to `out`.
  void Handle(const Command& command, Timestamp wall_now, std::vector<Event>* out);

  // Records `config_text` as the configuration in force when it differs from it (events with no
  // command); a refused document is returned as a rejection and changes nothing.
  std::optional<Rejection> ApplyConfiguration(const std::string& config_text, Timestamp at, std::vector<Event>* out);

 private:
  void Emit(Event event);
  void Reject(const Command& c, const Rejection& r);
  void FireTimers(Timestamp upto);
  void SettleLoads();

  std::optional<Rejection> Decide(const Command& c);
  std::optional<Rejection> ContactMessage(const Command& c);
  std::optional<Rejection> AgentStatus(const Command& c);
  std::optional<Rejection> AgentMessage(const Command& c);
  std::optional<Rejection> TicketUpdate(const Command& c);
  std::optional<Rejection> SessionEnd(const Command& c);
  std::optional<Rejection> ConfigApply(const std::string& text);

  void StartConversation(const Command& c);
  void ContinueConversation(const Command& c, const Conversation& conv);
  void UpdateProfile(const Command& c);
  void EmitContactMessage(const Command& c, std::uint64_t conversation, std::uint64_t ticket);
  void ChangeStatus(const Ticket& t, const std::string& to, const char* via);
  void Assign(const Ticket& t, const std::string& agent);

  DeskState* state_;
  std::vector<Event>* out_ = nullptr;
  Timestamp clock_ = 0;
  std::string cmd_;
};

}  // namespace switchboard
