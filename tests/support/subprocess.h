// Subprocess: runs the switchboard binary as a child with its standard output on a pipe, so a test
// can read what it acknowledged line by line and kill it (SIGKILL) at a chosen point.
#pragma once

#include <cstdio>
#include <signal.h>
#include <string>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace switchboard::testing {

class Subprocess {
 public:
  explicit Subprocess(std::vector<std::string> args) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], STDOUT_FILENO);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    out_ = ::fdopen(fds[0], "r");
  }
  ~Subprocess() {
    if (pid_ > 0 && !reaped_) Kill();
    if (out_) std::fclose(out_);
  }

  // The next line of standard output, without its newline; false at end of output.
  bool ReadLine(std::string* line) {
    line->clear();
    int c;
    while ((c = std::fgetc(out_)) != EOF && c != '\n') line->push_back(static_cast<char>(c));
    return c != EOF || !line->empty();
  }

  void Kill() {
    ::kill(pid_, SIGKILL);
    Wait();
  }
  // SIGTERM (a clean stop); the exit code.
  int Terminate() {
    ::kill(pid_, SIGTERM);
    return Wait();
  }

  // The exit code, or -signal when killed.
  int Wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  }

 private:
  pid_t pid_ = -1;
  FILE* out_ = nullptr;
  bool reaped_ = false;
};

}  // namespace switchboard::testing
