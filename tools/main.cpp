// switchboard: the command-line front door of PROTOCOL.md. Uses only include/switchboard/.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iterator>

#include "tools/bench/bench.h"
#include "tools/day/day.h"
#include "tools/day/workload.h"
#include "tools/run_command.h"

int main(int argc, char** argv) {
  using namespace switchboard::tool;
  CLI::App app{"switchboard: the back office of customer-support messaging"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("switchboard ") + SWITCHBOARD_VERSION);

  RunArgs run;
  CLI::App* run_cmd = app.add_subcommand("run", "Apply commands (JSON lines) and print every resulting event");
  run_cmd->add_option("--db", run.db, "Database directory (created when missing)")->required();
  run_cmd->add_option("--config", run.config_file, "Configuration file (JSON) to put in force");
  run_cmd->add_option("--in", run.in_file, "Read commands from FILE instead of standard input");
  run_cmd
      ->add_option("--durability", run.durability,
                   "sync: acknowledged once the WAL is fsynced; buffered: once written to the OS")
      ->check(CLI::IsMember({"sync", "buffered"}));
  run_cmd
      ->add_option("--max-group", run.max_group, "Most commands made durable by one write and one fsync (default 1024)")
      ->check(CLI::Range(1, 1 << 20));
  run_cmd
      ->add_option("--max-in-flight", run.max_in_flight,
                   "Most commands submitted and not yet acknowledged (default 8192; 1: each waits for the last)")
      ->check(CLI::Range(1, 1 << 20));
  run_cmd
      ->add_option("--conversation-idle-ms", run.conversation_idle_ms,
                   "Passivate a conversation actor untouched this long, in the commands' time (default 1800000)")
      ->check(CLI::NonNegativeNumber);
  run_cmd
      ->add_option("--snapshot-every", run.snapshot_every,
                   "Also snapshot the decision state every N events, in a child process (default 0: only at the end)")
      ->check(CLI::NonNegativeNumber);

  ServeArgs serve;
  CLI::App* serve_cmd =
      app.add_subcommand("serve", "Serve the HTTP API (commands, queries, live events) until SIGINT or SIGTERM");
  serve_cmd->add_option("--db", serve.db, "Database directory (created when missing)")->required();
  serve_cmd->add_option("--listen", serve.listen, "HOST:PORT to listen on (default 127.0.0.1:8080; port 0: any)");
  serve_cmd->add_option("--config", serve.config_file, "Configuration file (JSON) to put in force");
  serve_cmd
      ->add_option("--durability", serve.durability,
                   "sync: acknowledged once the WAL is fsynced; buffered: once written to the OS")
      ->check(CLI::IsMember({"sync", "buffered"}));
  serve_cmd->add_option("--max-body-bytes", serve.max_body_bytes, "Largest request body (default 1 MiB)")
      ->check(CLI::Range(1, 1 << 30));
  serve_cmd->add_option("--max-connections", serve.max_connections, "Most open connections (default 2048)")
      ->check(CLI::Range(1, 1 << 20));

  QueryArgs query;
  CLI::App* query_cmd = app.add_subcommand(
      "query",
      "Print one JSON document: ticket N | view NAME | agent ID | contact ID | monitor | analytics | staffing | "
      "audit ticket|conversation|contact|agent ID");
  query_cmd->add_option("--db", query.db, "Database directory")->required();
  query_cmd->add_option("what", query.what, "What to print")->required();
  query_cmd->add_option(
      "--from", query.from,
      "analytics: tickets created at or after this RFC 3339 time; staffing: the first interval's start");
  query_cmd->add_option("--to", query.to,
                        "analytics: tickets created before this RFC 3339 time; staffing: the last interval's end");
  query_cmd->add_option("--by", query.by, "analytics: one row per agent, group, channel, priority or proactive_rule")
      ->check(CLI::IsMember({"agent", "group", "channel", "priority"}));
  query_cmd->add_flag("--csv", query.csv, "analytics, staffing: CSV instead of JSON");
  query_cmd->add_option("--interval", query.interval, "staffing: the length of each row, Ns, Nm or Nh (default 30m)");
  query_cmd->add_option("--service-level", query.service_level,
                        "staffing: P/T, P percent of contacts answered within T (default 80/20s)");
  query_cmd->add_option("--concurrency", query.concurrency,
                        "staffing: chats an agent holds at once (default 1; divides the handle time)");
  query_cmd->add_option("--channel", query.channel,
                        "staffing: only the tickets that came from this channel (messaging or email; default both)");
  query_cmd->add_option("--as-of", query.as_of, "Answer as things stood at this RFC 3339 time (replays up to it)");

  ReplayArgs replay;
  CLI::App* replay_cmd = app.add_subcommand("replay", "Rebuild every projection from the first event");
  replay_cmd->add_option("--db", replay.db, "Database directory")->required();
  replay_cmd->add_flag("--verify", replay.verify,
                       "Compare the rebuilt state with the stored one; exit 1 on a difference");
  replay_cmd->add_option("--projection", replay.projections,
                         "Rebuild only this projection (repeatable; see query projections)");

  RepairArgs repair;
  CLI::App* repair_cmd = app.add_subcommand(
      "repair", "Salvage a database whose write-ahead log is damaged: keep what is left, say what is lost");
  repair_cmd->add_option("--db", repair.db, "Database directory")->required();

  DemoArgs demo;
  WhatIfArgs whatif;
  CLI::App* whatif_cmd = app.add_subcommand(
      "whatif", "Replay the recorded arrivals of a period under another configuration, beside what happened");
  whatif_cmd->add_option("--db", whatif.db, "Database directory (read only)")->required();
  whatif_cmd->add_option("--config", whatif.config, "The configuration to try (JSON file)")->required();
  whatif_cmd->add_option("--from", whatif.from, "Start of the period (RFC 3339; default: the first event)");
  whatif_cmd->add_option("--to", whatif.to, "End of the period, exclusive (RFC 3339; default: after the last)");
  whatif_cmd->add_option("--seed", whatif.seed, "Seed of the simulated agents' times");
  whatif_cmd->add_flag("--json", whatif.json, "Print both analytics documents as one JSON object");

  CLI::App* demo_cmd = app.add_subcommand("demo", "Run a seeded day of traffic and print what a supervisor sees");
  demo_cmd->add_option("--db", demo.db, "Database directory (default: a new one under /tmp)");
  demo_cmd->add_option("--seed", demo.seed, "Random seed");
  demo_cmd->add_option("--conversations", demo.conversations, "Conversations over the day (default 3000)");
  demo_cmd->add_flag("--serve", demo.serve, "Then serve the day's database over HTTP until SIGINT or SIGTERM");
  demo_cmd->add_option("--listen", demo.listen, "With --serve: HOST:PORT (default 127.0.0.1:8080; port 0: any)");

  BenchArgs bench;
  CLI::App* bench_cmd = app.add_subcommand(
      "bench", "Measure ingest against raw RocksDB, latency, the PostgreSQL peer, replay, queries, memory and rules");
  bench_cmd->add_option("--dir", bench.dir, "Work directory (default: a new one under /tmp, removed at the end)");
  bench_cmd->add_option("--out", bench.out, "Write the figures as JSON to FILE (default bench.json)");
  bench_cmd->add_option("--seed", bench.seed, "Workload seed");
  bench_cmd->add_option("--conversations", bench.conversations,
                        "Conversations in the day's workload (default 33000: about 1,000,000 events)");
  bench_cmd->add_option("--rounds", bench.rounds, "Ingest rounds, engine and raw RocksDB in turns (default 3)")
      ->check(CLI::PositiveNumber);
  bench_cmd->add_option("--batch", bench.batch, "Events per batch for raw RocksDB and the peer (default 256)")
      ->check(CLI::PositiveNumber);
  bench_cmd->add_option("--latency-seconds", bench.latency_seconds, "Length of each open-loop run (default 30)");
  bench_cmd->add_option("--latency-at", bench.latency_shares,
                        "Open-loop rates as shares of the peak (repeatable; default 0.5 0.9)");
  bench_cmd->add_option("--long-log-days", bench.long_log_days,
                        "Days in the long log whose open is goal 4 (default 5: about 5 M events; 0: skipped)");
  bench_cmd->add_option("--open-tickets", bench.open_tickets, "Open tickets for the query latencies (default 100000)");
  bench_cmd->add_option("--memory", bench.memory_conversations,
                        "Open conversations for the memory probe (repeatable; default 100000)");

  switchboard::WorkloadOptions workload;
  std::string workload_config;
  CLI::App* generate_cmd =
      app.add_subcommand("generate", "Write a seeded workload of commands (JSON lines) to standard output");
  generate_cmd->add_option("--seed", workload.seed, "Random seed");
  generate_cmd->add_option("--commands", workload.commands, "Number of command lines");
  generate_cmd->add_option("--agents", workload.agents, "Number of agents");
  generate_cmd->add_option("--groups", workload.groups, "Number of groups besides triage");
  generate_cmd->add_option("--config-out", workload_config, "Also write the matching configuration to FILE");
  bool day = false;
  switchboard::DayOptions day_options;
  generate_cmd->add_flag(
      "--day", day, "The closed-loop day of the demo (bench/day.h) on config/demo.json instead of the flat workload");
  generate_cmd->add_option("--conversations", day_options.conversations, "--day: conversations over the day");
  generate_cmd->add_option("--days", day_options.days, "--day: that many days in a row (default 1)");
  std::string day_config;
  generate_cmd->add_option("--config", day_config, "--day: the configuration (default config/demo.json)");
  bool no_rules = false;
  generate_cmd->add_flag("--no-rules", no_rules,
                         "Leave the default triggers, automation and macro out of the configuration");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version end the parse too, with exit code 0; every usage error exits 2, the code
    // the other usage errors of this tool use (CLI11's own codes run from 100 up).
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (*generate_cmd && day) {
    day_options.seed = workload.seed;
    std::string config = switchboard::DemoConfig();
    if (!day_config.empty()) {
      std::ifstream in(day_config);
      if (!in) {
        std::fprintf(stderr, "switchboard: cannot read the configuration %s\n", day_config.c_str());
        return 2;
      }
      config.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (!workload_config.empty()) std::ofstream(workload_config) << config << "\n";
    switchboard::GenerateDay(day_options, config, [](const std::string& line) {
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fputc('\n', stdout);
    });
    return 0;
  }
  if (*generate_cmd) {
    workload.default_rules = !no_rules;
    if (!workload_config.empty()) std::ofstream(workload_config) << switchboard::WorkloadConfig(workload) << "\n";
    switchboard::GenerateWorkload(workload, [](const std::string& line) {
      std::fwrite(line.data(), 1, line.size(), stdout);
      std::fputc('\n', stdout);
    });
    return 0;
  }
  try {
    if (*run_cmd) return Run(run);
    if (*serve_cmd) return Serve(serve);
    if (*query_cmd) return Query(query);
    if (*replay_cmd) return Replay(replay);
    if (*repair_cmd) return Repair(repair);
    if (*demo_cmd) return Demo(demo);
    if (*whatif_cmd) return WhatIf(whatif);
    if (*bench_cmd) return Bench(bench);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "switchboard: %s\n", e.what());
    return 2;
  }
  return 0;
}
