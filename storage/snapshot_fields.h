// The fields of the decision state and of the read model as a snapshot holds them: one Boost.Serialization
// `serialize` per plain struct, in declaration order. Private to storage/snapshot.cpp.
//
// A field added to one of these structs must be added here too, and kSnapshotFormat (snapshot.h)
// bumped: a snapshot of the old format is then ignored (the log is folded instead), never misread.
// The size checks at the end stop a build whose structs changed without this file noticing.
//
// Unordered containers are written sorted by key, so that the same state gives the same bytes
// whatever the order it was built in (tests compare snapshots byte for byte).
#pragma once

#include <boost/serialization/deque.hpp>
#include <boost/serialization/level.hpp>
#include <boost/serialization/map.hpp>
#include <boost/serialization/set.hpp>
#include <boost/serialization/split_free.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <vector>

#include "projections/agent_feed.h"
#include "projections/read_model.h"
#include "rules/agent_changes.h"
#include "rules/domain/agent.h"
#include "rules/domain/contact.h"
#include "rules/domain/conversation.h"
#include "rules/domain/routing_state.h"
#include "rules/domain/ticket.h"

namespace boost {
namespace serialization {

template <class A, class T>
void save(A& a, const std::optional<T>& o, unsigned) {
  const bool present = o.has_value();
  a << present;
  if (present) a << *o;
}
template <class A, class T>
void load(A& a, std::optional<T>& o, unsigned) {
  bool present = false;
  a >> present;
  if (!present) {
    o.reset();
    return;
  }
  T value{};
  a >> value;
  o = std::move(value);
}
template <class A, class T>
void serialize(A& a, std::optional<T>& o, unsigned version) {
  split_free(a, o, version);
}

template <class A, class K, class V>
void save(A& a, const std::unordered_map<K, V>& m, unsigned) {
  std::vector<const std::pair<const K, V>*> sorted;
  sorted.reserve(m.size());
  for (const auto& entry : m) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](const auto* x, const auto* y) { return x->first < y->first; });
  const std::uint64_t count = sorted.size();
  a << count;
  for (const auto* entry : sorted) a << entry->first << entry->second;
}
template <class A, class K, class V>
void load(A& a, std::unordered_map<K, V>& m, unsigned) {
  std::uint64_t count = 0;
  a >> count;
  m.clear();
  m.reserve(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    K key{};
    V value{};
    a >> key >> value;
    m.emplace(std::move(key), std::move(value));
  }
}
template <class A, class K, class V>
void serialize(A& a, std::unordered_map<K, V>& m, unsigned version) {
  split_free(a, m, version);
}

template <class A>
void serialize(A& a, switchboard::SlaClock& c, unsigned) {
  a& c.metric& c.target_ms& c.business_hours& c.since& c.due& c.remaining_ms& c.paused& c.breached& c.breached_at;
}

template <class A>
void serialize(A& a, switchboard::Ticket& t, unsigned) {
  a& t.id& t.conversation& t.contact& t.channel& t.proactive_rule& t.handled_as& t.status& t.group& t.assignee;
  a& t.priority& t.tags& t.session_end_reason& t.solved_automatically& t.csat& t.solved_by& t.created_via;
  a& t.created_at& t.solved_at& t.updated_at& t.status_changed_at& t.assigned_at& t.last_agent_message_at;
  a& t.csat_offered& t.ever_assigned& t.automations_holding& t.automation_due& t.sla_policy& t.sla_clocks;
  a& t.sla_done& t.unanswered_since& t.sla_timer_due& t.sla_results& t.notify;
}

template <class A>
void serialize(A& a, switchboard::Conversation& c, unsigned) {
  a& c.id& c.contact& c.channel& c.ticket& c.session& c.finished& c.started_at& c.proactive_rule;
  a& c.last_contact_message_at& c.inactive_due& c.in_bot& c.vars& c.lookup_started;
}

template <class A>
void serialize(A& a, switchboard::Visitor& v, unsigned) {
  a& v.page_url& v.page_title& v.page_viewed_at& v.visits& v.fired_on_page& v.fired& v.pending_rule& v.pending_at;
  a& v.proactive_due;
}

// Contact::values are the profile's fields parsed: loading parses them again (snapshot.cpp).
template <class A>
void serialize(A& a, switchboard::Contact& c, unsigned) {
  a& c.id& c.profile& c.conversations& c.tickets& c.open_messaging& c.open_email& c.live_conversations& c.last_seq;
  a& c.visitor;
}

template <class A>
void serialize(A& a, switchboard::AgentState& s, unsigned) {
  a& s.id& s.status& s.load_messaging& s.load_email& s.tickets;
}

template <class A>
void serialize(A& a, switchboard::Holding& h, unsigned) {
  a& h.agent& h.channel;
}

template <class A>
void serialize(A& a, switchboard::QueueKey& k, unsigned) {
  a& k.rank& k.since& k.ticket;
}

template <class A>
void serialize(A& a, switchboard::QueuePlace& p, unsigned) {
  a& p.group& p.channel& p.key;
}

template <class A>
void serialize(A& a, switchboard::RoutedTicket& r, unsigned) {
  a& r.language& r.skills& r.offers& r.offer_due& r.offer_rounds& r.queued& r.held& r.inactive_of;
}

