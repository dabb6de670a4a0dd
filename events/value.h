// Value: the typed form of the JSON values events carry (a ticket.updated change's before and after,
// a contact.updated profile), to and from nlohmann::json, the model the rest of the code holds them in.
//
// Since the typed-events change writers set only the typed fields; events written before it hold JSON
// text instead, so every reader goes through the *Of functions here, which take the typed field when
// it is set and parse the old text when it is not (docs/storage-format.md). Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>

#include "events/event.h"

namespace switchboard {

// The typed form of `j`, for a writer.
std::unique_ptr<fb::ValueT> TypedValue(const nlohmann::json& j);

// The JSON value a typed one holds; a kind this build does not know is null.
nlohmann::json JsonOf(const fb::ValueT& v);
nlohmann::json JsonOf(const fb::Value& v);

// A change's values and a contact update's profile, typed or (old events) parsed from their text. Text
// that is not JSON gives a discarded value, as nlohmann's non-throwing parse does.
nlohmann::json BeforeOf(const fb::ChangeT& c);
nlohmann::json AfterOf(const fb::ChangeT& c);
nlohmann::json ProfileOf(const fb::ContactUpdatedT& p);

}  // namespace switchboard
