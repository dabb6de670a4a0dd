// The supervisor page (web/, served by `switchboard serve` at /), looked at as a person would: a real
// engine and server on 127.0.0.1, and headless Chromium (tests/tools/serve/chromium.h) loading the
// page. Commands go in through the HTTP API, and the test reads what the page shows, polling its
// DOM with a deadline, never reloading it: the monitor (B51) follows the desk, a ticket's page shows
// its audit (B53) as a timeline, the token comes in the URL fragment. The screenshots are written to
// SWITCHBOARD_SCREENSHOT_DIR for a person to look at. Without a browser: the files are served to
// anyone with their types, and ?access_token= stands for the Authorization header.
#include "tools/serve/page.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "events/event.h"
#include "switchboard/engine.h"
#include "tests/support/temp_dir.h"
#include "tests/tools/serve/chromium.h"
#include "tools/serve/server.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::Chromium;
using switchboard::testing::TempDir;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A group, two agents (capacity 3 on messaging, the default), contacts on messaging (chat).
const char* kConfig = R"({"groups": [{"id": "support"}],
    "agents": [{"id": "alice", "groups": ["support"]}, {"id": "bob", "groups": ["support"]}]})";
const char* kTokens = R"({"groups": [{"id": "support"}], "agents": [{"id": "alice", "groups": ["support"]}],
    "tokens": [{"token": "admin-token-0123456789", "role": "admin"},
               {"token": "super-token-0123456789", "role": "supervisor"}]})";
const std::string kAdmin = "admin-token-0123456789", kSupervisor = "super-token-0123456789";

struct Reply {
  int status = 0;
  http::response<http::string_body> response;
  json Json() const { return json::parse(response.body()); }
};

// One request on its own connection.
Reply Call(std::uint16_t port, http::verb verb, const std::string& target, const std::string& body = "",
           const std::string& token = "") {
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request{verb, target, 11};
  request.set(http::field::host, "127.0.0.1");
  if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  beast::flat_buffer buffer;
  Reply reply;
  http::read(socket, buffer, reply.response);
  reply.status = static_cast<int>(reply.response.result_int());
  return reply;
}

// An engine in a temporary directory behind a server on 127.0.0.1 (any free port).
class Served {
 public:
  explicit Served(const char* config = kConfig) {
    Options options;
    options.db_path = dir_.Sub("db");
    options.config_json = config;
    BOOST_REQUIRE(Engine::Open(options, &engine_).ok());
    BOOST_REQUIRE(serve::HttpServer::Start(engine_.get(), "127.0.0.1", 0, {}, &server_).ok());
  }
  ~Served() {
    server_->Stop();
    engine_.reset();
  }
  std::uint16_t port() const { return server_->port(); }
  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
  // Submits commands through POST /v1/commands, as any client would.
  void Submit(const json& commands, const std::string& token = "") {
    Reply r = Call(port(), http::verb::post, "/v1/commands", commands.dump(), token);
    BOOST_REQUIRE_MESSAGE(r.status == 200, r.response.body());
  }

 private:
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<serve::HttpServer> server_;
};

// A server and a browser, each in its own temporary directory.
struct Browsing {
  explicit Browsing(const char* config = kConfig) : served(config), chromium(profile.Sub("chromium")) {}
  Served served;
  TempDir profile;
  Chromium chromium;
};

json ContactSays(const std::string& id, const std::string& contact, const std::string& time) {
  return {{"id", id},        {"type", "contact.message"},       {"contact", contact}, {"channel", "messaging"},
          {"text", "Hello"}, {"at", "2026-11-23T" + time + "Z"}};
}

json AgentStatus(const std::string& id, const std::string& agent, const std::string& status, const std::string& time) {
  return {
      {"id", id}, {"type", "agent.status"}, {"agent", agent}, {"status", status}, {"at", "2026-11-23T" + time + "Z"}};
}

