#include "rules/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

#include <cstdint>
#include <memory>

namespace switchboard {
namespace {

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Not std::tolower / std::isalnum: those follow the C locale, and the fold must not.
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool IsWordChar(UChar32 c) { return (U_GET_GC_MASK(c) & (U_GC_L_MASK | U_GC_M_MASK | U_GC_ND_MASK)) != 0; }

// ICU's normalizers are immutable singletons, safe to share between threads. ICU's data is built
// into its library, so getting one cannot fail short of a broken install; should it, that step is
// skipped rather than throwing from the middle of a decision.
// NFKC_Casefold: compatibility forms, full case folding, default ignorables removed; output NFC.
const icu::Normalizer2* CaseFolding() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFKCCasefoldInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

const icu::Normalizer2* Decomposition() {
  static const icu::Normalizer2* const instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFDInstance(status);
    return U_SUCCESS(status) ? n : nullptr;
  }();
  return instance;
}

icu::UnicodeString Normalized(const icu::Normalizer2* normalizer, const icu::UnicodeString& text) {
  if (normalizer == nullptr) return text;
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString out = normalizer->normalize(text, status);
  return U_SUCCESS(status) ? out : text;
}

// Latin-ASCII (Ł -> L, Ø -> O, æ -> ae, þ -> th, “ -> "). A Transliterator is costly to build and
// must not be used by two threads at once: one per thread, built the first time that thread needs it.
icu::Transliterator* LatinToAscii() {
  thread_local const std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t(
        icu::Transliterator::createInstance(UNICODE_STRING_SIMPLE("Latin-ASCII"), UTRANS_FORWARD, status));
    if (U_FAILURE(status)) t.reset();
    return t;
  }();
  return instance.get();
}

// Where accents are marks on a letter that can go (é, ά, ё). In other scripts a nonspacing mark is
// often a vowel or part of the letter (Devanagari, Thai, kana voicing): removing it would merge words.
bool LosesItsMarks(UChar32 base) {
  UErrorCode status = U_ZERO_ERROR;
  const UScriptCode script = uscript_getScript(base, &status);
  return U_SUCCESS(status) && (script == USCRIPT_LATIN || script == USCRIPT_GREEK || script == USCRIPT_CYRILLIC);
}

// `decomposed` (NFD) without the nonspacing marks that follow a Latin, Greek or Cyrillic letter.
// Other combining marks (spacing, enclosing) stay and do not end the letter's marks: canonical
// order may put one of them between a letter and its accent.
icu::UnicodeString WithoutAccents(const icu::UnicodeString& decomposed) {
  icu::UnicodeString out;
  bool strip = false;  // whether the marks seen now sit on such a letter
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const auto type = u_charType(c);
    if (type == U_NON_SPACING_MARK) {
      if (!strip) out.append(c);
      continue;
    }
    if (type != U_COMBINING_SPACING_MARK && type != U_ENCLOSING_MARK) strip = LosesItsMarks(c);
    out.append(c);
  }
  return out;
}

// Whether Latin-ASCII could change `text`: its rules apply only to Latin, Common and Inherited
// characters and to U+3007 (its filter), so text without any (after the accents went: Cyrillic,
// Greek, or ASCII by now) is left as it is, without running the costly transliteration.
bool NeedsLatinToAscii(const icu::UnicodeString& text) {
  for (int32_t i = 0; i < text.length();) {
    const UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (c < 0x80) continue;
    if (c == 0x3007) return true;
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(c, &status);
    if (U_FAILURE(status) || script == USCRIPT_LATIN || script == USCRIPT_COMMON || script == USCRIPT_INHERITED) {
      return true;
    }
  }
  return false;
}

// The fold of non-ASCII text. Case folding comes first, so the transliteration sees one case (its
// rules know some letters in one case only), and last again, to fold what it wrote and to compose
// what is left (NFC); accents go before the transliteration (most accented text is ASCII then and
// skips it) and again after it (what it wrote may carry marks that were on a symbol). This order
// makes folding twice change nothing.
icu::UnicodeString FoldUnicode(std::string_view text) {
  // ICU replaces each ill-formed sequence with U+FFFD.
  icu::UnicodeString s =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
  s = WithoutAccents(Normalized(Decomposition(), Normalized(CaseFolding(), s)));
  icu::Transliterator* latin_to_ascii = NeedsLatinToAscii(s) ? LatinToAscii() : nullptr;
  if (latin_to_ascii != nullptr) {
    latin_to_ascii->transliterate(s);
    s = WithoutAccents(Normalized(Decomposition(), s));
  }
  return Normalized(CaseFolding(), s);
}

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  if (IsAscii(text)) {  // the common case, and exactly what the fold always gave for ASCII
    out.reserve(text.size());
    for (char c : text) out.push_back(LowerAscii(c));
    return out;
  }
  FoldUnicode(text).toUTF8String(out);
  return out;
}

std::set<std::string> FoldedWords(std::string_view text) {
  std::set<std::string> words;
  if (IsAscii(text)) {
    std::string word;
    for (char c : text) {
      if (IsAsciiWordChar(c)) {
        word.push_back(LowerAscii(c));
      } else if (!word.empty()) {
        words.insert(word);
        word.clear();
      }
    }
    if (!word.empty()) words.insert(word);
    return words;
  }
  const icu::UnicodeString folded = FoldUnicode(text);
  icu::UnicodeString word;
  auto end_word = [&] {
    if (word.isEmpty()) return;
    std::string utf8;
    words.insert(word.toUTF8String(utf8));
    word.remove();
  };
  for (int32_t i = 0; i < folded.length();) {
    const UChar32 c = folded.char32At(i);
    i += U16_LENGTH(c);
    if (IsWordChar(c)) {
      word.append(c);
    } else {
      end_word();
    }
  }
  end_word();
  return words;
}

bool SaysYes(std::string_view text) {
  const std::size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return false;
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  const std::string a = FoldText(text.substr(begin, end - begin + 1));
  return a == "yes" || a == "y" || a == "oui" || a == "1";
}

}  // namespace switchboard
