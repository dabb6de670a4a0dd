// The engine's clock text: RFC 3339 in (ParseRfc3339) and out (FormatRfc3339), PROTOCOL.md `at`.
#include "events/time.h"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

using switchboard::FormatRfc3339;
using switchboard::ParseRfc3339;
using switchboard::Timestamp;

constexpr Timestamp kNov23At9 = 1795424400000;  // 2026-11-23T09:00:00Z, from `date -u +%s`

}  // namespace

BOOST_AUTO_TEST_SUITE(rfc3339_time)

BOOST_AUTO_TEST_CASE(parses_the_protocol_example_to_the_exact_millisecond) {
  std::optional<Timestamp> t = ParseRfc3339("2026-11-23T09:00:00Z");
  BOOST_TEST_REQUIRE(t.has_value());
  BOOST_TEST(*t == kNov23At9);
}

BOOST_AUTO_TEST_CASE(parses_the_epoch_and_a_leap_day) {
  BOOST_TEST(ParseRfc3339("1970-01-01T00:00:00Z").value_or(-1) == 0);
  // 2028-02-29 exists (leap year); 2028-03-01 is exactly one day later.
  std::optional<Timestamp> leap = ParseRfc3339("2028-02-29T00:00:00Z");
  std::optional<Timestamp> march = ParseRfc3339("2028-03-01T00:00:00Z");
  BOOST_TEST_REQUIRE(leap.has_value());
  BOOST_TEST_REQUIRE(march.has_value());
  BOOST_TEST(*march - *leap == 24 * switchboard::kMillisPerHour);
}

BOOST_AUTO_TEST_CASE(fractional_seconds_add_milliseconds) {
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.5Z").value_or(-1) == kNov23At9 + 500);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.05Z").value_or(-1) == kNov23At9 + 50);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.123Z").value_or(-1) == kNov23At9 + 123);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.999Z").value_or(-1) == kNov23At9 + 999);
  // Digits below the millisecond are dropped, not rounded into the next second.
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.123456789Z").value_or(-1) == kNov23At9 + 123);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00.9999Z").value_or(-1) == kNov23At9 + 999);
}

BOOST_AUTO_TEST_CASE(offsets_name_the_same_instant_as_utc) {
  BOOST_TEST(ParseRfc3339("2026-11-23T10:00:00+01:00").value_or(-1) == kNov23At9);
  BOOST_TEST(ParseRfc3339("2026-11-23T03:30:00-05:30").value_or(-1) == kNov23At9);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00+00:00").value_or(-1) == kNov23At9);
  BOOST_TEST(ParseRfc3339("2026-11-23T09:00:00-00:00").value_or(-1) == kNov23At9);
  // An offset may move the instant across midnight.
  BOOST_TEST(ParseRfc3339("2026-11-22T23:00:00-10:00").value_or(-1) == kNov23At9);
  BOOST_TEST(ParseRfc3339("2026-11-23T18:00:00.250+09:00").value_or(-1) == kNov23At9 + 250);
}

BOOST_AUTO_TEST_CASE(lowercase_separators_are_accepted_as_rfc3339_allows) {
  BOOST_TEST(ParseRfc3339("2026-11-23t09:00:00z").value_or(-1) == kNov23At9);
}

