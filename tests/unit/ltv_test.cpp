// Tests of cltv/ltv.hpp: evaluating a scenario into LTV, net value, LTV:CAC and payback.

#include "cltv/ltv.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "cltv/scenario.hpp"

using Catch::Matchers::StartsWith;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::scenario_input;

namespace {

scenario_input subscription(double arpu, double churn) {
  scenario_input in;
  in.arpu = arpu;
  in.churn = churn;
  return in;
}

cltv::ltv_result calculated(const scenario_input& in) {
  auto r = cltv::calculate(in);
  if (!r) FAIL("calculate failed: [" << r.error().field << "] " << r.error().message);
  return *r;
}

cltv::error refused(const scenario_input& in) {
  auto r = cltv::calculate(in);
  if (r) FAIL("calculate succeeded with ltv " << r->ltv);
  return r.error();
}

}  // namespace

TEST_CASE("the basic subscription: arpu 50, churn 4%, cac 300", "[ltv]") {
  scenario_input in = subscription(50.0, 0.04);
  in.cac = 300.0;
  const cltv::ltv_result r = calculated(in);

  SECTION("margin, lifetime and LTV") {
    CHECK(r.period == cltv::period::month);
    CHECK(r.margin_per_period == 50.0);  // 50 × 1 − 0
    REQUIRE(r.lifetime.has_value());
    REQUIRE_THAT(*r.lifetime, WithinRel(25.0, 1e-12));     // 1 / 0.04 = 25
    REQUIRE_THAT(r.paid_periods, WithinRel(25.0, 1e-12));  // undiscounted, no horizon: 1 / c
    REQUIRE_THAT(r.ltv, WithinRel(1250.0, 1e-12));         // 50 × 25 = 1250
  }
  SECTION("net value, LTV:CAC and the 3× rule") {
    REQUIRE(r.net_value.has_value());
    REQUIRE_THAT(*r.net_value, WithinRel(950.0, 1e-12));  // 1250 − 300 = 950
    REQUIRE(r.ltv_cac_ratio.has_value());
    REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(25.0 / 6.0, 1e-12));  // 1250 / 300 = 4.1666…
    CHECK(r.target == 3.0);
    CHECK(r.meets_target == true);         // 4.17 ≥ 3
    CHECK(cltv::passes_check(r) == true);  // no interval: the point estimate decides
  }
  SECTION("payback") {
    REQUIRE(r.cac_payback.has_value());
    REQUIRE_THAT(*r.cac_payback, WithinRel(6.0, 1e-12));  // 300 / 50 = 6 months
    CHECK_FALSE(r.payback_undefined);
  }
  SECTION("evaluate on the resolved scenario gives the same result") {
    auto s = cltv::resolve(in);
    REQUIRE(s.has_value());
    auto direct = cltv::evaluate(*s);
    REQUIRE(direct.has_value());
    CHECK(direct->ltv == r.ltv);
    CHECK(direct->ltv_cac_ratio == r.ltv_cac_ratio);
    CHECK(direct->cac_payback == r.cac_payback);
  }
  SECTION("a higher target is not met") {
    in.target = 5.0;
    const cltv::ltv_result high = calculated(in);
    CHECK(high.target == 5.0);
    CHECK(high.meets_target == false);  // 4.17 < 5
  }
}

TEST_CASE("gross margin and cost to serve reduce the margin", "[ltv]") {
  scenario_input in = subscription(50.0, 0.04);
  in.gross_margin = 0.8;
  in.cost_to_serve = 5.0;
  in.cac = 300.0;
  const cltv::ltv_result r = calculated(in);
  REQUIRE_THAT(r.margin_per_period, WithinRel(35.0, 1e-12));  // 50 × 0.8 − 5 = 40 − 5 = 35
  REQUIRE_THAT(r.ltv, WithinRel(875.0, 1e-12));               // 35 × 25 = 875
  REQUIRE(r.cac_payback.has_value());
  REQUIRE_THAT(*r.cac_payback, WithinRel(60.0 / 7.0, 1e-12));  // 300 / 35 = 8.571… months
}

TEST_CASE("value per period from orders", "[ltv]") {
  scenario_input in;
  in.aov = 60.0;
  in.purchase_frequency = 0.5;
  in.churn = 0.1;
  const cltv::ltv_result r = calculated(in);
  CHECK(r.margin_per_period == 30.0);            // 60 × 0.5 = 30
  REQUIRE_THAT(r.ltv, WithinRel(300.0, 1e-12));  // 30 × (1 / 0.1) = 30 × 10 = 300
}

TEST_CASE("discounting", "[ltv]") {
  SECTION("with churn: margin × (1 + d) / (c + d)") {
    scenario_input in = subscription(40.0, 0.04);
    in.discount_rate = 0.01;
    const cltv::ltv_result r = calculated(in);
    REQUIRE_THAT(r.paid_periods, WithinRel(20.2, 1e-12));  // 1.01 / 0.05 = 20.2
    REQUIRE_THAT(r.ltv, WithinRel(808.0, 1e-12));          // 40 × 20.2 = 808
    REQUIRE(r.lifetime.has_value());
    REQUIRE_THAT(*r.lifetime, WithinRel(25.0, 1e-12));  // the lifetime is still 1 / churn
  }
  SECTION("churn 0 with a discount rate: margin × (1 + d) / d, lifetime unbounded") {
    scenario_input in = subscription(50.0, 0.0);
    in.discount_rate = 0.01;
    const cltv::ltv_result r = calculated(in);
    CHECK_FALSE(r.lifetime.has_value());
    REQUIRE_THAT(r.paid_periods, WithinRel(101.0, 1e-12));  // 1.01 / 0.01 = 101
    REQUIRE_THAT(r.ltv, WithinRel(5050.0, 1e-12));          // 50 × 101 = 5050
  }
}

