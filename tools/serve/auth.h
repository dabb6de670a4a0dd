// Authorization for `switchboard serve` (docs/PROTOCOL.md, "HTTP"): who a request is, from its
// `Authorization: Bearer TOKEN` and the `tokens` of the configuration in force (recorded as SHA-256
// digests only), and whether that role may make it. A configuration without tokens is served to
// anyone (the server then listens on loopback only).
//
// Roles: `admin` may do everything; `supervisor` everything but replace the configuration;
// `channel` (a web widget's or a webhook's back end) may only submit contact messages; `agent:ID`
// may submit the commands an agent makes, as ID only, and read its own documents and feed and the
// tickets assigned to it or waiting in one of its groups. A token is never logged or echoed.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "switchboard/engine.h"
#include "tools/serve/api.h"

namespace switchboard::serve {

struct Caller {
  std::string role;   // admin | supervisor | channel | agent
  std::string agent;  // for role agent
};

class Authorizer {
 public:
  // From the configuration document in force (Engine::ConfigDocument). Thread-safe.
  void Load(const std::string& config_document);
  bool open() const;
  // The caller a header names; nullopt when it names none this configuration knows (401).
  std::optional<Caller> Identify(const std::string& authorization) const;
  // Empty when `caller` may make `request`; else why not (403).
  std::string Refusal(Engine& engine, const Caller& caller, const Request& request) const;

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> roles_;   // token digest -> role
  std::map<std::string, std::set<std::string>> groups_;  // agent -> its groups
};

}  // namespace switchboard::serve
