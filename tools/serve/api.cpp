#include "tools/serve/api.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

namespace switchboard::serve {
namespace {

using nlohmann::json;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool Decode(const std::string& in, std::string* out) {
  out->clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out->push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

Response FromStatus(const Status& s) {
  if (s.IsNotFound()) return Error(404, s.message());
  if (s.code() == Status::Code::kInvalidArgument) return Error(400, s.message());
  return Error(500, s.message());
}

Response Document(const Status& s, std::string body) {
  if (!s.ok()) return FromStatus(s);
  Response r;
  r.body = std::move(body);
  return r;
}

// A query, or what it would have answered at `as_of` (B53).
Response Ask(Engine& engine, const Request& request, std::vector<std::string> what) {
  std::string out;
  auto as_of = request.query.find("as_of");
  const Status s =
      as_of == request.query.end() ? engine.Query(what, &out) : engine.QueryAsOf(what, as_of->second, &out);
  return Document(s, std::move(out));
}

Response AuditOf(Engine& engine, const std::string& kind, const std::string& id) {
  std::string out = "[";
  bool first = true;
  Status s = engine.Audit(kind, id, [&](const std::string& event) {
    if (!first) out += ',';
    first = false;
    out += event;
    return true;
  });
  out += "]";
  return Document(s, std::move(out));
}

Response Health(Engine& engine) {
  Status error = engine.BackgroundError();
  json body = {{"ok", error.ok()}, {"last_seq", engine.LastSeq()}};
  if (!error.ok()) body["error"] = error.message();
  Response r;
  r.status = error.ok() ? 200 : 503;
  r.body = body.dump();
  return r;
}

// B73: the staffing document; a refusal names the query parameter (`service_level: ...`), where the
// engine's sentence names the CLI flag (`--service-level: ...`).
Response Staffing(Engine& engine, const Request& request) {
  auto get = [&](const char* key) {
    auto it = request.query.find(key);
    return it == request.query.end() ? std::string() : it->second;
  };
  Engine::StaffingQuery q;
  q.from = get("from");
  q.to = get("to");
  q.interval = get("interval");
  q.service_level = get("service_level");
  q.concurrency = get("concurrency");
  q.channel = get("channel");
  q.as_of = get("as_of");
  q.csv = request.accept.find("text/csv") != std::string::npos || get("format") == "csv";
  std::string out;
  Status s = engine.Staffing(q, &out);
  if (!s.ok() && s.code() == Status::Code::kInvalidArgument && s.message().rfind("--", 0) == 0) {
    std::string sentence = s.message().substr(2);
    for (std::size_t i = 0; i < sentence.size() && sentence[i] != ':'; ++i) {
      if (sentence[i] == '-') sentence[i] = '_';
    }
    if (std::size_t at = sentence.find(" --from"); at != std::string::npos) sentence.replace(at, 7, " from");
    s = Status::InvalidArgument(sentence);
  }
  Response r = Document(s, std::move(out));
  if (q.csv && r.status == 200) r.content_type = "text/csv";
  return r;
}

bool IsNumber(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// The acknowledgement of one command as the API answers it; the events exactly as `run` prints them.
std::string AckJson(const Acknowledgement& ack) {
  std::string out = "{\"cmd\":" + json(ack.command_id).dump() + ",\"duplicate\":" + (ack.duplicate ? "true" : "false") +
                    ",\"events\":[";
  bool first = true;
  for (const std::string& e : ack.EventsAsJson()) {
    if (!first) out += ',';
    first = false;
    out += e;
  }
  return out + "]}";
}

// Collects the acknowledgements of one request's commands (they arrive in order, on the engine's
// thread) and answers once all are in.
struct Pending {
  std::mutex mu;
  std::vector<Acknowledgement> acks;
  std::size_t expected = 0;
  bool list = false;
  std::function<void(Response)> done;
};

void Answer(Pending& p) {
  for (const Acknowledgement& ack : p.acks) {
    if (!ack.status.ok()) return p.done(Error(503, ack.status.message()));  // the engine has stopped
  }
  Response r;
  if (p.list) r.body = "[";
  for (std::size_t i = 0; i < p.acks.size(); ++i) {
    if (i > 0) r.body += ',';
    r.body += AckJson(p.acks[i]);
  }
  if (p.list) r.body += "]";
  p.done(std::move(r));
}

}  // namespace

Response Error(int status, const std::string& sentence) {
  Response r;
  r.status = status;
  r.body = json{{"error", sentence}}.dump();
  return r;
}

std::vector<std::string> PathParts(const std::string& path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    parts.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

bool ParseTarget(const std::string& target, std::string* path, std::map<std::string, std::string>* query) {
  if (target.empty() || target[0] != '/') return false;
  std::size_t q = target.find('?');
  if (!Decode(target.substr(0, q), path)) return false;
  query->clear();
  if (q == std::string::npos) return true;
  std::string rest = target.substr(q + 1);
  std::size_t start = 0;
  while (start <= rest.size()) {
    std::size_t amp = rest.find('&', start);
    if (amp == std::string::npos) amp = rest.size();
    std::string pair = rest.substr(start, amp - start);
    if (!pair.empty()) {
      std::size_t eq = pair.find('=');
      std::string key, value;
      if (!Decode(pair.substr(0, eq), &key)) return false;
      if (eq != std::string::npos && !Decode(pair.substr(eq + 1), &value)) return false;
      (*query)[key] = value;
    }
    start = amp + 1;
  }
  return true;
}

Response Read(Engine& engine, const Request& request) {
  if (request.path == "/healthz") return Health(engine);
  const std::vector<std::string> p = PathParts(request.path);
  if (p.size() < 2 || p[0] != "v1") return Error(404, "no such path: " + request.path);
  const std::string& what = p[1];
  if (what == "tickets" && p.size() == 3) {
    if (!IsNumber(p[2])) return Error(400, "a ticket is a number, not \"" + p[2] + "\"");
    return Ask(engine, request, {"ticket", p[2]});
  }
  if ((what == "tickets" || what == "conversations" || what == "contacts" || what == "agents") && p.size() == 4 &&
      p[3] == "audit") {
    const std::string kind = what.substr(0, what.size() - 1);
    if ((kind == "ticket" || kind == "conversation") && !IsNumber(p[2])) {
      return Error(400, "a " + kind + " is a number, not \"" + p[2] + "\"");
    }
    return AuditOf(engine, kind, p[2]);
  }
  if (what == "contacts" && p.size() == 3) return Ask(engine, request, {"contact", p[2]});
  if (what == "agents" && p.size() == 3) return Ask(engine, request, {"agent", p[2]});
  if (what == "agents" && p.size() == 4 && p[3] == "notifications")
    return Ask(engine, request, {"notifications", p[2]});
  if (what == "views" && p.size() == 3) return Ask(engine, request, {"view", p[2]});
  if (what == "monitor" && p.size() == 2) return Ask(engine, request, {"monitor"});
  if (what == "projections" && p.size() == 2) return Ask(engine, request, {"projections"});
  if (what == "staffing" && p.size() == 2) return Staffing(engine, request);
  if (what == "analytics" && p.size() == 2) {
    auto get = [&](const char* key) {
      auto it = request.query.find(key);
      return it == request.query.end() ? std::string() : it->second;
    };
    const bool csv = request.accept.find("text/csv") != std::string::npos || get("format") == "csv";
    std::string out;
    const Status s = engine.Analytics(get("from"), get("to"), get("by"), csv, &out);
    Response r = Document(s, std::move(out));
    if (csv && r.status == 200) r.content_type = "text/csv";
    return r;
  }
  return Error(404, "no such path: " + request.path);
}

void SubmitCommands(Engine& engine, const std::string& body, std::function<void(Response)> done) {
  json parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded()) return done(Error(400, "the body is not JSON: send a command object or an array of them"));
  if (!parsed.is_object() && !parsed.is_array()) {
    return done(Error(400, "the body is neither a command object nor an array of them"));
  }
  auto pending = std::make_shared<Pending>();
  pending->list = parsed.is_array();
  pending->done = std::move(done);
  std::vector<std::string> lines;
  if (parsed.is_array()) {
    for (const json& c : parsed) lines.push_back(c.dump());
  } else {
    lines.push_back(parsed.dump());
  }
  pending->expected = lines.size();
  if (lines.empty()) {
    Response r;
    r.body = "[]";
    return pending->done(std::move(r));
  }
  std::uint64_t line = 0;
  for (std::string& text : lines) {
    // A rejection names the command's position in the list, as `run` names the line (from 1).
    engine.SubmitLine(std::move(text), ++line, [pending](Acknowledgement ack) {
      bool complete = false;
      {
        std::lock_guard<std::mutex> lock(pending->mu);
        pending->acks.push_back(std::move(ack));
        complete = pending->acks.size() == pending->expected;
      }
      if (complete) Answer(*pending);
    });
  }
}

void PutConfig(Engine& engine, const std::string& body, std::function<void(Response)> done) {
  json config = json::parse(body, nullptr, false);
  if (config.is_discarded() || !config.is_object()) {
    return done(Error(400, "the body is not a configuration (a JSON object)"));
  }
  // A fresh id for each PUT: the same document put again after another is a new command (the desk
  // records nothing when it is already the one in force).
  static std::atomic<std::uint64_t> puts{0};
  json command = {{"id", "http-config-" + std::to_string(engine.LastSeq()) + "-" + std::to_string(++puts)},
                  {"type", "config.apply"},
                  {"config", std::move(config)}};
  engine.Submit(command.dump(), [done = std::move(done)](Acknowledgement ack) {
    if (!ack.status.ok()) return done(Error(503, ack.status.message()));
    for (const std::string& e : ack.EventsAsJson()) {
      json event = json::parse(e);
      if (event["type"] == "command.rejected") {
        Response r = Error(422, event.value("error", std::string()));
        json b = json::parse(r.body);
        b["field"] = event.value("field", json());
        r.body = b.dump();
        return done(std::move(r));
      }
    }
    Response r;
    r.body = AckJson(ack);
    done(std::move(r));
  });
}

std::string WithoutSecrets(const std::string& config_document) {
  json doc = json::parse(config_document, nullptr, false);
  if (!doc.is_object()) return config_document;
  static const char* kHidden = "(hidden: only an admin token reads it)";
  if (doc.contains("webhooks") && doc["webhooks"].is_array()) {
    for (json& w : doc["webhooks"]) {
      if (w.is_object() && w.contains("secret")) w["secret"] = kHidden;
    }
  }
  if (doc.contains("inbound") && doc["inbound"].is_object() && doc["inbound"].contains("twilio")) {
    json& t = doc["inbound"]["twilio"];
    if (t.is_object() && t.contains("auth_token")) t["auth_token"] = kHidden;
  }
  return doc.dump();
}

std::string TypeOf(const std::string& event_json) {
  static const std::string kKey = "\"type\":\"";
  const std::size_t at = event_json.find(kKey);
  if (at == std::string::npos) return "";
  const std::size_t start = at + kKey.size();
  const std::size_t end = event_json.find('"', start);
  return end == std::string::npos ? "" : event_json.substr(start, end - start);
}

std::uint64_t SeqOf(const std::string& event_json) {
  static const std::string kHead = "{\"seq\":";
  if (event_json.compare(0, kHead.size(), kHead) != 0) return 0;
  std::uint64_t seq = 0;
  for (std::size_t i = kHead.size(); i < event_json.size() && event_json[i] >= '0' && event_json[i] <= '9'; ++i) {
    seq = seq * 10 + static_cast<std::uint64_t>(event_json[i] - '0');
  }
  return seq;
}

}  // namespace switchboard::serve
