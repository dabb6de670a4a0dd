// serve_bench: `switchboard serve` (the HTTP front door, tools/serve/) against `switchboard run` on
// the same input, and the same again with SSE subscribers on /v1/events (docs/PERFORMANCE.md, "The
// HTTP front door (serve)").
//
// Each run opens a fresh engine in a temporary directory, with the Options `switchboard run` uses
// by default (sync durability, groups of 1,024, 8,192 in flight), and puts --config in force:
//   run    every line through Engine::SubmitLine, acknowledgements rendered as JSON lines on another
//          thread (as `run > /dev/null` does), then Drain: commands/s over the wall time;
//   serve  an HttpServer on 127.0.0.1 (any port, default limits); --clients threads, each with one
//          keep-alive connection, take the next --batch lines from a shared cursor (so the order of
//          the input is roughly kept) and POST them to /v1/commands, one object or, with --batch K
//          > 1, an array of K; commands/s, requests/s and the latency of each request;
//   sse    as serve, but first --subscribers connections to /v1/events?from=1, held by one thread
//          with async reads; once the clients are done and the engine has drained, waits (up to
//          --sse-deadline-s) until every subscriber has the last seq, and checks that each saw
//          every seq from 1 exactly once, in order.
// Commands arrive slightly out of order through concurrent clients, so a few more may be refused
// (`command.rejected`) than in `run`: each mode reports its rejections.
//
//   serve_bench --input day10k.jsonl --config cfg.json [--clients 16] [--batch 1] [--subscribers 1000]
//               [--runs 3] [--durability sync|buffered] [--out serve_bench.json]
#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "switchboard/engine.h"
#include "tools/serve/api.h"
#include "tools/serve/server.h"

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;
using nlohmann::json;
using switchboard::Acknowledgement;
using switchboard::Engine;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// User + system CPU of the whole process (engine, server and clients: they share the two cores).
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// How often `needle` occurs in `text`.
std::size_t Count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++n;
  return n;
}

struct Input {
  std::vector<std::string> lines;
  std::vector<std::uint64_t> numbers;  // each line's place in the file, from 1 (blank lines count)
};

bool ReadInput(const std::string& path, Input* in) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return false;
  std::string line;
  for (std::uint64_t number = 1; std::getline(file, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;  // as `run`: not commands
    in->lines.push_back(std::move(line));
    in->numbers.push_back(number);
  }
  return true;
}

// A fresh database directory, removed with this object.
class TempDb {
 public:
  TempDb() {
    std::random_device rd;
    path_ = (std::filesystem::temp_directory_path() / ("switchboard-serve-bench-" + std::to_string(rd()))).string();
  }
  ~TempDb() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `switchboard run`'s defaults (tools/run_command.h): they are Options' own. --durability buffered
// (for both modes) shows how much of a gap is the fsync of small groups.
switchboard::Durability durability = switchboard::Durability::kSync;

std::unique_ptr<Engine> OpenEngine(const std::string& db, const std::string& config) {
  switchboard::Options options;
  options.db_path = db;
  options.config_json = config;
  options.durability = durability;
  std::unique_ptr<Engine> engine;
  if (switchboard::Status s = Engine::Open(options, &engine); !s.ok()) {
    std::fprintf(stderr, "serve_bench: cannot open the engine: %s\n", s.message().c_str());
    return nullptr;
  }
  return engine;
}

// What one mode measured.
struct Result {
  std::string mode;
  std::uint64_t commands = 0, requests = 0, events = 0, rejected = 0, errors = 0;
  double seconds = 0, cpu_seconds = 0;
  std::vector<double> latency_ms;  // sorted; one per request (serve, sse)
  // sse only
  std::size_t subscribers = 0, complete = 0;
  std::uint64_t last_seq = 0, gaps = 0, repeats = 0, missing = 0, delivered = 0;
  double catch_up_seconds = 0;  // from the drain to the last subscriber having the last seq
  long long peak_rss = 0;

