#include "tests/tools/serve/chromium.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <spawn.h>

#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace switchboard::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::seconds kStartTimeout{20}, kCallTimeout{20};

// The first of `names` that is an executable file on PATH; empty when none is.
std::string FindOnPath(const std::vector<std::string>& names) {
  const char* path = std::getenv("PATH");
  for (const std::string& name : names) {
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
      const std::string candidate = dir + "/" + name;
      if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
  }
  return "";
}

}  // namespace

Chromium::Chromium(const std::string& profile_dir) : profile_dir_(profile_dir), ws_(ioc_) {
  const std::string binary = FindOnPath({"chromium", "chromium-browser"});
  if (binary.empty()) {
    BOOST_FAIL(
        "chromium is not installed (this test drives a headless browser): run scripts/install-deps.sh, or "
        "apt-get install --no-install-recommends chromium");
  }
  Launch(binary);
  const std::uint16_t port = WaitForDevToolsPort();
  const std::string path = PageSocketPath(port);
  beast::get_lowest_layer(ws_).connect({net::ip::make_address("127.0.0.1"), port});
  ws_.handshake("127.0.0.1:" + std::to_string(port), path);
  ws_.text(true);
  Call("Page.enable");
  Call("Runtime.enable");
}

Chromium::~Chromium() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

Chromium::Process::~Process() {
  if (pid <= 0) return;
  ::kill(-pid, SIGKILL);  // its whole process group: the browser and the processes it started
  ::waitpid(pid, nullptr, 0);
}

