// Tests of cltv/date.hpp: day numbers, ISO 8601 and layout parsing, periods.

#include "cltv/date.hpp"

#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

using cltv::civil_from_days;
using cltv::date_format;
using cltv::day_number;
using cltv::days_from_civil;
using cltv::format_date;
using cltv::parse_iso_date;
using cltv::period_index;
using cltv::period_start;
using cltv::period_unit;

namespace {

// The day `text` parses to as an ISO date; the test fails if it does not parse.
day_number iso(std::string_view text) {
  auto r = parse_iso_date("date", text);
  if (!r) FAIL("\"" << std::string(text) << "\" gave: " << r.error().message);
  return *r;
}

// The error `text` gives as an ISO date; the test fails if it parses.
cltv::error iso_rejected(std::string_view text) {
  auto r = parse_iso_date("date", text);
  if (r) FAIL("\"" << std::string(text) << "\" parsed as " << format_date(*r));
  return r.error();
}

date_format compiled(std::string_view layout) {
  auto f = date_format::compile(layout);
  if (!f) FAIL("layout \"" << std::string(layout) << "\" gave: " << f.error().message);
  return *f;
}

cltv::error compile_rejected(std::string_view layout) {
  auto f = date_format::compile(layout);
  if (f) FAIL("layout \"" << std::string(layout) << "\" compiled");
  return f.error();
}

day_number with_layout(std::string_view layout, std::string_view text) {
  auto r = compiled(layout).parse("date", text);
  if (!r) FAIL("\"" << std::string(text) << "\" gave: " << r.error().message);
  return *r;
}

cltv::error layout_rejected(std::string_view layout, std::string_view text) {
  auto r = compiled(layout).parse("date", text);
  if (r) FAIL("\"" << std::string(text) << "\" parsed as " << format_date(*r));
  return r.error();
}

// The test's own calendar, independent of the library's arithmetic.
bool leap(int year) {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}
int month_length(int year, int month) {
  static constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap(year) ? 29 : lengths[month - 1];
}

}  // namespace

TEST_CASE("days_from_civil counts days from 1970-01-01", "[date]") {
  SECTION("known values") {
    CHECK(days_from_civil(1970, 1, 1) == 0);
    CHECK(days_from_civil(1969, 12, 31) == -1);
    // 1970..1996 is 27 years with 7 leap days (1972, 76, 80, 84, 88, 92, 96): 27 × 365 + 7.
    CHECK(days_from_civil(1997, 1, 1) == 9862);
    // 30 × 365 + 7 = 10957 to 2000-01-01, then January (31) and a leap February (29).
    CHECK(days_from_civil(2000, 3, 1) == 11017);
    // 370 years back to 1600 with 90 leap days (93 multiples of 4 in 1600..1968, less
    // 1700, 1800, 1900): −(370 × 365 + 90).
    CHECK(days_from_civil(1600, 1, 1) == -135140);
    // Python: date(1, 1, 1).toordinal() − date(1970, 1, 1).toordinal() = 1 − 719163.
    CHECK(days_from_civil(1, 1, 1) == -719162);
    CHECK(days_from_civil(9999, 12, 31) == 2932896);  // 3652059 − 719163, the same way
  }
  SECTION("civil_from_days inverts it") {
    const cltv::civil_date c = civil_from_days(11017);
    CHECK(c.year == 2000);
    CHECK(c.month == 3);
    CHECK(c.day == 1);
    CHECK(civil_from_days(-1).year == 1969);
    CHECK(civil_from_days(-1).month == 12);
    CHECK(civil_from_days(-1).day == 31);
  }
  SECTION("every day from 1600 to 2400 follows the one before") {
    // Walk the calendar with the test's own month lengths: each date must be
    // the previous day number plus one, and read back to itself.
    day_number expected = days_from_civil(1600, 1, 1);
    long mismatches = 0;
    for (int year = 1600; year <= 2400; ++year) {
      for (int month = 1; month <= 12; ++month) {
        for (int day = 1; day <= month_length(year, month); ++day) {
          const day_number d = days_from_civil(year, month, day);
          const cltv::civil_date c = civil_from_days(d);
          if (d != expected || c.year != year || c.month != month || c.day != day) {
            if (++mismatches <= 5) FAIL_CHECK(year << '-' << month << '-' << day << " → " << d);
          }
          ++expected;
        }
      }
    }
    CHECK(mismatches == 0);
    CHECK(expected == days_from_civil(2401, 1, 1));
  }
  SECTION("every day_number has a civil date that maps back to it") {
    // In 64 bits inside, so the extremes (about ±5.8 million years) do not overflow.
    for (const day_number d : {std::numeric_limits<day_number>::min(), -719163, -1, 0,
                               std::numeric_limits<day_number>::max()}) {
      const cltv::civil_date c = civil_from_days(d);
      CHECK(days_from_civil(c.year, c.month, c.day) == d);
    }
  }
}

