// Inbound channel webhooks: a provider's own request shape turned into a contact.message. Today
// Twilio's messaging webhook (SMS and WhatsApp): a form-encoded POST of From, Body and MessageSid
// (and ProfileName on WhatsApp), signed with X-Twilio-Signature under the account's auth token.
// The provider's message id is the command id ("twilio:SID"), so Twilio's retries change nothing.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "tools/serve/api.h"

namespace switchboard::serve {

// `inbound.twilio` of the configuration in force.
struct TwilioChannel {
  std::string auth_token;
  std::string channel = "messaging";
  std::string url;  // the public URL Twilio posts to; empty: http://HOST/TARGET of the request
};

class InboundChannels {
 public:
  // From the configuration document in force. Thread-safe.
  void Load(const std::string& config_document);
  std::optional<TwilioChannel> twilio() const;

 private:
  mutable std::mutex mu_;
  std::optional<TwilioChannel> twilio_;
};

// The contact.message of a Twilio request (`body` form-encoded, `signature` its X-Twilio-Signature,
// `url` the URL it was sent to), as a command JSON line; or, when the request is not one Twilio
// signed or lacks a field, the refusal to answer (403 or 400, naming what is wrong).
bool TwilioCommand(const TwilioChannel& channel, const std::string& url, const std::string& signature,
                   const std::string& body, std::string* command, Response* refusal);

// What Twilio is answered once the message is recorded: TwiML that sends no reply of its own
// (the conversation answers through the agent or the bot, not in this response).
Response TwilioAccepted();

}  // namespace switchboard::serve
