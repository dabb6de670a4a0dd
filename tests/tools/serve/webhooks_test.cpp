// Outbound webhooks (tools/serve/webhooks.h), delivered by a real server over a real engine in a
// temporary directory to real receivers on 127.0.0.1 that answer, fail, hang, go down and come back
// (tests/support/webhook_receiver.h): signed, in log order, at least once, resumed after a restart
// from the durable cursor, held back by the circuit breaker and resumed; and their configuration.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>
#include <string>
#include <vector>

#include "switchboard/engine.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"
#include "tools/serve/server.h"
#include "tools/serve/signing.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::Delivery;
using switchboard::testing::Eventually;
using switchboard::testing::TempDir;
using switchboard::testing::WebhookReceiver;

namespace {

const char* kSecret = "a-webhook-secret-of-some-length";

std::string ConfigWithWebhook(std::uint16_t port, const json& events) {
  json config = json::parse(R"({"groups": [{"id": "support"}],
      "agents": [{"id": "alice", "groups": ["support"]}]})");
  config["webhooks"] = json::array({{{"id", "crm"},
                                     {"url", "http://127.0.0.1:" + std::to_string(port) + "/hook"},
                                     {"events", events},
                                     {"secret", kSecret}}});
  return config.dump();
}

serve::ServeLimits Quick() {
  serve::ServeLimits limits;
  limits.webhooks.request_timeout_ms = 300;
  limits.webhooks.first_retry_ms = 10;
  limits.webhooks.max_retry_ms = 50;
  limits.webhooks.breaker_failures = 1000;
  return limits;
}

std::string ContactSays(const std::string& id, const std::string& contact, const std::string& time) {
  return json{{"id", id},        {"type", "contact.message"},       {"contact", contact}, {"channel", "messaging"},
              {"text", "Hello"}, {"at", "2026-11-23T" + time + "Z"}}
      .dump();
}

// An engine and its server, in `dir`, that a test may stop and start again (a restart).
class Desk {
 public:
  Desk(const TempDir& dir, const std::string& config, serve::ServeLimits limits) : dir_(dir), limits_(limits) {
    Start(config);
  }
  ~Desk() { Stop(); }
  void Start(const std::string& config = "") {
    Options options;
    options.db_path = dir_.Sub("db");
    options.config_json = config;
    BOOST_REQUIRE(Engine::Open(options, &engine_).ok());
    BOOST_REQUIRE(serve::HttpServer::Start(engine_.get(), "127.0.0.1", 0, limits_, &server_).ok());
  }
  void Stop() {
    if (server_) server_->Stop();
    server_.reset();
    engine_.reset();
  }
  Engine& engine() { return *engine_; }
  std::uint16_t port() const { return server_->port(); }
  // The events of the log of these types (or families, "ticket.*"), as JSON, in log order: what the webhook must
  // deliver.
  std::vector<std::string> EventsOf(const std::vector<std::string>& types, std::uint64_t after = 0) {
    std::vector<std::string> out;
    BOOST_REQUIRE(engine_
                      ->ReadEvents(after + 1,
                                   [&](const std::string& e) {
                                     std::string type = json::parse(e)["type"];
                                     for (const std::string& t : types) {
                                       const bool family = t.size() > 2 && t.compare(t.size() - 2, 2, ".*") == 0;
                                       if (t == type || (family && type.rfind(t.substr(0, t.size() - 1), 0) == 0)) {
                                         out.push_back(e);
                                         break;
                                       }
                                     }
                                     return true;
                                   })
                      .ok());
    return out;
  }

 private:
  const TempDir& dir_;
  serve::ServeLimits limits_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<serve::HttpServer> server_;
};

std::vector<std::string> Bodies(const std::vector<Delivery>& deliveries) {
  std::vector<std::string> out;
  for (const Delivery& d : deliveries) out.push_back(d.body);
  return out;
}

// HMAC-SHA256 computed here with OpenSSL's EVP interface, independent of tools/serve/signing.cpp.
std::string ExpectedSignature(const std::string& body) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  HMAC(EVP_sha256(), kSecret, static_cast<int>(std::string(kSecret).size()),
       reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest, &size);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", digest[i]);
    hex += buf;
  }
  return "sha256=" + hex;
}

// GET `target`, with a bearer token when one is given: the body.
std::string GetBody(std::uint16_t port, const std::string& target, const std::string& token = "") {
  namespace net = boost::asio;
  namespace http = boost::beast::http;
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.body();
}

