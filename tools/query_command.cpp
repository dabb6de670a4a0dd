// `switchboard query` and `switchboard replay`: read the store through the engine's read-only mode.
#include <cstdio>
#include <unistd.h>

#include "switchboard/engine.h"
#include "tools/run_command.h"

namespace switchboard::tool {
namespace {

int OpenReadOnly(const std::string& db, std::unique_ptr<Engine>* engine) {
  Options options;
  options.db_path = db;
  options.read_only = true;
  Status s = Engine::Open(options, engine);
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }
  return 0;
}

bool PrintLine(const std::string& line) {
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fputc('\n', stdout);
  return true;
}

}  // namespace

int Query(const QueryArgs& args) {
  std::unique_ptr<Engine> engine;
  if (int rc = OpenReadOnly(args.db, &engine)) return rc;
  Status s;
  if (!args.what.empty() && args.what[0] == "audit") {
    if (args.what.size() != 3) {
      std::fprintf(stderr, "switchboard: audit needs a kind and an id: audit ticket|conversation|contact|agent ID\n");
      return 2;
    }
    s = engine->Audit(args.what[1], args.what[2], PrintLine);
  } else {
    std::string out;
    if (args.what.size() == 1 && args.what[0] == "staffing") {
      Engine::StaffingQuery q;
      q.from = args.from;
      q.to = args.to;
      q.interval = args.interval;
      q.service_level = args.service_level;
      q.concurrency = args.concurrency;
      q.channel = args.channel;
      q.csv = args.csv;
      q.as_of = args.as_of;
      s = engine->Staffing(q, &out);
      if (s.ok() && args.csv) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
      }
    } else if (!args.as_of.empty()) {
      s = engine->QueryAsOf(args.what, args.as_of, &out);
    } else if (args.what.size() == 1 && args.what[0] == "analytics") {
      s = engine->Analytics(args.from, args.to, args.by, args.csv, &out);
      if (s.ok() && args.csv) {
        std::fwrite(out.data(), 1, out.size(), stdout);
        return 0;
      }
    } else {
      s = engine->Query(args.what, &out);
    }
    if (s.ok()) PrintLine(out);
  }
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return s.IsNotFound() ? 1 : 2;
  }
  return 0;
}

int Replay(const ReplayArgs& args) {
  std::unique_ptr<Engine> engine;
  if (int rc = OpenReadOnly(args.db, &engine)) return rc;
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  ReplayProgress progress = [terminal](std::uint64_t done, std::uint64_t total) {
    if (!terminal || total == 0) return;
    int width = 40, filled = static_cast<int>(width * done / total);
    std::fprintf(stderr, "\r[%.*s%*s] %llu/%llu events", filled,
                 "========================================", width - filled, "", static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total));
    if (done == total) std::fputc('\n', stderr);
  };
  std::string report;
  if (!args.projections.empty() && !args.verify) {
    Status s = engine->Rebuild(args.projections, progress);
    if (!s.ok()) {
      std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
      return 2;
    }
    std::printf("replayed: %llu events, rebuilt projections:", static_cast<unsigned long long>(engine->LastSeq()));
    for (const std::string& name : args.projections) std::printf(" %s", name.c_str());
    std::printf("\n");
    return 0;
  }
  Status s = engine->Replay(args.verify, progress, &report);
  if (s.ok()) {
    std::printf("%s: %llu events, all projections %s\n", args.verify ? "verified" : "replayed",
                static_cast<unsigned long long>(engine->LastSeq()), args.verify ? "match the log" : "rebuilt");
    return 0;
  }
  std::fprintf(stderr, "switchboard: %s\n%s", s.message().c_str(), report.c_str());
  return 1;
}

}  // namespace switchboard::tool
