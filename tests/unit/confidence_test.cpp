// Tests of cltv/confidence.hpp: the normal quantile and the Wilson score interval.

#include "cltv/confidence.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

TEST_CASE("z_for_confidence is the two-sided normal quantile", "[confidence]") {
  // Φ⁻¹(0.975), Φ⁻¹(0.995), Φ⁻¹(0.95) from SciPy's norm.ppf (and any table: 1.96, 2.576, 1.645).
  REQUIRE_THAT(cltv::z_for_confidence(0.95), WithinRel(1.959963984540054, 1e-12));
  REQUIRE_THAT(cltv::z_for_confidence(0.99), WithinRel(2.5758293035489004, 1e-12));
  REQUIRE_THAT(cltv::z_for_confidence(0.90), WithinRel(1.6448536269514722, 1e-12));
  // 68.27 % is one standard deviation: erf(1 / √2) = 0.682689492137…
  REQUIRE_THAT(cltv::z_for_confidence(0.6826894921370859), WithinRel(1.0, 1e-9));
}

TEST_CASE("wilson_interval", "[confidence]") {
  const double z95 = 1.959963984540054;
  SECTION("by hand: 12 of 300 at 95 %") {
    // p = 0.04, z² = 3.841459, n = 300
    // centre  = p + z²/2n = 0.04 + 0.0064024 = 0.0464024
    // spread  = z √(p(1 − p)/n + z²/4n²) = 1.959964 × √(0.000128 + 0.0000106707) = 0.0230800
    // scale   = 1 + z²/n = 1.0128049
    // low  = (0.0464024 − 0.0230800) / 1.0128049 = 0.0230273
    // high = (0.0464024 + 0.0230800) / 1.0128049 = 0.0686042
    const auto i = cltv::wilson_interval(12, 300, z95);
    REQUIRE_THAT(i.low, WithinAbs(0.0230273, 5e-7));
    REQUIRE_THAT(i.high, WithinAbs(0.0686042, 5e-7));
  }
  SECTION("Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (score)") {
    // The published intervals, to the four decimals printed there.
    struct example {
      double k, n, low, high;
    };
    for (const example e : {example{81, 263, 0.2553, 0.3662}, example{15, 148, 0.0624, 0.1605},
                            example{0, 20, 0.0, 0.1611}, example{1, 29, 0.0061, 0.1718}}) {
      const auto i = cltv::wilson_interval(e.k, e.n, z95);
      CAPTURE(e.k, e.n);
      REQUIRE_THAT(i.low, WithinAbs(e.low, 5e-5));
      REQUIRE_THAT(i.high, WithinAbs(e.high, 5e-5));
    }
  }
  SECTION("exactly 0 with no successes, exactly 1 with all of them") {
    CHECK(cltv::wilson_interval(0, 20, z95).low == 0.0);
    CHECK(cltv::wilson_interval(29, 29, z95).high == 1.0);
    CHECK(cltv::wilson_interval(1, 1, z95).high == 1.0);
    CHECK(cltv::wilson_interval(0, 1, z95).low == 0.0);
  }
  SECTION("brackets the point estimate and shrinks as counts grow with the same p") {
    double previous_width = 1.0;
    for (const double scale : {1.0, 10.0, 100.0, 1000.0}) {
      const double k = 4 * scale, n = 100 * scale;  // p = 4 %
      const auto i = cltv::wilson_interval(k, n, z95);
      CAPTURE(n);
      CHECK(i.low < k / n);
      CHECK(k / n < i.high);
      CHECK(i.high - i.low < previous_width);
      previous_width = i.high - i.low;
    }
  }
  SECTION("a higher confidence widens it") {
    const auto narrow = cltv::wilson_interval(12, 300, 1.6448536269514722);
    const auto wide = cltv::wilson_interval(12, 300, 2.5758293035489004);
    CHECK(wide.low < narrow.low);
    CHECK(narrow.high < wide.high);
  }
}
