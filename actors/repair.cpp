// Engine::Repair (include/switchboard/engine.h): salvage a database whose log is damaged
// (storage/salvage.h), then open the result as a normal start and verify it.
#include "storage/salvage.h"
#include "switchboard/engine.h"

namespace switchboard {

Status Engine::Repair(const std::string& db_path, RepairReport* report) {
  *report = RepairReport();
  if (db_path.empty()) return Status::InvalidArgument("no database directory given (--db DIR)");
  Status s = SalvageLog(db_path, report);
  if (!s.ok()) return s;
  // A writing open: the repaired log must pass every check of a normal start, and the projections
  // that reflect events no longer in the log (all of them, when anything was cut) are rebuilt from
  // it. Then the result is checked as `replay --verify` does.
  Options options;
  options.db_path = db_path;
  std::unique_ptr<Engine> engine;
  s = Engine::Open(options, &engine);
  if (!s.ok()) return Status::Corruption("the repaired database does not open: " + s.message());
  s = engine->WaitForRebuilds();
  if (!s.ok()) return s;
  std::string differences;
  s = engine->Replay(/*verify=*/true, nullptr, &differences);
  if (!s.ok()) return Status::Corruption("the repaired database does not verify: " + s.message() + "\n" + differences);
  return Status::OK();
}

}  // namespace switchboard