  double CommandsPerSecond() const { return seconds > 0 ? static_cast<double>(commands) / seconds : 0; }
  double RequestsPerSecond() const { return seconds > 0 ? static_cast<double>(requests) / seconds : 0; }
  double Percentile(double p) const {
    if (latency_ms.empty()) return 0;
    std::size_t i = static_cast<std::size_t>(p * static_cast<double>(latency_ms.size() - 1) + 0.5);
    return latency_ms[std::min(i, latency_ms.size() - 1)];
  }
};

// ---- run: the engine alone, as `switchboard run` drives it ----

// Acknowledgements from the engine's thread to the one that renders them (run's printer).
class AckQueue {
 public:
  void Push(Acknowledgement ack) {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(ack));
    ready_.notify_one();
  }
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    ready_.notify_one();
  }
  bool PopAll(std::deque<Acknowledgement>* out) {
    std::unique_lock<std::mutex> lock(mu_);
    ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
    out->swap(queue_);
    return !out->empty() || !closed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Acknowledgement> queue_;
  bool closed_ = false;
};

bool RunEngine(const Input& in, const std::string& config, Result* r) {
  r->mode = "run";
  TempDb db;
  std::unique_ptr<Engine> engine = OpenEngine(db.path(), config);
  if (!engine) return false;
  AckQueue acks;
  engine->OnBackground([&acks](Acknowledgement ack) { acks.Push(std::move(ack)); });
  std::thread printer([&] {
    // The events go where `run > /dev/null` sends them, through a stdio buffer as run's do.
    FILE* sink = std::fopen("/dev/null", "w");
    static char buffer[1 << 16];
    std::setvbuf(sink, buffer, _IOFBF, sizeof buffer);
    std::deque<Acknowledgement> batch;
    while (acks.PopAll(&batch)) {
      for (const Acknowledgement& ack : batch) {
        if (!ack.status.ok()) ++r->errors;
        for (const std::string& event : ack.EventsAsJson()) {
          ++r->events;
          if (switchboard::serve::TypeOf(event) == "command.rejected") ++r->rejected;
          std::fwrite(event.data(), 1, event.size(), sink);
          std::fputc('\n', sink);
        }
      }
      batch.clear();
    }
    std::fclose(sink);
  });
  const double cpu = CpuSeconds();
  const auto start = Clock::now();
  for (std::size_t i = 0; i < in.lines.size(); ++i) {
    engine->SubmitLine(in.lines[i], in.numbers[i], [&acks](Acknowledgement ack) { acks.Push(std::move(ack)); });
  }
  engine->Drain();
  acks.Close();
  printer.join();
  r->seconds = Seconds(Clock::now() - start);
  r->cpu_seconds = CpuSeconds() - cpu;
  r->commands = in.lines.size();
  r->last_seq = engine->LastSeq();
  return true;
}

// ---- serve: keep-alive HTTP clients ----

struct ClientTally {
  std::vector<double> latency_ms;
  std::uint64_t requests = 0, events = 0, rejected = 0, errors = 0;
};

// One client: one keep-alive connection; takes the next `batch` lines until there are none.
void Client(std::uint16_t port, const Input& in, std::size_t batch, std::atomic<std::size_t>& cursor,
            ClientTally* tally) {
  net::io_context ioc;
  tcp::socket socket(ioc);
  beast::error_code ec;
  socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
  if (ec) {
    std::fprintf(stderr, "serve_bench: cannot connect: %s\n", ec.message().c_str());
    ++tally->errors;
    return;
  }
  socket.set_option(tcp::no_delay(true));
  beast::flat_buffer buffer;
  http::request<http::string_body> request{http::verb::post, "/v1/commands", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  for (;;) {
    const std::size_t first = cursor.fetch_add(batch);
    if (first >= in.lines.size()) break;
    const std::size_t end = std::min(first + batch, in.lines.size());
    std::string& body = request.body();
    if (batch == 1) {
      body = in.lines[first];
    } else {
      body = "[";
      for (std::size_t i = first; i < end; ++i) {
        if (i > first) body += ',';
        body += in.lines[i];
      }
      body += ']';
    }
    request.prepare_payload();
    const auto sent = Clock::now();
    http::response<http::string_body> response;
    http::write(socket, request, ec);
    if (!ec) http::read(socket, buffer, response, ec);
    tally->latency_ms.push_back(Seconds(Clock::now() - sent) * 1e3);
    ++tally->requests;
    if (ec || response.result_int() != 200) {
      if (tally->errors++ == 0) {
        std::fprintf(stderr, "serve_bench: request failed: %s %s\n", ec ? ec.message().c_str() : "",
                     ec ? "" : response.body().c_str());
      }
      if (ec) return;  // the connection is gone
      continue;
    }
    tally->events += Count(response.body(), "{\"seq\":");
    tally->rejected += Count(response.body(), "\"type\":\"command.rejected\"");
  }
}

// Runs the clients against `port` until the input is used up, then drains the engine.
void DriveClients(Engine& engine, std::uint16_t port, const Input& in, std::size_t clients, std::size_t batch,
                  Result* r) {
  std::atomic<std::size_t> cursor{0};
  std::vector<ClientTally> tallies(clients);
  const double cpu = CpuSeconds();
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < clients; ++i) {
    threads.emplace_back(Client, port, std::cref(in), batch, std::ref(cursor), &tallies[i]);
  }
  for (std::thread& t : threads) t.join();
  engine.Drain();  // the bot's lookups, if any; every answered command is durable already
  r->seconds = Seconds(Clock::now() - start);
  r->cpu_seconds = CpuSeconds() - cpu;
  r->commands = in.lines.size();
  for (ClientTally& t : tallies) {
    r->requests += t.requests;
    r->events += t.events;
    r->rejected += t.rejected;
    r->errors += t.errors;
    r->latency_ms.insert(r->latency_ms.end(), t.latency_ms.begin(), t.latency_ms.end());
  }
  std::sort(r->latency_ms.begin(), r->latency_ms.end());
  r->last_seq = engine.LastSeq();
}

