// InfoLog: RocksDB's diagnostic log (DIR/LOG), written by us, and what it said about damaged WAL files.
//
// RocksDB's own LOG writer aborts the process (an assertion in its file writer) on the second line
// it writes after a write to LOG failed, so a full disk killed `switchboard run` through a log line.
// This logger writes each line with one plain write(2) and ignores failures: a diagnostic line is
// never worth stopping the engine for. It also keeps the lines in which RocksDB's recovery reports
// dropping bytes of a WAL file, so that an open refused for a damaged log can name the file.
// Thread-safety: RocksDB calls Logv from any of its threads; all methods are safe concurrently.
#pragma once

#include <rocksdb/env.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard {

class InfoLog : public rocksdb::Logger {
 public:
  // Opens DIR/LOG for appending, after moving the previous one to LOG.old.<micros> as RocksDB does
  // (RocksDB deletes the oldest beyond keep_log_file_num). Null when the file cannot be opened.
  static std::shared_ptr<InfoLog> Open(const std::string& dir);
  ~InfoLog() override;

  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override;
  size_t GetLogFileSize() const override;

  // The WAL files (names without directory) that recovery reported dropping bytes of, with the
  // reason RocksDB gave, e.g. "000012.log: dropping 64 bytes; Corruption: checksum mismatch".
  std::vector<std::string> DroppedWalReports() const;

 private:
  explicit InfoLog(int fd) : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL), fd_(fd) {}
  int fd_;
  mutable std::mutex mu_;
  std::vector<std::string> dropped_;  // under mu_
  size_t size_ = 0;                   // under mu_
};

}  // namespace switchboard
