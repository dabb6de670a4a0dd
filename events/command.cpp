#include "events/command.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

#include "events/json_depth.h"

namespace switchboard {
namespace {

using json = nlohmann::json;

constexpr std::array<std::pair<std::string_view, CommandKind>, 13> kKinds{{
    {"contact.message", CommandKind::kContactMessage},
    {"agent.status", CommandKind::kAgentStatus},
    {"agent.accept", CommandKind::kAgentAccept},
    {"agent.message", CommandKind::kAgentMessage},
    {"ticket.update", CommandKind::kTicketUpdate},
    {"ticket.transfer", CommandKind::kTicketTransfer},
    {"session.end", CommandKind::kSessionEnd},
    {"csat.rate", CommandKind::kCsatRate},
    {"macro.apply", CommandKind::kMacroApply},
    {"clock.advance", CommandKind::kClockAdvance},
    {"config.apply", CommandKind::kConfigApply},
    {"agent.update", CommandKind::kAgentUpdate},
    {"visitor.activity", CommandKind::kVisitorActivity},
}};

// Thrown inside this file only, to stop parsing at the first fault; ParseCommand catches it.
struct FieldError {
  std::string field;
  std::string error;
};

class Reader {
 public:
  explicit Reader(const json& doc) : doc_(doc) {}

  bool Has(const char* name) const { return doc_.contains(name); }

  std::string RequiredString(const char* name) const {
    if (!doc_.contains(name)) throw FieldError{name, std::string("missing field \"") + name + "\""};
    return String(name);
  }
  std::string OptionalString(const char* name) const { return Has(name) ? String(name) : ""; }

  std::uint64_t RequiredTicket() const {
    if (!doc_.contains("ticket")) throw FieldError{"ticket", "missing field \"ticket\""};
    const json& v = doc_["ticket"];
    if (!v.is_number_unsigned() || v.get<std::uint64_t>() == 0) {
      throw FieldError{"ticket", "field \"ticket\" must be a ticket number (1, 2, 3, ...)"};
    }
    return v.get<std::uint64_t>();
  }

  std::vector<std::string> StringList(const char* name) const {
    std::vector<std::string> out;
    if (!Has(name)) return out;
    const json& v = doc_[name];
    if (!v.is_array()) throw FieldError{name, std::string("field \"") + name + "\" must be a list of strings"};
    for (const json& item : v) {
      if (!item.is_string()) throw FieldError{name, std::string("field \"") + name + "\" must be a list of strings"};
      out.push_back(item.get<std::string>());
    }
    return out;
  }

  std::string String(const char* name) const {
    const json& v = doc_[name];
    if (!v.is_string()) throw FieldError{name, std::string("field \"") + name + "\" must be a string"};
    std::string s = v.get<std::string>();
    if (s.find('\0') != std::string::npos)
      throw FieldError{name, std::string("field \"") + name + "\" contains a NUL character"};
    return s;
  }

