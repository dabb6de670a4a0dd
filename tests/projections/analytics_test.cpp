// AnalyticsReport (B52) on hand-made ticket records, without an engine: medians, the CSV's quoting
// (RFC 4180) and rows that cannot be mistaken for an agent called "total" or "(none)".
#include "projections/analytics.h"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <vector>

using nlohmann::json;
using switchboard::AnalyticsRange;
using switchboard::AnalyticsReport;
using Strings = std::vector<std::string>;

namespace {

// A stored ticket record created at 09:00:00 and first replied `reply_s` (< 3600) seconds later.
std::string Ticket(const json& assignee, int reply_s, const std::string& csat = "") {
  char replied[32];
  std::snprintf(replied, sizeof replied, "2026-11-23T09:%02d:%02dZ", reply_s / 60, reply_s % 60);
  json t = {{"created_at", "2026-11-23T09:00:00Z"},
            {"first_reply_at", replied},
            {"solved_at", nullptr},
            {"first_assigned_at", nullptr},
            {"assignee", assignee},
            {"group", "support"},
            {"channel", "messaging"},
            {"csat", csat.empty() ? json(nullptr) : json(csat)}};
  return t.dump();
}

AnalyticsRange ByAgent() {
  AnalyticsRange range;
  range.by = "agent";
  return range;
}

// The records of an RFC 4180 text: quoted fields may hold commas, doubled quotes and line breaks.
std::vector<Strings> ParseCsv(const std::string& text) {
  std::vector<Strings> records;
  Strings record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
    } else if (c == '\n') {
      record.push_back(field);
      field.clear();
      records.push_back(record);
      record.clear();
    } else {
      field.push_back(c);
    }
  }
  BOOST_TEST(!quoted);
  BOOST_TEST(field.empty());  // the text ends with a line break
  return records;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(analytics_report)

BOOST_AUTO_TEST_CASE(B52_the_median_of_an_even_count_is_the_mean_of_the_two_middle_values) {
  AnalyticsReport two(ByAgent());
  two.AddTicket(Ticket("alice", 318));
  two.AddTicket(Ticket("alice", 168));
  json a = json::parse(two.Json());
  BOOST_TEST(a["rows"][0]["first_reply_s"]["median"] == 243);  // not 318
  BOOST_TEST(a["total"]["first_reply_s"]["median"] == 243);
  BOOST_TEST(a["total"]["first_reply_s"]["mean"] == 243);
  BOOST_TEST(ParseCsv(two.Csv())[1][5] == "243");  // first_reply_median_s

  AnalyticsReport four(ByAgent());
  for (int s : {400, 100, 1000, 200}) four.AddTicket(Ticket("alice", s));
  BOOST_TEST(json::parse(four.Json())["total"]["first_reply_s"]["median"] == 300);  // (200 + 400) / 2

  AnalyticsReport three(ByAgent());
  for (int s : {400, 100, 1000}) three.AddTicket(Ticket("alice", s));
  BOOST_TEST(json::parse(three.Json())["total"]["first_reply_s"]["median"] == 400);  // odd: the middle one

  AnalyticsReport one(ByAgent());
  one.AddTicket(Ticket("alice", 61));
  BOOST_TEST(json::parse(one.Json())["total"]["first_reply_s"]["median"] == 61);
  BOOST_TEST(json::parse(AnalyticsReport(ByAgent()).Json())["total"]["first_reply_s"]["median"].is_null());
}

BOOST_AUTO_TEST_CASE(B52_csv_fields_with_a_comma_a_quote_or_a_line_break_are_quoted_per_rfc_4180) {
  AnalyticsReport report(ByAgent());
  report.AddTicket(Ticket("o'brien, \"jr\"", 60));
  report.AddTicket(Ticket("two\nlines", 60));
  report.AddTicket(Ticket("cr\rhere", 60));
  report.AddTicket(Ticket("plain", 60));
  const std::string csv = report.Csv();
  BOOST_TEST(csv.find("\nagent,\"o'brien, \"\"jr\"\"\",1,") != std::string::npos);
  BOOST_TEST(csv.find("\nagent,plain,1,") != std::string::npos);  // nothing to quote: as it is
  std::vector<Strings> records = ParseCsv(csv);
  BOOST_REQUIRE(records.size() == 6u);  // header, four agents, total
  for (const Strings& r : records) BOOST_TEST(r.size() == records[0].size());
  Strings keys;
  for (std::size_t i = 1; i < records.size(); ++i) keys.push_back(records[i][1]);
  BOOST_TEST(keys == (Strings{"cr\rhere", "o'brien, \"jr\"", "plain", "two\nlines", ""}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(B52_the_total_and_unassigned_rows_cannot_be_mistaken_for_agents_called_total_or_none) {
  AnalyticsReport report(ByAgent());
  report.AddTicket(Ticket("total", 60, "good"));
  report.AddTicket(Ticket("(none)", 120));
  report.AddTicket(Ticket(nullptr, 180));  // unassigned
  report.AddTicket(Ticket(nullptr, 240));

  std::vector<Strings> records = ParseCsv(report.Csv());
  BOOST_REQUIRE(records.size() == 5u);
  BOOST_TEST(records[0][0] == "row");
  BOOST_TEST(records[0][1] == "key");
  BOOST_TEST(records[0][2] == "tickets");
  Strings kinds, keys, tickets;
  for (std::size_t i = 1; i < records.size(); ++i) {
    kinds.push_back(records[i][0]);
    keys.push_back(records[i][1]);
    tickets.push_back(records[i][2]);
  }
  BOOST_TEST(kinds == (Strings{"none", "agent", "agent", "total"}), boost::test_tools::per_element());
  BOOST_TEST(keys == (Strings{"", "(none)", "total", ""}), boost::test_tools::per_element());
  BOOST_TEST(tickets == (Strings{"2", "1", "1", "4"}), boost::test_tools::per_element());

  json a = json::parse(report.Json());
  BOOST_REQUIRE(a["rows"].size() == 3u);
  BOOST_TEST(a["rows"][0]["key"].is_null());  // unassigned
  BOOST_TEST(a["rows"][0]["tickets"] == 2);
  BOOST_TEST(a["rows"][1]["key"] == "(none)");
  BOOST_TEST(a["rows"][1]["tickets"] == 1);
  BOOST_TEST(a["rows"][2]["key"] == "total");
  BOOST_TEST(a["rows"][2]["csat"]["good"] == 1);
  BOOST_TEST(a["total"]["tickets"] == 4);
}

BOOST_AUTO_TEST_CASE(B52_without_grouping_the_csv_has_only_the_total_row) {
  AnalyticsReport report{AnalyticsRange{}};
  report.AddTicket(Ticket("alice", 60));
  std::vector<Strings> records = ParseCsv(report.Csv());
  BOOST_REQUIRE(records.size() == 2u);
  BOOST_TEST(records[1][0] == "total");
  BOOST_TEST(records[1][1] == "");
  BOOST_TEST(records[1][2] == "1");
}

BOOST_AUTO_TEST_SUITE_END()
