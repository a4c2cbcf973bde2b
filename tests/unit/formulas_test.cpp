// Tests of cltv/formulas.hpp: the CLTV formulas as pure functions.

#include "cltv/formulas.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("lifetime is the reciprocal of churn", "[formulas]") {
  SECTION("4% churn a period lasts 25 periods") {
    REQUIRE_THAT(cltv::lifetime_from_churn(0.04), WithinRel(25.0, 1e-12));  // 1 / 0.04 = 25
  }
  SECTION("other churns") {
    CHECK(cltv::lifetime_from_churn(1.0) == 1.0);   // everyone leaves after one period
    CHECK(cltv::lifetime_from_churn(0.25) == 4.0);  // 1 / 0.25 = 4 (exact in binary)
    REQUIRE_THAT(cltv::lifetime_from_churn(0.05), WithinRel(20.0, 1e-12));  // 1 / 0.05 = 20
  }
}

TEST_CASE("value per period from orders is aov × purchase frequency", "[formulas]") {
  CHECK(cltv::value_from_orders(60.0, 0.5) == 30.0);   // 60 × 0.5 = 30
  CHECK(cltv::value_from_orders(25.0, 4.0) == 100.0);  // 25 × 4 = 100
  CHECK(cltv::value_from_orders(25.0, 0.0) == 0.0);
  static_assert(cltv::value_from_orders(60.0, 0.5) == 30.0);
}

TEST_CASE("margin per period is value × gross margin − cost to serve", "[formulas]") {
  SECTION("the header's example") {
    // 50 × 0.8 − 5 = 40 − 5 = 35
    REQUIRE_THAT(cltv::margin_per_period(50.0, 0.8, 5.0), WithinRel(35.0, 1e-12));
  }
  SECTION("full margin and no cost keeps the value") {
    CHECK(cltv::margin_per_period(50.0, 1.0, 0.0) == 50.0);
  }
  SECTION("the margin may be negative") {
    CHECK(cltv::margin_per_period(10.0, 0.5, 8.0) == -3.0);  // 10 × 0.5 − 8 = 5 − 8 = −3
    CHECK(cltv::margin_per_period(0.0, 1.0, 2.0) == -2.0);   // 0 − 2
  }
}

TEST_CASE("paid_periods_churn without a horizon is (1 + d) / (c + d)", "[formulas]") {
  SECTION("undiscounted it is the lifetime 1 / c") {
    REQUIRE_THAT(cltv::paid_periods_churn(0.04, 0.0), WithinRel(25.0, 1e-12));  // 1 / 0.04
    CHECK(cltv::paid_periods_churn(0.5, 0.0) == 2.0);  // 1 + 1/2 + 1/4 + … = 2
  }
  SECTION("discounted") {
    // (1 + 0.01) / (0.04 + 0.01) = 1.01 / 0.05 = 20.2
    REQUIRE_THAT(cltv::paid_periods_churn(0.04, 0.01), WithinRel(20.2, 1e-12));
    // (1 + 0.25) / (0.25 + 0.25) = 1.25 / 0.5 = 2.5
    CHECK(cltv::paid_periods_churn(0.25, 0.25) == 2.5);
  }
  SECTION("no churn, only discounting: (1 + d) / d") {
    REQUIRE_THAT(cltv::paid_periods_churn(0.0, 0.01), WithinRel(101.0, 1e-12));  // 1.01 / 0.01
  }
  SECTION("churn 1 pays once, discounted or not") {
    CHECK(cltv::paid_periods_churn(1.0, 0.0) == 1.0);  // 1 / 1
    CHECK(cltv::paid_periods_churn(1.0, 0.1) == 1.0);  // 1.1 / 1.1
  }
  SECTION("the limit d → 0 is continuous") {
    // (1 + 1e-12) / (0.04 + 1e-12) = 25 × (1 + 1e-12) / (1 + 2.5e-11) ≈ 25 × (1 − 2.4e-11)
    REQUIRE_THAT(cltv::paid_periods_churn(0.04, 1e-12),
                 WithinRel(cltv::paid_periods_churn(0.04, 0.0), 1e-9));
  }
}

