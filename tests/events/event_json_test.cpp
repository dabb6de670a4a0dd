// Events as the JSON lines of PROTOCOL.md, rendered from the schema by reflection, and the codec
// that stores them.
#include "events/event_json.h"

#include <boost/test/unit_test.hpp>
#include <flatbuffers/flatbuffers.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "events/codec.h"
#include "events/event.h"
#include "events/time.h"
#include "events/value.h"

namespace {

namespace fb = switchboard::fb;
using switchboard::Event;
using switchboard::EventToJson;
using switchboard::MakeEvent;

constexpr switchboard::Timestamp kNov23At9 = 1795424400000;  // 2026-11-23T09:00:00Z

// A change as builds before the typed-events change wrote it: JSON text in the deprecated fields.
std::unique_ptr<fb::ChangeT> Change(std::string field, std::string before, std::string after) {
  auto c = std::make_unique<fb::ChangeT>();
  c->field = std::move(field);
  c->before = std::move(before);
  c->after = std::move(after);
  return c;
}

// A change as writers build it now: typed values only.
std::unique_ptr<fb::ChangeT> TypedChange(std::string field, const nlohmann::json& before, const nlohmann::json& after) {
  auto c = std::make_unique<fb::ChangeT>();
  c->field = std::move(field);
  c->before_value = switchboard::TypedValue(before);
  c->after_value = switchboard::TypedValue(after);
  return c;
}

Event TicketUpdated(std::vector<std::unique_ptr<fb::ChangeT>> changes) {
  fb::TicketUpdatedT p;
  p.changes = std::move(changes);
  Event e = MakeEvent(std::move(p));
  e.seq = 9;
  e.at = kNov23At9;
  e.cmd = "u1";
  e.ticket = 4;
  e.agent = "alice";
  return e;
}

// A contact.updated as builds before the typed-events change wrote it (`text`) or as writers do now.
Event ContactUpdated(const std::string& text, std::unique_ptr<fb::ValueT> typed) {
  fb::ContactUpdatedT p;
  p.profile = text;
  p.profile_value = std::move(typed);
  Event e = MakeEvent(std::move(p));
  e.seq = 3;
  e.at = kNov23At9;
  e.cmd = "c1";
  e.contact = "ann";
  return e;
}

// JSON nested `depth` arrays deep around a string.
nlohmann::json Nested(int depth) {
  nlohmann::json j = "bottom";
  for (int i = 0; i < depth; ++i) j = nlohmann::json::array({j});
  return j;
}

std::unique_ptr<fb::CandidateT> Candidate(std::string agent, bool eligible, std::string reason) {
  auto c = std::make_unique<fb::CandidateT>();
  c->agent = std::move(agent);
  c->eligible = eligible;
  c->reason = std::move(reason);
  return c;
}

// A buffer whose payload is an empty table of union member `type` (every field at its default).
std::string BufferWithEmptyPayload(fb::Payload type) {
  flatbuffers::FlatBufferBuilder b;
  const flatbuffers::uoffset_t start = b.StartTable();
  const flatbuffers::Offset<void> payload(b.EndTable(start));
  b.Finish(fb::CreateEvent(b, /*seq=*/1, /*at=*/kNov23At9, /*cmd=*/0, /*rule=*/0, /*conversation=*/0, /*ticket=*/0,
                           /*contact=*/0, /*agent=*/0, type, payload));
  return std::string(reinterpret_cast<const char*>(b.GetBufferPointer()), b.GetSize());
}

bool IsDottedLowercaseName(const std::string& name) {
  if (name.find('.') == std::string::npos || name.front() == '.' || name.back() == '.') return false;
  for (char ch : name) {
    if (!((ch >= 'a' && ch <= 'z') || ch == '.' || ch == '_')) return false;
  }
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(event_json)

BOOST_AUTO_TEST_CASE(conversation_started_envelope_then_payload) {
  fb::ConversationStartedT p;
  p.channel = "messaging";
  Event e = MakeEvent(std::move(p));
  e.seq = 1;
  e.at = kNov23At9;
  e.cmd = "c1";
  e.conversation = 1;
  e.contact = "ann";
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":1,"type":"conversation.started","at":"2026-11-23T09:00:00Z","cmd":"c1","rule":null,)"
             R"("conversation":1,"contact":"ann","channel":"messaging"})");
}

BOOST_AUTO_TEST_CASE(every_envelope_id_in_order_and_a_rule) {
  fb::TicketCreatedT p;
  p.channel = "email";
  Event e = MakeEvent(std::move(p));
  e.seq = 42;
  e.at = kNov23At9 + 7;
  e.cmd = "c9";
  e.rule = "vip-escalate";
  e.conversation = 3;
  e.ticket = 2;
  e.contact = "ann";
  e.agent = "alice";
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":42,"type":"ticket.created","at":"2026-11-23T09:00:00.007Z","cmd":"c9","rule":"vip-escalate",)"
             R"("conversation":3,"ticket":2,"contact":"ann","agent":"alice","channel":"email"})");
}

