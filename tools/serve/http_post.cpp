#include "tools/serve/http_post.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace switchboard::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

struct Target {
  std::string host, port = "80", path = "/";
};

bool ParseUrl(const std::string& url, Target* t) {
  static const std::string kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0) return false;
  const std::size_t slash = url.find('/', kScheme.size());
  std::string authority =
      url.substr(kScheme.size(), slash == std::string::npos ? std::string::npos : slash - kScheme.size());
  if (slash != std::string::npos) t->path = url.substr(slash);
  if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    t->port = authority.substr(colon + 1);
    authority.resize(colon);
  }
  t->host = authority;
  return !t->host.empty();
}

}  // namespace

PostResult HttpPoster::Post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                            const std::string& body, std::chrono::milliseconds timeout) {
  Target target;
  if (!ParseUrl(url, &target)) return {0, "not an http:// URL: " + url};
  const std::string endpoint = target.host + ":" + target.port;
  // Beast's synchronous calls on a tcp_stream ignore its expiry: each step runs as an asynchronous
  // one on this thread's own io_context, so that the time-out holds.
  beast::error_code ec;
  if (stream_ && connected_to_ != endpoint) stream_.reset();
  if (!stream_) {
    tcp::resolver resolver(ioc_);
    auto addresses = resolver.resolve(target.host, target.port, ec);
    if (ec) return {0, "resolve " + target.host + ": " + ec.message()};
    stream_.emplace(ioc_);
    stream_->expires_after(timeout);
    stream_->async_connect(addresses, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
    ioc_.restart();
    ioc_.run();
    if (ec) {
      stream_.reset();
      return {0, "connect " + endpoint + ": " + ec.message()};
    }
    connected_to_ = endpoint;
  }
  http::request<http::string_body> request{http::verb::post, target.path, 11};
  request.set(http::field::host, target.host);
  request.set(http::field::user_agent, "switchboard-webhook");
  request.set(http::field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  request.prepare_payload();
  request.keep_alive(true);
  http::response<http::string_body> response;
  beast::flat_buffer buffer;
  stream_->expires_after(timeout);
  http::async_write(*stream_, request, [&](beast::error_code e, std::size_t) { ec = e; });
  ioc_.restart();
  ioc_.run();
  if (!ec) {
    http::async_read(*stream_, buffer, response, [&](beast::error_code e, std::size_t) { ec = e; });
    ioc_.restart();
    ioc_.run();
  }
  if (ec) {
    stream_.reset();
    return {0, (ec == beast::error::timeout ? std::string("no answer within the time-out") : ec.message()) + " (" +
                   endpoint + ")"};
  }
  if (!response.keep_alive()) stream_.reset();
  PostResult result{static_cast<int>(response.result_int()), ""};
  if (!result.ok()) result.error = "HTTP " + std::to_string(result.status);
  return result;
}

}  // namespace switchboard::serve
