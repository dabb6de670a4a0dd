// Staffing (B73): Erlang C against an independent computation (the factorial-sum formula in long
// double), and `query staffing` over hand-made records: arrivals per interval, the agents needed and
// online, CSV, and the refusals of bad parameters.
#include "projections/staffing.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "projections/erlang_c.h"
#include "projections/queries.h"
#include "projections/records.h"

using namespace switchboard;
using nlohmann::json;

namespace {

// C(N, A) = (A^N / N! * N / (N - A)) / (sum_{k=0}^{N-1} A^k / k! + A^N / N! * N / (N - A)), each term
// from powl and tgammal: nothing in common with the Erlang B recurrence the engine iterates.
long double DirectErlangC(int n, long double a) {
  long double sum = 0;
  for (int k = 0; k < n; ++k)
    sum += std::pow(a, static_cast<long double>(k)) / std::tgamma(static_cast<long double>(k + 1));
  const long double top =
      std::pow(a, static_cast<long double>(n)) / std::tgamma(static_cast<long double>(n + 1)) * n / (n - a);
  return top / (sum + top);
}

long double DirectServiceLevel(int n, long double a, long double aht, long double t) {
  return 1 - DirectErlangC(n, a) * std::exp(-(n - a) * t / aht);
}

// The smallest n > a meeting the target, by the direct formula.
int DirectAgentsNeeded(long double a, long double aht, long double t, long double share) {
  int n = static_cast<int>(std::floor(a)) + 1;
  while (DirectServiceLevel(n, a, aht, t) < share) ++n;
  return n;
}

std::string Ticket(std::uint64_t id, const std::string& created, int handle_s, const std::string& abandoned = "",
                   const std::string& channel = "messaging") {
  json t = {{"id", id},
            {"channel", channel},
            {"created_at", created},
            {"handle_s", handle_s},
            {"handling_since", nullptr},
            {"abandoned_at", abandoned.empty() ? json(nullptr) : json(abandoned)},
            {"time_to_abandon_s", abandoned.empty() ? json(nullptr) : json(30)}};
  return t.dump();
}

Record Presence(const std::string& at, std::uint64_t seq, const std::string& agent, const std::string& from,
                const std::string& to) {
  PresenceChange p{seq, *ParseRfc3339(at), agent, from, to};
  return {PresenceKey(p.at, p.seq), PresenceJson(p)};
}

// 09:00-09:30: 100 tickets of 540 s (A = 100 / 1800 * 540 = 30 erlangs) and one abandoned; 09:30-10:00:
// 20 email tickets of 180 s (A = 2); 10:00-10:30: none. Alice online 09:00-10:00, bob from 09:15 to 09:45.
std::vector<Record> Day() {
  std::vector<Record> records;
  std::uint64_t id = 0;
  for (int i = 0; i < 100; ++i) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-11-23T09:%02d:%02dZ", (i * 18) / 60, (i * 18) % 60);
    ++id;
    records.push_back({TicketKey(id), Ticket(id, at, 540)});
  }
  ++id;
  records.push_back({TicketKey(id), Ticket(id, "2026-11-23T09:29:00Z", 0, "2026-11-23T09:35:00Z")});
  for (int i = 0; i < 20; ++i) {
    char at[32];
    std::snprintf(at, sizeof at, "2026-11-23T09:%02d:00Z", 30 + i);
    ++id;
    records.push_back({TicketKey(id), Ticket(id, at, 180, "", "email")});
  }
  ++id;
  records.push_back({TicketKey(id), Ticket(id, "2026-11-23T10:40:00Z", 300)});  // past the range asked below
  records.push_back(Presence("2026-11-23T09:00:00Z", 1, "alice", "offline", "online"));
  records.push_back(Presence("2026-11-23T09:15:00Z", 2, "bob", "offline", "online"));
  records.push_back(Presence("2026-11-23T09:45:00Z", 3, "bob", "online", "away"));
  records.push_back(Presence("2026-11-23T10:00:00Z", 4, "alice", "online", "offline"));
  return records;
}

