// `switchboard whatif`: the recorded arrivals of a period through a scratch desk under another
// configuration (tools/whatif/whatif.h), printed beside what really happened. The database is opened
// read-only and never written.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "events/time.h"
#include "switchboard/engine.h"
#include "tools/run_command.h"
#include "tools/whatif/whatif.h"

namespace switchboard::tool {
namespace {

int Fail(const std::string& message, int code) {
  std::fprintf(stderr, "switchboard: %s\n", message.c_str());
  return code;
}

}  // namespace

int WhatIf(const WhatIfArgs& args) {
  std::ifstream in(args.config);
  if (!in) return Fail("cannot read the configuration " + args.config, 2);
  WhatIfOptions options;
  options.config.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  options.seed = args.seed;
  for (const auto& [text, slot, flag] :
       {std::tuple{&args.from, &options.from, "--from"}, std::tuple{&args.to, &options.to, "--to"}}) {
    if (text->empty()) continue;
    std::optional<Timestamp> t = ParseRfc3339(*text);
    if (!t) return Fail(std::string(flag) + ": expected an RFC 3339 time; got \"" + *text + "\"", 2);
    *slot = *t;
  }
  Options open;
  open.db_path = args.db;
  open.read_only = true;
  open.untouched = true;  // not a byte of the recorded database changes
  std::unique_ptr<Engine> engine;
  if (Status s = Engine::Open(open, &engine); !s.ok()) return Fail(s.message(), 2);
  std::vector<std::string> recorded;
  Status s = engine->ReadEvents(1, [&](const std::string& e) {
    recorded.push_back(e);
    return true;
  });
  if (!s.ok()) return Fail(s.message(), 1);
  std::string real;
  s = engine->Analytics(args.from, args.to, "", false, &real);
  if (!s.ok()) return Fail(s.message(), 1);
  WhatIfResult result;
  s = RunWhatIf(recorded, options, &result);
  if (!s.ok()) return Fail(s.message(), 2);
  if (args.json) {
    nlohmann::json out = {{"recorded", nlohmann::json::parse(real)},
                          {"whatif", nlohmann::json::parse(result.analytics)},
                          {"commands", result.commands},
                          {"events", result.events},
                          {"simulated_actions", result.simulated_actions}};
    std::printf("%s\n", out.dump().c_str());
    return 0;
  }
  std::printf("What-if over %s .. %s, seed %llu: %llu commands (%llu simulated agent actions), %llu events\n\n",
              args.from.empty() ? "the first event" : args.from.c_str(), args.to.empty() ? "the last" : args.to.c_str(),
              static_cast<unsigned long long>(args.seed), static_cast<unsigned long long>(result.commands),
              static_cast<unsigned long long>(result.simulated_actions),
              static_cast<unsigned long long>(result.events));
  std::fputs(CompareTable(real, result.analytics).c_str(), stdout);
  return 0;
}

}  // namespace switchboard::tool
