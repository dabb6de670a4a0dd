#include "events/event_json.h"

#include <flatbuffers/reflection.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <vector>

#include "events/codec.h"
#include "events/events_bfbs_generated.h"
#include "events/time.h"
#include "events/value.h"

namespace switchboard {
namespace {

enum class Shape { kSigned, kUnsigned, kBool, kString, kJson, kTime, kStringList, kTableList, kMap, kUnion, kSkip };

struct FieldShape {
  const reflection::Field* field;
  Shape shape;
  int object = -1;        // kTableList / kMap: index of the element object in the schema
  bool optional = false;  // printed only when set (the schema's `optional` attribute)
  // kJson: the Value field that replaces this one (the schema's `replaces`), printed instead when set.
  const reflection::Field* typed = nullptr;
};

struct ObjectShape {
  std::string event_name;          // empty for tables that are not payloads
  std::vector<FieldShape> fields;  // in id order
};

bool HasAttribute(const reflection::Field* f, const char* key) {
  return f->attributes() != nullptr && f->attributes()->LookupByKey(key) != nullptr;
}

const reflection::KeyValue* Attribute(const reflection::Field* f, const char* key) {
  return f->attributes() != nullptr ? f->attributes()->LookupByKey(key) : nullptr;
}

// Points each JSON-text field that a Value field replaces at that Value field. The Value field itself
// stays kSkip (a table that is not a list), so it is printed only in the old field's place, keeping
// the old field's name and position: the JSON is the same whichever of the two an event holds.
void LinkReplacements(const reflection::Schema& schema, const reflection::Object& o, ObjectShape& shape) {
  for (const reflection::Field* f : *o.fields()) {
    const reflection::KeyValue* replaces = Attribute(f, "replaces");
    if (replaces == nullptr || f->type()->base_type() != reflection::BaseType::Obj) continue;
    if (schema.objects()->Get(f->type()->index())->name()->string_view() != "switchboard.fb.Value") continue;
    for (FieldShape& old : shape.fields) {
      if (old.shape == Shape::kJson && old.field->name()->string_view() == replaces->value()->string_view()) {
        old.typed = f;
      }
    }
  }
}

Shape ShapeOf(const reflection::Field* f) {
  using reflection::BaseType;
  if (HasAttribute(f, "hidden") || f->deprecated()) return Shape::kSkip;
  switch (f->type()->base_type()) {
    case BaseType::Bool:
      return Shape::kBool;
    case BaseType::Byte:
    case BaseType::Short:
    case BaseType::Int:
      return Shape::kSigned;
    case BaseType::Long:
      return HasAttribute(f, "time") ? Shape::kTime : Shape::kSigned;
    case BaseType::UByte:
    case BaseType::UShort:
    case BaseType::UInt:
    case BaseType::ULong:
      return Shape::kUnsigned;
    case BaseType::String:
      return HasAttribute(f, "json") ? Shape::kJson : Shape::kString;
    case BaseType::Vector:
      if (f->type()->element() == BaseType::String) return Shape::kStringList;
      if (f->type()->element() == BaseType::Obj) return HasAttribute(f, "map") ? Shape::kMap : Shape::kTableList;
      return Shape::kSkip;
    case BaseType::Union:
      return Shape::kUnion;
    default:
      return Shape::kSkip;  // the union's type field, and kinds the schema does not use
  }
}

// The reflected schema, digested once into per-object field lists.
class Layout {
 public:
  Layout() {
    schema_ = reflection::GetSchema(fb::EventBinarySchema::data());
    const auto* objects = schema_->objects();
    objects_.resize(objects->size());
    for (unsigned i = 0; i < objects->size(); ++i) {
      const reflection::Object* o = objects->Get(i);
      ObjectShape& shape = objects_[i];
      if (o->attributes() != nullptr) {
        if (const auto* kv = o->attributes()->LookupByKey("event")) shape.event_name = kv->value()->str();
      }
      for (const reflection::Field* f : *o->fields()) {
        FieldShape fs{f, ShapeOf(f)};
        fs.optional = HasAttribute(f, "optional");
        if (fs.shape == Shape::kTableList || fs.shape == Shape::kMap) fs.object = f->type()->index();
        shape.fields.push_back(fs);
      }
      LinkReplacements(*schema_, *o, shape);
      std::sort(shape.fields.begin(), shape.fields.end(),
                [](const FieldShape& a, const FieldShape& b) { return a.field->id() < b.field->id(); });
    }
    root_ = static_cast<int>(objects->size());
    for (unsigned i = 0; i < objects->size(); ++i) {
      if (objects->Get(i) == schema_->root_table()) root_ = static_cast<int>(i);
    }
    // The Payload union: enum value -> object index.
    for (const FieldShape& fs : objects_[root_].fields) {
      if (fs.shape != Shape::kUnion) continue;
      const reflection::Enum* e = schema_->enums()->Get(fs.field->type()->index());
      for (const reflection::EnumVal* v : *e->values()) {
        auto value = static_cast<size_t>(v->value());
        if (union_objects_.size() <= value) union_objects_.resize(value + 1, -1);
        if (v->union_type() != nullptr && v->union_type()->base_type() == reflection::BaseType::Obj) {
          union_objects_[value] = v->union_type()->index();
        }
      }
    }
  }

