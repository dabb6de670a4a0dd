// The bot part of the Desk: greeting, questions, branches, table lookups, article suggestions,
// messages, hand-off and self-service (B1-B7), decided from the conversation's folded state.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>

#include "rules/domain/desk.h"
#include "rules/domain/placeholders.h"
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

bool SaysYes(const std::string& answer) {
  std::string a = FoldText(Trim(answer));
  return a == "yes" || a == "y" || a == "oui" || a == "1";
}

}  // namespace

void Desk::BotSay(std::uint64_t conversation, const std::string& step, const std::string& text, bool awaits) {
  const Conversation& c = *state_->FindConversation(conversation);
  fb::BotMessageSentT p;
  p.text = FillPlaceholders(text, *state_, TextSubject{conversation, c.ticket, ""});
  p.step = step;
  p.awaits = awaits;
  p.takes_held = awaits && !c.held.empty();
  if (p.takes_held) held_answer_ = c.held.front();  // the fold drops it from c.held with this event
  Event e = MakeEvent(std::move(p));
  e.conversation = conversation;
  Emit(std::move(e));
}

bool Desk::AwaitsLookup(const Conversation& c) const { return c.in_bot && c.lookup_started != 0; }

void Desk::TakeHeldAnswers(std::uint64_t conversation) {
  while (!held_answer_.empty()) {
    std::string text = std::move(held_answer_);
    held_answer_.clear();
    AnswerBot(conversation, text);  // may ask the next question, which may take the next held message
  }
}

// B1: the greeting, then the flow from its start; a bot of only a greeting greets and hands off
// (seed 000: "une salutation automatisée simple avant le transfert").
void Desk::StartBot(std::uint64_t conversation) {
  const BotConfig& bot = state_->config().bot;
  if (!bot.greeting.empty()) BotSay(conversation, "greeting", bot.greeting, false);
  if (bot.start.empty()) return Handoff(conversation, "", "", "");  // no flow: a person takes over at once
  RunBot(conversation, bot.start);
}

// Runs steps from `step_id` until one waits for the contact, the conversation is handed off, or it
// ends solved.
void Desk::RunBot(std::uint64_t conversation, std::string step_id) {
  const BotConfig& bot = state_->config().bot;
  for (int guard = 0; guard < kMaxStepsPerTurn && !step_id.empty(); ++guard) {
    const BotStep& step = bot.steps.at(step_id);
    const Conversation& c = *state_->FindConversation(conversation);
    switch (step.kind) {
      case StepKind::kAsk: {
        // B3: a contact field the contact already has is not asked again.
        const Contact* contact = state_->FindContact(c.contact);
        if (step.save.rfind("contact.", 0) == 0 && contact != nullptr && contact->profile.count(step.save.substr(8))) {
          step_id = step.next;
          continue;
        }
        BotSay(conversation, step.id, Question(step), true);
        return;
      }
      case StepKind::kArticles: {
        // B6: rank by the words in common with title and keywords, accents and case folded.
        std::set<std::string> said = FoldedWords(c.words);
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
        Event e = MakeEvent(std::move(suggested));
        e.conversation = conversation;
        Emit(std::move(e));
        BotSay(conversation, step.id, text + "\nDid this solve your problem? (yes/no)", true);
        return;
      }
      case StepKind::kBranch: {
        ConversationFacts facts(*state_, c, clock_);
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
        std::optional<std::string> next = Lookup(conversation, step);
        if (!next) return;  // waiting for the HTTP answer
        step_id = *next;
        continue;
      }
      case StepKind::kMessage:
        BotSay(conversation, step.id, step.text, false);
        if (step.next.empty()) return Handoff(conversation, "", "", "");
        step_id = step.next;
        continue;
      case StepKind::kHandoff:
        return Handoff(conversation, step.group, step.priority, step.id);
      case StepKind::kEnd: {
        Event e = MakeEvent(fb::ConversationSelfSolvedT());
        e.conversation = conversation;
        e.contact = c.contact;
        Emit(std::move(e));
        return;
      }
    }
  }
  Handoff(conversation, "", "", "");  // nothing left to ask: a person takes over
}

// B5: a table lookup answers at once. An HTTP lookup records lookup.started and the flow waits; the
// engine performs the GET off the desk's thread and brings the answer back as a lookup.result
// command (LookupResult below), so the answer is an event and a replay never calls out again.
std::optional<std::string> Desk::Lookup(std::uint64_t conversation, const BotStep& step) {
  const LookupConfig& lookup = state_->config().bot.lookups.at(step.lookup);
  const Conversation& c = *state_->FindConversation(conversation);
  Value input = ConversationFacts(*state_, c, clock_).Current(*FieldFromName(step.input));
  std::string key = input.kind == Value::Kind::kString ? FoldText(input.string) : "";
  if (!lookup.url.empty() && !key.empty()) {
    fb::LookupStartedT started;
    started.lookup = lookup.id;
    started.input = key;
    started.step = step.id;
    Event e = MakeEvent(std::move(started));
    e.conversation = conversation;
    Emit(std::move(e));
    return std::nullopt;
  }
  auto row = lookup.table.find(key);
  if (key.empty() || row == lookup.table.end()) {
    fb::LookupFailedT failed;
    failed.lookup = lookup.id;
    failed.error = key.empty() ? step.input + " is not known" : "no entry for " + key;
    Event e = MakeEvent(std::move(failed));
    e.conversation = conversation;
    Emit(std::move(e));
    return step.fail;
  }
  SaveLookupAnswer(conversation, step, lookup, row->second);
  return step.next;
}

