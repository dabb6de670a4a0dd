// Chromium: Debian's `chromium`, headless, as a child process, driven over the Chrome DevTools
// Protocol (a WebSocket to its one page, Boost.Beast) so a test can look at a page as a person
// would: navigate, read the DOM through Runtime.evaluate, take a screenshot. It runs in a process
// group of its own, killed with the object; it reaches nothing but 127.0.0.1 (every other host goes
// to a proxy that is not there). A missing `chromium` fails the test, saying how to install it.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>

namespace switchboard::testing {

class Chromium {
 public:
  // Starts it on about:blank with a fresh profile in `profile_dir` (created; its log beside it, .log).
  explicit Chromium(const std::string& profile_dir);
  ~Chromium();
  Chromium(const Chromium&) = delete;
  Chromium& operator=(const Chromium&) = delete;

  // One DevTools command to the page; its `result`. A protocol error fails the test.
  nlohmann::json Call(const std::string& method, const nlohmann::json& params = nlohmann::json::object());
  // Loads `url` (returns once the navigation is committed, not once the page has run).
  void Navigate(const std::string& url);
  // The value of a JavaScript expression in the page (JSON-serialisable), or null when it throws.
  nlohmann::json Evaluate(const std::string& expression);
  // Evaluates `expression` until `done` holds for its value, or fails the test with `what` and the
  // last value once `timeout` has passed. Returns that value.
  nlohmann::json WaitFor(const std::string& what, const std::string& expression,
                         const std::function<bool(const nlohmann::json&)>& done,
                         std::chrono::milliseconds timeout = std::chrono::seconds(20));
  // The page as it shows now, as PNG bytes.
  std::string Screenshot();

 private:
  void Launch(const std::string& binary);
  std::uint16_t WaitForDevToolsPort();
  std::string PageSocketPath(std::uint16_t port);
  nlohmann::json Send(const std::string& method, const nlohmann::json& params);  // the whole answer
  nlohmann::json Receive(std::chrono::steady_clock::time_point deadline);
  std::string Log() const;  // what chromium printed, for failure messages

  // Its process group, killed when the object goes, even when its constructor failed half-way.
  struct Process {
    ~Process();
    pid_t pid = -1;
  };

  std::string profile_dir_;
  Process process_;
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  int next_id_ = 0;
  std::string page_log_;  // the page's exceptions and console errors
};

// The bytes that base64 `text` encodes (the screenshot's encoding); empty when it is not base64.
std::string DecodeBase64(const std::string& text);

}  // namespace switchboard::testing
