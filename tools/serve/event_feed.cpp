#include "tools/serve/event_feed.h"

#include <boost/asio/post.hpp>

#include <chrono>

#include "tools/serve/api.h"

namespace switchboard::serve {

std::string SseMessage(const std::string& event_json) {
  return "id: " + std::to_string(SeqOf(event_json)) + "\nevent: " + TypeOf(event_json) + "\ndata: " + event_json +
         "\n\n";
}

EventFeed::EventFeed(Engine* engine, boost::asio::any_io_executor executor, std::size_t ring_bytes, int tick_ms)
    : engine_(engine), timer_(executor), ring_bytes_(ring_bytes), tick_ms_(tick_ms) {
  last_seq_ = engine_->LastSeq();
  subscription_ = engine_->Subscribe(last_seq_ + 1, [this](const std::string& event) {
    auto message = std::make_shared<const std::string>(SseMessage(event));
    std::lock_guard<std::mutex> lock(mu_);
    last_seq_ = SeqOf(event);
    bytes_ += message->size();
    ring_.emplace_back(last_seq_, std::move(message));
    while (bytes_ > ring_bytes_ && ring_.size() > 1) {
      bytes_ -= ring_.front().second->size();
      ring_.pop_front();
    }
  });
  boost::asio::post(timer_.get_executor(), [this] { Tick(); });
}

EventFeed::~EventFeed() { Stop(); }

void EventFeed::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopped_ = true;
    waiting_.clear();
  }
  if (subscription_ != 0) engine_->Unsubscribe(subscription_);
  boost::asio::post(timer_.get_executor(), [this] { timer_.cancel(); });
}

std::uint64_t EventFeed::last_seq() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_seq_;
}

bool EventFeed::Take(std::uint64_t* next, std::size_t max_bytes, std::vector<Message>* out) {
  std::lock_guard<std::mutex> lock(mu_);
  if (*next > last_seq_) return true;  // nothing yet
  if (ring_.empty() || *next < ring_.front().first) return false;
  std::size_t taken = 0;
  for (std::size_t i = *next - ring_.front().first; i < ring_.size() && (taken == 0 || taken < max_bytes); ++i) {
    taken += ring_[i].second->size();
    out->push_back(ring_[i].second);
    *next = ring_[i].first + 1;
  }
  return true;
}

void EventFeed::WakeAfter(std::uint64_t next, std::function<void()> wake) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stopped_) return;
  waiting_.emplace_back(next, std::move(wake));
}

// Every tick, the streams waiting for an event that has come are woken, all at once: a stream
// writes what came in one tick in one write.
void EventFeed::Tick() {
  std::vector<std::function<void()>> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    std::vector<std::pair<std::uint64_t, std::function<void()>>> still;
    for (auto& w : waiting_) {
      if (w.first <= last_seq_) {
        ready.push_back(std::move(w.second));
      } else {
        still.push_back(std::move(w));
      }
    }
    waiting_.swap(still);
  }
  for (auto& wake : ready) wake();
  timer_.expires_after(std::chrono::milliseconds(tick_ms_));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) Tick();
  });
}

}  // namespace switchboard::serve