TEST_CASE("leap years follow the Gregorian rule", "[date]") {
  // 1900 is a multiple of 100 but not of 400: no leap day, so Feb 28 is followed by Mar 1.
  CHECK(days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28) == 1);
  // 2000 is a multiple of 400: a leap year.
  CHECK(days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28) == 2);
  CHECK(iso("2024-02-29") == days_from_civil(2024, 2, 29));
  CHECK(iso("2000-02-29") == days_from_civil(2000, 2, 29));
  CHECK(iso_rejected("2023-02-29").message == "date \"2023-02-29\" is not a valid date");
  CHECK(iso_rejected("1900-02-29").message == "date \"1900-02-29\" is not a valid date");
}

TEST_CASE("format_date writes YYYY-MM-DD", "[date]") {
  CHECK(format_date(0) == "1970-01-01");
  CHECK(format_date(9862) == "1997-01-01");
  CHECK(format_date(days_from_civil(1997, 1, 31)) == "1997-01-31");
  CHECK(format_date(days_from_civil(99, 7, 4)) == "0099-07-04");
  SECTION("years outside 0001..9999 keep four digits and a sign") {
    CHECK(format_date(days_from_civil(0, 12, 31)) == "0000-12-31");
    CHECK(format_date(days_from_civil(-1, 12, 31)) == "-0001-12-31");
    CHECK(format_date(days_from_civil(10000, 1, 1)) == "10000-01-01");
  }
}

TEST_CASE("parse_iso_date reads dates and datetimes", "[date]") {
  const day_number mar8 = days_from_civil(2014, 3, 8);
  SECTION("YYYY-MM-DD and YYYYMMDD") {
    CHECK(iso("1970-01-01") == 0);
    CHECK(iso("1997-01-01") == 9862);
    CHECK(iso("19970101") == 9862);
    CHECK(iso("2000-03-01") == 11017);
    CHECK(iso("0001-01-01") == -719162);
    CHECK(iso("9999-12-31") == 2932896);
  }
  SECTION("a time after a space (pandas' and lifetimes' style) or a T") {
    CHECK(iso("2014-03-08 00:00:00") == mar8);
    CHECK(iso("2014-03-08T23:59:59") == mar8);
    CHECK(iso("2014-03-08t12:00") == mar8);  // RFC 3339 allows a lower-case t
    CHECK(iso("20140308T12:00:00") == mar8);
  }
  SECTION("fractions of a second") {
    CHECK(iso("2014-03-08 00:00:00.5") == mar8);
    CHECK(iso("2014-03-08 23:59:59.999999999") == mar8);  // nanoseconds, as pandas writes
  }
  SECTION("a leap second is accepted and stays on its day") {
    CHECK(iso("2016-12-31T23:59:60Z") == days_from_civil(2016, 12, 31));
  }
  SECTION("a UTC offset gives the UTC date") {
    CHECK(iso("2014-03-08T12:00:00Z") == mar8);
    CHECK(iso("2014-03-08T12:00:00z") == mar8);
    // 01:30 at +02:00 is 23:30 UTC the day before.
    CHECK(iso("2024-01-01T01:30:00+02:00") == days_from_civil(2023, 12, 31));
    CHECK(iso("2024-01-01T01:30:00+0200") == days_from_civil(2023, 12, 31));
    CHECK(iso("2024-01-01T01:30:00+02") == days_from_civil(2023, 12, 31));
    CHECK(iso("2024-01-01T01:30+01:30") == days_from_civil(2024, 1, 1));  // exactly 00:00 UTC
    CHECK(iso("2024-01-01T01:30+01:31") == days_from_civil(2023, 12, 31));
    // 23:30 at −01:00 is 00:30 UTC the next day.
    CHECK(iso("2023-12-31T23:30:00-01:00") == days_from_civil(2024, 1, 1));
    CHECK(iso("2023-12-31T22:59:59.9-01:00") == days_from_civil(2023, 12, 31));
    // A leap day crossed: 2024-02-28 23:00 −05:00 is 2024-02-29 04:00 UTC.
    CHECK(iso("2024-02-28T23:00:00-05:00") == days_from_civil(2024, 2, 29));
    CHECK(iso("2024-03-01T00:00:00+00:01") == days_from_civil(2024, 2, 29));
    CHECK(iso("2024-03-01T00:00:00-00:00") == days_from_civil(2024, 3, 1));
  }
}