TEST_CASE("a horizon counts only the first H periods", "[ltv]") {
  SECTION("churn 4%, discount 1%, 24 months") {
    scenario_input in = subscription(40.0, 0.04);
    in.discount_rate = 0.01;
    in.horizon = 24.0;
    const cltv::ltv_result r = calculated(in);
    // q = (1 − 0.04) / (1 + 0.01) = 96/101 = 0.950495049504950495…
    // q² = 9216/10201 = 0.903440839133418292…, q⁴ = 0.816205349814094989…,
    // q⁸ = 0.666191173065149171…, q¹⁶ = 0.443810679069919534…,
    // q²⁴ = q¹⁶ × q⁸ = 0.295662756908430141…
    // (1 − q²⁴) / (1 − q) = 0.704337243091569859 / (5/101) = 0.704337243091569859 × 20.2
    //                      = 14.227612310449711150
    // LTV = 40 × 14.227612310449711150 = 569.104492417988446
    REQUIRE_THAT(r.paid_periods, WithinRel(14.227612310449711150, 1e-12));
    REQUIRE_THAT(r.ltv, WithinRel(569.104492417988446, 1e-12));
    REQUIRE(r.lifetime.has_value());
    REQUIRE_THAT(*r.lifetime, WithinRel(25.0, 1e-12));  // 1 / churn, not capped
  }
  SECTION("churn 40%, discount 20%: q = 0.6 / 1.2 = 1/2 exactly") {
    scenario_input in = subscription(10.0, 0.4);
    in.discount_rate = 0.2;
    in.horizon = 24.0;
    const cltv::ltv_result r = calculated(in);
    // (1 − 2^−24) / (1 − 1/2) = 2 − 2^−23 = 1.99999988079071044921875; × 10
    REQUIRE_THAT(r.ltv, WithinRel(19.9999988079071044921875, 1e-12));
  }
  SECTION("undiscounted: churn 50%, 3 periods") {
    scenario_input in = subscription(50.0, 0.5);
    in.horizon = 3.0;
    // 50 × (1 + 0.5 + 0.25) = 50 × 1.75 = 87.5
    REQUIRE_THAT(calculated(in).ltv, WithinRel(87.5, 1e-12));
  }
  SECTION("churn 0 with a horizon: margin × H, lifetime unbounded") {
    scenario_input in = subscription(50.0, 0.0);
    in.horizon = 36.0;
    const cltv::ltv_result r = calculated(in);
    CHECK_FALSE(r.lifetime.has_value());
    CHECK(r.paid_periods == 36.0);
    CHECK(r.ltv == 1800.0);  // 50 × 36 = 1800
  }
  SECTION("churn 1 pays once") {
    scenario_input in = subscription(50.0, 1.0);
    in.horizon = 12.0;
    REQUIRE_THAT(calculated(in).ltv, WithinRel(50.0, 1e-12));  // 50 × 1
  }
}

TEST_CASE("a fixed lifetime", "[ltv]") {
  scenario_input in;
  in.arpu = 40.0;
  in.lifetime = 24.0;

  SECTION("undiscounted: margin × L") {
    const cltv::ltv_result r = calculated(in);
    CHECK(r.lifetime == 24.0);
    CHECK(r.paid_periods == 24.0);
    CHECK(r.ltv == 960.0);  // 40 × 24 = 960
  }
  SECTION("discounted at 1%: margin × (1 + d)(1 − (1 + d)^−L) / d") {
    in.discount_rate = 0.01;
    const cltv::ltv_result r = calculated(in);
    // 1.01^2 = 1.0201, ^4 = 1.04060401, ^8 = 1.0828567056280801, ^16 = 1.172578644923698520…,
    // ^24 = ^16 × ^8 = 1.269734648531914469…; 1/1.269734648531914469 = 0.787566127423721513;
    // 1.01 × (1 − 0.787566127423721513) / 0.01 = 101 × 0.212433872576278487 = 21.455821130204127
    // LTV = 40 × 21.455821130204127 = 858.23284520816509
    REQUIRE_THAT(r.paid_periods, WithinRel(21.455821130204127231, 1e-12));
    REQUIRE_THAT(r.ltv, WithinRel(858.23284520816508924, 1e-12));
  }
  SECTION("a horizon shorter than the lifetime caps it: min(L, H)") {
    in.horizon = 12.0;
    const cltv::ltv_result r = calculated(in);
    CHECK(r.lifetime == 24.0);      // the lifetime is reported as given
    CHECK(r.paid_periods == 12.0);  // min(24, 12) = 12
    CHECK(r.ltv == 480.0);          // 40 × 12 = 480
    SECTION("and discounting applies to the capped count") {
      in.discount_rate = 0.01;
      // 1.01^12 = 1.01^8 × 1.01^4 = 1.0828567056280801 × 1.04060401 = 1.126825030131969720661201;
      // 1.01 × (1 − 1/1.126825030131969720661201) / 0.01 = 11.367628248219476508; × 40
      REQUIRE_THAT(calculated(in).ltv, WithinRel(454.70512992877906030, 1e-12));
    }
  }
  SECTION("a horizon longer than the lifetime changes nothing") {
    in.lifetime = 6.0;
    in.horizon = 12.0;
    const cltv::ltv_result r = calculated(in);
    CHECK(r.paid_periods == 6.0);  // min(6, 12) = 6
    CHECK(r.ltv == 240.0);         // 40 × 6 = 240
  }
}

TEST_CASE("a negative margin", "[ltv]") {
  scenario_input in = subscription(10.0, 0.1);
  in.cost_to_serve = 15.0;
  in.cac = 50.0;
  const cltv::ltv_result r = calculated(in);

  SECTION("gives a negative LTV") {
    CHECK(r.margin_per_period == -5.0);            // 10 − 15 = −5
    REQUIRE_THAT(r.ltv, WithinRel(-50.0, 1e-12));  // −5 × (1 / 0.1) = −5 × 10 = −50
    REQUIRE(r.net_value.has_value());
    REQUIRE_THAT(*r.net_value, WithinRel(-100.0, 1e-12));  // −50 − 50 = −100
  }
  SECTION("fails the target") {
    REQUIRE(r.ltv_cac_ratio.has_value());
    REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(-1.0, 1e-12));  // −50 / 50 = −1
    CHECK(r.meets_target == false);
  }
  SECTION("is never paid back") {
    CHECK_FALSE(r.cac_payback.has_value());
    CHECK(r.payback_undefined);
  }
  SECTION("a zero margin is never paid back either") {
    in.gross_margin = 0.5;
    in.cost_to_serve = 5.0;  // 10 × 0.5 − 5 = 0
    const cltv::ltv_result zero = calculated(in);
    CHECK(zero.margin_per_period == 0.0);
    CHECK(zero.ltv == 0.0);
    CHECK(zero.ltv_cac_ratio == 0.0);  // 0 / 50
    CHECK_FALSE(zero.cac_payback.has_value());
    CHECK(zero.payback_undefined);
  }
}

