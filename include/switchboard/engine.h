// Engine: the Switchboard engine embedded in a program (a web widget back end, a webhook, the CLI).
//
// Open a database directory, Submit commands (JSON lines of PROTOCOL.md), and get each command's
// events back once they are durable. Acknowledgements arrive in submission order. Query reads the
// stored projections; ReadEvents and Audit read the log. The CLI uses nothing but this header.
//
// Thread-safety: Submit, Execute, Drain and the read methods may be called from any thread.
// Completion callbacks run on the engine's front-door thread, in submission order: keep them short.
// Errors are Status values; nothing here throws.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "switchboard/options.h"
#include "switchboard/runtime.h"
#include "switchboard/status.h"

namespace switchboard {

// What the engine answers to one command, once what it changed is durable.
struct Acknowledgement {
  std::string command_id;
  bool duplicate = false;           // the id was applied before: nothing changed
  Status status;                    // not OK: the engine has stopped (BackgroundError); not applied
  std::vector<std::string> events;  // the encoded events, in log order

  // The events as PROTOCOL.md JSON lines; a duplicate gives {"type":"command.duplicate","cmd":ID}.
  std::vector<std::string> EventsAsJson() const;
};

// A run of seqs, first to last inclusive.
struct SeqRange {
  std::uint64_t first = 0, last = 0;
};

// What Engine::Repair found and did (docs/storage-format.md, "Repair").
struct RepairReport {
  std::uint64_t kept = 0;          // the log now holds events 1 .. kept, without a gap
  bool mark_found = false;         // a readable acknowledged mark was found
  std::uint64_t acknowledged = 0;  // the last acknowledged event, by that mark
  std::string mark_ignored;        // why a mark file present was not read, if it was not
  std::string recovery_note;       // why nothing past the damage could be read, if nothing could
  std::vector<SeqRange> missing;   // not in the log, and nothing of them is left (up to the mark or the last event)
  std::vector<SeqRange> salvaged;  // read after a gap: taken out of the log (later events depend on earlier ones)
  std::uint64_t salvaged_events = 0;
  std::string salvage_file;  // those events as JSON lines, for a person to look at; empty when none
  // The ids of the commands recorded past `kept`: no longer applied, so a client's retry of one is
  // applied again.
  std::vector<std::string> forgotten_commands;
  std::vector<std::string> rebuilt;  // the projections rebuilt from the kept log (those not where it ends)
};

// Replay progress: events folded so far, of `total`.
using ReplayProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// One projection (a named set of query records, see docs/ARCHITECTURE.md, "Projections").
struct ProjectionStatus {
  std::string name;
  std::uint32_t version = 0;         // what this build writes
  std::uint32_t stored_version = 0;  // what the live records were written by (0: never built)
  std::uint64_t checkpoint = 0;      // the last event the live records reflect
  bool rebuilding = false;
  std::uint64_t rebuilt = 0, total = 0;  // a rebuild's progress, in events
};

// What an engine holds in memory: the store's own buffers (bounded by their budgets) and the desk's
// open work (what is finished leaves memory once durable, and is read back from the log if needed).
struct MemoryUsage {
  std::uint64_t store_memtables = 0;        // bytes; flushed to disk at 64 MiB in all
  std::uint64_t store_table_readers = 0;    // bytes outside the block cache
  std::uint64_t store_block_cache = 0;      // bytes in the block cache (index and filter blocks too)
  std::uint64_t store_background_jobs = 0;  // flushes and compactions running, which hold buffers
  std::uint64_t contacts = 0;               // contacts, conversations and tickets held by the desk
  std::uint64_t conversations = 0;
  std::uint64_t tickets = 0;
  // Conversation actors: how many conversations have one now (each the bot still has), and since
  // open how many actors were spawned (a blank one hosts the next conversation), how many
  // conversations were restored from their stream, and how many were let go (hand-off,
  // self-service, or passivated after Options::conversation_idle_ms).
  std::uint64_t conversation_actors = 0;
  std::uint64_t conversation_actors_spawned = 0;
  std::uint64_t conversation_actors_restored = 0;
  std::uint64_t conversation_actors_passivated = 0;
};

// What the engine has written to its store since it was opened: `groups` synced writes (group
// commits: one WriteBatch, one WAL sync each), holding `events` events, `keys` keys (log entries and
// all that is kept beside them: stream entries, command ids, query records, checkpoints) and `bytes`
// bytes of batch data. keys / events and bytes / events are the write amplification against a bare
// log of one key per event; events / groups is how many events share an fsync.
struct WriteStats {
  std::uint64_t groups = 0, events = 0, keys = 0, bytes = 0;
};

// Snapshots of the decision state (Options::snapshot_every): how the engine opened, and what it has
// written since.
struct SnapshotStats {
  std::uint64_t opened_from = 0;     // the event of the snapshot open started from; 0: the log's beginning
  std::uint64_t folded_at_open = 0;  // the events folded after it
  std::string ignored_at_open;       // why newer snapshots were not taken (damaged, of another log), if any
  std::uint64_t written = 0;         // snapshots written since open (the one at close not counted)
  std::uint64_t last = 0;            // the event of the newest snapshot in the store (0: none)
  std::uint64_t last_bytes = 0;      // its size, and the time it took to make it (in a child process)
  std::uint64_t last_micros = 0;
  std::uint64_t last_pause_micros = 0;  // how long the desk paused to start the last one (a fork)
};

class Engine {
 public:
  virtual ~Engine();

