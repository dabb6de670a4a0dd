// API tokens (the `tokens` key of a configuration): who may use `switchboard serve`, with which role
// (admin, supervisor, agent:ID, channel). A token is never kept as given: ParseConfiguration replaces
// each `token` by its `token_sha256` in the document it records, so the log, the audits and GET
// /v1/config hold only digests, and the server compares the digest of what a request presents.
#pragma once

#include <string>
#include <string_view>

namespace switchboard {

struct ApiToken {
  std::string sha256;  // 64 lowercase hex digits
  std::string role;    // admin | supervisor | channel | agent:ID
};

// SHA-256 of `text`, as 64 lowercase hex digits.
std::string Sha256Hex(std::string_view text);

}  // namespace switchboard
