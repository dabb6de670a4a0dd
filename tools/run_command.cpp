// `switchboard run`: commands in, events out, in order, with the reading and the printing
// (tools/ack_printer.h) on their own threads so the engine's group commit sees many commands at once.
#include "tools/run_command.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "switchboard/engine.h"
#include "tools/ack_printer.h"

namespace switchboard::tool {

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
  options.snapshot_every = args.snapshot_every;
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

  static char buffer[1 << 16];  // static: stdout keeps it until exit
  std::setvbuf(stdout, buffer, _IOFBF, sizeof buffer);
  AckPrinter acks(stdout);
  engine->OnBackground([&acks](Acknowledgement ack) { acks.Push(std::move(ack)); });  // lookup answers

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
  const bool store_failed = acks.Finish();
  engine.reset();
  return store_failed ? 1 : 0;
}

}  // namespace switchboard::tool