  const ObjectShape& object(int index) const { return objects_[index]; }
  const ObjectShape& root() const { return objects_[root_]; }
  int PayloadObject(size_t union_value) const {
    return union_value < union_objects_.size() ? union_objects_[union_value] : -1;
  }

 private:
  const reflection::Schema* schema_;
  std::vector<ObjectShape> objects_;
  std::vector<int> union_objects_;
  int root_ = 0;
};

const Layout& TheLayout() {
  static const Layout layout;
  return layout;
}

void AppendUnsigned(std::string& out, uint64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void AppendSigned(std::string& out, int64_t v) {
  char buf[24];
  out.append(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

void AppendKey(std::string& out, bool& first, std::string_view name) {
  if (!first) out += ',';
  first = false;
  AppendJsonString(out, name);
  out += ':';
}

void AppendTable(std::string& out, const Layout& layout, const ObjectShape& shape, const flatbuffers::Table& t);

// The Value that replaces a JSON-text field, when the event has one (events written since the change).
const fb::Value* TypedOf(const FieldShape& fs, const flatbuffers::Table& t) {
  if (fs.typed == nullptr) return nullptr;
  return reinterpret_cast<const fb::Value*>(flatbuffers::GetFieldT(t, *fs.typed));
}

// Printed by nlohmann, as the JSON text of older events was written, so both print the same bytes.
// Invalid UTF-8 (which no writer produces, but a verified buffer may hold) is replaced, not thrown.
void AppendTyped(std::string& out, const fb::Value& v) {
  out += JsonOf(v).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendValue(std::string& out, const Layout& layout, const FieldShape& fs, const flatbuffers::Table& t) {
  const reflection::Field& f = *fs.field;
  switch (fs.shape) {
    case Shape::kBool:
      out += flatbuffers::GetAnyFieldI(t, f) != 0 ? "true" : "false";
      return;
    case Shape::kSigned:
      AppendSigned(out, flatbuffers::GetAnyFieldI(t, f));
      return;
    case Shape::kUnsigned:
      AppendUnsigned(out, static_cast<uint64_t>(flatbuffers::GetAnyFieldI(t, f)));
      return;
    case Shape::kTime:
      AppendJsonString(out, FormatRfc3339(flatbuffers::GetAnyFieldI(t, f)));
      return;
    case Shape::kString:
    case Shape::kJson: {
      if (const fb::Value* typed = TypedOf(fs, t)) {
        AppendTyped(out, *typed);
        return;
      }
      const flatbuffers::String* s = flatbuffers::GetFieldS(t, f);
      if (s == nullptr)
        out += "null";
      else if (fs.shape == Shape::kJson)
        out.append(s->data(), s->size());
      else
        AppendJsonString(out, s->string_view());
      return;
    }
    case Shape::kStringList: {
      out += '[';
      if (const auto* v = flatbuffers::GetFieldAnyV(t, f)) {
        for (size_t i = 0; i < v->size(); ++i) {
          if (i) out += ',';
          AppendJsonString(out, flatbuffers::GetAnyVectorElemPointer<const flatbuffers::String>(v, i)->string_view());
        }
      }
      out += ']';
      return;
    }
    case Shape::kTableList:
    case Shape::kMap: {
      const ObjectShape& element = layout.object(fs.object);
      out += fs.shape == Shape::kMap ? '{' : '[';
      if (const auto* v = flatbuffers::GetFieldAnyV(t, f)) {
        for (size_t i = 0; i < v->size(); ++i) {
          if (i) out += ',';
          const auto* item = flatbuffers::GetAnyVectorElemPointer<const flatbuffers::Table>(v, i);
          if (fs.shape == Shape::kTableList) {
            AppendTable(out, layout, element, *item);
            continue;
          }
          // A map entry: the first field is the key, the others its value list.
          AppendValue(out, layout, element.fields[0], *item);
          out += ":[";
          bool first_value = true;
          for (size_t k = 1; k < element.fields.size(); ++k) {
            if (element.fields[k].shape == Shape::kSkip) continue;  // a replacing Value, printed in its field's place
            if (!first_value) out += ',';
            first_value = false;
            AppendValue(out, layout, element.fields[k], *item);
          }
          out += ']';
        }
      }
      out += fs.shape == Shape::kMap ? '}' : ']';
      return;
    }
    case Shape::kUnion:
    case Shape::kSkip:
      return;
  }
}

// An `optional` field that is not set: a string absent, a number 0, a bool false, a list empty.
bool Unset(const FieldShape& fs, const flatbuffers::Table& t) {
  switch (fs.shape) {
    case Shape::kString:
    case Shape::kJson:
      return TypedOf(fs, t) == nullptr && flatbuffers::GetFieldS(t, *fs.field) == nullptr;
    case Shape::kStringList:
    case Shape::kTableList:
    case Shape::kMap: {
      const auto* v = flatbuffers::GetFieldAnyV(t, *fs.field);
      return v == nullptr || v->size() == 0;
    }
    default:
      return flatbuffers::GetAnyFieldI(t, *fs.field) == 0;
  }
}

void AppendFields(std::string& out, bool& first, const Layout& layout, const ObjectShape& shape,
                  const flatbuffers::Table& t) {
  for (const FieldShape& fs : shape.fields) {
    if (fs.shape == Shape::kSkip || fs.shape == Shape::kUnion) continue;
    if (fs.optional && Unset(fs, t)) continue;
    AppendKey(out, first, fs.field->name()->string_view());
    AppendValue(out, layout, fs, t);
  }
}

void AppendTable(std::string& out, const Layout& layout, const ObjectShape& shape, const flatbuffers::Table& t) {
  out += '{';
  bool first = true;
  AppendFields(out, first, layout, shape, t);
  out += '}';
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string_view EventTypeName(fb::Payload type) {
  const Layout& layout = TheLayout();
  int object = layout.PayloadObject(static_cast<size_t>(type));
  return object < 0 ? std::string_view("unknown") : std::string_view(layout.object(object).event_name);
}

std::string EventBufferToJson(std::string_view bytes) {
  const Layout& layout = TheLayout();
  const fb::Event* event = fb::GetEvent(bytes.data());
  std::string out;
  out.reserve(bytes.size() + 64);
  out += "{\"seq\":";
  AppendUnsigned(out, event->seq());
  out += ",\"type\":";
  AppendJsonString(out, EventTypeName(event->payload_type()));
  out += ",\"at\":";
  AppendJsonString(out, FormatRfc3339(event->at()));
  bool first = false;
  for (const char* name : {"cmd", "rule"}) {
    AppendKey(out, first, name);
    const flatbuffers::String* s = std::string_view(name) == "cmd" ? event->cmd() : event->rule();
    if (s == nullptr)
      out += "null";
    else
      AppendJsonString(out, s->string_view());
  }
  if (event->conversation() != 0) {
    AppendKey(out, first, "conversation");
    AppendUnsigned(out, event->conversation());
  }
  if (event->ticket() != 0) {
    AppendKey(out, first, "ticket");
    AppendUnsigned(out, event->ticket());
  }
  if (event->contact() != nullptr) {
    AppendKey(out, first, "contact");
    AppendJsonString(out, event->contact()->string_view());
  }
  if (event->agent() != nullptr) {
    AppendKey(out, first, "agent");
    AppendJsonString(out, event->agent()->string_view());
  }
  if (event->by() != nullptr) {
    AppendKey(out, first, "by");
    AppendJsonString(out, event->by()->string_view());
  }
  int object = layout.PayloadObject(static_cast<size_t>(event->payload_type()));
  if (object >= 0 && event->payload() != nullptr) {
    AppendFields(out, first, layout, layout.object(object), *static_cast<const flatbuffers::Table*>(event->payload()));
  }
  out += '}';
  return out;
}

std::string EventToJson(const Event& event) { return EventBufferToJson(EncodeEvent(event)); }

}  // namespace switchboard