TEST_CASE("what a missing or zero cac leaves out", "[ltv]") {
  scenario_input in = subscription(50.0, 0.04);

  SECTION("no cac: no net value, ratio, verdict or payback") {
    const cltv::ltv_result r = calculated(in);
    REQUIRE_THAT(r.ltv, WithinRel(1250.0, 1e-12));  // 50 × 25
    CHECK_FALSE(r.net_value.has_value());
    CHECK_FALSE(r.ltv_cac_ratio.has_value());
    CHECK_FALSE(r.meets_target.has_value());
    CHECK_FALSE(cltv::passes_check(r).has_value());
    CHECK_FALSE(r.cac_payback.has_value());
    CHECK_FALSE(r.payback_undefined);
  }
  SECTION("no cac and a negative margin: payback is not undefined, just absent") {
    in.cost_to_serve = 60.0;
    const cltv::ltv_result r = calculated(in);
    CHECK_FALSE(r.cac_payback.has_value());
    CHECK_FALSE(r.payback_undefined);
  }
  SECTION("cac 0: net value is the LTV, no ratio and no verdict") {
    in.cac = 0.0;
    const cltv::ltv_result r = calculated(in);
    REQUIRE(r.net_value.has_value());
    CHECK(*r.net_value == r.ltv);  // LTV − 0
    CHECK_FALSE(r.ltv_cac_ratio.has_value());
    CHECK_FALSE(r.meets_target.has_value());
    REQUIRE(r.cac_payback.has_value());
    CHECK(*r.cac_payback == 0.0);  // 0 / 50: nothing to pay back
  }
}

TEST_CASE("an exact 3× meets the 3× target", "[ltv]") {
  SECTION("arpu 30, churn 10%, cac 100: 30 × 10 / 100 = 3") {
    scenario_input in = subscription(30.0, 0.1);
    in.cac = 100.0;
    const cltv::ltv_result r = calculated(in);
    REQUIRE_THAT(r.ltv, WithinRel(300.0, 1e-12));  // 30 × (1 / 0.1) = 300
    REQUIRE(r.ltv_cac_ratio.has_value());
    REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(3.0, 1e-12));  // 300 / 100
    CHECK(r.meets_target == true);
  }
  SECTION("arpu 63, churn 7%, cac 300: 63 / 0.07 / 300 = 900 / 300 = 3, even if rounded short") {
    // In doubles 1 / 0.07 × 63 rounds to 899.9999999999999 and the ratio to
    // 2.9999999999999996; the 1e-9 tolerance of meets_target accepts it.
    scenario_input in = subscription(63.0, 0.07);
    in.cac = 300.0;
    const cltv::ltv_result r = calculated(in);
    REQUIRE(r.ltv_cac_ratio.has_value());
    REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(3.0, 1e-12));
    CHECK(r.meets_target == true);
  }
  SECTION("just short of 3 fails") {
    // arpu 29.97, churn 10%, cac 100: 29.97 × 10 / 100 = 2.997 < 3
    scenario_input in = subscription(29.97, 0.1);
    in.cac = 100.0;
    CHECK(calculated(in).meets_target == false);
  }
}

TEST_CASE("results too large for a double are errors, not inf", "[ltv]") {
  SECTION("arpu 1e300 over a fixed lifetime of 1e10 periods") {
    scenario_input in;
    in.arpu = 1e300;
    in.lifetime = 1e10;  // 1e300 × 1e10 = 1e310 > DBL_MAX ≈ 1.8e308
    const cltv::error e = refused(in);
    CHECK(e.field == "ltv");
    CHECK(e.message ==
          "ltv is too large to represent as a number; check arpu and the lifetime "
          "(value per period 1e+300)");
  }
  SECTION("aov 1e200 × purchase_frequency 1e200") {
    scenario_input in;
    in.aov = 1e200;
    in.purchase_frequency = 1e200;  // 1e400 > DBL_MAX
    in.churn = 0.04;
    // resolve() refuses it already: a validated scenario never holds inf.
    const cltv::error e = refused(in);
    CHECK(e.field == "aov");
    CHECK(e.message == "aov × purchase_frequency is too large to represent (1e+200 × 1e+200)");
    CHECK_FALSE(cltv::resolve(in).has_value());
  }
  SECTION("a discount rate so small that (1 + d) / d overflows") {
    scenario_input in = subscription(50.0, 0.0);
    in.discount_rate = 1e-310;  // 1 / 1e-310 = 1e310 > DBL_MAX
    const cltv::error e = refused(in);
    CHECK(e.field == "lifetime");
    CHECK(e.message ==
          "lifetime is too large to represent as a number; check lifetime, churn and "
          "discount_rate (value per period 50)");
  }
  SECTION("a tiny cac makes the ratio overflow") {
    scenario_input in = subscription(1e8, 0.01);  // LTV 1e8 × (1 / 0.01) = 1e10
    in.cac = 1e-310;                              // 1e10 / 1e-310 = 1e320 > DBL_MAX
    const cltv::error e = refused(in);
    CHECK(e.field == "cac");
    CHECK(e.message ==
          "ltv_cac_ratio is too large to represent as a number; cac 1e-310 is too small");
  }
  SECTION("a tiny margin makes the payback overflow") {
    scenario_input in = subscription(1e-300, 0.5);  // LTV 1e-300 × 2 = 2e-300, ratio 2e-310
    in.cac = 1e10;                                  // payback 1e10 / 1e-300 = 1e310
    const cltv::error e = refused(in);
    CHECK(e.field == "cac");
    CHECK(e.message ==
          "cac_payback is too large to represent as a number; check cac 1e+10 and the margin "
          "per period");
  }
  SECTION("a huge negative LTV minus a huge cac overflows the net value") {
    scenario_input in = subscription(0.0, 1.0);
    in.cost_to_serve = 1.5e308;  // margin −1.5e308, paid once: LTV −1.5e308
    in.cac = 1.5e308;            // −1.5e308 − 1.5e308 = −3e308 < −DBL_MAX
    const cltv::error e = refused(in);
    CHECK(e.field == "net_value");
    CHECK(e.message ==
          "net_value is too large to represent as a number; check cac and the ltv "
          "(value per period 0)");
  }
}

