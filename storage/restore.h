// StoreRestorer: reads back from the log what DeskState::Evict let go (memory bounded by open work).
//
// A contact is the fold of its own stream (profile updates, the start of its conversations, the
// creation of its tickets) with the bot's answers saved to it from its conversations' streams, in
// log order; it comes back with no conversation going on, since it only leaves when it has none. A
// ticket is the fold of its stream, with its conversation (finished: it only leaves once closed) and,
// given a ReadModel, what the records show of it beyond the state (first reply, first assignment).
// Only events before the bound are read: an event being applied, or a command being decided, sees
// the past as the log had it. Each restore is a few prefix scans of the stream index, O(history of
// the one contact or ticket); a contact the log has nothing of costs one empty scan.
// Thread-safety: as EventStore reads; one owner (the desk, a fold) at a time.
#pragma once

#include <cstdint>
#include <string>

#include "projections/read_model.h"
#include "rules/domain/bot_session.h"
#include "rules/domain/desk_state.h"
#include "storage/event_store.h"

namespace switchboard {

class StoreRestorer : public DeskState::Restorer {
 public:
  // `read` may be null (a fold whose records are not rendered).
  StoreRestorer(EventStore* store, ReadModel* read) : store_(store), read_(read) {}

  Status RestoreContact(DeskState& state, const std::string& id, std::uint64_t before_seq) override;
  Status RestoreTicket(DeskState& state, std::uint64_t id, std::uint64_t before_seq) override;

  // How many contacts and tickets came back from the log: what eviction costs in reads.
  std::uint64_t restored() const { return restored_; }

 private:
  EventStore* store_;
  ReadModel* read_;
  std::uint64_t restored_ = 0;
};

// A conversation's bot session from its own stream (every event before `before_seq`), for a
// conversation actor restored after passivation. A conversation has a session only while the bot has
// it, so its start is folded as one that began with the bot.
Status RestoreBotSession(EventStore& store, std::uint64_t conversation, std::uint64_t before_seq, BotSession* session);

}  // namespace switchboard