BOOST_AUTO_TEST_CASE(message_added_internal_note_prints_public_false) {
  fb::MessageAddedT p;
  p.author = "agent:alice";
  p.public_ = false;
  p.text = "check the CRM first";
  Event e = MakeEvent(std::move(p));
  e.seq = 5;
  e.at = kNov23At9;
  e.cmd = "c3";
  e.ticket = 1;
  e.agent = "alice";
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":5,"type":"message.added","at":"2026-11-23T09:00:00Z","cmd":"c3","rule":null,)"
             R"("ticket":1,"agent":"alice","author":"agent:alice","public":false,"text":"check the CRM first"})");
}

BOOST_AUTO_TEST_CASE(message_added_public_by_default_prints_public_true) {
  fb::MessageAddedT p;
  p.author = "contact";
  p.text = "hi";
  Event e = MakeEvent(std::move(p));
  e.seq = 2;
  e.at = kNov23At9;
  e.cmd = "c1";
  e.conversation = 1;
  e.contact = "ann";
  BOOST_TEST(EventToJson(e) == R"({"seq":2,"type":"message.added","at":"2026-11-23T09:00:00Z","cmd":"c1","rule":null,)"
                               R"("conversation":1,"contact":"ann","author":"contact","public":true,"text":"hi"})");
}

BOOST_AUTO_TEST_CASE(ticket_updated_changes_render_as_a_map_of_before_after_json_values) {
  fb::TicketUpdatedT p;
  p.changes.push_back(Change("priority", "\"normal\"", "\"high\""));
  p.changes.push_back(Change("tags", "[]", R"(["vip","refund"])"));
  p.changes.push_back(Change("group", "", "\"billing\""));  // no group before: null
  Event e = MakeEvent(std::move(p));
  e.seq = 9;
  e.at = kNov23At9;
  e.cmd = "u1";
  e.ticket = 4;
  e.agent = "alice";
  const std::string json = EventToJson(e);
  BOOST_TEST(json == R"({"seq":9,"type":"ticket.updated","at":"2026-11-23T09:00:00Z","cmd":"u1","rule":null,)"
                     R"("ticket":4,"agent":"alice","changes":{"priority":["normal","high"],)"
                     R"("tags":[[],["vip","refund"]],"group":[null,"billing"]}})");
  // And it is JSON a client can read back into the same values.
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  BOOST_TEST_REQUIRE(doc.is_object());
  BOOST_TEST((doc["changes"]["tags"][1] == nlohmann::json::array({"vip", "refund"})));
  BOOST_TEST(doc["changes"]["group"][0].is_null());
}