TEST_CASE("a churn too small for 1 / churn to be finite is an error, not inf", "[ltv]") {
  // 1 / 1e-310 = 1e310 > DBL_MAX ≈ 1.8e308; the horizon makes the scenario itself valid.
  scenario_input in = subscription(10.0, 1e-310);
  in.horizon = 12.0;
  const cltv::error e = refused(in);
  CHECK(e.field == "churn");
  CHECK(e.message ==
        "churn 1e-310 is too small: 1 / churn is not a finite number of periods (use churn 0 "
        "with a horizon or a discount rate)");
  SECTION("a subnormal churn whose lifetime is still finite works") {
    // 1e-308 (subnormal): 1 / 1e-308 = 1e308 < DBL_MAX; with H = 12 the sum is ≈ 12.
    in.churn = 1e-308;
    const cltv::ltv_result r = calculated(in);
    REQUIRE(r.lifetime.has_value());
    REQUIRE_THAT(*r.lifetime, WithinRel(1e308, 1e-12));
    REQUIRE_THAT(r.ltv, WithinRel(120.0, 1e-12));  // 10 × 12, churn negligible
  }
}

TEST_CASE("evaluate passes the period and target through", "[ltv]") {
  // An annual plan at 480 a year, 20% churn a year: lifetime 1 / 0.2 = 5 years, LTV 480 × 5 = 2400.
  scenario_input in = subscription(480.0, 0.2);
  in.period = cltv::period::year;
  in.target = 2.0;
  in.cac = 1200.0;
  const cltv::ltv_result r = calculated(in);
  CHECK(r.period == cltv::period::year);
  CHECK(r.target == 2.0);
  REQUIRE_THAT(r.ltv, WithinRel(2400.0, 1e-12));
  REQUIRE(r.ltv_cac_ratio.has_value());
  REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(2.0, 1e-12));  // 2400 / 1200 = 2
  CHECK(r.meets_target == true);                          // 2 ≥ 2
  REQUIRE(r.cac_payback.has_value());
  REQUIRE_THAT(*r.cac_payback, WithinRel(2.5, 1e-12));  // 1200 / 480 = 2.5 years
}

TEST_CASE("calculate reports resolve's errors", "[ltv]") {
  scenario_input in;
  in.arpu = 50.0;
  const cltv::error e = refused(in);
  CHECK(e.field == "churn");
  CHECK(e.message ==
        "missing lifetime: give lifetime, contract_length, churn, customers_start with "
        "customers_lost, or sbg_alpha with sbg_beta");
}

TEST_CASE("the source articles' worked examples", "[ltv][examples]") {
  SECTION("CLV = ARPU × average contract length: 40 × 25 = 1000") {
    scenario_input in;
    in.arpu = 40.0;
    in.contract_length = 25.0;
    const cltv::ltv_result r = calculated(in);
    CHECK(r.lifetime == 25.0);
    CHECK(r.ltv == 1000.0);  // 40 × 25 = 1000
    SECTION("CLTV = ARPU × lifetime − CAC is the net value: 1000 − 250 = 750") {
      in.cac = 250.0;
      const cltv::ltv_result net = calculated(in);
      REQUIRE(net.net_value.has_value());
      CHECK(*net.net_value == 750.0);  // 1000 − 250 = 750
      REQUIRE(net.ltv_cac_ratio.has_value());
      CHECK(*net.ltv_cac_ratio == 4.0);  // 1000 / 250 = 4
    }
  }
  SECTION("source article 004: an ad-supported tier at $5/month next to premium at $20/month") {
    // Same churn for both, 5% a month: lifetime 1 / 0.05 = 20 months.
    const cltv::ltv_result ad_tier = calculated(subscription(5.0, 0.05));
    const cltv::ltv_result premium = calculated(subscription(20.0, 0.05));
    REQUIRE_THAT(ad_tier.ltv, WithinRel(100.0, 1e-12));               // 5 / 0.05 = 100
    REQUIRE_THAT(premium.ltv, WithinRel(400.0, 1e-12));               // 20 / 0.05 = 400
    REQUIRE_THAT(premium.ltv / ad_tier.ltv, WithinRel(4.0, 1e-12));   // 400 / 100 = 4
    REQUIRE_THAT(premium.ltv - ad_tier.ltv, WithinAbs(300.0, 1e-9));  // 400 − 100 = 300
  }
}

