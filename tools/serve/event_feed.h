// EventFeed: the one engine subscription behind every /v1/events stream. Each event is made into
// its Server-Sent Events message once ("id: SEQ\nevent: TYPE\ndata: JSON\n\n") and kept in a ring
// of the latest messages, bounded in bytes; streams pull from it at their own pace and are woken
// together on a tick, so the journal's cost per event does not grow with the number of streams,
// and a stream costs one write per tick however many events came (docs/DECISIONS.md).
//
// A stream behind the ring (a client resuming from an old seq, or one slower than the traffic)
// reads the log instead (Engine::ReadEvents), so nothing is dropped and nothing is held for it.
// Thread-safety: every method from any thread; wake-ups run on the executor given.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "switchboard/engine.h"

namespace switchboard::serve {

using Message = std::shared_ptr<const std::string>;

// One event as an SSE message.
std::string SseMessage(const std::string& event_json);

class EventFeed {
 public:
  EventFeed(Engine* engine, boost::asio::any_io_executor executor, std::size_t ring_bytes, int tick_ms);
  ~EventFeed();
  void Stop();

  // Appends to `out` the messages from seq `*next` on, up to `max_bytes` (at least one), and moves
  // `*next` past them. False when `*next` is older than the ring: read the log from there.
  bool Take(std::uint64_t* next, std::size_t max_bytes, std::vector<Message>* out);
  // Calls `wake` (on the executor) at the next tick after an event past `next` is in.
  void WakeAfter(std::uint64_t next, std::function<void()> wake);
  std::uint64_t last_seq() const;

 private:
  void Tick();

  Engine* engine_;
  boost::asio::steady_timer timer_;
  const std::size_t ring_bytes_;
  const int tick_ms_;
  std::uint64_t subscription_ = 0;

  mutable std::mutex mu_;
  std::deque<std::pair<std::uint64_t, Message>> ring_;  // consecutive seqs
  std::size_t bytes_ = 0;
  std::uint64_t last_seq_ = 0;
  std::vector<std::pair<std::uint64_t, std::function<void()>>> waiting_;
  bool stopped_ = false;
};

}  // namespace switchboard::serve
