// Tests of cltv/calculation.hpp: a scenario from its inputs to everything calc
// and check show, in one call.

#include "cltv/calculation.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

using Catch::Matchers::WithinRel;
using cltv::calculation_options;
using cltv::scenario_input;

namespace {

// arpu 50, churn 4 %, cac 500: margin 50, lifetime 1 / 0.04 = 25, LTV 50 × 25 = 1250,
// ratio 1250 / 500 = 2.5, below the 3× target.
scenario_input below_target() {
  scenario_input in;
  in.arpu = 50;
  in.churn = 0.04;
  in.cac = 500;
  return in;
}

cltv::segment_input tier(std::string name, double arpu, double churn, double share) {
  cltv::segment_input s;
  s.name = std::move(name);
  s.fields.arpu = arpu;
  s.fields.churn = churn;
  s.share = share;
  return s;
}

}  // namespace

TEST_CASE("calculate_scenario: resolve, the check's rule, evaluate, reconcile", "[calculation]") {
  SECTION("a plain calculation: the resolved inputs and every metric") {
    auto c = cltv::calculate_scenario(below_target(), {});
    REQUIRE(c.has_value());
    CHECK(c->input.churn == 0.04);
    CHECK(c->input.gross_margin == 1.0);  // the default, filled in by resolve
    CHECK_THAT(c->result.ltv, WithinRel(1250.0, 1e-12));
    CHECK_THAT(*c->result.ltv_cac_ratio, WithinRel(2.5, 1e-12));
    CHECK(c->result.meets_target == false);
    CHECK_THAT(*c->result.required_ltv, WithinRel(1500.0, 1e-12));   // 3 × 500
    CHECK_THAT(*c->result.max_cac, WithinRel(1250.0 / 3.0, 1e-12));  // 416.67
    CHECK(c->conventions.empty());
  }
  SECTION("for check: the same result when there is a CAC above 0") {
    calculation_options check;
    check.for_check = true;
    auto c = cltv::calculate_scenario(below_target(), check);
    REQUIRE(c.has_value());
    CHECK_THAT(c->result.ltv, WithinRel(1250.0, 1e-12));
  }
  SECTION("for check: no CAC, or CAC 0, is validate_for_check's error") {
    calculation_options check;
    check.for_check = true;
    scenario_input in = below_target();
    in.cac.reset();
    auto missing = cltv::calculate_scenario(in, check);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().field == "cac");
    CHECK(missing.error().message == "check needs cac (customer acquisition cost)");
    in.cac = 0;
    auto zero = cltv::calculate_scenario(in, check);
    REQUIRE_FALSE(zero.has_value());
    CHECK(zero.error().field == "cac");
    CHECK(cltv::calculate_scenario(in, {}).has_value());  // calc takes CAC 0
  }
  SECTION("reconcile: the conventions too, in reconcile()'s order") {
    calculation_options both;
    both.reconcile = true;
    auto c = cltv::calculate_scenario(below_target(), both);
    REQUIRE(c.has_value());
    REQUIRE_FALSE(c->conventions.empty());
    CHECK(c->conventions.front().key == "arpu_over_churn");
    CHECK_THAT(*c->conventions.front().ltv, WithinRel(1250.0, 1e-12));  // v / c = 50 / 0.04
  }
  SECTION("the first error stops it: resolve's, then reconcile's") {
    scenario_input bad = below_target();
    bad.churn = 1.5;
    auto unresolved = cltv::calculate_scenario(bad, {});
    REQUIRE_FALSE(unresolved.has_value());
    CHECK(unresolved.error().field == "churn");

    scenario_input fixed;
    fixed.arpu = 50;
    fixed.lifetime = 24;
    calculation_options both;
    both.reconcile = true;
    CHECK(cltv::calculate_scenario(fixed, {}).has_value());
    CHECK_FALSE(cltv::calculate_scenario(fixed, both).has_value());  // conventions need churn
  }
}

