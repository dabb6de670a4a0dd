// memory_days: resident memory as history grows with open work held steady (issue: memory bounded
// by open work). Feeds a file of command lines (`switchboard generate --day --days N`) to the real
// engine on a fresh directory and, at the start of each new UTC day of the lines' `at` and at the
// end, drains, gives free heap pages back (malloc_trim) and prints one JSON line:
//   {"day":D,"commands":C,"events":E,"tickets_open":T,"conversations_open":V,"rss":B,"memtables":M,
//    "rss_less_memtables":B-M,"block_cache":K,"table_readers":R,"heap":H,"held_contacts":..., ...}
// where tickets_open counts tickets created and not closed, conversations_open conversations started
// and neither self-solved nor ended with their ticket's closing (from the acknowledged events), the
// store's figures and the held counts are Engine::Memory(), and heap is the main malloc arena's use.
// The memtables fill up to 64 MiB and empty at each flush, wherever the day ends, and the block
// cache fills to its 32 MiB over the first days: rss - memtables - block_cache is the figure that
// compares days (docs/PERFORMANCE.md, "Memory per day of history"); with MALLOC_ARENA_MAX=1, heap
// counts every thread's allocations.
//
//   switchboard generate --day --days 10 --conversations 10000 --config CFG > days.jsonl
//   memory_days --in days.jsonl --config CFG
#include <CLI/CLI.hpp>
#include <malloc.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>

#include "events/codec.h"
#include "switchboard/engine.h"
#include "tools/bench/process_memory.h"

namespace {

using switchboard::bench::HeapInUse;
using switchboard::bench::ResidentBytes;

// The date (YYYY-MM-DD) of a line's "at", empty when it has none.
std::string DayOf(const std::string& line) {
  std::size_t at = line.find("\"at\":\"");
  return at == std::string::npos ? "" : line.substr(at + 6, 10);
}

struct Counts {
  std::atomic<long long> events{0}, tickets_open{0}, conversations_open{0};
};

void Count(Counts& counts, const switchboard::Acknowledgement& ack) {
  counts.events += static_cast<long long>(ack.events.size());
  for (const std::string& bytes : ack.events) {
    const switchboard::fb::Event* e = switchboard::VerifyEvent(bytes);
    if (e == nullptr) continue;
    switch (e->payload_type()) {
      case switchboard::fb::Payload::TicketCreated:
        ++counts.tickets_open;
        break;
      case switchboard::fb::Payload::ConversationStarted:
        ++counts.conversations_open;
        break;
      case switchboard::fb::Payload::ConversationSelfSolved:
        --counts.conversations_open;
        break;
      case switchboard::fb::Payload::TicketStatusChanged:
        if (e->payload_as_TicketStatusChanged()->to()->string_view() == "closed") {
          --counts.tickets_open;
          --counts.conversations_open;
        }
        break;
      default:
        break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::string in, config_path, db;
  std::size_t write_buffer_mib = 64, block_cache_mib = 32;
  CLI::App app{"Resident memory per day of history, the engine fed a file of command lines"};
  app.add_option("--in", in, "Command lines (JSON lines)")->required();
  app.add_option("--config", config_path, "The configuration the lines were generated for")->required();
  app.add_option("--db", db, "Fresh database directory (default: a temporary one, removed at the end)");
  app.add_option("--write-buffer-mib", write_buffer_mib, "The store's memtable budget (default 64, the engine's)");
  app.add_option("--block-cache-mib", block_cache_mib, "The store's block cache (default 32, the engine's)");
  CLI11_PARSE(app, argc, argv);

  std::ifstream config_in(config_path);
  std::ifstream lines(in);
  if (!config_in || !lines) {
    std::fprintf(stderr, "cannot read %s\n", !config_in ? config_path.c_str() : in.c_str());
    return 2;
  }
  const bool temporary = db.empty();
  if (temporary) {
    std::random_device rd;
    db = (std::filesystem::temp_directory_path() / ("switchboard-days-" + std::to_string(rd()))).string();
  }
  int rc = 0;
  {
    switchboard::Options options;
    options.db_path = db;
    options.write_buffer_bytes = write_buffer_mib << 20;
    options.block_cache_bytes = block_cache_mib << 20;
    options.config_json.assign(std::istreambuf_iterator<char>(config_in), std::istreambuf_iterator<char>());
    std::unique_ptr<switchboard::Engine> engine;
    switchboard::Status s = switchboard::Engine::Open(options, &engine);
    if (!s.ok()) {
      std::fprintf(stderr, "cannot open the engine: %s\n", s.message().c_str());
      return 2;
    }
    Counts counts;
    engine->OnBackground([&counts](switchboard::Acknowledgement ack) { Count(counts, ack); });
    long long commands = 0;
    int day = 0;
    std::string today;
    auto report = [&] {
      engine->Drain();
      // The store's flushes and compactions hold buffers while they run: measure between them.
      while (engine->Memory().store_background_jobs != 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      const switchboard::MemoryUsage m = engine->Memory();
      const long long rss = ResidentBytes();
      std::printf(
          "{\"day\":%d,\"commands\":%lld,\"events\":%lld,\"tickets_open\":%lld,\"conversations_open\":%lld,"
          "\"rss\":%lld,\"memtables\":%llu,\"rss_less_memtables\":%lld,\"block_cache\":%llu,"
          "\"table_readers\":%llu,\"heap\":%lld,\"held_contacts\":%llu,\"held_conversations\":%llu,"
          "\"held_tickets\":%llu}\n",
          day, commands, counts.events.load(), counts.tickets_open.load(), counts.conversations_open.load(), rss,
          static_cast<unsigned long long>(m.store_memtables), rss - static_cast<long long>(m.store_memtables),
          static_cast<unsigned long long>(m.store_block_cache), static_cast<unsigned long long>(m.store_table_readers),
          HeapInUse(), static_cast<unsigned long long>(m.contacts), static_cast<unsigned long long>(m.conversations),
          static_cast<unsigned long long>(m.tickets));
      std::fflush(stdout);
    };
    std::string line;
    while (std::getline(lines, line)) {
      const std::string date = DayOf(line);
      if (!date.empty() && date != today) {
        if (!today.empty()) {
          report();
        }
        today = date;
        ++day;
      }
      ++commands;
      engine->Submit(std::move(line), [&counts](switchboard::Acknowledgement ack) { Count(counts, ack); });
    }
    report();
    if (!engine->BackgroundError().ok()) rc = 1;
  }
  if (temporary) std::filesystem::remove_all(db);
  return rc;
}
