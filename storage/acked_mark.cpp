#include "storage/acked_mark.h"

#include <boost/crc.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace switchboard {
namespace {

constexpr std::size_t kSize = 24;
constexpr char kMagic[4] = {'S', 'B', 'A', 'K'};
constexpr char kVersion = 1;

std::uint32_t Crc(const unsigned char* bytes, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes, n);
  return crc.checksum();
}

std::array<unsigned char, kSize> Encode(std::uint64_t seq, bool synced) {
  std::array<unsigned char, kSize> b{};
  std::memcpy(b.data(), kMagic, 4);
  b[4] = kVersion;
  b[5] = synced ? 's' : 'b';
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<unsigned char>(seq >> (56 - 8 * i));
  std::uint32_t crc = Crc(b.data(), 16);
  for (int i = 0; i < 4; ++i) b[16 + i] = static_cast<unsigned char>(crc >> (24 - 8 * i));
  return b;
}

}  // namespace

AckedMark::~AckedMark() { ::close(fd_); }

// A mark that cannot be read is ignored rather than refused: it is never fsynced, so a machine crash
// in the middle of its pwrite can leave it torn, and refusing to open for that would turn every
// power loss into an outage. Ignoring it only falls back to what RocksDB checks by itself.
AckedMarkValue AckedMark::Read(const std::string& dir) {
  AckedMarkValue out;
  const std::string path = dir + "/" + FileName();
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  std::array<unsigned char, kSize + 1> b{};
  ssize_t n = ::pread(fd, b.data(), b.size(), 0);
  ::close(fd);
  if (n != static_cast<ssize_t>(kSize)) {
    out.unreadable = path + " has " + std::to_string(n < 0 ? 0 : n) + " bytes, not " + std::to_string(kSize);
    return out;
  }
  std::uint32_t stored = 0;
  for (int i = 0; i < 4; ++i) stored = (stored << 8) | b[16 + i];
  if (std::memcmp(b.data(), kMagic, 4) != 0 || b[4] != kVersion || stored != Crc(b.data(), 16)) {
    out.unreadable = path + " fails its checksum";
    return out;
  }
  out.present = true;
  out.synced = b[5] != 'b';
  for (int i = 0; i < 8; ++i) out.seq = (out.seq << 8) | b[8 + i];
  return out;
}

Status AckedMark::Open(const std::string& dir, std::unique_ptr<AckedMark>* out) {
  const std::string path = dir + "/" + FileName();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot open " + path + ": " + std::strerror(errno));
  out->reset(new AckedMark(fd, path));
  return Status::OK();
}

Status AckedMark::Write(std::uint64_t seq, bool synced) {
  // One pwrite of 24 bytes at offset 0 lands within one page: a killed process leaves either the old
  // or the new mark, never a mix.
  std::array<unsigned char, kSize> b = Encode(seq, synced);
  ssize_t n = ::pwrite(fd_, b.data(), b.size(), 0);
  if (n != static_cast<ssize_t>(b.size())) {
    return Status::IOError("cannot write " + path_ + ": " + (n < 0 ? std::strerror(errno) : "short write"));
  }
  return Status::OK();
}

}  // namespace switchboard