TEST_CASE("paid_periods_churn with a horizon sums the first H periods", "[formulas]") {
  SECTION("short sums checked term by term") {
    // c = 0.5, d = 0, H = 3: q = 0.5; 1 + 0.5 + 0.25 = 1.75
    REQUIRE_THAT(cltv::paid_periods_churn(0.5, 0.0, 3), WithinRel(1.75, 1e-12));
    // H = 1: only the payment at t = 0
    REQUIRE_THAT(cltv::paid_periods_churn(0.3, 0.1, 1), WithinRel(1.0, 1e-12));
  }
  SECTION("(1 − q^H) / (1 − q) with q = (1 − c) / (1 + d)") {
    // c = 0.4, d = 0.2: q = 0.6 / 1.2 = 1/2; H = 24: (1 − 2^−24) / (1/2) = 2 − 2^−23
    // = 2 − 0.00000011920928955078125 = 1.99999988079071044921875
    REQUIRE_THAT(cltv::paid_periods_churn(0.4, 0.2, 24),
                 WithinRel(1.99999988079071044921875, 1e-12));
  }
  SECTION("c = d = 0 counts every period: H") {
    CHECK(cltv::paid_periods_churn(0.0, 0.0, 36) == 36.0);
    CHECK(cltv::paid_periods_churn(0.0, 0.0, 1) == 1.0);
    CHECK(cltv::paid_periods_churn(0.0, 0.0, 10000) == 10000.0);
  }
  SECTION("churn 1 pays once whatever the horizon and discount") {
    REQUIRE_THAT(cltv::paid_periods_churn(1.0, 0.0, 10), WithinRel(1.0, 1e-12));
    REQUIRE_THAT(cltv::paid_periods_churn(1.0, 0.1, 10), WithinRel(1.0, 1e-12));
    REQUIRE_THAT(cltv::paid_periods_churn(1.0, 0.0, 1), WithinRel(1.0, 1e-12));
  }
  SECTION("a long horizon approaches the unbounded sum") {
    // c = 0.4, d = 0.2, q = 1/2: 2 − 2^−(H−1) → 2; at H = 10000 q^H underflows to 0.
    REQUIRE_THAT(cltv::paid_periods_churn(0.4, 0.2, 10000), WithinRel(2.0, 1e-12));
    REQUIRE_THAT(cltv::paid_periods_churn(0.4, 0.2, 10000),
                 WithinRel(cltv::paid_periods_churn(0.4, 0.2), 1e-12));
  }
  SECTION("no churn, only discounting: (1 + d)(1 − (1 + d)^−H) / d") {
    // c = 0, d = 1, H = 3: 1 + 1/2 + 1/4 = 1.75
    REQUIRE_THAT(cltv::paid_periods_churn(0.0, 1.0, 3), WithinRel(1.75, 1e-12));
  }
  SECTION("q → 1 keeps full precision") {
    // c = 1e-12, d = 0, H = 100: Σ_{t<100} (1 − c)^t = H − c·H(H − 1)/2 + O(c²H³)
    // = 100 − 1e-12 × 4950 = 99.99999999505 (next term ~1.6e-19).
    // A naive (1 − q^H) / (1 − q) would lose ~4 of those digits to cancellation.
    REQUIRE_THAT(cltv::paid_periods_churn(1e-12, 0.0, 100), WithinRel(99.99999999505, 1e-12));
  }
  SECTION("the limit d → 0 is continuous") {
    // c = 0.04, H = 24: d = 1e-12 moves the sum by about 1e-12 × Σ t·q^t, i.e. ~1e-11 relative.
    REQUIRE_THAT(cltv::paid_periods_churn(0.04, 1e-12, 24),
                 WithinRel(cltv::paid_periods_churn(0.04, 0.0, 24), 1e-9));
    // c = 0 too: d = 1e-12 against the exact H branch. Σ_{t<36} (1 + d)^−t ≈ 36 − d·630.
    REQUIRE_THAT(cltv::paid_periods_churn(0.0, 1e-12, 36), WithinRel(36.0, 1e-9));
    REQUIRE_THAT(cltv::paid_periods_churn(0.0, 1e-12, 36), WithinRel(36.0 - 630e-12, 1e-12));
  }
}

