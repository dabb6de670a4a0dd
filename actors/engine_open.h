// OpenEngine: Engine::Open over a store that uses a given RocksDB Env. Engine::Open passes none;
// tests pass an Env that injects faults (a full disk, a failing read) to see how the engine fails.
// Not part of the public API. Thread-safety: as Engine::Open.
#pragma once

#include <memory>

#include "switchboard/engine.h"
#include "switchboard/runtime.h"

namespace rocksdb {
class Env;
}

namespace switchboard {

// `runtime` null: a private one. `env` null: RocksDB's default Env.
Status OpenEngine(const Options& options, std::shared_ptr<Runtime> runtime, rocksdb::Env* env,
                  std::unique_ptr<Engine>* out);

}  // namespace switchboard
