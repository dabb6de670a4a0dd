// The bot (B2, B5, B6) with choices, article keywords and lookup keys in Russian, Greek, Polish and
// German: matched whatever the case or accents of the contact's answer, by the pure Desk.
#include <boost/test/unit_test.hpp>

#include <utility>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;

namespace {

// One flow per test (a configuration refuses steps its start cannot reach), over the same articles
// and lookup table.
json UnicodeBotConfig(const std::string& start) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["lookups"] = json::parse(R"({"crm": {"table": {"иван@почта.рф": {"tier": "gold"}}}})");
  config["articles"] = json::parse(R"([
    {"id": "delivery", "title": "Доставка заказа", "keywords": ["посылка", "доставка"]},
    {"id": "address", "title": "Adresse ändern", "keywords": ["Straße", "Hausnummer"]},
    {"id": "branch", "title": "Oddział Łódź", "keywords": ["Łódź"]},
    {"id": "parcel", "title": "Αποστολή δεμάτων", "keywords": ["δέμα", "οδός"]}])");
  json steps = json::parse(R"({"handoff": {"handoff": {}}})");
  if (start == "ask_topic") {
    steps["ask_topic"] = json::parse(R"({"ask": "?", "kind": "choice",
      "options": ["Доставка", "Straße", "Łódź", "Ελληνικά", "Οδός"], "save": "var.topic", "retries": 1,
      "next": "handoff", "else": "handoff"})");
  } else if (start == "ask_email") {
    steps["ask_email"] = json::parse(R"({"ask": "Email?", "kind": "email", "save": "contact.email", "retries": 1,
      "next": "check", "else": "handoff"})");
    steps["check"] = json::parse(R"({"lookup": "crm", "input": "contact.email", "save": "contact",
      "next": "handoff", "fail": "handoff"})");
  } else {
    steps["faq"] = json::parse(R"({"articles": 2, "solved": "done", "unsolved": "handoff"})");
    steps["done"] = json::parse(R"({"end": "solved"})");
  }
  config["bot"] = {{"start", start}, {"steps", steps}};
  return config;
}

std::vector<json> Say(DeskFixture& f, const std::string& text, const std::string& time) {
  return f.Run(
      f.Line({{"type", "contact.message"}, {"contact", "ann"}, {"channel", "messaging"}, {"text", text}}, time));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bot_in_every_script)

BOOST_AUTO_TEST_CASE(B2_a_choice_in_cyrillic_greek_polish_or_german_matches_any_case_and_accents_only) {
  const std::vector<std::pair<const char*, const char*>> answers = {
      {"ДОСТАВКА", "Доставка"}, {"доставка", "Доставка"}, {"STRASSE", "Straße"}, {"strasse", "Straße"},
      {"STRAẞE", "Straße"},     {"ŁÓDŹ", "Łódź"},         {"lodz", "Łódź"},      {"ΕΛΛΗΝΙΚΆ", "Ελληνικά"},
      {"ελληνικα", "Ελληνικά"}, {"ΟΔΟΣ", "Οδός"},         {"οδος", "Οδός"},      {" Łódź ", "Łódź"}};
  for (const auto& [answer, option] : answers) {
    DeskFixture f(UnicodeBotConfig("ask_topic").dump());
    Say(f, "hi", "09:00:00");
    auto events = Say(f, answer, "09:00:10");
    const auto* saved = FindType(events, "bot.answer_saved");
    BOOST_REQUIRE_MESSAGE(saved, answer);
    BOOST_TEST((*saved)["key"] == "var.topic");
    BOOST_TEST((*saved)["value"] == option, answer);  // the option as configured, not the answer
  }
  // A different word in the same script does not match.
  DeskFixture f(UnicodeBotConfig("ask_topic").dump());
  Say(f, "hi", "09:00:00");
  auto events = Say(f, "оплата", "09:00:10");
  BOOST_TEST(!FindType(events, "bot.answer_saved"));
  BOOST_TEST(events.back()["step"] == "ask_topic");  // asked again
}

BOOST_AUTO_TEST_CASE(B6_article_keywords_in_cyrillic_greek_polish_or_german_match_the_contacts_words) {
  const std::vector<std::pair<const char*, const char*>> said = {
      {"Где моя ПОСЫЛКА?", "delivery"}, {"ДОСТАВКА", "delivery"},  {"Neue STRASSE, bitte", "address"},
      {"oddzial w LODZ", "branch"},     {"Το ΔΕΜΑ μου", "parcel"}, {"ΟΔΟΣ", "parcel"}};
  for (const auto& [text, article] : said) {
    DeskFixture f(UnicodeBotConfig("faq").dump());
    auto events = Say(f, text, "09:00:00");
    const auto* suggested = FindType(events, "articles.suggested");
    BOOST_REQUIRE_MESSAGE(suggested, text);
    BOOST_TEST((*suggested)["articles"] == json::array({article}), text);
  }
}

BOOST_AUTO_TEST_CASE(B5_a_cyrillic_email_is_looked_up_by_its_folded_form) {
  DeskFixture f(UnicodeBotConfig("ask_email").dump());
  Say(f, "hi", "09:00:00");
  auto events = Say(f, "ИВАН@ПОЧТА.РФ", "09:00:10");
  const auto* saved = FindType(events, "bot.answer_saved");
  BOOST_REQUIRE(saved);
  BOOST_TEST((*saved)["value"] == "иван@почта.рф");
  const auto* done = FindType(events, "lookup.completed");
  BOOST_REQUIRE(done);
  BOOST_TEST(done->at("result") == json::parse(R"({"tier": "gold"})"));
}

BOOST_AUTO_TEST_SUITE_END()
