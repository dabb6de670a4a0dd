// A damaged write-ahead log never loses acknowledged events silently: a WAL cut short, one with bytes
// flipped in its middle, and a deleted one each make Open fail with a sentence that says what is
// missing and names the file, for writers and readers alike, without changing the database; and
// `repair` keeps the gap-free prefix, salvages what follows a gap to a file, forgets the lost
// commands so that their retry is applied again, and leaves a database that opens and verifies.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "switchboard/engine.h"
#include "tests/support/log.h"
#include "tests/support/temp_dir.h"
#include "tools/day/workload.h"

using namespace switchboard;
using switchboard::testing::LogOf;
using switchboard::testing::TempDir;

namespace {

struct Workload {
  std::string config;
  std::vector<std::string> first, second;  // the commands of the two sessions
};

// Commands with ids only: a retry can only be recognized by its id.
Workload MakeWorkload() {
  WorkloadOptions options;
  options.commands = 300;
  options.agents = 8;
  options.malformed = 0.01;
  Workload w;
  w.config = WorkloadConfig(options);
  std::vector<std::string> all;
  GenerateWorkload(options, [&](const std::string& line) {
    if (line.find("\"id\"") != std::string::npos) all.push_back(line);
  });
  w.first.assign(all.begin(), all.begin() + all.size() / 2);
  w.second.assign(all.begin() + all.size() / 2, all.end());
  return w;
}

// One command at a time: each is a group of its own, one WAL record. Buffered durability where the
// test does not damage the log, which only saves the fsyncs.
void Execute(const std::string& db, const std::string& config, const std::vector<std::string>& lines,
             Durability durability = Durability::kSync) {
  Options options;
  options.db_path = db;
  options.config_json = config;
  options.durability = durability;
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  for (const std::string& line : lines) BOOST_REQUIRE(engine->Execute(line).status.ok());
}

Status OpenStatus(const std::string& db, bool read_only) {
  Options options;
  options.db_path = db;
  options.read_only = read_only;
  std::unique_ptr<Engine> engine;
  return Engine::Open(options, &engine);
}

std::string Verify(const std::string& db) {
  Options options;
  options.db_path = db;
  options.read_only = true;
  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) return s.message();
  std::string report;
  s = engine->Replay(/*verify=*/true, nullptr, &report);
  return s.ok() ? "" : s.message() + "\n" + report;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

enum class Damage { kCut, kFlip, kDelete };

// The newest WAL file (RocksDB numbers them with zero-padded, increasing numbers).
std::string NewestWal(const std::string& db) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(db)) {
    if (entry.path().extension() == ".log") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names.empty() ? "" : names.back();
}

// The two sessions, run once for the suite: the first one's events end up in SST files (the second
// open flushes them), the second one's only in the live WAL.
const std::string& TwoSessions(const Workload& w) {
  static TempDir dir;
  static const std::string db = [&] {
    Execute(dir.Sub("db"), w.config, w.first, Durability::kBuffered);
    Execute(dir.Sub("db"), "", w.second);
    return dir.Sub("db");
  }();
  return db;
}

// A copy of the two sessions whose live WAL is then damaged. Returns that WAL's name.
std::string DamagedDatabase(const std::string& db, const Workload& w, Damage damage) {
  std::filesystem::copy(TwoSessions(w), db, std::filesystem::copy_options::recursive);
  const std::string live = NewestWal(db);
  BOOST_REQUIRE(!live.empty());
  const std::string path = db + "/" + live;
  const auto bytes = std::filesystem::file_size(path);
  BOOST_REQUIRE(bytes > 50000u);
  if (damage == Damage::kCut) {
    std::filesystem::resize_file(path, bytes / 2);
  } else if (damage == Damage::kFlip) {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(bytes / 2));
    char block[64];
    f.read(block, sizeof block);
    for (char& b : block) b = static_cast<char>(~b);
    f.seekp(static_cast<std::streamoff>(bytes / 2));
    f.write(block, sizeof block);
  } else {
    std::filesystem::remove(path);
  }
  return live;
}

