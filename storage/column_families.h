// The column families of the event store, named once. See docs/ARCHITECTURE.md for the table.
#pragma once

#include <array>

namespace switchboard {

enum ColumnFamily : int {
  kDefaultFamily = 0,
  kLogFamily,          // be64 seq -> Event buffer (FlatBuffers, verified on read)
  kStreamsFamily,      // stream prefix ‖ be64 first seq of a command's events in it -> varint gaps to the rest
  kCommandsFamily,     // command id -> be64 seq of the last event before or of that command
  kViewsFamily,        // record key -> query document (JSON)
  kCheckpointsFamily,  // projection name -> be64 last applied seq
  kSnapshotsFamily,    // the decision state as of one event (storage/snapshot.h)
  kTimersFamily,       // reserved: be64 due ‖ id -> timer (timers are derived from the log today)
  kMetaFamily,         // "format" -> format version; "cursor/" name -> be64 seq (delivery cursors)
  kFamilyCount,
};

constexpr std::array<const char*, kFamilyCount> kFamilyNames{"default",     "log",       "streams", "commands", "views",
                                                             "checkpoints", "snapshots", "timers",  "meta"};

}  // namespace switchboard
