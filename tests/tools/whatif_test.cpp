// What-if (B76): a recorded day's arrivals through a scratch desk under another configuration, with
// agents simulated from the measured times: deterministic for a seed, moved by the configuration the
// way it should be, and the recorded database never written.
#include "tools/whatif/whatif.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "events/command.h"
#include "events/event_json.h"
#include "rules/domain/desk.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tools/day/day.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::Subprocess;
using switchboard::testing::TempDir;

namespace {

// A seeded demo day of 300 conversations, decided by a desk of its own: the log's events as JSON.
std::vector<std::string> RecordedDay(std::vector<std::string>* lines = nullptr) {
  DayOptions options;
  options.seed = 7;
  options.conversations = 300;
  DeskState state;
  Desk desk(&state);
  std::vector<Event> events;
  (void)desk.ApplyConfiguration(DemoConfig(), 0, &events);
  GenerateDay(options, DemoConfig(), [&](const std::string& line) {
    if (lines) lines->push_back(line);
    desk.Handle(ParseCommand(line), 0, &events);
  });
  std::vector<std::string> out;
  for (const Event& e : events) out.push_back(EventToJson(e));
  return out;
}

json Total(const WhatIfResult& r) { return json::parse(r.analytics)["total"]; }

std::string FileBytes(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(whatif)

BOOST_AUTO_TEST_CASE(B76_the_same_seed_gives_the_same_report_and_more_capacity_shortens_the_waits) {
  const std::vector<std::string> recorded = RecordedDay();
  WhatIfOptions options;
  options.config = DemoConfig();
  options.seed = 3;
  WhatIfResult first, again;
  BOOST_REQUIRE(RunWhatIf(recorded, options, &first).ok());
  BOOST_REQUIRE(RunWhatIf(recorded, options, &again).ok());
  BOOST_TEST(first.analytics == again.analytics);  // byte for byte
  BOOST_TEST(first.simulated_actions > 0u);
  BOOST_TEST(Total(first)["tickets"].get<int>() > 50);

  // Every agent with three times the messaging capacity: waits can only shrink.
  json config = json::parse(DemoConfig());
  for (json& a : config["agents"]) a["capacity"]["messaging"] = 3 * a["capacity"].value("messaging", 3);
  options.config = config.dump();
  WhatIfResult roomier;
  BOOST_REQUIRE(RunWhatIf(recorded, options, &roomier).ok());
  BOOST_TEST(Total(roomier)["wait_s"]["mean"].get<double>() <= Total(first)["wait_s"]["mean"].get<double>());
  BOOST_TEST(Total(roomier)["tickets"] == Total(first)["tickets"]);  // the same arrivals
}

BOOST_AUTO_TEST_CASE(B76_an_sla_policy_tried_on_a_recorded_day_is_measured_and_a_refused_configuration_says_why) {
  const std::vector<std::string> recorded = RecordedDay();
  json config = json::parse(DemoConfig());
  config["sla_policies"] = json::parse(R"([{"id": "tight", "targets": [
      {"metric": "first_reply", "priority": "low", "target_minutes": 1},
      {"metric": "first_reply", "priority": "normal", "target_minutes": 1},
      {"metric": "first_reply", "priority": "high", "target_minutes": 1},
      {"metric": "first_reply", "priority": "urgent", "target_minutes": 1}]}])");
  WhatIfOptions options;
  options.config = config.dump();
  WhatIfResult tight;
  BOOST_REQUIRE(RunWhatIf(recorded, options, &tight).ok());
  const json total = Total(tight);
  const json& first = total.at("sla").at("first_reply");
  BOOST_TEST(first["met"].get<int>() + first["missed"].get<int>() > 0);
  BOOST_TEST(first["missed"].get<int>() > 0);  // one minute is too little for a queue

  options.config = R"({"groups": []})";
  WhatIfResult refused;
  Status s = RunWhatIf(recorded, options, &refused);
  BOOST_TEST(!s.ok());
  BOOST_TEST(s.message().find("groups") != std::string::npos, s.message());
}

BOOST_AUTO_TEST_CASE(B76_the_command_prints_both_sides_and_never_writes_the_recorded_database) {
  TempDir dir;
  std::vector<std::string> lines;
  RecordedDay(&lines);
  const std::string input = dir.Sub("day.jsonl"), config = dir.Sub("demo.json"), db = dir.Sub("db");
  {
    std::ofstream in(input);
    for (const std::string& l : lines) in << l << '\n';
    std::ofstream(config) << DemoConfig();
  }
  {
    Subprocess run({SWITCHBOARD_BIN, "run", "--db", db, "--config", config, "--in", input});
    std::string event;
    while (run.ReadLine(&event)) {
    }
    BOOST_REQUIRE_EQUAL(run.Wait(), 0);
  }
  std::map<std::string, std::string> before;
  for (const auto& f : std::filesystem::directory_iterator(db)) before[f.path().filename()] = FileBytes(f.path());

  std::string table, line;
  Subprocess whatif({SWITCHBOARD_BIN, "whatif", "--db", db, "--config", config, "--seed", "3"});
  while (whatif.ReadLine(&line)) table += line + "\n";
  BOOST_REQUIRE_EQUAL(whatif.Wait(), 0);
  BOOST_TEST(table.find("recorded      what-if") != std::string::npos, table);
  BOOST_TEST(table.find("wait mean (s)") != std::string::npos);

  std::map<std::string, std::string> after;
  for (const auto& f : std::filesystem::directory_iterator(db)) after[f.path().filename()] = FileBytes(f.path());
  BOOST_TEST((before == after));  // not a byte written, not a file added
}

BOOST_AUTO_TEST_SUITE_END()
