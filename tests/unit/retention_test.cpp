// Tests of cltv/retention.hpp: the sBG curve's lifetime sums, under the names
// the LTV formulas use (cltv/models/sbg.hpp's tests check them against Fader
// & Hardie's published values).

#include "cltv/retention.hpp"

#include <catch2/catch.hpp>

using Catch::Matchers::WithinRel;
using cltv::sbg_params;

TEST_CASE("the sBG curve's parameters and lifetime sums", "[retention]") {
  SECTION("alpha and beta must be positive") {
    CHECK(cltv::make_sbg_params(0.668, 3.806).has_value());
    CHECK(cltv::make_sbg_params(0, 3.806).error().field == "alpha");
    CHECK(cltv::make_sbg_params(0.668, -1).error().field == "beta");
  }
  SECTION("expected lifetime 1 + β / (α − 1), unbounded when α ≤ 1") {
    CHECK_THAT(*cltv::sbg_expected_lifetime(sbg_params{1.5, 3}),
               WithinRel(7.0, 1e-12));  // 1 + 3 / 0.5
    CHECK_FALSE(cltv::sbg_expected_lifetime(sbg_params{1, 3}).has_value());
  }
  SECTION("undiscounted, DEL is the expected lifetime and DERL (β + n) / (α − 1)") {
    CHECK_THAT(*cltv::sbg_discounted_expected_lifetime(sbg_params{2, 4}, 0),
               WithinRel(5.0, 1e-12));  // 1 + 4 / 1
    CHECK_THAT(*cltv::sbg_discounted_expected_residual_lifetime(sbg_params{2, 4}, 0, 3),
               WithinRel(7.0, 1e-12));  // (4 + 3) / (2 − 1)
  }
  SECTION("paid periods over a horizon of 2: S(0) + S(1) = 1 + β / (α + β)") {
    CHECK_THAT(*cltv::sbg_paid_periods(sbg_params{0.668, 3.806}, 0, 2),
               WithinRel(1 + 3.806 / 4.474, 1e-12));
    CHECK(cltv::sbg_paid_periods(sbg_params{0.668, 3.806}, 0, std::nullopt).error().field ==
          "horizon");  // α ≤ 1 with neither a discount rate nor a horizon
  }
}
