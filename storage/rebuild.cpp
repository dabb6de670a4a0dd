#include "storage/rebuild.h"

#include "projections/catalog.h"
#include "projections/records.h"
#include "storage/recovery.h"

namespace switchboard {
namespace {

// Folds up to `limit` events (0: all) and returns the records of the job's projections they changed.
Status FoldAndRender(EventStore& store, RebuildJob* job, std::uint64_t limit, std::vector<Record>* records) {
  std::uint64_t folded = job->folded;
  Status s = FoldSome(store, &job->state, &job->read, job->folded + 1, limit, &folded);
  if (!s.ok()) return s;
  job->folded = folded;
  job->done = folded;
  *records = DirtyRecords(job->state, job->read, job->projections);
  job->read.ClearDirty();
  job->state.Evict(folded);  // rendered, and in the log: what finished may go
  job->read.Evict(folded);
  if (job->progress) job->progress(job->folded, job->total);
  return Status::OK();
}

}  // namespace

unsigned StaleProjections(const EventStore& store, std::uint64_t last_seq) {
  unsigned stale = 0;
  for (int p = 0; p < kProjectionCount; ++p) {
    ProjectionMark mark = store.Projection(static_cast<ProjectionId>(p));
    if (!mark.present || mark.version != Projections()[p].version || mark.checkpoint != last_seq) stale |= 1u << p;
  }
  return stale;
}

Status BeginRebuild(EventStore& store, RebuildJob* job) {
  std::uint64_t last = 0;
  Status s = store.LastSeq(&last);
  if (!s.ok()) return s;
  job->total = last;
  job->restorer = std::make_unique<StoreRestorer>(&store, &job->read);
  job->state.SetRestorer(job->restorer.get());
  return store.DiscardRebuilt(job->projections);
}

Status RebuildStep(EventStore& store, RebuildJob* job, bool* caught_up) {
  std::uint64_t last = 0;
  Status s = store.LastSeq(&last);
  if (!s.ok()) return s;
  job->total = last;
  if (job->folded >= last) {
    *caught_up = true;
    return Status::OK();
  }
  std::vector<Record> records;
  s = FoldAndRender(store, job, job->chunk, &records);
  if (!s.ok()) return s;
  *caught_up = job->folded >= last;
  return store.WriteRebuilt(records);
}

Status FinishRebuild(EventStore& store, RebuildJob* job) {
  std::vector<Record> records;
  Status s = FoldAndRender(store, job, 0, &records);
  if (!s.ok()) return s;
  std::uint64_t last = 0;
  s = store.LastSeq(&last);
  if (!s.ok()) return s;
  if (job->folded != last) {
    return Status::Corruption("a rebuild folded to event " + std::to_string(job->folded) + " but the log ends at " +
                              std::to_string(last));
  }
  job->total = last;
  return store.TakeOver(job->projections, records, last);
}

}  // namespace switchboard
