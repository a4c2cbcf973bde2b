// Tests of cltv/lifespan.hpp: lifespan statistics (type 7 quartiles, as R's
// quantile() and NumPy's percentile() compute them by default) and the days a
// customer record spans. Every expected number is worked by hand below.

#include "cltv/lifespan.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <vector>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::days_from_civil;
using cltv::lifespan_statistics;
using cltv::record_days;

TEST_CASE("lifespan_statistics: mean, quartiles and range", "[lifespan]") {
  SECTION("four customers of 1, 2, 3 and 6 years") {
    // Given in any order: sorted 1, 2, 3, 6.
    auto s = lifespan_statistics({6, 1, 3, 2});
    REQUIRE(s);
    REQUIRE(s->customers == 4);
    REQUIRE(s->active == 0);
    REQUIRE_THAT(s->total_years, WithinRel(12.0, 1e-15));  // 1 + 2 + 3 + 6
    REQUIRE_THAT(s->mean_years, WithinRel(3.0, 1e-15));    // 12 / 4
    REQUIRE(s->min_years == 1);
    REQUIRE(s->max_years == 6);
    // Type 7: h = (n − 1)p = 3p.
    REQUIRE_THAT(s->q1_years, WithinRel(1.75, 1e-15));     // h = 0.75: 1 + 0.75 × (2 − 1)
    REQUIRE_THAT(s->median_years, WithinRel(2.5, 1e-15));  // h = 1.5:  2 + 0.5 × (3 − 2)
    REQUIRE_THAT(s->q3_years, WithinRel(3.75, 1e-15));     // h = 2.25: 3 + 0.25 × (6 − 3)
  }
  SECTION("an odd count: the quartiles fall on order statistics") {
    // 1, 2, 4, 8, 16: h = 4p is 1, 2, 3 for p = 0.25, 0.5, 0.75.
    auto s = lifespan_statistics({16, 8, 4, 2, 1});
    REQUIRE(s);
    REQUIRE_THAT(s->mean_years, WithinRel(6.2, 1e-15));  // 31 / 5
    REQUIRE(s->q1_years == 2);
    REQUIRE(s->median_years == 4);
    REQUIRE(s->q3_years == 8);
  }
  SECTION("two customers") {
    // 1, 3: h = p, so the p-quantile is 1 + 2p.
    auto s = lifespan_statistics({3, 1});
    REQUIRE(s);
    REQUIRE_THAT(s->q1_years, WithinRel(1.5, 1e-15));
    REQUIRE_THAT(s->median_years, WithinRel(2.0, 1e-15));
    REQUIRE_THAT(s->q3_years, WithinRel(2.5, 1e-15));
  }
  SECTION("a single customer: every statistic is its lifespan") {
    auto s = lifespan_statistics({2.5});
    REQUIRE(s);
    REQUIRE(s->customers == 1);
    for (const double x : {s->total_years, s->mean_years, s->min_years, s->q1_years,
                           s->median_years, s->q3_years, s->max_years})
      REQUIRE(x == 2.5);
  }
  SECTION("zero lifespans are allowed (a record that starts and ends on one day)") {
    auto s = lifespan_statistics({0, 0, 2});
    REQUIRE(s);
    REQUIRE(s->min_years == 0);
    REQUIRE(s->median_years == 0);  // sorted 0, 0, 2: h = 1
    REQUIRE_THAT(s->mean_years, WithinRel(2.0 / 3.0, 1e-15));
  }
  SECTION("the active count is carried through") {
    auto s = lifespan_statistics({1, 2, 3}, 2);
    REQUIRE(s);
    REQUIRE(s->active == 2);
  }
  SECTION("the total is compensated: a million tenths") {
    // 0.1 is not exact in binary; a plain running sum drifts by ~1e-6 here.
    std::vector<double> tenths(1'000'000, 0.1);
    auto s = lifespan_statistics(std::move(tenths));
    REQUIRE(s);
    REQUIRE_THAT(s->total_years, WithinRel(100'000.0, 1e-15));
    REQUIRE_THAT(s->mean_years, WithinRel(0.1, 1e-15));
  }
}

TEST_CASE("lifespan_statistics: errors", "[lifespan]") {
  SECTION("no customers") {
    auto s = lifespan_statistics({});
    REQUIRE_FALSE(s);
    REQUIRE(s.error().field == "customers");
    REQUIRE(s.error().message ==
            "no customer records: the average lifespan of 0 customers is undefined");
  }
  SECTION("a negative lifespan, named by its position") {
    auto s = lifespan_statistics({1, -0.5});
    REQUIRE_FALSE(s);
    REQUIRE(s.error().message == "lifespan 2 is negative (-0.5 years)");
  }
  SECTION("a lifespan that is not finite") {
    auto s = lifespan_statistics({std::numeric_limits<double>::quiet_NaN()});
    REQUIRE_FALSE(s);
    REQUIRE(s.error().message == "lifespan 1 is not a finite number");
    REQUIRE_FALSE(lifespan_statistics({1, std::numeric_limits<double>::infinity()}));
  }
  SECTION("a total beyond the largest double") {
    const double big = std::numeric_limits<double>::max();
    auto s = lifespan_statistics({big, big});
    REQUIRE_FALSE(s);
    REQUIRE(s.error().message == "the total of the lifespans is too large to represent");
  }
  SECTION("more active customers than customers") {
    auto s = lifespan_statistics({1, 2}, 3);
    REQUIRE_FALSE(s);
    REQUIRE(s.error().message == "3 active customers out of 2");
  }
}

TEST_CASE("years_from_days: days / 365.2425", "[lifespan]") {
  // 400 Gregorian years have 97 leap days: 400 × 365 + 97 = 146097 days.
  REQUIRE(cltv::years_from_days(146097) == 400);
  REQUIRE_THAT(cltv::years_from_days(366), WithinRel(366 / 365.2425, 1e-15));
  REQUIRE(cltv::years_from_days(0) == 0);
}

TEST_CASE("record_days: closed and open records", "[lifespan]") {
  const auto jan1_2020 = days_from_civil(2020, 1, 1);
  const auto jan1_2021 = days_from_civil(2021, 1, 1);
  const auto mar1_2021 = days_from_civil(2021, 3, 1);

  SECTION("a closed record: end − start") {
    // 2020 is a leap year: 366 days.
    auto d = record_days(jan1_2020, jan1_2021, mar1_2021);
    REQUIRE(d);
    REQUIRE(*d == 366);
  }
  SECTION("a record ending on its start day spans 0 days") {
    auto d = record_days(jan1_2020, jan1_2020, jan1_2020);
    REQUIRE(d);
    REQUIRE(*d == 0);
  }
  SECTION("an open record runs to the as-of date") {
    // 2021-01-01 → 2021-03-01: 31 (January) + 28 (February) = 59 days.
    auto d = record_days(jan1_2021, std::nullopt, mar1_2021);
    REQUIRE(d);
    REQUIRE(*d == 59);
  }
  SECTION("an open record starting on the as-of date spans 0 days") {
    auto d = record_days(mar1_2021, std::nullopt, mar1_2021);
    REQUIRE(d);
    REQUIRE(*d == 0);
  }
  SECTION("a closed record ending on the as-of date") {
    auto d = record_days(jan1_2021, mar1_2021, mar1_2021);
    REQUIRE(d);
    REQUIRE(*d == 59);
  }
}

TEST_CASE("record_days: errors name both dates", "[lifespan]") {
  const auto jan1_2021 = days_from_civil(2021, 1, 1);
  const auto mar1_2021 = days_from_civil(2021, 3, 1);
  const auto jun30_2021 = days_from_civil(2021, 6, 30);

  SECTION("end before start") {
    auto d = record_days(mar1_2021, jan1_2021, jun30_2021);
    REQUIRE_FALSE(d);
    REQUIRE(d.error().field == "end_date");
    REQUIRE(d.error().message == "end date 2021-01-01 is before start date 2021-03-01");
  }
  SECTION("start after the as-of date, open or closed") {
    auto open = record_days(jun30_2021, std::nullopt, mar1_2021);
    REQUIRE_FALSE(open);
    REQUIRE(open.error().field == "start_date");
    REQUIRE(open.error().message == "start date 2021-06-30 is after the as-of date 2021-03-01");
    REQUIRE_FALSE(record_days(mar1_2021, jun30_2021, jan1_2021));
  }
  SECTION("end after the as-of date") {
    auto d = record_days(jan1_2021, jun30_2021, mar1_2021);
    REQUIRE_FALSE(d);
    REQUIRE(d.error().field == "end_date");
    REQUIRE(d.error().message == "end date 2021-06-30 is after the as-of date 2021-03-01");
  }
}