void Chromium::Launch(const std::string& binary) {
  std::vector<std::string> args = {
      binary,
      "--headless=new",
      "--no-sandbox",  // as root, in a container
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--remote-debugging-port=0",  // any free port, written to DevToolsActivePort
      "--user-data-dir=" + profile_dir_,
      "--window-size=1280,900",
      "--hide-scrollbars",
      "--no-first-run",
      "--no-default-browser-check",
      "--disable-extensions",
      "--disable-sync",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-default-apps",
      "--no-pings",
      // Loopback goes direct; any other host to a proxy that is not there: the test reaches no one.
      "--proxy-server=http://127.0.0.1:9",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
      "about:blank",
  };
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t files;
  posix_spawn_file_actions_init(&files);
  posix_spawn_file_actions_addopen(&files, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  const std::string log = profile_dir_ + ".log";
  posix_spawn_file_actions_addopen(&files, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&files, STDOUT_FILENO, STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);  // a group of its own, to kill it whole
  const int error = ::posix_spawn(&process_.pid, binary.c_str(), &files, &attributes, argv.data(), environ);
  posix_spawn_file_actions_destroy(&files);
  posix_spawnattr_destroy(&attributes);
  if (error != 0) {
    process_.pid = -1;
    BOOST_FAIL("cannot start " + binary + ": " + std::strerror(error));
  }
}

std::string Chromium::Log() const {
  std::ifstream in(profile_dir_ + ".log");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Chromium writes the port it took, then a newline, to DevToolsActivePort in its profile.
std::uint16_t Chromium::WaitForDevToolsPort() {
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    std::ifstream in(profile_dir_ + "/DevToolsActivePort");
    std::string port;
    if (in && std::getline(in, port) && !in.eof() && !port.empty()) {
      return static_cast<std::uint16_t>(std::stoi(port));
    }
    int status = 0;
    if (::waitpid(process_.pid, &status, WNOHANG) == process_.pid) {
      process_.pid = -1;
      BOOST_FAIL("chromium exited before it listened for DevTools:\n" + Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // polling for a file, bounded by the deadline
  }
  BOOST_FAIL("chromium did not write DevToolsActivePort within 20 s:\n" + Log());
  return 0;
}

// The WebSocket path of its page (the about:blank tab), from GET /json/list.
std::string Chromium::PageSocketPath(std::uint16_t port) {
  const auto deadline = Clock::now() + kStartTimeout;
  while (Clock::now() < deadline) {
    beast::tcp_stream stream(ioc_);
    stream.connect({net::ip::make_address("127.0.0.1"), port});
    http::request<http::empty_body> request{http::verb::get, "/json/list", 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    for (const json& target : json::parse(response.body(), nullptr, false)) {
      if (target.value("type", "") != "page") continue;
      const std::string url = target.value("webSocketDebuggerUrl", "");  // ws://127.0.0.1:PORT/devtools/page/ID
      const std::size_t path = url.find("/devtools/");
      if (path != std::string::npos) return url.substr(path);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // its tab is not open yet
  }
  BOOST_FAIL("chromium showed no page to drive:\n" + Log());
  return "";
}

json Chromium::Receive(Clock::time_point deadline) {
  bool done = false;
  beast::error_code result;
  ws_.async_read(buffer_, [&](beast::error_code ec, std::size_t) {
    result = ec;
    done = true;
  });
  ioc_.restart();
  ioc_.run_until(deadline);
  if (!done) {
    beast::get_lowest_layer(ws_).socket().close(result);  // ends the read; the browser is no use now
    ioc_.restart();
    ioc_.run();
    BOOST_FAIL("chromium did not answer a DevTools command within 20 s:\n" + Log());
  }
  if (result) BOOST_FAIL("the DevTools connection failed: " + result.message() + "\n" + Log());
  json message = json::parse(beast::buffers_to_string(buffer_.data()));
  buffer_.consume(buffer_.size());
  return message;
}

json Chromium::Send(const std::string& method, const json& params) {
  const int id = ++next_id_;
  ws_.write(net::buffer(json{{"id", id}, {"method", method}, {"params", params}}.dump()));
  const auto deadline = Clock::now() + kCallTimeout;
  for (;;) {
    json message = Receive(deadline);
    if (message.value("id", 0) == id) return message;
    // An event: kept when it is the page's own complaint, for the failure messages.
    const std::string event = message.value("method", "");
    if (event == "Runtime.exceptionThrown") {
      page_log_ += "exception: " + message["params"]["exceptionDetails"].dump() + "\n";
    } else if (event == "Runtime.consoleAPICalled" && message["params"].value("type", "") == "error") {
      page_log_ += "console.error: " + message["params"]["args"].dump() + "\n";
    }
  }
}

json Chromium::Call(const std::string& method, const json& params) {
  json message = Send(method, params);
  if (message.contains("error")) BOOST_FAIL(method + " failed: " + message["error"].dump());
  return message.value("result", json::object());
}

void Chromium::Navigate(const std::string& url) {
  json result = Call("Page.navigate", {{"url", url}});
  if (result.contains("errorText")) BOOST_FAIL("cannot load " + url + ": " + result["errorText"].dump());
}

json Chromium::Evaluate(const std::string& expression) {
  json message =
      Send("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
  // A page being replaced may have no context to evaluate in: that is "not yet", not a failure.
  if (message.contains("error") || message["result"].contains("exceptionDetails")) return nullptr;
  return message["result"]["result"].value("value", json());
}

json Chromium::WaitFor(const std::string& what, const std::string& expression,
                       const std::function<bool(const json&)>& done, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    json value = Evaluate(expression);
    if (done(value)) return value;
    if (Clock::now() >= deadline) {
      BOOST_FAIL("the page did not show " + what + " within " + std::to_string(timeout.count()) +
                 " ms; it shows: " + value.dump() + "\n" + page_log_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling the DOM, bounded by the deadline
  }
}

std::string Chromium::Screenshot() {
  return DecodeBase64(
      Call("Page.captureScreenshot", {{"format", "png"}, {"captureBeyondViewport", true}}).value("data", ""));
}

std::string DecodeBase64(const std::string& text) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') {
      v = c - 'A';
    } else if (c >= 'a' && c <= 'z') {
      v = c - 'a' + 26;
    } else if (c >= '0' && c <= '9') {
      v = c - '0' + 52;
    } else if (c == '+') {
      v = 62;
    } else if (c == '/') {
      v = 63;
    } else if (c == '=') {
      break;
    } else {
      return "";
    }
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out.push_back(static_cast<char>((bits >> count) & 0xff));
    }
  }
  return out;
}

}  // namespace switchboard::testing
