// Tests of cltv/period.hpp: period names and monthly ↔ annual conversions.

#include "cltv/period.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::period;

TEST_CASE("periods have names", "[period]") {
  SECTION("to_string gives the singular") {
    CHECK(cltv::to_string(period::month) == "month");
    CHECK(cltv::to_string(period::year) == "year");
  }
  SECTION("plural gives the unit for amounts of time") {
    CHECK(cltv::plural(period::month) == "months");
    CHECK(cltv::plural(period::year) == "years");
  }
}

TEST_CASE("parse_period reads the period names and their adjectives", "[period]") {
  SECTION("month and monthly") {
    CHECK(cltv::parse_period("month") == period::month);
    CHECK(cltv::parse_period("monthly") == period::month);
  }
  SECTION("year, yearly and annual") {
    CHECK(cltv::parse_period("year") == period::year);
    CHECK(cltv::parse_period("yearly") == period::year);
    CHECK(cltv::parse_period("annual") == period::year);
  }
  SECTION("in any ASCII case") {
    CHECK(cltv::parse_period("Month") == period::month);
    CHECK(cltv::parse_period("YEAR") == period::year);
    CHECK(cltv::parse_period("Annual") == period::year);
  }
  SECTION("anything else is nullopt") {
    for (const char* text :
         {"", "months", "years", "week", "annually", " month", "month ", "monthlyyy", "MONTHS"}) {
      INFO("text: \"" << text << "\"");
      CHECK_FALSE(cltv::parse_period(text).has_value());
    }
  }
  SECTION("to_string reads back as the same period") {
    CHECK(cltv::parse_period(cltv::to_string(period::month)) == period::month);
    CHECK(cltv::parse_period(cltv::to_string(period::year)) == period::year);
  }
}

TEST_CASE("annual churn compounds twelve monthly churns", "[period]") {
  SECTION("5% a month loses 1 − 0.95^12 of customers in a year") {
    // 0.95^12 = 95^12 / 100^12 = 540360087662636962890625 / 10^24 (exact integer arithmetic:
    // 95^2 = 9025, 95^4 = 81450625, 95^8 = 6634204312890625, × 95^4 = 540360087662636962890625)
    // 1 − 0.540360087662636962890625 = 0.459639912337363037109375
    REQUIRE_THAT(cltv::annual_churn_from_monthly(0.05),
                 WithinRel(0.459639912337363037109375, 1e-12));
  }
  SECTION("the ends of the range") {
    CHECK(cltv::annual_churn_from_monthly(0.0) == 0.0);  // nobody leaves
    CHECK(cltv::annual_churn_from_monthly(1.0) == 1.0);  // everybody leaves in the first month
    CHECK(cltv::monthly_churn_from_annual(0.0) == 0.0);
    CHECK(cltv::monthly_churn_from_annual(1.0) == 1.0);
  }
  SECTION("small churn keeps its precision") {
    // 1 − (1 − c)^12 = 12c − 66c² + 220c³ − …; c = 1e-10:
    // 1.2e-9 − 6.6e-19 + 2.2e-28 = 1.19999999934000000022e-9.
    // (Computed naively as 1 − pow(1 − c, 12) it would be off by ~1e-7 relative.)
    REQUIRE_THAT(cltv::annual_churn_from_monthly(1e-10), WithinRel(1.19999999934e-9, 1e-14));
  }
}