BOOST_AUTO_TEST_CASE(ticket_updated_with_typed_values_prints_the_same_json_as_the_old_text_fields) {
  std::vector<std::unique_ptr<fb::ChangeT>> typed;
  typed.push_back(TypedChange("priority", "normal", "high"));
  typed.push_back(TypedChange("tags", nlohmann::json::array(), {"vip", "refund"}));
  typed.push_back(TypedChange("group", nullptr, "billing"));
  std::vector<std::unique_ptr<fb::ChangeT>> old;
  old.push_back(Change("priority", "\"normal\"", "\"high\""));
  old.push_back(Change("tags", "[]", R"(["vip","refund"])"));
  old.push_back(Change("group", "null", "\"billing\""));
  const std::string expected = R"({"seq":9,"type":"ticket.updated","at":"2026-11-23T09:00:00Z","cmd":"u1","rule":null,)"
                               R"("ticket":4,"agent":"alice","changes":{"priority":["normal","high"],)"
                               R"("tags":[[],["vip","refund"]],"group":[null,"billing"]}})";
  BOOST_TEST(EventToJson(TicketUpdated(std::move(typed))) == expected);
  BOOST_TEST(EventToJson(TicketUpdated(std::move(old))) == expected);
}

BOOST_AUTO_TEST_CASE(ticket_updated_typed_value_wins_over_old_text_in_the_same_change) {
  auto both = Change("group", "\"stale\"", "\"stale\"");
  both->before_value = switchboard::TypedValue("support");
  both->after_value = switchboard::TypedValue("billing");
  std::vector<std::unique_ptr<fb::ChangeT>> changes;
  changes.push_back(std::move(both));
  BOOST_TEST(EventToJson(TicketUpdated(std::move(changes))).find(R"("changes":{"group":["support","billing"]})") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(contact_updated_with_a_typed_profile_prints_the_same_json_as_the_old_text) {
  // Every JSON kind a command's profile may carry, the numbers in each of JSON's forms, escapes and
  // non-ASCII text: the typed form must print the bytes the old text held (nlohmann's dump of it).
  const std::string line =
      R"({"name":"Ann \"A\" \u00d3 Ó \u0001\b\/","vip":true,"opt_out":false,"none":null,"age":42,"debt":-7,)"
      R"("big":18446744073709551615,"score":4.50,"exp":1e2,"tiny":-0.0,"tags":["a","b"],"mixed":[1,"x",[],{}],)"
      R"("address":{"city":"Lyon","zip":"69001","geo":{"lat":45.76,"lon":4.83}},"empty":{}})";
  const nlohmann::json profile = nlohmann::json::parse(line);
  const std::string old_json = EventToJson(ContactUpdated(profile.dump(), nullptr));
  const std::string typed_json = EventToJson(ContactUpdated("", switchboard::TypedValue(profile)));
  BOOST_TEST(typed_json == old_json);
  BOOST_TEST(typed_json.find(R"("profile":{"address":{"city":"Lyon")") != std::string::npos);
  BOOST_TEST(typed_json.find(R"("exp":100.0)") != std::string::npos);
  BOOST_TEST(typed_json.find(R"("big":18446744073709551615)") != std::string::npos);
  BOOST_TEST(typed_json.find(R"("tiny":-0.0)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(contact_updated_typed_profile_survives_the_codec_and_the_old_one_still_decodes) {
  const nlohmann::json profile = {{"name", "Ann"}, {"tags", {"vip"}}, {"age", 42}};
  Event typed = ContactUpdated("", switchboard::TypedValue(profile));
  Event back;
  BOOST_TEST_REQUIRE(switchboard::DecodeEvent(switchboard::EncodeEvent(typed), &back).ok());
  const fb::ContactUpdatedT* p = back.payload.AsContactUpdated();
  BOOST_TEST_REQUIRE(p != nullptr);
  BOOST_TEST(p->profile.empty());  // writers leave the deprecated text unset
  BOOST_TEST_REQUIRE((p->profile_value != nullptr));
  BOOST_TEST(switchboard::ProfileOf(*p) == profile);
  BOOST_TEST(EventToJson(back) == EventToJson(typed));

  Event old = ContactUpdated(profile.dump(), nullptr);
  BOOST_TEST_REQUIRE(switchboard::DecodeEvent(switchboard::EncodeEvent(old), &back).ok());
  BOOST_TEST((back.payload.AsContactUpdated()->profile_value == nullptr));
  BOOST_TEST(switchboard::ProfileOf(*back.payload.AsContactUpdated()) == profile);
  BOOST_TEST(EventToJson(back) == EventToJson(typed));
}

BOOST_AUTO_TEST_CASE(ticket_updated_old_text_and_typed_values_read_back_as_the_same_json) {
  const auto old = Change("tags", "[]", R"(["vip"])");
  const auto typed = TypedChange("tags", nlohmann::json::array(), {"vip"});
  BOOST_TEST(switchboard::BeforeOf(*old) == switchboard::BeforeOf(*typed));
  BOOST_TEST(switchboard::AfterOf(*old) == switchboard::AfterOf(*typed));
  BOOST_TEST(switchboard::AfterOf(*typed) == nlohmann::json({"vip"}));
}

BOOST_AUTO_TEST_CASE(a_profile_nested_as_deep_as_a_command_may_be_verified_and_printed) {
  // The command is level 1 and its profile level 2, so the deepest value a command may carry
  // (kMaxJsonDepth) is 62 arrays under the profile: typed, that is deeper than FlatBuffers'
  // default verifier limit of 64 tables.
  const nlohmann::json profile = {{"deep", Nested(62)}};
  Event e = ContactUpdated("", switchboard::TypedValue(profile));
  const std::string bytes = switchboard::EncodeEvent(e);
  BOOST_TEST_REQUIRE(switchboard::VerifyEvent(bytes) != nullptr);
  Event back;
  BOOST_TEST_REQUIRE(switchboard::DecodeEvent(bytes, &back).ok());
  BOOST_TEST(switchboard::ProfileOf(*back.payload.AsContactUpdated()) == profile);
  BOOST_TEST(EventToJson(back) == EventToJson(ContactUpdated(profile.dump(), nullptr)));
}

BOOST_AUTO_TEST_CASE(ticket_updated_without_changes_prints_an_empty_object) {
  Event e = MakeEvent(fb::TicketUpdatedT{});
  e.seq = 1;
  e.at = 0;
  e.ticket = 1;
  BOOST_TEST(EventToJson(e) == R"({"seq":1,"type":"ticket.updated","at":"1970-01-01T00:00:00Z","cmd":null,"rule":null,)"
                               R"("ticket":1,"changes":{}})");
}

BOOST_AUTO_TEST_CASE(routing_decided_lists_candidates_as_objects_and_chosen_null) {
  fb::RoutingDecidedT p;
  p.group = "support";
  p.style = "omnichannel";
  p.candidates.push_back(Candidate("alice", false, "offline"));
  p.candidates.push_back(Candidate("bob", false, "at_capacity"));
  Event e = MakeEvent(std::move(p));
  e.seq = 7;
  e.at = kNov23At9;
  e.cmd = "c1";
  e.ticket = 1;
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":7,"type":"routing.decided","at":"2026-11-23T09:00:00Z","cmd":"c1","rule":null,"ticket":1,)"
             R"("group":"support","style":"omnichannel","chosen":null,"candidates":[)"
             R"({"agent":"alice","eligible":false,"reason":"offline"},)"
             R"({"agent":"bob","eligible":false,"reason":"at_capacity"}]})");
}

BOOST_AUTO_TEST_CASE(routing_decided_with_a_chosen_agent_and_no_candidates) {
  fb::RoutingDecidedT p;
  p.group = "support";
  p.style = "assignment";
  p.chosen = "carol";
  p.candidates.push_back(Candidate("carol", true, ""));
  Event e = MakeEvent(std::move(p));
  e.seq = 8;
  e.at = kNov23At9;
  e.ticket = 2;
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":8,"type":"routing.decided","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,"ticket":2,)"
             R"("group":"support","style":"assignment","chosen":"carol","candidates":[)"
             R"({"agent":"carol","eligible":true,"reason":null}]})");
}