// The state GET /v1/webhooks gives webhook `id`.
std::string WebhookState(std::uint16_t port, const std::string& id) {
  for (const json& w : json::parse(GetBody(port, "/v1/webhooks"))) {
    if (w["id"] == id) return w["state"];
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(webhooks)

BOOST_AUTO_TEST_CASE(hmac_sha256_matches_rfc_4231_and_twilio_signatures_match_twilios_own_example) {
  // RFC 4231, test case 2.
  BOOST_TEST(serve::HmacSha256Hex("Jefe", "what do ya want for nothing?") ==
             "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Twilio's documented example ("Webhooks security"): auth token 12345, this URL and these fields.
  BOOST_TEST(serve::TwilioSignature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2",
                                    {{"CallSid", "CA1234567890ABCDE"},
                                     {"Caller", "+12349013030"},
                                     {"Digits", "1234"},
                                     {"From", "+12349013030"},
                                     {"To", "+18005551212"}}) == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
}

BOOST_AUTO_TEST_CASE(the_events_a_webhook_wants_are_delivered_signed_once_each_in_log_order) {
  WebhookReceiver receiver;
  TempDir dir;
  Desk desk(dir, ConfigWithWebhook(receiver.port(), {"ticket.*", "conversation.started"}), Quick());
  for (int i = 0; i < 5; ++i) {
    desk.engine().Execute(
        ContactSays("m" + std::to_string(i), "c" + std::to_string(i), "09:0" + std::to_string(i) + ":00"));
  }
  const std::vector<std::string> wanted = desk.EventsOf({"ticket.*", "conversation.started"});
  BOOST_REQUIRE_GE(wanted.size(), 10u);  // five conversations, five tickets and what became of them
  BOOST_REQUIRE(Eventually([&] { return receiver.deliveries().size() >= wanted.size(); }));
  const std::vector<Delivery> got = receiver.deliveries();
  BOOST_TEST(Bodies(got) == wanted, boost::test_tools::per_element());  // each once, in log order, nothing else
  for (const Delivery& d : got) {
    BOOST_TEST(d.headers.at("X-Switchboard-Signature") == ExpectedSignature(d.body));
    BOOST_TEST(d.headers.at("X-Switchboard-Event") == json::parse(d.body)["type"].get<std::string>());
    BOOST_TEST(d.headers.at("X-Switchboard-Delivery") ==
               "crm-" + std::to_string(json::parse(d.body)["seq"].get<std::uint64_t>()));
    BOOST_TEST(d.headers.at("Content-Type") == "application/json");
  }
}

BOOST_AUTO_TEST_CASE(a_failing_receiver_is_retried_until_it_answers_and_order_holds) {
  WebhookReceiver receiver;
  receiver.FailNext(4);
  TempDir dir;
  Desk desk(dir, ConfigWithWebhook(receiver.port(), {"ticket.created"}), Quick());
  desk.engine().Execute(ContactSays("a", "ann", "09:00:00"));
  desk.engine().Execute(ContactSays("b", "bea", "09:01:00"));
  const std::vector<std::string> wanted = desk.EventsOf({"ticket.created"});
  BOOST_REQUIRE_EQUAL(wanted.size(), 2u);
  BOOST_REQUIRE(Eventually([&] { return receiver.deliveries().size() >= 2; }));
  BOOST_TEST(Bodies(receiver.deliveries()) == wanted, boost::test_tools::per_element());
  BOOST_TEST(receiver.attempts() == 6);  // four 500s for the first, then one each
}

BOOST_AUTO_TEST_CASE(a_hanging_receiver_costs_an_attempt_not_a_thread_and_the_event_comes_when_it_answers) {
  WebhookReceiver receiver;
  receiver.SetMode(WebhookReceiver::Mode::kHang);
  TempDir dir;
  Desk desk(dir, ConfigWithWebhook(receiver.port(), {"ticket.created"}), Quick());
  desk.engine().Execute(ContactSays("a", "ann", "09:00:00"));
  BOOST_REQUIRE(Eventually([&] { return receiver.attempts() >= 2; }));  // timed out, tried again
  receiver.SetMode(WebhookReceiver::Mode::kAccept);
  BOOST_REQUIRE(Eventually([&] { return receiver.deliveries().size() == 1; }));
  BOOST_TEST(Bodies(receiver.deliveries()) == desk.EventsOf({"ticket.created"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_receiver_down_across_a_restart_gets_everything_after_and_nothing_twice) {
  auto receiver = std::make_unique<WebhookReceiver>();
  const std::uint16_t port = receiver->port();
  TempDir dir;
  auto desk = std::make_unique<Desk>(dir, ConfigWithWebhook(port, {"ticket.created"}), Quick());
  desk->engine().Execute(ContactSays("a", "ann", "09:00:00"));
  desk->engine().Execute(ContactSays("b", "bea", "09:01:00"));
  const std::vector<std::string> before = desk->EventsOf({"ticket.created"});
  BOOST_REQUIRE(Eventually([&] { return receiver->deliveries().size() == 2; }));
  BOOST_TEST(Bodies(receiver->deliveries()) == before, boost::test_tools::per_element());

  receiver->Stop();  // the receiver goes down; tickets go on being made
  desk->engine().Execute(ContactSays("c", "cid", "09:02:00"));
  desk->engine().Execute(ContactSays("d", "dan", "09:03:00"));
  desk->Stop();  // and so does the server, with two events undelivered
  receiver = std::make_unique<WebhookReceiver>(port);
  desk->Start();  // the configuration is the one in the log
  std::vector<std::string> after = desk->EventsOf({"ticket.created"});
  after.erase(after.begin(), after.begin() + 2);
  BOOST_REQUIRE(Eventually([&] { return receiver->deliveries().size() >= 2; }));
  BOOST_TEST(Bodies(receiver->deliveries()) == after, boost::test_tools::per_element());  // the cursor held
}

BOOST_AUTO_TEST_CASE(failures_in_a_row_open_the_circuit_which_one_later_attempt_closes) {
  WebhookReceiver receiver;
  receiver.FailNext(1000);
  serve::ServeLimits limits = Quick();
  limits.webhooks.breaker_failures = 3;
  limits.webhooks.breaker_open_ms = 1000;
  TempDir dir;
  Desk desk(dir, ConfigWithWebhook(receiver.port(), {"ticket.created"}), limits);
  desk.engine().Execute(ContactSays("a", "ann", "09:00:00"));
  BOOST_REQUIRE(Eventually([&] { return receiver.attempts() >= 3; }));
  // Three failures: the circuit is open (GET /v1/webhooks says so), and no attempt is made while it is.
  BOOST_REQUIRE(Eventually([&] { return WebhookState(desk.port(), "crm") == "open"; }));
  receiver.FailNext(0);
  BOOST_TEST(receiver.attempts() == 3);
  BOOST_REQUIRE(Eventually([&] { return receiver.deliveries().size() == 1; }));
  BOOST_TEST(receiver.attempts() == 4);  // the one attempt after the circuit's pause
}

BOOST_AUTO_TEST_CASE(a_webhook_added_by_a_new_configuration_starts_after_it) {
  WebhookReceiver receiver;
  TempDir dir;
  Desk desk(dir, R"({"groups": [{"id": "support"}], "agents": [{"id": "alice", "groups": ["support"]}]})", Quick());
  desk.engine().Execute(ContactSays("a", "ann", "09:00:00"));  // before the webhook: not delivered
  json apply = {{"id", "cfg"},
                {"type", "config.apply"},
                {"config", json::parse(ConfigWithWebhook(receiver.port(), {"ticket.created"}))}};
  desk.engine().Execute(apply.dump());
  desk.engine().Execute(ContactSays("b", "bea", "09:01:00"));
  std::vector<std::string> tickets = desk.EventsOf({"ticket.created"});
  BOOST_REQUIRE_EQUAL(tickets.size(), 2u);
  BOOST_REQUIRE(Eventually([&] { return receiver.deliveries().size() >= 1; }));
  BOOST_TEST(Bodies(receiver.deliveries()) == std::vector<std::string>{tickets[1]}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(only_an_admin_token_reads_the_signing_secrets_back) {
  WebhookReceiver receiver;
  json config = json::parse(ConfigWithWebhook(receiver.port(), {"*"}));
  config["tokens"] = {{{"token", "admin-token-0123456789"}, {"role", "admin"}},
                      {{"token", "supervisor-token-0123456789"}, {"role", "supervisor"}}};
  TempDir dir;
  Desk desk(dir, config.dump(), Quick());
  json as_admin = json::parse(GetBody(desk.port(), "/v1/config", "admin-token-0123456789"));
  json as_supervisor = json::parse(GetBody(desk.port(), "/v1/config", "supervisor-token-0123456789"));
  BOOST_TEST(as_admin["webhooks"][0]["secret"] == kSecret);
  BOOST_TEST(as_supervisor["webhooks"][0]["secret"].get<std::string>().find(kSecret) == std::string::npos);
  BOOST_TEST(as_supervisor["webhooks"][0]["url"] == as_admin["webhooks"][0]["url"]);  // the rest as it is
  BOOST_TEST(GetBody(desk.port(), "/v1/webhooks", "supervisor-token-0123456789").find("\"crm\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_webhook_configuration_that_cannot_work_is_refused_naming_its_path) {
  TempDir dir;
  for (const auto& [webhook, path] : std::vector<std::pair<json, std::string>>{
           {{{"id", "x"}, {"url", "ftp://host/"}, {"events", {"*"}}, {"secret", kSecret}}, "webhooks[0].url"},
           {{{"id", "x"}, {"url", "http://h/"}, {"events", json::array()}, {"secret", kSecret}}, "webhooks[0].events"},
           {{{"id", "x"}, {"url", "http://h/"}, {"events", {"Ticket Created"}}, {"secret", kSecret}},
            "webhooks[0].events[0]"},
           {{{"id", "x"}, {"url", "http://h/"}, {"events", {"*"}}, {"secret", "short"}}, "webhooks[0].secret"},
           {{{"id", "x y"}, {"url", "http://h/"}, {"events", {"*"}}, {"secret", kSecret}}, "webhooks[0].id"}}) {
    json config = {{"groups", {{{"id", "support"}}}}, {"webhooks", {webhook}}};
    Options options;
    options.db_path = dir.Sub("db");
    options.config_json = config.dump();
    std::unique_ptr<Engine> engine;
    Status s = Engine::Open(options, &engine);
    BOOST_TEST(!s.ok());
    BOOST_TEST(s.message().find(" " + path + ": ") != std::string::npos, s.message());
  }
}

BOOST_AUTO_TEST_SUITE_END()
