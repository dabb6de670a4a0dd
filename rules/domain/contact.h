// Contact: the end user as the log says they are (a profile that persists across conversations, the
// conversations and tickets they had, the conversation each channel's next message goes to).
//
// Folded from contact.updated, the bot's answers saved to the contact (B3), and the events that
// start and finish their conversations. Plain data and pure functions; not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "events/event.h"
#include "events/vocabulary.h"
#include "rules/condition.h"
#include "switchboard/status.h"

namespace switchboard {

// A page view older than this is a visit that ended: its time on the page no longer counts, and a
// view after such a gap starts a new visit (the web analytics convention; docs/DECISIONS.md).
constexpr Timestamp kVisitGapMs = 30 * 60 * 1000;

// What the site says of a contact browsing it (B70): the page viewed now and since when, how many
// visits, and the proactive rules that messaged it. Folded from visitor.page_viewed and
// proactive.message_sent; a conversation started by the contact takes the pending rule.
struct Visitor {
  std::string page_url, page_title;
  Timestamp page_viewed_at = 0;  // 0: no page view yet
  int visits = 0;
  std::set<std::string> fired_on_page;  // rules that messaged during this page view
  std::set<std::string> fired;          // every rule that ever messaged the contact (once_per_visitor)
  std::string pending_rule;             // the last proactive message, while unanswered
  Timestamp pending_at = 0;
  Timestamp proactive_due = 0;  // the proactive timer DeskState holds for the contact; 0: none

  // The rule a conversation the contact starts at `now` answers, if any: a message sent within the
  // visit gap before it.
  std::string Answering(Timestamp now) const {
    return !pending_rule.empty() && now - pending_at < kVisitGapMs ? pending_rule : std::string();
  }
};

struct Contact {
  std::string id;
  std::map<std::string, std::string> profile;  // field -> JSON text
  std::map<std::string, Value> values;         // the same fields parsed once, for conditions
  std::vector<std::uint64_t> conversations;
  std::vector<std::uint64_t> tickets;
  std::uint64_t open_messaging = 0;  // the conversation a messaging message goes to, 0: none
  std::uint64_t open_email = 0;
  // Bookkeeping for memory bounded by open work (DeskState::Evict): its conversations not finished,
  // and the last event that changed it.
  int live_conversations = 0;
  std::uint64_t last_seq = 0;
  Visitor visitor;

  std::uint64_t& open(Channel channel) { return channel == Channel::kEmail ? open_email : open_messaging; }
  std::uint64_t open(Channel channel) const { return channel == Channel::kEmail ? open_email : open_messaging; }
  // Sets one profile field (JSON text), kept for later conversations.
  void SetField(const std::string& field, const std::string& json_text);

  // Folds an event about this contact: contact.updated, a bot answer saved to the contact (B3), the
  // start of one of its conversations, the creation of one of its tickets. Corruption for an event
  // whose content cannot be what the log says.
  Status Apply(const Event& e);
};

// A profile value (JSON text) as a condition value: strings, numbers, booleans, lists of strings.
Value ValueFromJson(const std::string& json_text);

}  // namespace switchboard