TEST_CASE("expansion revenue", "[ltv][expansion]") {
  SECTION("g = 0 gives exactly the foundation's results") {
    for (const bool discounted : {false, true}) {
      for (const bool capped : {false, true}) {
        scenario_input in = subscription(50.0, 0.04);
        in.gross_margin = 0.8;
        in.cost_to_serve = 5;
        in.cac = 300;
        if (discounted) in.discount_rate = 0.01;
        if (capped) in.horizon = 36;
        scenario_input with_zero = in;
        with_zero.expansion = 0.0;
        const auto a = calculated(in);
        const auto b = calculated(with_zero);
        CHECK(a.ltv == b.ltv);  // bit for bit
        CHECK(a.paid_periods == b.paid_periods);
        CHECK(b.revenue_periods == b.paid_periods);
        CHECK(*a.ltv_cac_ratio == *b.ltv_cac_ratio);
      }
    }
  }
  SECTION("v·gm·(1 + d) / (1 + d − (1 + g) r) − cts·(1 + d) / (1 + d − r), by hand") {
    scenario_input in = subscription(50.0, 0.04);
    in.gross_margin = 0.8;
    in.cost_to_serve = 5;
    in.discount_rate = 0.01;
    in.expansion = 0.01;
    // revenue: 50 × 0.8 × 1.01 / (1.01 − 1.01 × 0.96) = 40 × 1.01 / 0.0404 = 40 × 25 = 1000
    // cost:    5 × 1.01 / (1.01 − 0.96) = 5 × 20.2 = 101
    const auto r = calculated(in);
    REQUIRE_THAT(r.ltv, WithinRel(899.0, 1e-12));  // 1000 − 101
    REQUIRE_THAT(r.revenue_periods, WithinRel(25.0, 1e-12));
    REQUIRE_THAT(r.paid_periods, WithinRel(20.2, 1e-12));
    CHECK(r.margin_per_period == 35.0);  // the first period's margin: 40 − 5
  }
  SECTION("a diverging sum is an error naming expansion, unless a horizon ends it") {
    scenario_input in = subscription(50.0, 0.02);
    in.expansion = 0.03;  // (1.03)(0.98) = 1.0094 ≥ 1
    const auto e = refused(in);
    CHECK(e.field == "expansion");
    CHECK_THAT(e.message, StartsWith("expansion 0.03 with churn 0.02 and discount_rate 0 grows"));
    CHECK_THAT(e.message, Catch::Matchers::EndsWith("so the LTV sum diverges: give a horizon"));
    in.horizon = 24;
    // Σ_{t<24} 1.0094^t, summed term by term
    double sum = 0, term = 1;
    for (int t = 0; t < 24; ++t, term *= 1.03 * 0.98) sum += term;
    REQUIRE_THAT(calculated(in).ltv, WithinRel(50.0 * sum, 1e-12));
  }
  SECTION("exactly at the boundary (1 + g) r = 1 + d diverges too") {
    scenario_input in = subscription(50.0, 0.2);
    in.expansion = 0.25;  // 1.25 × 0.8 = 1
    CHECK(refused(in).field == "expansion");
  }
  SECTION("a fixed lifetime sums the finite series, whatever g") {
    scenario_input in;
    in.arpu = 50;
    in.lifetime = 3;
    in.expansion = 0.10;
    REQUIRE_THAT(calculated(in).ltv, WithinRel(165.5, 1e-12));  // 50 × (1 + 1.1 + 1.21)
    in.expansion = 2.0;  // tripling each period: 50 × (1 + 3 + 9) = 650
    REQUIRE_THAT(calculated(in).ltv, WithinRel(650.0, 1e-12));
  }
  SECTION("contraction (g < 0) lowers LTV; g must be > −1") {
    scenario_input in = subscription(50.0, 0.04);
    in.expansion = -0.02;
    REQUIRE_THAT(calculated(in).ltv, WithinRel(50.0 / 0.0592, 1e-12));  // 1 − 0.98 × 0.96
    in.expansion = -1.0;
    const auto e = refused(in);
    CHECK(e.field == "expansion");
    CHECK(e.message == "expansion must be > -1 (-100%: revenue cannot shrink below zero), got -1");
  }
}

TEST_CASE("churn from counts, with a confidence interval", "[ltv][counts]") {
  scenario_input in;
  in.arpu = 50;
  in.customers_start = 300;
  in.customers_lost = 12;
  in.cac = 300;
  SECTION("churn = lost / start, no interval without a confidence level") {
    const auto r = calculated(in);
    REQUIRE(r.churn);
    CHECK(*r.churn == 0.04);  // 12 / 300
    REQUIRE_THAT(r.ltv, WithinRel(1250.0, 1e-12));
    CHECK_FALSE(r.interval);
  }
  SECTION("95 %: churn [0.0230273, 0.0686042] (see confidence_test), LTV and ratio") {
    in.confidence = 0.95;
    const auto r = calculated(in);
    REQUIRE(r.interval);
    const auto& i = *r.interval;
    REQUIRE_THAT(i.churn_low, WithinRel(0.02302732148794231, 1e-9));
    REQUIRE_THAT(i.churn_high, WithinRel(0.06860421203864003, 1e-9));
    // low churn ↔ high LTV: 50 / 0.0686042 = 728.818, 50 / 0.0230273 = 2171.334
    REQUIRE_THAT(*i.ltv.low, WithinRel(50.0 / i.churn_high, 1e-12));
    REQUIRE_THAT(*i.ltv.high, WithinRel(50.0 / i.churn_low, 1e-12));
    REQUIRE_THAT(*i.ltv_cac_ratio->low, WithinRel(728.8182243364072 / 300, 1e-9));
    CHECK(*r.meets_target);                 // 4.17× at the point estimate
    CHECK_FALSE(*i.meets_target);           // 2.43× at the pessimistic end
    CHECK_FALSE(*i.below_target);           // 2171.33 / 300 = 7.24× at the optimistic end
    CHECK(cltv::passes_check(r) == false);  // the whole interval decides
    in.cac = 200;                           // 728.82 / 200 = 3.64×
    CHECK(*calculated(in).interval->meets_target);
    CHECK(cltv::passes_check(calculated(in)) == true);
    in.cac = 800;  // 2171.33 / 800 = 2.71× at the optimistic end: all below 3×
    CHECK(*calculated(in).interval->below_target);
  }
  SECTION("a bound past 10,000 periods without horizon or discount is unbounded, not an error") {
    in.customers_start = 10000;
    in.customers_lost = 1;  // point: 1 / 0.0001 = 10000 periods, allowed
    in.confidence = 0.95;
    const auto r = calculated(in);
    REQUIRE(r.interval);
    CHECK(r.interval->ltv.low);
    CHECK_FALSE(r.interval->ltv.high);  // churn_low 1.77e-5: lifetime 56,650 periods
    CHECK_FALSE(r.interval->ltv_cac_ratio->high);
    CHECK(*r.interval->meets_target);
    CHECK_FALSE(*r.interval->below_target);  // an unbounded high end is never below
    in.discount_rate = 0.01;                 // discounting bounds it
    CHECK(calculated(in).interval->ltv.high);
  }
  SECTION("lost = 0 needs a horizon or discount, then the interval starts at churn 0") {
    in.customers_lost = 0;
    in.confidence = 0.95;
    const auto e = refused(in);
    CHECK(e.field == "customers_lost");
    in.horizon = 24;
    const auto r = calculated(in);
    CHECK(r.interval->churn_low == 0.0);
    REQUIRE_THAT(*r.interval->ltv.high, WithinRel(50.0 * 24, 1e-12));  // nobody leaves: 24 payments
  }
  SECTION("a negative margin orders the LTV range the other way") {
    in.cost_to_serve = 60;  // margin −10
    in.confidence = 0.9;
    const auto r = calculated(in);
    REQUIRE(r.interval);
    CHECK(*r.interval->ltv.low <= r.ltv);
    CHECK(r.ltv <= *r.interval->ltv.high);
    CHECK_FALSE(*r.interval->meets_target);
  }
}

