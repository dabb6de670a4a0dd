#include "rules/text_template.h"

#include <algorithm>

#include "rules/json_path.h"

namespace switchboard {
namespace {

std::string Trimmed(std::string_view s) {
  std::size_t b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string_view::npos ? std::string() : std::string(s.substr(b, e - b + 1));
}

bool HasName(const std::string& name, const char* prefix) {
  std::size_t n = std::char_traits<char>::length(prefix);
  return name.size() > n && name.compare(0, n, prefix) == 0;
}

}  // namespace

std::string RenderTemplate(std::string_view text, const std::function<std::string(const std::string&)>& value) {
  std::string out;
  std::size_t pos = 0;
  while (true) {
    std::size_t open = text.find("{{", pos);
    std::size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    out.append(text, pos, open - pos);
    out += value(Trimmed(text.substr(open + 2, close - open - 2)));
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

void ForEachPlaceholder(std::string_view text, const std::function<void(const std::string&)>& each) {
  RenderTemplate(text, [&](const std::string& name) {
    each(name);
    return std::string();
  });
}

void CheckPlaceholders(std::string_view text, const std::string& path, const std::vector<std::string>& groups) {
  ForEachPlaceholder(text, [&](const std::string& name) {
    if (name == "ticket.id" || name == "agent.id" || name == "agent.name" || name == "wait" || name == "position" ||
        HasName(name, "contact.") || HasName(name, "var.")) {
      return;
    }
    if (HasName(name, "hours.")) {
      if (std::find(groups.begin(), groups.end(), name.substr(6)) == groups.end()) {
        json_path::Fail(path, "unknown group \"" + name.substr(6) + "\" in placeholder {{" + name + "}}");
      }
      return;
    }
    json_path::Fail(path, "unknown placeholder {{" + name +
                              "}}; expected contact.NAME, var.NAME, ticket.id, agent.id, agent.name, wait, position "
                              "or hours.GROUP");
  });
}

}  // namespace switchboard
