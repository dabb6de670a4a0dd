// memory_bench: resident bytes per open conversation (the memory line of the benchmark issue).
//
// Opens the real engine on a fresh directory (durability buffered) with a few groups and agents, all
// offline, measures the resident set (VmRSS after malloc_trim), submits one `contact.message` from
// each of N distinct contacts (1 ms apart from 2026-11-23T08:00:00Z, messaging), drains, and
// measures again. Every conversation stays open:
//   --kind ticket  no bot: each conversation gets a ticket waiting in the queue (the worst case);
//   --kind bot     a one-question bot: each conversation waits for the contact's answer in the bot.
// Inactivity is set to 24 hours so that no timer fires during the run. Prints one JSON line:
//   {"conversations":N,"kind":K,"rss_before":B,"rss_after":A,"bytes_per_conversation":(A-B)/N, ...}
// with, after those, the malloc heap in use (mallinfo2) before and after, the tickets waiting in
// queues (from the `monitor` query: N for --kind ticket, 0 for bot), the run time, and RocksDB's
// memtables before and after (Engine::Memory): they are inside the resident set but bounded by
// their own budget (64 MiB) whatever the number of conversations, so
// bytes_per_conversation_without_memtables takes their growth out.
//
//   memory_bench --conversations 100000 [--kind ticket|bot] [--db DIR] [--long-ids]
#include <CLI/CLI.hpp>
#include <malloc.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "switchboard/engine.h"
#include "tools/bench/process_memory.h"

namespace {

using switchboard::bench::HeapInUse;
using switchboard::bench::ResidentBytes;

// 2026-11-23T08:00:00Z in seconds since the epoch.
constexpr std::int64_t kStartSeconds = 1795420800;

const char* kTicketConfig = R"({
  "settings": {"inactivity_minutes": 1440},
  "groups": [{"id": "support"}, {"id": "sales"}, {"id": "supervisors"}],
  "agents": [
    {"id": "alice", "groups": ["support"], "languages": ["en", "fr"], "capacity": {"messaging": 3, "email": 10}},
    {"id": "bob", "groups": ["support", "sales"], "languages": ["en"], "capacity": {"messaging": 3, "email": 10}},
    {"id": "carol", "groups": ["sales"], "capacity": {"messaging": 2, "email": 5}},
    {"id": "dave", "groups": ["supervisors"], "role": "supervisor"}],
  "routing": {"style": "omnichannel", "rules": [], "fallback": "support"}
})";

// The same desk with a one-question bot in front: each conversation waits in the bot.
const char* kBot = R"({"start": "ask_team",
  "steps": {"ask_team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"],
                         "save": "var.team", "retries": 1, "next": "handoff", "else": "handoff"},
            "handoff": {"handoff": {}}}})";

std::string BotConfig() {
  nlohmann::json config = nlohmann::json::parse(kTicketConfig);
  config["bot"] = nlohmann::json::parse(kBot);
  return config.dump();
}

// `at` of the i-th message: 1 ms after the one before.
std::string At(std::int64_t i) {
  std::int64_t ms = i % 1000;
  std::int64_t s = kStartSeconds + i / 1000;
  std::int64_t day = s / 86400, rem = s % 86400;
  // Civil date from days since the epoch (H. Hinnant's algorithm).
  std::int64_t z = day + 719468, era = z / 146097, doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
  std::int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", static_cast<long long>(y),
                static_cast<long long>(m), static_cast<long long>(d), static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60), static_cast<long long>(ms));
  return buf;
}