TEST_CASE("monthly churn is the twelfth root of annual retention", "[period]") {
  SECTION("the inverse of the 5% example") {
    // From the section above: 5% monthly compounds to 0.459639912337363037109375 a year.
    REQUIRE_THAT(cltv::monthly_churn_from_annual(0.459639912337363037109375),
                 WithinRel(0.05, 1e-12));
  }
  SECTION("an exact twelfth root") {
    // Retention 2^-12 a year is retention 1/2 a month: annual churn 1 − 1/4096 → monthly 0.5.
    REQUIRE_THAT(cltv::monthly_churn_from_annual(1.0 - 1.0 / 4096.0), WithinRel(0.5, 1e-12));
  }
  SECTION("round trip monthly → annual → monthly") {
    // Up to 50%: retention 0.5^12 = 2.4e-4 still holds ~12 significant digits once
    // stored as 1 − C. (At 90%, 1 − C = 1e-12 keeps only ~4, an ill-conditioned input.)
    for (double monthly : {1e-10, 1e-4, 0.01, 0.05, 0.3, 0.5}) {
      INFO("monthly churn " << monthly);
      REQUIRE_THAT(cltv::monthly_churn_from_annual(cltv::annual_churn_from_monthly(monthly)),
                   WithinRel(monthly, 1e-12));
    }
  }
  SECTION("small annual churn keeps its precision") {
    // 1 − (1 − C)^(1/12) = C/12 + (11/288)C² + …; C = 1.2e-9:
    // 1e-10 + 0.0381944…×1.44e-18 = 1e-10 + 5.5e-20 = 1.00000000055e-10.
    REQUIRE_THAT(cltv::monthly_churn_from_annual(1.2e-9), WithinRel(1.00000000055e-10, 1e-14));
    CHECK_THAT(cltv::monthly_churn_from_annual(1.2e-9) - 1e-10, WithinAbs(5.5e-20, 1e-24));
  }
}

TEST_CASE("amounts convert between months and years by twelve", "[period]") {
  SECTION("a monthly amount times 12") {
    CHECK(cltv::annual_from_monthly_amount(50.0) == 600.0);  // 50 × 12 = 600
  }
  SECTION("an annual price over 12") {
    CHECK(cltv::monthly_from_annual_amount(480.0) == 40.0);  // 480 / 12 = 40
  }
  SECTION("usable at compile time") {
    static_assert(cltv::annual_from_monthly_amount(1.5) == 18.0);  // 1.5 × 12 = 18
    static_assert(cltv::monthly_from_annual_amount(18.0) == 1.5);  // 18 / 12 = 1.5
  }
}

TEST_CASE("parse_period with a field names it in the error", "[period]") {
  CHECK(*cltv::parse_period("period", "Yearly") == period::year);
  auto p = cltv::parse_period("period", "week");
  REQUIRE_FALSE(p);
  CHECK(p.error().field == "period");
  CHECK(p.error().message == "period must be \"month\" or \"year\", got \"week\"");
}

TEST_CASE("discount rates compound over twelve months", "[period]") {
  SECTION("1% a month is (1.01)^12 − 1 a year") {
    // 101^12 = 1126825030131969720661201, so 1.01^12 − 1 = 0.126825030131969720661201.
    REQUIRE_THAT(cltv::annual_rate_from_monthly(0.01),
                 WithinRel(0.126825030131969720661201, 1e-12));
  }
  SECTION("100% a year is the twelfth root of 2 a month") {
    // 2^(1/12) − 1 = 0.0594630943592952645… (the equal-tempered semitone, less one).
    REQUIRE_THAT(cltv::monthly_rate_from_annual(1.0), WithinRel(0.0594630943592952645, 1e-12));
  }
  SECTION("zero stays zero, and the round trip holds") {
    CHECK(cltv::annual_rate_from_monthly(0.0) == 0.0);
    CHECK(cltv::monthly_rate_from_annual(0.0) == 0.0);
    for (double monthly : {1e-10, 0.001, 0.01, 0.1, 2.0}) {
      INFO("monthly rate " << monthly);
      REQUIRE_THAT(cltv::monthly_rate_from_annual(cltv::annual_rate_from_monthly(monthly)),
                   WithinRel(monthly, 1e-12));
    }
  }
  SECTION("a small rate keeps its precision") {
    // (1 + d)^12 − 1 = 12d + 66d² + …; d = 1e-10: 1.2e-9 + 6.6e-19 = 1.20000000066e-9.
    REQUIRE_THAT(cltv::annual_rate_from_monthly(1e-10), WithinRel(1.20000000066e-9, 1e-14));
  }
}

