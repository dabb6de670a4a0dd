#include "tools/serve/webhooks.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <thread>

#include "tools/serve/api.h"
#include "tools/serve/http_post.h"
#include "tools/serve/signing.h"

namespace switchboard::serve {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// What a webhook is, as the configuration gives it.
struct Target {
  std::string url, secret;
  std::vector<std::string> events;  // "ticket.created", "ticket.*", "*"

  bool Wants(const std::string& type) const {
    for (const std::string& e : events) {
      if (e == "*" || e == type) return true;
      if (e.size() > 2 && e.compare(e.size() - 2, 2, ".*") == 0 &&
          type.compare(0, e.size() - 1, e, 0, e.size() - 1) == 0)
        return true;
    }
    return false;
  }
  bool operator==(const Target& o) const { return url == o.url && secret == o.secret && events == o.events; }
};

// How many events past the cursor one look for the next wanted one reads before it records the
// cursor, so that a webhook that wants few types does not rescan the same stretch after a restart.
constexpr std::uint64_t kScanStretch = 4096;

}  // namespace

class WebhookWorker {
 public:
  WebhookWorker(Engine* engine, const WebhookOptions& options, std::string id, Target target, std::uint64_t cursor,
                std::shared_ptr<std::atomic<std::uint64_t>> latest)
      : engine_(engine), options_(options), latest_(std::move(latest)), id_(std::move(id)), target_(std::move(target)) {
    status_.id = id_;
    status_.url = target_.url;
    status_.cursor = cursor;
    saved_ = cursor;
    status_.state = "idle";
    thread_ = std::thread([this] { Run(); });
  }
  ~WebhookWorker() { Stop(); }

  const std::string& id() const { return id_; }
  void Retarget(const Target& target) {
    std::lock_guard<std::mutex> lock(mu_);
    if (target == target_) return;
    target_ = target;
    status_.url = target.url;
    retry_at_ = Clock::time_point();  // a corrected URL is tried at once
    cv_.notify_one();
  }
  void Wake() {
    { std::lock_guard<std::mutex> lock(mu_); }  // a waiter between its test and its wait still hears it
    cv_.notify_one();
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    if (thread_.joinable()) thread_.join();
    if (status_.cursor != saved_) (void)engine_->SaveCursor("webhook/" + id_, status_.cursor);
  }
  WebhookStatus Report() const {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (Clock::now() < retry_at_) {
        cv_.wait_until(lock, retry_at_);
        continue;
      }
      if (status_.cursor >= latest_->load()) {
        status_.state = status_.failures_in_a_row > 0 ? status_.state : "idle";
        cv_.wait(lock, [&] { return stop_ || status_.cursor < latest_->load(); });
        continue;
      }
      const Target target = target_;
      const std::uint64_t cursor = status_.cursor;
      lock.unlock();
      std::string event;
      std::uint64_t seq = 0, scanned = cursor;
      Status read = engine_->ReadEvents(cursor + 1, [&](const std::string& e) {
        scanned = SeqOf(e);
        if (target.Wants(TypeOf(e))) {
          event = e;
          seq = scanned;
          return false;
        }
        return scanned - cursor < kScanStretch;
      });
      if (!read.ok() || scanned == cursor) {  // the log must hold what was published: never spin on it
        lock.lock();
        Failed(read.ok() ? "the log has no event after " + std::to_string(cursor)
                         : "reading the log: " + read.message());
        continue;
      }
      if (seq == 0) {  // nothing wanted through `scanned`
        Advance(scanned, /*delivered=*/false);
        lock.lock();
        continue;
      }
      if (status_.failures_in_a_row == 0) {
        std::lock_guard<std::mutex> l(mu_);
        status_.state = "delivering";
      }
      PostResult result = poster_.Post(target.url,
                                       {{"X-Switchboard-Signature", "sha256=" + HmacSha256Hex(target.secret, event)},
                                        {"X-Switchboard-Webhook", id_},
                                        {"X-Switchboard-Delivery", id_ + "-" + std::to_string(seq)},
                                        {"X-Switchboard-Event", TypeOf(event)}},
                                       event, std::chrono::milliseconds(options_.request_timeout_ms));
      if (result.ok()) {
        Advance(seq, /*delivered=*/true);
        lock.lock();
        ++status_.delivered;
        status_.failures_in_a_row = 0;
        status_.state = "delivering";
      } else {
        lock.lock();
        Failed(result.error);
      }
    }
  }

  // Moves the cursor past `seq`: durably after a delivery; past events the webhook does not want,
  // durably only every kScanStretch events (and at the end), since passing them again after a
  // crash costs a read, not a repeat, and a save per event would add a sync write to each one.
  void Advance(std::uint64_t seq, bool delivered) {
    Status s;
    if (delivered || seq - saved_ >= kScanStretch) {
      s = engine_->SaveCursor("webhook/" + id_, seq);
      if (s.ok()) saved_ = seq;
    }
    std::lock_guard<std::mutex> lock(mu_);
    if (!s.ok()) {
      // The store has failed: the engine stops too. Deliveries would be repeated after a restart,
      // never lost; stop here rather than deliver on without a cursor.
      status_.last_error = "saving the cursor: " + s.message();
      status_.state = "stopped";
      stop_ = true;
      return;
    }
    status_.cursor = seq;
  }

  // Under mu_: counts a failed attempt and sets when the next one may be made.
  void Failed(const std::string& why) {
    ++status_.failed_attempts;
    ++status_.failures_in_a_row;
    status_.last_error = why;
    int wait_ms;
    if (status_.failures_in_a_row >= options_.breaker_failures) {
      status_.state = "open";
      wait_ms = options_.breaker_open_ms;
    } else {
      status_.state = "retrying";
      const int doublings = std::min(status_.failures_in_a_row - 1, 20);
      wait_ms = static_cast<int>(
          std::min<long long>(static_cast<long long>(options_.first_retry_ms) << doublings, options_.max_retry_ms));
    }
    retry_at_ = Clock::now() + std::chrono::milliseconds(wait_ms);
  }

  Engine* engine_;
  const WebhookOptions options_;
  std::shared_ptr<std::atomic<std::uint64_t>> latest_;
  const std::string id_;
  HttpPoster poster_;        // the delivering thread's only
  std::uint64_t saved_ = 0;  // the cursor as last saved (the delivering thread's, then Stop's)

  mutable std::mutex mu_;
  std::condition_variable cv_;
  Target target_;
  WebhookStatus status_;
  Clock::time_point retry_at_;
  bool stop_ = false;
  std::thread thread_;
};

