// The actors of one desk and the messages between them: the whole message contract in one header.
//
// Every message is a request with a typed reply, and every value in it is serializable by CAF
// (actors/wire.h), so any of these boundaries can later cross a process. Completion callbacks never
// travel: whoever waits for an answer is an actor that sent a request (the engine's front door, a
// lookup worker, a projection builder) and receives the reply.
//
//   front door --decide [commands]--> desk --(delegates)--> journal --reply after the fsync--> front door
//                                      | ^                          \--feed notices--> feeds --> agent actor
//                          turn (awaited)| |reply
//                                      v |
//                              conversation actor
//
// The desk decides and delegates the outcome to the journal, so the journal's reply, delivered
// through a response promise once the group holding it is durable, goes straight to whoever asked.
#pragma once

#include <caf/atom.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>

#include "actors/wire.h"

namespace switchboard {

using decide_atom = caf::atom_constant<caf::atom("decide")>;
using persist_atom = caf::atom_constant<caf::atom("persist")>;
using finish_atom = caf::atom_constant<caf::atom("finish")>;
using step_atom = caf::atom_constant<caf::atom("step")>;
using submit_atom = caf::atom_constant<caf::atom("submit")>;
using feed_atom = caf::atom_constant<caf::atom("feed")>;
using flush_atom = caf::atom_constant<caf::atom("flush")>;
using turn_atom = caf::atom_constant<caf::atom("turn")>;
using turned_atom = caf::atom_constant<caf::atom("turned")>;
using hear_atom = caf::atom_constant<caf::atom("hear")>;
using passivate_atom = caf::atom_constant<caf::atom("passivate")>;
using host_atom = caf::atom_constant<caf::atom("host")>;
using stop_atom = caf::atom_constant<caf::atom("stop")>;

// A command's outcome for the journal. `duplicate`: the id was applied before, nothing to write;
// `refused`: not decided (the engine has stopped), acknowledged with the background error.
struct PersistCommand {
  CommandWrite write;
  bool duplicate = false;
  bool refused = false;
  bool silent = false;           // asked for by no one (a configuration put in force before a repeated first command)
  std::vector<FeedNotice> feed;  // for the agent actors, once the write is durable
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, PersistCommand& x) {
  return f(caf::meta::type_name("switchboard::PersistCommand"), x.write, x.duplicate, x.refused, x.silent, x.feed);
}

// One conversation while the bot has it (B1-B7). `host`: takes up a conversation (a new one, or one
// restored from its stream before the given seq); takes the bot's turns the desk asks for and
// answers each with `turned` to the desk (the desk awaits it before it decides anything else, which
// keeps the log's order; a plain message each way, not a request: one turn is out at a time);
// hears the conversation's other events; `passivate`: lets the conversation go (what it held is
// durable in its stream) and waits, blank, to host another; `stop`: ends.
using ConversationActor =
    caf::typed_actor<caf::reacts_to<host_atom, std::uint64_t, std::uint64_t>, caf::reacts_to<turn_atom, BotTurnRequest>,
                     caf::reacts_to<hear_atom, std::vector<Event>>, caf::reacts_to<passivate_atom>,
                     caf::reacts_to<stop_atom>>;

// One agent's live feed: told each new item of its notification list and each change of its presence
// (once durable), it pushes items to the agent's subscribers at once while the agent is online and
// holds them while it is away or offline, until it comes back.
// A group's notices for one agent travel together (one message per agent per durable group).
using AgentActor = caf::typed_actor<caf::reacts_to<feed_atom, std::vector<FeedNotice>>>;

// Finds (spawning on demand) the agent actor each notice is for, and hands it on in order.
using FeedsActor = caf::typed_actor<caf::reacts_to<feed_atom, std::vector<FeedNotice>>>;

// The sequencer: decides each command in arrival order; answers once the outcome is durable. A
// request carries the commands that were waiting together (the front door groups them as the journal
// groups writes), and its reply their acknowledgements, one each, in order: CAF's cost per request
// is paid once per group, not per command.
// `turned`: a conversation actor's answer to the turn it was sent (its conversation, the reply).
using DeskActor =
    caf::typed_actor<caf::replies_to<decide_atom, std::vector<Command>>::with<std::vector<Acknowledgement>>,
                     caf::reacts_to<turned_atom, std::uint64_t, BotTurnReply>>;

// The single writer of the store (group commit). `finish` takes over a rebuild job (storage/rebuild.h)
// between two groups of writes and answers with its outcome.
using JournalActor =
    caf::typed_actor<caf::replies_to<persist_atom, std::vector<PersistCommand>>::with<std::vector<Acknowledgement>>,
                     caf::replies_to<finish_atom, std::uint64_t>::with<Status>>;

// A projection rebuild folding the log one chunk per message, so an exit reaches it between chunks.
using BuilderActor = caf::typed_actor<caf::reacts_to<step_atom>>;

// The engine's front door: submits a command for a caller of Engine::Submit, named by a token, and
// hands the reply to that caller's completion (kept by the engine, not sent).
// `flush` (sent to itself): the commands gathered so far go to the desk as one request.
using FrontDoorActor =
    caf::typed_actor<caf::reacts_to<submit_atom, std::uint64_t, Command>, caf::reacts_to<flush_atom>>;

}  // namespace switchboard