void CheckRefused(const Status& s, const std::vector<std::string>& expected) {
  BOOST_TEST(s.IsCorruption(), s.message());
  for (const std::string& part : expected) {
    BOOST_TEST(s.message().find(part) != std::string::npos, "\"" << part << "\" in: " << s.message());
  }
}

// What every repair must leave: a database that opens, verifies, holds a prefix of what was
// acknowledged, and that a retry of every command completes to the log an undamaged run has.
void CheckRepaired(const std::string& db, const RepairReport& report, const std::vector<std::string>& reference,
                   const Workload& w) {
  BOOST_TEST(report.mark_found);
  BOOST_TEST(report.acknowledged == reference.size());
  BOOST_TEST(report.kept < report.acknowledged);
  std::uint64_t lost = 0;
  for (const SeqRange& r : report.missing) lost += r.last - r.first + 1;
  for (const SeqRange& r : report.salvaged) lost += r.last - r.first + 1;
  BOOST_TEST(report.kept + lost == report.acknowledged);
  BOOST_TEST(OpenStatus(db, /*read_only=*/false).ok());
  BOOST_TEST(Verify(db) == "");
  std::vector<std::string> log = LogOf(db);
  BOOST_REQUIRE(log.size() == report.kept);
  BOOST_TEST((log == std::vector<std::string>(reference.begin(), reference.begin() + log.size())));
  std::vector<std::string> all = w.first;
  all.insert(all.end(), w.second.begin(), w.second.end());
  Execute(db, "", all,
          Durability::kBuffered);  // the clients retry everything: what was kept is a duplicate, the rest is applied
  BOOST_TEST((LogOf(db) == reference));
  BOOST_TEST(Verify(db) == "");
}

// The log of an undamaged run of both sessions, made once for the suite.
const std::vector<std::string>& Reference(const Workload& w) {
  static const std::vector<std::string> log = [&] {
    TempDir dir;
    std::vector<std::string> all = w.first;
    all.insert(all.end(), w.second.begin(), w.second.end());
    Execute(dir.Sub("reference"), w.config, all, Durability::kBuffered);
    return LogOf(dir.Sub("reference"));
  }();
  return log;
}

