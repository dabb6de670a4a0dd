#include "actors/snapshot_maker.h"

#include <fcntl.h>
#include <signal.h>
#include <string>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "storage/snapshot.h"

namespace switchboard {

namespace {

std::uint64_t Micros(std::chrono::steady_clock::duration d) {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

// AddressSanitizer's allocator (GCC 12's) is not kept consistent across fork: a child forked while
// another thread held one of its locks waits forever in its first allocation (seen in the sanitized
// crash test). Sanitized builds make the periodic snapshot in the desk's thread instead, which costs
// the desk the encoding time but decides the same; every other build forks.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kForkSnapshots = false;
#else
constexpr bool kForkSnapshots = true;
#endif

// The child outlives nothing: it dies with the parent (a kill -9 of the engine leaves no process
// behind, still writing a snapshot nobody will ingest), and holds none of the parent's standard
// streams (a caller reading the engine's output until its end is not kept waiting by the child).
void DetachChild(pid_t parent) {
  (void)::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the parent died before the line above
  const int null = ::open("/dev/null", O_RDWR);
  if (null < 0) return;
  for (int fd = 0; fd <= 2; ++fd) (void)::dup2(null, fd);
  if (null > 2) ::close(null);
}

}  // namespace

SnapshotMaker::~SnapshotMaker() {
  if (pid_ == 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  (void)::waitpid(pid_, &status, 0);  // its file is removed at the next open
}

void SnapshotMaker::Start(const DeskState& state, const ReadModel& read, std::string_view event) {
  const auto before = std::chrono::steady_clock::now();
  if (!kForkSnapshots) {
    const std::string bytes = EncodeSnapshot(state, read, event);
    std::uint64_t written = 0;
    const bool ok = store_->WriteSnapshotFile(state.last_seq(), bytes).ok() &&
                    store_->IngestSnapshotFile(state.last_seq(), &written).ok();
    const auto now = std::chrono::steady_clock::now();
    gauges_->snapshot_pause_micros.store(Micros(now - before), std::memory_order_relaxed);
    next_ = now + 9 * (now - before);
    if (!ok) {
      gauges_->snapshots_failed.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    Written(state.last_seq(), written, now - before);
    return;
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {
    DetachChild(parent);
    // Below the engine's threads: the child should take the CPU the desk and the journal leave.
    // (On two cores this is not enough: at half the peak a running child still takes p99 from
    // about 28 ms to 300-700 ms, through its copy-on-write faults as much as its CPU; that is why
    // periodic snapshots are not the default, docs/DECISIONS.md.)
    (void)::setpriority(PRIO_PROCESS, 0, 19);
    store_->ForgetLockInChild();
    const std::string bytes = EncodeSnapshot(state, read, event);
    ::_exit(store_->WriteSnapshotFile(state.last_seq(), bytes).ok() ? 0 : 1);
  }
  started_ = std::chrono::steady_clock::now();
  gauges_->snapshot_pause_micros.store(Micros(started_ - before), std::memory_order_relaxed);
  if (pid < 0) {
    gauges_->snapshots_failed.fetch_add(1, std::memory_order_relaxed);
    next_ = started_ + std::chrono::seconds(1);
    return;
  }
  pid_ = pid;
  seq_ = state.last_seq();
}

// A child that has not finished by then is stopped and its snapshot counted failed. A forked child
// can hang on a lock another thread held at the fork: AddressSanitizer's allocator is not kept
// consistent across fork (found in the sanitized crash test: the child waited forever in operator
// delete, and the parent, closing, waited for it). The engine must never wait on that.
constexpr std::chrono::seconds kChildLimit{30};

void SnapshotMaker::Reap(bool wait) {
  if (pid_ == 0) return;
  int status = 0;
  pid_t done = ::waitpid(pid_, &status, WNOHANG);
  while (done == 0 && wait && std::chrono::steady_clock::now() - started_ < kChildLimit) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // closing: polls a child about to end
    done = ::waitpid(pid_, &status, WNOHANG);
  }
  if (done == 0 && std::chrono::steady_clock::now() - started_ < kChildLimit) return;  // still running
  if (done == 0) {
    ::kill(pid_, SIGKILL);
    done = ::waitpid(pid_, &status, 0);
    status = 1 << 8;  // counted failed below; its file is removed at the next open
  }
  pid_ = 0;
  const auto now = std::chrono::steady_clock::now();
  next_ = now + 9 * (now - started_);
  std::uint64_t bytes = 0;
  if (done < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !store_->IngestSnapshotFile(seq_, &bytes).ok()) {
    gauges_->snapshots_failed.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Written(seq_, bytes, now - started_);
}

void SnapshotMaker::WriteNow(const DeskState& state, const ReadModel& read, std::string_view event) {
  const auto started = std::chrono::steady_clock::now();
  const std::string bytes = EncodeSnapshot(state, read, event);
  if (!store_->PutSnapshot(state.last_seq(), bytes).ok()) {
    gauges_->snapshots_failed.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  Written(state.last_seq(), bytes.size(), std::chrono::steady_clock::now() - started);
}

void SnapshotMaker::Written(std::uint64_t seq, std::uint64_t bytes, std::chrono::steady_clock::duration took) {
  gauges_->snapshots.fetch_add(1, std::memory_order_relaxed);
  gauges_->snapshot_last.store(seq, std::memory_order_relaxed);
  gauges_->snapshot_bytes.store(bytes, std::memory_order_relaxed);
  gauges_->snapshot_micros.store(Micros(took), std::memory_order_relaxed);
}

}  // namespace switchboard
