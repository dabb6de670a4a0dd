#include "tools/ack_printer.h"

namespace switchboard::tool {

AckPrinter::AckPrinter(std::FILE* out) : out_(out), thread_([this] { Print(); }) {}

AckPrinter::~AckPrinter() { (void)Finish(); }

void AckPrinter::Push(Acknowledgement ack) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(std::move(ack));
  if (waiting_) ready_.notify_one();  // only a sleeping printer needs the syscall
}

bool AckPrinter::Finish() {
  if (thread_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
      ready_.notify_one();
    }
    thread_.join();
  }
  return failed_;
}

// Takes everything queued; false once closed and empty.
bool AckPrinter::PopAll(std::deque<Acknowledgement>* out) {
  std::unique_lock<std::mutex> lock(mu_);
  waiting_ = true;
  ready_.wait(lock, [&] { return closed_ || !queue_.empty(); });
  waiting_ = false;
  out->swap(queue_);
  return !out->empty() || !closed_;
}

void AckPrinter::Print() {
  std::deque<Acknowledgement> batch;
  while (PopAll(&batch)) {
    for (const Acknowledgement& ack : batch) {
      if (!ack.status.ok()) {
        if (!failed_) std::fprintf(stderr, "switchboard: %s\n", ack.status.message().c_str());
        failed_ = true;
        continue;
      }
      for (const std::string& line : ack.EventsAsJson()) {
        std::fwrite(line.data(), 1, line.size(), out_);
        std::fputc('\n', out_);
        ++lines_;
      }
    }
    batch.clear();
    std::fflush(out_);
  }
}

}  // namespace switchboard::tool
