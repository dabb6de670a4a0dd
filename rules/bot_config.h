// BotConfig: the bot flow, the lookups it may call and the help-centre articles, compiled and
// validated (B1-B7 are executed by the conversation stage; B46 is checked here).
//
// Every step reference must name a step, every lookup a lookup, and every step must be reachable
// from `start`; otherwise the document is refused at the path at fault
// ("bot.steps.faq.unsolved: unknown step \"handof\""). Values, thread-safe once built.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <map>
#include <string>
#include <vector>

#include "events/vocabulary.h"
#include "rules/condition.h"
#include "switchboard/status.h"

namespace switchboard {

enum class StepKind { kAsk, kArticles, kBranch, kLookup, kMessage, kHandoff, kEnd };
enum class AnswerKind { kChoice, kText, kEmail, kNumber };

struct BranchCase {
  Conditions when;
  std::string go_to;
};

struct BotStep {
  std::string id;
  StepKind kind = StepKind::kMessage;
  std::string text;  // ask: the question; message: the text; handoff: the message (empty: the default)
  AnswerKind answer = AnswerKind::kText;
  std::vector<std::string> options;  // choice
  std::string save;                  // var.NAME or contact.NAME; lookup: the prefix results are saved under
  int retries = 1;
  std::string next, otherwise;       // ask, lookup (next), message (next); ask / branch (else)
  int max_articles = 3;              // articles
  std::string solved, unsolved;      // articles
  std::vector<BranchCase> branches;  // branch
  std::string lookup, input, fail;   // lookup
  std::string group;                 // handoff (optional)
  std::optional<Priority> priority;  // handoff (optional)
};

struct LookupConfig {
  std::string id;
  std::map<std::string, std::string> table;  // key -> JSON object text
  std::string url;                           // an HTTP GET; the input is appended
  int timeout_ms = 2000;
};

struct Article {
  std::string id;
  std::string title;
  std::vector<std::string> keywords;
  std::string answer;  // a predefined answer sent with the suggestion, may be empty
};

struct BotConfig {
  std::string greeting;
  std::string start;  // empty: no bot, hand-off at once
  std::map<std::string, BotStep> steps;
  std::map<std::string, LookupConfig> lookups;
  std::vector<Article> articles;
};

// Compiles the "bot", "lookups" and "articles" sections of `doc`; `groups` are the known group ids.
Status ParseBotConfig(const nlohmann::json& doc, const std::vector<std::string>& groups, BotConfig* out);

struct ViewConfig {
  std::string id;
  Conditions conditions;
  std::string sort = "created_at";  // created_at, updated_at, priority, status
};

// Compiles the "views" section of `doc`; `unassigned-messaging` always exists (added when absent).
Status ParseViews(const nlohmann::json& doc, std::vector<ViewConfig>* out);

}  // namespace switchboard
