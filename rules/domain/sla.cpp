#include "rules/domain/sla.h"

#include "rules/business_time.h"
#include "rules/domain/decide.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {
namespace {

enum class Want { kNothing, kRun, kPause, kFulfil };

// What a metric's clock should be now, and what it measures from (B60, B62).
struct Wanted {
  Want want = Want::kNothing;
  Timestamp since = 0;
};

bool Finished(const Ticket& t) { return t.status == TicketStatus::kSolved || t.status == TicketStatus::kClosed; }

Wanted WantFor(SlaMetric metric, const Ticket& t, Timestamp now) {
  const bool done = (t.sla_done >> static_cast<int>(metric)) & 1u;
  switch (metric) {
    case SlaMetric::kFirstReply:
      if (done) return {};
      if (t.last_agent_message_at != 0 || Finished(t)) return {Want::kFulfil, 0};
      return {Want::kRun, t.created_at};
    case SlaMetric::kNextReply:
      if (t.unanswered_since != 0 && t.last_agent_message_at != 0 && !Finished(t)) {
        return {Want::kRun, t.unanswered_since};
      }
      return {Want::kFulfil, 0};
    case SlaMetric::kPeriodicUpdate:
      if (t.last_agent_message_at != 0 && !Finished(t)) return {Want::kRun, t.last_agent_message_at};
      return {Want::kFulfil, 0};
    case SlaMetric::kRequesterWait:
      if (Finished(t)) return {Want::kFulfil, 0};
      return {t.status == TicketStatus::kPending ? Want::kPause : Want::kRun, now};
    case SlaMetric::kAgentWork:
      if (Finished(t)) return {Want::kFulfil, 0};
      return {t.status == TicketStatus::kPending || t.status == TicketStatus::kOnHold ? Want::kPause : Want::kRun, now};
    case SlaMetric::kResolution:
      if (done) return {};
      if (Finished(t)) return {Want::kFulfil, 0};
      return {Want::kRun, t.created_at};
  }
  return {};
}

// The business hours a target counts in: the ticket's group's, or none (calendar time).
const BusinessHours* HoursFor(const Configuration& config, const Ticket& t, bool business_hours) {
  if (!business_hours || t.group.empty()) return nullptr;
  const GroupConfig* g = config.FindGroup(t.group);
  return g != nullptr && g->hours ? &*g->hours : nullptr;
}

Timestamp Add(const BusinessHours* hours, Timestamp from, std::int64_t millis) {
  if (hours == nullptr) return from + millis;
  if (millis <= 0) return from + millis;  // already past: the breach is as late as it is
  Timestamp due = AddBusinessTime(*hours, from, millis);
  return due == 0 ? from + millis : due;  // hours that never open: calendar time
}

// What is left of a running clock's target at `now` (negative past its due instant).
std::int64_t Remaining(const BusinessHours* hours, Timestamp due, Timestamp now) {
  if (hours == nullptr) return due - now;
  return due >= now ? BusinessTimeBetween(*hours, now, due) : -BusinessTimeBetween(*hours, due, now);
}

const SlaPolicy* PolicyFor(const DeskState& state, const Ticket& t, Timestamp now) {
  const std::vector<SlaPolicy>& policies = state.config().sla_policies;
  if (policies.empty()) return nullptr;
  TicketFacts facts = TicketFacts::Unchanged(state, t, "system", now);
  for (const SlaPolicy& p : policies) {
    if (Holds(p.conditions, facts)) return &p;
  }
  return nullptr;
}

// Starts (or re-targets) the metric's clock: it measures from `since` and is due at `due`.
void Apply(Change& change, std::uint64_t ticket, const std::string& policy, SlaMetric metric, const SlaTarget& target,
           Timestamp since, Timestamp due) {
  fb::SlaAppliedT applied;
  applied.policy = policy;
  applied.metric = std::string(Name(metric));
  applied.target_s = target.target_ms / 1000;
  applied.business_hours = target.business_hours;
  applied.since = since;
  applied.due = due;
  change.Emit(About().Ticket(ticket), std::move(applied));
}

}  // namespace

