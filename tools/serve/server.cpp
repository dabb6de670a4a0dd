#include "tools/serve/server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

#include "tools/serve/api.h"
#include "tools/serve/auth.h"
#include "tools/serve/event_feed.h"
#include "tools/serve/event_stream.h"
#include "tools/serve/inbound.h"
#include "tools/serve/metrics.h"
#include "tools/serve/page.h"
#include "tools/serve/webhooks.h"

namespace switchboard::serve {

HttpServer::~HttpServer() = default;

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class Server;

// One connection: requests answered in order; or, once it asked for a stream, that stream.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server& server);
  ~Session();
  void Run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadRequest(); });
  }
  void Close();  // from any thread

 private:
  void ReadRequest();
  void OnRead(beast::error_code ec);
  void Handle(http::request<http::string_body> request);
  void InboundTwilio(const Request& request, const http::request<http::string_body>& raw, bool keep_alive);
  using Headers = std::vector<std::pair<const char*, const char*>>;
  void Send(Response response, bool keep_alive, const Headers& headers = {});
  void StartStream(bool agent_feed, const std::string& agent, std::uint64_t from);
  void Push(std::string chunk);
  void WriteNext();
  void WatchForClose();
  void CloseNow();

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Server& server_;
  std::chrono::steady_clock::time_point started_;
  // Streaming (SSE)
  bool agent_feed_ = false;
  std::uint64_t subscription_ = 0;
  std::deque<std::string> backlog_;  // the agent feed and the header
  std::size_t backlog_bytes_ = 0;
  bool writing_ = false;
  bool closed_ = false;
  char probe_[1];
};

class Server final : public HttpServer {
 public:
  Server(Engine* engine, const ServeLimits& limits) : engine_(engine), limits_(limits), acceptor_(ioc_) {}