TEST_CASE("paid_periods_fixed discounts a fixed lifetime of L payments", "[formulas]") {
  SECTION("undiscounted it is L, whole or fractional") {
    CHECK(cltv::paid_periods_fixed(24.0, 0.0) == 24.0);
    CHECK(cltv::paid_periods_fixed(2.5, 0.0) == 2.5);
  }
  SECTION("(1 + d)(1 − (1 + d)^−L) / d") {
    // d = 1, L = 3: 1 + 1/2 + 1/4 = 1.75; closed form 2 × (1 − 1/8) / 1 = 1.75
    REQUIRE_THAT(cltv::paid_periods_fixed(3.0, 1.0), WithinRel(1.75, 1e-12));
    // d = 1%, L = 24: 1.01^2 = 1.0201, ^4 = 1.04060401, ^8 = 1.0828567056280801,
    // ^16 = 1.172578644923698520…, ^24 = ^16 × ^8 = 1.269734648531914468…;
    // 1 − 1/1.269734648531914468 = 1 − 0.787566127423721512 = 0.212433872576278487;
    // × 1.01 / 0.01 = 21.455821130204127231
    REQUIRE_THAT(cltv::paid_periods_fixed(24.0, 0.01), WithinRel(21.455821130204127231, 1e-12));
  }
  SECTION("a fractional lifetime is the smooth extension") {
    // d = 3, L = 1.5: (1 + 3)^−1.5 = 4^−1.5 = 1/8; 4 × (1 − 1/8) / 3 = 4 × 7/8 / 3 = 7/6
    REQUIRE_THAT(cltv::paid_periods_fixed(1.5, 3.0), WithinRel(7.0 / 6.0, 1e-12));
    // d = 0.21, L = 2.5: 1.21^−2.5 = 1.1^−5 = 1/1.61051;
    // 1.21 × (1 − 1/1.61051) / 0.21 = 1.21 × 0.61051 / (0.21 × 1.61051) = 2.184215233802010661…
    REQUIRE_THAT(cltv::paid_periods_fixed(2.5, 0.21), WithinRel(2.184215233802010661, 1e-12));
    // and lies between the whole lifetimes around it: L = 2 gives 1 + 1/1.21, L = 3 adds 1/1.21²
    CHECK(cltv::paid_periods_fixed(2.5, 0.21) > 1.0 + 1.0 / 1.21);
    CHECK(cltv::paid_periods_fixed(2.5, 0.21) < 1.0 + 1.0 / 1.21 + 1.0 / (1.21 * 1.21));
  }
  SECTION("the limit d → 0 is continuous") {
    // Σ_{t<L} (1 + d)^−t = L − d·L(L − 1)/2 + O(d²): L = 24, d = 1e-12 → 24 − 276e-12.
    REQUIRE_THAT(cltv::paid_periods_fixed(24.0, 1e-12), WithinRel(24.0, 1e-9));
    REQUIRE_THAT(cltv::paid_periods_fixed(24.0, 1e-12), WithinRel(24.0 - 276e-12, 1e-12));
  }
  SECTION("a lifetime under one period is less than one payment") {
    // d = 0: L = 0.5 counts half a payment.
    CHECK(cltv::paid_periods_fixed(0.5, 0.0) == 0.5);
    // d = 3, L = 0.5: 4 × (1 − 4^−0.5) / 3 = 4 × (1/2) / 3 = 2/3
    REQUIRE_THAT(cltv::paid_periods_fixed(0.5, 3.0), WithinRel(2.0 / 3.0, 1e-12));
  }
}

