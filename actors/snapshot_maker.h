// SnapshotMaker: the desk's periodic snapshots (storage/snapshot.h), made in a child process.
//
// Encoding the state takes time in proportion to the open work (most of a second for 120,000 open
// tickets): on the desk it would hold every command behind it that long. fork() gives a child the
// state as it is between two batches, copy-on-write, in the time it takes to copy the page tables
// (milliseconds); the child encodes it, writes the table file and exits, while the desk goes on
// deciding. The desk ingests the file once the child has finished (Reap, at a later batch), which is
// when the snapshot counts. The child touches nothing another thread could have held at the fork:
// glibc's malloc (kept consistent across fork), the state, and EventStore::WriteSnapshotFile. It dies
// with the engine's process and holds none of its standard streams. Builds with AddressSanitizer,
// whose allocator is not kept consistent across fork, make the snapshot in the desk's thread instead.
//
// One child at a time, and after each the next waits nine times as long as the child took, so
// snapshots use at most about a tenth of a core however large the open work. Not thread-safe: the
// desk's.
#pragma once

#include <chrono>
#include <cstdint>
#include <string_view>
#include <sys/types.h>

#include "actors/desk_actor.h"

namespace switchboard {

class SnapshotMaker {
 public:
  SnapshotMaker(EventStore* store, DeskGauges* gauges) : store_(store), gauges_(gauges) {}
  // A child still running is stopped, and what it made dropped (Reap(true) first to keep it).
  ~SnapshotMaker();
  SnapshotMaker(const SnapshotMaker&) = delete;
  SnapshotMaker& operator=(const SnapshotMaker&) = delete;

  // Whether a snapshot may start now: no child runs, and the pause after the last one is over.
  bool Ready(std::chrono::steady_clock::time_point now) const { return pid_ == 0 && now >= next_; }
  // Starts the snapshot of `state` and `read` (as of state.last_seq(), between two changes), whose
  // last event's bytes are `event`. A failed fork is counted as a failed snapshot.
  void Start(const DeskState& state, const ReadModel& read, std::string_view event);
  // Ingests the snapshot of a child that has finished (counted failed when it did not succeed);
  // with `wait`, waits for a running child first.
  void Reap(bool wait);
  // Makes and writes a snapshot in this thread (the one at close, once the desk has stopped). One
  // that cannot be written is counted as failed and changes nothing else: the log is whole without it.
  void WriteNow(const DeskState& state, const ReadModel& read, std::string_view event);

 private:
  void Written(std::uint64_t seq, std::uint64_t bytes, std::chrono::steady_clock::duration took);

  EventStore* store_;
  DeskGauges* gauges_;
  pid_t pid_ = 0;
  std::uint64_t seq_ = 0;
  std::chrono::steady_clock::time_point started_, next_;
};

}  // namespace switchboard
