// The `switchboard` command line as a user runs it, in child processes: the same input gives the same
// events; bad lines are answered and the run goes on; SIGKILL at any point loses no acknowledged event,
// leaves no gap and no half command, and a re-run applies each command exactly once; a damaged log is
// refused with a sentence and `repair` salvages it; usage errors exit 2; readers create nothing.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "switchboard/engine.h"
#include "tests/support/log.h"
#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"
#include "tools/day/workload.h"

using namespace switchboard;
using switchboard::testing::LogOf;
using switchboard::testing::Subprocess;
using switchboard::testing::TempDir;

namespace {

struct Workload {
  std::string config, input;
  std::size_t commands;
};

// With `keep_lines_without_id` false, lines that carry no id are left out: a re-run cannot know it has
// seen such a line before, so it answers it again, and "exactly once" is only defined for commands.
Workload WriteWorkload(const TempDir& dir, std::uint64_t commands, bool keep_lines_without_id = true) {
  WorkloadOptions options;
  options.commands = commands;
  options.agents = 12;
  options.malformed = 0.01;
  Workload w{dir.Sub("config.json"), dir.Sub("input.jsonl"), 0};
  std::ofstream(w.config) << WorkloadConfig(options);
  std::ofstream in(w.input);
  GenerateWorkload(options, [&](const std::string& line) {
    if (!keep_lines_without_id && line.find("\"id\"") == std::string::npos) return;
    in << line << '\n';
    ++w.commands;
  });
  return w;
}

std::vector<std::string> RunAll(const std::string& db, const Workload& w, int* exit_code = nullptr,
                                const std::string& snapshot_every = "0") {
  Subprocess child(
      {SWITCHBOARD_BIN, "run", "--db", db, "--config", w.config, "--in", w.input, "--snapshot-every", snapshot_every});
  std::vector<std::string> lines;
  std::string line;
  while (child.ReadLine(&line)) lines.push_back(line);
  int rc = child.Wait();
  if (exit_code) *exit_code = rc;
  return lines;
}

// What a finished child printed on each stream, and its exit code.
struct Finished {
  int code = -1;
  std::string out, err;
};

Finished RunToEnd(std::vector<std::string> args) {
  TempDir files;
  const std::string out = files.Sub("out"), err = files.Sub("err");
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(o, STDOUT_FILENO);
    ::dup2(e, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  auto read = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status), read(out), read(err)};
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Runs the workload and kills the run (SIGKILL) once `after` events were acknowledged; returns them.
// Small groups (--max-group 16): the WAL then holds many records, so a damage in the middle of the
// acknowledged ones leaves some before it and some after it.
std::vector<std::string> RunAndKill(const std::string& db, const Workload& w, std::size_t after) {
  std::vector<std::string> acknowledged;
  Subprocess child({SWITCHBOARD_BIN, "run", "--db", db, "--config", w.config, "--in", w.input, "--max-group", "16"});
  std::string line;
  while (acknowledged.size() < after && child.ReadLine(&line)) acknowledged.push_back(line);
  child.Kill();
  return acknowledged;
}

// The newest WAL file holding data (RocksDB numbers them with zero-padded, increasing numbers).
std::string NewestWal(const std::string& db) {
  std::vector<std::string> wals;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    if (entry.path().extension() == ".log" && entry.file_size() > 0) wals.push_back(entry.path().string());
  }
  std::sort(wals.begin(), wals.end());
  return wals.empty() ? "" : wals.back();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_line)

