// FoldText and FoldedWords (B2, B6): case and accents folded in every script, ASCII exactly as
// before, invalid UTF-8 replaced rather than crashing, the same answer on every thread.
#include "rules/text_fold.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <thread>
#include <utility>
#include <vector>

using switchboard::FoldedWords;
using switchboard::FoldText;
using Words = std::set<std::string>;

namespace {

const std::string kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string LowerAscii(std::string s) {
  for (char& c : s) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return s;
}

std::string Utf8(std::uint32_t c) {
  std::string s;
  if (c < 0x80) {
    s.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (c >> 6)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (c >> 12)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (c >> 18)));
    s.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
  return s;
}

// Every spelling in `spellings` folds to `folded`.
void AllFoldTo(const std::vector<std::string>& spellings, const std::string& folded) {
  for (const std::string& s : spellings) BOOST_TEST(FoldText(s) == folded, s);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(text_fold)

BOOST_AUTO_TEST_CASE(B2_ascii_folds_to_lowercase_alone_also_inside_non_ascii_text) {
  std::string ascii;
  for (int c = 0; c < 0x80; ++c) ascii.push_back(static_cast<char>(c));  // NUL and controls included
  BOOST_TEST(FoldText(ascii) == LowerAscii(ascii));                      // the ASCII path, as before
  BOOST_TEST(FoldText("Hello, World! 123") == "hello, world! 123");
  // The Unicode path (a non-ASCII letter anywhere) treats the ASCII part exactly the same way.
  BOOST_TEST(FoldText(ascii + "\xC5\x81") == LowerAscii(ascii) + "l");  // + Ł
  BOOST_TEST(FoldText("\xC3\x89" + ascii) == "e" + LowerAscii(ascii));  // É +
}

BOOST_AUTO_TEST_CASE(B2_B6_russian_greek_polish_and_german_fold_case_and_accents) {
  AllFoldTo({"доставка", "ДОСТАВКА", "Доставка"}, "доставка");  // Cyrillic stays Cyrillic
  AllFoldTo({"Ёлка", "ёлка", "ЕЛКА"}, "елка");
  AllFoldTo({"Straße", "STRASSE", "strasse", "STRAẞE"}, "strasse");
  AllFoldTo({"Łódź", "ŁÓDŹ", "lodz", "LODZ"}, "lodz");
  AllFoldTo({"Ελληνικά", "ΕΛΛΗΝΙΚΆ", "ΕΛΛΗΝΙΚΑ", "ελληνικα"}, "ελληνικα");  // Greek stays Greek
  AllFoldTo({"οδός", "ΟΔΟΣ", "οδοσ", "Οδός"}, "οδοσ");                      // final sigma
  AllFoldTo({"Délais de LIVRAISON", "delais de livraison"}, "delais de livraison");
  AllFoldTo({"Œuvre", "oeuvre"}, "oeuvre");
  AllFoldTo({"Ærø", "AERO"}, "aero");
  AllFoldTo({"Øresund", "oresund"}, "oresund");
  AllFoldTo({"Français", "FRANÇAIS", "francais"}, "francais");
}

BOOST_AUTO_TEST_CASE(B2_compatibility_forms_and_invisible_characters_fold_too) {
  BOOST_TEST(FoldText("ﬁle") == "file");                   // ligature
  BOOST_TEST(FoldText("ＡＢＣ") == "abc");                 // full width
  BOOST_TEST(FoldText("deli\xC2\xADvery") == "delivery");  // a soft hyphen does not split a word
}

BOOST_AUTO_TEST_CASE(B2_accents_go_from_latin_greek_and_cyrillic_letters_but_other_scripts_keep_their_marks) {
  // A Devanagari or Thai vowel sign is part of the word, not an accent.
  BOOST_TEST(FoldText("हिन्दी ΆΈ ЁЙ É") == "हिन्दी αε еи e");  // й loses its breve like ё its diaeresis
  BOOST_TEST(FoldText("สวัสดี Ώ") == "สวัสดี ω");
}

BOOST_AUTO_TEST_CASE(B2_folding_twice_changes_nothing_and_small_letters_fold_like_their_capitals) {
  // Letters the Latin-ASCII rules know in one case only, and the Greek iota subscript (ᾳ, ᾼ, ΑΙ).
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"Ʀ Ƕ Ƞ Ɡ", "ʀ ƕ ƞ ɡ"},
      {"ᾼ", "ᾳ"},
      {"ΑΙ", "ᾳ"},
      {"ǅ", "ǆ"},
      {"\xCE\x90", "\xCE\xB9\xCC\x88\xCC\x81"}};  // ΐ, decomposed or not
  for (const auto& [capital, small] : pairs) {
    BOOST_TEST(FoldText(capital) == FoldText(small), capital);
    BOOST_TEST(FoldText(capital) != capital, capital);  // something was folded
  }
  for (const char* s : {"доставка", "ΟΔΟΣ", "Straße", "Łódź", "Ærø", "ﬁ", "हिन्दी", "ΐ ῳ", "Ʀ Ƕ Ƞ", "ǅ"}) {
    BOOST_TEST(FoldText(FoldText(s)) == FoldText(s), s);
  }
  int unstable = 0;
  for (std::uint32_t c = 0x80; c <= 0x10FFFF; ++c) {  // every code point, alone after a capital
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    const std::string once = FoldText("A" + Utf8(c));
    if (FoldText(once) != once && unstable++ < 5) BOOST_ERROR("U+" << std::hex << c << " folds again");
  }
  BOOST_TEST(unstable == 0);
}

