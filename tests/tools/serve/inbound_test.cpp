// Twilio's messaging webhook into `switchboard serve` (tools/serve/inbound.h): a request Twilio
// signed becomes the contact's message (B1: a customer writes in), its MessageSid the command id so
// that Twilio's retries change nothing; an unsigned or mis-signed request, or one without the
// fields of a message, is refused with a sentence, and the engine goes on.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <string>

#include "switchboard/engine.h"
#include "tests/support/temp_dir.h"
#include "tools/serve/server.h"
#include "tools/serve/signing.h"

using namespace switchboard;
using nlohmann::json;
using switchboard::testing::TempDir;
namespace net = boost::asio;
namespace http = boost::beast::http;

namespace {

const char* kAuthToken = "twilio-auth-token-0123456789";

struct Reply {
  int status = 0;
  std::string content_type, body;
};

// A form-encoded POST to /v1/inbound/twilio, signed (or not) as Twilio signs.
Reply PostForm(std::uint16_t port, const std::map<std::string, std::string>& fields, const std::string& signature) {
  std::string body;
  auto encode = [](const std::string& s) {
    std::string out;
    for (unsigned char ch : s) {
      if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.') {
        out.push_back(static_cast<char>(ch));
      } else {
        char buf[4];
        std::snprintf(buf, sizeof buf, "%%%02X", ch);
        out += buf;
      }
    }
    return out;
  };
  for (const auto& [name, value] : fields) body += (body.empty() ? "" : "&") + encode(name) + "=" + encode(value);
  net::io_context ioc;
  net::ip::tcp::socket socket(ioc);
  socket.connect({net::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> request{http::verb::post, "/v1/inbound/twilio", 11};
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  if (!signature.empty()) request.set("X-Twilio-Signature", signature);
  request.body() = body;
  request.prepare_payload();
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return {static_cast<int>(response.result_int()), std::string(response[http::field::content_type]), response.body()};
}

class Served {
 public:
  explicit Served(bool with_twilio = true) {
    json config = json::parse(R"({"groups": [{"id": "support"}], "agents": [{"id": "alice", "groups": ["support"]}]})");
    if (with_twilio) config["inbound"] = {{"twilio", {{"auth_token", kAuthToken}}}};
    Options options;
    options.db_path = dir_.Sub("db");
    options.config_json = config.dump();
    BOOST_REQUIRE(Engine::Open(options, &engine_).ok());
    BOOST_REQUIRE(serve::HttpServer::Start(engine_.get(), "127.0.0.1", 0, {}, &server_).ok());
  }
  ~Served() {
    server_->Stop();
    engine_.reset();
  }
  std::uint16_t port() const { return server_->port(); }
  Engine& engine() { return *engine_; }
  // What Twilio would sign for this server's URL.
  std::string Sign(const std::map<std::string, std::string>& fields) const {
    return serve::TwilioSignature(kAuthToken, "http://127.0.0.1:" + std::to_string(port()) + "/v1/inbound/twilio",
                                  fields);
  }

 private:
  TempDir dir_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<serve::HttpServer> server_;
};

const std::map<std::string, std::string> kMessage{
    {"MessageSid", "SM0123456789abcdef"}, {"From", "whatsapp:+33612345678"},
    {"To", "whatsapp:+14155238886"},      {"Body", "Bonjour, ma commande n'est pas arrivée"},
    {"ProfileName", "Hugo Durand"},       {"AccountSid", "AC0123"}};

}  // namespace

BOOST_AUTO_TEST_SUITE(inbound_twilio)

BOOST_AUTO_TEST_CASE(B1_a_message_twilio_signed_is_the_contacts_message_and_its_retry_changes_nothing) {
  Served served;
  Reply reply = PostForm(served.port(), kMessage, served.Sign(kMessage));
  BOOST_REQUIRE_EQUAL(reply.status, 200);
  BOOST_TEST(reply.content_type == "text/xml");
  BOOST_TEST(reply.body.find("<Response>") != std::string::npos);  // TwiML, no reply of its own

  std::string contact;
  BOOST_REQUIRE(served.engine().Query({"contact", "whatsapp:+33612345678"}, &contact).ok());
  json c = json::parse(contact);
  BOOST_TEST(c["profile"]["name"] == "Hugo Durand");
  BOOST_TEST(c["profile"]["phone"] == "whatsapp:+33612345678");
  const std::uint64_t last = served.engine().LastSeq();
  BOOST_TEST(last > 0u);

  Reply retry = PostForm(served.port(), kMessage, served.Sign(kMessage));  // Twilio retries the same message
  BOOST_TEST(retry.status == 200);
  BOOST_TEST(served.engine().LastSeq() == last);  // nothing new: the MessageSid is the command id
  bool found_text = false;                        // the contact's audit holds what it wrote
  BOOST_REQUIRE(served.engine()
                    .Audit("contact", "whatsapp:+33612345678",
                           [&](const std::string& e) {
                             found_text = found_text || e.find("ma commande") != std::string::npos;
                             return true;
                           })
                    .ok());
  BOOST_TEST(found_text);
}

BOOST_AUTO_TEST_CASE(an_unsigned_or_mis_signed_request_is_refused_and_records_nothing) {
  Served served;
  const std::uint64_t before = served.engine().LastSeq();
  Reply unsigned_request = PostForm(served.port(), kMessage, "");
  BOOST_TEST(unsigned_request.status == 403);
  BOOST_TEST(unsigned_request.body.find("X-Twilio-Signature") != std::string::npos);
  std::map<std::string, std::string> forged = kMessage;
  forged["Body"] = "something else";
  Reply mis_signed = PostForm(served.port(), forged, served.Sign(kMessage));  // signed for another body
  BOOST_TEST(mis_signed.status == 403);
  BOOST_TEST(served.engine().LastSeq() == before);
}

BOOST_AUTO_TEST_CASE(a_request_without_a_message_id_or_sender_is_refused_naming_the_field) {
  Served served;
  std::map<std::string, std::string> no_sid = kMessage;
  no_sid.erase("MessageSid");
  Reply reply = PostForm(served.port(), no_sid, served.Sign(no_sid));
  BOOST_TEST(reply.status == 400);
  BOOST_TEST(reply.body.find("MessageSid") != std::string::npos);
  std::map<std::string, std::string> no_from = kMessage;
  no_from.erase("From");
  reply = PostForm(served.port(), no_from, served.Sign(no_from));
  BOOST_TEST(reply.status == 400);
  BOOST_TEST(reply.body.find("From") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(without_an_inbound_twilio_channel_the_path_is_not_found) {
  Served served(/*with_twilio=*/false);
  Reply reply = PostForm(served.port(), kMessage, "anything");
  BOOST_TEST(reply.status == 404);
  BOOST_TEST(reply.body.find("inbound.twilio") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
