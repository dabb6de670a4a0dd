#include "storage/keys.h"

namespace switchboard {

void AppendBigEndian64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

std::uint64_t ReadBigEndian64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

std::string LogKey(std::uint64_t seq) {
  std::string key;
  AppendBigEndian64(key, seq);
  return key;
}

std::string StreamPrefix(StreamKind kind, std::uint64_t number) {
  std::string key(1, static_cast<char>(kind));
  AppendBigEndian64(key, number);
  return key;
}

std::string StreamPrefix(StreamKind kind, std::string_view id) {
  std::string key(1, static_cast<char>(kind));
  key.append(id.data(), id.size());
  key.push_back('\0');
  return key;
}

}  // namespace switchboard
