// JSON nesting limits, checked on the raw text before any parser or serializer sees it.
//
// nlohmann's parser is iterative, but dump(), comparisons and copies recurse once per level, so a
// line nested 100,000 deep would overflow the stack wherever it is touched later. Every command line
// and every configuration document is therefore refused when it nests deeper than kMaxJsonDepth,
// naming the top-level member at fault. Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard {

// The deepest nesting a command line or a configuration document may have; the outermost object
// is level 1, so a command's `profile` may nest 62 levels below itself.
constexpr int kMaxJsonDepth = 64;

// nullopt when `text` nests at most `limit` levels of objects and arrays; otherwise the key of the
// top-level member where it first goes deeper ("" when that is not inside a member of an object).
// Works on any text: strings and escapes are skipped, nothing is validated.
std::optional<std::string> MemberNestedTooDeep(std::string_view text, int limit = kMaxJsonDepth);

}  // namespace switchboard
