// Publisher: the live side of Engine::Subscribe. The journal hands it each group's events once they
// are durable; it passes them on to every subscriber from the seq that subscriber is waiting for.
//
// A subscriber first catches up from the log (under the same lock that publishing takes, so no
// event can slip between the catch-up and the live feed), then receives live events.
// Thread-safe. Publishing costs one atomic load when nobody subscribes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "storage/event_store.h"

namespace switchboard {

class Publisher {
 public:
  using Callback = std::function<void(const std::string& json)>;

  explicit Publisher(EventStore* store) : store_(store) {}

  std::uint64_t Subscribe(std::uint64_t from_seq, Callback fn);
  void Unsubscribe(std::uint64_t handle);

  // Called by the journal with the encoded events it just made durable, in log order.
  void Publish(const std::vector<const std::string*>& events);

 private:
  struct Subscriber {
    std::uint64_t next_seq;
    Callback fn;
  };
  EventStore* store_;
  std::mutex mu_;
  std::map<std::uint64_t, Subscriber> subscribers_;
  std::uint64_t next_handle_ = 1;
  std::atomic<bool> any_{false};
};

}  // namespace switchboard