Webhooks::Webhooks(Engine* engine, const WebhookOptions& options)
    : engine_(engine), options_(options), latest_(std::make_shared<std::atomic<std::uint64_t>>(engine->LastSeq())) {
  subscription_ = engine_->Subscribe(latest_->load() + 1, [this](const std::string& event) {
    latest_->store(SeqOf(event));
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& w : workers_) w->Wake();
  });
}

Webhooks::~Webhooks() { Stop(); }

void Webhooks::Configure(const std::string& config_document, std::uint64_t config_seq) {
  json doc = json::parse(config_document, nullptr, false);
  std::vector<std::pair<std::string, Target>> wanted;
  if (doc.is_object()) {
    for (const json& w : doc.value("webhooks", json::array())) {
      Target t{w.value("url", std::string()), w.value("secret", std::string()),
               w.value("events", std::vector<std::string>{})};
      wanted.emplace_back(w.value("id", std::string()), std::move(t));
    }
  }
  std::vector<std::unique_ptr<WebhookWorker>> gone;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto named = std::find_if(wanted.begin(), wanted.end(), [&](const auto& w) { return w.first == (*it)->id(); });
      if (named == wanted.end()) {
        gone.push_back(std::move(*it));
        it = workers_.erase(it);
      } else {
        (*it)->Retarget(named->second);
        wanted.erase(named);
        ++it;
      }
    }
    for (auto& [id, target] : wanted) {
      std::uint64_t cursor = 0;
      Status s = engine_->LoadCursor("webhook/" + id, &cursor);
      if (s.IsNotFound()) {
        cursor = config_seq;
        (void)engine_->SaveCursor("webhook/" + id, cursor);  // a restart must not start it later
      }
      workers_.push_back(std::make_unique<WebhookWorker>(engine_, options_, id, std::move(target), cursor, latest_));
    }
  }
  gone.clear();  // joins their threads, outside the lock the wake-ups take
}

std::vector<WebhookStatus> Webhooks::Report() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<WebhookStatus> out;
  for (const auto& w : workers_) out.push_back(w->Report());
  return out;
}

void Webhooks::Stop() {
  if (subscription_ != 0) engine_->Unsubscribe(subscription_);
  subscription_ = 0;
  std::vector<std::unique_ptr<WebhookWorker>> all;
  {
    std::lock_guard<std::mutex> lock(mu_);
    all.swap(workers_);
  }
  all.clear();
}

std::string WebhooksJson(const std::vector<WebhookStatus>& status) {
  json out = json::array();
  for (const WebhookStatus& w : status) {
    out.push_back({{"id", w.id},
                   {"url", w.url},
                   {"cursor", w.cursor},
                   {"delivered", w.delivered},
                   {"failed_attempts", w.failed_attempts},
                   {"failures_in_a_row", w.failures_in_a_row},
                   {"state", w.state},
                   {"last_error", w.last_error.empty() ? json(nullptr) : json(w.last_error)}});
  }
  return out.dump();
}

std::string WebhooksMetrics(const std::vector<WebhookStatus>& status) {
  std::string out;
  auto family = [&](const char* name, const char* type, const char* help, auto value) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    for (const WebhookStatus& w : status) {
      out += std::string(name) + "{webhook=\"" + w.id + "\"} " + std::to_string(value(w)) + "\n";
    }
  };
  family("switchboard_webhook_delivered_total", "counter", "Events delivered since the server started.",
         [](const WebhookStatus& w) { return w.delivered; });
  family("switchboard_webhook_failed_attempts_total", "counter", "Delivery attempts that got no 2xx.",
         [](const WebhookStatus& w) { return w.failed_attempts; });
  family("switchboard_webhook_cursor", "gauge", "The last seq delivered or passed over.",
         [](const WebhookStatus& w) { return w.cursor; });
  family("switchboard_webhook_circuit_open", "gauge", "1 while the circuit breaker holds deliveries back.",
         [](const WebhookStatus& w) { return w.state == "open" ? 1 : 0; });
  return out;
}

}  // namespace switchboard::serve
