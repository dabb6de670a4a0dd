// Text folding for matching what contacts type: lowercase, Latin accents removed ("Livraison",
// "livraison" and "LIVRAISON" match; "é" matches "e"), so the bot's choices and article suggestions
// do not depend on case or accents (B2, B6). Pure, thread-safe.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace switchboard {

// Lowercase ASCII letters and digits stay; Latin-1 accented letters lose their accent; other
// characters stay as they are.
std::string FoldText(std::string_view text);

// The folded words of `text` (runs of letters and digits).
std::set<std::string> FoldedWords(std::string_view text);

}  // namespace switchboard
