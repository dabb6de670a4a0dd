// The log of a database as tests read it: every event's JSON, through a read-only engine, and, with
// `verify`, a verified replay of it (the projections equal what the log says).
#pragma once

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "switchboard/engine.h"

namespace switchboard::testing {

inline std::vector<std::string> LogOf(const std::string& db, bool verify = false) {
  Options options;
  options.db_path = db;
  options.read_only = true;
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  std::vector<std::string> log;
  s = engine->ReadEvents(1, [&](const std::string& e) {
    log.push_back(e);
    return true;
  });
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  if (verify) {
    std::string report;
    Status verified = engine->Replay(/*verify=*/true, nullptr, &report);
    BOOST_TEST(verified.ok(), "replay --verify: " << verified.message() << "\n" << report);
  }
  return log;
}

}  // namespace switchboard::testing