BOOST_AUTO_TEST_CASE(version_prints_the_version_and_every_usage_error_exits_2) {
  Finished version = RunToEnd({SWITCHBOARD_BIN, "--version"});
  BOOST_TEST(version.code == 0);
  BOOST_TEST(version.out.rfind("switchboard ", 0) == 0u, version.out);
  BOOST_TEST(version.out.size() > 13u);
  BOOST_TEST(std::isdigit(static_cast<unsigned char>(version.out[12])));
  BOOST_TEST(RunToEnd({SWITCHBOARD_BIN, "--help"}).code == 0);
  BOOST_TEST(RunToEnd({SWITCHBOARD_BIN, "query", "--help"}).code == 0);
  TempDir dir;
  const std::vector<std::vector<std::string>> usage_errors{
      {SWITCHBOARD_BIN},                                                             // no subcommand
      {SWITCHBOARD_BIN, "frobnicate"},                                               // unknown subcommand
      {SWITCHBOARD_BIN, "query", "monitor"},                                         // --db missing
      {SWITCHBOARD_BIN, "run", "--db", dir.Sub("db"), "--durability", "sometimes"},  // a value not allowed
      {SWITCHBOARD_BIN, "replay", "--db", dir.Sub("db"), "--frobnicate"},            // an unknown option
      {SWITCHBOARD_BIN, "generate", "--commands", "many"},                           // not a number
  };
  for (const auto& args : usage_errors) {
    Finished f = RunToEnd(args);
    BOOST_TEST(f.code == 2, args.back() << ": exit " << f.code);
    BOOST_TEST(!f.err.empty(), args.back() << ": nothing on stderr");
  }
  BOOST_TEST(!std::filesystem::exists(dir.Sub("db")));
}

BOOST_AUTO_TEST_CASE(readers_pointed_at_a_directory_without_a_database_say_so_and_create_nothing) {
  TempDir dir;
  const std::string missing = dir.Sub("missing"), empty = dir.Sub("empty");
  std::filesystem::create_directories(empty);
  for (const std::string& db : {missing, empty}) {
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{SWITCHBOARD_BIN, "query", "--db", db, "monitor"},
                                               {SWITCHBOARD_BIN, "query", "--db", db, "audit", "ticket", "1"},
                                               {SWITCHBOARD_BIN, "replay", "--db", db},
                                               {SWITCHBOARD_BIN, "replay", "--db", db, "--verify"},
                                               {SWITCHBOARD_BIN, "repair", "--db", db}}) {
      Finished f = RunToEnd(args);
      BOOST_TEST(f.code == 2, args[1] << " on " << db << ": exit " << f.code);
      BOOST_TEST(Contains(f.err, "no database at " + db), args[1] << ": " << f.err);
      BOOST_TEST(f.out.empty());
    }
  }
  BOOST_TEST(!std::filesystem::exists(missing));
  BOOST_TEST(std::filesystem::is_empty(empty));
}