// What the monitor shows, from the data-* attributes of web/monitor.js; null until its first render.
const char* kMonitor = R"JS((() => {
  const main = document.getElementById("monitor");
  if (!main || main.dataset.ready !== "true") return null;
  const value = (id) => Number(document.getElementById(id).dataset.value);
  const problem = document.getElementById("problem");
  const rows = (selector) => [...document.querySelectorAll(selector)];
  return {
    live: document.getElementById("live").dataset.state,
    problem: problem.hidden ? "" : problem.textContent,
    created: value("created"), solved: value("solved"), deflected: value("deflected"),
    queues: Object.fromEntries(rows("[data-queue]").map((q) => [q.dataset.queue, Number(q.dataset.size)])),
    agents: Object.fromEntries(rows("[data-agent]").map((a) => [a.dataset.agent, {
      status: a.dataset.status,
      messaging: Number(a.querySelector("[data-channel=messaging]").dataset.load),
      capacity: Number(a.querySelector("[data-channel=messaging]").dataset.capacity),
    }])),
  };
})())JS";

// What the ticket page shows: its fields and the types of its timeline's entries, in order.
const char* kTicket = R"JS((() => {
  const main = document.getElementById("ticket");
  if (!main || main.dataset.ready !== "true") return null;
  return {
    live: document.getElementById("live").dataset.state,
    status: document.querySelector("[data-field=status]").textContent,
    assignee: document.querySelector("[data-field=assignee]").textContent,
    timeline: [...document.querySelectorAll("#timeline [data-type]")].map((e) => e.dataset.type),
  };
})())JS";

int QueueSize(const json& m, const std::string& queue) { return m["queues"].value(queue, 0); }

