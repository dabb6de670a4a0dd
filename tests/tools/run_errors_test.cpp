// `switchboard run` answers bad input in a way a program can act on: a line that is not JSON is
// answered with its line number, the parser's position and the id it carried; a line nested
// 100,000 deep is refused without touching the stack, and the run goes on.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "tests/support/events.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

using switchboard::testing::Events;
using switchboard::testing::Subprocess;
using switchboard::testing::TempDir;

namespace {

Events RunFile(const TempDir& dir, const std::string& text, int* rc) {
  const std::string input = dir.Sub("in.jsonl");
  std::ofstream(input) << text;
  Subprocess child({SWITCHBOARD_BIN, "run", "--db", dir.Sub("db"), "--in", input});
  Events events;
  std::string line;
  while (child.ReadLine(&line)) events.push_back(nlohmann::json::parse(line));
  *rc = child.Wait();
  return events;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(run_errors)

BOOST_AUTO_TEST_CASE(a_line_that_is_not_json_is_answered_with_its_line_number_position_and_id) {
  TempDir dir;
  int rc = -1;
  Events events = RunFile(dir,
                          R"({"id":"a","type":"clock.advance","at":"2026-11-23T09:00:00Z"})"
                          "\n\n"
                          R"({"id": "b7", "type": "agent.status", "agent": alice})"
                          "\n",
                          &rc);
  BOOST_TEST(rc == 0);
  BOOST_REQUIRE(events.size() == 2u);
  const nlohmann::json& refused = events[1];
  BOOST_TEST(refused["type"] == "command.rejected");
  BOOST_TEST(refused["line"] == 3);  // blank lines count: it is the file's third line
  BOOST_TEST(refused["cmd"] == "b7");
  BOOST_TEST(refused["error"].get<std::string>().find("at byte 47") != std::string::npos, refused["error"]);
  BOOST_TEST(refused["at"] == "2026-11-23T09:00:00Z");
}

BOOST_AUTO_TEST_CASE(a_profile_nested_100000_deep_is_refused_and_the_run_goes_on) {
  TempDir dir;
  std::string deep = R"({"id":"d","type":"contact.message","contact":"ann","channel":"messaging","text":"hi",)"
                     R"("at":"2026-11-23T09:00:00Z","profile":{"x":)" +
                     std::string(100000, '[') + std::string(100000, ']') + "}}\n";
  deep +=
      R"({"id":"e","type":"contact.message","contact":"ann","channel":"email","text":"hi","at":"2026-11-23T09:01:00Z"})"
      "\n";
  int rc = -1;
  Events events = RunFile(dir, deep, &rc);
  BOOST_TEST(rc == 0);
  BOOST_REQUIRE(!events.empty());
  BOOST_TEST(events[0]["type"] == "command.rejected");
  BOOST_TEST(events[0]["field"] == "profile");
  BOOST_TEST(events[0]["line"] == 1);
  BOOST_TEST(events.back()["cmd"] == "e");  // the next line is applied
}

BOOST_AUTO_TEST_SUITE_END()
