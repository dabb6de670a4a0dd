// The exact event output of fixed inputs, as SHA-256 digests: the demo day and two generated days
// through `switchboard run`. A change meant to keep behaviour (a refactor, a speed-up) must keep
// these bytes; a change that alters output on purpose updates the digests in the same commit and
// says why. Reproduce one with:
//   switchboard generate --day --seed S --conversations N --config-out cfg.json > in.jsonl
//   switchboard run --db DIR --config cfg.json --in in.jsonl | sha256sum
#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <string>

#include "tests/support/temp_dir.h"

using switchboard::testing::TempDir;

namespace {

struct GoldenDay {
  const char* what;
  int seed;
  int conversations;
  const char* sha256;
  const char* run_options = "";
};

// The shell pipeline above, in a fresh directory; its sha256sum output's first word.
std::string DigestOf(const GoldenDay& day) {
  TempDir dir;
  const std::string bin = SWITCHBOARD_BIN;
  const std::string command = "cd '" + dir.path() + "' && '" + bin + "' generate --day --seed " +
                              std::to_string(day.seed) + " --conversations " + std::to_string(day.conversations) +
                              " --config-out cfg.json > in.jsonl && '" + bin +
                              "' run --db db --config cfg.json --in in.jsonl " + day.run_options + " | sha256sum";
  FILE* pipe = ::popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe != nullptr);
  char buffer[128] = {};
  std::string out = std::fgets(buffer, sizeof buffer, pipe) ? buffer : "";
  BOOST_TEST(::pclose(pipe) == 0);
  return out.substr(0, out.find(' '));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden_days)

BOOST_AUTO_TEST_CASE(the_same_inputs_give_byte_identical_events_release_after_release) {
  const GoldenDay days[] = {
      {"the demo's day (switchboard demo)", 42, 3000,
       "9c92a637a2c6a5ae1c5a92f74743cc5431f42ce68fff0156b0f43c140b020fbf"},
      {"a generated day", 7, 1500, "41c78e276bf67fc3137af373aaf60cc6399886209e878f7db2ff8b9b499bf64c"},
      {"another generated day", 2026, 1500, "582c0facedc5c8dd8cf58660b70afd41d1c9d0ef5b8ceffa278ab4523ffdf5b4"},
      // Conversation actors passivated as soon as what they hold is durable (one command in flight:
      // after every command), so each is restored from its stream when the contact writes again.
      {"a generated day, conversation actors passivated at once", 7, 1500,
       "41c78e276bf67fc3137af373aaf60cc6399886209e878f7db2ff8b9b499bf64c",
       "--conversation-idle-ms 0 --max-in-flight 1 --durability buffered"},
  };
  for (const GoldenDay& day : days) {
    BOOST_TEST_CONTEXT(day.what << ", seed " << day.seed) { BOOST_TEST(DigestOf(day) == day.sha256); }
  }
}

BOOST_AUTO_TEST_SUITE_END()
