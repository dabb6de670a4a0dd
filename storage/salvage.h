// SalvageLog: the storage half of `switchboard repair` (Engine::Repair). Opens the store in `dir` with
// a tolerant recovery, keeps the longest gap-free prefix of the log, writes the events after a gap
// to DIR/salvage-TIME.jsonl (fsynced before anything is deleted), cuts the log there, forgets the
// command ids and stream entries past the cut, and fills `report` with what was kept and lost. The
// store is closed when it returns; the projections are left for the next open to rebuild.
#pragma once

#include <string>

#include "switchboard/engine.h"

namespace switchboard {

Status SalvageLog(const std::string& dir, RepairReport* report);

}  // namespace switchboard