  Status Listen(const std::string& host, std::uint16_t port) {
    beast::error_code ec;
    auto address = net::ip::make_address(host, ec);
    if (ec) return Status::InvalidArgument("--listen: \"" + host + "\" is not an IP address");
    webhooks_ = std::make_unique<Webhooks>(engine_, limits_.webhooks);
    feed_ = std::make_unique<EventFeed>(engine_, net::make_strand(stream_ioc_), limits_.max_stream_backlog_bytes,
                                        limits_.stream_tick_ms);
    if (Status s = RefreshConfig(engine_->LastSeq()); !s.ok()) return s;
    if (authorizer_.open() && !address.is_loopback()) {
      return Status::InvalidArgument(
          "--listen: without API tokens in the configuration (\"tokens\"), serve only "
          "listens on a loopback address, not " +
          host);
    }
    // A configuration applied later (PUT /v1/config, or a config.apply command) brings its tokens,
    // inbound channels and webhooks (a new webhook starts after that config.applied).
    tokens_feed_ = engine_->Subscribe(engine_->LastSeq() + 1, [this](const std::string& event) {
      if (TypeOf(event) != "config.applied") return;
      net::post(ioc_, [this, seq = SeqOf(event)] { (void)RefreshConfig(seq); });
    });
    tcp::endpoint endpoint{address, port};
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return Status::IOError("cannot listen on " + host + ":" + std::to_string(port) + ": " + ec.message());
    port_ = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < std::max(1, limits_.threads); ++i) threads_.emplace_back([this] { ioc_.run(); });
    // The stream threads yield to the request threads and the engine's (a nice value is per thread
    // on Linux); their work never runs out while the feed's tick is armed.
    for (int i = 0; i < std::max(1, limits_.stream_threads); ++i) {
      stream_threads_.emplace_back([this] {
        (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), limits_.stream_nice);
        stream_ioc_.run();
      });
    }
    return Status::OK();
  }

  ~Server() override { Stop(); }

  std::uint16_t port() const override { return port_; }
  std::size_t connections() const override { return open_connections.load(); }

  void Stop() override {
    if (stopped_.exchange(true)) return;
    if (tokens_feed_ != 0) engine_->Unsubscribe(tokens_feed_);
    if (webhooks_) webhooks_->Stop();
    if (feed_) feed_->Stop();
    std::vector<std::shared_ptr<EventStream>> streams;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& weak : streams_) {
        if (auto s = weak.lock()) streams.push_back(std::move(s));
      }
      streams_.clear();
    }
    for (auto& s : streams) s->Close();
    streams.clear();
    for (std::thread& t : stream_threads_) t.join();
    stream_threads_.clear();
    net::post(acceptor_.get_executor(), [this] {
      beast::error_code ec;
      acceptor_.close(ec);
    });
    std::vector<std::shared_ptr<Session>> open;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (const auto& weak : sessions_) {
        if (auto s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (auto& s : open) s->Close();
    open.clear();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
  }

  Engine& engine() { return *engine_; }
  Authorizer& authorizer() { return authorizer_; }
  // Loads the tokens and inbound channels of the configuration in force; with `config_seq` (the
  // config.applied that put it in force), its webhooks too.
  Status RefreshConfig(std::optional<std::uint64_t> config_seq = std::nullopt) {
    std::string document;
    Status s = engine_->ConfigDocument(&document);
    if (!s.ok()) return s;
    authorizer_.Load(document);
    inbound_.Load(document);
    if (config_seq) webhooks_->Configure(document, *config_seq);
    return s;
  }
  InboundChannels& inbound() { return inbound_; }
  Webhooks& webhooks() { return *webhooks_; }
  EventFeed& feed() { return *feed_; }
  // Takes a /v1/events connection over to the stream threads.
  void StartEventStream(tcp::socket& socket, std::uint64_t from) {
    beast::error_code ec;
    const auto protocol = socket.local_endpoint(ec).protocol();
    if (ec) return;
    tcp::socket moved(net::make_strand(stream_ioc_));
    moved.assign(protocol, socket.release(ec), ec);
    if (ec) return;
    auto stream = std::make_shared<EventStream>(std::move(moved), *feed_, *engine_,
                                                StreamGauges{&open_connections, &metrics_.streams}, from);
    {
      std::lock_guard<std::mutex> lock(mu_);
      streams_.erase(std::remove_if(streams_.begin(), streams_.end(),
                                    [](const std::weak_ptr<EventStream>& w) { return w.expired(); }),
                     streams_.end());
      streams_.push_back(stream);
    }
    stream->Start();
  }
  const ServeLimits& limits() const { return limits_; }
  Metrics& metrics() { return metrics_; }

  void Register(const std::shared_ptr<Session>& s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.insert(s);
  }
  void Unregister(Session* s) {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto locked = it->lock();
      if (!locked || locked.get() == s) {
        it = sessions_.erase(it);
      } else {
        ++it;
      }
    }
  }
  std::atomic<std::size_t> open_connections{0};

 private:
  void Accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed
      if (open_connections.load() >= limits_.max_connections) {
        // Refused at once and plainly: the client learns why and the engine goes on.
        static const std::string kBusy =
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nConnection: close\r\n"
            "Content-Length: 45\r\n\r\n{\"error\":\"too many connections; retry later\"}";
        beast::error_code ignored;
        net::write(socket, net::buffer(kBusy), ignored);
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        metrics_.refused_connections.fetch_add(1);
      } else {
        auto session = std::make_shared<Session>(std::move(socket), *this);
        Register(session);
        session->Run();
      }
      Accept();
    });
  }

  Engine* engine_;
  ServeLimits limits_;
  net::io_context ioc_;
  net::io_context stream_ioc_;  // the /v1/events streams (EventStream), on threads of their own
  tcp::acceptor acceptor_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::set<std::weak_ptr<Session>, std::owner_less<std::weak_ptr<Session>>> sessions_;
  Metrics metrics_;
  Authorizer authorizer_;
  InboundChannels inbound_;
  std::unique_ptr<Webhooks> webhooks_;
  std::unique_ptr<EventFeed> feed_;  // its timer is on stream_ioc_, which must outlive it
  std::vector<std::thread> stream_threads_;
  std::vector<std::weak_ptr<EventStream>> streams_;
  std::uint64_t tokens_feed_ = 0;
};