BOOST_AUTO_TEST_CASE(config_applied_does_not_print_the_hidden_document) {
  fb::ConfigAppliedT p;
  p.version = 2;
  p.digest = "0123456789abcdef";
  p.document = R"({"groups":[{"id":"secret-group"}]})";
  Event e = MakeEvent(std::move(p));
  e.seq = 3;
  e.at = kNov23At9;
  e.cmd = "cfg-2";
  const std::string json = EventToJson(e);
  BOOST_TEST(json == R"({"seq":3,"type":"config.applied","at":"2026-11-23T09:00:00Z","cmd":"cfg-2","rule":null,)"
                     R"("version":2,"digest":"0123456789abcdef"})");
  BOOST_TEST(json.find("secret-group") == std::string::npos);
  BOOST_TEST(json.find("document") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(command_rejected_for_a_line_without_id_has_cmd_and_rule_null) {
  fb::CommandRejectedT p;
  p.error = "the line is not valid JSON";
  Event e = MakeEvent(std::move(p));
  e.seq = 11;
  e.at = kNov23At9;
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":11,"type":"command.rejected","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,)"
             R"("error":"the line is not valid JSON","field":null})");
}

BOOST_AUTO_TEST_CASE(command_rejected_names_the_field) {
  fb::CommandRejectedT p;
  p.error = R"(field "score" must be one of good, bad; got "great")";
  p.field = "score";
  Event e = MakeEvent(std::move(p));
  e.seq = 12;
  e.at = kNov23At9;
  e.cmd = "q1";
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":12,"type":"command.rejected","at":"2026-11-23T09:00:00Z","cmd":"q1","rule":null,)"
             R"("error":"field \"score\" must be one of good, bad; got \"great\"","field":"score"})");
}