  // Opens (creating when missing) the database in options.db_path and recovers its state from the
  // log. With options.config_json, that configuration is put in force (a `config.applied` event)
  // unless it is already; a refused configuration makes Open fail with InvalidArgument naming the
  // path at fault. Busy when another process holds the directory.
  // Open refuses, with Corruption, a database whose log does not hold every acknowledged event (a
  // damaged or missing WAL file, or a log cut short): the sentence says what is missing, names the
  // WAL files, and points to Repair. NotFound "no database at DIR" when options.read_only and there
  // is none; nothing is created then.
  static Status Open(const Options& options, std::unique_ptr<Engine>* out);
  // As Open, on a runtime shared with other engines of the process (include/switchboard/runtime.h):
  // its actor system, clock and block cache (options.block_cache_bytes is then the runtime's).
  static Status Open(const Options& options, std::shared_ptr<Runtime> runtime, std::unique_ptr<Engine>* out);

  // `switchboard repair`: salvages a database that Open refuses for a damaged log. Reads every WAL
  // record that can still be read, keeps the longest gap-free prefix of the log (1, 2, 3 ...; events
  // after a gap cannot be kept, since later events depend on earlier ones: they go, as JSON lines,
  // to a salvage file in the directory), forgets the command ids recorded past it, resets the
  // acknowledged mark, opens the result as a normal start does (rebuilding every projection that
  // reflects events no longer in the log) and verifies it. OK when the database is usable again;
  // `report` says what was kept and what was lost. Needs the directory to itself.
  static Status Repair(const std::string& db_path, RepairReport* report);

  // Queues one command. `done` runs once its events are durable (per options.durability).
  // Blocks while options.max_in_flight commands are unacknowledged.
  virtual void Submit(std::string json_line, std::function<void(Acknowledgement)> done) = 0;
  // As Submit, for line `line_number` (from 1) of an input such as `switchboard run`'s: a rejection
  // of the line names it (`line`), so a program can point at the line at fault.
  virtual void SubmitLine(std::string json_line, std::uint64_t line_number,
                          std::function<void(Acknowledgement)> done) = 0;

  // Submits and waits for the acknowledgement.
  Acknowledgement Execute(std::string json_line);

  // Waits until every submitted command is acknowledged, and every HTTP lookup the bot started has
  // been answered (or has timed out) and recorded.
  virtual void Drain() = 0;

  // The engine's background error: OK while it works. The first failure of the store on the
  // deciding path (writing the log, reading the applied command ids) stops the engine for good:
  // from then on no command is decided or written, every command submitted is acknowledged at once
  // with this Status (also those queued behind the failure), and this returns it. Its sentence
  // names that first cause and the last acknowledged event. It never returns to OK; fix the cause
  // and open the database again (everything acknowledged is still there). Read-only engines: OK.
  virtual Status BackgroundError() = 0;
  // What the engine holds in memory now. Safe from any thread; the desk's counts are as of its last
  // command.
  virtual MemoryUsage Memory() = 0;
  // What was written since open. Safe from any thread; zero for a read-only engine.
  virtual WriteStats Writes() = 0;
  // Safe from any thread.
  virtual SnapshotStats Snapshots() = 0;

  // Receives the acknowledgements of the commands the engine makes itself (the answers of the bot's
  // HTTP lookups), each on the thread of the worker that made the lookup. Set it before submitting.
  virtual void OnBackground(std::function<void(Acknowledgement)> fn) = 0;

  // The last event's seq, 0 for an empty log.
  virtual std::uint64_t LastSeq() = 0;

  // Calls fn with each event's JSON from `from_seq` on, in order, until fn returns false.
  virtual Status ReadEvents(std::uint64_t from_seq, const std::function<bool(const std::string&)>& fn) = 0;

