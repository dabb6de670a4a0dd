// Metrics: what `GET /metrics` says (Prometheus text format 0.0.4): requests and commands served,
// answers by status, answer latency as a histogram, open connections and streams, refusals, and the
// engine's own figures (last seq, memory). Counters are atomics, written by the server's threads.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "switchboard/engine.h"

namespace switchboard::serve {

class Metrics {
 public:
  std::atomic<std::uint64_t> requests{0}, commands{0}, refused_connections{0}, dropped_streams{0};
  std::atomic<std::int64_t> streams{0};

  // One answer sent, `elapsed` after its request was read.
  void Answered(int status, std::chrono::steady_clock::duration elapsed);
  std::string Render(Engine& engine, std::size_t connections) const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.002, 0.005, 0.01, 0.02,
                                                   0.05,   0.1,   0.2,   0.5,   1.0,  5.0};
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> latency_{};  // the last: +Inf
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::array<std::atomic<std::uint64_t>, 6> by_class_{};  // 1xx .. 5xx by first digit
};

}  // namespace switchboard::serve
