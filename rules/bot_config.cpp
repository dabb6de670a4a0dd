#include "rules/bot_config.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "rules/json_path.h"
#include "rules/text_fold.h"
#include "rules/text_template.h"

namespace switchboard {
namespace {

using json = nlohmann::json;
using namespace json_path;

std::string String(const json& obj, const std::string& path, const char* key, bool required = true) {
  if (!obj.contains(key)) {
    if (required) Fail(path + "." + key, std::string("missing field \"") + key + "\"");
    return "";
  }
  if (!obj[key].is_string() || obj[key].get<std::string>().empty()) {
    Fail(path + "." + key, std::string("\"") + key + "\" must be a non-empty string");
  }
  return obj[key].get<std::string>();
}

int WholeNumber(const json& obj, const std::string& path, const char* key, int fallback, int max) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj[key];
  if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > max) {
    Fail(path + "." + key, "expected a whole number from 0 to " + std::to_string(max));
  }
  return static_cast<int>(v.get<long long>());
}

std::string SaveKey(const json& obj, const std::string& path) {
  std::string save = String(obj, path, "save", false);
  if (!save.empty() &&
      !((save.rfind("var.", 0) == 0 && save.size() > 4) || (save.rfind("contact.", 0) == 0 && save.size() > 8))) {
    Fail(path + ".save", "expected var.NAME or contact.NAME; got \"" + save + "\"");
  }
  return save;
}

Conditions Compile(const json& doc, const std::string& path) {
  Conditions c;
  Status s = ParseConditions(doc, path, &c);
  if (!s.ok()) Rethrow(s);
  return c;
}

BotStep ParseStep(const std::string& id, const json& j, const std::string& path, const BotConfig& bot,
                  const std::vector<std::string>& groups) {
  BotStep step;
  step.id = id;
  if (!j.is_object()) Fail(path, "expected an object");
  int kinds = 0;
  for (const char* k : {"ask", "articles", "branch", "lookup", "message", "handoff", "end"}) kinds += j.contains(k);
  if (kinds != 1) Fail(path, "a step has exactly one of ask, articles, branch, lookup, message, handoff, end");
  if (j.contains("ask")) {
    step.kind = StepKind::kAsk;
    ExpectKeys(j, path, {"ask", "kind", "options", "save", "retries", "next", "else"});
    step.text = String(j, path, "ask");
    CheckPlaceholders(step.text, path + ".ask", groups);
    std::string kind = j.contains("kind") ? String(j, path, "kind") : "text";
    if (kind == "choice")
      step.answer = AnswerKind::kChoice;
    else if (kind == "text")
      step.answer = AnswerKind::kText;
    else if (kind == "email")
      step.answer = AnswerKind::kEmail;
    else if (kind == "number")
      step.answer = AnswerKind::kNumber;
    else
      Fail(path + ".kind", "unknown answer kind \"" + kind + "\"; expected choice, text, email or number");
    if (step.answer == AnswerKind::kChoice) {
      if (!j.contains("options") || !j["options"].is_array() || j["options"].empty()) {
        Fail(path + ".options", "a choice needs a non-empty list of options");
      }
      for (std::size_t i = 0; i < j["options"].size(); ++i) {
        if (!j["options"][i].is_string()) Fail(path + ".options[" + std::to_string(i) + "]", "expected a string");
        step.options.push_back(j["options"][i].get<std::string>());
      }
    } else if (j.contains("options")) {
      Fail(path + ".options", "only a choice has options");
    }
    step.save = SaveKey(j, path);
    step.retries = WholeNumber(j, path, "retries", 1, 10);
    step.next = String(j, path, "next");
    step.otherwise = String(j, path, "else", false);
  } else if (j.contains("articles")) {
    step.kind = StepKind::kArticles;
    ExpectKeys(j, path, {"articles", "solved", "unsolved"});
    step.max_articles = WholeNumber(j, path, "articles", 3, 10);
    if (step.max_articles == 0) Fail(path + ".articles", "suggest at least one article");
    step.solved = String(j, path, "solved");
    step.unsolved = String(j, path, "unsolved");
  } else if (j.contains("branch")) {
    step.kind = StepKind::kBranch;
    ExpectKeys(j, path, {"branch", "else"});
    const json& cases = j["branch"];
    if (!cases.is_array() || cases.empty()) Fail(path + ".branch", "expected a non-empty list of {when, goto}");
    for (std::size_t i = 0; i < cases.size(); ++i) {
      const std::string cpath = path + ".branch[" + std::to_string(i) + "]";
      ExpectKeys(cases[i], cpath, {"when", "goto"});
      if (!cases[i].contains("when")) Fail(cpath + ".when", "missing field \"when\"");
      step.branches.push_back({Compile(cases[i]["when"], cpath + ".when"), String(cases[i], cpath, "goto")});
    }
    step.otherwise = String(j, path, "else");
  } else if (j.contains("lookup")) {
    step.kind = StepKind::kLookup;
    ExpectKeys(j, path, {"lookup", "input", "save", "next", "fail"});
    step.lookup = String(j, path, "lookup");
    if (!bot.lookups.count(step.lookup)) Fail(path + ".lookup", "unknown lookup \"" + step.lookup + "\"");
    step.input = String(j, path, "input");
    if (!FieldFromName(step.input)) Fail(path + ".input", "unknown field \"" + step.input + "\"");
    // The answer is an object saved field by field under this prefix: contact, var, or a dotted one.
    step.save = j.contains("save") ? String(j, path, "save") : "contact";
    if (step.save != "contact" && step.save != "var" && step.save.rfind("contact.", 0) != 0 &&
        step.save.rfind("var.", 0) != 0) {
      Fail(path + ".save", "expected contact, var, or a prefix such as contact.crm; got \"" + step.save + "\"");
    }
    step.next = String(j, path, "next");
    step.fail = String(j, path, "fail");
  } else if (j.contains("message")) {
    step.kind = StepKind::kMessage;
    ExpectKeys(j, path, {"message", "next"});
    step.text = String(j, path, "message");
    CheckPlaceholders(step.text, path + ".message", groups);
    step.next = String(j, path, "next", false);
  } else if (j.contains("handoff")) {
    step.kind = StepKind::kHandoff;
    ExpectKeys(j, path, {"handoff"});
    const json& h = j["handoff"];
    ExpectKeys(h, path + ".handoff", {"group", "priority", "message"});
    step.text = String(h, path + ".handoff", "message", false);
    CheckPlaceholders(step.text, path + ".handoff.message", groups);
    step.group = String(h, path + ".handoff", "group", false);
    if (!step.group.empty() && std::find(groups.begin(), groups.end(), step.group) == groups.end()) {
      Fail(path + ".handoff.group", "unknown group \"" + step.group + "\"");
    }
    const std::string priority = String(h, path + ".handoff", "priority", false);
    if (!priority.empty()) {
      step.priority = ParsePriority(priority);
      if (!step.priority) {
        Fail(path + ".handoff.priority", "unknown priority \"" + priority + "\"; expected " + NameList(kPriorityNames));
      }
    }
  } else {
    step.kind = StepKind::kEnd;
    ExpectKeys(j, path, {"end"});
    if (!j["end"].is_string() || j["end"].get<std::string>() != "solved") Fail(path + ".end", "expected \"solved\"");
  }
  return step;
}