// A 36-character id shaped like a UUID, distinct per (tag, i).
std::string LongId(char tag, std::int64_t i) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%c0000000-0000-4000-8000-%012lld", tag, static_cast<long long>(i));
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t conversations = 100000;
  std::string db, kind = "ticket";
  bool long_ids = false;
  CLI::App app{"Resident bytes per open conversation in the engine"};
  app.add_option("--conversations", conversations, "Open conversations to create")->required();
  app.add_option("--db", db, "Fresh database directory (default: a temporary one, removed at the end)");
  app.add_option("--kind", kind, "ticket: each waits in the queue; bot: each waits in the bot")
      ->check(CLI::IsMember({"ticket", "bot"}));
  app.add_flag("--long-ids", long_ids, "36-character command and contact ids (UUID-like) instead of short ones");
  CLI11_PARSE(app, argc, argv);

  bool temporary = db.empty();
  if (temporary) {
    std::random_device rd;
    db = (std::filesystem::temp_directory_path() / ("switchboard-memory-" + std::to_string(rd()))).string();
  }
  if (std::filesystem::exists(db) && !std::filesystem::is_empty(db)) {
    std::fprintf(stderr, "%s is not empty: memory_bench needs a fresh directory\n", db.c_str());
    return 2;
  }

  long long rss_before = 0, rss_after = 0, heap_before = 0, heap_after = 0;
  long long queued = 0, memtables_before = 0, memtables_after = 0;
  double seconds = 0;
  std::atomic<std::int64_t> failed{0};
  {
    switchboard::Options options;
    options.db_path = db;
    options.durability = switchboard::Durability::kBuffered;
    options.config_json = kind == "bot" ? BotConfig() : std::string(kTicketConfig);
    std::unique_ptr<switchboard::Engine> engine;
    switchboard::Status s = switchboard::Engine::Open(options, &engine);
    if (!s.ok()) {
      std::fprintf(stderr, "cannot open the engine: %s\n", s.message().c_str());
      return 2;
    }
    memtables_before = static_cast<long long>(engine->Memory().store_memtables);
    rss_before = ResidentBytes();
    heap_before = HeapInUse();

    auto start = std::chrono::steady_clock::now();
    std::string line;
    for (std::int64_t i = 0; i < conversations; ++i) {
      std::string id = long_ids ? LongId('m', i) : "m" + std::to_string(i);
      std::string contact = long_ids ? LongId('c', i) : "contact-" + std::to_string(i);
      line = R"({"id":")" + id + R"(","type":"contact.message","at":")" + At(i) + R"(","contact":")" + contact +
             R"(","channel":"messaging","text":"Hello, my order has not arrived yet, can you help?"})";
      engine->Submit(std::move(line), [&failed](switchboard::Acknowledgement ack) {
        if (!ack.status.ok()) failed.fetch_add(1, std::memory_order_relaxed);
      });
    }
    engine->Drain();
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    rss_after = ResidentBytes();
    heap_after = HeapInUse();
    memtables_after = static_cast<long long>(engine->Memory().store_memtables);
    // A check that the conversations are what they should be: every ticket waits in a queue.
    std::string monitor;
    if (engine->Query({"monitor"}, &monitor).ok()) {
      for (const auto& q : nlohmann::json::parse(monitor, nullptr, false).value("queues", nlohmann::json::array())) {
        queued += q.value("size", 0LL);
      }
    }
  }
  if (temporary) {
    std::error_code ec;
    std::filesystem::remove_all(db, ec);
  }
  if (failed.load() != 0) {
    std::fprintf(stderr, "%lld commands were not acknowledged\n", static_cast<long long>(failed.load()));
    return 1;
  }
  auto per = [&](long long bytes) { return conversations > 0 ? bytes / conversations : 0; };
  std::printf(
      "{\"conversations\":%lld,\"kind\":\"%s\",\"rss_before\":%lld,\"rss_after\":%lld,\"bytes_per_conversation\":%lld,"
      "\"heap_before\":%lld,\"heap_after\":%lld,\"heap_bytes_per_conversation\":%lld,\"queued\":%lld,\"seconds\":%.2f,"
      "\"memtables_before\":%lld,\"memtables_after\":%lld,\"bytes_per_conversation_without_memtables\":%lld}\n",
      static_cast<long long>(conversations), kind.c_str(), rss_before, rss_after, per(rss_after - rss_before),
      heap_before, heap_after, per(heap_after - heap_before), queued, seconds, memtables_before, memtables_after,
      per((rss_after - rss_before) - (memtables_after - memtables_before)));
  return 0;
}
