// The bot phase of a conversation, decided by the pure Desk: B1-B7.
#include <boost/test/unit_test.hpp>

#include "tests/rules/domain/desk_fixture.h"

using nlohmann::json;
using switchboard::testing::DeskFixture;
using switchboard::testing::FindType;
using switchboard::testing::Require;
using switchboard::testing::Types;
using Strings = std::vector<std::string>;

namespace {

json BotConfig() {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["groups"].push_back({{"id", "vip"}});
  config["lookups"] = json::parse(R"({"crm": {"table": {"vip@example.com": {"vip": true, "tier": "gold"}}}})");
  config["articles"] = json::parse(R"([
    {"id": "shipping", "title": "Délais de livraison", "keywords": ["livraison", "colis", "expédition"]},
    {"id": "refunds", "title": "Refunds", "keywords": ["refund", "money"]}])");
  config["bot"] = json::parse(R"({"greeting": "Hello {{contact.name}}!", "start": "ask_team",
    "steps": {
      "ask_team": {"ask": "Sales or support?", "kind": "choice", "options": ["Sales", "Support"],
                   "save": "var.team", "retries": 2, "next": "ask_email", "else": "handoff"},
      "ask_email": {"ask": "Your email?", "kind": "email", "save": "contact.email", "retries": 1,
                    "next": "check", "else": "faq"},
      "check": {"lookup": "crm", "input": "contact.email", "save": "contact", "next": "route", "fail": "faq"},
      "route": {"branch": [{"when": {"all": [{"field": "contact.vip", "operator": "is", "value": true}]},
                            "goto": "vip"}], "else": "faq"},
      "vip": {"handoff": {"group": "vip", "priority": "high"}},
      "faq": {"articles": 2, "solved": "done", "unsolved": "handoff"},
      "handoff": {"handoff": {}},
      "done": {"end": "solved"}}})");
  config["triggers"] = json::parse(R"([{"id": "tag-sales",
    "conditions": {"all": [{"field": "var.team", "operator": "is", "value": "Sales"},
                           {"field": "ticket", "operator": "is", "value": "created"}]},
    "actions": [{"field": "tags_add", "value": "sales"}]}])");
  return config;
}

std::vector<json> Say(DeskFixture& f, const std::string& text, const std::string& time,
                      const std::string& contact = "ann") {
  return f.Run(f.Line({{"type", "contact.message"},
                       {"contact", contact},
                       {"channel", "messaging"},
                       {"text", text},
                       {"profile", {{"name", "Ann"}}}},
                      time));
}

std::vector<std::string> BotSteps(const std::vector<json>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) {
    if (e["type"] == "bot.message_sent") out.push_back(e["step"]);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bot)

