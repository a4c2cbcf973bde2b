// Tests of cltv/payback_curve.hpp: the cumulative expected margin by period,
// by hand and against evaluate()'s LTV, which the curve must end at.

#include "cltv/payback_curve.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;

namespace {

cltv::payback_curve curve_of(const cltv::scenario_input& in, std::optional<int> periods = {}) {
  auto s = cltv::resolve(in);
  REQUIRE(s);
  auto c = cltv::make_payback_curve(*s, periods);
  REQUIRE(c);
  return *c;
}

double ltv_of(const cltv::scenario_input& in) {
  return cltv::evaluate(*cltv::resolve(in))->ltv;
}

}  // namespace

TEST_CASE("payback curve of constant churn", "[payback_curve]") {
  cltv::scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  in.cac = 300;
  const cltv::payback_curve c = curve_of(in);

  SECTION("C(n) = 50 (1 − 0.96^n) / 0.04, payments at the start of each period") {
    CHECK(c.points[0].cumulative == 0);
    CHECK_THAT(c.points[1].cumulative, WithinRel(50.0, 1e-12));
    CHECK_THAT(c.points[2].margin, WithinRel(48.0, 1e-12));              // 50 × 0.96
    CHECK_THAT(c.points[6].cumulative, WithinRel(271.55276288, 1e-10));  // 1250 (1 − 0.96⁶)
    CHECK_THAT(c.points[7].cumulative, WithinRel(310.6906523648, 1e-10));
  }
  SECTION("expected payback between periods 6 and 7; simple payback 300 / 50 = 6") {
    // 6 + (300 − 271.55276288) / (310.6906523648 − 271.55276288) = 6 + 28.44723712 / 39.1378894848
    CHECK_THAT(*c.expected_payback, WithinRel(6.7268464778, 1e-9));
    CHECK_THAT(*c.simple_payback, WithinRel(6.0, 1e-12));
    CHECK_FALSE(c.never_paid_back);
  }
  SECTION("marks: LTV 1250, target 3 × 300 = 900, ratio 4.1667 meets it") {
    CHECK_THAT(c.ltv, WithinRel(1250.0, 1e-12));
    CHECK_THAT(*c.target_ltv, WithinRel(900.0, 1e-12));
    CHECK_THAT(*c.ltv_cac_ratio, WithinRel(1250.0 / 300, 1e-12));
    CHECK(*c.meets_target);
  }
  SECTION("drawn until 95 % is paid: 0.96^n ≤ 0.05 from n = 74 (ln 0.05 / ln 0.96 = 73.4)") {
    CHECK(c.points.back().period == 74);
    CHECK(c.points.size() == 75);
  }
  SECTION("cumulative never decreases with a positive margin, and tends to the LTV") {
    for (std::size_t i = 1; i < c.points.size(); ++i)
      CHECK(c.points[i].cumulative >= c.points[i - 1].cumulative);
    const cltv::payback_curve long_one = curve_of(in, 2000);
    CHECK_THAT(long_one.points.back().cumulative, WithinRel(1250.0, 1e-12));
  }
}

