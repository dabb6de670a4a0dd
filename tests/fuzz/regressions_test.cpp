// Replays, in the normal build, every seed of the fuzz corpus (tests/fuzz/corpus/) and every input a
// fuzzer ever crashed on (tests/fuzz/regressions/) through the checks the fuzz targets make
// (tests/fuzz/parser_checks.h): each parser returns, a command of some kind or a Status, and a crash
// fixed once stays fixed. A new crash from scripts/fuzz.sh goes into tests/fuzz/regressions/TARGET/.
#define BOOST_TEST_MODULE fuzz_regressions
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "tests/fuzz/parser_checks.h"

namespace {

namespace fs = std::filesystem;
using Check = std::function<std::string(std::string_view)>;

std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Contents(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Feeds every file of `dir` to `check`; returns how many there were.
std::size_t Replay(const std::string& dir, const Check& check) {
  const std::vector<fs::path> files = FilesIn(fs::path(SWITCHBOARD_FUZZ_DIR) / dir);
  for (const fs::path& file : files) {
    BOOST_TEST_CHECKPOINT("replaying " << file.filename().string());
    const std::string problem = check(Contents(file));
    BOOST_TEST(problem.empty(), dir << "/" << file.filename().string() << ": " << problem);
  }
  return files.size();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fuzz_inputs)

BOOST_AUTO_TEST_CASE(command_corpus) { BOOST_TEST(Replay("corpus/command", switchboard::fuzz::CheckCommand) >= 30u); }

BOOST_AUTO_TEST_CASE(config_corpus) {
  BOOST_TEST(Replay("corpus/config", switchboard::fuzz::CheckConfiguration) >= 30u);
}

BOOST_AUTO_TEST_CASE(command_regressions) {
  BOOST_TEST(Replay("regressions/command", switchboard::fuzz::CheckCommand) >= 1u);
}

BOOST_AUTO_TEST_CASE(config_regressions) {
  BOOST_TEST(Replay("regressions/config", switchboard::fuzz::CheckConfiguration) >= 1u);
}

BOOST_AUTO_TEST_SUITE_END()
