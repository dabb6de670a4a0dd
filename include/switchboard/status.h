// Status: the outcome of an operation that can fail for reasons outside the caller's control.
//
// A Status is either OK or carries a code and a sentence a person understands. The public API never
// throws; it returns a Status (or fills an out-parameter and returns one). A business "no" (a command
// the domain forbids) is not a Status error: it is a `command.rejected` event.
// Thread-safety: a Status is a value; copies are independent.
#pragma once

#include <string>
#include <utility>

namespace switchboard {

class [[nodiscard]] Status {
 public:
  enum class Code { kOk, kInvalidArgument, kNotFound, kCorruption, kIOError, kBusy };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return Status(Code::kInvalidArgument, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status Corruption(std::string m) { return Status(Code::kCorruption, std::move(m)); }
  static Status IOError(std::string m) { return Status(Code::kIOError, std::move(m)); }
  // The database directory is held by another process.
  static Status Busy(std::string m) { return Status(Code::kBusy, std::move(m)); }
  // A Status read back from its parts (a message between actors carries it as code and sentence).
  static Status FromParts(Code c, std::string m) { return c == Code::kOk ? Status() : Status(c, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  bool IsNotFound() const { return code_ == Code::kNotFound; }
  bool IsCorruption() const { return code_ == Code::kCorruption; }
  bool IsBusy() const { return code_ == Code::kBusy; }
  const std::string& message() const { return message_; }
  std::string ToString() const { return ok() ? "OK" : message_; }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

}  // namespace switchboard
