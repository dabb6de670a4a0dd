// EventStream: one /v1/events client (Server-Sent Events), once its request is read: the
// connection leaves the request threads for the stream threads, which run at a lower scheduling
// priority (ServeLimits::stream_nice), so that a thousand streams take the CPU the commands leave
// and never slow an answer; a stream that falls behind catches up from the ring or the log
// (tools/serve/event_feed.h), it is never dropped. Thread-safety: Start and Close from any thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "switchboard/engine.h"
#include "tools/serve/event_feed.h"

namespace switchboard::serve {

// What a stream counts in the server: open connections and open streams.
struct StreamGauges {
  std::atomic<std::size_t>* connections;
  std::atomic<std::int64_t>* streams;
};

class EventStream : public std::enable_shared_from_this<EventStream> {
 public:
  // `socket` is bound to a strand of the stream threads' io_context.
  EventStream(boost::asio::ip::tcp::socket socket, EventFeed& feed, Engine& engine, StreamGauges gauges,
              std::uint64_t from);
  ~EventStream();
  void Start();  // the header, then the events from `from` on
  void Close();

 private:
  void Pump();  // the next messages after next_: from the feed's ring, or the log when behind it
  void WaitForTick();
  void WatchForClose();
  void CloseNow();

  boost::asio::ip::tcp::socket socket_;
  EventFeed& feed_;
  Engine& engine_;
  StreamGauges gauges_;
  std::uint64_t next_;
  std::vector<Message> in_flight_;  // what the write under way sends
  bool writing_ = false;
  bool closed_ = false;
  char probe_[1];
};

}  // namespace switchboard::serve
