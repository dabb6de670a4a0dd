#include "storage/publisher.h"

#include "events/codec.h"
#include "events/event_json.h"

namespace switchboard {

std::uint64_t Publisher::Subscribe(std::uint64_t from_seq, Callback fn) {
  std::lock_guard<std::mutex> lock(mu_);
  Subscriber sub{from_seq == 0 ? 1 : from_seq, std::move(fn)};
  (void)store_->ScanLog(sub.next_seq, [&](std::uint64_t seq, std::string_view bytes) {
    if (VerifyEvent(bytes) == nullptr) return false;
    sub.fn(EventBufferToJson(bytes));
    sub.next_seq = seq + 1;
    return true;
  });
  std::uint64_t handle = next_handle_++;
  subscribers_.emplace(handle, std::move(sub));
  any_ = true;
  return handle;
}

void Publisher::Unsubscribe(std::uint64_t handle) {
  std::lock_guard<std::mutex> lock(mu_);
  subscribers_.erase(handle);
  any_ = !subscribers_.empty();
}

void Publisher::Publish(const std::vector<const std::string*>& events) {
  if (!any_.load(std::memory_order_relaxed) || events.empty()) return;
  std::lock_guard<std::mutex> lock(mu_);
  // Each event is rendered once, whatever the number of subscribers.
  std::string json;
  for (const std::string* buffer : events) {
    const std::uint64_t seq = fb::GetEvent(buffer->data())->seq();
    json.clear();
    for (auto& [handle, sub] : subscribers_) {
      if (seq < sub.next_seq) continue;  // already delivered by the catch-up
      if (json.empty()) json = EventBufferToJson(*buffer);
      sub.fn(json);
      sub.next_seq = seq + 1;
    }
  }
}

}  // namespace switchboard
