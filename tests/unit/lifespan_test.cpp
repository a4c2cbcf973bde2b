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

TEST_CASE("lifespan_builder: one span per customer, open ones to the as-of date", "[lifespan]") {
  const auto jan1_2020 = days_from_civil(2020, 1, 1);
  const auto dec31_2020 = days_from_civil(2020, 12, 31);
  const auto jun1_2021 = days_from_civil(2021, 6, 1);
  const auto jan1_2021 = days_from_civil(2021, 1, 1);
  const auto jan1_2022 = days_from_civil(2022, 1, 1);
  // Customer 0: 2020-01-01..2020-12-31 and 2021-06-01..2022-01-01 merge into
  // 2020-01-01..2022-01-01, the gap counting as active: 366 + 365 = 731 days.
  // Customer 1: open since 2021-01-01.
  const auto add_records = [&](cltv::lifespan_builder& b) {
    REQUIRE_FALSE(b.add(0, jun1_2021, jan1_2022));
    REQUIRE_FALSE(b.add(1, jan1_2021, std::nullopt));
    REQUIRE_FALSE(b.add(0, jan1_2020, dec31_2020));
  };

  SECTION("without an as-of date, the latest date in the records") {
    cltv::lifespan_builder b(std::nullopt);
    add_records(b);
    auto r = std::move(b).finish();
    REQUIRE(r);
    REQUIRE(r->as_of == jan1_2022);  // customer 0's last end date
    REQUIRE(r->stats.customers == 2);
    REQUIRE(r->stats.active == 1);
    // Customer 1 runs 2021-01-01..2022-01-01: 365 days.
    REQUIRE_THAT(r->stats.min_years, WithinRel(365 / 365.2425, 1e-15));
    REQUIRE_THAT(r->stats.max_years, WithinRel(731 / 365.2425, 1e-15));
    REQUIRE_THAT(r->stats.total_years, WithinRel(1096 / 365.2425, 1e-15));  // 731 + 365
  }
  SECTION("with an as-of date") {
    cltv::lifespan_builder b(days_from_civil(2022, 6, 30));
    add_records(b);
    auto r = std::move(b).finish();
    REQUIRE(r);
    REQUIRE(r->as_of == days_from_civil(2022, 6, 30));
    // Customer 1: 2021-01-01..2022-06-30 = 365 + 180 days; customer 0 is closed.
    REQUIRE_THAT(r->stats.min_years, WithinRel(545 / 365.2425, 1e-15));
    REQUIRE_THAT(r->stats.max_years, WithinRel(731 / 365.2425, 1e-15));
  }
  SECTION("one open record keeps the merged customer active") {
    cltv::lifespan_builder b(std::nullopt);
    REQUIRE_FALSE(b.add(0, jan1_2020, dec31_2020));
    REQUIRE_FALSE(b.add(0, jun1_2021, std::nullopt));
    REQUIRE_FALSE(b.add(1, jan1_2022, jan1_2022));  // 0 days; sets the as-of date
    auto r = std::move(b).finish();
    REQUIRE(r);
    REQUIRE(r->stats.active == 1);
    REQUIRE_THAT(r->stats.max_years, WithinRel(731 / 365.2425, 1e-15));  // 2020-01-01..2022-01-01
    REQUIRE(r->stats.min_years == 0);
  }
}

TEST_CASE("lifespan_builder: a bad record adds nothing", "[lifespan]") {
  const auto jan1_2021 = days_from_civil(2021, 1, 1);
  const auto mar1_2021 = days_from_civil(2021, 3, 1);

  SECTION("end before start, with or without an as-of date") {
    cltv::lifespan_builder b(std::nullopt);
    auto e = b.add(0, mar1_2021, jan1_2021);
    REQUIRE(e);
    REQUIRE(e->message == "end date 2021-01-01 is before start date 2021-03-01");
    // Customer 0 has no record: index 1 is the only customer.
    REQUIRE_FALSE(b.add(1, jan1_2021, mar1_2021));
    auto r = std::move(b).finish();
    REQUIRE(r);
    REQUIRE(r->stats.customers == 1);
    REQUIRE_THAT(r->stats.mean_years, WithinRel(59 / 365.2425, 1e-15));  // 31 + 28 days
  }
  SECTION("a start after the as-of date") {
    cltv::lifespan_builder b(jan1_2021);
    auto e = b.add(0, mar1_2021, std::nullopt);
    REQUIRE(e);
    REQUIRE(e->message == "start date 2021-03-01 is after the as-of date 2021-01-01");
  }
  SECTION("no records") {
    auto r = cltv::lifespan_builder(std::nullopt).finish();
    REQUIRE_FALSE(r);
    REQUIRE(r.error().field == "customers");
  }
}

TEST_CASE("lifespan_years_builder: one record per customer", "[lifespan]") {
  using added = cltv::lifespan_years_builder::added;
  cltv::lifespan_years_builder b;
  REQUIRE(*b.add(0, 1.5) == added::ok);
  REQUIRE(*b.add(2, 2.5) == added::ok);  // index 1 never gets a record
  REQUIRE(*b.add(0, 9) == added::repeated);
  auto negative = b.add(3, -1);
  REQUIRE_FALSE(negative);
  REQUIRE(negative.error().field == "years_active");
  REQUIRE(negative.error().message == "years_active -1 is negative");
  auto s = std::move(b).finish();
  REQUIRE(s);
  REQUIRE(s->customers == 2);
  REQUIRE(s->active == 0);
  REQUIRE_THAT(s->mean_years,
               WithinRel(2.0, 1e-15));  // (1.5 + 2.5) / 2; the repeat's 9 is not added
}
