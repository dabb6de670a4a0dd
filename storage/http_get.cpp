#include "storage/http_get.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>

namespace switchboard {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

}  // namespace

HttpAnswer HttpGet(const std::string& url, const std::string& input, std::chrono::milliseconds timeout) {
  HttpAnswer answer;
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) {
    answer.error = "only http:// URLs are supported";
    return answer;
  }
  std::string rest = url.substr(scheme.size());
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash), target = slash == std::string::npos ? "/" : rest.substr(slash);
  std::size_t colon = authority.find(':');
  std::string host = authority.substr(0, colon), port = colon == std::string::npos ? "80" : authority.substr(colon + 1);
  std::size_t placeholder = target.find("{{input}}");
  if (placeholder != std::string::npos) {
    target.replace(placeholder, 9, UrlEncode(input));
  } else {
    target += (target.find('?') == std::string::npos ? "?input=" : "&input=") + UrlEncode(input);
  }

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, host);
  request.set(http::field::user_agent, "switchboard");
  http::response<http::string_body> response;
  beast::error_code failure;
  bool done = false;
  stream.expires_after(timeout);
  resolver.async_resolve(host, port, [&](beast::error_code ec, tcp::resolver::results_type results) {
    if (ec) {
      failure = ec;
      done = true;
      return;
    }
    stream.async_connect(results, [&](beast::error_code ec2, tcp::endpoint) {
      if (ec2) {
        failure = ec2;
        done = true;
        return;
      }
      http::async_write(stream, request, [&](beast::error_code ec3, std::size_t) {
        if (ec3) {
          failure = ec3;
          done = true;
          return;
        }
        http::async_read(stream, buffer, response, [&](beast::error_code ec4, std::size_t) {
          failure = ec4;
          done = true;
        });
      });
    });
  });
  ioc.run_for(timeout);  // the resolver is not covered by the stream's deadline; this bounds it all
  if (!done || failure == beast::error::timeout) {
    answer.error = "timed out after " + std::to_string(timeout.count()) + " ms";
  } else if (failure) {
    answer.error = "cannot reach " + authority + ": " + failure.message();
  } else {
    answer.ok = true;
    answer.status = static_cast<int>(response.result_int());
    answer.body = std::move(response.body());
  }
  beast::error_code ignored;
  stream.socket().close(ignored);
  return answer;
}

}  // namespace switchboard
