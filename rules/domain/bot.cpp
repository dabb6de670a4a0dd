#include "rules/domain/bot.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include "rules/domain/placeholders.h"
#include "rules/domain/ticket_facts.h"
#include "rules/text_fold.h"

namespace switchboard {
namespace {

using nlohmann::json;

constexpr int kMaxStepsPerTurn = 50;  // a flow that loops without asking anything ends in a hand-off

std::string Trim(const std::string& s) {
  std::size_t b = s.find_first_not_of(" \t\r\n"), e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool IsEmail(const std::string& s) {
  std::size_t at = s.find('@');
  if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
  if (s.find_first_of(" \t,;<>") != std::string::npos) return false;
  std::size_t dot = s.find('.', at);
  return dot != std::string::npos && dot > at + 1 && dot + 1 < s.size();
}

// The answer's value as JSON text, or nullopt when it does not fit the question (B2).
std::optional<std::string> Validate(const BotStep& step, const std::string& raw) {
  std::string answer = Trim(raw);
  if (answer.empty()) return std::nullopt;
  switch (step.answer) {
    case AnswerKind::kChoice: {
      std::string folded = FoldText(answer);
      for (std::size_t i = 0; i < step.options.size(); ++i) {
        if (folded == FoldText(step.options[i]) || answer == std::to_string(i + 1)) return json(step.options[i]).dump();
      }
      return std::nullopt;
    }
    case AnswerKind::kEmail:
      if (!IsEmail(answer)) return std::nullopt;
      return json(FoldText(answer)).dump();
    case AnswerKind::kNumber: {
      char* end = nullptr;
      double v = std::strtod(answer.c_str(), &end);
      if (end == answer.c_str() || *end != '\0') return std::nullopt;
      return json(v).dump();
    }
    case AnswerKind::kText:
      return json(answer).dump();
  }
  return std::nullopt;
}

std::string Question(const BotStep& step) {
  std::string text = step.text;
  for (std::size_t i = 0; i < step.options.size(); ++i) text += "\n" + std::to_string(i + 1) + ". " + step.options[i];
  return text;
}

BotOutcome HandoffAt(std::string step) { return BotOutcome{true, "", std::nullopt, std::move(step)}; }

// One turn of the flow: the world it speaks into, and the message held for the question just asked.
class Turn {
 public:
  explicit Turn(BotWorld& world) : world_(world) {}

  const BotConfig& bot() const { return world_.config().bot; }

  template <class Payload>
  void Emit(Payload payload, std::string contact = "") {
    Event e = MakeEvent(std::move(payload));
    e.contact = std::move(contact);
    world_.Emit(std::move(e));
  }

  // A question (`awaits`) that the contact already answered while a lookup was pending takes the
  // first held message as its answer (the fold drops it from `held` with this event).
  void Say(const std::string& step, const std::string& text, bool awaits) {
    const Conversation& c = world_.conversation();
    TextContext x;
    x.config = &world_.config();
    x.conversation = &c;
    x.contact = world_.contact();
    x.wait = world_.EstimatedWait();
    fb::BotMessageSentT p;
    p.text = FillPlaceholders(text, x);
    p.step = step;
    p.awaits = awaits;
    const BotPhase& phase = world_.phase();
    p.takes_held = awaits && !phase.held.empty();
    if (p.takes_held) held_answer_ = phase.held.front();
    Emit(std::move(p));
  }

  // Runs steps from `step_id` until one waits for the contact, the conversation is handed off, or it
  // ends solved.
  BotOutcome Run(std::string step_id);
  BotOutcome Answer(const std::string& text);
  // Answers, in order, the questions the contact answered ahead of time (B5).
  BotOutcome AnswerHeld(BotOutcome outcome) {
    while (!outcome.handoff && held_answer_) {
      std::string text = std::move(*held_answer_);
      held_answer_.reset();
      outcome = Answer(text);  // may ask the next question, which may take the next held message
    }
    return outcome;
  }
  // B5: a table lookup answers at once; an HTTP lookup records lookup.started and the flow waits.
  std::optional<std::string> Lookup(const BotStep& step);
  void SaveLookupAnswer(const BotStep& step, const LookupConfig& lookup, const std::string& result);

  BotWorld& world_;

 private:
  std::optional<std::string> held_answer_;
};

BotOutcome Turn::Run(std::string step_id) {
  const BotConfig& bot = this->bot();
  for (int guard = 0; guard < kMaxStepsPerTurn && !step_id.empty(); ++guard) {
    const BotStep& step = bot.steps.at(step_id);
    const Conversation& c = world_.conversation();
    switch (step.kind) {
      case StepKind::kAsk: {
        // B3: a contact field the contact already has is not asked again.
        const Contact* contact = world_.contact();
        if (step.save.rfind("contact.", 0) == 0 && contact != nullptr && contact->profile.count(step.save.substr(8))) {
          step_id = step.next;
          continue;
        }
        Say(step.id, Question(step), true);
        return {};
      }
      case StepKind::kArticles: {
        // B6: rank by the words in common with title and keywords, accents and case folded.
        std::set<std::string> said = FoldedWords(world_.phase().words);
        std::vector<std::pair<int, std::size_t>> ranked;
        for (std::size_t i = 0; i < bot.articles.size(); ++i) {
          std::set<std::string> words = FoldedWords(bot.articles[i].title);
          for (const std::string& k : bot.articles[i].keywords) words.merge(FoldedWords(k));
          int common = 0;
          for (const std::string& w : words) common += said.count(w) ? 1 : 0;
          if (common > 0) ranked.emplace_back(-common, i);
        }
        if (ranked.empty()) {
          step_id = step.unsolved;
          continue;
        }
        std::sort(ranked.begin(), ranked.end());
        if (static_cast<int>(ranked.size()) > step.max_articles) ranked.resize(step.max_articles);
        fb::ArticlesSuggestedT suggested;
        std::string text = "These articles may help:";
        for (std::size_t k = 0; k < ranked.size(); ++k) {
          const Article& a = bot.articles[ranked[k].second];
          suggested.articles.push_back(a.id);
          text += "\n" + std::to_string(k + 1) + ". " + a.title + (a.answer.empty() ? "" : ": " + a.answer);
        }
        Emit(std::move(suggested));
        Say(step.id, text + "\nDid this solve your problem? (yes/no)", true);
        return {};
      }
      case StepKind::kBranch: {
        ConversationFacts facts(world_.config(), c, world_.contact(), world_.now());
        std::string go_to = step.otherwise;
        for (const BranchCase& b : step.branches) {
          if (Holds(b.when, facts)) {
            go_to = b.go_to;
            break;
          }
        }
        step_id = go_to;
        continue;
      }
      case StepKind::kLookup: {
        std::optional<std::string> next = Lookup(step);
        if (!next) return {};  // waiting for the HTTP answer
        step_id = *next;
        continue;
      }
      case StepKind::kMessage:
        Say(step.id, step.text, false);
        if (step.next.empty()) return HandoffAt("");
        step_id = step.next;
        continue;
      case StepKind::kHandoff:
        return BotOutcome{true, step.group, step.priority, step.id};
      case StepKind::kEnd:
        Emit(fb::ConversationSelfSolvedT(), c.contact);
        return {};
    }
  }
  return HandoffAt("");  // nothing left to ask: a person takes over
}

std::optional<std::string> Turn::Lookup(const BotStep& step) {
  const LookupConfig& lookup = bot().lookups.at(step.lookup);
  const Conversation& c = world_.conversation();
  Value input =
      ConversationFacts(world_.config(), c, world_.contact(), world_.now()).Current(*FieldFromName(step.input));
  std::string key = input.kind == Value::Kind::kString ? FoldText(input.string) : "";
  if (!lookup.url.empty() && !key.empty()) {
    fb::LookupStartedT started;
    started.lookup = lookup.id;
    started.input = key;
    started.step = step.id;
    Emit(std::move(started));
    return std::nullopt;
  }
  auto row = lookup.table.find(key);
  if (key.empty() || row == lookup.table.end()) {
    fb::LookupFailedT failed;
    failed.lookup = lookup.id;
    failed.error = key.empty() ? step.input + " is not known" : "no entry for " + key;
    Emit(std::move(failed));
    return step.fail;
  }
  SaveLookupAnswer(step, lookup, row->second);
  return step.next;
}

// lookup.completed with the whole answer, then each of its fields saved under the step's prefix.
void Turn::SaveLookupAnswer(const BotStep& step, const LookupConfig& lookup, const std::string& result) {
  fb::LookupCompletedT done;
  done.lookup = lookup.id;
  done.result = result;
  Emit(std::move(done));
  json answer = json::parse(result);
  for (auto it = answer.begin(); it != answer.end(); ++it) {
    fb::BotAnswerSavedT saved;
    saved.key = step.save + "." + it.key();
    saved.value = it.value().dump();
    Emit(std::move(saved));
  }
}

BotOutcome Turn::Answer(const std::string& text) {
  const BotPhase& phase = world_.phase();
  auto waiting = bot().steps.find(phase.step);
  if (waiting == bot().steps.end()) return Run(bot().start);
  const BotStep& step = waiting->second;
  if (step.kind == StepKind::kArticles) return Run(SaysYes(text) ? step.solved : step.unsolved);
  std::optional<std::string> value = Validate(step, text);
  if (!value) {
    if (phase.attempts < step.retries) {
      Say(step.id, "Sorry, I did not understand. " + Question(step), true);
      return {};
    }
    if (step.otherwise.empty()) return HandoffAt(step.id);
    return Run(step.otherwise);
  }
  if (!step.save.empty()) {
    fb::BotAnswerSavedT saved;
    saved.key = step.save;
    saved.value = *value;
    Emit(std::move(saved));
  }
  return Run(step.next);
}

}  // namespace

BotOutcome StartBot(BotWorld& world) {
  Turn turn(world);
  const BotConfig& bot = world.config().bot;
  if (!bot.greeting.empty()) turn.Say("greeting", bot.greeting, false);
  if (bot.start.empty()) return HandoffAt("");  // no flow: a person takes over at once
  return turn.Run(bot.start);
}

BotOutcome AnswerBot(BotWorld& world, const std::string& text) {
  Turn turn(world);
  return turn.AnswerHeld(turn.Answer(text));
}

BotOutcome AnswerLookup(BotWorld& world, const LookupAnswer& c) {
  const Conversation& conv = world.conversation();
  if (!conv.in_bot || conv.lookup_started == 0) return {};
  const BotConfig& bot = world.config().bot;
  auto step = bot.steps.find(world.phase().step);
  if (step == bot.steps.end() || step->second.kind != StepKind::kLookup || step->second.lookup != c.lookup) {
    return {};
  }
  Turn turn(world);
  const LookupConfig& lookup = bot.lookups.at(c.lookup);
  json answer = json::parse(c.result, nullptr, false);
  BotOutcome outcome;
  if (c.error.empty() && answer.is_object()) {
    turn.SaveLookupAnswer(step->second, lookup, c.result);
    outcome = turn.Run(step->second.next);
  } else {
    fb::LookupFailedT failed;
    failed.lookup = lookup.id;
    failed.error = c.error.empty() ? "the answer is not a JSON object" : c.error;
    turn.Emit(std::move(failed));
    outcome = turn.Run(step->second.fail);
  }
  return turn.AnswerHeld(outcome);  // what the contact wrote while waiting answers the next questions
}

}  // namespace switchboard
