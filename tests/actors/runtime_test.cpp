// Many engines in one process (issue 13): independent desks opened on one shared Runtime (one actor
// system, one clock, one block cache). Each keeps its own log; closing one leaves the others
// working; the runtime's clock stamps the commands that carry no time.
#include "switchboard/runtime.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

#include "switchboard/engine.h"
#include "tests/support/log.h"
#include "tests/support/temp_dir.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;

namespace {

class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t now) : now_(now) {}
  std::int64_t NowMillis() override { return now_; }

 private:
  std::int64_t now_;
};

std::unique_ptr<Engine> OpenOn(const std::shared_ptr<Runtime>& runtime, const std::string& dir) {
  Options options;
  options.db_path = dir;
  options.config_json = R"({"groups": [{"id": "support"}]})";
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, runtime, &engine);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  return engine;
}

std::string Hello(const std::string& id, const std::string& contact) {
  return json{{"id", id}, {"type", "contact.message"}, {"contact", contact}, {"channel", "email"}, {"text", "hi"}}
      .dump();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(runtime)

BOOST_AUTO_TEST_CASE(desks_on_one_runtime_keep_their_own_logs_and_outlive_each_other) {
  TempDir dir;
  RuntimeOptions options;
  options.clock = std::make_shared<FixedClock>(1795424400000);  // 2026-11-23T09:00:00Z
  std::shared_ptr<Runtime> runtime = Runtime::Create(options);
  auto acme = OpenOn(runtime, dir.Sub("acme"));
  auto globex = OpenOn(runtime, dir.Sub("globex"));
  BOOST_TEST(runtime->Engines() == 2u);

  Acknowledgement a = acme->Execute(Hello("x", "ann"));
  Acknowledgement g = globex->Execute(Hello("x", "bob"));  // the same id: another desk, not a duplicate
  BOOST_TEST(a.status.ok());
  BOOST_TEST(!g.duplicate);
  json first = json::parse(a.EventsAsJson().front());
  BOOST_TEST(first["at"] == "2026-11-23T09:00:00Z");  // the runtime's clock, for a command without `at`
  BOOST_TEST(json::parse(g.EventsAsJson().front())["seq"] == first["seq"]);  // each log starts at its own 1

  acme.reset();  // one desk closes; the other goes on, on the same actor system
  BOOST_TEST(runtime->Engines() == 1u);
  Acknowledgement more = globex->Execute(Hello("y", "cat"));
  BOOST_TEST(more.status.ok());
  BOOST_TEST(!more.events.empty());
  globex.reset();
  BOOST_TEST(runtime->Engines() == 0u);

  std::vector<std::string> acme_log = switchboard::testing::LogOf(dir.Sub("acme"), true);
  std::vector<std::string> globex_log = switchboard::testing::LogOf(dir.Sub("globex"), true);
  for (const std::string& e : acme_log) BOOST_TEST(e.find("\"bob\"") == std::string::npos);
  for (const std::string& e : globex_log) BOOST_TEST(e.find("\"ann\"") == std::string::npos);
  BOOST_TEST(globex_log.size() > acme_log.size());
}

BOOST_AUTO_TEST_SUITE_END()