BOOST_AUTO_TEST_CASE(text_is_escaped_as_a_json_string) {
  fb::MessageAddedT p;
  p.author = "contact";
  p.text = "She said \"hi\" \\ then\nleft\ttab\r\x01 end";
  Event e = MakeEvent(std::move(p));
  e.seq = 1;
  e.at = kNov23At9;
  e.cmd = "c\"1";
  e.conversation = 1;
  e.contact = "ann";
  const std::string json = EventToJson(e);
  BOOST_TEST(json == R"({"seq":1,"type":"message.added","at":"2026-11-23T09:00:00Z","cmd":"c\"1","rule":null,)"
                     R"("conversation":1,"contact":"ann","author":"contact","public":true,)"
                     R"("text":"She said \"hi\" \\ then\nleft\ttab\r\u0001 end"})");
  const nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  BOOST_TEST_REQUIRE(doc.is_object());
  BOOST_TEST(doc["text"].get<std::string>() == "She said \"hi\" \\ then\nleft\ttab\r\x01 end");
}

BOOST_AUTO_TEST_CASE(append_json_string_escapes_control_characters_and_keeps_utf8) {
  std::string out = "x=";
  switchboard::AppendJsonString(out, std::string("a\0b\x1f\"\\ \xc3\xa9", 9));
  BOOST_TEST(out == "x=\"a\\u0000b\\u001f\\\"\\\\ \xc3\xa9\"");
}

BOOST_AUTO_TEST_CASE(json_valued_fields_are_printed_as_json) {
  fb::BotAnswerSavedT p;
  p.key = "contact.vip";
  p.value = "true";
  Event e = MakeEvent(std::move(p));
  e.seq = 4;
  e.at = kNov23At9;
  e.cmd = "c2";
  e.conversation = 1;
  BOOST_TEST(EventToJson(e) ==
             R"({"seq":4,"type":"bot.answer_saved","at":"2026-11-23T09:00:00Z","cmd":"c2","rule":null,)"
             R"("conversation":1,"key":"contact.vip","value":true})");
}