int subscriber_nice = 0;  // --subscriber-nice

// ---- sse: subscribers to /v1/events, one thread, async reads ----

// One subscriber: reads the stream and checks that its ids run 1, 2, 3 ... with no gap and no repeat.
class Subscriber : public std::enable_shared_from_this<Subscriber> {
 public:
  Subscriber(net::io_context& ioc, std::atomic<std::size_t>& ready) : socket_(ioc), ready_(ready) {}

  void Start(const tcp::endpoint& server) {
    socket_.async_connect(server, [self = shared_from_this()](beast::error_code ec) {
      if (ec) return self->Fail("connect: " + ec.message());
      net::async_write(self->socket_, net::buffer(kRequest), [self](beast::error_code wec, std::size_t) {
        if (wec) return self->Fail("write: " + wec.message());
        self->Read();
      });
    });
  }
  void Close() {
    closed_ = true;  // what follows is no failure
    beast::error_code ec;
    socket_.close(ec);
  }

  std::atomic<std::uint64_t> last{0};  // the last seq received, read by the main thread
  std::uint64_t received = 0, gaps = 0, repeats = 0;
  std::string error;

 private:
  static constexpr std::string_view kRequest = "GET /v1/events?from=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

  void Read() {
    if (data_.size() - used_ < kChunk) data_.resize(used_ + kChunk);
    socket_.async_read_some(net::buffer(data_.data() + used_, data_.size() - used_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              if (ec) return self->Fail(ec == net::error::eof ? "closed by the server" : ec.message());
                              self->used_ += n;
                              self->Parse();
                              self->Read();
                            });
  }

  // Consumes every whole event in the buffer ("id: N\nevent: T\ndata: J\n\n"); keeps a partial one.
  void Parse() {
    std::string_view text(data_.data(), used_);
    std::size_t at = 0;
    if (!header_done_) {
      const std::size_t end = text.find("\r\n\r\n");
      if (end == std::string_view::npos) return;
      if (text.substr(0, end).find(" 200 ") == std::string_view::npos) {
        return Fail("refused: " + std::string(text.substr(0, text.find("\r\n"))));
      }
      header_done_ = true;
      ready_.fetch_add(1);
      at = end + 4;
    }
    for (;;) {
      const std::size_t end = text.find("\n\n", at);
      if (end == std::string_view::npos) break;
      std::string_view event = text.substr(at, end - at);
      at = end + 2;
      if (event.rfind("id: ", 0) != 0) continue;
      std::uint64_t seq = 0;
      std::from_chars(event.data() + 4, event.data() + event.size(), seq);
      const std::uint64_t expected = last.load(std::memory_order_relaxed) + 1;
      ++received;
      if (seq < expected) {
        ++repeats;
        continue;
      }
      if (seq > expected) gaps += seq - expected;
      last.store(seq, std::memory_order_release);
    }
    used_ -= at;
    std::memmove(data_.data(), data_.data() + at, used_);  // the partial event, to the front
  }

