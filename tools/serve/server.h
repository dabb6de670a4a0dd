// HttpServer: `switchboard serve`'s HTTP/1.1 front door (Boost.Beast) over one embedded Engine.
//
// Keep-alive connections, each on a strand of one io_context run by a few threads; the API itself is
// tools/serve/api.h. Two paths stream Server-Sent Events instead of answering once: /v1/events (every
// event once durable, in log order, from `from` or after `Last-Event-ID`) and /v1/agents/ID/feed (the
// agent's live feed, Engine::SubscribeAgent). Limits (ServeLimits) refuse what would hold a thread or
// memory, each with an HTTP error; the engine goes on. The server also delivers the configuration's
// outbound webhooks (tools/serve/webhooks.h) and takes Twilio's inbound messages
// (tools/serve/inbound.h). Thread-safety: Start and Stop from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "switchboard/engine.h"
#include "switchboard/status.h"
#include "tools/serve/webhooks.h"

namespace switchboard::serve {

struct ServeLimits {
  std::size_t max_body_bytes = 1u << 20;             // a larger body is refused with 413
  std::size_t max_header_bytes = 16u << 10;          // larger headers: 431
  int read_timeout_ms = 30'000;                      // a request must arrive whole within this (slow clients)
  int idle_timeout_ms = 120'000;                     // a keep-alive connection idle this long is closed
  std::size_t max_connections = 2048;                // one more is answered 503 and closed
  std::size_t max_stream_backlog_bytes = 64u << 20;  // agent feeds: a client this far behind is disconnected;
                                                     // /v1/events: the ring of recent messages (older: the log)
  int stream_tick_ms = 50;                           // /v1/events streams write at most once per tick
  int stream_threads = 1;                            // the threads of /v1/events streams
  int stream_nice = 10;                              // their scheduling priority (nice), below the requests
  int threads = 2;
  WebhookOptions webhooks;  // the outbound webhooks' time-out, backoff and circuit breaker
};

class HttpServer {
 public:
  // Listens on host:port (port 0: any free one; see port()).
  static Status Start(Engine* engine, const std::string& host, std::uint16_t port, const ServeLimits& limits,
                      std::unique_ptr<HttpServer>* out);
  virtual ~HttpServer();
  virtual std::uint16_t port() const = 0;
  // The connections open now (streams included).
  virtual std::size_t connections() const = 0;
  // Closes the listener and every connection (ending their subscriptions) and joins the threads.
  virtual void Stop() = 0;
};

}  // namespace switchboard::serve