// The steps a step can go to, with the key naming each reference.
std::vector<std::pair<std::string, std::string>> References(const BotStep& s) {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const char* key, const std::string& target) {
    if (!target.empty()) out.emplace_back(key, target);
  };
  add("next", s.next);
  add("else", s.otherwise);
  add("solved", s.solved);
  add("unsolved", s.unsolved);
  add("fail", s.fail);
  for (const BranchCase& b : s.branches) add("", b.go_to);  // checked with its own path
  return out;
}

void ParseLookups(const json& doc, BotConfig& bot) {
  if (!doc.contains("lookups")) return;
  const json& lookups = doc["lookups"];
  if (!lookups.is_object()) Fail("lookups", "expected an object of named lookups");
  for (auto it = lookups.begin(); it != lookups.end(); ++it) {
    const std::string path = "lookups." + it.key();
    ExpectKeys(it.value(), path, {"table", "url", "timeout_ms"});
    LookupConfig lookup;
    lookup.id = it.key();
    if (it.value().contains("table") == it.value().contains("url"))
      Fail(path, "a lookup has exactly one of table or url");
    if (it.value().contains("table")) {
      const json& table = it.value()["table"];
      if (!table.is_object()) Fail(path + ".table", "expected an object: key -> object of fields");
      for (auto row = table.begin(); row != table.end(); ++row) {
        if (!row.value().is_object()) Fail(path + ".table." + row.key(), "expected an object of fields");
        // Keys are compared with the folded input (B5), so they are folded too: "Łukasz@X.pl" in the
        // table matches whatever case and accents the contact typed; two keys alike once folded clash.
        if (!lookup.table.emplace(FoldText(row.key()), row.value().dump()).second) {
          Fail(path + ".table." + row.key(), "duplicate key: \"" + row.key() +
                                                 "\" is another key once case and "
                                                 "accents are ignored");
        }
      }
    } else {
      lookup.url = String(it.value(), path, "url");
      if (lookup.url.rfind("http://", 0) != 0) Fail(path + ".url", "expected an http:// URL");
    }
    lookup.timeout_ms = WholeNumber(it.value(), path, "timeout_ms", 2000, 60000);
    bot.lookups[lookup.id] = std::move(lookup);
  }
}

void ParseArticles(const json& doc, BotConfig& bot) {
  if (!doc.contains("articles")) return;
  const json& articles = doc["articles"];
  if (!articles.is_array()) Fail("articles", "expected a list");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < articles.size(); ++i) {
    const std::string path = "articles[" + std::to_string(i) + "]";
    ExpectKeys(articles[i], path, {"id", "title", "keywords", "answer"});
    Article a;
    a.id = String(articles[i], path, "id");
    if (!ids.insert(a.id).second) Fail(path + ".id", "duplicate article id \"" + a.id + "\"");
    a.title = String(articles[i], path, "title");
    if (articles[i].contains("keywords")) {
      const json& k = articles[i]["keywords"];
      if (!k.is_array()) Fail(path + ".keywords", "expected a list of words");
      for (std::size_t w = 0; w < k.size(); ++w) {
        if (!k[w].is_string()) Fail(path + ".keywords[" + std::to_string(w) + "]", "expected a string");
        a.keywords.push_back(k[w].get<std::string>());
      }
    }
    a.answer = String(articles[i], path, "answer", false);
    bot.articles.push_back(std::move(a));
  }
}

