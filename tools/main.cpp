// switchboard: the command-line front door of PROTOCOL.md. Uses only include/switchboard/.
#include <CLI/CLI.hpp>

#include "tools/run_command.h"

int main(int argc, char** argv) {
  using namespace switchboard::tool;
  CLI::App app{"switchboard: the back office of customer-support messaging"};
  app.require_subcommand(1);

  RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "Apply commands (JSON lines) and print every resulting event");
  run_cmd->add_option("--db", run.db, "Database directory (created when missing)")->required();
  run_cmd->add_option("--config", run.config_file, "Configuration file (JSON) to put in force");
  run_cmd->add_option("--in", run.in_file, "Read commands from FILE instead of standard input");
  run_cmd->add_option("--durability", run.durability,
                      "sync: acknowledged once the WAL is fsynced; buffered: once written to the OS")
      ->check(CLI::IsMember({"sync", "buffered"}));

  QueryArgs query;
  CLI::App* query_cmd = app.add_subcommand(
      "query", "Print one JSON document: ticket N | agent ID | contact ID | audit ticket|conversation|contact|agent ID");
  query_cmd->add_option("--db", query.db, "Database directory")->required();
  query_cmd->add_option("what", query.what, "What to print")->required();

  ReplayArgs replay;
  CLI::App* replay_cmd = app.add_subcommand("replay", "Rebuild every projection from the first event");
  replay_cmd->add_option("--db", replay.db, "Database directory")->required();
  replay_cmd->add_flag("--verify", replay.verify, "Compare the rebuilt state with the stored one; exit 1 on a difference");

  CLI11_PARSE(app, argc, argv);
  try {
    if (*run_cmd) return Run(run);
    if (*query_cmd) return Query(query);
    if (*replay_cmd) return Replay(replay);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "switchboard: %s\n", e.what());
    return 2;
  }
  return 0;
}