Status Staffing(const std::vector<Record>& records, const std::string& from, const std::string& to,
                const std::string& interval, const std::string& level, const std::string& concurrency, bool csv,
                std::string* out, const std::string& channel = "") {
  return AnswerStaffing(MemoryRecords(records), StaffingRequest{from, to, interval, level, concurrency, channel}, csv,
                        out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(staffing)

BOOST_AUTO_TEST_CASE(B73_erlang_c_matches_the_factorial_sum_formula) {
  // C(2, 1) = (1/2 * 2) / (1 + 1 + 1) = 1/3 exactly.
  BOOST_TEST(std::abs(ErlangC(2, 1.0) - 1.0 / 3) < 1e-12);
  const std::vector<std::pair<int, double>> cases = {{1, 0.5},   {2, 1.0},   {5, 4.5},   {11, 10.0}, {13, 10.0},
                                                     {14, 10.0}, {20, 10.0}, {31, 30.0}, {40, 30.0}, {60, 48.0}};
  for (const auto& [n, a] : cases) {
    BOOST_TEST_CONTEXT("C(" << n << ", " << a << ")") {
      BOOST_TEST(std::abs(ErlangC(n, a) - static_cast<double>(DirectErlangC(n, a))) < 1e-9);
      BOOST_TEST(std::abs(ServiceLevel(n, a, 180, 20) - static_cast<double>(DirectServiceLevel(n, a, 180, 20))) < 1e-9);
    }
  }
  BOOST_TEST(ErlangC(10, 10.0) == 1.0);  // no more agents than erlangs: everyone waits
  BOOST_TEST(ServiceLevel(9, 10.0, 180, 20) == 0.0);
}

BOOST_AUTO_TEST_CASE(B73_agents_needed_the_textbook_case_and_others) {
  // 200 contacts an hour of 180 s each: A = 200 / 3600 * 180 = 10 erlangs. 80 % within 20 s:
  // SL(13) = 79.6 %, SL(14) = 88.8 %, so 14 agents.
  BOOST_TEST(DirectServiceLevel(13, 10, 180, 20) < 0.8L);
  BOOST_TEST(DirectServiceLevel(14, 10, 180, 20) >= 0.8L);
  BOOST_TEST(AgentsNeeded(200.0 / 3600 * 180, 180, 20, 0.8) == 14);
  struct Case {
    double a, aht, t, share;
  };
  for (const Case& c : {Case{10, 180, 20, 0.9}, Case{10, 180, 60, 0.8}, Case{2.5, 300, 30, 0.8}, Case{48, 240, 20, 0.8},
                        Case{0.5, 600, 20, 0.8}, Case{30, 540, 20, 0.8}, Case{2, 180, 20, 0.8}, Case{10, 180, 0, 0.8},
                        Case{100, 300, 15, 0.95}}) {
    BOOST_TEST_CONTEXT("A " << c.a << ", AHT " << c.aht << ", " << c.share << " within " << c.t) {
      BOOST_TEST(AgentsNeeded(c.a, c.aht, c.t, c.share) == DirectAgentsNeeded(c.a, c.aht, c.t, c.share));
    }
  }
  BOOST_TEST(AgentsNeeded(10, 180, 20, 0.9) == 15);
  BOOST_TEST(AgentsNeeded(48, 240, 20, 0.8) == 54);
  BOOST_TEST(AgentsNeeded(0, 180, 20, 0.8) == 0);  // no traffic
}

BOOST_AUTO_TEST_CASE(B73_staffing_gives_arrivals_handle_time_agents_needed_and_online_per_interval) {
  const std::vector<Record> day = Day();
  std::string text;
  BOOST_REQUIRE(Staffing(day, "2026-11-23T09:00:00Z", "2026-11-23T10:30:00Z", "", "", "", false, &text).ok());
  json doc = json::parse(text);
  BOOST_TEST(doc["interval_s"] == 1800);
  BOOST_TEST(doc["service_level"]["percent"] == 80);
  BOOST_TEST(doc["service_level"]["within_s"] == 20);
  BOOST_TEST(doc["concurrency"] == 1);
  BOOST_REQUIRE_EQUAL(doc["rows"].size(), 3u);
  json r0 = doc["rows"][0], r1 = doc["rows"][1], r2 = doc["rows"][2];
  BOOST_TEST(r0["from"] == "2026-11-23T09:00:00Z");
  BOOST_TEST(r0["to"] == "2026-11-23T09:30:00Z");
  BOOST_TEST(r0["arrivals"] == 101);  // the abandoned one is an arrival ...
  BOOST_TEST(r0["abandoned"] == 1);
  BOOST_TEST(r0["mean_handle_s"] == 540.0);  // ... but not in the mean handle time
  const double a0 = 101.0 / 1800 * 540;
  BOOST_TEST(r0["agents_needed"] == DirectAgentsNeeded(a0, 540, 20, 0.8));
  BOOST_TEST(r0["agents_online"] == 1.5);  // alice all along, bob the second half
  BOOST_TEST(r1["arrivals"] == 20);
  BOOST_TEST(r1["mean_handle_s"] == 180.0);
  BOOST_TEST(r1["agents_needed"] == DirectAgentsNeeded(20.0 / 1800 * 180, 180, 20, 0.8));
  BOOST_TEST(r1["agents_online"] == 1.5);  // bob until 09:45
  BOOST_TEST(r2["arrivals"] == 0);
  BOOST_TEST(r2["mean_handle_s"].is_null());
  BOOST_TEST(r2["agents_needed"] == 0);
  BOOST_TEST(r2["agents_online"] == 0.0);  // alice offline from 10:00

  // Three chats at once: the handle time an agent spends per chat is a third.
  BOOST_REQUIRE(Staffing(day, "2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z", "30m", "80/20s", "3", false, &text).ok());
  BOOST_TEST(json::parse(text)["rows"][0]["agents_needed"] == DirectAgentsNeeded(a0 / 3, 540.0 / 3, 20, 0.8));
  BOOST_TEST(json::parse(text)["rows"][0]["mean_handle_s"] == 540.0);  // the handle time itself is unchanged

  // A stricter target needs more; an hour's interval sums both halves.
  BOOST_REQUIRE(Staffing(day, "2026-11-23T09:00:00Z", "2026-11-23T09:30:00Z", "", "95/10s", "", false, &text).ok());
  BOOST_TEST(json::parse(text)["rows"][0]["agents_needed"] == DirectAgentsNeeded(a0, 540, 10, 0.95));
  BOOST_REQUIRE(Staffing(day, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", "1h", "", "", false, &text).ok());
  doc = json::parse(text);
  BOOST_REQUIRE_EQUAL(doc["rows"].size(), 1u);
  BOOST_TEST(doc["rows"][0]["arrivals"] == 121);
  BOOST_TEST(doc["rows"][0]["mean_handle_s"] == 480.0);  // (100 * 540 + 20 * 180) / 120
  BOOST_TEST(doc["rows"][0]["agents_online"] == 1.5);

  // One channel: only the tickets that came from it (the agents online are all of them).
  BOOST_REQUIRE(
      Staffing(day, "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", "1h", "", "", false, &text, "email").ok());
  doc = json::parse(text);
  BOOST_TEST(doc["channel"] == "email");
  BOOST_TEST(doc["rows"][0]["arrivals"] == 20);
  BOOST_TEST(doc["rows"][0]["mean_handle_s"] == 180.0);
  BOOST_TEST(doc["rows"][0]["agents_online"] == 1.5);

  // Without --from and --to: from the first creation to past the last, aligned to the interval.
  BOOST_REQUIRE(Staffing(day, "", "", "", "", "", false, &text).ok());
  doc = json::parse(text);
  BOOST_TEST(doc["from"] == "2026-11-23T09:00:00Z");
  BOOST_TEST(doc["to"] == "2026-11-23T11:00:00Z");
  BOOST_TEST(doc["rows"].size() == 4u);
  BOOST_TEST(doc["rows"][3]["arrivals"] == 1);
}

BOOST_AUTO_TEST_CASE(B73_staffing_as_csv_has_one_line_per_interval) {
  std::string text;
  BOOST_REQUIRE(Staffing(Day(), "2026-11-23T09:30:00Z", "2026-11-23T10:30:00Z", "", "", "", true, &text).ok());
  const std::string expected_header =
      "from,to,arrivals,mean_handle_s,agents_needed,agents_online,abandoned,traffic_erlangs\n";
  BOOST_TEST(text.substr(0, expected_header.size()) == expected_header);
  const int needed = DirectAgentsNeeded(2, 180, 20, 0.8);
  const std::string rows = text.substr(expected_header.size());
  BOOST_TEST(rows == "2026-11-23T09:30:00Z,2026-11-23T10:00:00Z,20,180.0," + std::to_string(needed) +
                         ",1.5,0,2.0\n2026-11-23T10:00:00Z,2026-11-23T10:30:00Z,0,,0,0.0,0,0.0\n");
}

BOOST_AUTO_TEST_CASE(B73_staffing_refuses_bad_parameters_naming_them) {
  const std::vector<Record> day = Day();
  std::string text;
  struct Bad {
    const char *interval, *level, *concurrency, *from, *to, *named;
  };
  for (const Bad& b : {Bad{"0m", "", "", "", "", "--interval"}, Bad{"30", "", "", "", "", "--interval"},
                       Bad{"30x", "", "", "", "", "--interval"}, Bad{"-5m", "", "", "", "", "--interval"},
                       Bad{"", "80", "", "", "", "--service-level"}, Bad{"", "100/20s", "", "", "", "--service-level"},
                       Bad{"", "0/20s", "", "", "", "--service-level"},
                       Bad{"", "80/20x", "", "", "", "--service-level"}, Bad{"", "", "0", "", "", "--concurrency"},
                       Bad{"", "", "two", "", "", "--concurrency"}, Bad{"", "", "", "yesterday", "", "--from"},
                       Bad{"", "", "", "2026-11-23T10:00:00Z", "2026-11-23T09:00:00Z", "--to"},
                       Bad{"1s", "", "", "2026-11-01T00:00:00Z", "2026-11-30T00:00:00Z", "--interval"}}) {
    BOOST_TEST_CONTEXT(b.named << " " << b.interval << b.level << b.concurrency << b.from) {
      Status s = Staffing(day, b.from, b.to, b.interval, b.level, b.concurrency, false, &text);
      BOOST_TEST((s.code() == Status::Code::kInvalidArgument));
      BOOST_TEST(s.message().rfind(std::string(b.named) + ":", 0) == 0);
    }
  }
  Status s = Staffing(day, "", "", "", "", "", false, &text, "sms");
  BOOST_TEST(s.message().rfind("--channel: expected messaging or email", 0) == 0);
  // Accepted forms: seconds, minutes, hours; a decimal percent; T in minutes or bare seconds.
  for (const char* interval : {"900s", "15m", "1h"}) {
    BOOST_TEST(Staffing(day, "", "", interval, "", "", false, &text).ok());
  }
  for (const char* level : {"90.5/30s", "80/1m", "80/20", "80/0s"}) {
    BOOST_TEST(Staffing(day, "", "", "", level, "", false, &text).ok());
  }
  // Nothing recorded: no rows, no range.
  BOOST_REQUIRE(Staffing({}, "", "", "", "", "", false, &text).ok());
  BOOST_TEST(json::parse(text)["rows"].empty());
  BOOST_TEST(json::parse(text)["from"].is_null());
}

BOOST_AUTO_TEST_SUITE_END()