Session::Session(tcp::socket socket, Server& server) : stream_(std::move(socket)), server_(server) {
  server_.open_connections.fetch_add(1);
}

Session::~Session() { server_.open_connections.fetch_sub(1); }

void Session::Close() {
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->CloseNow(); });
}

void Session::CloseNow() {
  if (closed_) return;
  closed_ = true;
  if (subscription_ != 0) {
    if (agent_feed_) {
      server_.engine().UnsubscribeAgent(subscription_);
    } else {
      server_.engine().Unsubscribe(subscription_);
    }
    server_.metrics().streams.fetch_sub(1);
    subscription_ = 0;
  }
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.socket().close(ec);
  server_.Unregister(this);
}

void Session::ReadRequest() {
  if (closed_) return;
  parser_.emplace();
  parser_->body_limit(server_.limits().max_body_bytes);
  parser_->header_limit(static_cast<std::uint32_t>(server_.limits().max_header_bytes));
  // A keep-alive connection may wait this long for its next request; the request itself must then
  // arrive within the read time-out (checked again once its first bytes are in would need a second
  // timer; the idle one bounds both, and a slow client holds no thread meanwhile).
  stream_.expires_after(std::chrono::milliseconds(buffer_.size() > 0 ? server_.limits().read_timeout_ms
                                                                     : server_.limits().idle_timeout_ms));
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnRead(ec); });
}

void Session::OnRead(beast::error_code ec) {
  if (closed_) return;
  if (ec == http::error::body_limit) {
    return Send(Error(413, "the body is larger than " + std::to_string(server_.limits().max_body_bytes) + " bytes"),
                false);
  }
  if (ec == http::error::header_limit) return Send(Error(431, "the request's headers are too large"), false);
  if (ec == beast::error::timeout || ec == http::error::end_of_stream || ec == net::error::eof) return CloseNow();
  if (ec) {
    if (ec.category() == http::make_error_code(http::error::bad_target).category()) {
      return Send(Error(400, "not an HTTP request: " + ec.message()), false);
    }
    return CloseNow();
  }
  Handle(parser_->release());
}

