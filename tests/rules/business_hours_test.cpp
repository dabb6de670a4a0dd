// B4, B10: groups' business hours in an IANA time zone, as conditions (`open.GROUP`) and in texts.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "rules/config.h"

using namespace switchboard;
using nlohmann::json;

namespace {

Timestamp At(const char* rfc3339) { return *ParseRfc3339(rfc3339); }

}  // namespace

BOOST_AUTO_TEST_SUITE(business_hours)

BOOST_AUTO_TEST_CASE(B4_B10_a_group_is_open_during_its_hours_in_its_own_time_zone) {
  Configuration config;
  Status s = ParseConfiguration(R"({"groups": [
      {"id": "support", "hours": {"tz": "Europe/Paris", "mon-fri": "09:00-18:00", "sat": "10:00-12:00"}},
      {"id": "night"}]})",
                                &config);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(config.FindGroup("support")->hours->text == "mon-fri 09:00-18:00, sat 10:00-12:00 (Europe/Paris)");
  // 2026-11-23 is a Monday; Paris is UTC+1 in November.
  BOOST_TEST(!config.GroupOpen("support", At("2026-11-23T07:59:00Z")));  // 08:59 in Paris
  BOOST_TEST(config.GroupOpen("support", At("2026-11-23T08:00:00Z")));   // 09:00
  BOOST_TEST(config.GroupOpen("support", At("2026-11-23T16:59:00Z")));   // 17:59
  BOOST_TEST(!config.GroupOpen("support", At("2026-11-23T17:00:00Z")));  // 18:00
  BOOST_TEST(config.GroupOpen("support", At("2026-11-28T09:30:00Z")));   // Saturday 10:30
  BOOST_TEST(!config.GroupOpen("support", At("2026-11-29T09:30:00Z")));  // Sunday
  BOOST_TEST(config.GroupOpen("night", At("2026-11-29T03:00:00Z")));     // no hours: always open
  BOOST_TEST(!config.GroupOpen("nowhere", At("2026-11-23T10:00:00Z")));
}

BOOST_AUTO_TEST_CASE(B46_broken_hours_are_refused_with_the_path) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"tz": "Mars/Olympus", "mon": "09:00-18:00"})", "groups[0].hours.tz"},
      {R"({"mon": "09:00-18:00"})", "groups[0].hours.tz"},
      {R"({"tz": "Europe/Paris", "monday": "09:00-18:00"})", "groups[0].hours.monday"},
      {R"({"tz": "Europe/Paris", "mon-xyz": "09:00-18:00"})", "groups[0].hours.mon-xyz"},
      {R"({"tz": "Europe/Paris", "mon": "9-18"})", "groups[0].hours.mon"},
      {R"({"tz": "Europe/Paris", "mon": "18:00-09:00"})", "groups[0].hours.mon"},
      {R"({"tz": "Europe/Paris", "mon": "09:00-25:00"})", "groups[0].hours.mon"},
      {R"({"tz": "Europe/Paris", "mon": 9})", "groups[0].hours.mon"},
      {R"("always")", "groups[0].hours"},
  };
  for (const auto& [hours, path] : cases) {
    json doc = {{"groups", json::array({{{"id", "support"}, {"hours", json::parse(hours)}}})}};
    Configuration config;
    Status s = ParseConfiguration(doc.dump(), &config);
    BOOST_TEST_CONTEXT(hours) {
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.message().rfind(path + ": ", 0) == 0, s.message());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