TEST_CASE("meets_target allows a 1e-9 relative shortfall", "[formulas]") {
  SECTION("an exact 3× computed one ulp short passes") {
    // 2.9999999999999996 is 3 − 2^−51, the double just below 3 (ulp in [2, 4) is 2^−51).
    CHECK(cltv::meets_target(2.9999999999999996, 3.0));
    CHECK(std::nextafter(3.0, 0.0) == 2.9999999999999996);
  }
  SECTION("at, above and within the tolerance") {
    CHECK(cltv::meets_target(3.0, 3.0));
    CHECK(cltv::meets_target(4.5, 3.0));
    CHECK(cltv::meets_target(2.999999998, 3.0));  // 2e-9 short of 3 = 6.7e-10 relative
  }
  SECTION("a real shortfall fails") {
    CHECK_FALSE(cltv::meets_target(2.999, 3.0));
    CHECK_FALSE(cltv::meets_target(2.9999999, 3.0));    // 1e-7 short = 3.3e-8 relative
    CHECK_FALSE(cltv::meets_target(2.999999996, 3.0));  // 4e-9 short = 1.3e-9 relative
    CHECK_FALSE(cltv::meets_target(-1.0, 3.0));
  }
  SECTION("other targets") {
    CHECK(cltv::meets_target(1.0, 1.0));
    CHECK_FALSE(cltv::meets_target(0.5, 1.0));
    static_assert(cltv::meets_target(5.0, 5.0));
  }
}

TEST_CASE("bounds round to their safe side for a reader", "[formulas]") {
  SECTION("a maximum rounds down: 1250 / 3 = 416.666… → 416.66 (416.67 gives 2.99998×)") {
    CHECK(cltv::rounded_maximum(1250.0 / 3.0, 2) == 416.66);
    CHECK(1250.0 / cltv::rounded_maximum(1250.0 / 3.0, 2) >= 3.0);
  }
  SECTION("a minimum rounds up: 2000 / 3 = 666.666… → 666.67; 1 / 3 → 0.333334 at 6 places") {
    CHECK(cltv::rounded_minimum(2000.0 / 3.0, 2) == 666.67);
    CHECK(cltv::rounded_minimum(1.0 / 3.0, 6) == 0.333334);
    CHECK(cltv::rounded_minimum(0.1, 2) == 0.1);  // already a decimal: unchanged
  }
  SECTION("within rounding noise of a decimal it is that decimal, not the next one down") {
    // 900 / 3 computed the long way round: one ulp below 300
    CHECK(cltv::rounded_maximum(std::nextafter(300.0, 0.0), 2) == 300.0);
    CHECK(cltv::rounded_minimum(std::nextafter(900.0, 1000.0), 2) == 900.0);
    // 2e-9 relative is more than noise: a maximum 300 × (1 − 2e-9) → 299.99, a
    // minimum 300 × (1 + 2e-9) → 300.01
    CHECK(cltv::rounded_maximum(300.0 * (1 - 2e-9), 2) == 299.99);
    CHECK(cltv::rounded_minimum(300.0 * (1 + 2e-9), 2) == 300.01);
  }
  SECTION("the result is the double the decimal's text reads as: 0.021777 (2.1777%)") {
    // 39.2 / 1800 = 0.0217777…: down at 6 places is 0.021777
    CHECK(cltv::rounded_maximum(39.2 / 1800.0, 6) == 0.021777);
  }
  SECTION("too large for the places, or not finite: as is") {
    CHECK(cltv::rounded_maximum(1e300, 2) == 1e300);
    CHECK(std::isinf(cltv::rounded_minimum(HUGE_VAL, 2)));
  }
}

TEST_CASE("the formulas compose into the source articles' CLV", "[formulas]") {
  SECTION("CLV = ARPU × average lifetime") {
    // ARPU 40, churn 4%: lifetime 1 / 0.04 = 25; 40 × 25 = 1000
    const double lifetime = cltv::lifetime_from_churn(0.04);
    REQUIRE_THAT(cltv::margin_per_period(40.0, 1.0, 0.0) * lifetime, WithinRel(1000.0, 1e-12));
    REQUIRE_THAT(40.0 * cltv::paid_periods_churn(0.04, 0.0), WithinRel(1000.0, 1e-12));
  }
  SECTION("a zero margin is worth nothing whatever the lifetime") {
    CHECK_THAT(cltv::margin_per_period(10.0, 0.5, 5.0) * cltv::paid_periods_churn(0.04, 0.0),
               WithinAbs(0.0, 1e-12));  // (10 × 0.5 − 5) × 25 = 0
  }
}