 private:
  const json& doc_;
};

// The value of `field`, one of the names of a vocabulary table, or a refusal listing them.
template <class E, std::size_t N>
E OneOf(const std::string& value, const char* field, const std::array<std::string_view, N>& names,
        std::optional<E> (*parse)(std::string_view)) {
  if (std::optional<E> v = parse(value)) return *v;
  std::string list;
  for (std::string_view name : names) list += (list.empty() ? "" : ", ") + std::string(name);
  throw FieldError{field, std::string("field \"") + field + "\" must be one of " + list + "; got \"" + value + "\""};
}

// agent.update {agent, by, capacity?: {messaging?, email?, inactive? (null: no cap)}, groups?,
// languages?, skills?}: at least one change; capacities are whole numbers from 1.
void ParseAgentUpdate(const Reader& r, const json& doc, Command& c) {
  c.agent = r.RequiredString("agent");
  c.by = r.RequiredString("by");
  if (doc.contains("capacity")) {
    const json& cap = doc["capacity"];
    if (!cap.is_object()) throw FieldError{"capacity", "field \"capacity\" must be an object"};
    for (const auto& [key, value] : cap.items()) {
      const std::string field = "capacity." + key;
      std::optional<int>* slot = key == "messaging"  ? &c.capacity_messaging
                                 : key == "email"    ? &c.capacity_email
                                 : key == "inactive" ? &c.capacity_inactive
                                                     : nullptr;
      if (slot == nullptr)
        throw FieldError{field, "unknown capacity \"" + key + "\"; expected messaging, email or inactive"};
      if (key == "inactive" && value.is_null()) {
        *slot = 0;
        continue;
      }
      if (!value.is_number_integer() || value.get<std::int64_t>() < 1 || value.get<std::int64_t>() > 1000000) {
        throw FieldError{field, "field \"" + field + "\" must be a whole number from 1 to 1000000" +
                                    std::string(key == "inactive" ? ", or null for no cap" : "")};
      }
      *slot = static_cast<int>(value.get<std::int64_t>());
    }
  }
  if (r.Has("groups")) c.groups = r.StringList("groups");
  if (r.Has("languages")) c.languages = r.StringList("languages");
  if (r.Has("skills")) c.skills = r.StringList("skills");
  if (!c.capacity_messaging && !c.capacity_email && !c.capacity_inactive && !c.groups && !c.languages && !c.skills) {
    throw FieldError{"", "agent.update changes nothing: give capacity, groups, languages or skills"};
  }
}

void ParseFields(const Reader& r, const json& doc, Command& c) {
  switch (c.kind) {
    case CommandKind::kContactMessage: {
      c.contact = r.RequiredString("contact");
      if (c.contact.empty()) throw FieldError{"contact", "field \"contact\" must not be empty"};
      c.channel = OneOf(r.RequiredString("channel"), "channel", kChannelNames, ParseChannel);
      c.text = r.RequiredString("text");
      if (doc.contains("profile")) {
        const json& p = doc["profile"];
        if (!p.is_object()) throw FieldError{"profile", "field \"profile\" must be an object"};
        for (auto it = p.begin(); it != p.end(); ++it) c.profile[it.key()] = it.value().dump();
      }
      break;
    }
    case CommandKind::kAgentStatus:
      c.agent = r.RequiredString("agent");
      c.presence = OneOf(r.RequiredString("status"), "status", kPresenceNames, ParsePresence);
      break;
    case CommandKind::kAgentAccept:
    case CommandKind::kSessionEnd:
      c.agent = r.RequiredString("agent");
      c.ticket = r.RequiredTicket();
      break;
    case CommandKind::kAgentMessage:
      c.agent = r.RequiredString("agent");
      c.ticket = r.RequiredTicket();
      c.text = r.RequiredString("text");
      if (r.Has("public")) {
        if (!doc["public"].is_boolean()) throw FieldError{"public", "field \"public\" must be true or false"};
        c.is_public = doc["public"].get<bool>();
        c.public_given = true;
      }
      break;
    case CommandKind::kTicketUpdate:
      c.ticket = r.RequiredTicket();
      c.agent = r.OptionalString("agent");
      if (r.Has("status")) c.status = OneOf(r.String("status"), "status", kTicketStatusNames, ParseTicketStatus);
      if (r.Has("priority")) c.priority = OneOf(r.String("priority"), "priority", kPriorityNames, ParsePriority);
      if (r.Has("group")) c.group = r.String("group");
      if (r.Has("assignee")) c.assignee = doc["assignee"].is_null() ? std::string() : r.String("assignee");
      c.tags_add = r.StringList("tags_add");
      c.tags_remove = r.StringList("tags_remove");
      break;
    case CommandKind::kTicketTransfer:
      c.ticket = r.RequiredTicket();
      c.agent = r.RequiredString("agent");
      c.to_agent = r.OptionalString("to_agent");
      c.to_group = r.OptionalString("to_group");
      c.note = r.OptionalString("note");
      if (c.to_agent.empty() == c.to_group.empty()) {
        throw FieldError{"to_agent", "a transfer names exactly one of \"to_agent\" or \"to_group\""};
      }
      break;
    case CommandKind::kCsatRate:
      c.ticket = r.RequiredTicket();
      c.score = r.RequiredString("score");
      if (c.score != "good" && c.score != "bad") {
        throw FieldError{"score", "field \"score\" must be one of good, bad; got \"" + c.score + "\""};
      }
      c.comment = r.OptionalString("comment");
      break;
    case CommandKind::kMacroApply:
      c.ticket = r.RequiredTicket();
      c.agent = r.RequiredString("agent");
      c.macro = r.RequiredString("macro");
      break;
    case CommandKind::kClockAdvance:
      if (!c.at) throw FieldError{"at", "clock.advance needs an \"at\""};
      break;
    case CommandKind::kConfigApply:
      if (!doc.contains("config") || !doc["config"].is_object()) {
        throw FieldError{"config", "field \"config\" must be a configuration object"};
      }
      c.config = doc["config"].dump();
      break;
    case CommandKind::kAgentUpdate:
      ParseAgentUpdate(r, doc, c);
      break;
    case CommandKind::kVisitorActivity:
      c.contact = r.RequiredString("contact");
      if (c.contact.empty()) throw FieldError{"contact", "field \"contact\" must not be empty"};
      c.page_url = r.RequiredString("page_url");
      if (c.page_url.empty()) throw FieldError{"page_url", "field \"page_url\" must not be empty"};
      c.page_title = r.OptionalString("page_title");
      break;
    case CommandKind::kInvalid:
    case CommandKind::kLookupResult:  // made by the engine itself, never parsed
      break;
  }
}

}  // namespace

std::string_view CommandKindName(CommandKind kind) {
  if (kind == CommandKind::kLookupResult) return "lookup.result";
  for (const auto& [name, k] : kKinds) {
    if (k == kind) return name;
  }
  return "invalid";
}

namespace {

// The value of the first `"id": "..."` in a line that is not JSON, if it has one (no escapes).
std::string FindIdInText(std::string_view line) {
  for (std::size_t at = line.find("\"id\""); at != std::string_view::npos; at = line.find("\"id\"", at + 1)) {
    std::size_t i = at + 4;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != ':') continue;
    ++i;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i >= line.size() || line[i] != '"') continue;
    std::size_t end = line.find_first_of("\"\\", i + 1);
    if (end == std::string_view::npos || line[end] != '"' || end == i + 1) continue;
    return std::string(line.substr(i + 1, end - i - 1));
  }
  return "";
}

// nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
// as "at byte 5: syntax error ..." (a command is one line, so the column is the byte).
std::string ParserSentence(const json::parse_error& e) {
  std::string what = e.what();
  std::size_t colon = what.find(": ");
  return "at byte " + std::to_string(e.byte) + (colon == std::string::npos ? "" : ": " + what.substr(colon + 2));
}

// Any other refusal of the parser ("[json.exception.out_of_range.406] number overflow parsing '1e999'")
// without its bracketed code.
std::string ParserSentence(const json::exception& e) {
  std::string what = e.what();
  std::size_t close = what.find("] ");
  return close == std::string::npos ? what : what.substr(close + 2);
}

}  // namespace

Command ParseCommand(std::string_view line) {
  Command c;
  if (std::optional<std::string> deep = MemberNestedTooDeep(line)) {
    c.error_field = *deep;
    c.error = (deep->empty() ? std::string("the line") : "field \"" + *deep + "\"") + " nests deeper than " +
              std::to_string(kMaxJsonDepth) + " levels of objects and lists";
    c.recovered_id = FindIdInText(line);
    return c;
  }
  json doc;
  try {
    doc = json::parse(line.begin(), line.end());
  } catch (const json::parse_error& e) {
    c.error = "the line is not valid JSON: " + ParserSentence(e);
    c.recovered_id = FindIdInText(line);
    return c;
  } catch (const json::exception& e) {  // a number too large for a double, for example
    c.error = "the line is not valid JSON: " + ParserSentence(e);
    c.recovered_id = FindIdInText(line);
    return c;
  }
  if (!doc.is_object()) {
    c.error = "a command must be a JSON object";
    return c;
  }
  try {
    Reader r(doc);
    if (doc.contains("id")) {
      if (!doc["id"].is_string() || doc["id"].get<std::string>().empty()) {
        throw FieldError{"id", "field \"id\" must be a non-empty string"};
      }
      c.id = r.String("id");
    }
    if (doc.contains("at")) {
      std::string at = r.String("at");
      c.at = ParseRfc3339(at);
      if (!c.at)
        throw FieldError{"at",
                         "field \"at\" must be an RFC 3339 time such as 2026-11-23T09:00:00Z; got \"" + at + "\""};
    }
    std::string type = r.RequiredString("type");
    for (const auto& [name, k] : kKinds) {
      if (name == type) c.kind = k;
    }
    if (c.kind == CommandKind::kInvalid) throw FieldError{"type", "unknown command type \"" + type + "\""};
    if (c.id.empty()) throw FieldError{"id", "missing field \"id\""};
    ParseFields(r, doc, c);
  } catch (const FieldError& e) {
    c.kind = CommandKind::kInvalid;
    c.error = e.error;
    c.error_field = e.field;
  }
  return c;
}

}  // namespace switchboard
