#include "rules/text_fold.h"

#include <cctype>

namespace switchboard {
namespace {

// The base letter of a two-byte UTF-8 Latin-1 letter (U+00C0..U+00FF), or 0.
char BaseOf(unsigned char lead, unsigned char next) {
  if (lead != 0xC3) return 0;
  static const char kBase[64 + 1] =
      "aaaaaaaceeeeiiii"               // U+00C0..U+00CF  À Á Â Ã Ä Å Æ Ç È É Ê Ë Ì Í Î Ï
      "dnooooo.ouuuuyts"               // U+00D0..U+00DF  Ð Ñ Ò Ó Ô Õ Ö × Ø Ù Ú Û Ü Ý Þ ß
      "aaaaaaaceeeeiiii"               // U+00E0..U+00EF
      "dnooooo.ouuuuyty";              // U+00F0..U+00FF
  unsigned index = (next & 0x3F) + 0;  // 0xC3 0x80..0xBF -> U+00C0..U+00FF
  if (next < 0x80 || next > 0xBF) return 0;
  char c = kBase[index];
  return c == '.' ? 0 : c;
}

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(std::tolower(c)));
    } else if (i + 1 < text.size() && BaseOf(c, static_cast<unsigned char>(text[i + 1])) != 0) {
      out.push_back(BaseOf(c, static_cast<unsigned char>(text[i + 1])));
      ++i;
    } else if (c == 0xC5 && i + 1 < text.size() &&
               (static_cast<unsigned char>(text[i + 1]) == 0x92 || static_cast<unsigned char>(text[i + 1]) == 0x93)) {
      out += "oe";  // Œ œ
      ++i;
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
  return out;
}

std::set<std::string> FoldedWords(std::string_view text) {
  std::set<std::string> words;
  std::string folded = FoldText(text), word;
  for (char c : folded) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.insert(word);
      word.clear();
    }
  }
  if (!word.empty()) words.insert(word);
  return words;
}

}  // namespace switchboard
