#include "tools/serve/auth.h"

#include <nlohmann/json.hpp>
#include <openssl/sha.h>

#include <vector>

namespace switchboard::serve {
namespace {

using nlohmann::json;

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

// The commands an agent makes itself (PROTOCOL.md, Commands), each naming the agent.
bool IsAgentCommand(const std::string& type) {
  static const std::set<std::string> kTypes{"agent.status",    "agent.message", "agent.accept", "ticket.update",
                                            "ticket.transfer", "session.end",   "macro.apply"};
  return kTypes.count(type) > 0;
}

}  // namespace

void Authorizer::Load(const std::string& config_document) {
  json doc = json::parse(config_document, nullptr, false);
  std::unordered_map<std::string, std::string> roles;
  std::map<std::string, std::set<std::string>> groups;
  if (doc.is_object()) {
    for (const json& t : doc.value("tokens", json::array())) {
      if (t.contains("token_sha256") && t.contains("role")) roles[t["token_sha256"]] = t["role"];
    }
    for (const json& a : doc.value("agents", json::array())) {
      std::set<std::string>& mine = groups[a.value("id", std::string())];
      for (const json& g : a.value("groups", json::array())) mine.insert(g.get<std::string>());
    }
  }
  std::lock_guard<std::mutex> lock(mu_);
  roles_ = std::move(roles);
  groups_ = std::move(groups);
}

bool Authorizer::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return roles_.empty();
}

std::optional<Caller> Authorizer::Identify(const std::string& authorization) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (roles_.empty()) return Caller{"admin", ""};
  static const std::string kBearer = "Bearer ";
  if (authorization.compare(0, kBearer.size(), kBearer) != 0) return std::nullopt;
  auto it = roles_.find(Sha256Hex(authorization.substr(kBearer.size())));
  if (it == roles_.end()) return std::nullopt;
  if (it->second.rfind("agent:", 0) == 0) return Caller{"agent", it->second.substr(6)};
  return Caller{it->second, ""};
}

std::string Authorizer::Refusal(Engine& engine, const Caller& caller, const Request& request) const {
  if (caller.role == "admin") return "";
  const bool is_config_write = request.path == "/v1/config" && request.method == "PUT";
  if (caller.role == "supervisor") return is_config_write ? "only an admin token may replace the configuration" : "";
  const bool is_commands = request.path == "/v1/commands" && request.method == "POST";
  if (is_commands) {
    json body = json::parse(request.body, nullptr, false);
    if (body.is_discarded()) return "";  // answered 400 by the API
    std::vector<json> commands;
    if (body.is_array()) {
      for (const json& c : body) commands.push_back(c);
    } else {
      commands.push_back(body);
    }
    for (const json& c : commands) {
      const std::string type = c.is_object() ? c.value("type", std::string()) : "";
      if (caller.role == "channel" && type != "contact.message" && type != "visitor.activity") {
        return "a channel token may only submit contact.message and visitor.activity; got \"" + type + "\"";
      }
      if (caller.role == "agent" && type == "agent.update") {
        // A supervisor's own token acts as that supervisor (`by`); the domain checks the role.
        if (c.value("by", std::string()) != caller.agent) {
          return "an agent token acts as its own agent only (\"" + caller.agent + "\")";
        }
        continue;
      }
      if (caller.role == "agent") {
        if (!IsAgentCommand(type)) return "an agent token may not submit \"" + type + "\"";
        if (c.value("agent", std::string()) != caller.agent) {
          return "an agent token acts as its own agent only (\"" + caller.agent + "\")";
        }
      }
    }
    return "";
  }
  if (caller.role == "channel") return "a channel token may only submit contact messages";
  // An agent: its own documents and feed, and the tickets it may work on.
  if (request.method != "GET") return "an agent token may not " + request.method + " " + request.path;
  const std::vector<std::string> p = PathParts(request.path);
  if (p.size() >= 3 && p[0] == "v1" && p[1] == "agents") {
    return p[2] == caller.agent ? "" : "an agent token reads its own agent only (\"" + caller.agent + "\")";
  }
  if (p.size() >= 3 && p[0] == "v1" && p[1] == "tickets") {
    std::string document;
    if (!engine.Query({"ticket", p[2]}, &document).ok()) return "";  // the API answers what is wrong
    json t = json::parse(document, nullptr, false);
    const std::string assignee = t.is_object() && t["assignee"].is_string() ? t["assignee"].get<std::string>() : "";
    const std::string group = t.is_object() && t["group"].is_string() ? t["group"].get<std::string>() : "";
    std::lock_guard<std::mutex> lock(mu_);
    auto mine = groups_.find(caller.agent);
    if (assignee == caller.agent || (mine != groups_.end() && mine->second.count(group))) return "";
    return "ticket " + p[2] + " is neither assigned to " + caller.agent + " nor in one of its groups";
  }
  return "an agent token may not read " + request.path;
}

}  // namespace switchboard::serve