void ReconcileSla(Change& change, std::uint64_t id) {
  const DeskState& state = change.state();
  const Ticket* found = state.FindTicket(id);
  if (found == nullptr) return;
  if (found->sla_clocks.empty() && state.config().sla_policies.empty()) return;
  const Timestamp now = change.at();
  const SlaPolicy* policy = Finished(*found) && found->sla_clocks.empty() ? nullptr : PolicyFor(state, *found, now);
  const std::string policy_id = policy ? policy->id : found->sla_policy;
  for (int m = 0; m < kSlaMetricCount; ++m) {
    const SlaMetric metric = static_cast<SlaMetric>(m);
    const Ticket& t = *state.FindTicket(id);  // each event below folds into it
    const SlaClock* clock = t.FindClock(metric);
    const SlaTarget* target = policy ? policy->Find(metric, t.priority) : nullptr;
    const std::string metric_name(Name(metric));
    const Wanted wanted = WantFor(metric, t, now);
    if (clock != nullptr) {
      const BusinessHours* hours = HoursFor(state.config(), t, clock->business_hours);
      const bool cycle_over = clock->since != 0 && wanted.want == Want::kRun && wanted.since != clock->since &&
                              (metric == SlaMetric::kNextReply || metric == SlaMetric::kPeriodicUpdate);
      if (wanted.want == Want::kFulfil || wanted.want == Want::kNothing || cycle_over) {
        fb::SlaFulfilledT fulfilled;
        fulfilled.policy = t.sla_policy;
        fulfilled.metric = metric_name;
        fulfilled.breached = clock->breached;
        change.Emit(About().Ticket(id), std::move(fulfilled));
        if (!cycle_over) continue;
        clock = nullptr;  // the next cycle starts below
      } else if (target == nullptr) {
        // No policy applies any more, or the one in force has no target for it at this priority (B63).
        fb::SlaRemovedT removed;
        removed.policy = t.sla_policy;
        removed.metric = metric_name;
        change.Emit(About().Ticket(id), std::move(removed));
        continue;
      } else if (target != nullptr && (target->target_ms != clock->target_ms ||
                                       target->business_hours != clock->business_hours || policy_id != t.sla_policy)) {
        // Re-targeted (B63): what was used of the old target is used of the new one.
        const std::int64_t left = clock->paused ? clock->remaining_ms : Remaining(hours, clock->due, now);
        const std::int64_t used = clock->target_ms - left;
        const BusinessHours* new_hours = HoursFor(state.config(), t, target->business_hours);
        const bool was_paused = clock->paused;
        Apply(change, id, policy_id, metric, *target, clock->since, Add(new_hours, now, target->target_ms - used));
        if (was_paused || wanted.want == Want::kPause) {
          const Ticket& after = *state.FindTicket(id);
          const SlaClock* c = after.FindClock(metric);
          fb::SlaPausedT paused;
          paused.policy = policy_id;
          paused.metric = metric_name;
          paused.remaining_ms = Remaining(new_hours, c->due, now);
          change.Emit(About().Ticket(id), std::move(paused));
        }
        continue;
      } else if (wanted.want == Want::kPause && !clock->paused) {
        fb::SlaPausedT paused;
        paused.policy = t.sla_policy;
        paused.metric = metric_name;
        paused.remaining_ms = Remaining(hours, clock->due, now);
        change.Emit(About().Ticket(id), std::move(paused));
        continue;
      } else if (wanted.want == Want::kRun && clock->paused) {
        fb::SlaResumedT resumed;
        resumed.policy = t.sla_policy;
        resumed.metric = metric_name;
        resumed.due = Add(hours, now, clock->remaining_ms);
        change.Emit(About().Ticket(id), std::move(resumed));
        continue;
      } else {
        continue;
      }
    }
    if (target == nullptr || wanted.want != Want::kRun) continue;
    const BusinessHours* hours = HoursFor(state.config(), t, target->business_hours);
    Apply(change, id, policy_id, metric, *target, wanted.since, Add(hours, wanted.since, target->target_ms));
  }
}

void FireSlaBreaches(Change& change, std::uint64_t id) {
  const Ticket* t = change.state().FindTicket(id);
  if (t == nullptr) return;
  std::vector<SlaMetric> due;
  for (const SlaClock& c : t->sla_clocks) {
    if (!c.paused && !c.breached && c.due <= change.at()) due.push_back(c.metric);
  }
  for (SlaMetric m : due) {
    fb::SlaBreachedT breached;
    breached.policy = change.state().FindTicket(id)->sla_policy;
    breached.metric = std::string(Name(m));
    change.Emit(About().Ticket(id), std::move(breached));
  }
}

}  // namespace switchboard
