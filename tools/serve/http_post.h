// HttpPoster: the outbound HTTP/1.1 client of webhook deliveries. One keep-alive connection to one
// receiver at a time, reopened after any failure; every step (resolve, connect, write, read) is
// bounded by the time-out, so a receiver that hangs costs a delivery attempt, never a thread.
// Not thread-safe: one per delivering thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::serve {

struct PostResult {
  int status = 0;     // the HTTP status; 0 when no answer came
  std::string error;  // why no 2xx, for a person: "connect: Connection refused", "HTTP 503"
  bool ok() const { return status >= 200 && status < 300; }
};

class HttpPoster {
 public:
  // POSTs `body` to `url` (http://HOST[:PORT][/PATH]) with the headers given and Content-Type JSON.
  PostResult Post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                  const std::string& body, std::chrono::milliseconds timeout);

 private:
  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  std::string connected_to_;  // host:port of stream_
};

}  // namespace switchboard::serve
