#include "tools/serve/event_stream.h"

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <string>

#include "tools/serve/api.h"

namespace switchboard::serve {
namespace {

namespace net = boost::asio;

// One write holds at most this much: a stream catching up goes on at once after it.
constexpr std::size_t kBatchBytes = 256u << 10;

const std::string kHeader =
    "HTTP/1.1 200 OK\r\nServer: switchboard\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    "Connection: close\r\n\r\n";

}  // namespace

EventStream::EventStream(net::ip::tcp::socket socket, EventFeed& feed, Engine& engine, StreamGauges gauges,
                         std::uint64_t from)
    : socket_(std::move(socket)), feed_(feed), engine_(engine), gauges_(gauges), next_(from) {
  gauges_.connections->fetch_add(1);
  gauges_.streams->fetch_add(1);
}

EventStream::~EventStream() {
  gauges_.streams->fetch_sub(1);
  gauges_.connections->fetch_sub(1);
}

void EventStream::Start() {
  net::post(socket_.get_executor(), [self = shared_from_this()] {
    self->writing_ = true;
    net::async_write(self->socket_, net::buffer(kHeader), [self](boost::system::error_code ec, std::size_t) {
      self->writing_ = false;
      if (ec) return self->CloseNow();
      self->WatchForClose();
      self->Pump();
    });
  });
}

void EventStream::Close() {
  net::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void EventStream::CloseNow() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ec;
  socket_.shutdown(net::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
}

// A streaming client sends nothing more: any read completing (its close, or bytes) ends the stream.
void EventStream::WatchForClose() {
  socket_.async_read_some(net::buffer(probe_),
                          [self = shared_from_this()](boost::system::error_code, std::size_t) { self->CloseNow(); });
}

void EventStream::WaitForTick() {
  std::weak_ptr<EventStream> weak = weak_from_this();
  auto executor = socket_.get_executor();
  feed_.WakeAfter(next_, [weak, executor] {
    net::post(executor, [weak] {
      if (auto self = weak.lock()) self->Pump();
    });
  });
}

// Sends what there is after next_ in one write, then waits for the feed's next tick; a stream that
// is catching up (a full batch) goes on at once.
void EventStream::Pump() {
  if (closed_ || writing_) return;
  std::vector<Message> batch;
  std::uint64_t next = next_;
  if (!feed_.Take(&next, kBatchBytes, &batch)) {
    std::size_t bytes = 0;  // behind the ring: from the log
    Status s = engine_.ReadEvents(next, [&](const std::string& event) {
      batch.push_back(std::make_shared<const std::string>(SseMessage(event)));
      bytes += batch.back()->size();
      next = SeqOf(event) + 1;
      return bytes < kBatchBytes;
    });
    if (!s.ok()) return CloseNow();
  }
  if (batch.empty()) return WaitForTick();
  std::size_t bytes = 0;
  std::vector<net::const_buffer> buffers;
  for (const Message& m : batch) {
    buffers.emplace_back(m->data(), m->size());
    bytes += m->size();
  }
  next_ = next;
  in_flight_ = std::move(batch);
  writing_ = true;
  const bool full = bytes >= kBatchBytes;
  net::async_write(socket_, buffers, [self = shared_from_this(), full](boost::system::error_code ec, std::size_t) {
    self->writing_ = false;
    self->in_flight_.clear();
    if (ec) return self->CloseNow();
    if (full) return self->Pump();
    self->WaitForTick();
  });
}

}  // namespace switchboard::serve
