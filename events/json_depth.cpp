#include "events/json_depth.h"

namespace switchboard {

std::optional<std::string> MemberNestedTooDeep(std::string_view text, int limit) {
  int depth = 0;
  std::string last_string, member;  // the last string closed at level 1, and the member being read
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      std::size_t start = ++i;
      while (i < text.size() && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
      if (depth == 1) last_string.assign(text.substr(start, std::min(i, text.size()) - start));
    } else if (c == ':' && depth == 1) {
      member = last_string;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return member;
    } else if (c == '}' || c == ']') {
      --depth;
      if (depth <= 1) last_string.clear();
    }
  }
  return std::nullopt;
}

}  // namespace switchboard