TEST_CASE("calculate_segments: evaluate and blend, then the what-if", "[calculation]") {
  // ads: $5, churn 8 %, margin 80 %: LTV 5 × 0.8 / 0.08 = 50; premium: $20,
  // churn 4 %: LTV 20 × 0.8 / 0.04 = 400; CAC 40; shares 75/25 %.
  scenario_input top;
  top.gross_margin = 0.8;
  top.cac = 40;
  std::vector<cltv::segment_input> segments{tier("ads", 5, 0.08, 0.75),
                                            tier("premium", 20, 0.04, 0.25)};
  SECTION("the blend, and no what-if unless asked") {
    auto c = cltv::calculate_segments(top, segments, {});
    REQUIRE(c.has_value());
    CHECK_THAT(c->segments.blended.ltv, WithinRel(137.5, 1e-12));  // 0.75 × 50 + 0.25 × 400
    CHECK_FALSE(c->what_if.has_value());
  }
  SECTION("an annual share moves monthly customers to their annual plans") {
    // ads annual: $50 a year, half renew: margin 40, lifetime 2, LTV 80;
    // premium annual: $200, 25 % leave: margin 160, lifetime 4, LTV 640.
    segments[0].annual_price = 50;
    segments[0].annual_churn = 0.5;
    segments[1].annual_price = 200;
    segments[1].annual_churn = 0.25;
    calculation_options what_if;
    what_if.annual_share = 0.4;
    auto c = cltv::calculate_segments(top, segments, what_if);
    REQUIRE(c.has_value());
    REQUIRE(c->what_if.has_value());
    // 0.4 × (0.75 × (80 − 50) + 0.25 × (640 − 400)) = 0.4 × 82.5 = 33
    CHECK_THAT(c->what_if->ltv_change, WithinRel(33.0, 1e-12));
  }
  SECTION("a what-if without the annual plans is shift_to_annual's error") {
    calculation_options what_if;
    what_if.annual_share = 0.4;
    auto c = cltv::calculate_segments(top, segments, what_if);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().field == "annual_price");
  }
  SECTION("for check, every segment needs a CAC") {
    top.cac.reset();
    segments[0].fields.cac = 40;
    calculation_options check;
    check.for_check = true;
    CHECK(cltv::calculate_segments(top, segments, {}).has_value());
    auto c = cltv::calculate_segments(top, segments, check);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().field == "cac");
  }
}

TEST_CASE("calculate_scenario with an annual plan", "[calculation]") {
  // arpu 49, churn 4 %, margin 80 %, CAC 600: LTV 39.2 / 0.04 = 980, ratio 1.63…;
  // annual plan 490 a year, 25 % do not renew: LTV 392 / 0.25 = 1568.
  scenario_input in;
  in.arpu = 49;
  in.churn = 0.04;
  in.gross_margin = 0.8;
  in.cac = 600;
  const cltv::annual_plan_input plan{490.0, 0.25};
  SECTION("without a what-if the plan is checked and kept, nothing more") {
    auto c = cltv::calculate_scenario(in, {}, plan);
    REQUIRE(c.has_value());
    CHECK(c->annual_plan.annual_price == 490);
    CHECK_FALSE(c->what_if.has_value());
    CHECK_THAT(c->result.ltv, WithinRel(980.0, 1e-12));
    CHECK(cltv::calculate_scenario(in, {}, {490.0, 0.0}).error().field == "annual_churn");
  }
  SECTION("with annual_share, the what-if blend; today's result is unchanged") {
    calculation_options what_if;
    what_if.for_check = true;
    what_if.annual_share = 0.4;
    auto c = cltv::calculate_scenario(in, what_if, plan);
    REQUIRE(c.has_value());
    CHECK_THAT(c->result.ltv, WithinRel(980.0, 1e-12));
    REQUIRE(c->what_if.has_value());
    CHECK_THAT(c->what_if->after.ltv, WithinRel(1215.2, 1e-12));  // 0.6 × 980 + 0.4 × 1568
  }
  SECTION("annual_price alone: annual_churn derived from the monthly churn") {
    // 1 − 0.96^12 = 0.387290242670232636227584 (96^12 = 612709757329767363772416);
    // LTV 392 / that = 1012.1607952…; 0.6 × 980 + 0.4 × 1012.1607952… = 992.8643181…
    calculation_options what_if;
    what_if.annual_share = 0.4;
    auto c = cltv::calculate_scenario(in, what_if, {490.0, std::nullopt});
    REQUIRE(c.has_value());
    REQUIRE(c->what_if.has_value());
    CHECK(c->what_if->annual_churn_derived_from == 0.04);
    CHECK_THAT(c->what_if->annual_input.churn, WithinRel(0.387290242670232636227584, 1e-12));
    CHECK_THAT(c->what_if->after.ltv,
               WithinRel(588.0 + 0.4 * 392.0 / 0.387290242670232636227584, 1e-12));
    CHECK(cltv::calculate_scenario(in, {}, {490.0, std::nullopt}).has_value());  // checked only
  }
  SECTION("a what-if without the annual plan") {
    calculation_options what_if;
    what_if.annual_share = 0.4;
    auto c = cltv::calculate_scenario(in, what_if);
    REQUIRE_FALSE(c.has_value());
    CHECK(c.error().field == "annual_share");
  }
  SECTION("segments take the top level's annual plan where they give none") {
    // ads: $5, churn 8 %: LTV 50; annual at 50 a year, 50 % leave: LTV 40 × 2 = 80.
    cltv::segment_input ads = tier("ads", 5, 0.08, 1.0);
    scenario_input top;
    top.gross_margin = 0.8;
    calculation_options what_if;
    what_if.annual_share = 0.5;
    auto c = cltv::calculate_segments(top, {ads}, what_if, {50.0, 0.5});
    REQUIRE(c.has_value());
    REQUIRE(c->what_if.has_value());
    CHECK_THAT(c->what_if->after.blended.ltv, WithinRel(65.0, 1e-12));  // 0.5 × 50 + 0.5 × 80
  }
}