TEST_CASE("parse_iso_date rejects what is not a date", "[date]") {
  SECTION("the shape is wrong") {
    const std::string shape =
        " is not an ISO 8601 date (YYYY-MM-DD or YYYYMMDD, optionally followed by T or a "
        "space and hh:mm[:ss[.fff]] and Z or a UTC offset)";
    CHECK(iso_rejected("").message == "date \"\"" + shape);
    CHECK(iso_rejected("abc").message == "date \"abc\"" + shape);
    CHECK(iso_rejected("97-01-01").message == "date \"97-01-01\"" + shape);
    for (const char* text : {"1997-1-1",
                             "1997-01-1",
                             "1997/01/01",
                             "1997-0101",
                             "199701",
                             "+1997-01-01",
                             " 1997-01-01",
                             "1997-01-01 ",
                             "1997-01-01x",
                             "1997-01-01T",
                             "1997-01-01 1:00",
                             "1997-01-01T01",
                             "1997-01-01T01:00:",
                             "1997-01-01T01:00:00.",
                             "1997-01-01T01:00:0",
                             "1997-01-01T01:00:00+",
                             "1997-01-01T01:00:00+1",
                             "1997-01-01T01:00:00+01:0",
                             "1997-01-01T01:00:00Z ",
                             "1997-01-01T01:00:00ZZ",
                             "1997-01-01Z",
                             "1997-01-01+01:00",
                             "1997-01-01T01:00.5",
                             "1997-01-01_01:00",
                             "19970101 junk",
                             "1997010100"}) {
      CAPTURE(text);
      CHECK(iso_rejected(text).message == "date \"" + std::string(text) + "\"" + shape);
    }
  }
  SECTION("the month or day does not exist") {
    CHECK(iso_rejected("1997-13-01").message == "date \"1997-13-01\" is not a valid date");
    CHECK(iso_rejected("1997-02-30").message == "date \"1997-02-30\" is not a valid date");
    CHECK(iso_rejected("1997-00-10").message == "date \"1997-00-10\" is not a valid date");
    CHECK(iso_rejected("1997-04-31").message == "date \"1997-04-31\" is not a valid date");
    CHECK(iso_rejected("19970100").message == "date \"19970100\" is not a valid date");
    CHECK(iso_rejected("0000-01-01").message == "date \"0000-01-01\" is not a valid date");
    CHECK(iso_rejected("1997-02-30T10:00Z").message ==
          "date \"1997-02-30T10:00Z\" is not a valid date");
  }
  SECTION("hours run 00..23, minutes 00..59, seconds 00..60 (no ISO 24:00)") {
    CHECK(iso_rejected("2024-01-01T24:00:00").message ==
          "date \"2024-01-01T24:00:00\" has an invalid time of day");
    CHECK(iso_rejected("2024-01-01 12:60").message ==
          "date \"2024-01-01 12:60\" has an invalid time of day");
    CHECK(iso_rejected("2024-01-01 12:00:61").message ==
          "date \"2024-01-01 12:00:61\" has an invalid time of day");
  }
  SECTION("offsets run −23:59..+23:59 (RFC 3339's hh and mm)") {
    CHECK(iso_rejected("2024-01-01T00:00:00+25:00").message ==
          "date \"2024-01-01T00:00:00+25:00\" has an invalid UTC offset");
    CHECK(iso_rejected("2024-01-01T00:00:00-0060").message ==
          "date \"2024-01-01T00:00:00-0060\" has an invalid UTC offset");
    CHECK(iso("2024-01-01T00:00:00+23:59") == days_from_civil(2023, 12, 31));
  }
  SECTION("the UTC date must stay within 0001..9999") {
    CHECK(iso_rejected("0001-01-01T00:00+01:00").message ==
          "date \"0001-01-01T00:00+01:00\" is outside the years 0001..9999 in UTC");
    CHECK(iso_rejected("9999-12-31T23:00-01:00").message ==
          "date \"9999-12-31T23:00-01:00\" is outside the years 0001..9999 in UTC");
    CHECK(iso("0001-01-01T01:00+01:00") == -719162);
  }
  SECTION("the error names the field passed and keeps the message on one line") {
    auto r = parse_iso_date("first_purchase", "1997\n01-01");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "first_purchase");
    CHECK(r.error().message.rfind("first_purchase \"1997\\n01-01\" is not", 0) == 0);
    auto nul = parse_iso_date("d", std::string_view("1997-01-01\0", 11));
    REQUIRE_FALSE(nul);
    CHECK(nul.error().message.rfind("d \"1997-01-01\\x00\" is not", 0) == 0);
  }
}

