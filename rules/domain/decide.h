// The decisions of each aggregate, as pure functions of a Change (rules/domain/change.h): what the
// command or the timer makes happen, emitted through the change, or a Rejection (a business "no",
// which becomes a command.rejected and changes nothing else). The Desk (rules/domain/desk.h) calls
// them in order. Each group lives in its own file, named after its aggregate.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "events/command.h"
#include "rules/domain/change.h"
#include "rules/domain/ticket_rules.h"
#include "rules/rule_set.h"

namespace switchboard {

class GroupOpenings;

// The ticket a command names, when it is not closed and the agent may act on it: the preamble of
// every command on a ticket (B20, B23). What is checked of the agent, and in which order (the first
// fault is the one refused):
enum class AgentCheck {
  kNone,                  // the ticket exists and is not closed (the system acts)
  kMayAct,                // and the agent may act on it (CheckMayAct: known, assigned or in its group)
  kKnownFirst,            // the agent is known (checked before closed), nothing more
  kKnownFirstThenMayAct,  // the agent is known (before closed), then may act
};
struct ActionableTicket {
  const Ticket* ticket = nullptr;
  std::optional<Rejection> refused;
};
ActionableTicket TicketToActOn(const DeskState& state, std::uint64_t ticket, const std::string& agent,
                               AgentCheck check);

// --- contacts and conversations (conversation_decide.cpp) -----------------------------------------
// contact.message (B1-B7, B15, B22, B31, B35): the profile, then the conversation it goes to.
std::optional<Rejection> DecideContactMessage(Change& change, const Command& c);
// lookup.result: the answer of an HTTP lookup the bot asked (B5).
std::optional<Rejection> DecideLookupResult(Change& change, const Command& c);
// B15, B21: the contact stopped answering.
void FireInactivity(Change& change, std::uint64_t conversation);

// --- visitors (proactive.cpp) ---------------------------------------------------------------------
// visitor.activity (B70): the page view, then the proactive rules.
std::optional<Rejection> DecideVisitorActivity(Change& change, const Command& c);

// --- tickets (ticket_decide.cpp) --------------------------------------------------------------------
std::optional<Rejection> DecideAgentMessage(Change& change, const Command& c);
std::optional<Rejection> DecideTicketUpdate(Change& change, const Command& c);
std::optional<Rejection> DecideSessionEnd(Change& change, const Command& c);
std::optional<Rejection> DecideCsatRate(Change& change, const Command& c);
std::optional<Rejection> DecideMacroApply(Change& change, const Command& c);
// An agent's public reply (agent.message, a macro's text); `public_given`: the command said so
// explicitly. Seed 004: a reply the contact cannot receive (session ended, no email) becomes an
// internal note by default, saying why; one marked public is refused.
std::optional<Rejection> AgentReply(Change& change, const Ticket& t, const std::string& agent, const std::string& text,
                                    bool is_public, bool public_given);
// The one ticket.updated for whatever of group, priority and tags differs from the ticket now
// (nothing when none does); `agent` names who acts, or is empty for rules and the bot.
void UpdateTicket(Change& change, std::uint64_t ticket, const std::string& group, Priority priority,
                  std::vector<std::string> tags, const std::string& agent);
void ChangeStatus(Change& change, const Ticket& t, TicketStatus to, const char* via);
// Unassigns the ticket's agent, if any, then assigns `agent` (empty: leaves it unassigned).
void Assign(Change& change, const Ticket& t, const std::string& agent);

// --- agents (agent_decide.cpp) ------------------------------------------------------------------------
std::optional<Rejection> DecideAgentStatus(Change& change, const Command& c);
std::optional<Rejection> DecideAgentUpdate(Change& change, const Command& c);

// --- routing (routing_decide.cpp) ----------------------------------------------------------------------
// B7, B10, B11: the ticket of a conversation handed off, placed in `group` (the bot step's) or by the
// routing rules, and the hand-off message, said once routed.
void Handoff(Change& change, std::uint64_t conversation, const std::string& group, std::optional<Priority> priority,
             const std::string& step);
// Routes what the fold noted as waiting (new queue entries, groups with room) until nothing moves.
void RoutePending(Change& change, GroupOpenings& openings);
// Takes the group's queued tickets in queue order while a member could take one (B14).
void DrainGroup(Change& change, const std::string& group);
// B16: an agent no longer online loses its offers, and, per reassign_on, its live messaging tickets.
void ReleaseAbsentAgent(Change& change, const std::string& agent);
// B12 broadcast: nobody accepted in time.
void FireOfferTimeout(Change& change, std::uint64_t ticket);
std::optional<Rejection> DecideAgentAccept(Change& change, const Command& c);
std::optional<Rejection> DecideTicketTransfer(Change& change, const Command& c);
// B15: each agent whose held count moved gets its recorded load brought in line (agent.load_changed).
void SettleLoads(Change& change);

// --- rules (triggers.cpp) ---------------------------------------------------------------------------------
// B40-B42: the triggers of one ticket, once per change.
void RunTriggers(Change& change, std::uint64_t ticket);
// B43: the automations of one ticket whose time came; then settings.close_solved_after_hours (B23).
void FireAutomations(Change& change, std::uint64_t ticket);
// Actions are data; each becomes the events a person doing the same would cause.
void ApplyActions(Change& change, const std::vector<Action>& actions, std::uint64_t ticket, const char* via,
                  const std::string& author, const std::string& agent);

}  // namespace switchboard