BOOST_AUTO_TEST_CASE(numbers_and_string_lists) {
  fb::TicketQueuedT q;
  q.group = "support";
  q.position = 3;
  q.estimated_wait_s = 240;
  Event queued = MakeEvent(std::move(q));
  queued.seq = 6;
  queued.at = kNov23At9;
  queued.ticket = 5;
  BOOST_TEST(EventToJson(queued) ==
             R"({"seq":6,"type":"ticket.queued","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,"ticket":5,)"
             R"("group":"support","position":3,"estimated_wait_s":240})");

  fb::AgentLoadChangedT l;
  l.channel = "messaging";
  l.load = -1;  // a signed field stays signed
  l.capacity = 3;
  Event load = MakeEvent(std::move(l));
  load.seq = 7;
  load.at = kNov23At9;
  load.agent = "alice";
  BOOST_TEST(EventToJson(load) ==
             R"({"seq":7,"type":"agent.load_changed","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,)"
             R"("agent":"alice","channel":"messaging","load":-1,"capacity":3})");

  fb::ArticlesSuggestedT a;
  a.articles = {"shipping", "returns"};
  Event articles = MakeEvent(std::move(a));
  articles.seq = 8;
  articles.at = kNov23At9;
  articles.conversation = 2;
  BOOST_TEST(EventToJson(articles) ==
             R"({"seq":8,"type":"articles.suggested","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,)"
             R"("conversation":2,"articles":["shipping","returns"]})");

  Event none = MakeEvent(fb::RuleLoopStoppedT{});
  none.seq = 9;
  none.at = kNov23At9;
  none.ticket = 1;
  BOOST_TEST(EventToJson(none) ==
             R"({"seq":9,"type":"rule.loop_stopped","at":"2026-11-23T09:00:00Z","cmd":null,"rule":null,)"
             R"("ticket":1,"rules":[]})");
}

BOOST_AUTO_TEST_CASE(event_type_names_come_from_the_schema) {
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::ConversationStarted) == "conversation.started");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::TicketCreated) == "ticket.created");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::TicketOfferWithdrawn) == "ticket.offer_withdrawn");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::RoutingDecided) == "routing.decided");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::ConversationSelfSolved) == "conversation.self_solved");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::CommandRejected) == "command.rejected");
  BOOST_TEST(switchboard::EventTypeName(fb::Payload::ConfigApplied) == "config.applied");
}

BOOST_AUTO_TEST_CASE(every_payload_in_the_union_renders_with_a_dotted_type_name) {
  std::set<std::string> seen;
  for (int v = 1; v <= static_cast<int>(fb::Payload::MAX); ++v) {
    const auto type = static_cast<fb::Payload>(v);
    BOOST_TEST_CONTEXT("payload " << fb::EnumNamePayload(type)) {
      const std::string bytes = BufferWithEmptyPayload(type);
      BOOST_TEST_REQUIRE(switchboard::VerifyEvent(bytes) != nullptr);
      const std::string json = switchboard::EventBufferToJson(bytes);
      BOOST_TEST_INFO("rendered " << json);
      const nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
      BOOST_TEST_REQUIRE(doc.is_object());
      BOOST_TEST_REQUIRE(doc["type"].is_string());
      const std::string name = doc["type"].get<std::string>();
      BOOST_TEST(IsDottedLowercaseName(name));
      BOOST_TEST(name == std::string(switchboard::EventTypeName(type)));
      BOOST_TEST(seen.insert(name).second, "type name " << name << " is used by two payloads");
      BOOST_TEST(doc["seq"] == 1);
      BOOST_TEST(doc["at"] == "2026-11-23T09:00:00Z");
      BOOST_TEST(doc["cmd"].is_null());
      BOOST_TEST(doc["rule"].is_null());
    }
  }
}

