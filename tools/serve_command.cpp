// `switchboard serve`: the engine behind its HTTP front door (tools/serve/server.h) until SIGINT or
// SIGTERM, then a clean close (every acknowledged command is durable; streams end).
#include <csignal>
#include <cstdio>
#include <memory>

#include "switchboard/engine.h"
#include "tools/run_command.h"
#include "tools/serve/server.h"

namespace switchboard::tool {

int Serve(const ServeArgs& args) {
  const std::size_t colon = args.listen.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    try {
      port = std::stoi(args.listen.substr(colon + 1));
    } catch (const std::exception&) {
      port = -1;
    }
  }
  if (colon == std::string::npos || port < 0 || port > 65535) {
    std::fprintf(stderr, "switchboard: --listen wants HOST:PORT (for example 127.0.0.1:8080), not \"%s\"\n",
                 args.listen.c_str());
    return 2;
  }
  Options options;
  options.db_path = args.db;
  options.durability = args.durability == "buffered" ? Durability::kBuffered : Durability::kSync;
  if (!args.config_file.empty() && !ReadFile(args.config_file, &options.config_json)) return 2;
  // Block the stop signals before any thread starts, so that only sigwait below receives them.
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);
  std::unique_ptr<Engine> engine;
  if (Status s = Engine::Open(options, &engine); !s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }
  serve::ServeLimits limits;
  limits.max_body_bytes = args.max_body_bytes;
  limits.max_connections = args.max_connections;
  std::unique_ptr<serve::HttpServer> server;
  if (Status s = serve::HttpServer::Start(engine.get(), args.listen.substr(0, colon), static_cast<std::uint16_t>(port),
                                          limits, &server);
      !s.ok()) {
    std::fprintf(stderr, "switchboard: %s\n", s.message().c_str());
    return 2;
  }
  std::printf("switchboard: serving %s on http://%s:%u/ (the supervisor page; the API under /v1/)\n", args.db.c_str(),
              args.listen.substr(0, colon).c_str(), static_cast<unsigned>(server->port()));
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop, &signal);
  server->Stop();
  engine->Drain();
  return 0;
}

}  // namespace switchboard::tool