TEST_CASE("date_format::compile checks the layout", "[date]") {
  CHECK(compiled("%Y%m%d").layout() == "%Y%m%d");
  CHECK(compile_rejected("%Q").message ==
        "date layout \"%Q\" has an unknown directive \"%Q\" "
        "(known: %Y %y %m %d %e %H %M %S %b %h %B %j %z %T %F %%)");
  CHECK(compile_rejected("%Y-%m-%Q").field.empty());
  CHECK(compile_rejected("%Y-%m").message == "date layout \"%Y-%m\" has no day (%d, %e or %j)");
  CHECK(compile_rejected("%m/%d").message == "date layout \"%m/%d\" has no year (%Y or %y)");
  CHECK(compile_rejected("%Y-%d").message == "date layout \"%Y-%d\" has no month (%m, %b or %B)");
  CHECK(compile_rejected("").message == "date layout \"\" has no year (%Y or %y)");
  CHECK(compile_rejected("%Y%m%d%").message == "date layout \"%Y%m%d%\" ends with a lone %");
  SECTION("a field set twice would silently lose one of them") {
    CHECK(compile_rejected("%Y%m%d %Y").message == "date layout \"%Y%m%d %Y\" sets the year twice");
    CHECK(compile_rejected("%F %d").message == "date layout \"%F %d\" sets the day twice");
    CHECK(compile_rejected("%F %T %H").message == "date layout \"%F %T %H\" sets the hour twice");
    CHECK(compile_rejected("%d %b %B %Y").message ==
          "date layout \"%d %b %B %Y\" sets the month twice");
    CHECK(compile_rejected("%Y-%j %d").message ==
          "date layout \"%Y-%j %d\" has both a day of year (%j) and a month or day");
  }
  SECTION("the layout is quoted safely") {
    CHECK(compile_rejected("%Y\n%m").message ==
          "date layout \"%Y\\n%m\" has no day (%d, %e or %j)");
  }
}

TEST_CASE("date_format::parse reads strptime-style layouts", "[date]") {
  const day_number mar5 = days_from_civil(2024, 3, 5);
  SECTION("%Y%m%d, the CDNOW layout") {
    CHECK(with_layout("%Y%m%d", "19970101") == 9862);
    CHECK(with_layout("%Y%m%d", "19980630") == days_from_civil(1998, 6, 30));
    // One-digit fields are read greedily, as strptime does: 1997, 01, 1.
    CHECK(with_layout("%Y%m%d", "1997011") == 9862);
  }
  SECTION("day first, month first, two-digit years") {
    CHECK(with_layout("%d/%m/%Y", "05/03/2024") == mar5);
    CHECK(with_layout("%d/%m/%Y", "5/3/2024") == mar5);
    CHECK(with_layout("%m/%d/%y", "03/05/24") == mar5);
    // POSIX's pivot: 69..99 are 19xx, 00..68 are 20xx.
    CHECK(with_layout("%m/%d/%y", "01/01/69") == days_from_civil(1969, 1, 1));
    CHECK(with_layout("%m/%d/%y", "12/31/99") == days_from_civil(1999, 12, 31));
    CHECK(with_layout("%m/%d/%y", "01/01/00") == days_from_civil(2000, 1, 1));
    CHECK(with_layout("%m/%d/%y", "12/31/68") == days_from_civil(2068, 12, 31));
  }
  SECTION("English month names in any ASCII case") {
    CHECK(with_layout("%d %b %Y", "5 Mar 2024") == mar5);
    CHECK(with_layout("%d %b %Y", "05 MAR 2024") == mar5);
    CHECK(with_layout("%d %h %Y", "05 mar 2024") == mar5);
    CHECK(with_layout("%B %d, %Y", "March 5, 2024") == mar5);
    CHECK(with_layout("%B %d, %Y", "mArCh 05, 2024") == mar5);
    // Like glibc, %b and %B each take the full name or the abbreviation.
    CHECK(with_layout("%d %b %Y", "5 March 2024") == mar5);
    CHECK(with_layout("%B %d %Y", "Sep 30 2024") == days_from_civil(2024, 9, 30));
    CHECK(with_layout("%d%b%Y", "01may1997") == days_from_civil(1997, 5, 1));
    CHECK(with_layout("%d-%b-%y", "31-Dec-97") == days_from_civil(1997, 12, 31));
  }
  SECTION("%e takes a day with an optional leading space") {
    CHECK(with_layout("%b %e %Y", "Mar  5 2024") == mar5);
    CHECK(with_layout("%b %e %Y", "Mar 5 2024") == mar5);
    CHECK(with_layout("%b %e %Y", "Mar 15 2024") == days_from_civil(2024, 3, 15));
  }
  SECTION("times and a UTC offset") {
    CHECK(with_layout("%Y-%m-%dT%H:%M:%S%z", "2024-01-01T01:30:00+02:00") ==
          days_from_civil(2023, 12, 31));
    CHECK(with_layout("%Y-%m-%dT%H:%M:%S%z", "2024-01-01T01:30:00+0200") ==
          days_from_civil(2023, 12, 31));
    CHECK(with_layout("%Y-%m-%dT%H:%M:%S%z", "2023-12-31T23:30:00-01") ==
          days_from_civil(2024, 1, 1));
    CHECK(with_layout("%Y-%m-%dT%H:%M:%S%z", "2024-01-01T01:30:00Z") ==
          days_from_civil(2024, 1, 1));
    CHECK(with_layout("%F %T", "2014-03-08 00:00:00") == days_from_civil(2014, 3, 8));
    CHECK(with_layout("%d.%m.%Y %H:%M", "08.03.2014 9:05") == days_from_civil(2014, 3, 8));
    // Without %z, the date as written.
    CHECK(with_layout("%Y%m%d%H%M%S", "20141231235959") == days_from_civil(2014, 12, 31));
  }
  SECTION("%j, the day of the year") {
    // Day 60 is Feb 29 in a leap year (31 + 29) and Mar 1 otherwise (31 + 28 + 1).
    CHECK(with_layout("%Y-%j", "2024-060") == days_from_civil(2024, 2, 29));
    CHECK(with_layout("%Y-%j", "2023-060") == days_from_civil(2023, 3, 1));
    CHECK(with_layout("%Y%j", "1997001") == 9862);
    CHECK(with_layout("%j/%Y", "1/1997") == 9862);
    CHECK(with_layout("%Y-%j", "2024-366") == days_from_civil(2024, 12, 31));
    CHECK(layout_rejected("%Y-%j", "2023-366").message ==
          "date \"2023-366\" is not a valid date (layout \"%Y-%j\")");
    CHECK(layout_rejected("%Y-%j", "2023-000").message ==
          "date \"2023-000\" is not a valid date (layout \"%Y-%j\")");
  }
  SECTION("%% is a literal percent sign; other characters match themselves") {
    CHECK(with_layout("%Y%%%m%%%d", "1997%01%01") == 9862);
    CHECK(with_layout("day %d of %m, %Y", "day 1 of 1, 1997") == 9862);
  }
}

