// `switchboard serve`'s HTTP API (tools/serve/), over a real engine in a temporary directory and a
// real server on 127.0.0.1, spoken to by a Boost.Beast client: commands (one, a list, repeated ids,
// bodies that are not commands), reads (tickets, audits, contacts, agents, monitor, analytics and
// staffing as CSV, as_of), the configuration, health and metrics, the live event stream (resumable with
// Last-Event-ID, no gap, no repeat), an agent's live feed, and the limits (body size, connections,
// idle connections).
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "switchboard/engine.h"
#include "tests/support/temp_dir.h"
#include "tests/support/webhook_receiver.h"
#include "tools/serve/server.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::Eventually;
using switchboard::testing::TempDir;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

const char* kConfig = R"({"groups": [{"id": "support"}],
    "agents": [{"id": "alice", "groups": ["support"]}, {"id": "bob", "groups": ["support"]}]})";

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  json Json() const { return json::parse(body); }
};

// A keep-alive client: one connection, requests in turn.
class Client {
 public:
  explicit Client(std::uint16_t port) : socket_(ioc_) { socket_.connect({net::ip::make_address("127.0.0.1"), port}); }

  Reply Call(http::verb verb, const std::string& target, const std::string& body = "",
             const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    http::request<http::string_body> request{verb, target, 11};
    request.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    http::write(socket_, request);
    http::response<http::string_body> response;
    http::read(socket_, buffer_, response);
    return Reply{static_cast<int>(response.result_int()), std::string(response[http::field::content_type]),
                 response.body()};
  }
  Reply Get(const std::string& target) { return Call(http::verb::get, target); }
  Reply Post(const std::string& target, const std::string& body) { return Call(http::verb::post, target, body); }

  // Whether the server has closed this connection (a read ends with an error, not data).
  bool ClosedByServer() {
    beast::error_code ec;
    char byte;
    socket_.read_some(net::buffer(&byte, 1), ec);
    return static_cast<bool>(ec);
  }

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  beast::flat_buffer buffer_;
};

// A Server-Sent Events client: reads the header, then one event at a time.
class Stream {
 public:
  Stream(std::uint16_t port, const std::string& target, const std::string& last_event_id = "") : socket_(ioc_) {
    socket_.connect({net::ip::make_address("127.0.0.1"), port});
    std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!last_event_id.empty()) request += "Last-Event-ID: " + last_event_id + "\r\n";
    request += "\r\n";
    net::write(socket_, net::buffer(request));
    std::size_t n = net::read_until(socket_, net::dynamic_buffer(data_), "\r\n\r\n");
    header = data_.substr(0, n);
    data_.erase(0, n);
  }
  // The next event's `id` (empty for none) and `data`; its `event:` line in `type`.
  std::pair<std::string, std::string> Next() {
    std::size_t n = net::read_until(socket_, net::dynamic_buffer(data_), "\n\n");
    std::string event = data_.substr(0, n - 2);
    data_.erase(0, n);
    std::string id, data;
    std::size_t start = 0;
    while (start < event.size()) {
      std::size_t end = event.find('\n', start);
      if (end == std::string::npos) end = event.size();
      std::string line = event.substr(start, end - start);
      if (line.rfind("id: ", 0) == 0) id = line.substr(4);
      if (line.rfind("data: ", 0) == 0) data = line.substr(6);
      if (line.rfind("event: ", 0) == 0) type = line.substr(7);
      start = end + 1;
    }
    return {id, data};
  }
  std::string header;
  std::string type;

 private:
  net::io_context ioc_;
  tcp::socket socket_;
  std::string data_;
};

// An engine in a temporary directory behind a server on 127.0.0.1 (any free port).
class Served {
 public:
  explicit Served(serve::ServeLimits limits = {}, const char* config = kConfig) {
    Options options;
    options.db_path = dir_.Sub("db");
    options.config_json = config;
    BOOST_REQUIRE(Engine::Open(options, &engine_).ok());
    BOOST_REQUIRE(serve::HttpServer::Start(engine_.get(), "127.0.0.1", 0, limits, &server_).ok());
  }
  ~Served() {
    server_->Stop();
    engine_.reset();
  }
  std::uint16_t port() const { return server_->port(); }
  std::size_t connections() const { return server_->connections(); }
  Engine& engine() { return *engine_; }