TEST_CASE("lifetime from an sBG retention curve", "[ltv][sbg]") {
  scenario_input in;
  in.arpu = 50;
  in.sbg_alpha = 1.5;
  in.sbg_beta = 3;
  in.cac = 100;
  SECTION("alpha > 1: the mean lifetime 1 + beta / (alpha - 1) = 1 + 3 / 0.5 = 7") {
    auto r = cltv::calculate(in);
    REQUIRE(r);
    REQUIRE(r->lifetime);
    CHECK_THAT(*r->lifetime, WithinRel(7.0, 1e-12));
    CHECK_THAT(r->ltv, WithinRel(350.0, 1e-9));  // 50 × 7
    CHECK_THAT(*r->ltv_cac_ratio, WithinRel(3.5, 1e-9));
  }
  SECTION("a horizon of 2: S(0) + S(1) = 1 + beta / (alpha + beta) = 1 + 3.806 / 4.474") {
    in.sbg_alpha = 0.668;
    in.sbg_beta = 3.806;
    in.horizon = 2;
    auto r = cltv::calculate(in);
    REQUIRE(r);
    CHECK_FALSE(r->lifetime);  // alpha <= 1: unbounded mean
    CHECK_THAT(r->ltv, WithinRel(50 * (1 + 3.806 / 4.474), 1e-12));
  }
  SECTION("discounted: DEL of the high-end cohort at 10 % is 5.9226 (as sbg_test checks)") {
    in.sbg_alpha = 0.668;
    in.sbg_beta = 3.806;
    in.discount_rate = 0.10;
    auto r = cltv::calculate(in);
    REQUIRE(r);
    CHECK_THAT(r->paid_periods, WithinAbs(5.9226, 1e-4));
  }
  SECTION("alpha <= 1 with neither horizon nor discount rate is an error") {
    in.sbg_alpha = 0.9;
    auto r = cltv::calculate(in);
    REQUIRE_FALSE(r);
    CHECK(r.error().field == "sbg_alpha");
  }
  SECTION("one of the pair, a second lifetime source, or an expansion is an error") {
    in.sbg_beta.reset();
    CHECK(cltv::calculate(in).error().field == "sbg_beta");
    in.sbg_beta = 3;
    in.churn = 0.04;
    CHECK_FALSE(cltv::calculate(in));
    in.churn.reset();
    in.expansion = 0.01;
    CHECK(cltv::calculate(in).error().field == "expansion");
    in.expansion.reset();
    in.sbg_alpha = -1;
    CHECK(cltv::calculate(in).error().field == "sbg_alpha");
  }
  SECTION("a churn flag over a record with an sBG curve replaces it") {
    scenario_input flags;
    flags.churn = 0.04;
    auto r = cltv::calculate(cltv::with_overrides(in, flags));
    REQUIRE(r);
    CHECK_THAT(r->ltv, WithinRel(1250.0, 1e-12));
  }
}

TEST_CASE("what the target asks: required LTV and max CAC", "[ltv]") {
  SECTION("arpu 50, churn 4%, cac 500, target 3: below it") {
    scenario_input in = subscription(50.0, 0.04);
    in.cac = 500.0;
    const cltv::ltv_result r = calculated(in);
    REQUIRE_THAT(r.ltv, WithinRel(1250.0, 1e-12));          // 50 / 0.04
    REQUIRE_THAT(*r.ltv_cac_ratio, WithinRel(2.5, 1e-12));  // 1250 / 500
    CHECK(r.meets_target == false);
    REQUIRE(r.required_ltv.has_value());
    CHECK_THAT(*r.required_ltv, WithinRel(1500.0, 1e-12));  // 3 × 500
    REQUIRE(r.max_cac.has_value());
    CHECK_THAT(*r.max_cac, WithinRel(1250.0 / 3.0, 1e-12));  // 1250 / 3 = 416.67
  }
  SECTION("a target of 2 asks less") {
    scenario_input in = subscription(50.0, 0.04);
    in.cac = 500.0;
    in.target = 2.0;
    const cltv::ltv_result r = calculated(in);
    CHECK_THAT(*r.required_ltv, WithinRel(1000.0, 1e-12));  // 2 × 500
    CHECK_THAT(*r.max_cac, WithinRel(625.0, 1e-12));        // 1250 / 2
  }
  SECTION("no ratio (no CAC, or CAC 0): neither") {
    scenario_input in = subscription(50.0, 0.04);
    CHECK_FALSE(calculated(in).required_ltv.has_value());
    CHECK_FALSE(calculated(in).max_cac.has_value());
    in.cac = 0.0;
    CHECK_FALSE(calculated(in).required_ltv.has_value());
    CHECK_FALSE(calculated(in).max_cac.has_value());
  }
  SECTION("a negative LTV recovers no CAC: a required LTV, no max CAC") {
    scenario_input in = subscription(50.0, 0.04);
    in.cost_to_serve = 60.0;  // margin 50 − 60 = −10, LTV −10 × 25 = −250
    in.cac = 100.0;
    const cltv::ltv_result r = calculated(in);
    REQUIRE_THAT(r.ltv, WithinRel(-250.0, 1e-12));
    CHECK_THAT(*r.required_ltv, WithinRel(300.0, 1e-12));  // 3 × 100
    CHECK_FALSE(r.max_cac.has_value());
  }
}

