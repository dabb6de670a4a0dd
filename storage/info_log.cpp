#include "storage/info_log.h"

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <ctime>
#include <fcntl.h>
#include <filesystem>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace switchboard {

std::shared_ptr<InfoLog> InfoLog::Open(const std::string& dir) {
  const std::string path = dir + "/LOG";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    std::filesystem::rename(path, path + ".old." + std::to_string(micros), ec);  // keep appending if it fails
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return nullptr;
  return std::shared_ptr<InfoLog>(new InfoLog(fd));
}

InfoLog::~InfoLog() { ::close(fd_); }

void InfoLog::Logv(const char* format, va_list ap) {
  // "2026/11/23-09:00:00.123456 1234 " like RocksDB's own lines, then the message.
  auto now = std::chrono::system_clock::now();
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm t{};
  ::localtime_r(&seconds, &t);
  char head[64];
  int head_size = std::snprintf(head, sizeof head, "%04d/%02d/%02d-%02d:%02d:%02d.%06lld %lld ", t.tm_year + 1900,
                                t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, static_cast<long long>(micros),
                                static_cast<long long>(::syscall(SYS_gettid)));
  std::string line(head, static_cast<std::size_t>(head_size));
  va_list again;
  va_copy(again, ap);
  char body[1024];
  int body_size = std::vsnprintf(body, sizeof body, format, ap);
  if (body_size >= static_cast<int>(sizeof body)) {  // the statistics dumps run to many kilobytes
    std::string longer(static_cast<std::size_t>(body_size) + 1, '\0');
    std::vsnprintf(longer.data(), longer.size(), format, again);
    line.append(longer.data(), static_cast<std::size_t>(body_size));
  } else if (body_size > 0) {
    line.append(body, static_cast<std::size_t>(body_size));
  }
  va_end(again);
  if (line.back() != '\n') line.push_back('\n');
  std::string_view text(line.data() + head_size, line.size() - head_size - 1);
  std::lock_guard<std::mutex> lock(mu_);
  // One write per line; a failure (a full disk) loses the line and nothing else.
  ssize_t written = ::write(fd_, line.data(), line.size());
  if (written > 0) size_ += static_cast<std::size_t>(written);
  // The recovery's reporter writes "PATH/000012.log: dropping N bytes; REASON".
  std::size_t at = text.find(".log: dropping ");
  if (at != std::string_view::npos) {
    std::size_t name = text.rfind('/', at);
    if (name == std::string_view::npos) name = text.rfind(' ', at);
    name = name == std::string_view::npos ? 0 : name + 1;
    dropped_.emplace_back(text.substr(name));
  }
}

size_t InfoLog::GetLogFileSize() const {
  std::lock_guard<std::mutex> lock(mu_);
  return size_;
}

std::vector<std::string> InfoLog::DroppedWalReports() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

}  // namespace switchboard
