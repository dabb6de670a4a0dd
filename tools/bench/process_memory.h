// What this process holds in memory, as the benchmark programs report it.
#pragma once

#include <malloc.h>

#include <fstream>
#include <string>

namespace switchboard::bench {

// VmRSS of this process, in bytes, after giving free heap pages back to the system.
inline long long ResidentBytes() {
  malloc_trim(0);
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

// Bytes the malloc heap holds for the program (the main arena and mmapped chunks; with one arena,
// MALLOC_ARENA_MAX=1, everything).
inline long long HeapInUse() {
  struct mallinfo2 m = mallinfo2();
  return static_cast<long long>(m.uordblks + m.hblkhd);
}

}  // namespace switchboard::bench
