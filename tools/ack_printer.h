// AckPrinter: what `switchboard run` prints, each acknowledgement's events as JSON lines
// (Acknowledgement::EventsAsJson), rendered and written on a thread of its own so that the engine's
// completion callbacks only queue. `switchboard bench` renders through it too, into /dev/null, to
// measure ingest with the rendering run does.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

#include "switchboard/engine.h"

namespace switchboard::tool {

class AckPrinter {
 public:
  // Prints to `out`, flushed after each batch taken from the queue (give it a large buffer: run
  // prints to a fully buffered stdout). `out` must outlive the printer.
  explicit AckPrinter(std::FILE* out);
  ~AckPrinter();  // Finish, if not done yet
  AckPrinter(const AckPrinter&) = delete;
  AckPrinter& operator=(const AckPrinter&) = delete;

  // Queues one acknowledgement; any thread. A failed one prints its sentence to stderr (the first
  // only) instead of events.
  void Push(Acknowledgement ack);
  // Prints what is queued and stops the thread. Whether an acknowledgement carried a failure.
  bool Finish();
  // The JSON lines printed; read after Finish.
  std::uint64_t lines() const { return lines_; }

 private:
  bool PopAll(std::deque<Acknowledgement>* out);
  void Print();

  std::FILE* out_;
  std::mutex mu_;
  std::condition_variable ready_;
  std::deque<Acknowledgement> queue_;
  bool closed_ = false;
  bool waiting_ = false;
  bool failed_ = false;  // the printing thread's until Finish joins it
  std::uint64_t lines_ = 0;
  std::thread thread_;
};

}  // namespace switchboard::tool
