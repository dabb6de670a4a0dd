// AckedMark: DIR/switchboard.acked, the last seq the journal acknowledged, kept beside the log.
//
// RocksDB does not record how much of the live WAL was synced, so a live WAL cut short (by an outside
// hand, a bad disk, a copy that stopped half way) reopens as if the lost writes had never happened.
// After every successful group write, the store overwrites this tiny file in place (one pwrite, no
// fsync): it is written after the WAL sync, so it is never ahead of the durable log, and it survives
// kill -9 through the page cache. At open, a log that ends before the mark has lost acknowledged
// events. Format (24 bytes): "SBAK", version 1, durability ('s' sync, 'b' buffered), two zero bytes,
// be64 seq, be32 CRC-32 of the 16 bytes before it, four zero bytes.
// Thread-safety: Write is called by one thread at a time (the journal); Read is a free function.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "switchboard/status.h"

namespace switchboard {

struct AckedMarkValue {
  bool present = false;  // a readable mark was found
  std::uint64_t seq = 0;
  bool synced = true;      // the acknowledgements meant a synced WAL (false: buffered durability)
  std::string unreadable;  // why a mark file present was ignored (empty: none, or it was fine)
};

class AckedMark {
 public:
  ~AckedMark();
  AckedMark(const AckedMark&) = delete;
  AckedMark& operator=(const AckedMark&) = delete;

  // Reads DIR's mark. A missing file is not present; a file that is short or fails its checksum is
  // not present either, with `unreadable` saying why (see the .cpp for why it is ignored).
  static AckedMarkValue Read(const std::string& dir);

  // Opens (creating) DIR's mark for writing.
  static Status Open(const std::string& dir, std::unique_ptr<AckedMark>* out);

  // Overwrites the mark in place. Best effort: a failure is returned, and the caller may go on, since
  // a stale mark is only ever behind the log.
  Status Write(std::uint64_t seq, bool synced);

  static const char* FileName() { return "switchboard.acked"; }

 private:
  AckedMark(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  int fd_;
  std::string path_;
};

}  // namespace switchboard