struct Fixture {
  Fixture() : w(MakeWorkload()), reference(Reference(w)) {}
  TempDir dir;
  Workload w;
  const std::vector<std::string>& reference;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(damaged_log, Fixture)

BOOST_AUTO_TEST_CASE(a_live_wal_cut_to_half_fails_the_open_saying_how_many_acknowledged_events_are_missing) {
  const std::string db = dir.Sub("db");
  const std::string wal = DamagedDatabase(db, w, Damage::kCut);
  const std::string acknowledged = std::to_string(reference.size());
  for (bool read_only : {false, true}) {
    CheckRefused(OpenStatus(db, read_only),
                 {"has lost acknowledged events", "events up to " + acknowledged,
                  "acknowledged events are missing, from event", wal, "switchboard repair --db " + db});
  }
}

BOOST_AUTO_TEST_CASE(flipped_bytes_in_the_middle_of_the_wal_fail_the_open_naming_the_file) {
  const std::string db = dir.Sub("db");
  const std::string wal = DamagedDatabase(db, w, Damage::kFlip);
  for (bool read_only : {false, true}) {
    CheckRefused(OpenStatus(db, read_only),
                 {"write-ahead log file " + wal + " is damaged", "checksum mismatch", "switchboard repair --db " + db});
  }
}

BOOST_AUTO_TEST_CASE(a_deleted_wal_fails_the_open_saying_which_events_are_missing) {
  const std::string db = dir.Sub("db");
  DamagedDatabase(db, w, Damage::kDelete);
  for (bool read_only : {false, true}) {
    CheckRefused(OpenStatus(db, read_only),
                 {"has lost acknowledged events", "acknowledged events are missing", "switchboard repair --db " + db});
  }
}

// Opening must not "repair" on less: RocksDB's recovery would otherwise flush what it could read
// and delete the damaged WAL, and the next open would find nothing wrong.
BOOST_AUTO_TEST_CASE(a_refused_open_changes_nothing_so_the_next_one_is_refused_too) {
  const std::string db = dir.Sub("db");
  const std::string wal = DamagedDatabase(db, w, Damage::kCut);
  const std::string before = Read(db + "/" + wal);
  for (int attempt = 0; attempt < 3; ++attempt) {
    BOOST_TEST(OpenStatus(db, /*read_only=*/attempt % 2 == 1).IsCorruption());
    BOOST_TEST((Read(db + "/" + wal) == before));
  }
}

BOOST_AUTO_TEST_CASE(repair_of_a_cut_wal_keeps_the_prefix_and_a_retry_applies_the_lost_commands_again) {
  const std::string db = dir.Sub("db");
  DamagedDatabase(db, w, Damage::kCut);
  RepairReport report;
  Status s = Engine::Repair(db, &report);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(report.salvaged.empty());  // nothing is left after the cut
  BOOST_REQUIRE(report.missing.size() == 1u);
  BOOST_TEST(report.missing[0].first == report.kept + 1);
  BOOST_TEST(report.missing[0].last == reference.size());
  CheckRepaired(db, report, reference, w);
}

BOOST_AUTO_TEST_CASE(repair_of_flipped_bytes_salvages_the_events_after_the_gap_to_a_file) {
  const std::string db = dir.Sub("db");
  DamagedDatabase(db, w, Damage::kFlip);
  RepairReport report;
  Status s = Engine::Repair(db, &report);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  // One command is one small WAL record here, so RocksDB skips the damaged ones and reads on.
  BOOST_REQUIRE(!report.missing.empty());
  BOOST_TEST(report.missing[0].first == report.kept + 1);
  BOOST_REQUIRE(!report.salvaged.empty());
  BOOST_TEST(report.salvaged.back().last == reference.size());
  // The salvage file holds exactly the events read after the gap, as the reference run has them.
  std::ifstream salvage(report.salvage_file);
  std::vector<std::string> lines;
  for (std::string line; std::getline(salvage, line);) lines.push_back(line);
  BOOST_REQUIRE(lines.size() == report.salvaged_events);
  BOOST_TEST(lines.back() == reference.back());
  BOOST_TEST(lines.front() == reference[report.salvaged.front().first - 1]);
  // Their commands are forgotten: a retry applies them again.
  BOOST_TEST(!report.forgotten_commands.empty());
  CheckRepaired(db, report, reference, w);
}

BOOST_AUTO_TEST_CASE(repair_of_a_deleted_wal_keeps_what_was_flushed) {
  const std::string db = dir.Sub("db");
  DamagedDatabase(db, w, Damage::kDelete);
  RepairReport report;
  Status s = Engine::Repair(db, &report);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(report.kept > 0u);  // the first session's events, in SST files
  BOOST_TEST(report.salvaged.empty());
  CheckRepaired(db, report, reference, w);
}

BOOST_AUTO_TEST_CASE(repair_of_a_log_lost_entirely_leaves_an_empty_database_that_verifies_and_takes_commands) {
  const std::string db = dir.Sub("db");
  Execute(db, w.config, w.first, Durability::kBuffered);  // everything is in the one live WAL
  std::filesystem::remove(db + "/" + NewestWal(db));
  BOOST_TEST(OpenStatus(db, /*read_only=*/true).IsCorruption());
  RepairReport report;
  Status s = Engine::Repair(db, &report);
  BOOST_REQUIRE_MESSAGE(s.ok(), s.message());
  BOOST_TEST(report.kept == 0u);
  BOOST_REQUIRE(report.missing.size() == 1u);
  BOOST_TEST(report.missing[0].first == 1u);
  BOOST_TEST(Verify(db) == "");
  {
    Options options;
    options.db_path = db;
    options.read_only = true;
    std::unique_ptr<Engine> engine;
    BOOST_REQUIRE(Engine::Open(options, &engine).ok());
    BOOST_TEST(report.rebuilt.size() == engine->Projections().size());  // each reflected events now gone
  }
  Execute(db, w.config, w.first, Durability::kBuffered);
  BOOST_TEST((LogOf(db) == std::vector<std::string>(reference.begin(), reference.begin() + LogOf(db).size())));
  BOOST_TEST(Verify(db) == "");
}

BOOST_AUTO_TEST_SUITE_END()