void Session::Handle(http::request<http::string_body> raw) {
  started_ = std::chrono::steady_clock::now();
  const bool keep_alive = raw.keep_alive();
  Request request;
  request.method = std::string(raw.method_string());
  request.accept = std::string(raw[http::field::accept]);
  request.body = std::move(raw.body());
  if (!ParseTarget(std::string(raw.target()), &request.path, &request.query)) {
    return Send(Error(400, "not a request target: " + std::string(raw.target())), keep_alive);
  }
  server_.metrics().requests.fetch_add(1);
  // The page's files hold no data: served to anyone, before authentication.
  if (request.method == "GET") {
    if (const Asset* asset = FindAsset(request.path)) {
      // Always asked again (a new binary serves a new page); only our own files run in it.
      static const Headers kPage{{"Cache-Control", "no-cache"},
                                 {"Content-Security-Policy", "default-src 'self'"},
                                 {"X-Content-Type-Options", "nosniff"}};
      return Send({200, std::string(asset->content_type), std::string(asset->body)}, keep_alive, kPage);
    }
  }
  Engine& engine = server_.engine();
  // Twilio signs its requests rather than sending a token: the signature is the authentication.
  if (request.path == "/v1/inbound/twilio") return InboundTwilio(request, raw, keep_alive);
  // A browser's EventSource cannot send a header: it may give the token as ?access_token=TOKEN,
  // taken out of the query so that no handler sees it.
  std::string authorization(raw[http::field::authorization]);
  if (auto it = request.query.find("access_token"); it != request.query.end()) {
    if (authorization.empty()) authorization = "Bearer " + it->second;
    request.query.erase(it);
  }
  std::optional<Caller> caller;
  if (request.path != "/healthz") {
    caller = server_.authorizer().Identify(authorization);
    if (!caller)
      return Send(Error(401, "missing or unknown API token: send Authorization: Bearer TOKEN (or ?access_token=TOKEN)"),
                  keep_alive);
    if (std::string why = server_.authorizer().Refusal(engine, *caller, request); !why.empty()) {
      return Send(Error(403, why), keep_alive);
    }
  }
  auto reply_later = [self = shared_from_this(), keep_alive](Response response) {
    net::post(self->stream_.get_executor(), [self, keep_alive, response = std::move(response)]() mutable {
      self->Send(std::move(response), keep_alive);
    });
  };
  if (request.path == "/v1/commands") {
    if (request.method != "POST") return Send(Error(405, "use POST for /v1/commands"), keep_alive);
    return SubmitCommands(engine, request.body, [this, reply_later](Response r) {
      server_.metrics().commands.fetch_add(1);
      reply_later(std::move(r));
    });
  }
  if (request.path == "/v1/config" && request.method == "PUT") {
    return PutConfig(engine, request.body, [this, reply_later](Response r) {
      (void)server_.RefreshConfig();  // the next request already meets the new tokens
      reply_later(std::move(r));
    });
  }
  if (request.path == "/v1/config" && request.method == "GET") {
    std::string document;
    Status s = engine.ConfigDocument(&document);
    if (s.ok() && caller->role != "admin") document = WithoutSecrets(document);
    Response r = s.ok() ? Response{200, "application/json", document} : Error(500, s.message());
    return Send(std::move(r), keep_alive);
  }
  if (request.method != "GET")
    return Send(Error(405, request.method + " is not supported on " + request.path), keep_alive);
  if (request.path == "/metrics") {
    Response r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = server_.metrics().Render(engine, server_.open_connections.load());
    r.body += WebhooksMetrics(server_.webhooks().Report());
    return Send(std::move(r), keep_alive);
  }
  if (request.path == "/v1/webhooks") {
    return Send({200, "application/json", WebhooksJson(server_.webhooks().Report())}, keep_alive);
  }
  if (request.path == "/v1/events") {
    std::uint64_t from = engine.LastSeq() + 1;  // default: what happens from now on
    const std::string last_id(raw["Last-Event-ID"]);
    auto it = request.query.find("from");
    try {
      if (!last_id.empty()) {
        from = std::stoull(last_id) + 1;
      } else if (it != request.query.end()) {
        from = std::stoull(it->second);
      }
    } catch (const std::exception&) {
      return Send(Error(400, "from and Last-Event-ID are event seqs (numbers)"), keep_alive);
    }
    return StartStream(false, "", std::max<std::uint64_t>(from, 1));
  }
  static const std::string kAgents = "/v1/agents/", kFeed = "/feed";
  if (request.path.rfind(kAgents, 0) == 0 && request.path.size() > kAgents.size() + kFeed.size() &&
      request.path.compare(request.path.size() - kFeed.size(), kFeed.size(), kFeed) == 0) {
    std::string agent = request.path.substr(kAgents.size(), request.path.size() - kAgents.size() - kFeed.size());
    std::string document;
    if (Status s = engine.Query({"agent", agent}, &document); !s.ok()) {
      return Send(Error(s.IsNotFound() ? 404 : 500, s.message()), keep_alive);
    }
    return StartStream(true, agent, 0);
  }
  Send(Read(engine, request), keep_alive);
}

void Session::InboundTwilio(const Request& request, const http::request<http::string_body>& raw, bool keep_alive) {
  std::optional<TwilioChannel> twilio = server_.inbound().twilio();
  if (!twilio) return Send(Error(404, "no inbound Twilio channel is configured (inbound.twilio)"), keep_alive);
  if (request.method != "POST") return Send(Error(405, "Twilio POSTs to /v1/inbound/twilio"), keep_alive);
  // The URL Twilio signed: the one it was given, which a proxy in front may hide (inbound.twilio.url).
  const std::string url = "http://" + std::string(raw[http::field::host]) + std::string(raw.target());
  std::string command;
  Response refusal;
  if (!TwilioCommand(*twilio, url, std::string(raw["X-Twilio-Signature"]), request.body, &command, &refusal)) {
    return Send(std::move(refusal), keep_alive);
  }
  server_.engine().Submit(std::move(command), [self = shared_from_this(), keep_alive](Acknowledgement ack) {
    Response r = TwilioAccepted();
    if (!ack.status.ok()) r = Error(503, ack.status.message());
    for (const std::string& e : ack.EventsAsJson()) {
      if (TypeOf(e) == "command.rejected") {
        nlohmann::json rejected = nlohmann::json::parse(e, nullptr, false);
        r = Error(422, rejected.is_object() ? rejected.value("error", e) : e);
      }
    }
    net::post(self->stream_.get_executor(),
              [self, keep_alive, r = std::move(r)]() mutable { self->Send(std::move(r), keep_alive); });
  });
}

