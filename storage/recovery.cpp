#include "storage/recovery.h"

#include <map>

#include "events/codec.h"
#include "projections/catalog.h"
#include "projections/records.h"
#include "projections/views.h"
#include "rules/domain/ticket_rules.h"
#include "storage/restore.h"
#include "storage/snapshot.h"

namespace switchboard {

namespace {

struct FoldRun {
  std::uint64_t from = 1;
  std::uint64_t limit = 0;  // 0: no limit
  Timestamp until = 0;      // 0: no bound
  std::string* transitions = nullptr;
  const ReplayProgress* progress = nullptr;
  std::uint64_t total = 0;
  bool keep_dirty = false;  // a rebuild renders what the events dirtied; recovery does not need it
  bool evict = false;       // let what is finished go every so many events (Recover)
};

// Every how many events (a mask) the fold drops what it marked dirty, and lets what is finished go.
// Each eviction first makes the read model's deferred refreshes, so evicting seldom leaves more of
// a ticket's events to one refresh; a few hundred tickets' worth of closed work waits for it.
constexpr std::uint64_t kClearDirtyEvery = 1023;
constexpr std::uint64_t kEvictEvery = 16383;

Status Fold(EventStore& store, DeskState* state, ReadModel* read, const FoldRun& run, std::uint64_t* folded) {
  // A fold that renders nothing needs the read model's records only as of the end (and of each
  // eviction): it refreshes each ticket once instead of after each of its events.
  const bool defer = read != nullptr && !run.keep_dirty;
  if (defer) read->DeferRefreshes(*state);
  std::uint64_t expected = run.from;
  std::uint64_t count = 0;
  Status fold;
  Event event;
  Status s = store.ScanLog(run.from, [&](std::uint64_t seq, std::string_view bytes) {
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
    if (run.until != 0 && event.at > run.until) return false;  // the log is in time order: the rest is later
    if (run.transitions != nullptr && event.payload.type == fb::Payload::TicketStatusChanged) {
      const Ticket* t = state->FindTicket(event.ticket);
      std::optional<TicketStatus> to = ParseTicketStatus(event.payload.AsTicketStatusChanged()->to);
      if (t == nullptr || Name(t->status) != event.payload.AsTicketStatusChanged()->from) {
        *run.transitions += "invariant: event " + std::to_string(seq) + " moves ticket " +
                            std::to_string(event.ticket) + " from a status it does not have\n";
      } else if (!to) {
        *run.transitions += "invariant: event " + std::to_string(seq) + " names an unknown status\n";
      } else if (auto refused = CheckStatusTransition(*t, *to)) {
        *run.transitions += "invariant: event " + std::to_string(seq) + ": " + refused->error + "\n";
      }
    }
    if (Status applied = state->Apply(event); !applied.ok()) {
      fold = applied;
      return false;
    }
    if (read != nullptr) {
      read->Apply(event, *state);
      // What the fold marks dirty only matters to a rebuild; dropping it as it goes keeps those sets
      // small (cheaper inserts, no memory growing with the log).
      if (!run.keep_dirty && (seq & kClearDirtyEvery) == 0) read->ClearDirty();
    }
    if (run.evict && (seq & kEvictEvery) == 0) {
      if (defer) read->FlushRefreshes(*state);
      state->Evict(seq);
      if (read != nullptr) read->Evict(seq);
    }
    if (run.progress && *run.progress && (seq % 65536 == 0 || seq == run.total)) (*run.progress)(seq, run.total);
    *folded = seq;
    ++expected;
    return run.limit == 0 || ++count < run.limit;
  });
  if (defer) read->StopDeferring(*state);
  return s.ok() ? fold : s;
}

}  // namespace

Status FoldSome(EventStore& store, DeskState* state, ReadModel* read, std::uint64_t from, std::uint64_t limit,
                std::uint64_t* folded) {
  FoldRun run;
  run.from = from;
  run.limit = limit;
  run.keep_dirty = true;
  return Fold(store, state, read, run, folded);
}

Status FoldLog(EventStore& store, DeskState* state, ReadModel* read, const ReplayProgress& progress, Timestamp until,
               std::string* transitions) {
  FoldRun run;
  run.until = until;
  run.transitions = transitions;
  run.progress = &progress;
  Status s = store.LastSeq(&run.total);
  if (!s.ok()) return s;
  std::uint64_t folded = 0;
  s = Fold(store, state, read, run, &folded);
  if (read != nullptr) read->ClearDirty();
  return s;
}

namespace {

// The newest snapshot that verifies, into `state` and `read`; they stay as they are when none does,
// even when the snapshots cannot be read at all (a damaged table file): the log is whole without them.
void LoadSnapshot(EventStore& store, std::uint64_t last_seq, DeskState* state, ReadModel* read,
                  RecoveryReport* report) {
  std::string event;
  Status scan = store.ScanSnapshots([&](std::uint64_t seq, std::string_view bytes) {
    SnapshotHeader header;
    Status s = ReadSnapshotHeader(bytes, &header);
    const std::string at = "the snapshot at event " + std::to_string(seq);
    if (s.ok() && header.seq != seq) s = Status::Corruption(at + " says it is of event " + std::to_string(header.seq));
    if (s.ok() && seq > last_seq) {
      s = Status::Corruption(at + " is ahead of the log, which ends at event " + std::to_string(last_seq));
    }
    if (s.ok() && (!store.ReadEvent(seq, &event).ok() || event != header.event)) {
      s = Status::Corruption(at + " was made from another log: the log's event " + std::to_string(seq) + " differs");
    }
    if (s.ok()) {
      DeskState snapshot_state;
      ReadModel snapshot_read;
      s = DecodeSnapshot(header, &snapshot_state, &snapshot_read);
      if (s.ok()) {
        *state = std::move(snapshot_state);
        *read = std::move(snapshot_read);
        report->snapshot_seq = seq;
        return false;
      }
    }
    report->ignored += (report->ignored.empty() ? "" : "; ") + s.message();
    return true;
  });
  if (!scan.ok()) report->ignored += (report->ignored.empty() ? "" : "; ") + scan.message();
}

}  // namespace

Status Recover(EventStore& store, DeskState* state, ReadModel* read, RecoveryReport* report, bool from_snapshot) {
  RecoveryReport unused;
  if (report == nullptr) report = &unused;
  FoldRun run;
  run.evict = true;
  Status s = store.LastSeq(&run.total);
  if (s.ok() && read != nullptr && from_snapshot) LoadSnapshot(store, run.total, state, read, report);
  if (!s.ok()) return s;
  run.from = state->last_seq() + 1;
  StoreRestorer restorer(&store, read);
  DeskState::Restorer* before = state->restorer();
  state->SetRestorer(&restorer);
  std::uint64_t folded = state->last_seq();
  s = Fold(store, state, read, run, &folded);
  report->folded = folded - report->snapshot_seq;
  if (read != nullptr) read->ClearDirty();
  if (s.ok()) {
    state->Evict(folded);
    if (read != nullptr) read->Evict(folded);
  }
  state->SetRestorer(before);
  return s;
}

void CheckInvariants(const DeskState& state, std::string* report) {
  std::map<std::pair<std::string, Channel>, int> held;
  for (std::uint64_t id = 1; id <= state.ticket_count(); ++id) {
    const Ticket* found = state.FindTicket(id);
    if (found == nullptr) continue;  // closed and left memory: it holds nothing and waits nowhere
    const Ticket& t = *found;
    const RoutedTicket* r = state.FindRouted(id);
    const bool queued = r != nullptr && r->queued.has_value();
    const std::string name = "invariant: ticket " + std::to_string(id);
    if (t.group.empty()) *report += name + " has no group\n";
    if (auto h = state.HoldingOf(t)) ++held[{h->agent, h->channel}];
    if (queued && !t.assignee.empty()) *report += name + " is both queued and assigned to " + t.assignee + "\n";
    if (queued != state.Queueable(t)) {
      *report += name + (queued ? " waits in a queue but should not\n" : " should wait in a queue but does not\n");
    }
    if (r != nullptr && !r->offers.empty() && !t.assignee.empty()) *report += name + " is both offered and assigned\n";
  }
  for (const auto& [id, agent] : state.agents()) {
    for (Channel channel : {Channel::kMessaging, Channel::kEmail}) {
      int load = agent.load(channel);
      int count = held[{id, channel}];
      if (load != count || load < 0) {
        *report += "invariant: agent " + id + " has " + std::string(Name(channel)) + " load " + std::to_string(load) +
                   " but " + std::to_string(count) + " tickets hold that capacity\n";
      }
    }
  }
}

namespace {

// A record key as a person reads it.
std::string RecordName(const std::string& key) {
  switch (key[0]) {
    case 't':
      return "ticket " + std::to_string(TicketOfAgentTicketKey(key));
    case 'A':
      return "agent " + key.substr(1, key.find('\0') - 1) + " holds ticket " +
             std::to_string(TicketOfAgentTicketKey(key));
    case 'a':
      return "agent " + key.substr(1);
    case 'c':
      return "contact " + key.substr(1);
    case 'V':
      return "view definition " + key.substr(1);
    case 'v':
      return "view " + ViewOfKey(key) + " lists ticket " + std::to_string(TicketOfViewKey(key));
    case 'm':
      return "monitor counters";
    case 'q':
      return "queue " + key.substr(1, key.find('\0') - 1) + " / " + key.substr(key.find('\0') + 1);
    case 'h':
      return "hourly counters of hour " + std::to_string(TicketOfAgentTicketKey(key.substr(0, 9))) + " " +
             key.substr(9);
    default:
      return "record " + key;
  }
}

}  // namespace

Status DiffRecords(EventStore& store, const DeskState& rebuilt, const ReadModel& read, std::string* report) {
  for (int p = 0; p < kProjectionCount; ++p) {
    const ProjectionInfo& info = Projections()[p];
    const ProjectionMark mark = store.Projection(static_cast<ProjectionId>(p));
    const std::string name = std::string("projection ") + info.name + ": ";
    if (!mark.present) {
      *report += name + "never built (run replay)\n";
      continue;
    }
    if (mark.version != info.version) {
      *report += name + "stored at version " + std::to_string(mark.version) + "; this build makes version " +
                 std::to_string(info.version) + " (run replay)\n";
    }
    if (mark.checkpoint != rebuilt.last_seq()) {
      *report += name + "checkpoint at event " + std::to_string(mark.checkpoint) + " but the log ends at " +
                 std::to_string(rebuilt.last_seq()) + "\n";
    }
    std::map<std::string, std::string> expected;
    for (Record& r : ProjectionRecords(rebuilt, read, static_cast<ProjectionId>(p))) {
      expected.emplace(std::move(r.key), std::move(r.json));
    }
    Status s = store.ScanProjection(static_cast<ProjectionId>(p), [&](const Record& r) {
      auto it = expected.find(r.key);
      if (it == expected.end()) {
        *report += RecordName(r.key) + ": stored but not in the log\n  stored:  " + r.json + "\n";
      } else {
        if (it->second != r.json) {
          *report += RecordName(r.key) + ": differs\n  stored:  " + r.json + "\n  rebuilt: " + it->second + "\n";
        }
        expected.erase(it);
      }
      return true;
    });
    if (!s.ok()) return s;
    for (const auto& [key, json] : expected) {
      *report += RecordName(key) + ": missing from the store\n  rebuilt: " + json + "\n";
    }
  }
  return Status::OK();
}

}  // namespace switchboard
