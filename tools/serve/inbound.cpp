#include "tools/serve/inbound.h"

#include <nlohmann/json.hpp>

#include <map>

#include "tools/serve/signing.h"

namespace switchboard::serve {

using nlohmann::json;

void InboundChannels::Load(const std::string& config_document) {
  json doc = json::parse(config_document, nullptr, false);
  std::optional<TwilioChannel> twilio;
  if (doc.is_object() && doc.contains("inbound") && doc["inbound"].contains("twilio")) {
    const json& t = doc["inbound"]["twilio"];
    twilio = TwilioChannel{t.value("auth_token", std::string()), t.value("channel", std::string("messaging")),
                           t.value("url", std::string())};
  }
  std::lock_guard<std::mutex> lock(mu_);
  twilio_ = std::move(twilio);
}

std::optional<TwilioChannel> InboundChannels::twilio() const {
  std::lock_guard<std::mutex> lock(mu_);
  return twilio_;
}

bool TwilioCommand(const TwilioChannel& channel, const std::string& url, const std::string& signature,
                   const std::string& body, std::string* command, Response* refusal) {
  std::string ignored;
  std::map<std::string, std::string> params;
  if (!ParseTarget("/?" + body, &ignored, &params)) {
    *refusal = Error(400, "the body is not form-encoded (application/x-www-form-urlencoded)");
    return false;
  }
  const std::string expected = TwilioSignature(channel.auth_token, channel.url.empty() ? url : channel.url, params);
  if (signature.empty() || !SameSecretText(signature, expected)) {
    *refusal = Error(403, signature.empty() ? "missing X-Twilio-Signature"
                                            : "X-Twilio-Signature does not match this request under the auth token "
                                              "of inbound.twilio (check its url)");
    return false;
  }
  for (const char* field : {"MessageSid", "From"}) {
    if (params[field].empty()) {
      *refusal = Error(400, std::string("a Twilio message needs ") + field);
      return false;
    }
  }
  json profile = {{"phone", params["From"]}};
  if (!params["ProfileName"].empty()) profile["name"] = params["ProfileName"];
  json c = {{"type", "contact.message"}, {"id", "twilio:" + params["MessageSid"]},
            {"contact", params["From"]}, {"channel", channel.channel},
            {"text", params["Body"]},    {"profile", profile}};
  *command = c.dump();
  return true;
}

Response TwilioAccepted() {
  return Response{200, "text/xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>"};
}

}  // namespace switchboard::serve
