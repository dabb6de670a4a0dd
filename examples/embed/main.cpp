// embed: the smallest program behind which Switchboard runs. Opens (creating) a database in the
// directory given, puts a configuration in force, submits one customer message, prints its events
// (the ticket it created and where it was routed) and the ticket's document, as a web widget's back
// end would. Exit code 0 when the ticket exists.
//   embed DIR
#include <cstdio>
#include <memory>
#include <string>

#include "switchboard/engine.h"
#include "switchboard/version.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: embed DIR\n");
    return 2;
  }
  switchboard::Options options;
  options.db_path = argv[1];
  options.config_json = R"({"groups": [{"id": "support"}], "agents": [{"id": "alice", "groups": ["support"]}]})";
  std::unique_ptr<switchboard::Engine> engine;
  if (switchboard::Status s = switchboard::Engine::Open(options, &engine); !s.ok()) {
    std::fprintf(stderr, "embed: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("switchboard %s\n", switchboard::Version());
  switchboard::Acknowledgement ack = engine->Execute(
      R"({"id": "w1", "type": "contact.message", "contact": "ann", "channel": "messaging", "text": "Hello"})");
  if (!ack.status.ok()) {
    std::fprintf(stderr, "embed: %s\n", ack.status.message().c_str());
    return 1;
  }
  for (const std::string& event : ack.EventsAsJson()) std::printf("%s\n", event.c_str());
  std::string ticket;
  if (switchboard::Status s = engine->Query({"ticket", "1"}, &ticket); !s.ok()) {
    std::fprintf(stderr, "embed: %s\n", s.message().c_str());
    return 1;
  }
  std::printf("%s\n", ticket.c_str());
  return 0;
}
