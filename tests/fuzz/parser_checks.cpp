#include "tests/fuzz/parser_checks.h"

#include "events/command.h"
#include "rules/config.h"

namespace switchboard::fuzz {
namespace {

bool NamesATicket(CommandKind kind) {
  switch (kind) {
    case CommandKind::kAgentAccept:
    case CommandKind::kAgentMessage:
    case CommandKind::kTicketUpdate:
    case CommandKind::kTicketTransfer:
    case CommandKind::kSessionEnd:
    case CommandKind::kCsatRate:
    case CommandKind::kMacroApply:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string CheckCommand(std::string_view line) {
  const Command c = ParseCommand(line);
  if (c.kind == CommandKind::kLookupResult) return "a line parsed as lookup.result, which only the engine makes";
  if (c.kind == CommandKind::kInvalid) return c.error.empty() ? "an invalid command carries no error sentence" : "";
  const std::string kind(CommandKindName(c.kind));
  if (!c.error.empty() || !c.error_field.empty()) return kind + " parsed, yet carries an error: " + c.error;
  if (c.id.empty()) return kind + " parsed without an id";
  if (NamesATicket(c.kind) && c.ticket == 0) return kind + " parsed with ticket 0";
  if (c.kind == CommandKind::kClockAdvance && !c.at) return "clock.advance parsed without an at";
  if (c.kind == CommandKind::kConfigApply && (c.config.empty() || c.config.front() != '{'))
    return "config.apply parsed without a configuration object";
  return "";
}

std::string CheckConfiguration(std::string_view text) {
  Configuration config;
  config.digest = "untouched";
  const Status s = ParseConfiguration(text, &config);
  if (!s.ok()) {
    if (s.message().empty()) return "a refused configuration carries no sentence";
    if (config.digest != "untouched") return "a refused configuration changed the output: " + s.message();
    return "";
  }
  if (config.groups.empty()) return "an accepted configuration has no group";
  if (!config.HasGroup(config.fallback))
    return "an accepted configuration falls back to unknown group " + config.fallback;
  if (config.digest.size() != 16) return "an accepted configuration has digest \"" + config.digest + "\"";
  for (const AgentConfig& agent : config.agents) {
    if (config.FindAgent(agent.id) != &agent) return "agent " + agent.id + " is not found by its id";
  }
  Configuration again;
  const Status reparsed = ParseConfiguration(config.document, &again);
  if (!reparsed.ok()) return "the canonical document of an accepted configuration is refused: " + reparsed.message();
  if (again.digest != config.digest) return "the canonical document parses to another digest";
  return "";
}

}  // namespace switchboard::fuzz
