// Workload: a seeded, deterministic day of contact-centre traffic as PROTOCOL.md command lines.
//
// Agents in groups (every agent also in the "triage" fallback group) go online and away; contacts
// write in on messaging or email; agents take tickets, reply, set them pending or solved, end
// sessions; contacts come back; time passes so inactivity fires; a few lines are malformed. The same
// options give the same lines, byte for byte. Pure, thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace switchboard {

struct WorkloadOptions {
  std::uint64_t seed = 1;
  std::uint64_t commands = 100000;  // lines to write
  int agents = 40;
  int groups = 4;
  std::string start = "2026-11-23T08:00:00Z";
  double malformed = 0.001;   // share of lines that are not valid commands
  bool default_rules = true;  // the configuration carries the default triggers, automation and macro
};

// The configuration the workload's agents and groups need.
std::string WorkloadConfig(const WorkloadOptions& options);

// Calls `line` once per command, in order.
void GenerateWorkload(const WorkloadOptions& options, const std::function<void(const std::string&)>& line);

}  // namespace switchboard