BOOST_AUTO_TEST_CASE(B1_the_first_message_gets_the_greeting_then_the_first_question) {
  DeskFixture f(BotConfig().dump());
  auto events = Say(f, "hi", "09:00:00");
  BOOST_TEST(Types(events) == (Strings{"contact.updated", "conversation.started", "message.added", "bot.message_sent",
                                       "bot.message_sent"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[3]["text"] == "Hello Ann!");
  BOOST_TEST(events[4]["step"] == "ask_team");
  BOOST_TEST(events[4]["text"] == "Sales or support?\n1. Sales\n2. Support");
  BOOST_TEST(!events[4].contains("awaits"));   // kept in the log for replay, not printed
  BOOST_TEST(f.state().ticket_count() == 0u);  // no ticket during the bot phase
}

BOOST_AUTO_TEST_CASE(B2_B3_a_choice_matches_label_case_and_accents_or_number_and_saves_a_variable) {
  for (const char* answer : {"support", "SUPPORT", "  Support ", "2"}) {
    DeskFixture f(BotConfig().dump());
    Say(f, "hi", "09:00:00");
    auto events = Say(f, answer, "09:00:10");
    const auto* saved = FindType(events, "bot.answer_saved");
    BOOST_REQUIRE_MESSAGE(saved, answer);
    BOOST_TEST((*saved)["key"] == "var.team");
    BOOST_TEST((*saved)["value"] == "Support");
    BOOST_TEST(BotSteps(events) == Strings{"ask_email"}, boost::test_tools::per_element());
  }
}

BOOST_AUTO_TEST_CASE(B2_an_invalid_answer_is_asked_again_up_to_the_retries_then_else) {
  DeskFixture f(BotConfig().dump());
  Say(f, "hi", "09:00:00");
  for (const char* wrong : {"maybe", "3"}) {
    auto again = Say(f, wrong, "09:00:10");
    BOOST_TEST(BotSteps(again) == Strings{"ask_team"}, boost::test_tools::per_element());
    BOOST_TEST(again.back()["text"].get<std::string>().rfind("Sorry, I did not understand.", 0) == 0);
  }
  auto handed = Say(f, "dunno", "09:00:20");  // retries: 2 -> the third wrong answer takes `else`
  BOOST_TEST(FindType(handed, "ticket.created"));
  BOOST_TEST(Require(handed, "ticket.routed")["group"] == "support");
}

BOOST_AUTO_TEST_CASE(B2_B3_B4_B5_B7_an_email_saved_on_the_contact_a_lookup_and_a_branch_route_a_vip) {
  DeskFixture f(BotConfig().dump());
  Say(f, "hi", "09:00:00");
  Say(f, "Sales", "09:00:10");
  auto bad = Say(f, "not an email", "09:00:20");
  BOOST_TEST(BotSteps(bad) == Strings{"ask_email"}, boost::test_tools::per_element());
  auto events = Say(f, "VIP@Example.com", "09:00:30");
  BOOST_TEST(
      Types(events) == (Strings{"message.added", "bot.answer_saved", "lookup.completed", "bot.answer_saved",
                                "bot.answer_saved", "ticket.created", "ticket.routed", "ticket.updated",
                                "routing.decided", "ticket.queued", "bot.message_sent", "contact.notification_offered",
                                "bot.message_sent", "trigger.fired", "ticket.updated"}),
      boost::test_tools::per_element());
  BOOST_TEST(events[1]["key"] == "contact.email");
  BOOST_TEST(events[1]["value"] == "vip@example.com");
  BOOST_TEST(events[2]["result"] == json::parse(R"({"vip": true, "tier": "gold"})"));
  BOOST_TEST(events[6]["group"] == "vip");
  BOOST_TEST(events[6]["reason"] == "bot:vip");
  BOOST_TEST(f.ticket(1).priority == "high");
  BOOST_TEST(f.ticket(1).tags == Strings{"sales"}, boost::test_tools::per_element());  // var.team in a trigger
  BOOST_TEST(f.state().FindContact("ann")->profile.at("vip") == "true");               // kept on the contact (B3)
}

BOOST_AUTO_TEST_CASE(B3_a_returning_contact_is_not_asked_what_is_known) {
  DeskFixture f(BotConfig().dump());
  Say(f, "hi", "09:00:00");
  Say(f, "Sales", "09:00:10");
  Say(f, "vip@example.com", "09:00:20");
  f.Update(1, "09:01:00", {{"agent", "sam"}, {"status", "solved"}});
  f.Update(1, "09:02:00", {{"status", "closed"}});
  Say(f, "me again", "10:00:00");  // a new conversation
  auto events = Say(f, "Support", "10:00:10");
  BOOST_TEST(BotSteps(events) == (Strings{"vip", "away"}), boost::test_tools::per_element());  // no email question
  BOOST_TEST(FindType(events, "lookup.completed"));
}

BOOST_AUTO_TEST_CASE(B5_a_lookup_with_no_answer_takes_its_failure_path) {
  DeskFixture f(BotConfig().dump());
  Say(f, "hi", "09:00:00");
  Say(f, "Support", "09:00:10");
  auto events = Say(f, "someone@example.org", "09:00:20");
  const auto* failed = FindType(events, "lookup.failed");
  BOOST_REQUIRE(failed);
  BOOST_TEST((*failed)["lookup"] == "crm");
  BOOST_TEST((*failed)["error"] == "no entry for someone@example.org");
  // `fail` goes to the FAQ; "hi", "Support" and an email match no article: straight to a person.
  BOOST_TEST(FindType(events, "ticket.created"));
}

BOOST_AUTO_TEST_CASE(B6_articles_matching_the_contacts_words_accents_folded_then_yes_solves_without_ticket) {
  DeskFixture f(BotConfig().dump());
  Say(f, "Ma LIVRAISON est en retard, expedition?", "09:00:00");
  Say(f, "Support", "09:00:10");
  auto suggested = Say(f, "nobody@example.org", "09:00:20");
  const auto* articles = FindType(suggested, "articles.suggested");
  BOOST_REQUIRE(articles);
  BOOST_TEST((*articles)["articles"] == json::array({"shipping"}));
  BOOST_TEST(suggested.back()["text"].get<std::string>().find("Did this solve your problem?") != std::string::npos);
  auto solved = Say(f, "Oui", "09:01:00");
  BOOST_TEST(Types(solved) == (Strings{"message.added", "conversation.self_solved"}), boost::test_tools::per_element());
  BOOST_TEST(f.state().ticket_count() == 0u);  // deflected: no ticket
  auto next = Say(f, "another question", "09:05:00");
  BOOST_TEST(next[0]["type"] == "conversation.started");  // the solved conversation is over
}

BOOST_AUTO_TEST_CASE(B6_B7_no_to_the_articles_hands_the_conversation_to_a_person) {
  DeskFixture f(BotConfig().dump());
  Say(f, "colis perdu", "09:00:00");
  Say(f, "Support", "09:00:10");
  Say(f, "nobody@example.org", "09:00:20");
  auto events = Say(f, "no", "09:01:00");
  BOOST_TEST(Types(events) ==
                 (Strings{"message.added", "ticket.created", "ticket.routed", "message.added", "routing.decided",
                          "ticket.queued", "bot.message_sent", "contact.notification_offered", "bot.message_sent"}),
             boost::test_tools::per_element());
  BOOST_TEST(events[1]["ticket"] == 1);
  BOOST_TEST(events[6]["text"] == "Thank you, I am transferring you to an agent.");
  // After the hand-off, the contact's messages go to the ticket.
  auto after = Say(f, "hello?", "09:02:00");
  BOOST_TEST(after[0]["ticket"] == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(estimated_wait)

std::string BotSaid(const std::vector<json>& events, const std::string& step) {
  for (const auto& e : events) {
    if (e["type"] == "bot.message_sent" && e["step"] == step) return e["text"];
  }
  return "";
}

std::string Greeting(const std::vector<json>& events) { return BotSaid(events, "greeting"); }

BOOST_AUTO_TEST_CASE(B1_B7_the_greeting_and_the_hand_off_tell_the_estimated_wait) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["bot"] = json::parse(R"({"greeting": "Hi! Expected wait: {{wait}}.", "start": "handoff",
                                  "steps": {"handoff": {"handoff": {}}}})");
  DeskFixture f(config.dump());
  auto first = Say(f, "hello", "09:00:00");
  BOOST_TEST(Greeting(first) == "Hi! Expected wait: not known yet.");
  BOOST_TEST(BotSaid(first, "handoff") == "Thank you, I am transferring you to an agent.");
  f.Update(1, "09:03:30", {{"agent", "alice"}, {"assignee", "alice"}});  // waited 3.5 minutes
  auto second = Say(f, "hello", "10:00:00", "ben");
  BOOST_TEST(Greeting(second) == "Hi! Expected wait: about 4 minutes.");
  BOOST_TEST(BotSaid(second, "handoff") ==
             "Thank you, I am transferring you to an agent. Estimated wait: about 4 minutes.");
  f.Update(2, "10:00:20", {{"agent", "alice"}, {"assignee", "alice"}});  // 20 s: the mean is now 1m55s
  auto third = Say(f, "hello", "11:00:00", "cid");
  BOOST_TEST(BotSaid(third, "handoff") ==
             "Thank you, I am transferring you to an agent. Estimated wait: about 2 minutes.");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bot_reconfigured)

BOOST_AUTO_TEST_CASE(B46_a_configuration_without_the_bot_hands_a_waiting_conversation_to_a_person) {
  DeskFixture f(BotConfig().dump());
  Say(f, "hi", "09:00:00");  // waiting at ask_team
  json plain = json::parse(switchboard::testing::kTwoGroupConfig);
  auto applied = f.Run(f.Line({{"type", "config.apply"}, {"config", plain}}, "09:00:05"));
  BOOST_TEST(applied[0]["type"] == "config.applied");
  auto events = Say(f, "Sales", "09:00:10");
  BOOST_TEST(Types(events) == (Strings{"message.added", "ticket.created", "ticket.routed", "message.added",
                                       "routing.decided", "ticket.queued"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(bot_business_hours)

BOOST_AUTO_TEST_CASE(B1_B4_the_greeting_states_the_hours_and_a_branch_follows_them) {
  json config = json::parse(switchboard::testing::kTwoGroupConfig);
  config["groups"][0]["hours"] = json::parse(R"({"tz": "Europe/Paris", "mon-fri": "09:00-18:00"})");
  config["bot"] = json::parse(R"({"greeting": "Hello! We answer {{hours.support}}.", "start": "when",
    "steps": {
      "when": {"branch": [{"when": {"all": [{"field": "open.support", "operator": "is", "value": true}]},
                           "goto": "handoff"}], "else": "closed"},
      "closed": {"message": "We are closed now; an agent will answer when we open.", "next": "handoff"},
      "handoff": {"handoff": {}}}})");
  DeskFixture f(config.dump());
  auto open = Say(f, "hello", "09:00:00");  // 10:00 in Paris, a Monday
  const auto* greeting = FindType(open, "bot.message_sent");
  BOOST_REQUIRE(greeting);
  BOOST_TEST((*greeting)["text"] == "Hello! We answer mon-fri 09:00-18:00 (Europe/Paris).");
  BOOST_TEST(BotSteps(open) == (Strings{"greeting", "handoff", "away"}), boost::test_tools::per_element());
  auto closed = Say(f, "hello", "20:00:00", "ben");  // 21:00 in Paris
  BOOST_TEST(BotSteps(closed) == (Strings{"greeting", "closed", "handoff", "away"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()