 private:
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<serve::HttpServer> server_;
};

std::string ContactSays(const std::string& id, const std::string& contact, const std::string& time) {
  return json{{"id", id},        {"type", "contact.message"},       {"contact", contact}, {"channel", "messaging"},
              {"text", "Hello"}, {"at", "2026-11-23T" + time + "Z"}}
      .dump();
}

bool HasType(const json& events, const std::string& type) {
  for (const json& e : events) {
    if (e["type"] == type) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(serve_api)

BOOST_AUTO_TEST_CASE(commands_are_answered_with_their_events_once_durable_and_a_repeated_id_changes_nothing) {
  Served served;
  Client client(served.port());
  Reply first = client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00"));
  BOOST_REQUIRE_EQUAL(first.status, 200);
  json ack = first.Json();
  BOOST_TEST(ack["cmd"] == "c1");
  BOOST_TEST(!ack["duplicate"].get<bool>());
  BOOST_TEST(HasType(ack["events"], "ticket.created"));
  BOOST_TEST(served.engine().LastSeq() == ack["events"].back()["seq"].get<std::uint64_t>());  // durable

  Reply again = client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00"));  // same connection
  BOOST_REQUIRE_EQUAL(again.status, 200);
  BOOST_TEST(again.Json()["duplicate"].get<bool>());
  BOOST_TEST(again.Json()["events"].size() == 1u);  // command.duplicate, nothing else
  BOOST_TEST(again.Json()["events"][0]["type"] == "command.duplicate");
}

BOOST_AUTO_TEST_CASE(a_list_of_commands_is_answered_in_order_and_bad_bodies_are_refused_with_a_sentence) {
  Served served;
  Client client(served.port());
  Reply list =
      client.Post("/v1/commands", "[" + ContactSays("a", "ann", "09:00:00") + "," + R"({"id":"b","type":"no.such"})" +
                                      "," + ContactSays("c", "cat", "09:01:00") + "]");
  BOOST_REQUIRE_EQUAL(list.status, 200);
  json acks = list.Json();
  BOOST_REQUIRE_EQUAL(acks.size(), 3u);
  BOOST_TEST(acks[0]["cmd"] == "a");
  BOOST_TEST(acks[1]["events"][0]["type"] == "command.rejected");  // refused, named, and the rest goes on
  BOOST_TEST(acks[1]["events"][0]["line"] == 2);                   // its place in the list
  BOOST_TEST(HasType(acks[2]["events"], "ticket.created"));

  Reply not_json = client.Post("/v1/commands", "{not json");
  BOOST_TEST(not_json.status == 400);
  BOOST_TEST(not_json.Json()["error"].get<std::string>().find("not JSON") != std::string::npos);
  BOOST_TEST(client.Post("/v1/commands", "42").status == 400);
  BOOST_TEST(client.Get("/v1/commands").status == 405);
  BOOST_TEST(client.Get("/v1/no/such/thing").status == 404);
}

BOOST_AUTO_TEST_CASE(B44_B53_reads_answer_what_the_queries_answer) {
  Served served;
  Client client(served.port());
  BOOST_REQUIRE_EQUAL(client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00")).status, 200);
  Reply ticket = client.Get("/v1/tickets/1");
  BOOST_REQUIRE_EQUAL(ticket.status, 200);
  BOOST_TEST(ticket.content_type == "application/json");
  BOOST_TEST(ticket.Json()["id"] == 1);
  BOOST_TEST(client.Get("/v1/tickets/99").status == 404);
  BOOST_TEST(client.Get("/v1/tickets/abc").status == 400);
  Reply audit = client.Get("/v1/tickets/1/audit");
  BOOST_REQUIRE_EQUAL(audit.status, 200);
  BOOST_TEST(audit.Json().is_array());
  BOOST_TEST(HasType(audit.Json(), "ticket.created"));
  BOOST_TEST(HasType(client.Get("/v1/conversations/1/audit").Json(), "conversation.started"));
  BOOST_TEST(client.Get("/v1/contacts/ann").status == 200);
  BOOST_TEST(client.Get("/v1/contacts/ann/audit").Json().size() >= 1u);
  BOOST_TEST(client.Get("/v1/agents/alice").status == 200);
  BOOST_TEST(client.Get("/v1/agents/nobody").status == 404);
  BOOST_TEST(client.Get("/v1/monitor").status == 200);
  // B53: as it was before the ticket existed.
  BOOST_TEST(client.Get("/v1/tickets/1?as_of=2026-11-23T08:00:00Z").status == 404);
  Reply csv = client.Call(http::verb::get, "/v1/analytics?by=group", "", {{"Accept", "text/csv"}});
  BOOST_REQUIRE_EQUAL(csv.status, 200);
  BOOST_TEST(csv.content_type == "text/csv");
  BOOST_TEST(csv.body.find(',') != std::string::npos);
  BOOST_TEST(client.Get("/v1/analytics").Json().is_object());
}

BOOST_AUTO_TEST_CASE(B73_staffing_is_served_as_json_or_csv_and_bad_parameters_are_refused_naming_them) {
  Served served;
  Client client(served.port());
  BOOST_REQUIRE_EQUAL(
      client
          .Post("/v1/commands",
                R"({"id":"s1","type":"agent.status","agent":"alice","status":"online","at":"2026-11-23T08:45:00Z"})")
          .status,
      200);
  BOOST_REQUIRE_EQUAL(client.Post("/v1/commands", ContactSays("c1", "ann", "09:10:00")).status, 200);
  BOOST_REQUIRE_EQUAL(client.Post("/v1/commands", ContactSays("c2", "bea", "09:40:00")).status, 200);
  Reply doc = client.Get("/v1/staffing?interval=1h&service_level=90/30s&concurrency=2");
  BOOST_REQUIRE_EQUAL(doc.status, 200);
  BOOST_TEST(doc.content_type == "application/json");
  json staffing = doc.Json();
  BOOST_TEST(staffing["interval_s"] == 3600);
  BOOST_TEST(staffing["service_level"]["percent"] == 90);
  BOOST_TEST(staffing["concurrency"] == 2);
  BOOST_TEST(staffing["channel"].is_null());  // both
  BOOST_REQUIRE_EQUAL(staffing["rows"].size(), 1u);
  BOOST_TEST(staffing["rows"][0]["from"] == "2026-11-23T09:00:00Z");
  BOOST_TEST(staffing["rows"][0]["arrivals"] == 2);
  BOOST_TEST(staffing["rows"][0]["agents_online"] == 1.0);  // alice, online since 08:45
  std::string cli;
  Engine::StaffingQuery q;
  q.interval = "1h";
  q.service_level = "90/30s";
  q.concurrency = "2";
  BOOST_REQUIRE(served.engine().Staffing(q, &cli).ok());
  BOOST_TEST(doc.body == cli);  // what `switchboard query staffing` prints

  Reply csv = client.Get("/v1/staffing?format=csv");
  BOOST_REQUIRE_EQUAL(csv.status, 200);
  BOOST_TEST(csv.content_type == "text/csv");
  BOOST_TEST(csv.body.rfind("from,to,arrivals,mean_handle_s,agents_needed,agents_online", 0) == 0);
  BOOST_TEST(client.Call(http::verb::get, "/v1/staffing", "", {{"Accept", "text/csv"}}).content_type == "text/csv");
  // B53: before anything happened, nothing arrived.
  BOOST_TEST(client.Get("/v1/staffing?as_of=2026-11-23T08:00:00Z").Json()["rows"].empty());

  Reply bad = client.Get("/v1/staffing?interval=0m");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.Json()["error"].get<std::string>().rfind("interval: ", 0) == 0);
  bad = client.Get("/v1/staffing?service_level=80");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.Json()["error"].get<std::string>().rfind("service_level: ", 0) == 0);
  bad = client.Get("/v1/staffing?concurrency=0");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.Json()["error"].get<std::string>().rfind("concurrency: ", 0) == 0);
  bad = client.Get("/v1/staffing?from=2026-11-23T10:00:00Z&to=2026-11-23T09:00:00Z");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.Json()["error"].get<std::string>().rfind("to: expected a time after from", 0) == 0);
}

