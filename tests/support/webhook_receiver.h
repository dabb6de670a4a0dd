// WebhookReceiver: an HTTP/1.1 receiver of webhook deliveries on 127.0.0.1 (Boost.Beast), that
// answers 2xx, fails (500) a number of requests, or hangs (reads a request and never answers), as a
// test sets it; it records every attempt and the deliveries it acknowledged. Stop closes it and its
// connections, as a receiver that goes down; a new one on the same port is that receiver back up.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::testing {

struct Delivery {
  std::string body;
  std::map<std::string, std::string> headers;  // X-Switchboard-*, Content-Type
};

class WebhookReceiver {
 public:
  enum class Mode { kAccept, kHang };

  explicit WebhookReceiver(std::uint16_t port = 0) : acceptor_(ioc_) {
    namespace net = boost::asio;
    net::ip::tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~WebhookReceiver() { Stop(); }

  std::uint16_t port() const { return port_; }
  void SetMode(Mode mode) {
    std::lock_guard<std::mutex> lock(mu_);
    mode_ = mode;
  }
  void FailNext(int requests) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = requests;
  }
  int attempts() const {
    std::lock_guard<std::mutex> lock(mu_);
    return attempts_;
  }
  std::vector<Delivery> deliveries() const {
    std::lock_guard<std::mutex> lock(mu_);
    return deliveries_;
  }

  void Stop() {
    if (!thread_.joinable()) return;
    boost::asio::post(ioc_, [this] {
      boost::beast::error_code ec;
      acceptor_.close(ec);
      for (auto& weak : connections_) {
        if (auto c = weak.lock()) c->socket.close(ec);
      }
      ioc_.stop();
    });
    thread_.join();
  }

 private:
  struct Connection {
    explicit Connection(boost::asio::ip::tcp::socket s) : socket(std::move(s)) {}
    boost::asio::ip::tcp::socket socket;
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::http::response<boost::beast::http::string_body> response;
  };

  void Accept() {
    acceptor_.async_accept([this](boost::beast::error_code ec, boost::asio::ip::tcp::socket socket) {
      if (ec) return;
      auto c = std::make_shared<Connection>(std::move(socket));
      connections_.push_back(c);
      Read(c);
      Accept();
    });
  }

  void Read(std::shared_ptr<Connection> c) {
    c->request = {};
    boost::beast::http::async_read(c->socket, c->buffer, c->request,
                                   [this, c](boost::beast::error_code ec, std::size_t) {
                                     if (!ec) Answer(c);
                                   });
  }

  void Answer(std::shared_ptr<Connection> c) {
    namespace http = boost::beast::http;
    int status = 200;
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++attempts_;
      if (mode_ == Mode::kHang) {
        held_.push_back(c);  // read, never answered
        return;
      }
      if (fail_next_ > 0) {
        --fail_next_;
        status = 500;
      } else {
        Delivery d{c->request.body(), {}};
        for (const auto& field : c->request) {
          std::string name(field.name_string());
          if (name.rfind("X-Switchboard-", 0) == 0 || name == "Content-Type")
            d.headers[name] = std::string(field.value());
        }
        deliveries_.push_back(std::move(d));
      }
    }
    c->response = http::response<http::string_body>{static_cast<http::status>(status), 11};
    c->response.keep_alive(true);
    c->response.prepare_payload();
    http::async_write(c->socket, c->response, [this, c](boost::beast::error_code ec, std::size_t) {
      if (!ec) Read(c);
    });
  }

  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::vector<std::weak_ptr<Connection>> connections_;  // the io thread's only
  mutable std::mutex mu_;
  Mode mode_ = Mode::kAccept;
  int fail_next_ = 0;
  int attempts_ = 0;
  std::vector<Delivery> deliveries_;
  std::vector<std::shared_ptr<Connection>> held_;
};

// Polls `condition` until it holds or `limit` passes: for what another thread delivers.
inline bool Eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::milliseconds(20'000)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace switchboard::testing