template <class A>
void serialize(A& a, switchboard::AgentLedger& l, unsigned) {
  a& l.held_messaging& l.held_email& l.inactive& l.idle_since& l.offers;
}

template <class A>
void serialize(A& a, switchboard::RecentWaits& w, unsigned) {
  for (switchboard::Timestamp& sample : w.samples) a& sample;
  a& w.count& w.next& w.sum;
}

template <class A>
void save(A& a, const switchboard::TicketQueue& q, unsigned) {
  const std::uint64_t count = q.size();
  a << count;
  for (const switchboard::QueueKey& k : q) a << k;
}
template <class A>
void load(A& a, switchboard::TicketQueue& q, unsigned) {
  std::uint64_t count = 0;
  a >> count;
  q.clear();
  for (std::uint64_t i = 0; i < count; ++i) {
    switchboard::QueueKey k;
    a >> k;
    q.insert(k);
  }
}
template <class A>
void serialize(A& a, switchboard::TicketQueue& q, unsigned version) {
  split_free(a, q, version);
}

// What the fold notes for the desk (entered_queue, drain_groups, loads_moved) is not kept: a desk
// starting on a state drops it (Desk's constructor), and a snapshot is taken between changes.
template <class A>
void serialize(A& a, switchboard::RoutingState& r, unsigned) {
  a& r.tickets& r.agents& r.queues& r.round_robin& r.waits;
}

template <class A>
void serialize(A& a, switchboard::AgentChanges& c, unsigned) {
  a& c.capacity_messaging& c.capacity_email& c.capacity_inactive& c.groups& c.languages& c.skills;
}

template <class A>
void serialize(A& a, switchboard::TicketWork& w, unsigned) {
  a& w.created_at& w.assigned& w.session& w.unsolved& w.replied& w.last_contact_at& w.handle_ms& w.handling;
  a& w.handling_since& w.abandoned_at& w.time_to_abandon_ms;
}

template <class A>
void serialize(A& a, switchboard::TicketExtras& x, unsigned) {
  a& x.first_reply_at& x.first_assigned_at& x.view_keys& x.queue& x.sla_risk_key& x.sla_breached_in& x.work;
}

template <class A>
void serialize(A& a, switchboard::DayCounters& d, unsigned) {
  a& d.day& d.created& d.solved& d.deflected& d.csat_good& d.csat_bad& d.wait_sum& d.wait_count;
}

template <class A>
void serialize(A& a, switchboard::HourCounters& h, unsigned) {
  a& h.conversations& h.self_solved& h.proactive_sent& h.proactive_conversations& h.proactive_self_solved;
}

template <class A>
void serialize(A& a, switchboard::PresenceChange& p, unsigned) {
  a& p.seq& p.at& p.agent& p.from& p.to;
}

template <class A>
void serialize(A& a, switchboard::FeedItem& f, unsigned) {
  a& f.seq& f.at& f.kind& f.ticket& f.text& f.delivered_at;
}

}  // namespace serialization
}  // namespace boost

// Plain values: no class id, version or object tracking per struct in the archive (Boost's default
// writes and looks up class information for every object, which made it a third of the time).
// The snapshot's format number versions them all at once.
#define SWITCHBOARD_SNAPSHOT_PLAIN(type)                                      \
  BOOST_CLASS_IMPLEMENTATION(type, boost::serialization::object_serializable) \
  BOOST_CLASS_TRACKING(type, boost::serialization::track_never)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::SlaClock)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::Ticket)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::Conversation)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::Visitor)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::Contact)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::AgentState)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::Holding)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::QueueKey)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::QueuePlace)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::RoutedTicket)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::AgentLedger)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::RecentWaits)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::TicketQueue)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::RoutingState)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::AgentChanges)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::TicketWork)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::TicketExtras)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::DayCounters)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::HourCounters)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::PresenceChange)
SWITCHBOARD_SNAPSHOT_PLAIN(switchboard::FeedItem)
#undef SWITCHBOARD_SNAPSHOT_PLAIN

// A struct whose size changed has a field this file does not know yet (see the top). The sizes are
// those of Debian 12's x86-64 GCC and libstdc++; elsewhere the check is left to that build.
#if defined(__x86_64__) && defined(__GLIBCXX__) && !defined(_GLIBCXX_DEBUG)
#define SWITCHBOARD_SNAPSHOT_SIZE(type, bytes) \
  static_assert(sizeof(type) == (bytes), #type " changed: add its new field to storage/snapshot_fields.h")
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::SlaClock, 64);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::Ticket, 552);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::Conversation, 184);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::Visitor, 224);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::Contact, 432);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::AgentState, 96);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::Holding, 40);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::QueueKey, 24);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::QueuePlace, 64);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::RoutedTicket, 248);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::AgentLedger, 72);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::RecentWaits, 176);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::RoutingState, 408);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::AgentChanges, 120);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::TicketWork, 64);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::TicketExtras, 216);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::DayCounters, 48);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::HourCounters, 20);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::PresenceChange, 112);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::FeedItem, 96);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::DeskState, 1288);
// ReadModel: 1,232 with the deferred refreshes, which are not kept (none is pending at a snapshot).
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::ReadModel, 1232);
SWITCHBOARD_SNAPSHOT_SIZE(switchboard::AgentFeeds, 272);
#undef SWITCHBOARD_SNAPSHOT_SIZE
#endif
