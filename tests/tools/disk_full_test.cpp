// A full disk is a clean error, not an abort: `switchboard run` on a small tmpfs stops when the disk
// fills, with exit code 1 and a sentence that names the cause and the last acknowledged event; every
// acknowledged event is still there once space is freed, and a restarted run goes on to the log an
// uninterrupted run has. The test mounts the tmpfs itself (as root; otherwise in a user namespace of
// its own) and fails with a sentence when it can do neither.
#define BOOST_TEST_MODULE disk_full
#include <boost/test/unit_test.hpp>
#include <sched.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/mount.h>
#include <unistd.h>

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

bool WriteFile(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return ok;
}

// A tmpfs of `size` mounted on `dir` for the life of the object. `error` says why not, when not.
class SmallDisk {
 public:
  SmallDisk(const std::string& dir, const std::string& size) : dir_(dir) {
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) == 0) {
      mounted_ = true;
      return;
    }
    const std::string as_root = std::strerror(errno);
    // Not root (or no CAP_SYS_ADMIN): a user namespace of our own may mount a tmpfs. The children
    // (the switchboard runs) inherit it.
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) {
      error_ = "cannot mount a tmpfs to fill (mount: " + as_root +
               "; unshare of a user namespace: " + std::strerror(errno) +
               "): run this test as root, or where user namespaces are allowed";
      return;
    }
    WriteFile("/proc/self/setgroups", "deny");
    WriteFile("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    WriteFile("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) {
      error_ = "cannot mount a tmpfs to fill (mount: " + as_root + "; in a user namespace: " + std::strerror(errno) +
               "): run this test as root, or where user namespaces are allowed";
      return;
    }
    mounted_ = true;
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  const std::string& error() const { return error_; }
  // Frees space the way an operator would: the same files, a bigger disk.
  bool Grow(const std::string& size) {
    return ::mount("tmpfs", dir_.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) == 0;
  }

 private:
  std::string dir_;
  bool mounted_ = false;
  std::string error_;
};

struct Workload {
  std::string config, input;
};

Workload WriteWorkload(const TempDir& dir, std::uint64_t commands) {
  WorkloadOptions options;
  options.commands = commands;
  options.agents = 12;
  options.malformed = 0.01;
  Workload w{dir.Sub("config.json"), dir.Sub("input.jsonl")};
  std::ofstream(w.config) << WorkloadConfig(options);
  std::ofstream in(w.input);
  GenerateWorkload(options, [&](const std::string& line) {
    if (line.find("\"id\"") != std::string::npos) in << line << '\n';  // a retry is recognized by its id
  });
  return w;
}

// Runs the workload; the lines it printed, its exit code and what it wrote on stderr (kept in
// `err_path`, off the small disk, where the sentence could not be written).
std::vector<std::string> Run(const std::string& db, const Workload& w, const std::string& err_path, int* code,
                             std::string* err) {
  const int saved = ::dup(STDERR_FILENO);
  const int file = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ::dup2(file, STDERR_FILENO);  // the child inherits it
  std::vector<std::string> lines;
  {
    Subprocess child({SWITCHBOARD_BIN, "run", "--db", db, "--config", w.config, "--in", w.input});
    ::dup2(saved, STDERR_FILENO);
    for (std::string line; child.ReadLine(&line);) lines.push_back(line);
    *code = child.Wait();
  }
  ::close(file);
  ::close(saved);
  std::ifstream in(err_path);
  *err = std::string(std::istreambuf_iterator<char>(in), {});
  return lines;
}

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_full_disk_stops_the_run_with_a_sentence_and_loses_nothing_acknowledged) {
  TempDir dir;
  Workload w = WriteWorkload(dir, 10000);
  int code = -1;
  std::string err;
  const std::string err_path = dir.Sub("stderr");
  const std::vector<std::string> reference = Run(dir.Sub("reference"), w, err_path, &code, &err);
  BOOST_REQUIRE_MESSAGE(code == 0, err);

  const std::string mount_point = dir.Sub("small");
  std::filesystem::create_directories(mount_point);
  SmallDisk disk(mount_point, "8m");
  BOOST_REQUIRE_MESSAGE(disk.error().empty(), disk.error());
  const std::string db = mount_point + "/db";
  const std::vector<std::string> acknowledged = Run(db, w, err_path, &code, &err);
  BOOST_TEST(code == 1, "exit " << code << ": " << err);
  BOOST_REQUIRE(!acknowledged.empty());
  BOOST_REQUIRE_MESSAGE(acknowledged.size() < reference.size(), "the disk did not fill: make the workload longer");
  BOOST_TEST(Contains(err, "the log cannot be written: no space left on device"), err);
  BOOST_TEST(Contains(err, "nothing after event " + std::to_string(acknowledged.size()) +
                               " was acknowledged; free space and restart"),
             err);
  BOOST_TEST(!Contains(err, "Assertion"), err);

  BOOST_REQUIRE(disk.Grow("64m"));
  const std::vector<std::string> log = LogOf(db, /*verify=*/true);
  BOOST_REQUIRE(log.size() >= acknowledged.size());
  BOOST_TEST((std::vector<std::string>(log.begin(), log.begin() + acknowledged.size()) == acknowledged));
  BOOST_REQUIRE(log.size() <= reference.size());
  BOOST_TEST((std::vector<std::string>(reference.begin(), reference.begin() + log.size()) == log));
  // Restarted with the whole input: what was applied is a duplicate, the rest goes on.
  Run(db, w, err_path, &code, &err);
  BOOST_TEST(code == 0, err);
  BOOST_TEST((LogOf(db, /*verify=*/true) == reference));
}
