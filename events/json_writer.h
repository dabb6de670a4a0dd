// JsonWriter: appends a JSON object field by field to a string, for the hot paths that render
// documents (query records). Keys are written in the order given. Not thread-safe; cheap to make.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "events/event_json.h"

namespace switchboard {

class JsonWriter {
 public:
  explicit JsonWriter(std::string* out) : out_(out) { *out_ += '{'; }
  void Close() { *out_ += '}'; }

  JsonWriter& String(std::string_view key, std::string_view value) {
    Key(key);
    AppendJsonString(*out_, value);
    return *this;
  }
  // An empty value is written as null.
  JsonWriter& StringOrNull(std::string_view key, std::string_view value) {
    Key(key);
    if (value.empty())
      *out_ += "null";
    else
      AppendJsonString(*out_, value);
    return *this;
  }
  JsonWriter& Number(std::string_view key, std::int64_t value) {
    Key(key);
    *out_ += std::to_string(value);
    return *this;
  }
  JsonWriter& Bool(std::string_view key, bool value) {
    Key(key);
    *out_ += value ? "true" : "false";
    return *this;
  }
  // `json` is already JSON text.
  JsonWriter& Raw(std::string_view key, std::string_view json) {
    Key(key);
    *out_ += json;
    return *this;
  }
  template <class Container>
  JsonWriter& Strings(std::string_view key, const Container& values) {
    Key(key);
    *out_ += '[';
    bool first = true;
    for (const auto& v : values) {
      if (!first) *out_ += ',';
      first = false;
      AppendJsonString(*out_, v);
    }
    *out_ += ']';
    return *this;
  }
  template <class Container>
  JsonWriter& Numbers(std::string_view key, const Container& values) {
    Key(key);
    *out_ += '[';
    bool first = true;
    for (auto v : values) {
      if (!first) *out_ += ',';
      first = false;
      *out_ += std::to_string(v);
    }
    *out_ += ']';
    return *this;
  }

 private:
  void Key(std::string_view key) {
    if (!first_) *out_ += ',';
    first_ = false;
    AppendJsonString(*out_, key);
    *out_ += ':';
  }
  std::string* out_;
  bool first_ = true;
};

}  // namespace switchboard
