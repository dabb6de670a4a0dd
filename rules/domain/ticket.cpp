#include "rules/domain/ticket.h"

#include <nlohmann/json.hpp>

#include "events/value.h"

namespace switchboard {
namespace {

Status Unknown(const Event& e, const char* what) {
  return Status::Corruption("event " + std::to_string(e.seq) + " names an unknown " + what);
}

}  // namespace

Status Ticket::Apply(const Event& e) {
  if (e.payload.type != fb::Payload::CommandRejected) updated_at = e.at;
  switch (e.payload.type) {
    case fb::Payload::TicketCreated: {
      std::optional<Channel> parsed = ParseChannel(e.payload.AsTicketCreated()->channel);
      if (!parsed) return Unknown(e, "channel");
      id = e.ticket;
      conversation = e.conversation;
      contact = e.contact;
      channel = handled_as = *parsed;
      created_at = status_changed_at = e.at;
      break;
    }
    case fb::Payload::TicketRouted:
      group = e.payload.AsTicketRouted()->group;
      break;
    case fb::Payload::TicketTransferred: {
      const auto* p = e.payload.AsTicketTransferred();
      if (!p->to_group.empty()) group = p->to_group;
      break;
    }
    case fb::Payload::TicketStatusChanged: {
      const auto* p = e.payload.AsTicketStatusChanged();
      std::optional<TicketStatus> to = ParseTicketStatus(p->to);
      if (!to) return Unknown(e, "status");
      status = *to;
      status_changed_at = e.at;
      if (status == TicketStatus::kSolved) {
        solved_at = e.at;
        solved_by = assignee;
        solved_automatically = p->via == "trigger" || p->via == "automation";
      }
      break;
    }
    case fb::Payload::TicketUpdated:
      for (const auto& change : e.payload.AsTicketUpdated()->changes) {
        const nlohmann::json after = AfterOf(*change);  // typed, or an old event's text
        if (change->field == "group" && after.is_string()) group = after.get<std::string>();
        if (change->field == "priority" && after.is_string()) {
          std::optional<Priority> p = ParsePriority(after.get<std::string>());
          if (!p) return Unknown(e, "priority");
          priority = *p;
        }
        if (change->field == "tags" && after.is_array()) tags = after.get<std::vector<std::string>>();
      }
      break;
    case fb::Payload::TicketAssigned:
      assignee = e.agent;
      assigned_at = e.at;
      break;
    case fb::Payload::TicketUnassigned:
      assignee.clear();
      break;
    case fb::Payload::CsatRated:
      csat = e.payload.AsCsatRated()->score;
      break;
    case fb::Payload::CsatOffered:
      csat_offered = true;
      break;
    case fb::Payload::AutomationFired:
      automations_holding.insert(e.rule);
      break;
    case fb::Payload::SessionEnded:
      handled_as = Channel::kEmail;  // B31, B35: it goes on by email
      session_end_reason = e.payload.AsSessionEnded()->reason;
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->public_ && m->author.rfind("agent:", 0) == 0) last_agent_message_at = e.at;
      break;
    }
    default:
      break;
  }
  return Status::OK();
}

}  // namespace switchboard
