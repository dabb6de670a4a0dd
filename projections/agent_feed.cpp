#include "projections/agent_feed.h"

#include "events/json_writer.h"

namespace switchboard {

void AgentFeeds::Apply(const Event& e, const DeskState& state) {
  const Configuration& config = state.config();
  switch (e.payload.type) {
    case fb::Payload::NotificationSent: {
      const auto* n = e.payload.AsNotificationSent();
      const std::string& to = n->to;
      if (to.rfind("agent:", 0) == 0) {
        Add(to.substr(6), e, "notification", n->text);
      } else if (to.rfind("group:", 0) == 0) {
        for (std::size_t index : config.Members(to.substr(6))) {
          Add(config.agents[index].id, e, "notification", n->text);
        }
      } else if (to == "supervisors") {
        for (const AgentConfig& a : config.agents) {
          if (a.supervisor) Add(a.id, e, "notification", n->text);
        }
      }
      break;
    }
    case fb::Payload::TicketOffered:
      Add(e.agent, e, "offer", "");
      break;
    case fb::Payload::TicketOfferWithdrawn:
      Add(e.agent, e, "offer_withdrawn", "");
      break;
    case fb::Payload::TicketAssigned:
      assignees_[e.ticket] = e.agent;
      Add(e.agent, e, "assigned", "");
      break;
    case fb::Payload::TicketUnassigned:
      assignees_.erase(e.ticket);
      Add(e.agent, e, "unassigned", "");
      break;
    case fb::Payload::TicketStatusChanged:
      if (e.payload.AsTicketStatusChanged()->to == Name(TicketStatus::kClosed)) assignees_.erase(e.ticket);
      break;
    case fb::Payload::MessageAdded: {
      const auto* m = e.payload.AsMessageAdded();
      if (m->author != "contact" || e.ticket == 0) break;
      auto assignee = assignees_.find(e.ticket);
      if (assignee != assignees_.end()) Add(assignee->second, e, "contact_message", m->text);
      break;
    }
    case fb::Payload::AgentStatusChanged: {
      const bool online = e.payload.AsAgentStatusChanged()->to == Name(Presence::kOnline);
      if (online) {
        online_.insert(e.agent);
        Deliver(e.agent, e.at);
      } else {
        online_.erase(e.agent);
      }
      notices_.push_back({e.agent, e.seq, e.at, FeedItem{}, e.payload.AsAgentStatusChanged()->to});
      break;
    }
    default:
      break;
  }
}

const std::deque<FeedItem>* AgentFeeds::Find(const std::string& agent) const {
  auto it = feeds_.find(agent);
  return it == feeds_.end() ? nullptr : &it->second;
}

void AgentFeeds::Add(const std::string& agent, const Event& e, const char* kind, std::string text) {
  if (agent.empty()) return;
  std::deque<FeedItem>& items = feeds_[agent];
  if (!items.empty() && items.back().seq == e.seq) return;  // a group and supervisors naming one agent twice
  const bool online = online_.count(agent) != 0;
  FeedItem item{e.seq, e.at, kind, e.ticket, std::move(text), online ? e.at : 0};
  if (!online) ++waiting_[agent];
  notices_.push_back({agent, e.seq, e.at, item, ""});
  items.push_back(std::move(item));
  dirty_.insert({agent, e.seq});
  Trim(agent, items);
}

// The agent is back online: everything that waited for it is delivered now.
void AgentFeeds::Deliver(const std::string& agent, Timestamp at) {
  auto waiting = waiting_.find(agent);
  if (waiting == waiting_.end() || waiting->second == 0) return;
  std::deque<FeedItem>& items = feeds_[agent];
  for (FeedItem& item : items) {
    if (item.delivered_at != 0) continue;
    item.delivered_at = at;
    dirty_.insert({agent, item.seq});
  }
  waiting_.erase(waiting);
  Trim(agent, items);
}

// Drops the oldest delivered items beyond kKeepDelivered and the oldest waiting beyond kMaxWaiting.
void AgentFeeds::Trim(const std::string& agent, std::deque<FeedItem>& items) {
  std::size_t waiting = waiting_.count(agent) ? waiting_[agent] : 0;
  std::size_t delivered = items.size() - waiting;
  for (auto it = items.begin(); it != items.end() && (delivered > kKeepDelivered || waiting > kMaxWaiting);) {
    const bool is_waiting = it->delivered_at == 0;
    if ((is_waiting && waiting > kMaxWaiting) || (!is_waiting && delivered > kKeepDelivered)) {
      dirty_.insert({agent, it->seq});
      (is_waiting ? waiting : delivered) -= 1;
      it = items.erase(it);
    } else {
      ++it;
    }
  }
  if (waiting_.count(agent)) waiting_[agent] = waiting;
}

std::string FeedItemJson(const FeedItem& item) {
  std::string out;
  JsonWriter j(&out);
  j.Number("seq", static_cast<std::int64_t>(item.seq)).String("at", FormatRfc3339(item.at)).String("kind", item.kind);
  if (item.ticket != 0) {
    j.Number("ticket", static_cast<std::int64_t>(item.ticket));
  } else {
    j.Raw("ticket", "null");
  }
  j.StringOrNull("text", item.text)
      .StringOrNull("delivered_at", item.delivered_at ? FormatRfc3339(item.delivered_at) : "");
  j.Close();
  return out;
}

}  // namespace switchboard
