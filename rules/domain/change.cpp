#include "rules/domain/change.h"

namespace switchboard {

Change::Change(DeskState* state, std::vector<Event>* out, Timestamp at, std::string cmd, const char* via,
               std::string actor)
    : state_(state), out_(out), at_(at), cmd_(std::move(cmd)), via_(via), actor_(std::move(actor)) {}

void Change::Emit(const About& about, Event e) {
  e.seq = state_->last_seq() + 1;
  e.at = at_;
  e.cmd = cmd_;
  e.rule = rule_;
  e.conversation = about.conversation_id;
  e.ticket = about.ticket_id;
  e.contact = about.contact_id;
  e.agent = about.agent_id;
  if (!actor_.empty() && e.agent != actor_) e.by = actor_;
  if (e.ticket != 0 && e.payload.type != fb::Payload::CommandRejected && !touched_.count(e.ticket)) {
    const Ticket* t = state_->FindTicket(e.ticket);
    touched_.emplace(e.ticket, t ? std::optional<TicketSnapshot>(SnapshotOf(*state_, *t)) : std::nullopt);
  }
  // A decision only makes events its state can apply; a failure here is a defect, and it stays in
  // the state (DeskState::failure) for whoever folds next to report.
  (void)state_->Apply(e);
  out_->push_back(std::move(e));
}

}  // namespace switchboard
