// Text folding for matching what contacts type, in every script: case folded, accents removed from
// Latin, Greek and Cyrillic letters, Latin letters spelled in ASCII ("Livraison", "LIVRAISON" and
// "livraison" match; "Straße" matches "strasse", "Łódź" "lodz", "ДОСТАВКА" "доставка", "ΟΔΌΣ"
// "οδος"), so the bot's choices, article suggestions and lookup keys do not depend on case or
// accents (B2, B5, B6). Cyrillic, Greek and other scripts stay in their script.
//
// Pure and thread-safe: the same text folds to the same bytes on every thread (each thread keeps its
// own ICU transliterator).
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace switchboard {

// The folded form of UTF-8 `text`, in UTF-8 (NFC). ASCII text is only lowercased, byte for byte.
// Otherwise: NFKC with full case folding (ß -> ss, ς -> σ, "ﬁ" -> "fi", soft hyphens dropped),
// Latin letters transliterated to ASCII (Ł -> l, Ø -> o, æ -> ae, œ -> oe, þ -> th), and the
// nonspacing marks on Latin, Greek and Cyrillic letters removed (é -> e, ά -> α, ё -> е, й -> и);
// marks that spell other scripts (Devanagari or Thai vowel signs) are kept. Folding twice changes
// nothing. Each ill-formed UTF-8 sequence (the longest valid-looking prefix, or one byte) becomes
// U+FFFD, so the result is always valid UTF-8.
std::string FoldText(std::string_view text);

// The folded words of `text`: runs of letters, marks and decimal digits in any script (for ASCII:
// [a-z0-9] runs, as before).
std::set<std::string> FoldedWords(std::string_view text);

// A yes: "yes", "y", "oui" or "1", spaces around it trimmed, case and accents folded (B6's "did this
// solve your problem?", B71's "shall we message you when an agent is free?").
bool SaysYes(std::string_view text);

}  // namespace switchboard
