#include "projections/records.h"

#include <algorithm>
#include <iterator>

#include "events/json_writer.h"
#include "projections/catalog.h"
#include "projections/monitor.h"
#include "projections/views.h"

namespace switchboard {
namespace {

void AppendBigEndian(std::string& key, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) key.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::string TimeOrEmpty(Timestamp t) { return t == 0 ? std::string() : FormatRfc3339(t); }

}  // namespace

std::string TicketKey(std::uint64_t id) {
  std::string key(1, 't');
  AppendBigEndian(key, id);
  return key;
}

std::string AgentKey(const std::string& id) { return "a" + id; }

std::string FeedPrefix(const std::string& agent) {
  std::string key = "n" + agent;
  key += '\0';
  return key;
}

std::string FeedKey(const std::string& agent, std::uint64_t seq) {
  std::string key = FeedPrefix(agent);
  AppendBigEndian(key, seq);
  return key;
}
std::string ContactKey(const std::string& id) { return "c" + id; }

std::string PresenceKey(Timestamp at, std::uint64_t seq) {
  std::string key(kPresencePrefix);
  AppendBigEndian(key, static_cast<std::uint64_t>(at));
  AppendBigEndian(key, seq);
  return key;
}

std::string PresenceJson(const PresenceChange& p) {
  std::string out;
  JsonWriter(&out)
      .String("agent", p.agent)
      .String("from", p.from)
      .String("to", p.to)
      .String("at", FormatRfc3339(p.at))
      .Number("seq", static_cast<std::int64_t>(p.seq))
      .Close();
  return out;
}

std::string AgentTicketsPrefix(const std::string& agent) {
  std::string key = "A" + agent;
  key.push_back('\0');
  return key;
}

std::string AgentTicketKey(const std::string& agent, std::uint64_t ticket) {
  std::string key = AgentTicketsPrefix(agent);
  AppendBigEndian(key, ticket);
  return key;
}

std::uint64_t TicketOfAgentTicketKey(const std::string& key) {
  std::uint64_t v = 0;
  for (std::size_t i = key.size() - 8; i < key.size(); ++i) v = (v << 8) | static_cast<unsigned char>(key[i]);
  return v;
}

std::string TicketJson(const DeskState& state, const ReadModel& read, const Ticket& t) {
  const Conversation* c = state.FindConversation(t.conversation);
  static const TicketExtras kNone;
  const TicketExtras* found = read.FindTicket(t.id);
  const TicketExtras& x = found ? *found : kNone;
  std::string out;
  out.reserve(512);
  JsonWriter j(&out);
  j.Number("id", static_cast<std::int64_t>(t.id))
      .Number("conversation", static_cast<std::int64_t>(t.conversation))
      .String("contact", t.contact)
      .String("status", Name(t.status))
      .String("channel", Name(t.channel))
      .String("handled_as", Name(t.handled_as))
      .StringOrNull("group", t.group)
      .StringOrNull("assignee", t.assignee)
      .String("priority", Name(t.priority))
      .Strings("tags", t.tags)
      .String("session", Name(c ? c->session : Session::kActive))
      .StringOrNull("session_end_reason", t.session_end_reason)
      .Bool("solved_automatically", t.solved_automatically)
      .StringOrNull("csat", t.csat)
      .StringOrNull("created_at", TimeOrEmpty(t.created_at))
      .StringOrNull("first_reply_at", TimeOrEmpty(x.first_reply_at))
      .StringOrNull("solved_at", TimeOrEmpty(t.solved_at))
      .StringOrNull("first_assigned_at", TimeOrEmpty(x.first_assigned_at))  // extension: the wait (B52)
      .StringOrNull("proactive_rule", t.proactive_rule);                    // extension: what started it (B70)
  // SLA (B64): the policy of the open clocks, the next breach to come, whether one is breached, and
  // each open clock (`due` null while paused, `remaining_ms` then says what is left).
  bool breached = false;
  std::string clocks = "[";
  for (const SlaClock& clock : t.sla_clocks) {
    breached = breached || clock.breached;
    if (clocks.size() > 1) clocks += ",";
    JsonWriter(&clocks)
        .String("metric", Name(clock.metric))
        .Number("target_s", clock.target_ms / 1000)
        .Bool("business_hours", clock.business_hours)
        .StringOrNull("due", clock.paused ? "" : TimeOrEmpty(clock.due))
        .Bool("paused", clock.paused)
        .Number("remaining_ms", clock.paused ? clock.remaining_ms : 0)
        .Bool("breached", clock.breached)
        .Close();
  }
  clocks += "]";
  std::string results = "[";
  for (const auto& [metric, late] : t.sla_results) {
    if (results.size() > 1) results += ",";
    JsonWriter(&results).String("metric", Name(metric)).Bool("breached", late).Close();
  }
  results += "]";
  j.StringOrNull("sla_policy", t.sla_policy)
      .StringOrNull("sla_next_breach_at", TimeOrEmpty(t.NextBreach()))
      .Bool("sla_breached", breached)
      .Raw("sla", clocks)
      .Raw("sla_fulfilled", results);
  // Workload (B72): the handle time of the spans that ended, the span going on, and abandonment.
  const TicketWork& w = x.work;
  j.Number("handle_s", w.handle_ms / kMillisPerSecond)
      .StringOrNull("handling_since", w.handling ? FormatRfc3339(w.handling_since) : "")
      .StringOrNull("abandoned_at", TimeOrEmpty(w.abandoned_at));
  j.Raw("time_to_abandon_s", w.abandoned_at != 0 ? std::to_string(w.time_to_abandon_ms / kMillisPerSecond) : "null");
  j.Close();
  return out;
}

std::string AgentJson(const DeskState& state, const AgentState& a) {
  const AgentConfig* config = state.config().FindAgent(a.id);
  static const std::vector<std::string> kNoGroups;
  std::string out;
  JsonWriter j(&out);
  j.String("id", a.id).String("status", Name(a.status)).Strings("groups", config ? config->groups : kNoGroups);
  std::string load, capacity;
  JsonWriter(&load).Number("messaging", a.load_messaging).Number("email", a.load_email).Close();
  JsonWriter cap(&capacity);
  cap.Number("messaging", config ? config->capacity_messaging : 0).Number("email", config ? config->capacity_email : 0);
  if (config && config->capacity_inactive > 0) cap.Number("inactive", config->capacity_inactive);  // B75
  cap.Close();
  j.Raw("load", load).Raw("capacity", capacity);
  j.Close();
  return out;
}

std::string AgentQueryJson(const std::string& stored, const std::vector<std::uint64_t>& tickets) {
  std::string out = stored.substr(0, stored.size() - 1);  // reopen the object
  out += ",\"tickets\":[";
  for (std::size_t i = 0; i < tickets.size(); ++i) out += (i ? "," : "") + std::to_string(tickets[i]);
  out += "]}";
  return out;
}

std::string ContactJson(const Contact& c) {
  std::string profile;
  JsonWriter p(&profile);
  for (const auto& [field, value] : c.profile) p.Raw(field, value);
  p.Close();
  std::string out;
  JsonWriter j(&out);
  j.String("id", c.id).Raw("profile", profile).Numbers("conversations", c.conversations).Numbers("tickets", c.tickets);
  if (c.visitor.page_viewed_at != 0) {  // B70: what the site said last, for a contact seen on it
    std::string visitor;
    JsonWriter v(&visitor);
    v.String("page_url", c.visitor.page_url)
        .StringOrNull("page_title", c.visitor.page_title)
        .String("page_viewed_at", FormatRfc3339(c.visitor.page_viewed_at))
        .Number("visits", c.visitor.visits)
        .Strings("proactive_rules", std::vector<std::string>(c.visitor.fired.begin(), c.visitor.fired.end()));
    v.Close();
    j.Raw("visitor", visitor);
  }
  j.Close();
  return out;
}

namespace {

const FeedItem* FindFeedItem(const AgentFeeds& feeds, const std::string& agent, std::uint64_t seq) {
  const std::deque<FeedItem>* items = feeds.Find(agent);
  if (items == nullptr) return nullptr;
  auto it = std::lower_bound(items->begin(), items->end(), seq,
                             [](const FeedItem& item, std::uint64_t s) { return item.seq < s; });
  return it != items->end() && it->seq == seq ? &*it : nullptr;
}

}  // namespace

std::vector<Record> DirtyRecords(const DeskState& state, const ReadModel& read, unsigned projections) {
  auto wanted = [projections](ProjectionId p) { return (projections & (1u << p)) != 0; };
  std::vector<Record> out;
  const Dirty& d = read.dirty();
  if (wanted(kAgentsProjection)) {
    for (const auto& [agent, ticket] : d.agent_tickets) {
      const AgentState* a = state.FindAgent(agent);
      out.push_back({AgentTicketKey(agent, ticket), "", a == nullptr || a->tickets.count(ticket) == 0});
    }
    for (const std::string& id : d.agents) out.push_back({AgentKey(id), AgentJson(state, *state.FindAgent(id))});
  }
  if (wanted(kContactsProjection)) {
    for (const std::string& id : d.contacts) out.push_back({ContactKey(id), ContactJson(*state.FindContact(id))});
  }
  if (wanted(kTicketsProjection)) {
    for (std::uint64_t id : d.tickets) out.push_back({TicketKey(id), TicketJson(state, read, *state.FindTicket(id))});
  }
  if (wanted(kViewsProjection)) {
    for (const std::string& key : d.view_keys) out.push_back({key, "", !read.IsViewMember(key)});
    for (const std::string& id : d.views) {
      const ViewConfig* view = nullptr;
      for (const ViewConfig& v : state.config().views) {
        if (v.id == id) view = &v;
      }
      out.push_back({ViewDefinitionKey(id), view ? ViewDefinitionJson(*view) : "", view == nullptr});
    }
  }
  if (wanted(kFeedsProjection)) {
    for (const auto& [agent, seq] : read.feeds().dirty()) {
      const FeedItem* item = FindFeedItem(read.feeds(), agent, seq);
      out.push_back({FeedKey(agent, seq), item ? FeedItemJson(*item) : "", item == nullptr});
    }
  }
  if (wanted(kStaffingProjection)) {
    for (std::uint64_t seq : d.presence) {
      // Kept until durable, and a change is rendered before it is written: always found.
      if (const PresenceChange* p = read.FindPresence(seq))
        out.push_back({PresenceKey(p->at, p->seq), PresenceJson(*p)});
    }
  }
  if (wanted(kMonitorProjection) || wanted(kAnalyticsProjection)) {
    std::vector<Record> monitor;  // one renderer writes both; keep the wanted ones
    AppendMonitorRecords(state, read, &monitor);
    KeepProjections(&monitor, projections);
    std::move(monitor.begin(), monitor.end(), std::back_inserter(out));
  }
  return out;
}

std::vector<Record> ProjectionRecords(const DeskState& state, const ReadModel& read, ProjectionId p) {
  std::vector<Record> out;
  switch (p) {
    case kTicketsProjection:
      // Of a state that keeps every ticket (a replay, an as-of query): an evicting one has none to give.
      for (std::uint64_t id = 1; id <= state.ticket_count(); ++id) {
        if (const Ticket* t = state.FindTicket(id)) out.push_back({TicketKey(id), TicketJson(state, read, *t)});
      }
      break;
    case kAgentsProjection:
      for (const auto& [id, agent] : state.agents()) {
        out.push_back({AgentKey(id), AgentJson(state, agent)});
        for (std::uint64_t t : agent.tickets) out.push_back({AgentTicketKey(id, t), ""});
      }
      break;
    case kContactsProjection:
      for (const auto& [id, contact] : state.contacts()) out.push_back({ContactKey(id), ContactJson(contact)});
      break;
    case kViewsProjection:
      for (const ViewConfig& view : state.config().views) {
        // Definitions are records of an applied configuration; the built-in one in force before any
        // (`unassigned-messaging`) is never written, and queries answer it without its record.
        if (state.config_version() != 0) out.push_back({ViewDefinitionKey(view.id), ViewDefinitionJson(view)});
        std::vector<std::string> members = read.ViewMembers(state, view.id).value_or(std::vector<std::string>{});
        for (std::string& key : members) out.push_back({std::move(key), ""});  // O(tickets)
      }
      break;
    case kFeedsProjection:
      for (const auto& [agent, items] : read.feeds().feeds()) {
        for (const FeedItem& item : items) out.push_back({FeedKey(agent, item.seq), FeedItemJson(item)});
      }
      break;
    case kMonitorProjection:
    case kAnalyticsProjection:
      AppendAllMonitorRecords(state, read, &out);
      KeepProjections(&out, 1u << p);
      break;
    case kStaffingProjection:
      // Of a fold that does not evict (a replay, an as-of query): every presence change.
      for (const PresenceChange& c : read.presence()) out.push_back({PresenceKey(c.at, c.seq), PresenceJson(c)});
      break;
    case kProjectionCount:
      break;
  }
  std::sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.key < b.key; });
  return out;
}

std::vector<Record> AllRecords(const DeskState& state, const ReadModel& read) {
  std::vector<Record> out;
  for (int p = 0; p < kProjectionCount; ++p) {
    std::vector<Record> part = ProjectionRecords(state, read, static_cast<ProjectionId>(p));
    std::move(part.begin(), part.end(), std::back_inserter(out));
  }
  std::sort(out.begin(), out.end(), [](const Record& a, const Record& b) { return a.key < b.key; });
  return out;
}

}  // namespace switchboard
