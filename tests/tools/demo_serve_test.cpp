// `switchboard demo --serve`: the demo day, then the same database over HTTP at the address it
// prints, until SIGTERM, which stops it cleanly (exit 0).
#include <arpa/inet.h>
#include <boost/test/unit_test.hpp>
#include <netinet/in.h>

#include <string>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/support/subprocess.h"
#include "tests/support/temp_dir.h"

using switchboard::testing::Subprocess;
using switchboard::testing::TempDir;

namespace {

// One GET on 127.0.0.1:port, the whole answer (status line, headers, body).
std::string HttpGet(int port, const std::string& path) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buffer[4096];
      ssize_t n;
      while ((n = ::read(fd, buffer, sizeof buffer)) > 0) answer.append(buffer, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(demo_serve)

BOOST_AUTO_TEST_CASE(the_demo_day_is_served_at_the_address_it_prints_until_sigterm) {
  TempDir dir;
  Subprocess demo(
      {SWITCHBOARD_BIN, "demo", "--db", dir.Sub("db"), "--conversations", "100", "--serve", "--listen", "127.0.0.1:0"});
  std::string line;
  int port = -1;
  const std::string marker = "on http://127.0.0.1:";
  while (port < 0 && demo.ReadLine(&line)) {
    const std::size_t at = line.find(marker);
    if (at != std::string::npos) port = std::stoi(line.substr(at + marker.size()));
  }
  BOOST_REQUIRE_GT(port, 0);
  const std::string monitor = HttpGet(port, "/v1/monitor");
  BOOST_TEST(monitor.rfind("HTTP/1.1 200", 0) == 0u, monitor);
  BOOST_TEST(monitor.find("\"queues\"") != std::string::npos);
  BOOST_TEST(HttpGet(port, "/v1/tickets/1").rfind("HTTP/1.1 200", 0) == 0u);  // the day's tickets
  const std::string page = HttpGet(port, "/");                                // the supervisor page
  BOOST_TEST(page.rfind("HTTP/1.1 200", 0) == 0u);
  BOOST_TEST(page.find("text/html") != std::string::npos);
  BOOST_TEST(demo.Terminate() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