TEST_CASE("date_format::parse rejects what does not fit", "[date]") {
  SECTION("text that does not follow the layout") {
    CHECK(layout_rejected("%Y%m%d", "abc").message ==
          "date \"abc\" does not match the layout \"%Y%m%d\"");
    CHECK(layout_rejected("%Y%m%d", "").message ==
          "date \"\" does not match the layout \"%Y%m%d\"");
    CHECK(layout_rejected("%Y%m%d", "1997-01-01").message ==
          "date \"1997-01-01\" does not match the layout \"%Y%m%d\"");
    CHECK(layout_rejected("%Y%m%d", "199701011").message ==
          "date \"199701011\" does not match the layout \"%Y%m%d\"");  // the whole text
    CHECK(layout_rejected("%Y-%m-%d", "97-01-01").message ==
          "date \"97-01-01\" does not match the layout \"%Y-%m-%d\"");  // %Y is four digits
    CHECK(layout_rejected("%m/%d/%y", "1/1/1997").message ==
          "date \"1/1/1997\" does not match the layout \"%m/%d/%y\"");  // %y is two
    CHECK(layout_rejected("%d %b %Y", "5 Mrz 2024").message ==
          "date \"5 Mrz 2024\" does not match the layout \"%d %b %Y\"");
    CHECK(layout_rejected("%d %b %Y", "5 Mar\t2024").message ==
          "date \"5 Mar\\t2024\" does not match the layout \"%d %b %Y\"");
    CHECK(layout_rejected("%F%z", "2024-01-01+").message ==
          "date \"2024-01-01+\" does not match the layout \"%F%z\"");
  }
  SECTION("values out of range") {
    CHECK(layout_rejected("%Y%m%d", "19970230").message ==
          "date \"19970230\" is not a valid date (layout \"%Y%m%d\")");
    CHECK(layout_rejected("%Y-%m-%d", "1997-13-01").message ==
          "date \"1997-13-01\" is not a valid date (layout \"%Y-%m-%d\")");
    CHECK(layout_rejected("%d/%m/%Y", "0/1/1997").message ==
          "date \"0/1/1997\" is not a valid date (layout \"%d/%m/%Y\")");
    CHECK(layout_rejected("%Y%m%d", "00000101").message ==
          "date \"00000101\" is not a valid date (layout \"%Y%m%d\")");
    CHECK(layout_rejected("%F %T", "2024-01-01 24:00:00").message ==
          "date \"2024-01-01 24:00:00\" has an invalid time of day (layout \"%F %T\")");
    CHECK(layout_rejected("%F %H:%M", "2024-01-01 23:60").message ==
          "date \"2024-01-01 23:60\" has an invalid time of day (layout \"%F %H:%M\")");
    CHECK(layout_rejected("%F %H:%M%z", "2024-01-01 23:00+25:00").message ==
          "date \"2024-01-01 23:00+25:00\" has an invalid UTC offset (layout \"%F %H:%M%z\")");
    CHECK(layout_rejected("%F %H:%M%z", "9999-12-31 23:00-01").message ==
          "date \"9999-12-31 23:00-01\" is outside the years 0001..9999 in UTC "
          "(layout \"%F %H:%M%z\")");
  }
  SECTION("the error names the field passed") {
    auto r = compiled("%Y%m%d").parse("first_purchase", "x");
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "first_purchase");
    CHECK(r.error().message == "first_purchase \"x\" does not match the layout \"%Y%m%d\"");
  }
}

