// `switchboard repair`: salvage a database whose log is damaged, and say exactly what was kept and
// what was lost (Engine::Repair does the work).
#include <cstdio>
#include <string>

#include "switchboard/engine.h"
#include "tools/run_command.h"

namespace switchboard::tool {
namespace {

std::string Ranges(const std::vector<SeqRange>& ranges, std::uint64_t* count) {
  std::string out;
  *count = 0;
  for (const SeqRange& r : ranges) {
    if (!out.empty()) out += ", ";
    out += r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + ".." + std::to_string(r.last);
    *count += r.last - r.first + 1;
  }
  return out;
}

}  // namespace

int Repair(const RepairArgs& args) {
  RepairReport report;
  Status s = Engine::Repair(args.db, &report);
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: repair of %s failed: %s\n", args.db.c_str(), s.message().c_str());
    return s.IsNotFound() || s.code() == Status::Code::kBusy ? 2 : 1;
  }
  std::printf("repaired %s\n", args.db.c_str());
  if (report.mark_found && report.acknowledged > 0) {
    std::printf("acknowledged: events 1..%llu (by the acknowledged mark)\n",
                static_cast<unsigned long long>(report.acknowledged));
  } else if (report.mark_found) {
    std::printf("acknowledged: no event (by the acknowledged mark)\n");
  } else {
    std::printf("acknowledged: unknown (%s)\n",
                report.mark_ignored.empty() ? "no acknowledged mark" : report.mark_ignored.c_str());
  }
  if (report.kept > 0) {
    std::printf("kept: events 1..%llu (%llu events)\n", static_cast<unsigned long long>(report.kept),
                static_cast<unsigned long long>(report.kept));
  } else {
    std::printf("kept: no event\n");
  }
  std::uint64_t missing = 0, salvaged = 0;
  std::string missing_ranges = Ranges(report.missing, &missing);
  std::string salvaged_ranges = Ranges(report.salvaged, &salvaged);
  if (missing == 0 && salvaged == 0) std::printf("lost: nothing\n");
  if (missing > 0) {
    std::printf("lost: events %s (%llu events): not in the log, nothing of them is left\n", missing_ranges.c_str(),
                static_cast<unsigned long long>(missing));
  }
  if (salvaged > 0) {
    std::printf("lost: events %s (%llu events): read after a gap, so taken out of the log; written to %s\n",
                salvaged_ranges.c_str(), static_cast<unsigned long long>(salvaged), report.salvage_file.c_str());
  }
  if (!report.recovery_note.empty()) std::printf("note: %s\n", report.recovery_note.c_str());
  std::printf("forgotten commands: %zu%s\n", report.forgotten_commands.size(),
              report.forgotten_commands.empty() ? "" : " (a retry of one is applied again):");
  for (const std::string& id : report.forgotten_commands) std::printf("  %s\n", id.c_str());
  std::printf("rebuilt projections:");
  for (const std::string& name : report.rebuilt) std::printf(" %s", name.c_str());
  if (report.rebuilt.empty()) std::printf(" none (they were where the log is)");
  std::printf("\nverified: %llu events, all projections match the log\n", static_cast<unsigned long long>(report.kept));
  return 0;
}

}  // namespace switchboard::tool
