#include "events/value.h"

#include <string>

namespace switchboard {
namespace {

using nlohmann::json;

// A typed field when set, else the old event's JSON text parsed.
json TypedOrText(const std::unique_ptr<fb::ValueT>& typed, const std::string& text) {
  if (typed != nullptr) return JsonOf(*typed);
  return json::parse(text, nullptr, false);
}

std::unique_ptr<fb::ValueT> Scalar(fb::ValueKind kind) {
  auto v = std::make_unique<fb::ValueT>();
  v->kind = kind;
  return v;
}

}  // namespace

std::unique_ptr<fb::ValueT> TypedValue(const json& j) {
  switch (j.type()) {
    case json::value_t::boolean: {
      auto v = Scalar(fb::ValueKind::Bool);
      v->bool_value = j.get<bool>();
      return v;
    }
    case json::value_t::number_integer: {
      auto v = Scalar(fb::ValueKind::Integer);
      v->int_value = j.get<std::int64_t>();
      return v;
    }
    case json::value_t::number_unsigned: {
      auto v = Scalar(fb::ValueKind::Unsigned);
      v->uint_value = j.get<std::uint64_t>();
      return v;
    }
    case json::value_t::number_float: {
      auto v = Scalar(fb::ValueKind::Float);
      v->float_value = j.get<double>();
      return v;
    }
    case json::value_t::string: {
      auto v = Scalar(fb::ValueKind::String);
      v->string_value = j.get<std::string>();
      return v;
    }
    case json::value_t::array: {
      auto v = Scalar(fb::ValueKind::List);
      for (const json& item : j) v->items.push_back(TypedValue(item));
      return v;
    }
    case json::value_t::object: {
      auto v = Scalar(fb::ValueKind::Object);
      for (auto it = j.begin(); it != j.end(); ++it) {
        v->keys.push_back(it.key());
        v->items.push_back(TypedValue(it.value()));
      }
      return v;
    }
    default:
      return Scalar(fb::ValueKind::Null);  // null, and nlohmann's binary and discarded, which JSON lacks
  }
}

json JsonOf(const fb::ValueT& v) {
  switch (v.kind) {
    case fb::ValueKind::Bool:
      return v.bool_value;
    case fb::ValueKind::Integer:
      return v.int_value;
    case fb::ValueKind::Unsigned:
      return v.uint_value;
    case fb::ValueKind::Float:
      return v.float_value.value_or(0.0);
    case fb::ValueKind::String:
      return v.string_value;
    case fb::ValueKind::List: {
      json out = json::array();
      for (const auto& item : v.items) out.push_back(item ? JsonOf(*item) : json());
      return out;
    }
    case fb::ValueKind::Object: {
      json out = json::object();
      // A verified buffer may still pair keys and items badly; the shorter list decides.
      for (std::size_t i = 0; i < v.keys.size() && i < v.items.size(); ++i) {
        out[v.keys[i]] = v.items[i] ? JsonOf(*v.items[i]) : json();
      }
      return out;
    }
    default:
      return nullptr;
  }
}

json JsonOf(const fb::Value& v) {
  switch (v.kind()) {
    case fb::ValueKind::Bool:
      return v.bool_value();
    case fb::ValueKind::Integer:
      return v.int_value();
    case fb::ValueKind::Unsigned:
      return v.uint_value();
    case fb::ValueKind::Float:
      return v.float_value().value_or(0.0);
    case fb::ValueKind::String:
      return v.string_value() != nullptr ? v.string_value()->str() : std::string();
    case fb::ValueKind::List: {
      json out = json::array();
      if (v.items() != nullptr) {
        for (const fb::Value* item : *v.items()) out.push_back(JsonOf(*item));
      }
      return out;
    }
    case fb::ValueKind::Object: {
      json out = json::object();
      if (v.keys() != nullptr && v.items() != nullptr) {
        for (flatbuffers::uoffset_t i = 0; i < v.keys()->size() && i < v.items()->size(); ++i) {
          out[v.keys()->Get(i)->str()] = JsonOf(*v.items()->Get(i));
        }
      }
      return out;
    }
    default:
      return nullptr;
  }
}

json BeforeOf(const fb::ChangeT& c) { return TypedOrText(c.before_value, c.before); }
json AfterOf(const fb::ChangeT& c) { return TypedOrText(c.after_value, c.after); }
json ProfileOf(const fb::ContactUpdatedT& p) { return TypedOrText(p.profile_value, p.profile); }

}  // namespace switchboard