TEST_CASE("payback curve ends at evaluate()'s LTV", "[payback_curve]") {
  SECTION("churn with a horizon and discounting: C(H) is the LTV") {
    cltv::scenario_input in;
    in.arpu = 40;
    in.churn = 0.03;
    in.discount_rate = 0.01;
    in.horizon = 24;
    in.cac = 200;
    const cltv::payback_curve c = curve_of(in);
    CHECK(c.points.back().period == 24);
    CHECK_THAT(c.points.back().cumulative, WithinRel(ltv_of(in), 1e-12));
  }
  SECTION("a fractional fixed lifetime ends at ⌈L⌉ on the closed form's LTV") {
    cltv::scenario_input in;
    in.arpu = 30;
    in.lifetime = 10.5;
    in.discount_rate = 0.01;
    const cltv::payback_curve c = curve_of(in);
    CHECK(c.points.back().period == 11);
    CHECK_THAT(c.points.back().cumulative, WithinRel(ltv_of(in), 1e-12));
    CHECK_THAT(c.points[3].cumulative, WithinRel(30 * (1 + 1 / 1.01 + 1 / 1.0201), 1e-12));
    // Past the lifetime nothing is paid.
    const cltv::payback_curve longer = curve_of(in, 15);
    CHECK(longer.points.back().margin == 0);
    CHECK_THAT(longer.points.back().cumulative, WithinRel(ltv_of(in), 1e-12));
  }
  SECTION("expansion: revenue grows by (1 + g)^t, the cost to serve does not") {
    cltv::scenario_input in;
    in.arpu = 50;
    in.churn = 0.04;
    in.expansion = 0.01;
    in.cost_to_serve = 5;
    const cltv::payback_curve c = curve_of(in, 3);
    // t = 0: 50 − 5; t = 1: (50 × 1.01 − 5) × 0.96; t = 2: (50 × 1.0201 − 5) × 0.9216
    CHECK_THAT(c.points[3].cumulative,
               WithinRel(45 + (50.5 - 5) * 0.96 + (51.005 - 5) * 0.9216, 1e-12));
    CHECK_THAT(curve_of(in, 10000).points.back().cumulative, WithinRel(ltv_of(in), 1e-9));
  }
  SECTION("an sBG curve (Fader & Hardie's high-end cohort, 10 % a year): DEL ≈ 5.92") {
    cltv::scenario_input in;
    in.arpu = 1;
    in.period = cltv::period::year;
    in.sbg_alpha = 0.668;
    in.sbg_beta = 3.806;
    in.discount_rate = 0.10;
    const cltv::payback_curve c = curve_of(in, 3);
    // S(0) + S(1) / 1.1 + S(2) / 1.21, S(1) = 3.806 / 4.474, S(2) = S(1) × 4.806 / 5.474
    const double s1 = 3.806 / 4.474;
    CHECK_THAT(c.points[3].cumulative, WithinRel(1 + s1 / 1.1 + s1 * 4.806 / 5.474 / 1.21, 1e-12));
    // DEL = 2F1(1, β; α + β; 1 / 1.1): 5.922 in Fader & Hardie (2010), from unrounded α, β.
    CHECK_THAT(curve_of(in, 2000).points.back().cumulative, WithinRel(ltv_of(in), 1e-9));
    CHECK_THAT(ltv_of(in), WithinAbs(5.922, 1e-3));
  }
}

TEST_CASE("payback curve: never paid back, no CAC, bad periods", "[payback_curve]") {
  SECTION("LTV 100 below CAC 500: never paid back, no crossing") {
    cltv::scenario_input in;
    in.arpu = 10;
    in.churn = 0.10;
    in.cac = 500;
    const cltv::payback_curve c = curve_of(in);
    CHECK(c.never_paid_back);
    CHECK_FALSE(c.expected_payback);
    CHECK_FALSE(*c.meets_target);
  }
  SECTION("a negative margin: the curve falls, no simple payback") {
    cltv::scenario_input in;
    in.arpu = 10;
    in.cost_to_serve = 12;
    in.churn = 0.10;
    in.cac = 50;
    const cltv::payback_curve c = curve_of(in);
    CHECK(c.never_paid_back);
    CHECK_FALSE(c.simple_payback);
    CHECK(c.points.back().cumulative < 0);
  }
  SECTION("without a CAC there is nothing to cross") {
    cltv::scenario_input in;
    in.arpu = 50;
    in.churn = 0.04;
    const cltv::payback_curve c = curve_of(in);
    CHECK_FALSE(c.cac);
    CHECK_FALSE(c.target_ltv);
    CHECK_FALSE(c.expected_payback);
    CHECK_FALSE(c.never_paid_back);
  }
  SECTION("periods must be 1 … 10000") {
    cltv::scenario_input in;
    in.arpu = 50;
    in.churn = 0.04;
    const auto s = cltv::resolve(in);
    CHECK(cltv::make_payback_curve(*s, 0).error().field == "periods");
    CHECK(cltv::make_payback_curve(*s, 10001).error().field == "periods");
    CHECK(cltv::make_payback_curve(*s, 1)->points.size() == 2);
  }
}