TEST_CASE("the fast and general paths of date_format agree", "[date]") {
  // "%Y%m%d" and "%Y-%m-%d" take a fixed-width shortcut; "%Y%m%d%%" and
  // "%Y-%m-%d%%" (with a "%" appended to the text) always take the step loop.
  const date_format compact = compiled("%Y%m%d");
  const date_format dashed = compiled("%F");
  const date_format compact_slow = compiled("%Y%m%d%%");
  const date_format dashed_slow = compiled("%Y-%m-%d%%");
  long mismatches = 0;
  for (int year : {1, 1900, 1997, 2000, 2023, 2024, 9999}) {
    for (int month = 0; month <= 13; ++month) {
      for (int day = 0; day <= 32; ++day) {
        const std::string y = std::to_string(10000 + year).substr(1);
        const std::string m = std::to_string(100 + month).substr(1);
        const std::string d = std::to_string(100 + day).substr(1);
        const auto a = compact.parse("date", y + m + d);
        const auto b = compact_slow.parse("date", y + m + d + "%");
        const auto c = dashed.parse("date", y + "-" + m + "-" + d);
        const auto e = dashed_slow.parse("date", y + "-" + m + "-" + d + "%");
        const auto i = parse_iso_date("date", y + "-" + m + "-" + d);
        const bool valid =
            year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= month_length(year, month);
        const bool agree = a.has_value() == valid && b.has_value() == valid &&
                           c.has_value() == valid && e.has_value() == valid &&
                           i.has_value() == valid &&
                           (!valid || (*a == *b && *a == *c && *a == *e && *a == *i &&
                                       *a == days_from_civil(year, month, day)));
        if (!agree && ++mismatches <= 5) FAIL_CHECK(y << '-' << m << '-' << d);
      }
    }
  }
  CHECK(mismatches == 0);
}

TEST_CASE("parse_period_unit reads D, W, M and Y", "[date]") {
  const auto unit = [](std::string_view text) {
    auto r = cltv::parse_period_unit("period", text);
    if (!r) FAIL(r.error().message);
    return *r;
  };
  CHECK(unit("D") == period_unit::day);
  CHECK(unit("d") == period_unit::day);
  CHECK(unit("day") == period_unit::day);
  CHECK(unit("DAY") == period_unit::day);
  CHECK(unit("W") == period_unit::week);
  CHECK(unit("week") == period_unit::week);
  CHECK(unit("Week") == period_unit::week);
  CHECK(unit("M") == period_unit::month);
  CHECK(unit("month") == period_unit::month);
  CHECK(unit("Y") == period_unit::year);
  CHECK(unit("year") == period_unit::year);
  for (const char* bad : {"X", "", "days", "mo", "d ", "minute"}) {
    auto r = cltv::parse_period_unit("period", bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "period");
    CHECK(r.error().message ==
          "period must be D, W, M or Y (day, week, month, year), got \"" + std::string(bad) + "\"");
  }
  SECTION("period_letter gives the letter back") {
    for (const period_unit u :
         {period_unit::day, period_unit::week, period_unit::month, period_unit::year})
      CHECK(unit(cltv::period_letter(u)) == u);
    CHECK(cltv::period_letter(period_unit::week) == "W");
  }
}

