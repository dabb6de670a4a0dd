// TicketFacts: a ticket as the condition engine reads it (triggers, automations, views), at one change.
//
// `before` is the ticket as it was when the change began (nullptr when the change created it), so
// `changed`, `changed_to` and `changed_from` compare it with the ticket now. Unchanged() reads a
// ticket outside any change (automations as time passes): nothing changed, no snapshot needed. Reads DeskState; lives
// as long as one evaluation. Not thread-safe (DeskState is not).
#pragma once

#include <array>
#include <optional>
#include <string>

#include "rules/condition.h"
#include "rules/domain/desk_state.h"

namespace switchboard {

// What a condition may ask about a ticket that can change within one change.
struct TicketSnapshot {
  Ticket ticket;
  Session session = Session::kActive;
};

TicketSnapshot SnapshotOf(const DeskState& state, const Ticket& t);

class TicketFacts : public Facts {
 public:
  // `update_via`: who made this change (agent, contact, trigger, automation, system).
  TicketFacts(const DeskState& state, const Ticket& ticket, const TicketSnapshot* before, std::string update_via,
              Timestamp now);
  static TicketFacts Unchanged(const DeskState& state, const Ticket& ticket, std::string update_via, Timestamp now);

  Value Current(const FieldRef& field) const override;
  // The ticket's own fields (status .. returning) are read once per TicketFacts and kept: the facts
  // describe one moment, so a TicketFacts must not outlive a change to its ticket (the Desk builds
  // one per round of triggers, per automation, per view refresh).
  const Value* Peek(const FieldRef& field) const override;
  // The ticket's vocabulary fields as words, its group, assignee and session end reason as text, its tags
  // as a list: straight from the ticket, no copy.
  FieldView View(const FieldRef& field) const override;
  std::optional<Value> Previous(const FieldRef& field) const override;
  std::optional<Timestamp> TimeOf(TimeBase base) const override;
  Timestamp Now() const override { return now_; }

 private:
  Session SessionNow() const;
  static constexpr int kKeptFields = static_cast<int>(FieldId::kWeekday);  // the fields before it
  Value Read(const FieldRef& field, const Ticket& t, Session session) const;

  const DeskState& state_;
  const Ticket& ticket_;
  const TicketSnapshot* before_;
  bool unchanged_ = false;  // Previous is always nullopt and `ticket` reads "updated"
  std::string update_via_;
  Timestamp now_;
  mutable std::array<std::optional<Value>, kKeptFields> kept_;
};

// A conversation in its bot phase, which may have no ticket yet: what a bot `branch` reads (B4).
// Channel, language, returning, contact.*, var.*, weekday and time of day; nothing changes within it.
class ConversationFacts : public Facts {
 public:
  // `contact`: the conversation's contact, nullptr when it has no record yet.
  ConversationFacts(const Configuration& config, const Conversation& conversation, const Contact* contact,
                    Timestamp now);
  ConversationFacts(const DeskState& state, const Conversation& conversation, Timestamp now)
      : ConversationFacts(state.config(), conversation, state.FindContact(conversation.contact), now) {}
  Value Current(const FieldRef& field) const override;
  std::optional<Value> Previous(const FieldRef&) const override { return std::nullopt; }
  std::optional<Timestamp> TimeOf(TimeBase) const override { return std::nullopt; }
  Timestamp Now() const override { return now_; }

 private:
  const Configuration& config_;
  const Conversation& conversation_;
  const Contact* contact_;
  Timestamp now_;
};

// A contact browsing the site, before any conversation: what a proactive rule reads (B70). The page,
// its time (time_on_page_s counts from the page view), new or returning, language, contact.*, the
// groups' hours and whether a member has room for a chat, weekday and time of day.
class VisitorFacts : public Facts {
 public:
  VisitorFacts(const DeskState& state, const Contact& contact, Timestamp now)
      : state_(state), contact_(contact), now_(now) {}
  Value Current(const FieldRef& field) const override;
  std::optional<Value> Previous(const FieldRef&) const override { return std::nullopt; }
  std::optional<Timestamp> TimeOf(TimeBase base) const override;
  Timestamp Now() const override { return now_; }

 private:
  const DeskState& state_;
  const Contact& contact_;
  Timestamp now_;
};

}  // namespace switchboard