TEST_CASE("the explanation names the formula evaluate applied", "[ltv][explain]") {
  using cltv::paid_periods_formula;
  SECTION("churn 4%: 1 / c, nothing else to show") {
    const auto how = calculated(subscription(50.0, 0.04)).explanation;
    CHECK(how.formula == paid_periods_formula::churn);
    CHECK_FALSE(how.counted_periods.has_value());
    CHECK_FALSE(how.payment_ratio.has_value());
    CHECK_FALSE(how.revenue_ratio.has_value());
  }
  SECTION("discounted at 1%: (1 + d) / (c + d)") {
    scenario_input in = subscription(50.0, 0.04);
    in.discount_rate = 0.01;
    CHECK(calculated(in).explanation.formula == paid_periods_formula::churn_discounted);
  }
  SECTION("a horizon of 24: q = (1 − c) / (1 + d) = 0.96 / 1.01") {
    scenario_input in = subscription(50.0, 0.04);
    in.discount_rate = 0.01;
    in.horizon = 24;
    const auto how = calculated(in).explanation;
    CHECK(how.formula == paid_periods_formula::churn_horizon);
    REQUIRE(how.payment_ratio.has_value());
    CHECK_THAT(*how.payment_ratio, WithinRel(0.96 / 1.01, 1e-12));  // 0.950495…
  }
  SECTION("churn 0, no discount, a horizon of 12: q = 1, every period paid") {
    scenario_input in = subscription(50.0, 0.0);
    in.horizon = 12;
    const cltv::ltv_result r = calculated(in);
    CHECK(r.explanation.formula == paid_periods_formula::horizon);
    CHECK(r.explanation.payment_ratio == 1.0);  // (1 − 0) / (1 + 0)
    CHECK_THAT(r.paid_periods, WithinRel(12.0, 1e-12));
  }
  SECTION("a fixed lifetime of 24 under a horizon of 12: L′ = min(L, H) = 12") {
    scenario_input in;
    in.arpu = 50.0;
    in.lifetime = 24.0;
    in.horizon = 12;
    const auto how = calculated(in).explanation;
    CHECK(how.formula == paid_periods_formula::fixed);
    CHECK(how.counted_periods == 12.0);
    CHECK(how.capped_by_horizon);
  }
  SECTION("a fixed lifetime of 24 discounted at 1%: L′ = L") {
    scenario_input in;
    in.arpu = 50.0;
    in.lifetime = 24.0;
    in.discount_rate = 0.01;
    const auto how = calculated(in).explanation;
    CHECK(how.formula == paid_periods_formula::fixed_discounted);
    CHECK(how.counted_periods == 24.0);
    CHECK_FALSE(how.capped_by_horizon);
  }
  SECTION("an sBG curve sums its survival") {
    scenario_input in;
    in.arpu = 50.0;
    in.sbg_alpha = 1.5;
    in.sbg_beta = 3.0;
    CHECK(calculated(in).explanation.formula == paid_periods_formula::sbg_sum);
  }
  SECTION("expansion 1% with churn 4%: revenue ratio (1 + g)(1 − c) = 1.01 × 0.96") {
    scenario_input in = subscription(50.0, 0.04);
    in.expansion = 0.01;
    const auto how = calculated(in).explanation;
    CHECK(how.formula == paid_periods_formula::churn);  // the cost-to-serve payments
    REQUIRE(how.revenue_ratio.has_value());
    CHECK_THAT(*how.revenue_ratio, WithinRel(0.9696, 1e-12));  // 1.01 × 0.96
  }
  SECTION("expansion 2% over a fixed lifetime, discounted 1%: (1 + g) / (1 + d) = 1.02 / 1.01") {
    scenario_input in;
    in.arpu = 50.0;
    in.lifetime = 12.0;
    in.expansion = 0.02;
    in.discount_rate = 0.01;
    const auto how = calculated(in).explanation;
    CHECK(how.formula == paid_periods_formula::fixed_discounted);
    CHECK_THAT(*how.revenue_ratio, WithinRel(1.02 / 1.01, 1e-12));
  }
}

TEST_CASE("the payback rule: CAC paid back within max_payback periods", "[ltv][payback]") {
  // The founder's plan: arpu 49, churn 3.5 %, gross margin 80 %: margin 49 × 0.8 = 39.20.
  scenario_input in = subscription(49.0, 0.035);
  in.gross_margin = 0.8;
  in.cac = 600.0;
  in.max_payback = 12.0;
  SECTION("CAC 600: payback 600 / 39.2 = 15.31 months > 12, and LTV 1120 = 1.87× < 3×") {
    const auto r = calculated(in);
    CHECK_THAT(*r.cac_payback, WithinRel(600.0 / 39.2, 1e-12));
    CHECK(r.max_payback == 12.0);
    CHECK(r.meets_payback == false);
    const cltv::check_verdict v = cltv::judge(r);
    CHECK(v.ltv_cac == false);
    CHECK(v.payback == false);
    CHECK(v.fails(cltv::check_rule::ltv_cac));
    CHECK(v.fails(cltv::check_rule::payback));
    CHECK(v.passes() == false);
  }
  SECTION("churn 2 %: LTV 39.2 / 0.02 = 1960 = 3.27× meets 3×, but the payback still fails") {
    in.churn = 0.02;
    const cltv::check_verdict v = cltv::judge(calculated(in));
    CHECK(v.ltv_cac == true);
    CHECK(v.payback == false);
    CHECK_FALSE(v.fails(cltv::check_rule::ltv_cac));
    CHECK(v.passes() == false);
  }
  SECTION("CAC 300: payback 300 / 39.2 = 7.65 months ≤ 12, LTV 1120 = 3.73× ≥ 3×") {
    in.cac = 300.0;
    const cltv::check_verdict v = cltv::judge(calculated(in));
    CHECK(v.payback == true);
    CHECK(v.passes() == true);
  }
  SECTION("exactly 12 × 39.2 = 470.4 is within 12 months despite rounding") {
    in.cac = 12 * 39.2;
    CHECK(calculated(in).meets_payback == true);
    CHECK(cltv::payback_within(12.000000000000002, 12.0));
    CHECK_FALSE(cltv::payback_within(12.0001, 12.0));
  }
  SECTION("a margin that is not positive never pays the CAC back: the rule fails") {
    in.cost_to_serve = 40.0;  // margin 39.2 − 40 = −0.8
    const auto r = calculated(in);
    CHECK(r.payback_undefined);
    CHECK(r.meets_payback == false);
  }
  SECTION("without a limit the rule does not apply") {
    in.max_payback.reset();
    const cltv::check_verdict v = cltv::judge(calculated(in));
    CHECK_FALSE(v.payback.has_value());
    CHECK(v.passes() == false);  // LTV:CAC alone
  }
  SECTION("a limit not > 0, or without a CAC, is refused naming max_payback") {
    in.max_payback = -3.0;
    cltv::error e = refused(in);
    CHECK(e.field == "max_payback");
    CHECK(e.message == "max_payback must be > 0, got -3");
    in.max_payback = 0.0;
    CHECK(refused(in).message == "max_payback must be > 0, got 0");
    in.max_payback = 12.0;
    in.cac.reset();
    e = refused(in);
    CHECK(e.field == "max_payback");
    CHECK(e.message == "max_payback 12 needs cac: the payback rule limits CAC / margin per period");
  }
  SECTION("as_input keeps the limit, so a result echoes it") {
    CHECK(cltv::as_input(*cltv::resolve(in)).max_payback == 12.0);
  }
}

