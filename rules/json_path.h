// Helpers shared by the configuration parsers (config, conditions, rules, bot): a refusal names the
// JSON path at fault and a sentence ("agents[0].groups[1]: unknown group \"sales\"").
//
// Inside a parser, Fail throws a PathError; the parser's entry point catches it once and returns
// Status::InvalidArgument("PATH: sentence"). Exceptions never cross a parser's public function.
// Pure, thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <string>

#include "switchboard/status.h"

namespace switchboard::json_path {

struct PathError {
  std::string path;
  std::string sentence;
};

[[noreturn]] void Fail(const std::string& path, const std::string& sentence);

// "null", "a boolean", "a number", "a string", "a list", "an object".
const char* TypeName(const nlohmann::json& v);

// `path.key`, or `key` at the top level.
std::string Child(const std::string& path, const std::string& key);

// Refuses anything but an object whose keys are all in `known`, naming the first unknown key.
void ExpectKeys(const nlohmann::json& obj, const std::string& path, std::initializer_list<const char*> known);

// Turns the refusal of a nested parser ("PATH: sentence") back into a PathError.
[[noreturn]] void Rethrow(const Status& refused);

// The Status a parser's entry point returns for a PathError.
Status ToStatus(const PathError& e);

}  // namespace switchboard::json_path
