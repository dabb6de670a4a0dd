// Commands of PROTOCOL.md, one JSON line each, turned into Command values by ParseCommand.
#include "events/command.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

#include "events/time.h"
#include "tests/support/vocabulary_io.h"

namespace {

using switchboard::Command;
using switchboard::CommandKind;
using switchboard::ParseCommand;
using Strings = std::vector<std::string>;

constexpr switchboard::Timestamp kNov23At9 = 1795424400000;  // 2026-11-23T09:00:00Z

// Readable failure output for a Command: the kind name and the rejection, if any.
std::string Describe(const Command& c) {
  return std::string(switchboard::CommandKindName(c.kind)) + " error=\"" + c.error + "\" field=\"" + c.error_field +
         "\"";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(command_parsing)

BOOST_AUTO_TEST_CASE(kind_names_are_the_protocol_names) {
  BOOST_TEST(switchboard::CommandKindName(CommandKind::kContactMessage) == "contact.message");
  BOOST_TEST(switchboard::CommandKindName(CommandKind::kTicketTransfer) == "ticket.transfer");
  BOOST_TEST(switchboard::CommandKindName(CommandKind::kConfigApply) == "config.apply");
  BOOST_TEST(switchboard::CommandKindName(CommandKind::kInvalid) == "invalid");
}

BOOST_AUTO_TEST_CASE(contact_message_with_profile) {
  Command c = ParseCommand(
      R"({"id":"c1","type":"contact.message","at":"2026-11-23T09:00:00Z","contact":"ann","channel":"messaging",)"
      R"("text":"Hello, my parcel is late","profile":{"name":"Ann","vip":true,"orders":3,"email":"ann@example.com"}})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kContactMessage));
  BOOST_TEST(c.id == "c1");
  BOOST_TEST_REQUIRE(c.at.has_value());
  BOOST_TEST(*c.at == kNov23At9);
  BOOST_TEST(c.contact == "ann");
  BOOST_TEST(c.channel == "messaging");
  BOOST_TEST(c.text == "Hello, my parcel is late");
  // Profile values are kept as JSON text, so their type survives.
  const std::map<std::string, std::string> expected{
      {"name", "\"Ann\""}, {"vip", "true"}, {"orders", "3"}, {"email", "\"ann@example.com\""}};
  BOOST_TEST((c.profile == expected));
  BOOST_TEST(c.error.empty());
  BOOST_TEST(c.error_field.empty());
}

BOOST_AUTO_TEST_CASE(contact_message_by_email_without_profile_or_at) {
  Command c = ParseCommand(R"({"id":"m-2","type":"contact.message","contact":"bob","channel":"email","text":""})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kContactMessage));
  BOOST_TEST(c.channel == "email");
  BOOST_TEST(!c.at.has_value());  // the wall clock will be used
  BOOST_TEST(c.text.empty());
  BOOST_TEST(c.profile.empty());
}

BOOST_AUTO_TEST_CASE(at_with_an_offset_is_kept_in_utc_milliseconds) {
  Command c = ParseCommand(R"({"id":"c1","type":"clock.advance","at":"2026-11-23T10:00:00.250+01:00"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kClockAdvance));
  BOOST_TEST(c.at.value_or(0) == kNov23At9 + 250);
}

BOOST_AUTO_TEST_CASE(agent_status) {
  for (const char* status : {"online", "away", "offline"}) {
    Command c =
        ParseCommand(std::string(R"({"id":"s1","type":"agent.status","agent":"alice","status":")") + status + "\"}");
    BOOST_TEST_INFO(Describe(c));
    BOOST_TEST_REQUIRE((c.kind == CommandKind::kAgentStatus));
    BOOST_TEST(c.agent == "alice");
    BOOST_TEST(c.presence == status);
  }
}

BOOST_AUTO_TEST_CASE(agent_accept) {
  Command c = ParseCommand(R"({"id":"a1","type":"agent.accept","agent":"alice","ticket":7})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kAgentAccept));
  BOOST_TEST(c.agent == "alice");
  BOOST_TEST(c.ticket == 7u);
}

BOOST_AUTO_TEST_CASE(agent_message_is_public_by_default) {
  Command c = ParseCommand(R"({"id":"r1","type":"agent.message","agent":"alice","ticket":1,"text":"On it!"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kAgentMessage));
  BOOST_TEST(c.agent == "alice");
  BOOST_TEST(c.ticket == 1u);
  BOOST_TEST(c.text == "On it!");
  BOOST_TEST(c.is_public);
}

BOOST_AUTO_TEST_CASE(agent_message_public_false_is_an_internal_note) {
  Command c = ParseCommand(
      R"({"id":"r2","type":"agent.message","agent":"bob","ticket":12,"text":"check the CRM","public":false})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kAgentMessage));
  BOOST_TEST(!c.is_public);
  BOOST_TEST(c.ticket == 12u);
  Command explicit_true =
      ParseCommand(R"({"id":"r3","type":"agent.message","agent":"bob","ticket":12,"text":"hi","public":true})");
  BOOST_TEST_REQUIRE((explicit_true.kind == CommandKind::kAgentMessage));
  BOOST_TEST(explicit_true.is_public);
}

BOOST_AUTO_TEST_CASE(ticket_update_with_every_field) {
  Command c = ParseCommand(
      R"({"id":"u1","type":"ticket.update","ticket":3,"agent":"alice","status":"pending","priority":"urgent",)"
      R"("group":"billing","assignee":"bob","tags_add":["vip","refund"],"tags_remove":["new"]})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kTicketUpdate));
  BOOST_TEST(c.ticket == 3u);
  BOOST_TEST(c.agent == "alice");
  BOOST_TEST(c.status == "pending");
  BOOST_TEST(c.priority == "urgent");
  BOOST_TEST(c.group.value_or("") == "billing");
  BOOST_TEST(c.assignee.value_or("") == "bob");
  BOOST_TEST(c.tags_add == (Strings{"vip", "refund"}), boost::test_tools::per_element());
  BOOST_TEST(c.tags_remove == (Strings{"new"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ticket_update_leaves_unmentioned_fields_absent) {
  Command c = ParseCommand(R"({"id":"u2","type":"ticket.update","ticket":3,"status":"on-hold"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kTicketUpdate));
  BOOST_TEST(c.status == "on-hold");
  BOOST_TEST(c.agent.empty());
  BOOST_TEST(!c.priority.has_value());
  BOOST_TEST(!c.group.has_value());
  BOOST_TEST(!c.assignee.has_value());
  BOOST_TEST(c.tags_add.empty());
  BOOST_TEST(c.tags_remove.empty());
}

BOOST_AUTO_TEST_CASE(ticket_update_accepts_every_status_and_priority) {
  for (const char* status : {"new", "open", "pending", "on-hold", "solved", "closed"}) {
    Command c = ParseCommand(std::string(R"({"id":"u","type":"ticket.update","ticket":1,"status":")") + status + "\"}");
    BOOST_TEST_INFO(status << ": " << Describe(c));
    BOOST_TEST((c.kind == CommandKind::kTicketUpdate));
    BOOST_TEST(c.status == status);
  }
  for (const char* priority : {"low", "normal", "high", "urgent"}) {
    Command c =
        ParseCommand(std::string(R"({"id":"u","type":"ticket.update","ticket":1,"priority":")") + priority + "\"}");
    BOOST_TEST_INFO(priority << ": " << Describe(c));
    BOOST_TEST((c.kind == CommandKind::kTicketUpdate));
    BOOST_TEST(c.priority == priority);
  }
}

BOOST_AUTO_TEST_CASE(ticket_update_assignee_null_means_unassign) {
  Command c = ParseCommand(R"({"id":"u3","type":"ticket.update","ticket":4,"assignee":null})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kTicketUpdate));
  BOOST_TEST_REQUIRE(c.assignee.has_value());  // mentioned...
  BOOST_TEST(c.assignee->empty());             // ...as "nobody"
}

BOOST_AUTO_TEST_CASE(ticket_transfer_to_an_agent_or_a_group) {
  Command to_agent = ParseCommand(
      R"({"id":"t1","type":"ticket.transfer","ticket":2,"agent":"alice","to_agent":"bob","note":"speaks German"})");
  BOOST_TEST_INFO(Describe(to_agent));
  BOOST_TEST_REQUIRE((to_agent.kind == CommandKind::kTicketTransfer));
  BOOST_TEST(to_agent.ticket == 2u);
  BOOST_TEST(to_agent.agent == "alice");
  BOOST_TEST(to_agent.to_agent == "bob");
  BOOST_TEST(to_agent.to_group.empty());
  BOOST_TEST(to_agent.note == "speaks German");

  Command to_group =
      ParseCommand(R"({"id":"t2","type":"ticket.transfer","ticket":2,"agent":"alice","to_group":"billing"})");
  BOOST_TEST_INFO(Describe(to_group));
  BOOST_TEST_REQUIRE((to_group.kind == CommandKind::kTicketTransfer));
  BOOST_TEST(to_group.to_group == "billing");
  BOOST_TEST(to_group.to_agent.empty());
  BOOST_TEST(to_group.note.empty());
}

BOOST_AUTO_TEST_CASE(session_end) {
  Command c = ParseCommand(R"({"id":"e1","type":"session.end","ticket":9,"agent":"alice"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kSessionEnd));
  BOOST_TEST(c.ticket == 9u);
  BOOST_TEST(c.agent == "alice");
}

BOOST_AUTO_TEST_CASE(csat_rate_good_and_bad) {
  Command good = ParseCommand(R"({"id":"q1","type":"csat.rate","ticket":5,"score":"good","comment":"quick!"})");
  BOOST_TEST_INFO(Describe(good));
  BOOST_TEST_REQUIRE((good.kind == CommandKind::kCsatRate));
  BOOST_TEST(good.ticket == 5u);
  BOOST_TEST(good.score == "good");
  BOOST_TEST(good.comment == "quick!");

  Command bad = ParseCommand(R"({"id":"q2","type":"csat.rate","ticket":6,"score":"bad"})");
  BOOST_TEST_INFO(Describe(bad));
  BOOST_TEST_REQUIRE((bad.kind == CommandKind::kCsatRate));
  BOOST_TEST(bad.score == "bad");
  BOOST_TEST(bad.comment.empty());
}

BOOST_AUTO_TEST_CASE(macro_apply) {
  Command c = ParseCommand(R"({"id":"x1","type":"macro.apply","ticket":1,"agent":"alice","macro":"end-notice"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kMacroApply));
  BOOST_TEST(c.ticket == 1u);
  BOOST_TEST(c.agent == "alice");
  BOOST_TEST(c.macro == "end-notice");
}

BOOST_AUTO_TEST_CASE(clock_advance) {
  Command c = ParseCommand(R"({"id":"k1","type":"clock.advance","at":"2026-11-23T09:00:00Z"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kClockAdvance));
  BOOST_TEST(c.at.value_or(0) == kNov23At9);
}

BOOST_AUTO_TEST_CASE(config_apply_keeps_the_document_as_json_text) {
  Command c = ParseCommand(
      R"({"id":"cfg","type":"config.apply","config":{"groups":[{"id":"support"}],"routing":{"fallback":"support"}}})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST_REQUIRE((c.kind == CommandKind::kConfigApply));
  const nlohmann::json doc = nlohmann::json::parse(c.config, nullptr, /*allow_exceptions=*/false);
  BOOST_TEST_REQUIRE(doc.is_object());
  BOOST_TEST((doc == nlohmann::json::parse(R"({"groups":[{"id":"support"}],"routing":{"fallback":"support"}})")));
}

BOOST_AUTO_TEST_CASE(the_kind_comes_from_type_whatever_the_key_order) {
  Command c = ParseCommand(R"({"ticket":1,"agent":"alice","type":"session.end","id":"z9"})");
  BOOST_TEST_INFO(Describe(c));
  BOOST_TEST((c.kind == CommandKind::kSessionEnd));
  BOOST_TEST(c.id == "z9");
}

// A line that cannot be understood: what the person sending it is told.
struct BadLine {
  const char* what;
  std::string line;
  std::string field;    // the exact error_field; empty when the whole line is at fault
  std::string mention;  // what the error sentence must contain, so a person sees what is wrong
};

BOOST_AUTO_TEST_CASE(bad_lines_are_rejected_with_the_field_at_fault) {
  const std::vector<BadLine> rows{
      {"not JSON", R"({"id":"c1","type":)", "", "JSON"},
      {"plain text", "hello engine", "", "JSON"},
      {"empty line", "", "", "JSON"},
      {"JSON array", R"([{"id":"c1","type":"clock.advance"}])", "", "object"},
      {"JSON string", R"("contact.message")", "", "object"},
      {"missing id", R"({"type":"agent.status","agent":"alice","status":"online"})", "id", "\"id\""},
      {"empty id", R"({"id":"","type":"agent.status","agent":"alice","status":"online"})", "id", "\"id\""},
      {"numeric id", R"({"id":17,"type":"agent.status","agent":"alice","status":"online"})", "id", "\"id\""},
      {"null id", R"({"id":null,"type":"agent.status","agent":"alice","status":"online"})", "id", "\"id\""},
      {"unknown type", R"({"id":"c1","type":"agent.dance","agent":"alice"})", "type", "agent.dance"},
      {"missing type", R"({"id":"c1","agent":"alice","status":"online"})", "type", "type"},
      {"type not a string", R"({"id":"c1","type":3})", "type", "type"},
      {"bad at", R"({"id":"c1","type":"clock.advance","at":"tomorrow at nine"})", "at", "\"at\""},
      {"at without zone", R"({"id":"c1","type":"clock.advance","at":"2026-11-23T09:00:00"})", "at", "\"at\""},
      {"at as a number", R"({"id":"c1","type":"clock.advance","at":1795424400000})", "at", "\"at\""},
      {"missing contact", R"({"id":"c1","type":"contact.message","channel":"messaging","text":"hi"})", "contact",
       "\"contact\""},
      {"empty contact", R"({"id":"c1","type":"contact.message","contact":"","channel":"messaging","text":"hi"})",
       "contact", "\"contact\""},
      {"missing channel", R"({"id":"c1","type":"contact.message","contact":"ann","text":"hi"})", "channel",
       "\"channel\""},
      {"missing text", R"({"id":"c1","type":"contact.message","contact":"ann","channel":"messaging"})", "text",
       "\"text\""},
      {"channel fax", R"({"id":"c1","type":"contact.message","contact":"ann","channel":"fax","text":"hi"})", "channel",
       "\"channel\""},
      {"profile not an object",
       R"({"id":"c1","type":"contact.message","contact":"ann","channel":"email","text":"hi","profile":"vip"})",
       "profile", "\"profile\""},
      {"agent.status busy", R"({"id":"c1","type":"agent.status","agent":"alice","status":"busy"})", "status",
       "\"status\""},
      {"agent.status without agent", R"({"id":"c1","type":"agent.status","status":"online"})", "agent", "\"agent\""},
      {"ticket as string", R"({"id":"c1","type":"agent.accept","agent":"alice","ticket":"1"})", "ticket", "\"ticket\""},
      {"ticket zero", R"({"id":"c1","type":"agent.accept","agent":"alice","ticket":0})", "ticket", "\"ticket\""},
      {"ticket negative", R"({"id":"c1","type":"agent.accept","agent":"alice","ticket":-3})", "ticket", "\"ticket\""},
      {"ticket fractional", R"({"id":"c1","type":"session.end","agent":"alice","ticket":1.5})", "ticket", "\"ticket\""},
      {"ticket missing", R"({"id":"c1","type":"session.end","agent":"alice"})", "ticket", "\"ticket\""},
      {"agent.message without text", R"({"id":"c1","type":"agent.message","agent":"alice","ticket":1})", "text",
       "\"text\""},
      {"public not boolean",
       R"({"id":"c1","type":"agent.message","agent":"alice","ticket":1,"text":"hi","public":"no"})", "public",
       "\"public\""},
      {"ticket.update status weird", R"({"id":"c1","type":"ticket.update","ticket":1,"status":"weird"})", "status",
       "\"status\""},
      {"ticket.update priority meh", R"({"id":"c1","type":"ticket.update","ticket":1,"priority":"meh"})", "priority",
       "\"priority\""},
      {"tags_add not a list", R"({"id":"c1","type":"ticket.update","ticket":1,"tags_add":"vip"})", "tags_add",
       "\"tags_add\""},
      {"tags_remove with a number", R"({"id":"c1","type":"ticket.update","ticket":1,"tags_remove":["vip",2]})",
       "tags_remove", "\"tags_remove\""},
      {"assignee a number", R"({"id":"c1","type":"ticket.update","ticket":1,"assignee":5})", "assignee",
       "\"assignee\""},
      {"transfer to both",
       R"({"id":"c1","type":"ticket.transfer","ticket":1,"agent":"alice","to_agent":"bob","to_group":"billing"})",
       "to_agent", "\"to_group\""},
      {"transfer to neither", R"({"id":"c1","type":"ticket.transfer","ticket":1,"agent":"alice"})", "to_agent",
       "\"to_agent\""},
      {"csat score great", R"({"id":"c1","type":"csat.rate","ticket":1,"score":"great"})", "score", "\"score\""},
      {"macro.apply without macro", R"({"id":"c1","type":"macro.apply","ticket":1,"agent":"alice"})", "macro",
       "\"macro\""},
      {"clock.advance without at", R"({"id":"c1","type":"clock.advance"})", "at", "\"at\""},
      {"config.apply without config", R"({"id":"c1","type":"config.apply"})", "config", "\"config\""},
      {"config.apply with a string config", R"({"id":"c1","type":"config.apply","config":"{\"groups\":[]}"})", "config",
       "\"config\""},
      {"config.apply with a list config", R"({"id":"c1","type":"config.apply","config":[]})", "config", "\"config\""},
  };
  BOOST_TEST(rows.size() >= 20u);
  for (const BadLine& row : rows) {
    BOOST_TEST_CONTEXT(row.what << ": " << row.line) {
      Command c = ParseCommand(row.line);
      BOOST_TEST_INFO(Describe(c));
      BOOST_TEST((c.kind == CommandKind::kInvalid));
      BOOST_TEST(c.error_field == row.field);
      BOOST_TEST(!c.error.empty());
      BOOST_TEST(c.error.find(row.mention) != std::string::npos);
      if (!row.field.empty()) BOOST_TEST(c.error.find(row.field) != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_rejected_line_keeps_its_id_for_the_rejection_event) {
  // The engine answers with command.rejected naming `cmd`, so the id must survive a field error.
  Command c = ParseCommand(R"({"id":"c42","type":"csat.rate","ticket":1,"score":"great"})");
  BOOST_TEST((c.kind == CommandKind::kInvalid));
  BOOST_TEST(c.id == "c42");
}

BOOST_AUTO_TEST_CASE(the_bad_value_is_quoted_back_to_the_sender) {
  Command status = ParseCommand(R"({"id":"c1","type":"agent.status","agent":"alice","status":"busy"})");
  BOOST_TEST(status.error.find("busy") != std::string::npos);
  Command at = ParseCommand(R"({"id":"c1","type":"clock.advance","at":"tomorrow"})");
  BOOST_TEST(at.error.find("tomorrow") != std::string::npos);
  Command type = ParseCommand(R"({"id":"c1","type":"ticket.explode","ticket":1})");
  BOOST_TEST(type.error.find("ticket.explode") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_line_nested_100000_deep_is_refused_naming_the_field_before_anything_recursive_runs) {
  const std::string deep(100000, '[');
  Command profile = ParseCommand(R"({"id":"d1","type":"contact.message","contact":"ann","channel":"messaging",)"
                                 R"("text":"hi","profile":{"x":)" +
                                 deep + "}}");
  BOOST_TEST_INFO(Describe(profile));
  BOOST_TEST((profile.kind == CommandKind::kInvalid));
  BOOST_TEST(profile.error_field == "profile");
  BOOST_TEST(profile.error.find("deeper than 64") != std::string::npos);
  BOOST_TEST(profile.recovered_id == "d1");
  Command config = ParseCommand(R"({"id":"d2","type":"config.apply","config":{"groups":)" + deep);
  BOOST_TEST(config.error_field == "config");
  // 64 levels are fine: the limit is documented, not a guess.
  std::string ok =
      R"({"id":"d3","type":"contact.message","contact":"ann","channel":"messaging","text":"hi","profile":{"x":)";
  ok += std::string(62, '[') + std::string(62, ']') + "}}";
  BOOST_TEST((ParseCommand(ok).kind == CommandKind::kContactMessage), Describe(ParseCommand(ok)));
}

BOOST_AUTO_TEST_CASE(a_line_that_is_not_json_is_answered_with_the_parsers_position_and_the_id_it_carries) {
  Command c = ParseCommand(R"({"id": "c7", "type": "agent.status", "agent": alice})");
  BOOST_TEST((c.kind == CommandKind::kInvalid));
  BOOST_TEST(c.id.empty());  // not an idempotency key: the corrected line is applied
  BOOST_TEST(c.recovered_id == "c7");
  BOOST_TEST(c.error.find("not valid JSON") != std::string::npos, c.error);
  BOOST_TEST(c.error.find("at byte 47: syntax error") != std::string::npos, c.error);
  Command none = ParseCommand("hello");
  BOOST_TEST(none.recovered_id.empty());
  BOOST_TEST(none.error.find("at byte ") != std::string::npos, none.error);
}

BOOST_AUTO_TEST_SUITE_END()