BOOST_AUTO_TEST_CASE(encode_then_decode_round_trips) {
  fb::RoutingDecidedT p;
  p.group = "support";
  p.style = "broadcast";
  p.chosen = "bob";
  p.candidates.push_back(Candidate("alice", false, "language"));
  p.candidates.push_back(Candidate("bob", true, ""));
  Event e = MakeEvent(std::move(p));
  e.seq = 123456789012ull;
  e.at = kNov23At9 + 321;
  e.cmd = "c-77";
  e.rule = "trig";
  e.conversation = 4;
  e.ticket = 5;
  e.contact = "ann";
  e.agent = "bob";

  const std::string bytes = switchboard::EncodeEvent(e);
  BOOST_TEST_REQUIRE(switchboard::VerifyEvent(bytes) != nullptr);
  Event back;
  switchboard::Status s = switchboard::DecodeEvent(bytes, &back);
  BOOST_TEST_REQUIRE(s.ok(), s.ToString());
  BOOST_TEST(back.seq == e.seq);
  BOOST_TEST(back.at == e.at);
  BOOST_TEST(back.cmd == "c-77");
  BOOST_TEST(back.rule == "trig");
  BOOST_TEST(back.conversation == 4u);
  BOOST_TEST(back.ticket == 5u);
  BOOST_TEST(back.contact == "ann");
  BOOST_TEST(back.agent == "bob");
  BOOST_TEST_REQUIRE((back.payload.type == fb::Payload::RoutingDecided));
  const fb::RoutingDecidedT* r = back.payload.AsRoutingDecided();
  BOOST_TEST_REQUIRE(r != nullptr);
  BOOST_TEST(r->group == "support");
  BOOST_TEST(r->style == "broadcast");
  BOOST_TEST(r->chosen == "bob");
  BOOST_TEST_REQUIRE(r->candidates.size() == 2u);
  BOOST_TEST(r->candidates[0]->agent == "alice");
  BOOST_TEST(!r->candidates[0]->eligible);
  BOOST_TEST(r->candidates[0]->reason == "language");
  BOOST_TEST(r->candidates[1]->eligible);
  BOOST_TEST(EventToJson(back) == EventToJson(e));
  BOOST_TEST(switchboard::EncodeEvent(back) == bytes);
}

BOOST_AUTO_TEST_CASE(decode_overwrites_whatever_the_output_held) {
  Event old = MakeEvent(fb::TicketAssignedT{});
  old.seq = 99;
  old.agent = "stale";
  fb::CsatRatedT p;
  p.score = "good";
  Event e = MakeEvent(std::move(p));
  e.seq = 1;
  e.ticket = 3;
  BOOST_TEST_REQUIRE(switchboard::DecodeEvent(switchboard::EncodeEvent(e), &old).ok());
  BOOST_TEST(old.seq == 1u);
  BOOST_TEST(old.agent.empty());
  BOOST_TEST((old.payload.type == fb::Payload::CsatRated));
}

BOOST_AUTO_TEST_CASE(decode_refuses_garbage_and_truncated_buffers_as_corruption) {
  fb::MessageAddedT p;
  p.author = "contact";
  p.text = "a message long enough that cutting the buffer loses part of it";
  Event e = MakeEvent(std::move(p));
  e.seq = 1;
  e.cmd = "c1";
  const std::string bytes = switchboard::EncodeEvent(e);

  std::string wild_root = bytes;
  for (int i = 0; i < 4; ++i) wild_root[i] = '\xff';  // the root offset points far outside the buffer

  const std::pair<const char*, std::string> bad[] = {
      {"text", "this is not an event buffer at all"},  {"empty", std::string()},
      {"three bytes", std::string("\x01\x02\x03", 3)}, {"first half", bytes.substr(0, bytes.size() / 2)},
      {"root offset out of range", wild_root},
  };
  for (const auto& [what, data] : bad) {
    BOOST_TEST_CONTEXT(what) {
      Event out;
      switchboard::Status s = switchboard::DecodeEvent(data, &out);
      BOOST_TEST(!s.ok());
      BOOST_TEST(s.IsCorruption());
      BOOST_TEST(!s.message().empty());
      BOOST_TEST(switchboard::VerifyEvent(data) == nullptr);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
