// OpenEngine: Engine::Open over a store that uses a given RocksDB Env. Engine::Open passes none;
// tests pass an Env that injects faults (a full disk, a failing read) to see how the engine fails.
// Not part of the public API. Thread-safety: as Engine::Open.
#pragma once

#include <memory>

#include "switchboard/engine.h"

namespace rocksdb {
class Env;
}

namespace switchboard {

// `env` null: RocksDB's default Env.
Status OpenEngine(const Options& options, rocksdb::Env* env, std::unique_ptr<Engine>* out);

}  // namespace switchboard
