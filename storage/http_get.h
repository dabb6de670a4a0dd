// HttpGet: one HTTP/1.1 GET with a deadline, for the bot's URL lookups (B5). Blocking: call it from
// a thread that may wait (the detached lookup worker), never from the desk.
#pragma once

#include <chrono>
#include <string>

namespace switchboard {

struct HttpAnswer {
  bool ok = false;
  int status = 0;
  std::string body;
  std::string error;  // when !ok: what went wrong, for a person ("timed out after 500 ms")
};

// `url` is http://host[:port]/path; `{{input}}` in it is replaced by the URL-encoded input, otherwise
// the input is added as the query parameter `input`. Everything, name resolution included, must
// finish within `timeout`.
HttpAnswer HttpGet(const std::string& url, const std::string& input, std::chrono::milliseconds timeout);

}  // namespace switchboard
