// The write-ahead log files of a database directory, listed for messages that must name them.
// Pure functions over the directory; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard {

struct WalFile {
  std::uint64_t number = 0;
  std::string name;  // "000012.log"
  std::uint64_t bytes = 0;
};

// RocksDB's name for WAL number `number`: six digits at least, then ".log".
std::string WalFileName(std::uint64_t number);

// The WAL files in `dir`, oldest first.
std::vector<WalFile> ListWalFiles(const std::string& dir);

// "000004.log (4,005,888 bytes), 000007.log (0 bytes)", or "none".
std::string DescribeWalFiles(const std::string& dir);

// 4005888 -> "4,005,888".
std::string WithThousands(std::uint64_t n);

}  // namespace switchboard
