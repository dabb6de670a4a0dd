// `switchboard run`: commands in, events out, in order, with the reading and the printing on their
// own threads so the engine's group commit sees many commands at once.
#include "tools/run_command.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "switchboard/engine.h"

namespace switchboard::tool {
namespace {

// Acknowledgements from the journal thread to the printing thread.
class AckQueue {
 public:
  void Push(Acknowledgement ack) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(ack));
    if (waiting_) ready_.notify_one();  // only a sleeping printer needs the syscall
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_one();
  }
  // Takes everything queued; false once closed and empty.
  bool PopAll(std::deque<Acknowledgement>* out) {
    std::unique_lock<std::mutex> lock(mu_);
    waiting_ = true;
    ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    waiting_ = false;
    out->swap(queue_);
    return !out->empty() || !closed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Acknowledgement> queue_;
  bool closed_ = false;
  bool waiting_ = false;
};

}  // namespace

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "switchboard: cannot read %s\n", path.c_str());
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  *out = text.str();
  return true;
}

int Run(const RunArgs& args) {
  Options options;
  options.db_path = args.db;
  options.durability = args.durability == "buffered" ? Durability::kBuffered : Durability::kSync;
  options.max_group = args.max_group;
  options.conversation_idle_ms = args.conversation_idle_ms;
  options.max_in_flight = args.max_in_flight;
  if (!args.config_file.empty() && !ReadFile(args.config_file, &options.config_json)) return 2;
  std::ifstream file;
  if (!args.in_file.empty()) {
    file.open(args.in_file, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "switchboard: cannot read %s\n", args.in_file.c_str());
      return 2;
    }
  }
  std::istream& in = args.in_file.empty() ? std::cin : file;

  std::unique_ptr<Engine> engine;
  Status s = Engine::Open(options, &engine);
  if (!s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }

  AckQueue acks;
  engine->OnBackground([&acks](Acknowledgement ack) { acks.Push(std::move(ack)); });  // lookup answers
  bool store_failed = false;
  std::thread printer([&] {
    static char buffer[1 << 16];
    std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
    std::deque<Acknowledgement> batch;
    while (acks.PopAll(&batch)) {
      for (const Acknowledgement& ack : batch) {
        if (!ack.status.ok()) {
          if (!store_failed) std::fprintf(stderr, "switchboard: %s\n", ack.status.message().c_str());
          store_failed = true;
          continue;
        }
        for (const std::string& line : ack.EventsAsJson()) {
          std::fwrite(line.data(), 1, line.size(), stdout);
          std::fputc('\n', stdout);
        }
      }
      batch.clear();
      std::fflush(stdout);
    }
  });

  std::ios::sync_with_stdio(false);
  std::string line;
  std::uint64_t number = 0;  // counts blank lines too, so a rejection's `line` is the file's line
  // Once the engine has stopped (a full disk, a failed read), every further command would only be
  // refused: stop reading, so what is left of the input is there for the restart.
  while (engine->BackgroundError().ok() && std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // blank lines are not commands
    engine->SubmitLine(std::move(line), number, [&acks](Acknowledgement ack) { acks.Push(std::move(ack)); });
    line = std::string();
  }
  engine->Drain();
  acks.Close();
  printer.join();
  engine.reset();
  return store_failed ? 1 : 0;
}

}  // namespace switchboard::tool