TEST_CASE("period_index and period_start group days into periods", "[date]") {
  SECTION("a day is its own period") {
    for (const day_number d : {-719162, -1, 0, 1, 9862, 2932896}) {
      CHECK(period_index(d, period_unit::day) == d);
      CHECK(period_start(d, period_unit::day) == d);
    }
  }
  SECTION("weeks run Monday to Sunday") {
    // 1970-01-01 was a Thursday, so week 0 runs from Monday 1969-12-29 (day −3)
    // to Sunday 1970-01-04 (day 3).
    CHECK(days_from_civil(1969, 12, 29) == -3);
    for (day_number d = -3; d <= 3; ++d) CHECK(period_index(d, period_unit::week) == 0);
    CHECK(period_index(4, period_unit::week) == 1);    // Monday 1970-01-05
    CHECK(period_index(-4, period_unit::week) == -1);  // Sunday 1969-12-28: floor, not truncation
    CHECK(period_start(0, period_unit::week) == -3);
    CHECK(period_start(-1, period_unit::week) == -10);  // Monday 1969-12-22
    // 2015-01-05 was a Monday (2015-01-01 was a Thursday, like 1970-01-01).
    const day_number monday = days_from_civil(2015, 1, 5);
    const std::int32_t week = period_index(monday, period_unit::week);
    CHECK(period_index(monday - 1, period_unit::week) == week - 1);  // Sunday 2015-01-04
    for (day_number d = monday; d < monday + 7; ++d) {
      CHECK(period_index(d, period_unit::week) == week);
      CHECK(period_start(period_index(d, period_unit::week), period_unit::week) == monday);
    }
    CHECK(period_index(monday + 7, period_unit::week) == week + 1);
  }
  SECTION("every day's week starts on the Monday before it, and indices are consecutive") {
    // The test's own weekday: day 0 was a Thursday, so Monday is (d + 3) mod 7 == 0.
    for (day_number d = -1000; d <= 1000; ++d) {
      const std::int32_t w = period_index(d, period_unit::week);
      const day_number start = period_start(w, period_unit::week);
      const int weekday = static_cast<int>(((d + 3) % 7 + 7) % 7);  // 0 = Monday
      if (start != d - weekday) FAIL_CHECK("day " << d << " has week start " << start);
      if (period_index(d + 1, period_unit::week) != w + (weekday == 6 ? 1 : 0))
        FAIL_CHECK("day " << d << " and the next are not in consecutive weeks");
    }
  }
  SECTION("months count from January 1970") {
    CHECK(period_index(0, period_unit::month) == 0);
    CHECK(period_index(-1, period_unit::month) == -1);  // December 1969
    CHECK(period_start(-1, period_unit::month) == days_from_civil(1969, 12, 1));
    CHECK(period_start(-13, period_unit::month) == days_from_civil(1968, 12, 1));
    // 1997-01 is 27 years × 12 months after 1970-01.
    CHECK(period_index(days_from_civil(1997, 1, 31), period_unit::month) == 324);
    CHECK(period_index(days_from_civil(1997, 2, 1), period_unit::month) -
              period_index(days_from_civil(1997, 1, 31), period_unit::month) ==
          1);
    CHECK(period_start(325, period_unit::month) == days_from_civil(1997, 2, 1));
    for (const day_number d : {days_from_civil(2024, 2, 29), days_from_civil(1600, 1, 1),
                               days_from_civil(1, 1, 1), days_from_civil(9999, 12, 31)}) {
      const cltv::civil_date c = civil_from_days(d);
      CHECK(period_start(period_index(d, period_unit::month), period_unit::month) ==
            days_from_civil(c.year, c.month, 1));
    }
  }
}

TEST_CASE("add_periods counts days, weeks and calendar months", "[date]") {
  using cltv::add_periods;
  SECTION("days and weeks are 1 and 7 days") {
    CHECK(add_periods(days_from_civil(2024, 2, 28), 2, period_unit::day) ==
          days_from_civil(2024, 3, 1));  // 2024 is a leap year: 02-29, 03-01
    CHECK(add_periods(days_from_civil(2024, 1, 1), 0, period_unit::week) ==
          days_from_civil(2024, 1, 1));
    // CLVTools' apparel split: 104 weeks = 728 days = 365 (to 2006-01-02) + 363.
    CHECK(add_periods(days_from_civil(2005, 1, 2), 104, period_unit::week) ==
          days_from_civil(2006, 12, 31));
  }
  SECTION("months keep the day of the month, or end at the month's last day") {
    CHECK(add_periods(days_from_civil(2024, 12, 15), 1, period_unit::month) ==
          days_from_civil(2025, 1, 15));
    CHECK(add_periods(days_from_civil(2024, 1, 31), 1, period_unit::month) ==
          days_from_civil(2024, 2, 29));
    CHECK(add_periods(days_from_civil(2023, 1, 31), 1, period_unit::month) ==
          days_from_civil(2023, 2, 28));
    CHECK(add_periods(days_from_civil(2023, 1, 31), 3, period_unit::month) ==
          days_from_civil(2023, 4, 30));
    CHECK(add_periods(days_from_civil(2024, 3, 31), -1, period_unit::month) ==
          days_from_civil(2024, 2, 29));
    CHECK(add_periods(days_from_civil(1969, 11, 30), 26, period_unit::month) ==
          days_from_civil(1972, 1, 30));  // across 1970: 2 years and 2 months
  }
}

