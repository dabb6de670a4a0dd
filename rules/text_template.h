// Text templates: the placeholders a text the contact or an agent reads may hold (B1, B7, B14, B45).
//
// `{{contact.NAME}}` a contact field, `{{var.NAME}}` a conversation variable (a bot answer or a
// lookup's result saved under var.), `{{ticket.id}}`, `{{agent.id}}`, `{{agent.name}}` (the agent's
// configured name, else its id), `{{wait}}` (the estimated wait), `{{position}}` (the ticket's place
// in its queue, 1 = next), `{{hours.GROUP}}` (a group's business hours). Spaces inside the braces are
// ignored. Every text of a configuration is checked when it is applied, so an unknown placeholder
// (`{{wiat}}`) is refused with its path instead of rendering as nothing. Pure, thread-safe.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard {

// Calls `each(name)` for every placeholder of `text`, in order, with the name trimmed of spaces.
void ForEachPlaceholder(std::string_view text, const std::function<void(const std::string&)>& each);

// Replaces every placeholder of `text` by `value(name)`.
std::string RenderTemplate(std::string_view text, const std::function<std::string(const std::string&)>& value);

// Throws json_path's PathError ("PATH: unknown placeholder {{wiat}}; ...") for a placeholder that is
// not one of the above, or an `hours.GROUP` whose group is not in `groups`.
void CheckPlaceholders(std::string_view text, const std::string& path, const std::vector<std::string>& groups);

}  // namespace switchboard
