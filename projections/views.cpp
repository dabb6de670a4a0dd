#include "projections/views.h"

#include "events/json_writer.h"
#include "rules/domain/desk_state.h"
#include "rules/domain/ticket_facts.h"

namespace switchboard {
namespace {

void AppendBigEndian64(std::string& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
}

// Byte order = the view's order: oldest first for the times, most urgent first for priority,
// earliest in the life cycle first for status, soonest first for the next SLA breach; ties by
// creation time.
std::string SortKey(const ViewConfig& view, const Ticket& t) {
  std::string key;
  if (view.sort == "updated_at") {
    AppendBigEndian64(key, static_cast<std::uint64_t>(t.updated_at));
    return key;
  }
  if (view.sort == "sla_next_breach_at") {  // B64: the next breach first; tickets without one last
    const Timestamp next = t.NextBreach();
    AppendBigEndian64(key, next == 0 ? ~std::uint64_t{0} : static_cast<std::uint64_t>(next));
  } else if (view.sort == "priority") {
    key.push_back(static_cast<char>(3 - static_cast<int>(t.priority)));
  } else if (view.sort == "status") {
    key.push_back(static_cast<char>(static_cast<int>(t.status)));
  }
  AppendBigEndian64(key, static_cast<std::uint64_t>(t.created_at));
  return key;
}

}  // namespace

std::string ViewDefinitionKey(const std::string& view) { return "V" + view; }

std::string ViewDefinitionJson(const ViewConfig& view) {
  std::string out;
  JsonWriter j(&out);
  j.String("id", view.id).String("sort", view.sort);
  j.Close();
  return out;
}

std::string ViewPrefix(const std::string& view) {
  std::string key = "v" + view;
  key.push_back('\0');
  return key;
}

std::string ViewOfKey(const std::string& key) { return key.substr(1, key.find('\0') - 1); }

std::uint64_t TicketOfViewKey(const std::string& key) {
  std::uint64_t v = 0;
  for (std::size_t i = key.size() - 8; i < key.size(); ++i) v = (v << 8) | static_cast<unsigned char>(key[i]);
  return v;
}

std::vector<std::string> ViewKeysOf(const DeskState& state, const Ticket& t, std::int64_t now) {
  std::vector<std::string> keys;
  const std::vector<ViewConfig>& views = state.config().views;
  // Closed is final (B23) and leaves every view: views list work, and a closed ticket can then leave
  // memory without its memberships having to follow later changes of the views (docs/DECISIONS.md).
  if (views.empty() || t.status == TicketStatus::kClosed) return keys;
  TicketFacts facts = TicketFacts::Unchanged(state, t, "system", now);
  for (const ViewConfig& view : views) {
    if (!Holds(view.conditions, facts)) continue;
    std::string key = ViewPrefix(view.id) + SortKey(view, t);
    AppendBigEndian64(key, t.id);
    keys.push_back(std::move(key));
  }
  return keys;
}

}  // namespace switchboard
