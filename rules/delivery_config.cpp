#include "rules/delivery_config.h"

#include <set>
#include <string>

#include "rules/json_path.h"

namespace switchboard {
namespace {

using nlohmann::json;
using namespace json_path;

const std::string& Text(const json& obj, const std::string& path, const char* key) {
  if (!obj.contains(key)) Fail(Child(path, key), std::string("missing field \"") + key + "\"");
  const json& v = obj[key];
  if (!v.is_string()) Fail(Child(path, key), std::string("expected a string; got ") + TypeName(v));
  return v.get_ref<const std::string&>();
}

// A secret shared with another system: long enough not to be guessed.
void CheckSecret(const std::string& secret, const std::string& path) {
  if (secret.size() < 16) Fail(path, "a secret needs at least 16 characters");
}

// "http://host[:port][/path]": deliveries are plain HTTP (docs/DECISIONS.md: a TLS proxy in front
// of the receiver when it is remote).
void CheckUrl(const std::string& url, const std::string& path) {
  static const std::string kScheme = "http://";
  if (url.compare(0, kScheme.size(), kScheme) != 0) {
    Fail(path, "expected an http:// URL; got \"" + url + "\"");
  }
  const std::string authority = url.substr(kScheme.size(), url.find('/', kScheme.size()) - kScheme.size());
  const std::string host = authority.substr(0, authority.rfind(':'));
  if (host.empty()) Fail(path, "the URL names no host: \"" + url + "\"");
  if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    const std::string port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(port) == 0 || std::stoi(port) > 65535) {
      Fail(path, "the URL's port is not a port from 1 to 65535: \"" + url + "\"");
    }
  }
}

// An event type ("ticket.created"), a family ("ticket.*") or everything ("*").
void CheckEventPattern(const std::string& pattern, const std::string& path) {
  std::string stem = pattern;
  if (stem == "*") return;
  if (stem.size() > 2 && stem.compare(stem.size() - 2, 2, ".*") == 0) stem.resize(stem.size() - 2);
  if (stem.empty() || stem.find_first_not_of("abcdefghijklmnopqrstuvwxyz_.") != std::string::npos ||
      stem.front() == '.' || stem.back() == '.') {
    Fail(path, "expected an event type, TYPE_FAMILY.* or *; got \"" + pattern + "\"");
  }
}

}  // namespace

void CheckWebhooks(const json& webhooks) {
  if (!webhooks.is_array()) Fail("webhooks", std::string("expected a list; got ") + TypeName(webhooks));
  std::set<std::string> ids;
  for (size_t i = 0; i < webhooks.size(); ++i) {
    const std::string p = "webhooks[" + std::to_string(i) + "]";
    const json& w = webhooks[i];
    ExpectKeys(w, p, {"id", "url", "events", "secret"});
    const std::string& id = Text(w, p, "id");
    if (id.empty() || id.size() > 64 ||
        id.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != std::string::npos) {
      Fail(p + ".id", "expected 1 to 64 letters, digits, _ or -; got \"" + id + "\"");
    }
    if (!ids.insert(id).second) Fail(p + ".id", "a second webhook \"" + id + "\"");
    CheckUrl(Text(w, p, "url"), p + ".url");
    CheckSecret(Text(w, p, "secret"), p + ".secret");
    if (!w.contains("events")) Fail(p + ".events", "missing field \"events\"");
    const json& events = w["events"];
    if (!events.is_array() || events.empty()) Fail(p + ".events", "expected a list of event types, not empty");
    for (size_t e = 0; e < events.size(); ++e) {
      const std::string ep = p + ".events[" + std::to_string(e) + "]";
      if (!events[e].is_string()) Fail(ep, std::string("expected a string; got ") + TypeName(events[e]));
      CheckEventPattern(events[e].get<std::string>(), ep);
    }
  }
}

void CheckInbound(const json& inbound) {
  ExpectKeys(inbound, "inbound", {"twilio"});
  if (!inbound.contains("twilio")) return;
  const json& t = inbound["twilio"];
  ExpectKeys(t, "inbound.twilio", {"auth_token", "channel", "url"});
  CheckSecret(Text(t, "inbound.twilio", "auth_token"), "inbound.twilio.auth_token");
  if (t.contains("channel")) {
    const std::string& channel = Text(t, "inbound.twilio", "channel");
    if (channel != "messaging" && channel != "email") {
      Fail("inbound.twilio.channel", "expected messaging or email; got \"" + channel + "\"");
    }
  }
  if (t.contains("url")) {
    const std::string& url = Text(t, "inbound.twilio", "url");
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      Fail("inbound.twilio.url", "expected the http:// or https:// URL Twilio posts to; got \"" + url + "\"");
    }
  }
}

}  // namespace switchboard