// lookup.completed with the whole answer, then each of its fields saved under the step's prefix.
void Desk::SaveLookupAnswer(std::uint64_t conversation, const BotStep& step, const LookupConfig& lookup,
                            const std::string& result) {
  fb::LookupCompletedT done;
  done.lookup = lookup.id;
  done.result = result;
  Event e = MakeEvent(std::move(done));
  e.conversation = conversation;
  Emit(std::move(e));
  json answer = json::parse(result);
  for (auto it = answer.begin(); it != answer.end(); ++it) {
    fb::BotAnswerSavedT saved;
    saved.key = step.save + "." + it.key();
    saved.value = it.value().dump();
    Event s = MakeEvent(std::move(saved));
    s.conversation = conversation;
    Emit(std::move(s));
  }
}

// The answer of an HTTP lookup. One that no longer matches a waiting lookup (answered already, or
// the conversation moved on) changes nothing.
std::optional<Rejection> Desk::LookupResult(const Command& c) {
  const Conversation* conv = state_->FindConversation(c.conversation);
  if (conv == nullptr || !conv->in_bot || conv->lookup_started == 0) return std::nullopt;
  const BotConfig& bot = state_->config().bot;
  auto step = bot.steps.find(conv->bot_step);
  if (step == bot.steps.end() || step->second.kind != StepKind::kLookup || step->second.lookup != c.lookup) {
    return std::nullopt;
  }
  const LookupConfig& lookup = bot.lookups.at(c.lookup);
  const std::uint64_t conversation = conv->id;
  json answer = json::parse(c.result, nullptr, false);
  if (c.error.empty() && answer.is_object()) {
    SaveLookupAnswer(conversation, step->second, lookup, c.result);
    RunBot(conversation, step->second.next);
  } else {
    fb::LookupFailedT failed;
    failed.lookup = lookup.id;
    failed.error = c.error.empty() ? "the answer is not a JSON object" : c.error;
    Event e = MakeEvent(std::move(failed));
    e.conversation = conversation;
    Emit(std::move(e));
    RunBot(conversation, step->second.fail);
  }
  TakeHeldAnswers(conversation);  // what the contact wrote while waiting answers the next questions
  return std::nullopt;
}

// The contact's message while the bot waits for an answer (B2, B3, B6).
void Desk::AnswerBot(std::uint64_t conversation, const std::string& text) {
  const Conversation& c = *state_->FindConversation(conversation);
  const BotConfig& bot = state_->config().bot;
  auto waiting = bot.steps.find(c.bot_step);
  if (waiting == bot.steps.end()) return RunBot(conversation, bot.start);
  const BotStep& step = waiting->second;
  if (step.kind == StepKind::kArticles) return RunBot(conversation, SaysYes(text) ? step.solved : step.unsolved);
  std::optional<std::string> value = Validate(step, text);
  if (!value) {
    if (c.bot_attempts < step.retries)
      return BotSay(conversation, step.id, "Sorry, I did not understand. " + Question(step), true);
    if (step.otherwise.empty()) return Handoff(conversation, "", "", step.id);
    return RunBot(conversation, step.otherwise);
  }
  if (!step.save.empty()) {
    fb::BotAnswerSavedT saved;
    saved.key = step.save;
    saved.value = *value;
    Event e = MakeEvent(std::move(saved));
    e.conversation = conversation;
    Emit(std::move(e));
  }
  RunBot(conversation, step.next);
}

// B7: the ticket, numbered in order of creation, placed in the step's group or the fallback group
// (routing rules arrive with issue 4), and the contact told a person takes over.
void Desk::Handoff(std::uint64_t conversation, const std::string& group, const std::string& priority,
                   const std::string& step) {
  const Conversation& c = *state_->FindConversation(conversation);
  const std::string contact = c.contact, channel = c.channel;
  const std::uint64_t ticket = state_->ticket_count() + 1;
  Event created = MakeEvent(fb::TicketCreatedT{});
  created.payload.AsTicketCreated()->channel = channel;
  created.ticket = ticket;
  created.conversation = conversation;
  created.contact = contact;
  Emit(std::move(created));

  RouteNewTicket(ticket, conversation, group, priority, step);
  const BotConfig& bot = state_->config().bot;
  if (bot.start.empty() && bot.greeting.empty()) return;  // no bot: nobody speaks for the desk
  auto configured = bot.steps.find(step);
  std::string text =
      configured != bot.steps.end() && configured->second.kind == StepKind::kHandoff ? configured->second.text : "";
  if (text.empty()) {
    text = "Thank you, I am transferring you to an agent.";
    if (auto wait = state_->EstimatedWait(state_->FindTicket(ticket)->group, channel)) {
      text += " Estimated wait: " + DescribeWait(wait) + ".";  // B7
    }
  }
  // Said once routing has decided (EndChange), so that {{position}} is the ticket's place in its
  // queue (0 when an agent took it at once).
  handoff_messages_.push_back({conversation, step.empty() ? "handoff" : step, std::move(text)});
}

void Desk::SayHandoffMessages() {
  std::vector<HandoffMessage> messages = std::move(handoff_messages_);
  handoff_messages_.clear();
  for (const HandoffMessage& m : messages) BotSay(m.conversation, m.step, m.text, false);
}

}  // namespace switchboard