TEST_CASE("convert_period restates a quantity in the other period", "[period]") {
  using cltv::periodic_quantity;
  SECTION("3.5% monthly churn a year, with its formula") {
    // 965^12 = 652120360748234161766226562744140625, so 1 − 0.965^12 =
    // 0.347879639251765838233773437255859375.
    auto c = cltv::convert_period(periodic_quantity::churn, 0.035, period::year);
    REQUIRE(c);
    CHECK(c->from == period::month);
    CHECK(c->to == period::year);
    CHECK(c->value == 0.035);
    REQUIRE_THAT(c->converted, WithinRel(0.347879639251765838233773437255859375, 1e-12));
    CHECK(c->formula == "1 − (1 − c)^12");
    CHECK(c->worked == "1 − (1 − 0.035)^12");
  }
  SECTION("25% annual churn a month") {
    // 1 − 0.75^(1/12) = 0.0236884242226068055… (50-digit decimal arithmetic).
    auto c = cltv::convert_period(periodic_quantity::churn, 0.25, period::month);
    REQUIRE(c);
    CHECK(c->from == period::year);
    REQUIRE_THAT(c->converted, WithinRel(0.0236884242226068055, 1e-12));
    CHECK(c->worked == "1 − (1 − 0.25)^(1/12)");
  }
  SECTION("ARPU times or over twelve") {
    auto year = cltv::convert_period(periodic_quantity::arpu, 49.0, period::year);
    REQUIRE(year);
    CHECK(year->converted == 588.0);  // 49 × 12 = 588
    CHECK(year->worked == "49 × 12");
    auto month = cltv::convert_period(periodic_quantity::arpu, 490.0, period::month);
    REQUIRE(month);
    REQUIRE_THAT(month->converted, WithinRel(490.0 / 12.0, 1e-15));  // 40.8333…
    CHECK(month->worked == "490 / 12");
  }
  SECTION("discount rates compound") {
    auto year = cltv::convert_period(periodic_quantity::discount_rate, 0.01, period::year);
    REQUIRE(year);
    REQUIRE_THAT(year->converted, WithinRel(0.126825030131969720661201, 1e-12));  // as above
    CHECK(year->worked == "(1 + 0.01)^12 − 1");
    auto month = cltv::convert_period(periodic_quantity::discount_rate, 1.0, period::month);
    REQUIRE(month);
    REQUIRE_THAT(month->converted, WithinRel(0.0594630943592952645, 1e-12));  // 2^(1/12) − 1
    CHECK(month->worked == "(1 + 1)^(1/12) − 1");
  }
  SECTION("values out of range fail, naming the field and the value") {
    auto all = cltv::convert_period(periodic_quantity::churn, 1.0, period::year);
    REQUIRE_FALSE(all);
    CHECK(all.error().field == "churn");
    CHECK(all.error().message == "churn must be in [0, 1), got 1");
    auto bare = cltv::convert_period(periodic_quantity::churn, 3.5, period::year);
    REQUIRE_FALSE(bare);
    CHECK(bare.error().message == "churn must be in [0, 1), got 3.5 (for 3.5 percent, write 3.5%)");
    auto negative = cltv::convert_period(periodic_quantity::churn, -0.01, period::month);
    REQUIRE_FALSE(negative);
    CHECK(negative.error().message == "churn must be in [0, 1), got -0.01");
    auto arpu = cltv::convert_period(periodic_quantity::arpu, -5.0, period::year);
    REQUIRE_FALSE(arpu);
    CHECK(arpu.error().message == "arpu must be >= 0, got -5");
    auto rate = cltv::convert_period(periodic_quantity::discount_rate, -0.01, period::year);
    REQUIRE_FALSE(rate);
    CHECK(rate.error().field == "discount_rate");
    CHECK(rate.error().message == "discount_rate must be >= 0, got -0.01");
  }
  SECTION("quantities are named as scenario fields") {
    CHECK(cltv::to_string(periodic_quantity::churn) == "churn");
    CHECK(cltv::to_string(periodic_quantity::arpu) == "arpu");
    CHECK(cltv::to_string(periodic_quantity::discount_rate) == "discount_rate");
  }
}