TEST_CASE("expected payback: where the expected cumulative margin reaches CAC", "[ltv][payback]") {
  // margin 49 × 0.8 = 39.20 per month, paid at the start of each month.
  scenario_input in = subscription(49.0, 0.035);
  in.gross_margin = 0.8;
  in.cac = 600.0;
  auto payback = [](const scenario_input& input) {
    return cltv::expected_payback(*cltv::resolve(input));
  };
  SECTION("churn 3.5 %: 21.54 months, against a simple payback of 15.31") {
    // After n months: 39.2 (1 − 0.965^n) / 0.035; n = 21: 1120 (1 − 0.965^21) = 589.9808;
    // the 22nd month adds 39.2 × 0.965^21 = 18.5507 ≥ 600 − 589.9808 = 10.0192:
    // 21 + 10.0192 / 18.5507 = 21.5401.
    const double before = 39.2 * (1 - std::pow(0.965, 21)) / 0.035;
    const double in_22nd = 39.2 * std::pow(0.965, 21);
    REQUIRE(payback(in).has_value());
    CHECK_THAT(*payback(in), WithinRel(21 + (600 - before) / in_22nd, 1e-12));
    CHECK_THAT(*payback(in), WithinAbs(21.5401, 1e-4));
  }
  SECTION("no churn within a horizon: the simple payback 600 / 39.2 = 15.31") {
    in.churn = 0.0;
    in.horizon = 24.0;
    CHECK_THAT(*payback(in), WithinRel(600.0 / 39.2, 1e-12));
  }
  SECTION("never when LTV < CAC: churn 7 % gives LTV 39.2 / 0.07 = 560 < 600") {
    in.churn = 0.07;
    CHECK_FALSE(payback(in).has_value());
  }
  SECTION("a fixed lifetime of 12 months pays 12 × 39.2 = 470.4 < 600: never") {
    in.churn.reset();
    in.lifetime = 12.0;
    CHECK_FALSE(payback(in).has_value());
    in.lifetime = 16.0;  // 15 × 39.2 = 588; 12 / 39.2 into the 16th month
    CHECK_THAT(*payback(in), WithinRel(15 + 12 / 39.2, 1e-12));
  }
  SECTION("discounting 1 % a month without churn: 600 = 39.2 Σ 1.01^−t, later than 15.31") {
    in.churn = 0.0;
    in.discount_rate = 0.01;
    // Σ_{t<16} 1.01^−t = (1 − 1.01^−16) / (1 − 1/1.01) = 14.8651…; × 39.2 = 582.71 < 600,
    // the 17th month adds 39.2 / 1.01^16: 16 + (600 − 582.71…) / (39.2 / 1.01^16).
    const double before = 39.2 * (1 - std::pow(1.01, -16)) / (1 - 1 / 1.01);
    CHECK_THAT(*payback(in), WithinRel(16 + (600 - before) / (39.2 * std::pow(1.01, -16)), 1e-12));
  }
  SECTION("constant churn in closed form agrees with the period-by-period sum") {
    // The reference: walk the months, adding margin × 0.965^t … / (1 + d)^t.
    auto walked = [](const scenario_input& input) -> std::optional<double> {
      const cltv::scenario s = *cltv::resolve(input);
      const double m = s.value * s.gross_margin - s.cost_to_serve;
      const int last = s.horizon ? *s.horizon : 10000;
      double recovered = 0;
      for (int t = 0; t < last; ++t) {
        const double payment = m * std::pow((1 - s.churn) / (1 + s.discount_rate), t);
        if (payment > 0 && recovered + payment >= *s.cac) return t + (*s.cac - recovered) / payment;
        recovered += payment;
      }
      return std::nullopt;
    };
    for (const double churn : {0.0, 0.001, 0.035, 0.2, 0.5, 1.0})
      for (const double discount : {0.0, 0.01, 0.1})
        for (const double cac : {1.0, 39.2, 100.0, 600.0, 1119.0, 5000.0})
          for (const std::optional<double> horizon : {std::optional<double>(), {24.0}}) {
            if (churn == 0 && discount == 0 && !horizon) continue;  // unbounded: refused
            in.churn = churn;
            in.discount_rate = discount;
            in.cac = cac;
            in.horizon = horizon;
            INFO("churn " << churn << " discount " << discount << " cac " << cac << " horizon "
                          << horizon.value_or(0));
            const auto expected = walked(in);
            REQUIRE(payback(in).has_value() == expected.has_value());
            if (expected) CHECK_THAT(*payback(in), WithinRel(*expected, 1e-9));
          }
  }
  SECTION("an sBG curve weighs each month by S(t): S(0) = 1, S(1) = β / (α + β)") {
    in.churn.reset();
    in.sbg_alpha = 1.0;
    in.sbg_beta = 3.0;
    in.cac = 39.2 + 39.2 * 0.75 / 2;  // the first month, then half of the second (S(1) = 3/4)
    in.horizon = 100.0;
    CHECK_THAT(*payback(in), WithinRel(1.5, 1e-12));
  }
}