TEST_CASE("expansion: payments growing by g a period", "[formulas][expansion]") {
  SECTION("g = 0 is exactly the foundation's formulas") {
    for (const double c : {0.0, 0.001, 0.04, 0.5, 1.0}) {
      for (const double d : {0.0, 0.01, 0.08}) {
        if (c + d > 0)
          CHECK(cltv::paid_periods_churn_growth(c, d, 0.0) == cltv::paid_periods_churn(c, d));
        for (const int h : {1, 12, 10000})
          CHECK(cltv::paid_periods_churn_growth(c, d, 0.0, h) == cltv::paid_periods_churn(c, d, h));
      }
    }
    for (const double l : {0.5, 1.0, 24.0, 9999.5})
      for (const double d : {0.0, 0.01, 0.08})
        CHECK(cltv::paid_periods_fixed_growth(l, d, 0.0) == cltv::paid_periods_fixed(l, d));
  }
  SECTION("no horizon: (1 + d) / (1 + d − (1 + g)(1 − c)), by hand") {
    // 1 / (1 − 1.01 × 0.96) = 1 / (1 − 0.9696) = 1 / 0.0304 = 32.894736842…
    REQUIRE_THAT(cltv::paid_periods_churn_growth(0.04, 0.0, 0.01), WithinRel(1.0 / 0.0304, 1e-12));
    // g = d cancels the discount: 1.01 / (1.01 − 1.01 × 0.96) = 1.01 / 0.0404 = 25
    REQUIRE_THAT(cltv::paid_periods_churn_growth(0.04, 0.01, 0.01), WithinRel(25.0, 1e-12));
    // contraction g = −2 %: 1 / (1 − 0.98 × 0.96) = 1 / 0.0592 = 16.891891…
    REQUIRE_THAT(cltv::paid_periods_churn_growth(0.04, 0.0, -0.02), WithinRel(1.0 / 0.0592, 1e-12));
    // churn 1 pays once whatever the growth
    CHECK(cltv::paid_periods_churn_growth(1.0, 0.0, 0.5) == 1.0);
  }
  SECTION("a horizon: the closed form equals the series summed term by term") {
    const auto series = [](double q, int n) {
      double sum = 0, term = 1;
      for (int t = 0; t < n; ++t, term *= q) sum += term;
      return sum;
    };
    // q = 1.05 × 0.96 / 1.01 = 0.998019…: Σ_{t<36} q^t = 34.780020859500…
    REQUIRE_THAT(cltv::paid_periods_churn_growth(0.04, 0.01, 0.05, 36),
                 WithinRel(series(1.05 * 0.96 / 1.01, 36), 1e-12));
    // A diverging ratio q = 1.10 × 0.98 = 1.078 > 1 is fine over a horizon.
    REQUIRE_THAT(cltv::paid_periods_churn_growth(0.02, 0.0, 0.10, 60),
                 WithinRel(series(1.10 * 0.98, 60), 1e-12));
    // q = 1 exactly: 1.25 × 0.8 = 1, every one of the H payments counts once.
    CHECK(cltv::paid_periods_churn_growth(0.2, 0.0, 0.25, 7) == 7.0);
  }
  SECTION("a fixed lifetime: Σ_{t<L} ((1 + g) / (1 + d))^t") {
    // L = 3, g = 10 %, d = 0: 1 + 1.1 + 1.21 = 3.31
    REQUIRE_THAT(cltv::paid_periods_fixed_growth(3.0, 0.0, 0.10), WithinRel(3.31, 1e-12));
    // q = 1.02 / 1.01 over 24 periods, summed by hand in Python: 26.941820273099818
    REQUIRE_THAT(cltv::paid_periods_fixed_growth(24.0, 0.01, 0.02),
                 WithinRel(26.941820273099818, 1e-12));
    // g = d: every discounted payment is worth the first one: L
    CHECK(cltv::paid_periods_fixed_growth(24.0, 0.05, 0.05) == 24.0);
  }
}