BOOST_AUTO_TEST_CASE(a_configuration_put_is_applied_or_refused_with_the_path_at_fault) {
  Served served;
  Client client(served.port());
  Reply refused = client.Call(http::verb::put, "/v1/config",
                              R"({"groups": [{"id": "support"}], "agents": [{"id": "x", "groups": ["nowhere"]}]})");
  BOOST_REQUIRE_EQUAL(refused.status, 422);
  BOOST_TEST(refused.Json()["field"].get<std::string>().find("agents[0]") != std::string::npos);
  Reply applied = client.Call(http::verb::put, "/v1/config", R"({"groups": [{"id": "billing"}], "agents": []})");
  BOOST_REQUIRE_EQUAL(applied.status, 200);
  BOOST_TEST(HasType(applied.Json()["events"], "config.applied"));
  BOOST_TEST(client.Call(http::verb::put, "/v1/config", "[1]").status == 400);
}

BOOST_AUTO_TEST_CASE(health_and_metrics_say_how_the_engine_is) {
  Served served;
  Client client(served.port());
  Reply health = client.Get("/healthz");
  BOOST_REQUIRE_EQUAL(health.status, 200);
  BOOST_TEST(health.Json()["ok"].get<bool>());
  client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00"));
  Reply metrics = client.Get("/metrics");
  BOOST_REQUIRE_EQUAL(metrics.status, 200);
  BOOST_TEST(metrics.content_type.find("text/plain") == 0u);
  BOOST_TEST(metrics.body.find("switchboard_http_requests_total 3") != std::string::npos, metrics.body);
  BOOST_TEST(metrics.body.find("switchboard_events_total " + std::to_string(served.engine().LastSeq())) !=
             std::string::npos);
  BOOST_TEST(metrics.body.find("switchboard_http_response_seconds_bucket{le=\"+Inf\"} 2") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_event_stream_gives_every_event_once_in_order_and_resumes_after_the_last_id) {
  Served served;
  Client client(served.port());
  client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00"));
  const std::uint64_t first_end = served.engine().LastSeq();
  Stream stream(served.port(), "/v1/events?from=1");
  BOOST_TEST(stream.header.find("text/event-stream") != std::string::npos);
  std::uint64_t expected = 1;
  for (; expected <= first_end; ++expected) {  // the past, from the log
    auto [id, data] = stream.Next();
    BOOST_REQUIRE_EQUAL(id, std::to_string(expected));
    BOOST_TEST(json::parse(data)["seq"].get<std::uint64_t>() == expected);
    BOOST_TEST(stream.type == json::parse(data)["type"].get<std::string>());
  }
  client.Post("/v1/commands", ContactSays("c2", "bob", "09:01:00"));  // then what happens, live
  const std::uint64_t second_end = served.engine().LastSeq();
  std::string last_id;
  for (; expected <= second_end; ++expected) {
    auto [id, data] = stream.Next();
    BOOST_REQUIRE_EQUAL(id, std::to_string(expected));
    last_id = id;
    if (expected == first_end + 2) break;  // a client that goes away mid-way ...
  }
  Stream resumed(served.port(), "/v1/events", last_id);  // ... resumes after the last id it saw
  for (std::uint64_t seq = std::stoull(last_id) + 1; seq <= second_end; ++seq) {
    BOOST_REQUIRE_EQUAL(resumed.Next().first, std::to_string(seq));  // no gap, no repeat
  }
}

BOOST_AUTO_TEST_CASE(an_agent_s_feed_streams_its_items_as_they_happen) {
  Served served;
  Client client(served.port());
  client.Post("/v1/commands",
              R"({"id":"s","type":"agent.status","agent":"alice","status":"online","at":"2026-11-23T08:59:00Z"})");
  Stream feed(served.port(), "/v1/agents/alice/feed");
  BOOST_TEST(feed.header.find("200 OK") != std::string::npos);
  client.Post("/v1/commands", ContactSays("c1", "ann", "09:00:00"));  // routed to alice
  json item = json::parse(feed.Next().second);
  BOOST_TEST(item["ticket"] == 1);
  BOOST_TEST(Client(served.port()).Get("/v1/agents/nobody/feed").status == 404);
}

BOOST_AUTO_TEST_CASE(limits_refuse_with_an_http_error_and_the_server_goes_on) {
  serve::ServeLimits limits;
  limits.max_body_bytes = 64;
  limits.max_connections = 2;
  Served served(limits);  // the default idle time-out: no connection below leaves on its own
  {
    Client client(served.port());
    BOOST_TEST(client.Post("/v1/commands", std::string(1000, ' ')).status == 413);
  }
  BOOST_REQUIRE(Eventually([&] { return served.connections() == 0; }));  // that one is gone
  Client one(served.port());
  BOOST_TEST(one.Get("/healthz").status == 200);
  Client two(served.port());
  BOOST_TEST(two.Get("/healthz").status == 200);
  Client three(served.port());  // over the limit: told so, and closed
  BOOST_TEST(three.Get("/healthz").status == 503);
  BOOST_TEST(three.ClosedByServer());
  BOOST_TEST(one.Get("/healthz").status == 200);  // the two admitted go on
}

BOOST_AUTO_TEST_CASE(an_idle_connection_is_closed_by_the_server_and_makes_room) {
  serve::ServeLimits limits;
  limits.max_connections = 1;
  limits.idle_timeout_ms = 200;
  Served served(limits);
  Client one(served.port());
  BOOST_TEST(one.Get("/healthz").status == 200);
  BOOST_TEST(one.ClosedByServer());  // the read returns when the server closes it
  BOOST_REQUIRE(Eventually([&] { return served.connections() == 0; }));
  BOOST_TEST(Client(served.port()).Get("/healthz").status == 200);  // room again
}

const char* kTokens = R"({"groups": [{"id": "support"}, {"id": "billing"}],
    "agents": [{"id": "alice", "groups": ["support"]}, {"id": "bob", "groups": ["billing"]}],
    "routing": {"rules": [{"id": "invoices", "when": {"all": [{"field": "contact.plan", "operator": "is", "value": "pro"}]},
                           "group": "billing"}]},
    "tokens": [{"token": "admin-token-0123456789", "role": "admin"},
               {"token": "super-token-0123456789", "role": "supervisor"},
               {"token": "alice-token-0123456789", "role": "agent:alice"},
               {"token": "widget-token-012345678", "role": "channel"}]})";

