#include "rules/domain/agent.h"

namespace switchboard {

Status AgentState::Apply(const Event& e) {
  switch (e.payload.type) {
    case fb::Payload::AgentStatusChanged: {
      std::optional<Presence> to = ParsePresence(e.payload.AsAgentStatusChanged()->to);
      if (!to) return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown agent status");
      status = *to;
      break;
    }
    case fb::Payload::AgentLoadChanged: {
      const auto* p = e.payload.AsAgentLoadChanged();
      std::optional<Channel> channel = ParseChannel(p->channel);
      if (!channel) return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown channel");
      (*channel == Channel::kEmail ? load_email : load_messaging) = p->load;
      break;
    }
    case fb::Payload::TicketAssigned:
      tickets.insert(e.ticket);
      break;
    case fb::Payload::TicketUnassigned:
      tickets.erase(e.ticket);
      break;
    default:
      break;
  }
  return Status::OK();
}

}  // namespace switchboard