// The tester's case: a run killed, then its newest WAL cut to half or 64 bytes flipped in its middle.
// Readers refuse with the damage instead of answering from the projections; repair salvages what is
// left; and re-running the input completes the log as an undamaged run would have.
BOOST_AUTO_TEST_CASE(a_damaged_log_is_refused_by_query_and_replay_and_repair_salvages_it) {
  TempDir dir;
  Workload w = WriteWorkload(dir, 3000, /*keep_lines_without_id=*/false);
  const auto reference = RunAll(dir.Sub("reference"), w);
  for (const char* damage : {"cut", "flip"}) {
    BOOST_TEST_MESSAGE("damage: " << damage);
    const std::string db = dir.Sub(damage);
    const std::vector<std::string> acknowledged = RunAndKill(db, w, 4000);
    BOOST_REQUIRE(acknowledged.size() == 4000u);
    const std::string wal = NewestWal(db);
    BOOST_REQUIRE(!wal.empty());
    // The damage lands on a command acknowledged halfway: found by its id in the WAL's bytes (the
    // middle of the file may hold only the last group, which can be large and was never acknowledged).
    const std::string id = nlohmann::json::parse(acknowledged[2000])["cmd"];
    std::string bytes;
    {
      std::ifstream in(wal, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    const std::size_t at = bytes.find(id);
    BOOST_REQUIRE(at != std::string::npos && at + 64 < bytes.size());
    if (std::string(damage) == "cut") {
      std::filesystem::resize_file(wal, at);
    } else {
      std::fstream f(wal, std::ios::in | std::ios::out | std::ios::binary);
      char block[64];
      f.seekg(static_cast<std::streamoff>(at));
      f.read(block, sizeof block);
      for (char& b : block) b = static_cast<char>(~b);
      f.seekp(static_cast<std::streamoff>(at));
      f.write(block, sizeof block);
    }
    const std::string sentence = std::string(damage) == "cut" ? "acknowledged events are missing" : " is damaged";
    const std::string wal_name = std::filesystem::path(wal).filename().string();
    for (const std::vector<std::string>& args :
         std::vector<std::vector<std::string>>{{SWITCHBOARD_BIN, "replay", "--db", db, "--verify"},
                                               {SWITCHBOARD_BIN, "replay", "--db", db},
                                               {SWITCHBOARD_BIN, "query", "--db", db, "monitor"},
                                               {SWITCHBOARD_BIN, "query", "--db", db, "ticket", "1"}}) {
      Finished f = RunToEnd(args);
      BOOST_TEST(f.code == 2, args[1] << ": exit " << f.code);
      BOOST_TEST(f.out.empty(), args[1] << " answered: " << f.out.substr(0, 200));
      BOOST_TEST(Contains(f.err, sentence), args[1] << ": " << f.err);
      BOOST_TEST(Contains(f.err, wal_name), args[1] << ": " << f.err);
      BOOST_TEST(Contains(f.err, "switchboard repair --db " + db), args[1] << ": " << f.err);
    }
    Finished repair = RunToEnd({SWITCHBOARD_BIN, "repair", "--db", db});
    BOOST_TEST(repair.code == 0, repair.err);
    BOOST_TEST(Contains(repair.out, "kept: events 1.."), repair.out);
    BOOST_TEST(Contains(repair.out, "lost: events "), repair.out);
    BOOST_TEST(Contains(repair.out, "verified: "), repair.out);
    BOOST_TEST(RunToEnd({SWITCHBOARD_BIN, "replay", "--db", db, "--verify"}).code == 0);
    // What is kept is a prefix of what an undamaged run writes (the damage may lie before or after
    // the last event this test read, since the run went on writing until it was killed).
    auto log = LogOf(db, /*verify=*/true);
    BOOST_TEST((std::vector<std::string>(reference.begin(), reference.begin() + log.size()) == log));
    int rc = -1;
    RunAll(db, w, &rc);
    BOOST_TEST(rc == 0);
    BOOST_TEST((LogOf(db, /*verify=*/true) == reference));
  }
}

BOOST_AUTO_TEST_CASE(the_same_input_gives_byte_identical_events_in_two_directories) {
  TempDir dir;
  Workload w = WriteWorkload(dir, 5000);
  int rc_a = -1, rc_b = -1;
  auto a = RunAll(dir.Sub("a"), w, &rc_a);
  auto b = RunAll(dir.Sub("b"), w, &rc_b);
  BOOST_TEST(rc_a == 0);
  BOOST_TEST(rc_b == 0);
  BOOST_TEST(a.size() > w.commands);
  BOOST_TEST((a == b));
  BOOST_TEST((LogOf(dir.Sub("a"), /*verify=*/true) == a));  // what was printed is what is in the log
}

BOOST_AUTO_TEST_CASE(every_bad_line_is_answered_and_the_run_exits_zero) {
  TempDir dir;
  std::string input = dir.Sub("bad.jsonl");
  std::ofstream(input)
      << "not json\n"
      << "[1,2]\n"
      << R"({"id":"a","type":"contact.message","contact":"ann","channel":"messaging","text":"hi","at":"2026-11-23T09:00:00Z"})"
         "\n"
      << R"({"id":"b","type":"agent.message","agent":"ghost","ticket":1,"text":"x"})"
         "\n"
      << R"({"id":"c","type":"ticket.update","ticket":77})"
         "\n"
      << R"({"type":"agent.status","agent":"x","status":"online"})"
         "\n"
      << R"({"id":"a","type":"contact.message","contact":"ann","channel":"messaging","text":"hi"})"
         "\n";
  Subprocess child({SWITCHBOARD_BIN, "run", "--db", dir.Sub("db"), "--in", input});
  std::vector<nlohmann::json> events;
  std::string line;
  while (child.ReadLine(&line)) events.push_back(nlohmann::json::parse(line));
  BOOST_TEST(child.Wait() == 0);
  std::vector<std::string> rejected_fields;
  for (const auto& e : events) {
    if (e["type"] == "command.rejected")
      rejected_fields.push_back(e["field"].is_null() ? "-" : e["field"].get<std::string>());
  }
  BOOST_TEST(rejected_fields == (std::vector<std::string>{"-", "-", "agent", "ticket", "id"}),
             boost::test_tools::per_element());
  BOOST_TEST(events.back()["type"] == "command.duplicate");
}

BOOST_AUTO_TEST_CASE(a_second_process_on_the_same_directory_gets_a_clear_error) {
  TempDir dir;
  Options options;
  options.db_path = dir.Sub("db");
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  std::string input = dir.Sub("one.jsonl");
  std::ofstream(input) << R"({"id":"x","type":"clock.advance","at":"2026-11-23T09:00:00Z"})"
                          "\n";
  Subprocess child({SWITCHBOARD_BIN, "run", "--db", dir.Sub("db"), "--in", input});
  std::string line;
  BOOST_TEST(!child.ReadLine(&line));  // nothing applied
  BOOST_TEST(child.Wait() == 2);
}

// Issue 16: the killed runs snapshot every 2,000 events, the reference never: a snapshot made while
// its events were still on their way to the log (ahead of it after the kill) is ignored at the next
// open, and the rerun, opened from the newest snapshot that holds, completes the same log.
BOOST_AUTO_TEST_CASE(sigkill_at_any_point_loses_nothing_acknowledged_and_a_rerun_applies_each_command_once) {
  TempDir dir;
  Workload w = WriteWorkload(dir, 20000, /*keep_lines_without_id=*/false);
  const auto reference = RunAll(dir.Sub("reference"), w, nullptr, "0");
  BOOST_REQUIRE(reference.size() > 40000u);
  for (std::size_t kill_after : {1u, 3000u, 25000u, 50000u}) {
    BOOST_TEST_MESSAGE("SIGKILL after " << kill_after << " acknowledged events");
    const std::string db = dir.Sub("crash" + std::to_string(kill_after));
    std::vector<std::string> acknowledged;
    {
      Subprocess child(
          {SWITCHBOARD_BIN, "run", "--db", db, "--config", w.config, "--in", w.input, "--snapshot-every", "2000"});
      std::string line;
      while (acknowledged.size() < kill_after && child.ReadLine(&line)) acknowledged.push_back(line);
      child.Kill();
    }
    BOOST_REQUIRE(acknowledged.size() == kill_after);
    // Every acknowledged event is in the log, the log is a prefix of the reference run (no gap, no
    // half command, nothing invented), and the stored projections match it (checked in LogOf).
    auto log = LogOf(db, /*verify=*/true);
    BOOST_REQUIRE(log.size() >= acknowledged.size());
    BOOST_TEST((std::vector<std::string>(log.begin(), log.begin() + acknowledged.size()) == acknowledged));
    BOOST_REQUIRE(log.size() <= reference.size());
    BOOST_TEST(Subprocess({SWITCHBOARD_BIN, "replay", "--db", db, "--verify"}).Wait() == 0);
    BOOST_TEST((std::vector<std::string>(reference.begin(), reference.begin() + log.size()) == log));
    // Re-running the whole input completes the log exactly as one uninterrupted run would have.
    int rc = -1;
    auto rerun = RunAll(db, w, &rc, "2000");
    BOOST_TEST(rc == 0);
    BOOST_TEST((LogOf(db, /*verify=*/true) == reference));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(demo)

// Issue 6: the README's first command ends in `switchboard demo`: the shipped configuration and a
// seeded day through the engine, the monitor (B51) and analytics (B52) as tables, the database left
// for `query` and `audit`, and a verified replay of it passes.
BOOST_AUTO_TEST_CASE(the_demo_prints_monitor_and_analytics_and_leaves_a_database_that_verifies) {
  TempDir dir;
  const std::string db = dir.Sub("demo");
  Subprocess child({SWITCHBOARD_BIN, "demo", "--db", db, "--conversations", "300"});
  std::string out, line;
  while (child.ReadLine(&line)) out += line + "\n";
  BOOST_REQUIRE(child.Wait() == 0);
  for (const char* expected : {"Live monitor at", "tickets created today", "queue", "agent", "The day's analytics",
                               "first reply", "self-service:", "proactive messages:", "Database: "}) {
    BOOST_TEST(out.find(expected) != std::string::npos, expected << " in\n" << out);
  }
  BOOST_TEST(out.find("Database: " + db) != std::string::npos);
  std::vector<std::string> log = LogOf(db, /*verify=*/true);  // also replays with --verify
  BOOST_TEST(log.size() > 1000u);
  const std::string log_text = [&] {
    std::string all;
    for (const std::string& e : log) all += e + "\n";
    return all;
  }();
  for (const char* type :
       {"\"conversation.self_solved\"", "\"ticket.assigned\"", "\"csat.rated\"", "\"agent.status_changed\""}) {
    BOOST_TEST(log_text.find(type) != std::string::npos, type);
  }
  BOOST_TEST(log_text.find("\"command.rejected\"") == std::string::npos);  // the day is well-formed
  // B72, B73: the day's workload and staffing, from the records the run wrote (verified above).
  auto query = [&](std::vector<std::string> args, int* rc) {
    args.insert(args.begin(), {SWITCHBOARD_BIN, "query", "--db", db});
    Subprocess q(args);
    std::string text, l;
    while (q.ReadLine(&l)) text += l + "\n";
    *rc = q.Wait();
    return text;
  };
  int rc = -1;
  nlohmann::json analytics = nlohmann::json::parse(query({"analytics"}, &rc));
  BOOST_REQUIRE(rc == 0);
  BOOST_TEST(analytics["total"]["handle_time_s"]["mean"].is_number());
  BOOST_TEST(analytics["total"]["abandoned"].is_number());
  nlohmann::json staffing =
      nlohmann::json::parse(query({"staffing", "--interval", "1h", "--service-level", "90/30s"}, &rc));
  BOOST_REQUIRE(rc == 0);
  int arrivals = 0, needed = 0;
  double online = 0;
  for (const nlohmann::json& row : staffing["rows"]) {
    arrivals += row["arrivals"].get<int>();
    if (row["agents_needed"].is_number()) needed += row["agents_needed"].get<int>();
    online += row["agents_online"].get<double>();
  }
  BOOST_TEST(arrivals == analytics["total"]["tickets"].get<int>());  // every ticket arrived in one row
  BOOST_TEST(needed > 0);
  BOOST_TEST(online > 0);
  const std::string csv = query({"staffing", "--csv"}, &rc);
  BOOST_TEST(rc == 0);
  BOOST_TEST(csv.rfind("from,to,arrivals,mean_handle_s,agents_needed,agents_online", 0) == 0);
  query({"staffing", "--interval", "0m"}, &rc);
  BOOST_TEST(rc == 2);  // refused, with the sentence on stderr
  // The same seed gives the same day: a second directory holds the same log.
  Subprocess again({SWITCHBOARD_BIN, "demo", "--db", dir.Sub("again"), "--conversations", "300"});
  while (again.ReadLine(&line)) {
  }
  BOOST_REQUIRE(again.Wait() == 0);
  BOOST_TEST(LogOf(dir.Sub("again"), /*verify=*/true) == log, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
