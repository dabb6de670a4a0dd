// Message signatures of the front door: HMAC-SHA256 of an outbound webhook's body under its
// secret (X-Switchboard-Signature: sha256=HEX), and Twilio's request signature (X-Twilio-Signature:
// base64 of HMAC-SHA1 under the account's auth token), compared in constant time.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace switchboard::serve {

// HMAC-SHA256 of `message` under `key`, as 64 lowercase hex digits.
std::string HmacSha256Hex(std::string_view key, std::string_view message);

// Twilio's signature of a form-encoded POST: base64(HMAC-SHA1(auth_token, url + each parameter's
// name and value, sorted by name)), as Twilio documents it ("Webhooks security").
std::string TwilioSignature(std::string_view auth_token, const std::string& url,
                            const std::map<std::string, std::string>& params);

// Whether a and b are equal, in time that does not depend on where they differ.
bool SameSecretText(std::string_view a, std::string_view b);

}  // namespace switchboard::serve
