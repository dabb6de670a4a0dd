// The HTTP API of `switchboard serve` (docs/PROTOCOL.md, "HTTP"), as functions from a request to a
// response over the public Engine interface: what each path answers, independent of the server
// that carries it (tools/serve/server.h). Reads answer at once; POST /v1/commands answers once every
// command in it is durable, through a callback that may run on another thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "switchboard/engine.h"

namespace switchboard::serve {

struct Request {
  std::string method;                        // GET, POST, PUT, ...
  std::string path;                          // without the query string
  std::map<std::string, std::string> query;  // decoded
  std::string accept;                        // the Accept header
  std::string body;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

// `{"error": sentence}` with `status`.
Response Error(int status, const std::string& sentence);

// Splits "/v1/x?a=1&b=%20" into path and decoded query; false for a target that is not one.
bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query);

// "/v1/tickets/7/audit" -> {"v1", "tickets", "7", "audit"}.
std::vector<std::string> PathParts(const std::string& path);

// What the engine answers to a read (GET): tickets, contacts, agents, views, monitor, analytics,
// audits, projections, health. Unknown paths are 404, other methods 405.
Response Read(Engine& engine, const Request& request);

// POST /v1/commands: one command object or an array of them. `done` gets the response once every
// command is acknowledged (200 with the events of each, in order), or at once for a body that is not
// a command or a list of commands (400).
void SubmitCommands(Engine& engine, const std::string& body, std::function<void(Response)> done);

// PUT /v1/config: the document as a config.apply command; 422 naming the path when refused.
void PutConfig(Engine& engine, const std::string& body, std::function<void(Response)> done);

// The configuration document with its signing secrets (webhooks' `secret`, inbound.twilio's
// `auth_token`) hidden: what GET /v1/config shows any token but an admin's.
std::string WithoutSecrets(const std::string& config_document);

// The event JSON's seq (events render `{"seq":N,"type":"T",...`), 0 when there is none; its type.
std::uint64_t SeqOf(const std::string& event_json);
std::string TypeOf(const std::string& event_json);

}  // namespace switchboard::serve