TEST_CASE("parse_date_option reads the layout, and ISO 8601 besides", "[date]") {
  using cltv::parse_date_option;
  const day_number end = days_from_civil(1997, 9, 30);
  SECTION("without a layout, ISO 8601 only") {
    CHECK(*parse_date_option("observation_end", "1997-09-30", nullptr) == end);
    CHECK_FALSE(parse_date_option("observation_end", "30/09/1997", nullptr).has_value());
  }
  SECTION("with a layout, the layout's form and ISO 8601") {
    const date_format dmy = compiled("%d/%m/%Y");
    CHECK(*parse_date_option("observation_end", "30/09/1997", &dmy) == end);
    CHECK(*parse_date_option("observation_end", "1997-09-30", &dmy) == end);
    const date_format compact = compiled("%Y%m%d");
    CHECK(*parse_date_option("observation_end", "19970930", &compact) == end);
    CHECK(*parse_date_option("observation_end", "1997-09-30", &compact) == end);
  }
  SECTION("where both read the text, the layout decides") {
    // ISO 8601 reads 20240106 as 2024-01-06; the layout as the 1st of June.
    const date_format ydm = compiled("%Y%d%m");
    CHECK(*parse_date_option("calibration_end", "20240106", &ydm) == days_from_civil(2024, 6, 1));
  }
  SECTION("a text in one form's shape with wrong values gets that form's error") {
    const date_format compact = compiled("%Y%m%d");
    CHECK(parse_date_option("calibration_end", "1997-13-01", &compact).error().message ==
          "calibration_end \"1997-13-01\" is not a valid date");
    const date_format dmy = compiled("%d/%m/%Y");
    CHECK(parse_date_option("calibration_end", "31/02/1997", &dmy).error().message ==
          "calibration_end \"31/02/1997\" is not a valid date (layout \"%d/%m/%Y\")");
  }
  SECTION("a text neither reads is an error naming both") {
    const date_format dmy = compiled("%d/%m/%Y");
    const auto r = parse_date_option("calibration_end", "30.09.1997", &dmy);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().field == "calibration_end");
    CHECK(r.error().message ==
          "calibration_end \"30.09.1997\" is neither a date in the layout \"%d/%m/%Y\" nor an "
          "ISO 8601 date");
  }
}

TEST_CASE("Calendar years as periods", "[date]") {
  using cltv::days_from_civil;
  // 1970 is year 0; the last day of a year and the first of the next differ by one.
  CHECK(cltv::period_index(days_from_civil(1970, 6, 1), period_unit::year) == 0);
  CHECK(cltv::period_index(days_from_civil(2022, 12, 31), period_unit::year) == 52);
  CHECK(cltv::period_index(days_from_civil(2023, 1, 1), period_unit::year) == 53);
  CHECK(cltv::period_index(days_from_civil(1969, 12, 31), period_unit::year) == -1);
  CHECK(cltv::period_start(53, period_unit::year) == days_from_civil(2023, 1, 1));
  CHECK(cltv::period_start(-1, period_unit::year) == days_from_civil(1969, 1, 1));
  // 12 calendar months: 29 February becomes 28 February in a common year.
  CHECK(cltv::add_periods(days_from_civil(2024, 2, 29), 1, period_unit::year) ==
        days_from_civil(2025, 2, 28));
  CHECK(cltv::add_periods(days_from_civil(2019, 11, 2), 5, period_unit::year) ==
        days_from_civil(2024, 11, 2));
}

TEST_CASE("read_plain_iso_date is parse_iso_date on YYYY-MM-DD, and nothing else", "[date]") {
  // Every day of years 0001..9999 (3,652,059 days), written as format_date
  // writes it: the fast path reads each as parse_iso_date does.
  const day_number first = days_from_civil(1, 1, 1);
  const day_number last = days_from_civil(9999, 12, 31);
  std::size_t read = 0;
  for (day_number d = first; d <= last; ++d) {
    const std::string text = format_date(d);
    const auto fast = cltv::read_plain_iso_date(text);
    if (!fast || *fast != d) FAIL(text << " read as " << (fast ? format_date(*fast) : "nothing"));
    ++read;
  }
  // Python: date(9999, 12, 31).toordinal() - date(1, 1, 1).toordinal() + 1 == 3652059.
  CHECK(read == 3652059);
  // Each byte of a valid date changed to every other byte value: read when
  // and only when parse_iso_date reads the result as a plain date.
  for (const std::string base : {"2024-02-29", "1999-12-31", "0001-01-01", "9999-12-31"}) {
    for (std::size_t at = 0; at < base.size(); ++at)
      for (int byte = 0; byte < 256; ++byte) {
        std::string text = base;
        text[at] = static_cast<char>(byte);
        const auto fast = cltv::read_plain_iso_date(text);
        const auto general = parse_iso_date("date", text);
        const bool plain = general && text[4] == '-' && text[7] == '-';
        CAPTURE(text);
        CHECK(fast.has_value() == plain);
        if (fast && general) CHECK(*fast == *general);
      }
  }
  for (const char* text :
       {"20240229", "2024-02-29T10:00", "2024-02-30", "2023-02-29", "1900-02-29", "0000-01-01",
        "2024-00-01", "2024-13-01", "2024-01-00", "2024-01-32", "2024-1-01", " 2024-01-01",
        "2024-01-01 ", "", "2024-01-0\xff", "2024-01-:1"}) {
    CAPTURE(text);
    CHECK_FALSE(cltv::read_plain_iso_date(text));
  }
  CHECK(cltv::read_plain_iso_date("2000-02-29") == days_from_civil(2000, 2, 29));
  CHECK(cltv::read_plain_iso_date("1970-01-01") == 0);
}
