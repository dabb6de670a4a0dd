#include "storage/wal_files.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace switchboard {

std::string WalFileName(std::uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "%06llu.log", static_cast<unsigned long long>(number));
  return name;
}

std::vector<WalFile> ListWalFiles(const std::string& dir) {
  std::vector<WalFile> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= 4 || name.compare(name.size() - 4, 4, ".log") != 0) continue;
    const std::string digits = name.substr(0, name.size() - 4);
    if (digits.find_first_not_of("0123456789") != std::string::npos) continue;
    std::error_code size_ec;
    std::uintmax_t bytes = entry.file_size(size_ec);
    out.push_back({std::stoull(digits), name, size_ec ? 0 : static_cast<std::uint64_t>(bytes)});
  }
  std::sort(out.begin(), out.end(), [](const WalFile& a, const WalFile& b) { return a.number < b.number; });
  return out;
}

std::string DescribeWalFiles(const std::string& dir) {
  std::string out;
  for (const WalFile& f : ListWalFiles(dir)) {
    if (!out.empty()) out += ", ";
    out += f.name + " (" + WithThousands(f.bytes) + " bytes)";
  }
  return out.empty() ? "none" : out;
}

std::string WithThousands(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

}  // namespace switchboard
