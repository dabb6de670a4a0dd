// Day: a closed-loop, seeded "day of a contact centre" as PROTOCOL.md command lines.
//
// Unlike the open-loop workload (bench/workload.h), this generator runs its own private Desk while it
// writes: every line it emits is applied to that Desk at once, and the events it gets back decide what
// comes next (which ticket a hand-off created, who routing assigned it to, what the bot waits for,
// whether a survey was sent, whether a conversation went inactive). So its lines are what a real day
// would send: agents act only on tickets they hold, while they are online; contacts answer the bot's
// actual questions; nothing is refused except the deliberately malformed lines. Feeding the lines to
// `switchboard run` (an empty database, the same configuration) gives exactly the events the private
// Desk saw, because the Desk is deterministic.
//
// Simulated: agents' shifts (derived from their groups' business hours), breaks, contacts arriving on a
// daily curve over messaging and email in French and English (some VIP, some returning), the bot's
// questions (with an occasional invalid answer), self-service, hand-off, routing, the chat between
// contact and agent, contacts who stop answering, pending, solved (by hand or by macro), sessions ended,
// escalations, CSAT ratings, reopened tickets, and a last clock.advance so the timers fire. Several
// days run on, each with its own shifts and arrivals; what a day left open continues into the next.
//
// Deterministic: the same options and configuration give the same lines, byte for byte, on any
// standard library (only the raw output of std::mt19937_64 is used). Not thread-safe per call; calls
// are independent.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace switchboard {

struct DayOptions {
  std::uint64_t seed = 1;
  int conversations = 3000;         // contacts' conversations over the day
  std::string date = "2026-11-23";  // a Monday; traffic from 00:00 to 24:00 UTC of that day
  int days = 1;                     // that many such days in a row (each with `conversations`)
  double malformed = 0.0;           // share of deliberately invalid lines
};

// The configuration shipped in config/demo.json (embedded at build time).
const std::string& DemoConfig();

// Calls `line` once per command line, in order. Deterministic: same options + config, same lines.
// A configuration the Desk refuses yields no lines.
void GenerateDay(const DayOptions& options, const std::string& config_json,
                 const std::function<void(const std::string&)>& line);

}  // namespace switchboard