BOOST_AUTO_TEST_CASE(B2_invalid_utf8_is_replaced_by_u_fffd_and_the_rest_still_folds) {
  BOOST_TEST(FoldText("Caf\xC3") == "caf" + kReplacement);                  // truncated sequence
  BOOST_TEST(FoldText("\xC3\x89T\xC3\x89 \xFF") == "ete " + kReplacement);  // a byte never valid
  BOOST_TEST(FoldText("\xE2\x82!") == kReplacement + "!");                  // a valid start cut short: one U+FFFD
  BOOST_TEST(FoldText("\xC0\xAF") == kReplacement + kReplacement);          // overlong
  BOOST_TEST(FoldText("\xED\xA0\x80") == kReplacement + kReplacement + kReplacement);    // a surrogate
  BOOST_TEST(FoldText("\x80\xC5\x81") == kReplacement + "l");                            // stray continuation
  BOOST_TEST(FoldText(std::string("\xC3\x89\0\xC3\x89", 5)) == std::string("e\0e", 3));  // NUL kept
  // What comes out is valid UTF-8, so it can go into an event's JSON.
  BOOST_CHECK_NO_THROW(nlohmann::json(FoldText("x\xFE\xC3y\xE2\x82")).dump());
  BOOST_TEST(FoldedWords("\xD0\x94\xFF\xD0\x94") == (Words{"д"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B6_words_are_runs_of_letters_and_digits_in_any_script) {
  BOOST_TEST(FoldedWords("Где моя ПОСЫЛКА? Заказ 42") == (Words{"42", "где", "заказ", "моя", "посылка"}),
             boost::test_tools::per_element());
  BOOST_TEST(FoldedWords("Łódź-Straße, ΟΔΌΣ") == (Words{"lodz", "strasse", "οδοσ"}), boost::test_tools::per_element());
  BOOST_TEST(FoldedWords("हिन्दी भाषा") == (Words{"भाषा", "हिन्दी"}), boost::test_tools::per_element());
  // ASCII as before: letters and digits only, an apostrophe splits.
  BOOST_TEST(FoldedWords("Ma LIVRAISON, don't 2x!") == (Words{"2x", "don", "livraison", "ma", "t"}),
             boost::test_tools::per_element());
  BOOST_TEST(FoldedWords("expédition") == (Words{"expedition"}), boost::test_tools::per_element());
  BOOST_TEST(FoldedWords("").empty());
}

BOOST_AUTO_TEST_CASE(B2_B6_every_thread_folds_the_same) {
  const std::vector<std::string> inputs = {"ДОСТАВКА", "Straße", "ŁÓDŹ", "ΟΔΟΣ", "Ærø"};
  const std::vector<std::string> expected = {"доставка", "strasse", "lodz", "οδοσ", "aero"};
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 500; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) wrong[t] += FoldText(inputs[i]) != expected[i];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  BOOST_TEST(wrong == std::vector<int>(4, 0), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