// Saves a screenshot for a person to look at; checks it is a PNG.
void SaveScreenshot(Chromium& chromium, const std::string& name) {
  const std::string png = chromium.Screenshot();
  BOOST_REQUIRE(png.size() > 8);
  BOOST_TEST(png.compare(1, 3, "PNG") == 0);
  std::filesystem::create_directories(SWITCHBOARD_SCREENSHOT_DIR);
  const std::string path = std::string(SWITCHBOARD_SCREENSHOT_DIR) + "/" + name;
  std::ofstream(path, std::ios::binary) << png;
  BOOST_TEST_MESSAGE("screenshot: " << path);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(supervisor_page)

BOOST_AUTO_TEST_CASE(the_page_s_files_are_served_to_anyone_with_their_types_and_are_never_cached) {
  Served served(kTokens);  // tokens in force: the API wants one, the files do not
  const std::vector<std::pair<std::string, std::string>> files = {{"/", "text/html"},
                                                                  {"/index.html", "text/html"},
                                                                  {"/ticket.html", "text/html"},
                                                                  {"/app.js", "text/javascript"},
                                                                  {"/event_types.js", "text/javascript"},
                                                                  {"/monitor.js", "text/javascript"},
                                                                  {"/ticket.js", "text/javascript"},
                                                                  {"/style.css", "text/css"}};
  for (const auto& [path, type] : files) {
    Reply r = Call(served.port(), http::verb::get, path);
    BOOST_TEST_CONTEXT(path) {
      BOOST_TEST(r.status == 200);
      BOOST_TEST(std::string(r.response[http::field::content_type]).rfind(type, 0) == 0u);
      BOOST_TEST(r.response[http::field::cache_control] == "no-cache");
      BOOST_TEST(!r.response.body().empty());
    }
  }
  BOOST_TEST(Call(served.port(), http::verb::get, "/").response.body() == serve::FindAsset("/index.html")->body);
  BOOST_TEST(Call(served.port(), http::verb::get, "/no-such-file.html").status == 401);  // not a file: the API's
  BOOST_TEST(Call(served.port(), http::verb::post, "/index.html").status == 401);
}

BOOST_AUTO_TEST_CASE(an_access_token_in_the_query_stands_for_the_authorization_header) {
  Served served(kTokens);
  const std::uint16_t port = served.port();
  BOOST_TEST(Call(port, http::verb::get, "/v1/monitor?access_token=" + kSupervisor).status == 200);
  BOOST_TEST(Call(port, http::verb::get, "/v1/monitor?access_token=not-a-token-at-all").status == 401);
  BOOST_TEST(Call(port, http::verb::get, "/v1/monitor").status == 401);
  // A supervisor's token stays a supervisor's, whichever way it comes.
  BOOST_TEST(Call(port, http::verb::put, "/v1/config?access_token=" + kSupervisor, kTokens).status == 403);
  // The header, when there is one, is what counts; the parameter reaches no handler.
  BOOST_TEST(Call(port, http::verb::get, "/v1/monitor?access_token=nonsense", "", kSupervisor).status == 200);
  served.Submit(ContactSays("c1", "ann", "09:00:00"), kAdmin);
  BOOST_TEST(
      Call(port, http::verb::get, "/v1/tickets/1?as_of=2026-11-23T08:00:00Z&access_token=" + kSupervisor).status ==
      404);  // as_of still read: before the ticket
  // The event stream, as EventSource asks for it.
  net::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  const std::string request =
      "GET /v1/events?from=1&access_token=" + kSupervisor + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  net::write(socket, net::buffer(request));
  std::string header;
  net::read_until(socket, net::dynamic_buffer(header), "\r\n\r\n");
  BOOST_TEST(header.find("200 OK") != std::string::npos);
  BOOST_TEST(header.find("text/event-stream") != std::string::npos);
}

// The page listens to each event type by name (the server names every message after its type, and
// EventSource has no catch-all): a type missing from /event_types.js, generated from the schema at
// build time, would not refresh the page.
BOOST_AUTO_TEST_CASE(the_page_listens_to_every_event_type_of_the_schema) {
  const std::string_view app = serve::FindAsset("/event_types.js")->body;
  for (fb::Payload type : fb::EnumValuesPayload()) {
    if (type == fb::Payload::NONE) continue;
    const std::string name(EventTypeName(type));
    BOOST_TEST(app.find("\"" + name + "\"") != std::string_view::npos, "/event_types.js lacks " << name);
  }
}

BOOST_AUTO_TEST_CASE(B51_the_monitor_follows_the_desk_live_without_a_reload) {
  Browsing b;
  b.chromium.Navigate(b.served.Url("/"));
  json m = b.chromium.WaitFor("the initial monitor, live", kMonitor,
                              [](const json& v) { return v.is_object() && v["live"] == "live"; });
  BOOST_TEST(m["problem"] == "");
  BOOST_TEST(m["created"] == 0);
  BOOST_TEST(m["queues"].empty());
  // A reload would lose this.
  b.chromium.Evaluate("window.sameDocument = true");

  // No one is online: three contacts' tickets wait in support's messaging queue.
  b.served.Submit({ContactSays("c1", "ann", "09:00:00"), ContactSays("c2", "cat", "09:01:00"),
                   ContactSays("c3", "dan", "09:02:00")});
  m = b.chromium.WaitFor("three tickets waiting", kMonitor, [](const json& v) {
    return v.is_object() && QueueSize(v, "support/messaging") == 3 && v["created"] == 3;
  });
  BOOST_TEST(m["agents"]["alice"]["status"] == "offline");
  BOOST_TEST(m["agents"]["alice"]["messaging"] == 0);
  BOOST_TEST(m["agents"]["alice"]["capacity"] == 3);

  // Alice comes online and takes all three (her capacity); bob stays offline.
  b.served.Submit(AgentStatus("s1", "alice", "online", "09:03:00"));
  m = b.chromium.WaitFor("alice online with the queue's tickets", kMonitor, [](const json& v) {
    return v.is_object() && v["agents"]["alice"]["status"] == "online" && v["agents"]["alice"]["messaging"] == 3 &&
           QueueSize(v, "support/messaging") == 0;
  });
  BOOST_TEST(m["agents"]["bob"]["status"] == "offline");
  BOOST_TEST(m["agents"]["bob"]["messaging"] == 0);

  // Solving one frees a place and shows in the counters (at a time before the tickets go inactive).
  b.served.Submit(json{{"id", "u1"},
                       {"type", "ticket.update"},
                       {"ticket", 1},
                       {"agent", "alice"},
                       {"status", "solved"},
                       {"at", "2026-11-23T09:04:00Z"}});
  m = b.chromium.WaitFor("a ticket solved", kMonitor, [](const json& v) {
    return v.is_object() && v["solved"] == 1 && v["agents"]["alice"]["messaging"] == 2;
  });
  BOOST_TEST(b.chromium.Evaluate("window.sameDocument === true") == true);  // never reloaded
  SaveScreenshot(b.chromium, "supervisor.png");
}

BOOST_AUTO_TEST_CASE(B53_a_ticket_s_page_shows_its_audit_as_a_timeline_that_grows) {
  Browsing b;
  b.served.Submit(ContactSays("c1", "ann", "09:00:00"));
  const json audit = Call(b.served.port(), http::verb::get, "/v1/tickets/1/audit").Json();
  b.chromium.Navigate(b.served.Url("/"));  // the monitor's form opens the ticket page
  b.chromium.WaitFor("the monitor", kMonitor, [](const json& v) { return v.is_object(); });
  b.chromium.Evaluate(R"JS(document.querySelector("#open-ticket input").value = "1",
                           document.getElementById("open-ticket").requestSubmit())JS");
  json t = b.chromium.WaitFor("ticket 1 with its audit", kTicket, [&](const json& v) {
    return v.is_object() && v["live"] == "live" && v["timeline"].size() == audit.size();
  });
  BOOST_TEST(b.chromium.Evaluate("location.pathname + location.search") == "/ticket.html?n=1");
  for (std::size_t i = 0; i < audit.size(); ++i) BOOST_TEST(t["timeline"][i] == audit[i]["type"]);  // in order
  BOOST_TEST(t["timeline"].dump().find("\"ticket.created\"") != std::string::npos);
  BOOST_TEST(t["assignee"] == "–");

  b.served.Submit(AgentStatus("s1", "alice", "online", "09:01:00"));  // alice takes it: the page follows
  t = b.chromium.WaitFor("ticket 1 assigned to alice", kTicket, [](const json& v) {
    return v.is_object() && v["assignee"] == "alice" && v["timeline"].back() != "ticket.created";
  });
  const json now = Call(b.served.port(), http::verb::get, "/v1/tickets/1/audit").Json();
  b.chromium.WaitFor("the whole audit", kTicket,
                     [&](const json& v) { return v.is_object() && v["timeline"].size() == now.size(); });
  SaveScreenshot(b.chromium, "ticket.png");
}

BOOST_AUTO_TEST_CASE(B51_the_page_takes_its_token_from_the_fragment) {
  Browsing b(kTokens);
  b.chromium.Navigate(b.served.Url("/"));  // no token: the page says how to give one
  b.chromium.WaitFor("that a token is needed", "document.getElementById('problem').textContent", [](const json& v) {
    return v.is_string() && v.get<std::string>().find("#token=") != std::string::npos;
  });

  b.chromium.Navigate(b.served.Url("/index.html#token=" + kSupervisor));  // another path: a new document
  b.chromium.WaitFor("the monitor, live", kMonitor,
                     [](const json& v) { return v.is_object() && v["live"] == "live" && v["problem"] == ""; });
  BOOST_TEST(b.chromium.Evaluate("location.hash") == "");  // out of the address bar
  b.served.Submit(ContactSays("c1", "ann", "09:00:00"), kAdmin);
  b.chromium.WaitFor("the new ticket", kMonitor, [](const json& v) { return v.is_object() && v["created"] == 1; });
}

BOOST_AUTO_TEST_SUITE_END()
