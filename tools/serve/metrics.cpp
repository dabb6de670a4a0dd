#include "tools/serve/metrics.h"

namespace switchboard::serve {

void Metrics::Answered(int status, std::chrono::steady_clock::duration elapsed) {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  latency_[bucket].fetch_add(1, std::memory_order_relaxed);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
  const int klass = status / 100;
  if (klass >= 1 && klass <= 5) by_class_[klass].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::Render(Engine& engine, std::size_t connections) const {
  std::string out;
  auto line = [&out](const std::string& name, const std::string& labels, double value) {
    out += name + labels + " " + std::to_string(value) + "\n";
  };
  auto head = [&out](const std::string& name, const char* type, const char* help) {
    out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  };
  head("switchboard_http_requests_total", "counter", "HTTP requests read");
  line("switchboard_http_requests_total", "", static_cast<double>(requests.load()));
  head("switchboard_http_responses_total", "counter", "HTTP responses sent, by status class");
  for (int k = 1; k <= 5; ++k) {
    line("switchboard_http_responses_total", "{code=\"" + std::to_string(k) + "xx\"}",
         static_cast<double>(by_class_[k].load()));
  }
  head("switchboard_command_requests_total", "counter", "POST /v1/commands answered");
  line("switchboard_command_requests_total", "", static_cast<double>(commands.load()));
  head("switchboard_http_response_seconds", "histogram", "time from a request read to its answer");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kBuckets.size(); ++b) {
    cumulative += latency_[b].load();
    line("switchboard_http_response_seconds_bucket", "{le=\"" + std::to_string(kBuckets[b]) + "\"}",
         static_cast<double>(cumulative));
  }
  cumulative += latency_[kBuckets.size()].load();
  line("switchboard_http_response_seconds_bucket", "{le=\"+Inf\"}", static_cast<double>(cumulative));
  line("switchboard_http_response_seconds_sum", "", static_cast<double>(latency_sum_us_.load()) / 1e6);
  line("switchboard_http_response_seconds_count", "", static_cast<double>(cumulative));
  head("switchboard_http_connections", "gauge", "open HTTP connections");
  line("switchboard_http_connections", "", static_cast<double>(connections));
  head("switchboard_http_streams", "gauge", "open event streams (SSE)");
  line("switchboard_http_streams", "", static_cast<double>(streams.load()));
  head("switchboard_http_refused_connections_total", "counter", "connections refused over the limit");
  line("switchboard_http_refused_connections_total", "", static_cast<double>(refused_connections.load()));
  head("switchboard_http_dropped_streams_total", "counter", "streams closed for falling too far behind");
  line("switchboard_http_dropped_streams_total", "", static_cast<double>(dropped_streams.load()));
  head("switchboard_events_total", "counter", "events in the log (the last seq)");
  line("switchboard_events_total", "", static_cast<double>(engine.LastSeq()));
  const MemoryUsage m = engine.Memory();
  head("switchboard_held", "gauge", "what the desk holds in memory");
  line("switchboard_held", "{what=\"tickets\"}", static_cast<double>(m.tickets));
  line("switchboard_held", "{what=\"conversations\"}", static_cast<double>(m.conversations));
  line("switchboard_held", "{what=\"contacts\"}", static_cast<double>(m.contacts));
  line("switchboard_held", "{what=\"conversation_actors\"}", static_cast<double>(m.conversation_actors));
  head("switchboard_store_bytes", "gauge", "the store's memory");
  line("switchboard_store_bytes", "{what=\"memtables\"}", static_cast<double>(m.store_memtables));
  line("switchboard_store_bytes", "{what=\"block_cache\"}", static_cast<double>(m.store_block_cache));
  head("switchboard_up", "gauge", "1 while the engine works, 0 once it has stopped (see /healthz)");
  line("switchboard_up", "", engine.BackgroundError().ok() ? 1 : 0);
  return out;
}

}  // namespace switchboard::serve