  // The live feed of one agent (the front door pushes it to the agent's screen): fn receives each
  // new item of the agent's notification list (`query notifications AGENT`, as JSON) once it is
  // durable, at once while the agent is online; the items made while it was away or offline are
  // held and delivered, in order, when it next comes online (their delivered_at is that moment).
  // fn runs on the agent's actor: keep it short. Returns a handle for UnsubscribeAgent; 0 when
  // read-only.
  virtual std::uint64_t SubscribeAgent(const std::string& agent, std::function<void(const std::string&)> fn) = 0;
  virtual void UnsubscribeAgent(std::uint64_t handle) = 0;

  // Calls fn with each event's JSON from `from_seq` on: first the events already durable, then each
  // new one as soon as it is durable, in log order, with no gap and no repeat. fn runs on the
  // journal thread (keep it short; it must not call back into the engine). Returns a handle for
  // Unsubscribe. Not available read-only (returns 0).
  virtual std::uint64_t Subscribe(std::uint64_t from_seq, std::function<void(const std::string&)> fn) = 0;
  virtual void Unsubscribe(std::uint64_t handle) = 0;

  // Named delivery cursors, kept in the database beside the log: what a consumer of the log outside
  // the engine (an outbound webhook) has delivered, so that a restart resumes there. SaveCursor is
  // durable as an event is (through the write-ahead log); LoadCursor is NotFound for a name never
  // saved. Any thread. Read-only engines refuse SaveCursor.
  virtual Status SaveCursor(const std::string& name, std::uint64_t seq) = 0;
  virtual Status LoadCursor(const std::string& name, std::uint64_t* seq) = 0;

  // `ticket N`, `view NAME`, `agent ID`, `contact ID`, `monitor` (PROTOCOL.md, Queries): one JSON
  // document, from the stored projections. NotFound when the entity does not exist; InvalidArgument
  // for an unknown query.
  virtual Status Query(const std::vector<std::string>& what, std::string* json) = 0;

  // The configuration in force, as the last config.applied recorded it (API tokens as their
  // SHA-256 digests, never as given), or the built-in one when none was applied.
  virtual Status ConfigDocument(std::string* json) = 0;

  // `analytics` (B52): first reply, resolution and wait times, CSAT and deflection over the tickets
  // created in [from, to) (RFC 3339; empty: unbounded), per `by` (empty, agent, group or channel),
  // as JSON or, with `csv`, CSV.
  virtual Status Analytics(const std::string& from, const std::string& to, const std::string& by, bool csv,
                           std::string* out) = 0;

  // `staffing` (B73): per interval, arrivals, mean handle time, the agents Erlang C needs for the
  // service level and the agents online (docs/PROTOCOL.md). Empty strings take the defaults.
  struct StaffingQuery {
    std::string from, to;       // RFC 3339; empty: the first and last ticket creation, aligned to the interval
    std::string interval;       // Ns, Nm or Nh; empty: 30m
    std::string service_level;  // P/T; empty: 80/20s
    std::string concurrency;    // chats an agent holds at once; empty: 1
    std::string channel;        // messaging or email: only the tickets that came from it; empty: both
    bool csv = false;
    std::string as_of;  // RFC 3339: from the log folded up to it (B53); empty: the stored records
  };
  virtual Status Staffing(const StaffingQuery& query, std::string* out) = 0;

  // B53, `--as-of T`: what Query would have answered at time T (RFC 3339), from the log folded up
  // to T; `analytics` too (over everything up to T).
  virtual Status QueryAsOf(const std::vector<std::string>& what, const std::string& at, std::string* json) = 0;

  // The events of one ticket / conversation / contact / agent (`kind`), in order, as JSON lines.
  virtual Status Audit(const std::string& kind, const std::string& id,
                       const std::function<bool(const std::string&)>& fn) = 0;

  // The projections and their state; also the `query projections` document.
  virtual std::vector<ProjectionStatus> Projections() = 0;
  // Rebuilds the named projections (all when `names` is empty) from the log, in the background,
  // beside the live ones, which go on answering until the rebuilt ones take over (atomically, once
  // caught up with the log). InvalidArgument for an unknown name; Busy when one is being rebuilt.
  // Read-only: rebuilds in the calling thread before returning.
  virtual Status Rebuild(const std::vector<std::string>& names, const ReplayProgress& progress) = 0;
  // Waits until no rebuild runs; the first rebuild failure, if any.
  virtual Status WaitForRebuilds() = 0;
  // Rebuilds every projection from the first event. With `verify`, compares instead of writing:
  // Corruption with a readable `report` when the stored state or an invariant differs.
  virtual Status Replay(bool verify, const ReplayProgress& progress, std::string* report) = 0;
};

}  // namespace switchboard