Reply As(Client& client, const std::string& token, http::verb verb, const std::string& target,
         const std::string& body = "") {
  return client.Call(verb, target, body, {{"Authorization", "Bearer " + token}});
}

BOOST_AUTO_TEST_CASE(tokens_say_who_may_do_what_and_are_never_recorded) {
  Served served({}, kTokens);
  Client c(served.port());
  BOOST_TEST(c.Get("/healthz").status == 200);  // no token needed
  Reply none = c.Get("/v1/monitor");
  BOOST_TEST(none.status == 401);
  BOOST_TEST(none.Json()["error"].get<std::string>().find("Bearer") != std::string::npos);
  BOOST_TEST(As(c, "not-a-token-at-all-xx", http::verb::get, "/v1/monitor").status == 401);

  const std::string widget = "widget-token-012345678", alice = "alice-token-0123456789";
  // A channel submits contact messages, nothing else.
  BOOST_TEST(As(c, widget, http::verb::post, "/v1/commands", ContactSays("c1", "ann", "09:00:00")).status == 200);
  BOOST_TEST(As(c, widget, http::verb::post, "/v1/commands",
                "[" + ContactSays("c2", "cat", "09:00:01") +
                    R"(,{"id":"x","type":"agent.status","agent":"alice","status":"online"}])")
                 .status == 403);
  BOOST_TEST(As(c, widget, http::verb::get, "/v1/tickets/1").status == 403);
  // An agent acts as itself only, and reads its own documents and the tickets it may work on.
  const std::string online =
      R"({"id":"s1","type":"agent.status","agent":"alice","status":"online","at":"2026-11-23T09:01:00Z"})";
  BOOST_TEST(As(c, alice, http::verb::post, "/v1/commands", online).status == 200);
  Reply as_bob = As(c, alice, http::verb::post, "/v1/commands",
                    R"({"id":"s2","type":"agent.status","agent":"bob","status":"online"})");
  BOOST_TEST(as_bob.status == 403);
  BOOST_TEST(as_bob.Json()["error"].get<std::string>().find("its own agent") != std::string::npos);
  BOOST_TEST(As(c, alice, http::verb::post, "/v1/commands", ContactSays("c3", "dan", "09:02:00")).status == 403);
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/agents/alice").status == 200);
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/agents/bob").status == 403);
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/tickets/1").status == 200);  // in alice's group
  As(c, widget, http::verb::post, "/v1/commands",
     json{{"id", "c4"},
          {"type", "contact.message"},
          {"contact", "eve"},
          {"channel", "messaging"},
          {"text", "my invoice"},
          {"profile", {{"plan", "pro"}}},
          {"at", "2026-11-23T09:03:00Z"}}
         .dump());
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/tickets/2").status == 403);  // billing's, not alice's
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/monitor").status == 403);
  BOOST_TEST(As(c, alice, http::verb::get, "/v1/staffing").status == 403);  // B73: supervisors' and admins'
  BOOST_TEST(As(c, "super-token-0123456789", http::verb::get, "/v1/staffing").status == 200);
  // A supervisor reads and acts, an admin also replaces the configuration.
  BOOST_TEST(As(c, "super-token-0123456789", http::verb::get, "/v1/monitor").status == 200);
  BOOST_TEST(As(c, "super-token-0123456789", http::verb::put, "/v1/config", kConfig).status == 403);
  // The configuration in force holds digests only; so does the whole log.
  Reply config = As(c, "admin-token-0123456789", http::verb::get, "/v1/config");
  BOOST_REQUIRE_EQUAL(config.status, 200);
  BOOST_TEST(config.body.find("token_sha256") != std::string::npos);
  std::string log;
  BOOST_REQUIRE(served.engine()
                    .ReadEvents(1,
                                [&](const std::string& e) {
                                  log += e;
                                  return true;
                                })
                    .ok());
  for (const char* token : {"admin-token-0123456789", "alice-token-0123456789", "widget-token-012345678"}) {
    BOOST_TEST(log.find(token) == std::string::npos);
    BOOST_TEST(config.body.find(token) == std::string::npos);
  }
  // A new configuration's tokens are in force for the very next request.
  BOOST_TEST(As(c, "admin-token-0123456789", http::verb::put, "/v1/config", kConfig).status == 200);
  BOOST_TEST(c.Get("/v1/monitor").status == 200);  // kConfig has no tokens: open again
}

BOOST_AUTO_TEST_CASE(without_tokens_serve_listens_on_loopback_only) {
  TempDir dir;
  Options options;
  options.db_path = dir.Sub("db");
  options.config_json = kConfig;
  std::unique_ptr<Engine> engine;
  BOOST_REQUIRE(Engine::Open(options, &engine).ok());
  std::unique_ptr<serve::HttpServer> server;
  Status refused = serve::HttpServer::Start(engine.get(), "0.0.0.0", 0, {}, &server);
  BOOST_TEST((refused.code() == Status::Code::kInvalidArgument));
  BOOST_TEST(refused.message().find("loopback") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
