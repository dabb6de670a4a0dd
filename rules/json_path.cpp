#include "rules/json_path.h"

namespace switchboard::json_path {

void Fail(const std::string& path, const std::string& sentence) { throw PathError{path, sentence}; }

const char* TypeName(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "a list";
  return "an object";
}

std::string Child(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

void ExpectKeys(const nlohmann::json& obj, const std::string& path, std::initializer_list<const char*> known) {
  if (!obj.is_object()) Fail(path, std::string("expected an object; got ") + TypeName(obj));
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool found = false;
    std::string list;
    for (const char* k : known) {
      found = found || it.key() == k;
      list += list.empty() ? "" : ", ";
      list += k;
    }
    if (!found) {
      Fail(Child(path, it.key()), "unknown key " + nlohmann::json(it.key()).dump() + "; expected one of " + list);
    }
  }
}

void Rethrow(const Status& refused) {
  const std::string& m = refused.message();
  std::size_t colon = m.find(": ");
  if (colon == std::string::npos) Fail("", m);
  Fail(m.substr(0, colon), m.substr(colon + 2));
}

Status ToStatus(const PathError& e) { return Status::InvalidArgument(e.path + ": " + e.sentence); }

}  // namespace switchboard::json_path
