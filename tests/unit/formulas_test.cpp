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
