// CPU time of this whole process, as the benchmark charges it to a phase: every thread's, RocksDB's
// background flushes and compactions included, so the engine and the raw writer, both run in this
// process, are charged alike.
#pragma once

#include <sys/resource.h>

namespace switchboard::bench {

// User plus system seconds of every thread of this process so far (getrusage RUSAGE_SELF).
inline double CpuSeconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

}  // namespace switchboard::bench