void Session::Send(Response response, bool keep_alive, const Headers& headers) {
  if (closed_) return;
  auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(response.status), 11);
  res->set(http::field::server, "switchboard");
  res->set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : headers) res->set(name, value);
  res->keep_alive(keep_alive);
  res->body() = std::move(response.body);
  res->prepare_payload();
  server_.metrics().Answered(response.status, std::chrono::steady_clock::now() - started_);
  stream_.expires_after(std::chrono::milliseconds(server_.limits().idle_timeout_ms));
  http::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive](beast::error_code ec, std::size_t) {
    if (ec || !keep_alive) return self->CloseNow();
    self->ReadRequest();
  });
}

void Session::StartStream(bool agent_feed, const std::string& agent, std::uint64_t from) {
  agent_feed_ = agent_feed;
  stream_.expires_never();
  if (!agent_feed) {  // /v1/events: the connection is the stream's now, on the stream threads
    closed_ = true;
    server_.StartEventStream(stream_.socket(), from);
    server_.Unregister(this);
    return;
  }
  // The header, then the items as they come; the body ends when the connection does.
  Push(
      "HTTP/1.1 200 OK\r\nServer: switchboard\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "Connection: close\r\n\r\n");
  Engine& engine = server_.engine();
  std::weak_ptr<Session> weak = weak_from_this();
  auto executor = stream_.get_executor();
  subscription_ = engine.SubscribeAgent(agent, [weak, executor](const std::string& item) {
    net::post(executor, [weak, chunk = "event: item\ndata: " + item + "\n\n"]() mutable {
      if (auto self = weak.lock()) self->Push(std::move(chunk));
    });
  });
  if (subscription_ == 0) return Send(Error(503, "this engine has no live feed"), false);
  server_.metrics().streams.fetch_add(1);
  WatchForClose();
}

// A streaming client sends nothing more: any read completing (its close, or bytes) ends the stream.
void Session::WatchForClose() {
  stream_.socket().async_read_some(net::buffer(probe_),
                                   [self = shared_from_this()](beast::error_code, std::size_t) { self->CloseNow(); });
}

void Session::Push(std::string chunk) {
  if (closed_) return;
  backlog_bytes_ += chunk.size();
  if (backlog_bytes_ > server_.limits().max_stream_backlog_bytes) {
    // Too far behind: it resumes with Last-Event-ID rather than the server holding the log for it.
    server_.metrics().dropped_streams.fetch_add(1);
    return CloseNow();
  }
  backlog_.push_back(std::move(chunk));
  if (!writing_) WriteNext();
}

void Session::WriteNext() {
  if (backlog_.empty() || closed_) {
    writing_ = false;
    return;
  }
  writing_ = true;
  net::async_write(stream_.socket(), net::buffer(backlog_.front()),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     if (ec) return self->CloseNow();
                     self->backlog_bytes_ -= self->backlog_.front().size();
                     self->backlog_.pop_front();
                     self->WriteNext();
                   });
}

}  // namespace

Status HttpServer::Start(Engine* engine, const std::string& host, std::uint16_t port, const ServeLimits& limits,
                         std::unique_ptr<HttpServer>* out) {
  auto server = std::make_unique<Server>(engine, limits);
  Status s = server->Listen(host, port);
  if (!s.ok()) return s;
  *out = std::move(server);
  return Status::OK();
}

}  // namespace switchboard::serve