  void Fail(std::string why) {
    if (closed_) return;  // closed by us at the end
    if (error.empty()) error = std::move(why);
    if (!header_done_) ready_.fetch_add(1);  // counted, so nobody waits for it; reported as failed
    header_done_ = true;
  }

  static constexpr std::size_t kChunk = 64 << 10;
  tcp::socket socket_;
  std::atomic<std::size_t>& ready_;
  std::vector<char> data_;
  std::size_t used_ = 0;
  bool header_done_ = false;
  bool closed_ = false;
};

// Each subscription holds a socket on both sides, and RocksDB its files: lift the soft limit.
void RaiseFileLimit(std::size_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= needed) return;
  limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, needed);
  setrlimit(RLIMIT_NOFILE, &limit);
}

bool RunServe(const Input& in, const std::string& config, std::size_t clients, std::size_t batch,
              std::size_t subscribers, double deadline_s, Result* r) {
  r->mode = subscribers > 0 ? "sse" : "serve";
  TempDb db;
  std::unique_ptr<Engine> engine = OpenEngine(db.path(), config);
  if (!engine) return false;
  std::unique_ptr<switchboard::serve::HttpServer> server;
  if (switchboard::Status s = switchboard::serve::HttpServer::Start(engine.get(), "127.0.0.1", 0,
                                                                    switchboard::serve::ServeLimits{}, &server);
      !s.ok()) {
    std::fprintf(stderr, "serve_bench: cannot start the server: %s\n", s.message().c_str());
    return false;
  }

  net::io_context ioc;
  std::atomic<std::size_t> ready{0};
  std::vector<std::shared_ptr<Subscriber>> subs;
  const tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), server->port()};
  for (std::size_t i = 0; i < subscribers; ++i) {
    subs.push_back(std::make_shared<Subscriber>(ioc, ready));
    subs.back()->Start(endpoint);
  }
  std::thread io([&ioc] {
    // The subscribers stand for browsers on other machines: with --subscriber-nice they yield this
    // machine's CPU to the server, as they would not take it at all from elsewhere.
    if (subscriber_nice != 0) (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), subscriber_nice);
    ioc.run();
  });
  // Every subscriber connected (its header in) before the first command.
  const auto wait_until = Clock::now() + std::chrono::seconds(30);
  while (ready.load() < subscribers && Clock::now() < wait_until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  DriveClients(*engine, server->port(), in, clients, batch, r);

  if (subscribers > 0) {
    const auto drained = Clock::now();
    const auto deadline = drained + std::chrono::duration<double>(deadline_s);
    std::size_t behind = subscribers;
    while (Clock::now() < deadline) {
      behind = 0;
      for (const auto& s : subs) behind += s->last.load(std::memory_order_acquire) < r->last_seq;
      if (behind == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    r->catch_up_seconds = Seconds(Clock::now() - drained);
  }
  r->peak_rss = 0;
  {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    r->peak_rss = static_cast<long long>(u.ru_maxrss) * 1024;  // of the process so far
  }
  // Stop reading first, so the tallies stay as they are, then read them on this thread.
  net::post(ioc, [&] {
    for (auto& s : subs) s->Close();
    ioc.stop();
  });
  io.join();
  r->subscribers = subscribers;
  bool reported = false;
  for (const auto& s : subs) {
    const std::uint64_t last = s->last.load();
    r->gaps += s->gaps;
    r->repeats += s->repeats;
    r->delivered += s->received;
    if (last < r->last_seq) r->missing += r->last_seq - last;
    if (last >= r->last_seq && s->gaps == 0 && s->repeats == 0) ++r->complete;
    if (!s->error.empty() && !reported) {
      std::fprintf(stderr, "serve_bench: a subscriber ended early (at seq %llu): %s\n",
                   static_cast<unsigned long long>(last), s->error.c_str());
      reported = true;
    }
  }
  server->Stop();
  return true;
}

// ---- report ----

json ToJson(const Result& r) {
  json j = {{"mode", r.mode},
            {"commands", r.commands},
            {"seconds", r.seconds},
            {"cpu_seconds", r.cpu_seconds},
            {"commands_per_s", r.CommandsPerSecond()},
            {"events", r.events},
            {"last_seq", r.last_seq},
            {"rejected", r.rejected},
            {"errors", r.errors}};
  if (r.mode != "run") {
    j["requests"] = r.requests;
    j["requests_per_s"] = r.RequestsPerSecond();
    j["latency_ms"] = {{"p50", r.Percentile(0.50)},
                       {"p90", r.Percentile(0.90)},
                       {"p99", r.Percentile(0.99)},
                       {"max", r.latency_ms.empty() ? 0.0 : r.latency_ms.back()}};
  }
  if (r.mode == "sse") {
    j["subscribers"] = r.subscribers;
    j["subscribers_complete"] = r.complete;
    j["events_delivered"] = r.delivered;
    j["gaps"] = r.gaps;
    j["repeats"] = r.repeats;
    j["missing"] = r.missing;
    j["catch_up_seconds"] = r.catch_up_seconds;
    j["peak_rss_bytes"] = r.peak_rss;
  }
  return j;
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void PrintRow(const Result& r) {
  std::printf("%-6s %8.3f s %9.0f cmd/s %8.0f req/s  p50 %7.2f  p90 %7.2f  p99 %7.2f  max %8.2f ms  rejected %llu",
              r.mode.c_str(), r.seconds, r.CommandsPerSecond(), r.RequestsPerSecond(), r.Percentile(0.5),
              r.Percentile(0.9), r.Percentile(0.99), r.latency_ms.empty() ? 0.0 : r.latency_ms.back(),
              static_cast<unsigned long long>(r.rejected));
  if (r.mode == "sse") {
    std::printf("  subscribers %zu/%zu complete, gaps %llu, repeats %llu, catch-up %.2f s", r.complete, r.subscribers,
                static_cast<unsigned long long>(r.gaps), static_cast<unsigned long long>(r.repeats),
                r.catch_up_seconds);
  }
  if (r.errors) std::printf("  ERRORS %llu", static_cast<unsigned long long>(r.errors));
  std::printf("\n");
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::string input, config_file, out;
  std::size_t clients = 16, batch = 1, subscribers = 1000;
  int runs = 1;
  double deadline_s = 120;
  CLI::App app{"switchboard serve (HTTP) against switchboard run, with and without SSE subscribers"};
  app.add_option("--input", input, "Commands, one JSON line each (switchboard generate --day)")->required();
  app.add_option("--config", config_file, "Configuration to put in force (generate's --config-out)");
  app.add_option("--clients", clients, "Concurrent keep-alive clients (default 16)")->check(CLI::PositiveNumber);
  app.add_option("--batch", batch, "Commands per request, as a JSON array when > 1 (default 1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--subscribers", subscribers, "SSE subscribers in the third mode; 0 leaves it out (default 1000)");
  app.add_option("--subscriber-nice", subscriber_nice,
                 "Nice value of the subscribers' reading thread (default 0: they compete with the server)");
  app.add_option("--sse-deadline-s", deadline_s, "How long subscribers may take to catch up after the drain");
  app.add_option("--runs", runs, "Rounds of run, serve and sse, alternating; medians reported (default 1)")
      ->check(CLI::PositiveNumber);
  app.add_option("--out", out, "Write every figure as JSON to this file");
  std::string durability_name = "sync";
  app.add_option("--durability", durability_name, "sync (default, as run and serve) or buffered")
      ->check(CLI::IsMember({"sync", "buffered"}));
  CLI11_PARSE(app, argc, argv);
  if (durability_name == "buffered") durability = switchboard::Durability::kBuffered;

  Input in;
  if (!ReadInput(input, &in)) {
    std::fprintf(stderr, "serve_bench: cannot read %s\n", input.c_str());
    return 2;
  }
  std::string config;
  if (!config_file.empty()) {
    std::ifstream file(config_file, std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "serve_bench: cannot read %s\n", config_file.c_str());
      return 2;
    }
    std::ostringstream text;
    text << file.rdbuf();
    config = text.str();
  }
  RaiseFileLimit(2 * (subscribers + clients) + 4096);
  std::printf("%zu commands, %zu clients, batch %zu, %zu subscribers, %d runs\n", in.lines.size(), clients, batch,
              subscribers, runs);

  std::vector<Result> results;
  for (int round = 0; round < runs; ++round) {
    Result run, serve, sse;
    if (!RunEngine(in, config, &run)) return 2;
    PrintRow(run);
    if (!RunServe(in, config, clients, batch, 0, deadline_s, &serve)) return 2;
    PrintRow(serve);
    results.push_back(std::move(run));
    results.push_back(std::move(serve));
    if (subscribers > 0) {
      if (!RunServe(in, config, clients, batch, subscribers, deadline_s, &sse)) return 2;
      PrintRow(sse);
      results.push_back(std::move(sse));
    }
  }

  // Medians per mode; the ratios of the medians, and pair by pair (the same round).
  auto median_of = [&](const std::string& mode, auto field) {
    std::vector<double> v;
    for (const Result& r : results) {
      if (r.mode == mode) v.push_back(field(r));
    }
    return Median(v);
  };
  auto rate = [](const Result& r) { return r.CommandsPerSecond(); };
  std::vector<double> serve_ratio, sse_drop;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].mode == "serve") serve_ratio.push_back(rate(results[i]) / rate(results[i - 1]));
    if (results[i].mode == "sse") sse_drop.push_back(1 - rate(results[i]) / rate(results[i - 1]));
  }
  json summary = {
      {"run_commands_per_s", median_of("run", rate)},
      {"serve_commands_per_s", median_of("serve", rate)},
      {"serve_requests_per_s", median_of("serve", [](const Result& r) { return r.RequestsPerSecond(); })},
      {"serve_p50_ms", median_of("serve", [](const Result& r) { return r.Percentile(0.5); })},
      {"serve_p90_ms", median_of("serve", [](const Result& r) { return r.Percentile(0.9); })},
      {"serve_p99_ms", median_of("serve", [](const Result& r) { return r.Percentile(0.99); })},
      {"serve_max_ms",
       median_of("serve", [](const Result& r) { return r.latency_ms.empty() ? 0 : r.latency_ms.back(); })},
      {"serve_over_run", Median(serve_ratio)},
      {"serve_over_run_pairs", serve_ratio},
  };
  std::printf("\nmedians of %d: run %.0f cmd/s; serve %.0f cmd/s (%.0f req/s, p50 %.2f ms, p99 %.2f ms), %.2f of run",
              runs, summary["run_commands_per_s"].get<double>(), summary["serve_commands_per_s"].get<double>(),
              summary["serve_requests_per_s"].get<double>(), summary["serve_p50_ms"].get<double>(),
              summary["serve_p99_ms"].get<double>(), summary["serve_over_run"].get<double>());
  if (subscribers > 0) {
    summary["sse_commands_per_s"] = median_of("sse", rate);
    summary["sse_p50_ms"] = median_of("sse", [](const Result& r) { return r.Percentile(0.5); });
    summary["sse_p99_ms"] = median_of("sse", [](const Result& r) { return r.Percentile(0.99); });
    summary["sse_catch_up_seconds"] = median_of("sse", [](const Result& r) { return r.catch_up_seconds; });
    summary["sse_drop_vs_serve"] = Median(sse_drop);
    summary["sse_drop_vs_serve_pairs"] = sse_drop;
    std::printf("; sse %.0f cmd/s, a drop of %.0f %% from serve", summary["sse_commands_per_s"].get<double>(),
                100 * summary["sse_drop_vs_serve"].get<double>());
  }
  std::printf("\n");
  if (!out.empty()) {
    json document = {{"input", input},
                     {"config", config_file},
                     {"commands", in.lines.size()},
                     {"clients", clients},
                     {"batch", batch},
                     {"subscribers", subscribers},
                     {"runs", runs},
                     {"durability", durability_name},
                     {"summary", summary},
                     {"results", json::array()}};
    for (const Result& r : results) document["results"].push_back(ToJson(r));
    std::ofstream(out) << document.dump(2) << "\n";
  }
  // Nonzero when a mode lost commands or a subscriber missed events: the figures would mislead.
  for (const Result& r : results) {
    if (r.errors != 0 || (r.mode == "sse" && r.complete != r.subscribers)) return 1;
  }
  return 0;
}
