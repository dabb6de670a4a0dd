// The configuration keys of the front door's deliveries (docs/PROTOCOL.md, "Configuration"): the
// outbound `webhooks` the log is delivered to, and the `inbound` channel webhooks (Twilio's
// messaging webhook) whose requests become contact messages. The engine itself does nothing with
// them; `switchboard serve` reads them from the document in force. They are checked here, with the
// rest of the document, so that a refused one names its path like any other key.
//
// Signing secrets (a webhook's `secret`, Twilio's `auth_token`) are recorded with the document: the
// server needs them in clear to sign and to check signatures after a restart, unlike API tokens,
// of which a digest suffices (rules/api_tokens.h).
#pragma once

#include <nlohmann/json.hpp>

namespace switchboard {

// webhooks: [{"id", "url": "http://HOST[:PORT]/PATH", "events": ["ticket.created", "ticket.*", "*"],
// "secret"}]. Throws json_path::PathError.
void CheckWebhooks(const nlohmann::json& webhooks);

// inbound: {"twilio": {"auth_token", "channel": "messaging" | "email" (default messaging),
// "url": the public URL Twilio posts to (optional: else http://HOST/PATH of the request)}}.
void CheckInbound(const nlohmann::json& inbound);

}  // namespace switchboard
