// Webhooks: the outbound webhooks of the configuration in force (`webhooks: [{id, url, events,
// secret}]`), each delivered from the log by a thread of its own (docs/PROTOCOL.md, "Webhook
// deliveries"; docs/DECISIONS.md).
//
// At least once, in log order: a webhook's cursor (Engine::SaveCursor, "webhook/ID") is the last
// seq it has delivered or passed over; its thread reads the next event after it that the webhook
// wants, POSTs it signed (X-Switchboard-Signature: sha256=HMAC-SHA256 of the body under the
// secret) and moves the cursor only on a 2xx. The log is the queue: nothing is held in memory but
// the event being delivered, so a receiver down for an hour loses nothing, and a restart resumes at
// the cursor (an event delivered just before a crash may come again: X-Switchboard-Delivery names
// it for the receiver to see). A failure is retried after a backoff that doubles up to a ceiling;
// `breaker_failures` failures in a row open the circuit (no attempt for `breaker_open_ms`), then
// one attempt decides whether it closes again.
//
// Thread-safety: Configure, Report and Stop from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "switchboard/engine.h"

namespace switchboard::serve {

struct WebhookOptions {
  int request_timeout_ms = 10'000;  // one attempt: connect, send, answer
  int first_retry_ms = 1'000;       // the wait after a first failure; it doubles with each next one
  int max_retry_ms = 60'000;
  int breaker_failures = 8;       // failures in a row that open the circuit
  int breaker_open_ms = 300'000;  // how long an open circuit waits before it tries again
};

// One webhook, for GET /v1/webhooks and /metrics.
struct WebhookStatus {
  std::string id, url;
  std::uint64_t cursor = 0;     // delivered (or not wanted) through this seq
  std::uint64_t delivered = 0;  // since the server started
  std::uint64_t failed_attempts = 0;
  int failures_in_a_row = 0;
  std::string state;       // idle | delivering | retrying | open (the circuit breaker)
  std::string last_error;  // of the last failed attempt
};

class WebhookWorker;

class Webhooks {
 public:
  Webhooks(Engine* engine, const WebhookOptions& options);
  ~Webhooks();

  // Puts in force the webhooks of `config_document` (the document in force, recorded at seq
  // `config_seq`): starts the new ones, changes the changed ones, stops those no longer named. A
  // webhook never delivered before starts after `config_seq`; one seen before resumes at its cursor.
  void Configure(const std::string& config_document, std::uint64_t config_seq);
  std::vector<WebhookStatus> Report() const;
  // Stops every delivery (an attempt under way ends within the request time-out) and joins.
  void Stop();

 private:
  Engine* engine_;
  WebhookOptions options_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_;  // the last seq published
  std::uint64_t subscription_ = 0;
  mutable std::mutex mu_;
  std::vector<std::unique_ptr<WebhookWorker>> workers_;
};

// The JSON of GET /v1/webhooks; the Prometheus lines of /metrics.
std::string WebhooksJson(const std::vector<WebhookStatus>& status);
std::string WebhooksMetrics(const std::vector<WebhookStatus>& status);

}  // namespace switchboard::serve
