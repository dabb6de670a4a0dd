// How the values that travel between actors are serialized: one CAF `inspect` per type, found by
// argument-dependent lookup, so every message of actors/interfaces.h can cross a process or a
// network (CAF's binary serializer) the day an actor boundary does. The types themselves stay free
// of CAF (they belong to the layers below); only this header knows how CAF sees them.
#pragma once

#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>

#include <optional>

#include "events/codec.h"
#include "events/command.h"
#include "projections/agent_feed.h"
#include "projections/records.h"
#include "rules/domain/bot_session.h"
#include "storage/event_store.h"
#include "switchboard/engine.h"

namespace switchboard {

// An event travels as its storage encoding (docs/storage-format.md): the same bytes the log holds.
// Between two actors of one process nothing is encoded (CAF moves the value).
namespace fb {  // Event is fb::EventT: found by argument-dependent lookup there

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, EventT& x) {
  std::string bytes;
  if constexpr (Inspector::reads_state) bytes = EncodeEvent(x);
  return f(caf::meta::type_name("switchboard::Event"), bytes, caf::meta::load_callback([&]() -> caf::error {
             if (!DecodeEvent(bytes, &x).ok()) return caf::make_error(caf::sec::invalid_argument, "not an event");
             return caf::none;
           }));
}

}  // namespace fb

// An optional as a presence flag and a value (CAF 0.17 has no inspector for std::optional).
template <class T>
struct OptionalField {
  std::optional<T>& value;
};

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, OptionalField<T>& x) {
  bool present = x.value.has_value();
  T value = present ? *x.value : T{};
  return f(present, value, caf::meta::load_callback([&]() -> caf::error {
             if (present) {
               x.value = std::move(value);
             } else {
               x.value.reset();
             }
             return caf::none;
           }));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Command& x) {
  OptionalField<Timestamp> at{x.at};
  OptionalField<TicketStatus> status{x.status};
  OptionalField<Priority> priority{x.priority};
  OptionalField<std::string> group{x.group};
  OptionalField<std::string> assignee{x.assignee};
  return f(caf::meta::type_name("switchboard::Command"), x.kind, x.id, at, x.contact, x.channel, x.text, x.profile,
           x.agent, x.presence, x.ticket, x.is_public, x.public_given, status, priority, group, assignee, x.tags_add,
           x.tags_remove, x.to_agent, x.to_group, x.note, x.score, x.comment, x.macro, x.config, x.conversation,
           x.lookup, x.result, x.error, x.error_field, x.recovered_id, x.line);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Status& x) {
  Status::Code code = x.code();
  std::string message = x.message();
  return f(caf::meta::type_name("switchboard::Status"), code, message, caf::meta::load_callback([&]() -> caf::error {
             x = Status::FromParts(code, std::move(message));
             return caf::none;
           }));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Acknowledgement& x) {
  return f(caf::meta::type_name("switchboard::Acknowledgement"), x.command_id, x.duplicate, x.status, x.events);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Record& x) {
  return f(caf::meta::type_name("switchboard::Record"), x.key, x.json, x.erase);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, CommandWrite& x) {
  return f(caf::meta::type_name("switchboard::CommandWrite"), x.command_id, x.events, x.records, x.last_seq);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, FeedItem& x) {
  return f(caf::meta::type_name("switchboard::FeedItem"), x.seq, x.at, x.kind, x.ticket, x.text, x.delivered_at);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, FeedNotice& x) {
  return f(caf::meta::type_name("switchboard::FeedNotice"), x.agent, x.seq, x.at, x.item, x.presence);
}

// A configuration travels as its document, parsed again where it lands.
struct ConfigField {
  std::shared_ptr<const Configuration>& value;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, ConfigField& x) {
  std::string document;
  if constexpr (Inspector::reads_state) document = x.value ? x.value->document : "";
  return f(document, caf::meta::load_callback([&]() -> caf::error {
             auto config = std::make_shared<Configuration>();
             if (!ParseConfiguration(document, config.get()).ok()) {
               return caf::make_error(caf::sec::invalid_argument, "not a configuration");
             }
             x.value = std::move(config);
             return caf::none;
           }));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, LookupAnswer& x) {
  return f(caf::meta::type_name("switchboard::LookupAnswer"), x.lookup, x.result, x.error);
}

// A contact travels as its profile (what a bot's turn reads of it); the parsed values are rebuilt.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, Contact& x) {
  return f(caf::meta::type_name("switchboard::Contact"), x.id, x.profile, caf::meta::load_callback([&]() -> caf::error {
             x.values.clear();
             for (const auto& [field, value] : x.profile) x.values[field] = ValueFromJson(value);
             return caf::none;
           }));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, BotTurnRequest& x) {
  OptionalField<Timestamp> wait{x.wait};
  OptionalField<Contact> contact{x.contact};
  ConfigField config{x.config};
  return f(caf::meta::type_name("switchboard::BotTurnRequest"), x.kind, x.conversation, x.prior, x.has_bot, contact,
           wait, x.at, x.next_seq, config, x.text, x.answer);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, BotOutcome& x) {
  OptionalField<Priority> priority{x.priority};
  return f(caf::meta::type_name("switchboard::BotOutcome"), x.handoff, x.group, priority, x.step);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, BotTurnReply& x) {
  return f(caf::meta::type_name("switchboard::BotTurnReply"), x.events, x.outcome, x.done, x.status);
}

}  // namespace switchboard
