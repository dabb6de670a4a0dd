// HttpServer: a tiny HTTP/1.1 server on 127.0.0.1 for lookup tests. It answers GETs whose target
// contains a key of `answers` with 200 and that JSON body, holds any other connection open without
// answering (so the client's deadline is what ends it), and stops when destroyed.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace switchboard::testing {

class HttpServer {
 public:
  explicit HttpServer(std::map<std::string, std::string> answers) : answers_(std::move(answers)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 16);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~HttpServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    for (int fd : held_) ::close(fd);
  }

  int port() const { return port_; }
  int requests() const { return requests_; }

  // A port on which nothing listens.
  static int DeadPort() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

 private:
  void Serve() {
    while (!stopping_) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      ++requests_;
      std::string request;
      char buf[1024];
      while (request.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      std::string line = request.substr(0, request.find("\r\n"));
      const std::string* body = nullptr;
      for (const auto& [key, answer] : answers_) {
        if (line.find(key) != std::string::npos) body = &answer;
      }
      if (body == nullptr) {  // never answered: the client's deadline ends it
        std::lock_guard<std::mutex> lock(mu_);
        held_.push_back(fd);
        continue;
      }
      std::string response =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body->size()) +
          "\r\nConnection: close\r\n\r\n" + *body;
      ssize_t written = ::write(fd, response.data(), response.size());
      (void)written;
      ::close(fd);
    }
  }

  std::map<std::string, std::string> answers_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> requests_{0};
  std::thread thread_;
  std::mutex mu_;
  std::vector<int> held_;
};

}  // namespace switchboard::testing