BOOST_AUTO_TEST_CASE(rejects_text_that_is_not_rfc3339) {
  const std::vector<std::string> bad{
      "",                              // empty
      "2026-11-23T09:00:00",           // missing Z
      "2026-13-23T09:00:00Z",          // month 13
      "2026-00-23T09:00:00Z",          // month 0
      "2026-02-30T09:00:00Z",          // Feb 30
      "2027-02-29T09:00:00Z",          // Feb 29 of a common year
      "2026-11-31T09:00:00Z",          // Nov 31
      "2026-11-00T09:00:00Z",          // day 0
      "2026-11-23T24:00:00Z",          // hour 24
      "2026-11-23T09:60:00Z",          // minute 60
      "2026-11-23T09:00:61Z",          // second 61
      "yesterday",                     // letters
      "2026-1l-23T09:00:00Z",          // a letter among the digits
      "abcd-ef-ghTij:kl:mnZ",          // letters in the right shape
      "2026-11-23T09:00:00Zjunk",      // trailing junk
      "2026-11-23T09:00:00Z ",         // trailing space
      " 2026-11-23T09:00:00Z",         // leading space
      "2026-11-23",                    // a date alone
      "2026-11-23T09:00Z",             // no seconds
      "2026/11/23T09:00:00Z",          // wrong date separator
      "2026-11-23X09:00:00Z",          // wrong date/time separator
      "2026-11-23T09.00.00Z",          // wrong time separator
      "2026-11-23T09:00:00.Z",         // a dot without digits
      "2026-11-23T09:00:00+0100",      // offset without colon
      "2026-11-23T09:00:00+01",        // offset without minutes
      "2026-11-23T09:00:00+01:0",      // offset cut short
      "2026-11-23T09:00:00+01:00:00",  // offset with seconds
      "2026-11-23T09:00:00+24:00",     // offset hour out of range (time-hour is 00-23)
      "2026-11-23T09:00:00+01:60",     // offset minute out of range (time-minute is 00-59)
      "26-11-23T09:00:00Z",            // two-digit year
  };
  for (const std::string& text : bad) {
    BOOST_TEST_CONTEXT("text \"" << text << "\"") { BOOST_TEST(!ParseRfc3339(text).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(formats_whole_seconds_without_a_fraction) {
  BOOST_TEST(FormatRfc3339(kNov23At9) == "2026-11-23T09:00:00Z");
  BOOST_TEST(FormatRfc3339(0) == "1970-01-01T00:00:00Z");
  BOOST_TEST(FormatRfc3339(kNov23At9 + 59 * switchboard::kMillisPerSecond) == "2026-11-23T09:00:59Z");
}

BOOST_AUTO_TEST_CASE(formats_milliseconds_with_three_digits_only_when_non_zero) {
  BOOST_TEST(FormatRfc3339(kNov23At9 + 1) == "2026-11-23T09:00:00.001Z");
  BOOST_TEST(FormatRfc3339(kNov23At9 + 50) == "2026-11-23T09:00:00.050Z");
  BOOST_TEST(FormatRfc3339(kNov23At9 + 500) == "2026-11-23T09:00:00.500Z");
  BOOST_TEST(FormatRfc3339(kNov23At9 + 999) == "2026-11-23T09:00:00.999Z");
  // Before the epoch the fraction still counts forward within the second.
  BOOST_TEST(FormatRfc3339(-1) == "1969-12-31T23:59:59.999Z");
}

BOOST_AUTO_TEST_CASE(format_then_parse_round_trips) {
  const std::vector<Timestamp> times{0,
                                     1,
                                     999,
                                     kNov23At9,
                                     kNov23At9 + 1,
                                     kNov23At9 + 123,
                                     kNov23At9 + 86'399'999,
                                     ParseRfc3339("2028-02-29T23:59:59.999Z").value_or(0),
                                     ParseRfc3339("2099-12-31T23:59:59Z").value_or(0),
                                     -1};
  for (Timestamp t : times) {
    BOOST_TEST_CONTEXT("t = " << t << " formatted as " << FormatRfc3339(t)) {
      BOOST_TEST(ParseRfc3339(FormatRfc3339(t)).value_or(-2) == t);
    }
  }
}

BOOST_AUTO_TEST_CASE(parse_then_format_gives_back_canonical_utc_text) {
  for (const char* text : {"2026-11-23T09:00:00Z", "2026-11-23T09:00:00.250Z", "2000-01-01T00:00:00Z",
                           "2028-02-29T12:34:56.789Z", "1999-12-31T23:59:59Z"}) {
    BOOST_TEST_CONTEXT("text " << text) {
      std::optional<Timestamp> t = ParseRfc3339(text);
      BOOST_TEST_REQUIRE(t.has_value());
      BOOST_TEST(FormatRfc3339(*t) == text);
    }
  }
  // An offset form comes back as the same instant in UTC.
  BOOST_TEST(FormatRfc3339(ParseRfc3339("2026-11-23T03:30:00.5-05:30").value_or(0)) == "2026-11-23T09:00:00.500Z");
}

BOOST_AUTO_TEST_CASE(wall_clock_is_after_the_time_these_tests_were_written) {
  // 2025-01-01T00:00:00Z: the engine's clock must be real milliseconds, not seconds or microseconds.
  const Timestamp written = ParseRfc3339("2025-01-01T00:00:00Z").value_or(0);
  const Timestamp now = switchboard::WallClockNow();
  BOOST_TEST(now > written);
  BOOST_TEST(now < written + 100LL * 365 * 24 * switchboard::kMillisPerHour);
}

BOOST_AUTO_TEST_SUITE_END()
