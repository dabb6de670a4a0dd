#include "actors/recovery.h"

#include <map>

#include "events/codec.h"
#include "projections/records.h"
#include "rules/ticket_rules.h"

namespace switchboard {

Status FoldLog(EventStore& store, DeskState* state, const ReplayProgress& progress, Timestamp until,
               std::string* transitions) {
  std::uint64_t total = 0;
  Status s = store.LastSeq(&total);
  if (!s.ok()) return s;
  std::uint64_t expected = 1;
  Status fold;
  Event event;
  s = store.ScanLog(1, [&](std::uint64_t seq, std::string_view bytes) {
    if (seq != expected) {
      fold = Status::Corruption("the log has a gap: event " + std::to_string(expected) + " is missing before " +
                                std::to_string(seq));
      return false;
    }
    fold = DecodeEvent(bytes, &event);
    if (!fold.ok() || event.seq != seq) {
      fold = Status::Corruption("event " + std::to_string(seq) + " in the log is not a valid event");
      return false;
    }
    if (until != 0 && event.at > until) return false;  // the log is in time order: the rest is later
    if (transitions != nullptr && event.payload.type == fb::Payload::TicketStatusChanged) {
      const Ticket* t = state->FindTicket(event.ticket);
      const std::string& to = event.payload.AsTicketStatusChanged()->to;
      if (t == nullptr || t->status != event.payload.AsTicketStatusChanged()->from) {
        *transitions += "invariant: event " + std::to_string(seq) + " moves ticket " + std::to_string(event.ticket) +
                        " from a status it does not have\n";
      } else if (auto refused = CheckStatusTransition(*t, to)) {
        *transitions += "invariant: event " + std::to_string(seq) + ": " + refused->error + "\n";
      }
    }
    state->Apply(event);
    if (progress && (seq % 65536 == 0 || seq == total)) progress(seq, total);
    ++expected;
    return true;
  });
  state->ClearDirty();
  return s.ok() ? fold : s;
}

void CheckInvariants(const DeskState& state, std::string* report) {
  std::map<std::pair<std::string, std::string>, int> held;
  for (std::uint64_t id = 1; id <= state.ticket_count(); ++id) {
    const Ticket& t = *state.FindTicket(id);
    const std::string name = "invariant: ticket " + std::to_string(id);
    if (t.group.empty()) *report += name + " has no group\n";
    if (auto h = state.HoldingOf(t)) ++held[{h->agent, h->channel}];
    if (t.queued && !t.assignee.empty()) *report += name + " is both queued and assigned to " + t.assignee + "\n";
    if (t.queued.has_value() != state.Queueable(t)) {
      *report += name + (t.queued ? " waits in a queue but should not\n" : " should wait in a queue but does not\n");
    }
    if (!t.offers.empty() && !t.assignee.empty()) *report += name + " is both offered and assigned\n";
  }
  for (const auto& [id, agent] : state.agents()) {
    for (const char* channel : {"messaging", "email"}) {
      int load = std::string(channel) == "email" ? agent.load_email : agent.load_messaging;
      int count = held[{id, channel}];
      if (load != count || load < 0) {
        *report += "invariant: agent " + id + " has " + channel + " load " + std::to_string(load) + " but " +
                   std::to_string(count) + " tickets hold that capacity\n";
      }
    }
  }
}

Status DiffRecords(EventStore& store, const DeskState& rebuilt, std::string* report) {
  std::map<std::string, std::string> expected;
  for (Record& r : AllRecords(rebuilt)) expected.emplace(std::move(r.key), std::move(r.json));
  auto name = [](const std::string& key) {
    if (key[0] == 't' && key.size() == 9) return "ticket " + std::to_string(TicketOfAgentTicketKey(key));
    if (key[0] == 'A') {
      return "agent " + key.substr(1, key.find('\0') - 1) + " holds ticket " +
             std::to_string(TicketOfAgentTicketKey(key));
    }
    return std::string(key[0] == 'a' ? "agent " : "contact ") + key.substr(1);
  };
  Status s = store.ScanRecords("", [&](const Record& r) {
    auto it = expected.find(r.key);
    if (it == expected.end()) {
      *report += name(r.key) + ": stored but not in the log\n  stored:  " + r.json + "\n";
    } else {
      if (it->second != r.json) {
        *report += name(r.key) + ": differs\n  stored:  " + r.json + "\n  rebuilt: " + it->second + "\n";
      }
      expected.erase(it);
    }
    return true;
  });
  for (const auto& [key, json] : expected) *report += name(key) + ": missing from the store\n  rebuilt: " + json + "\n";
  return s;
}

}  // namespace switchboard
