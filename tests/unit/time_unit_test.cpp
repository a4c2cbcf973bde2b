// Tests of cltv/time_unit.hpp: one meaning of a time unit (days per unit),
// its names, and the rule that statements of a unit agree.

#include "cltv/time_unit.hpp"

#include <catch2/catch.hpp>

#include <vector>

using cltv::time_unit_statement;

TEST_CASE("a time unit is a number of days", "[time_unit]") {
  SECTION("a period of D, W, M lasts 1, 7, 365.25 / 12 days") {
    CHECK(cltv::period_days(cltv::period_unit::day) == 1);
    CHECK(cltv::period_days(cltv::period_unit::week) == 7);
    CHECK(cltv::period_days(cltv::period_unit::month) == 30.4375);  // 365.25 / 12
    CHECK(cltv::period_days(cltv::period_unit::year) == 365.25);
  }
  SECTION("names and numbers parse to days") {
    CHECK(*cltv::parse_time_unit("days") == 1);
    CHECK(*cltv::parse_time_unit("day") == 1);
    CHECK(*cltv::parse_time_unit("weeks") == 7);
    CHECK(*cltv::parse_time_unit("week") == 7);
    CHECK(*cltv::parse_time_unit("months") == 30.4375);
    CHECK(*cltv::parse_time_unit("month") == 30.4375);
    CHECK(*cltv::parse_time_unit("years") == 365.25);
    CHECK(*cltv::parse_time_unit("year") == 365.25);
    CHECK(*cltv::parse_time_unit("3") == 3);
    CHECK(*cltv::parse_time_unit("30.4375") == 30.4375);
  }
  SECTION("anything else fails, naming time_unit") {
    for (const char* bad : {"fortnights", "0", "-7", "", "inf", "nan"}) {
      auto u = cltv::parse_time_unit(bad);
      REQUIRE_FALSE(u);
      CHECK(u.error().field == "time_unit");
    }
    CHECK(cltv::parse_time_unit("fortnights").error().message ==
          "time_unit must be days, weeks, months, years or a positive number of days, got "
          "\"fortnights\"");
  }
  SECTION("names for people") {
    CHECK(cltv::time_unit_name(1) == "days");
    CHECK(cltv::time_unit_name(7) == "weeks");
    CHECK(cltv::time_unit_name(365.25) == "years");
    CHECK(cltv::time_unit_name(30.4375) == "months");
    CHECK(cltv::time_unit_name(3) == "units of 3 days");
    CHECK(cltv::time_unit_measure(1) == "units of 1 day");
    CHECK(cltv::time_unit_measure(7) == "units of 7 days");
    CHECK(cltv::time_unit_measure(30.4375) == "units of 30.4375 days");
  }
}

TEST_CASE("statements of a unit agree or fail", "[time_unit]") {
  SECTION("no statement: the unit is unknown") {
    auto u = cltv::agreed_time_unit({});
    REQUIRE(u);
    CHECK_FALSE(u->has_value());
  }
  SECTION("statements that agree give their unit") {
    const std::vector<time_unit_statement> s{{"the model m.json is in", 7},
                                             {"the summary s.csv is in", 7}};
    auto u = cltv::agreed_time_unit(s);
    REQUIRE(u);
    CHECK(**u == 7);
  }
  SECTION("the first that differs from the first statement is named with it") {
    const std::vector<time_unit_statement> s{
        {"--time-unit says", 7}, {"the model m.json is in", 7}, {"the summary s.csv is in", 1}};
    auto u = cltv::agreed_time_unit(s);
    REQUIRE_FALSE(u);
    CHECK(u.error().field == "time_unit");
    CHECK(u.error().message ==
          "time_unit: --time-unit says units of 7 days but the summary s.csv is in units of 1 "
          "day");
  }
}