void ParseBot(const json& doc, const std::vector<std::string>& groups, BotConfig& bot) {
  if (!doc.contains("bot")) return;
  const json& b = doc["bot"];
  ExpectKeys(b, "bot", {"greeting", "start", "steps"});
  bot.greeting = String(b, "bot", "greeting", false);
  CheckPlaceholders(bot.greeting, "bot.greeting", groups);
  if (!b.contains("steps")) {
    if (b.contains("start")) Fail("bot.steps", "missing field \"steps\"");
    return;
  }
  if (!b["steps"].is_object() || b["steps"].empty()) Fail("bot.steps", "expected an object of named steps");
  for (auto it = b["steps"].begin(); it != b["steps"].end(); ++it) {
    bot.steps[it.key()] = ParseStep(it.key(), it.value(), "bot.steps." + it.key(), bot, groups);
  }
  bot.start = String(b, "bot", "start");
  if (!bot.steps.count(bot.start)) Fail("bot.start", "unknown step \"" + bot.start + "\"");
  for (const auto& [id, step] : bot.steps) {
    for (std::size_t i = 0; i < step.branches.size(); ++i) {
      if (!bot.steps.count(step.branches[i].go_to)) {
        Fail("bot.steps." + id + ".branch[" + std::to_string(i) + "].goto",
             "unknown step \"" + step.branches[i].go_to + "\"");
      }
    }
    for (const auto& [key, target] : References(step)) {
      if (!key.empty() && !bot.steps.count(target))
        Fail("bot.steps." + id + "." + key, "unknown step \"" + target + "\"");
    }
  }
  // Every step must be reachable from the start: a step nothing leads to is a mistake in the flow.
  std::set<std::string> reached{bot.start};
  std::vector<std::string> todo{bot.start};
  while (!todo.empty()) {
    std::string id = todo.back();
    todo.pop_back();
    for (const auto& ref : References(bot.steps.at(id))) {
      if (reached.insert(ref.second).second) todo.push_back(ref.second);
    }
  }
  for (const auto& [id, step] : bot.steps) {
    if (!reached.count(id)) Fail("bot.steps." + id, "unreachable step: no step leads to \"" + id + "\" from the start");
  }
}

}  // namespace

Status ParseBotConfig(const json& doc, const std::vector<std::string>& groups, BotConfig* out) {
  BotConfig bot;
  try {
    ParseLookups(doc, bot);
    ParseArticles(doc, bot);
    ParseBot(doc, groups, bot);
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  *out = std::move(bot);
  return Status::OK();
}

Status ParseViews(const json& doc, std::vector<ViewConfig>* out) {
  std::vector<ViewConfig> views;
  try {
    if (doc.contains("views")) {
      const json& list = doc["views"];
      if (!list.is_array()) Fail("views", "expected a list");
      std::set<std::string> ids;
      for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "views[" + std::to_string(i) + "]";
        ExpectKeys(list[i], path, {"id", "title", "conditions", "sort"});
        ViewConfig v;
        v.id = String(list[i], path, "id");
        if (!ids.insert(v.id).second) Fail(path + ".id", "duplicate view id \"" + v.id + "\"");
        if (!list[i].contains("conditions")) Fail(path + ".conditions", "missing field \"conditions\"");
        v.conditions = Compile(list[i]["conditions"], path + ".conditions");
        if (list[i].contains("sort")) {
          v.sort = String(list[i], path, "sort");
          if (v.sort != "created_at" && v.sort != "updated_at" && v.sort != "priority" && v.sort != "status" &&
              v.sort != "sla_next_breach_at") {
            Fail(path + ".sort", "unknown sort \"" + v.sort +
                                     "\"; expected created_at, updated_at, priority, status or sla_next_breach_at");
          }
        }
        views.push_back(std::move(v));
      }
    }
  } catch (const PathError& e) {
    return ToStatus(e);
  }
  bool has_default =
      std::any_of(views.begin(), views.end(), [](const ViewConfig& v) { return v.id == "unassigned-messaging"; });
  if (!has_default) {
    ViewConfig v;
    v.id = "unassigned-messaging";
    Status s = ParseConditions(nlohmann::json::parse(R"({"all": [
        {"field": "assignee", "operator": "is", "value": null},
        {"field": "handled_as", "operator": "is", "value": "messaging"},
        {"field": "status", "operator": "less_than", "value": "solved"}]})"),
                               "views", &v.conditions);
    if (!s.ok()) return s;
    views.push_back(std::move(v));
  }
  *out = std::move(views);
  return Status::OK();
}

}  // namespace switchboard
