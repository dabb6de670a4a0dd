#include "rules/domain/bot_session.h"

#include <utility>

namespace switchboard {
namespace {

bool SavedToContact(const Event& e) {
  return e.payload.type == fb::Payload::BotAnswerSaved && e.payload.AsBotAnswerSaved()->key.rfind("contact.", 0) == 0;
}

// The session's side of a turn: the bot reads the session's own state and the request's snapshot of
// the rest; each event is folded at once (the next step sees it), as the desk folds it.
class SessionWorld : public BotWorld {
 public:
  SessionWorld(BotSession& session, BotTurnRequest& request, BotTurnReply& reply)
      : session_(session), request_(request), reply_(reply), contact_(request.contact ? &*request.contact : nullptr) {}
  const Configuration& config() const override { return *request_.config; }
  Timestamp now() const override { return request_.at; }
  const Conversation& conversation() const override { return session_.conversation(); }
  const BotPhase& phase() const override { return session_.phase(); }
  const Contact* contact() const override { return contact_; }
  std::optional<Timestamp> EstimatedWait() const override { return request_.wait; }
  void Emit(Event e) override {
    // The envelope as Change::Emit fills it for the conversation's events (the rest, cmd and by, is
    // the desk's and nothing here reads it).
    e.seq = request_.next_seq + reply_.events.size();
    e.at = request_.at;
    e.conversation = request_.conversation;
    Status s = session_.Hear(e);
    if (s.ok() && SavedToContact(e) && contact_) s = contact_->Apply(e);
    if (!s.ok() && reply_.status.ok()) reply_.status = s;
    reply_.events.push_back(std::move(e));
  }

 private:
  BotSession& session_;
  const BotTurnRequest& request_;
  BotTurnReply& reply_;
  Contact* contact_;  // the request's copy, which the turn's answers saved to the contact update
};

}  // namespace

Status BotSession::Hear(const Event& e, bool has_bot) {
  Status s = conversation_.Apply(e, has_bot);
  if (!s.ok()) return s;
  phase_.Apply(e, conversation_);
  last_seq_ = e.seq;
  return Status::OK();
}

BotTurnReply BotSession::Take(BotTurnRequest& request) {
  BotTurnReply reply;
  for (const Event& e : request.prior) {
    reply.status = Hear(e, request.has_bot);
    if (!reply.status.ok()) return reply;
  }
  SessionWorld world(*this, request, reply);
  switch (request.kind) {
    case BotTurnKind::kStart:
      reply.outcome = StartBot(world);
      break;
    case BotTurnKind::kAnswer:
      // B5: while a lookup is pending, the message (folded above) is held for the next question; the
      // lookup's answer, whenever it comes, drives the flow.
      if (!conversation_.AwaitsLookup()) reply.outcome = AnswerBot(world, request.text);
      break;
    case BotTurnKind::kLookup:
      reply.outcome = AnswerLookup(world, request.answer);
      break;
  }
  reply.done = reply.outcome.handoff || done();
  return reply;
}

}  // namespace switchboard
