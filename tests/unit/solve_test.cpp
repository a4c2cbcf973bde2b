// Tests of cltv/solve.hpp: goal-seek of one input so that LTV:CAC = target.

#include "cltv/solve.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "cltv/ltv.hpp"
#include "cltv/scenario.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::scenario_input;
using cltv::solve_field;

namespace {

scenario_input make(std::optional<double> arpu, std::optional<double> churn,
                    std::optional<double> cac) {
  scenario_input in;
  in.arpu = arpu;
  in.churn = churn;
  in.cac = cac;
  return in;
}

cltv::solution solved(const scenario_input& in, solve_field f) {
  auto r = cltv::solve(in, f);
  if (!r) FAIL("solve failed: [" << r.error().field << "] " << r.error().message);
  return *r;
}

cltv::error refused(const scenario_input& in, solve_field f) {
  auto r = cltv::solve(in, f);
  if (r) FAIL("solve succeeded: reachable " << r->reachable << " value " << r->value);
  return r.error();
}

// The verification every reachable answer carries: re-evaluating the scenario
// with the solved value gives exactly the target ratio.
void verified(const cltv::solution& s) {
  REQUIRE(s.reachable);
  REQUIRE(s.check.ltv_cac_ratio.has_value());
  REQUIRE_THAT(*s.check.ltv_cac_ratio, WithinRel(s.target, 1e-12));
  REQUIRE(s.check.meets_target == true);
  // and independently of solve's own evaluation
  auto again = cltv::calculate(s.input);
  REQUIRE(again);
  REQUIRE_THAT(*again->ltv_cac_ratio, WithinRel(s.target, 1e-12));
}

}  // namespace

TEST_CASE("solve cac: the maximum affordable CAC is LTV / target", "[solve]") {
  SECTION("arpu 50, churn 4%: LTV 50 / 0.04 = 1250, max CAC 1250 / 3 = 416.67") {
    auto s = solved(make(50, 0.04, std::nullopt), solve_field::cac);
    REQUIRE_THAT(s.value, WithinRel(1250.0 / 3.0, 1e-15));
    REQUIRE_THAT(s.check.ltv, WithinRel(1250.0, 1e-15));
    verified(s);
  }
  SECTION("target 5: 1250 / 5 = 250") {
    auto in = make(50, 0.04, std::nullopt);
    in.target = 5;
    auto s = solved(in, solve_field::cac);
    REQUIRE_THAT(s.value, WithinRel(250.0, 1e-15));
    verified(s);
  }
  SECTION("negative margin: arpu 50 − cost to serve 60 < 0, no CAC is recovered") {
    auto in = make(50, 0.04, std::nullopt);
    in.cost_to_serve = 60;
    auto s = solved(in, solve_field::cac);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("LTV is -250"));  // (50 − 60) × 25 = −250
  }
  SECTION("a CAC given is a usage error") {
    auto e = refused(make(50, 0.04, 300), solve_field::cac);
    REQUIRE(e.field == "cac");
    REQUIRE_THAT(e.message, Contains("cac is given (300)"));
  }
}

TEST_CASE("solve churn: the maximum churn that still meets the target", "[solve]") {
  SECTION("no discounting: 50 / c = 3 × 300 → c = ARPU / (3 · CAC) = 50 / 900") {
    auto s = solved(make(50, std::nullopt, 300), solve_field::churn);
    const double closed = 50.0 / (3.0 * 300.0);  // 0.05556
    // root-finder precision: TOMS 748 to ~50 bits
    REQUIRE_THAT(s.value, WithinRel(closed, 1e-14));
    REQUIRE(s.lifetime.has_value());
    REQUIRE_THAT(*s.lifetime, WithinRel(18.0, 1e-14));  // 900 / 50 = 18 months
    verified(s);
    REQUIRE(s.note.empty());
  }
  SECTION("discount 1%: 50 × 1.01 / (c + 0.01) = 900 → c = 50.5 / 900 − 0.01 = 0.046111") {
    auto in = make(50, std::nullopt, 300);
    in.discount_rate = 0.01;
    auto s = solved(in, solve_field::churn);
    REQUIRE_THAT(s.value, WithinRel(50.5 / 900.0 - 0.01, 1e-13));
    verified(s);
  }
  SECTION("horizon 24: re-evaluating at the solved churn gives 3×, and a bit more churn fails") {
    auto in = make(50, std::nullopt, 300);
    in.horizon = 24;
    auto s = solved(in, solve_field::churn);
    verified(s);
    // 24 months of 50 = 1200 ≥ 900, so some churn > 0 fits; and less than
    // without the horizon (0.0556), which counts payments beyond month 24.
    REQUIRE(s.value > 0.0);
    REQUIRE(s.value < 50.0 / 900.0);
    auto more = in;
    more.churn = s.value * (1 + 1e-6);
    REQUIRE(cltv::calculate(more)->meets_target == false);
  }
  SECTION("unreachable within the horizon: 12 months × 50 = 600 < 900 even at churn 0") {
    auto in = make(50, std::nullopt, 300);
    in.horizon = 12;
    auto s = solved(in, solve_field::churn);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("even at churn 0"));
    REQUIRE_THAT(s.reason, Contains("LTV is 600 = 2× CAC"));
  }
  SECTION("unreachable with a discount rate: 50 × 1.05 / 0.05 = 1050 < 3 × 400 = 1200") {
    auto in = make(50, std::nullopt, 400);
    in.discount_rate = 0.05;
    auto s = solved(in, solve_field::churn);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("LTV is 1050"));
  }
  SECTION("no horizon nor discount: the longest lifetime counted is 10000 months") {
    // 10000 × 0.01 = 100 < 3 × 50 = 150
    auto s = solved(make(0.01, std::nullopt, 50), solve_field::churn);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("10000 months"));
  }
  SECTION("even churn 100% meets: one payment of 1000 ≥ 3 × 100") {
    auto s = solved(make(1000, std::nullopt, 100), solve_field::churn);
    REQUIRE(s.reachable);
    REQUIRE(s.value == 1.0);
    REQUIRE_THAT(s.note, Contains("100%"));
    REQUIRE_THAT(*s.check.ltv_cac_ratio, WithinRel(10.0, 1e-15));
  }
  SECTION("unreachable with a negative margin: 50 − 60 = −10 per month") {
    auto in = make(50, std::nullopt, 300);
    in.cost_to_serve = 60;
    auto s = solved(in, solve_field::churn);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("margin per month is -10"));
    REQUIRE_FALSE(solved(in, solve_field::lifetime).reachable);
  }
  SECTION("a lifetime source given is a usage error") {
    auto in = make(50, std::nullopt, 300);
    in.lifetime = 24;
    REQUIRE(refused(in, solve_field::churn).field == "lifetime");
    REQUIRE(refused(make(50, 0.04, 300), solve_field::churn).field == "churn");
  }
  SECTION("needs a CAC above 0") {
    REQUIRE(refused(make(50, std::nullopt, std::nullopt), solve_field::churn).field == "cac");
    REQUIRE_THAT(refused(make(50, std::nullopt, 0), solve_field::churn).message,
                 Contains("cac must be > 0 for solve, got 0"));
  }
  SECTION("other inputs are validated first") {
    auto in = make(-5, std::nullopt, 300);
    REQUIRE(refused(in, solve_field::churn).field == "arpu");
  }
}

TEST_CASE("solve churn with an expansion: the root lies where LTV is finite", "[solve]") {
  // arpu 49, cac 600, expansion 1 %: LTV = 49 / (1 − 1.01 (1 − c)) = 49 / (1.01 c − 0.01)
  // = 3 × 600 = 1800 → c = (49 / 1800 + 0.01) / 1.01 = 0.036853… (finite above 0.01 / 1.01)
  auto in = make(49, std::nullopt, 600);
  in.expansion = 0.01;
  auto s = solved(in, solve_field::churn);
  REQUIRE_THAT(s.value, WithinRel((49.0 / 1800.0 + 0.01) / 1.01, 1e-12));
  verified(s);
  SECTION("with a discount rate 0.5 %: finite above (0.01 − 0.005) / 1.01") {
    // 49 × 1.005 / (1.005 − 1.01 (1 − c)) = 1800 → c = (49.245 / 1800 + 0.005) / 1.01
    in.discount_rate = 0.005;
    auto d = solved(in, solve_field::churn);
    REQUIRE_THAT(d.value, WithinRel((49.245 / 1800.0 + 0.005) / 1.01, 1e-12));
    verified(d);
  }
}

TEST_CASE("solve lifetime: the minimum fixed lifetime", "[solve]") {
  SECTION("no discounting: 50 × L = 900 → L = 18") {
    auto s = solved(make(50, std::nullopt, 300), solve_field::lifetime);
    REQUIRE_THAT(s.value, WithinRel(18.0, 1e-14));
    verified(s);
  }
  SECTION("discount 1%: 50.5 (1 − 1.01^−L) / 0.01 = 900 → L = −ln(1 − 9 / 50.5) / ln 1.01") {
    auto in = make(50, std::nullopt, 300);
    in.discount_rate = 0.01;
    auto s = solved(in, solve_field::lifetime);
    const double closed = -std::log(1 - 9.0 / 50.5) / std::log(1.01);  // 19.72
    REQUIRE_THAT(s.value, WithinRel(closed, 1e-13));
    verified(s);
  }
  SECTION("unreachable: horizon 12 caps LTV at 600 < 900") {
    auto in = make(50, std::nullopt, 300);
    in.horizon = 12;
    auto s = solved(in, solve_field::lifetime);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("(the horizon)"));
  }
}

TEST_CASE("solve the linear inputs in closed form", "[solve]") {
  SECTION("arpu: churn 4% → 25 months; 25 v = 900 → v = 36") {
    auto s = solved(make(std::nullopt, 0.04, 300), solve_field::arpu);
    REQUIRE_THAT(s.value, WithinRel(36.0, 1e-14));
    verified(s);
  }
  SECTION("arpu with margin 80% and cost to serve 5: (0.8 v − 5) × 25 = 900 → v = 51.25") {
    auto in = make(std::nullopt, 0.04, 300);
    in.gross_margin = 0.8;
    in.cost_to_serve = 5;
    auto s = solved(in, solve_field::arpu);
    REQUIRE_THAT(s.value, WithinRel(51.25, 1e-14));
    verified(s);
  }
  SECTION("arpu: an aov given is the value source, a usage error") {
    auto in = make(std::nullopt, 0.04, 300);
    in.aov = 60;
    REQUIRE(refused(in, solve_field::arpu).field == "aov");
  }
  SECTION("gross margin: 1250 gm = 900 → gm = 0.72") {
    auto s = solved(make(50, 0.04, 300), solve_field::gross_margin);
    REQUIRE_THAT(s.value, WithinRel(0.72, 1e-14));
    verified(s);
  }
  SECTION("gross margin unreachable: arpu 30 → LTV 750 < 900 even at 100%") {
    auto s = solved(make(30, 0.04, 300), solve_field::gross_margin);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("100%"));
    REQUIRE_THAT(s.reason, Contains("LTV is 750 = 2.5× CAC"));
  }
  SECTION("cost to serve: (50 − cts) × 25 = 900 → cts = 14") {
    auto s = solved(make(50, 0.04, 300), solve_field::cost_to_serve);
    REQUIRE_THAT(s.value, WithinRel(14.0, 1e-13));
    verified(s);
  }
  SECTION("cost to serve with a horizon and discounting, checked by re-evaluating") {
    // q = 0.96 / 1.01, paid periods (1 − q^36) / (1 − q) = 16.95; at cac 250
    // 3 × 250 = 750 = (50 − cts) × 16.95 → cts = 50 − 750 / 16.95 ≈ 5.75
    auto in = make(50, 0.04, 250);
    in.horizon = 36;
    in.discount_rate = 0.01;
    auto s = solved(in, solve_field::cost_to_serve);
    verified(s);
    const double q = 0.96 / 1.01;
    const double paid = (1 - std::pow(q, 36)) / (1 - q);
    REQUIRE_THAT(s.value, WithinRel(50 - 750 / paid, 1e-12));
  }
  SECTION("cost to serve unreachable: arpu 30 → LTV 750 < 900 even at 0") {
    auto s = solved(make(30, 0.04, 300), solve_field::cost_to_serve);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("cost to serve 0"));
  }
}

TEST_CASE("rounded: the printed value passes the check", "[solve]") {
  SECTION("max CAC 1250 / 3 = 416.666… rounds down to 416.66, checked there") {
    auto s = cltv::rounded(solved(make(50, 0.04, std::nullopt), solve_field::cac), 2, 4);
    CHECK(s.value == 416.66);
    CHECK(s.input.cac == 416.66);
    REQUIRE_THAT(s.check.ltv, WithinRel(1250.0, 1e-15));
    REQUIRE_THAT(*s.check.ltv_cac_ratio, WithinRel(1250.0 / 416.66, 1e-15));  // 3.00005
    CHECK(s.check.meets_target == true);
  }
  SECTION("max churn 39.2 / 1800 = 2.17777…% rounds down to 2.1777%, lifetime up") {
    // arpu 49 × margin 80 % = 39.2 a month; 39.2 / c = 3 × 600 = 1800
    auto in = make(49, std::nullopt, 600);
    in.gross_margin = 0.8;
    auto s = cltv::rounded(solved(in, solve_field::churn), 6, 4);
    CHECK(s.value == 0.021777);
    REQUIRE(s.lifetime);
    CHECK(*s.lifetime == 45.9184);  // 1800 / 39.2 = 45.918367… up
    CHECK(s.check.meets_target == true);
  }
  SECTION("min gross margin 900 / 1750 = 0.5142857… rounds up to 0.514286") {
    // arpu 70, churn 4 %: 70 × 25 × gm = 3 × 300
    auto s = cltv::rounded(solved(make(70, 0.04, 300), solve_field::gross_margin), 6, 4);
    CHECK(s.value == 0.514286);
    CHECK(s.check.meets_target == true);
  }
  SECTION("an exact answer stays: max churn 1/18 → min lifetime 18, min arpu 36") {
    auto churn = cltv::rounded(solved(make(50, std::nullopt, 300), solve_field::churn), 6, 4);
    CHECK(churn.value == 0.055555);  // 5.5556 % would give 2.99998×
    CHECK(*churn.lifetime == 18.0);
    auto arpu = cltv::rounded(solved(make(std::nullopt, 0.04, 300), solve_field::arpu), 2, 4);
    CHECK(arpu.value == 36.0);  // 36 × 25 = 900 exactly
  }
  SECTION("unreachable: as it is") {
    auto in = make(30, 0.04, 300);
    auto s = cltv::rounded(solved(in, solve_field::gross_margin), 6, 4);
    CHECK_FALSE(s.reachable);
  }
}

TEST_CASE("solve with churn counts and a confidence level: the whole interval", "[solve]") {
  // 14 of 400 lost, 95 %: Wilson interval 2.0961 % – 5.78851 % (z = 1.959964: centre
  // (0.035 + z²/800) / (1 + z²/400) = 0.0394232, half-width 0.0184619)
  scenario_input in;
  in.arpu = 49;
  in.customers_start = 400;
  in.customers_lost = 14;
  in.confidence = 0.95;
  const double churn_high = cltv::calculate(in)->interval->churn_high;
  REQUIRE_THAT(churn_high, WithinRel(0.0578851, 1e-5));
  SECTION("max CAC is the pessimistic end's LTV / 3: 49 / 0.0578851 / 3 = 282.17") {
    auto s = solved(in, solve_field::cac);
    REQUIRE_THAT(s.value, WithinRel(49.0 / churn_high / 3.0, 1e-15));
    auto check = cltv::calculate(s.input);
    REQUIRE_THAT(check->interval->ltv_cac_ratio->low.value(), WithinRel(3.0, 1e-12));
    CHECK(cltv::passes_check(*check) == true);
    CHECK(cltv::passes_check(s.check) == true);
  }
  SECTION("min arpu: v / 0.0578851 = 3 × 300 → v = 900 × 0.0578851 = 52.10") {
    in.arpu.reset();
    in.cac = 300;
    auto s = solved(in, solve_field::arpu);
    REQUIRE_THAT(s.value, WithinRel(900.0 * churn_high, 1e-12));
    CHECK(cltv::passes_check(s.check) == true);
    // the point estimate alone (churn 3.5 %) would have asked only 900 × 0.035 = 31.50
  }
  SECTION("unreachable at the top of the interval: 50 / 0.0578851 = 863.78 < 900") {
    in.arpu = 50;
    in.cac = 300;
    auto s = solved(in, solve_field::gross_margin);
    REQUIRE_FALSE(s.reachable);
    REQUIRE_THAT(s.reason, Contains("at churn 5.78851% (the top of the 95% interval) even at "
                                    "gross margin 100%"));
  }
  SECTION("the printed value, rounded down, still passes: 282.16") {
    auto s = cltv::rounded(solved(in, solve_field::cac), 2, 4);
    CHECK(s.value == 282.16);
    CHECK(cltv::passes_check(s.check) == true);
  }
}

TEST_CASE("solve churn or lifetime refuses counts and an sBG curve, saying why", "[solve]") {
  auto in = make(50, std::nullopt, 300);
  SECTION("counts determine the churn") {
    in.customers_start = 100;
    in.customers_lost = 5;
    auto e = refused(in, solve_field::churn);
    CHECK(e.field == "customers_start");
    CHECK(e.message ==
          "customers_start and customers_lost are given (100 and 5): the counts determine churn "
          "(5 of 100 lost = 5%); there is no churn to solve for: leave the counts out to find "
          "the maximum churn");
    CHECK_THAT(refused(in, solve_field::lifetime).message,
               Contains("determine churn (5 of 100 lost = 5%), and with it the lifetime"));
  }
  SECTION("one count alone is named") {
    in.customers_lost = 3;
    CHECK_THAT(refused(in, solve_field::churn).message,
               Contains("customers_lost is given (3): the counts determine churn;"));
  }
  SECTION("an sBG curve is replaced by the churn") {
    in.sbg_alpha = 2;
    in.sbg_beta = 3;
    auto e = refused(in, solve_field::churn);
    CHECK(e.field == "sbg_alpha");
    CHECK(e.message ==
          "sbg_alpha and sbg_beta are given (2 and 3), but solve churn finds the maximum churn, "
          "which replaces the sBG retention curve: leave them out");
  }
  SECTION("a saved record: its curve is the unknown, its counts are refused") {
    scenario_input saved = in;
    saved.sbg_alpha = 2;
    saved.sbg_beta = 3;
    REQUIRE_THAT(cltv::solve_saved(saved, {}, solve_field::churn)->value,
                 WithinRel(50.0 / 900.0, 1e-12));
    saved = in;
    saved.customers_start = 100;
    saved.customers_lost = 5;
    auto s = cltv::solve_saved(saved, {}, solve_field::churn);
    REQUIRE_FALSE(s);
    CHECK(s.error().field == "customers_start");
  }
}

TEST_CASE("solve field names", "[solve]") {
  REQUIRE(cltv::parse_solve_field("cac") == solve_field::cac);
  REQUIRE(cltv::parse_solve_field("value") == solve_field::arpu);
  REQUIRE(cltv::parse_solve_field("gross-margin") == solve_field::gross_margin);
  REQUIRE(cltv::parse_solve_field("contract_length") == solve_field::lifetime);
  REQUIRE_FALSE(cltv::parse_solve_field("ltv").has_value());
  REQUIRE(cltv::to_string(solve_field::cost_to_serve) == "cost_to_serve");
  REQUIRE(cltv::solves_for_maximum(solve_field::churn));
  REQUIRE_FALSE(cltv::solves_for_maximum(solve_field::arpu));
}

TEST_CASE("leave_out drops the field's whole source group", "[solve]") {
  scenario_input in;
  in.arpu = 50;
  in.lifetime = 24;
  in.cac = 300;
  in.gross_margin = 0.8;
  auto churn = cltv::leave_out(in, solve_field::churn);
  REQUIRE_FALSE(churn.lifetime.has_value());
  REQUIRE(churn.arpu == 50.0);
  auto arpu = cltv::leave_out(in, solve_field::arpu);
  REQUIRE_FALSE(arpu.arpu.has_value());
  REQUIRE(arpu.lifetime == 24.0);
  auto cac = cltv::leave_out(in, solve_field::cac);
  REQUIRE_FALSE(cac.cac.has_value());
  REQUIRE(cac.gross_margin == 0.8);
}

TEST_CASE("the fields there are to solve for, and which way each bounds", "[solve]") {
  REQUIRE(cltv::solvable_field_names() ==
          "cac, churn, lifetime, arpu, gross_margin or cost_to_serve");
  REQUIRE(*cltv::solve_field_named("contract-length") == solve_field::lifetime);
  auto unknown = cltv::solve_field_named("ltv");
  REQUIRE_FALSE(unknown);
  REQUIRE(unknown.error().message ==
          "cannot solve for \"ltv\": choose cac, churn, lifetime, arpu, gross_margin or "
          "cost_to_serve");
  REQUIRE(cltv::bound_name(solve_field::cac) == "maximum");
  REQUIRE(cltv::bound_name(solve_field::cost_to_serve) == "maximum");
  REQUIRE(cltv::bound_name(solve_field::gross_margin) == "minimum");
  REQUIRE(cltv::bound_name(solve_field::lifetime) == "minimum");
  REQUIRE(cltv::label(solve_field::cac) == "CAC");
  REQUIRE(cltv::label(solve_field::arpu) == "ARPU");
  REQUIRE(cltv::label(solve_field::cost_to_serve) == "cost to serve");
}

TEST_CASE("solve_saved: a saved scenario's own value is the unknown", "[solve]") {
  const scenario_input saved = make(50, 0.04, 300);
  scenario_input overrides;
  SECTION("its cac is left out: max CAC 50 / 0.04 / 3 = 416.67") {
    REQUIRE_THAT(cltv::solve_saved(saved, overrides, solve_field::cac)->value,
                 WithinRel(1250.0 / 3.0, 1e-15));
  }
  SECTION("overrides apply over it: arpu 60 gives max CAC 60 / 0.04 / 3 = 500") {
    overrides.arpu = 60;
    REQUIRE_THAT(cltv::solve_saved(saved, overrides, solve_field::cac)->value,
                 WithinRel(500.0, 1e-15));
  }
  SECTION("its lifetime is left out with its churn: max churn 50 / (3 × 300) = 5.56 %") {
    scenario_input with_lifetime = saved;
    with_lifetime.churn.reset();
    with_lifetime.lifetime = 24;
    REQUIRE_THAT(cltv::solve_saved(with_lifetime, overrides, solve_field::churn)->value,
                 WithinRel(50.0 / 900.0, 1e-12));
  }
  SECTION("the field in the overrides is still refused") {
    overrides.cac = 100;
    auto s = cltv::solve_saved(saved, overrides, solve_field::cac);
    REQUIRE_FALSE(s);
    REQUIRE(s.error().message ==
            "cac is given (100), but solve cac finds the maximum cac: leave cac out");
  }
}

TEST_CASE("solve_limits: every limit at once, the others held as given", "[solve]") {
  // The founder's plan: ARPU 49, churn 3.5 %, gross margin 80 %, CAC 600.
  // LTV = 49 × 0.8 / 0.035 = 1120; LTV:CAC = 1.87×.
  scenario_input in = make(49, 0.035, 600);
  in.gross_margin = 0.8;
  auto all = cltv::solve_limits(in);
  REQUIRE(all);
  REQUIRE(all->size() == 4);
  for (const cltv::field_limit& l : *all) REQUIRE(l.answer.binding == cltv::check_rule::ltv_cac);
  const cltv::solution& cac = (*all)[0].answer;
  const cltv::solution& churn = (*all)[1].answer;
  const cltv::solution& arpu = (*all)[2].answer;
  const cltv::solution& margin = (*all)[3].answer;
  SECTION("each with the scenario's value today") {
    REQUIRE((*all)[0].current == 600);
    REQUIRE((*all)[1].current == 0.035);
    REQUIRE((*all)[2].current == 49);
    REQUIRE((*all)[3].current == 0.8);
  }
  SECTION("max CAC = LTV / 3 = 1120 / 3 = 373.33") {
    REQUIRE(cac.field == solve_field::cac);
    REQUIRE_THAT(cac.value, WithinRel(1120.0 / 3.0, 1e-12));
    verified(cac);
  }
  SECTION("max churn = 49 × 0.8 / (3 × 600) = 39.2 / 1800 = 2.18 %, min lifetime 1800 / 39.2") {
    REQUIRE(churn.field == solve_field::churn);
    REQUIRE_THAT(churn.value, WithinRel(39.2 / 1800.0, 1e-12));
    REQUIRE_THAT(*churn.lifetime, WithinRel(1800.0 / 39.2, 1e-12));
    verified(churn);
  }
  SECTION("min ARPU = 3 × 600 × 0.035 / 0.8 = 78.75") {
    REQUIRE(arpu.field == solve_field::arpu);
    REQUIRE_THAT(arpu.value, WithinRel(78.75, 1e-12));
    verified(arpu);
  }
  SECTION("min gross margin = 3 × 600 × 0.035 / 49 = 128.6 %: unreachable above 100 %") {
    REQUIRE(margin.field == solve_field::gross_margin);
    REQUIRE_FALSE(margin.reachable);
    REQUIRE_THAT(*margin.needed, WithinRel(63.0 / 49.0, 1e-12));
    // at 100 %: LTV 49 / 0.035 = 1400 = 2.33× of 600
    REQUIRE(margin.reason ==
            "even at gross margin 100% LTV is 1400 = 2.33333× CAC, below the 3× target");
  }
  SECTION("the rounded maximum CAC passes: 373.33, not 373.34") {
    REQUIRE(cltv::rounded(cac, 2, 4).value == 373.33);
  }
}

TEST_CASE("limit_fields: which inputs a scenario has limits for", "[solve]") {
  scenario_input in = make(50, 0.04, 300);
  using fields = std::vector<solve_field>;
  SECTION("churn, arpu, gross margin and CAC always") {
    REQUIRE(cltv::limit_fields(in) == fields{solve_field::cac, solve_field::churn,
                                             solve_field::arpu, solve_field::gross_margin});
  }
  SECTION("a fixed lifetime is bounded instead of churn") {
    in.churn.reset();
    in.contract_length = 12;
    REQUIRE(cltv::limit_fields(in)[1] == solve_field::lifetime);
  }
  SECTION("churn from counts or an sBG curve is an observation: no churn limit") {
    in.churn.reset();
    in.customers_start = 100;
    in.customers_lost = 4;
    REQUIRE(cltv::limit_fields(in) ==
            fields{solve_field::cac, solve_field::arpu, solve_field::gross_margin});
  }
  SECTION("cost to serve when the scenario has one: max 50 − 0.04 × 900 = 14") {
    in.cost_to_serve = 5;
    REQUIRE(cltv::limit_fields(in).back() == solve_field::cost_to_serve);
    auto all = cltv::solve_limits(in);
    REQUIRE(all);
    REQUIRE_THAT(all->back().answer.value, WithinRel(14.0, 1e-12));
  }
}

TEST_CASE("solve_limits refuses a scenario without CAC, and input errors", "[solve]") {
  SECTION("no CAC: every other limit is relative to it") {
    auto all = cltv::solve_limits(make(50, 0.04, std::nullopt));
    REQUIRE_FALSE(all);
    REQUIRE(all.error().field == "cac");
    REQUIRE_THAT(all.error().message, Contains("solve cac for the maximum CAC alone"));
  }
  SECTION("an invalid input") {
    auto all = cltv::solve_limits(make(50, 1.5, 300));
    REQUIRE_FALSE(all);
    REQUIRE(all.error().field == "churn");
  }
  SECTION("unreachable cost to serve says what it would take: 50 − 0.04 × 1500 = −10") {
    scenario_input in = make(50, 0.04, 500);
    in.cost_to_serve = 1;
    auto all = cltv::solve_limits(in);
    REQUIRE(all);
    const cltv::solution& cts = all->back().answer;
    REQUIRE_FALSE(cts.reachable);
    REQUIRE_THAT(*cts.needed, WithinRel(-10.0, 1e-9));
  }
  SECTION("solve_limits_saved holds the saved inputs and the overrides") {
    scenario_input overrides;
    overrides.arpu = 60;  // max CAC 60 / 0.04 / 3 = 500
    auto all = cltv::solve_limits_saved(make(50, 0.04, 300), overrides);
    REQUIRE(all);
    REQUIRE_THAT(all->front().answer.value, WithinRel(500.0, 1e-12));
  }
}

TEST_CASE("solve_limits with max_payback: each limit names the rule that binds it",
          "[solve][payback]") {
  // The founder's plan with payback within 12 months: margin 39.2, LTV 1120.
  scenario_input in = make(49, 0.035, 600);
  in.gross_margin = 0.8;
  in.max_payback = 12;
  auto all = cltv::solve_limits(in);
  REQUIRE(all);
  REQUIRE(all->size() == 4);
  const cltv::solution& cac = (*all)[0].answer;
  const cltv::solution& churn = (*all)[1].answer;
  const cltv::solution& arpu = (*all)[2].answer;
  const cltv::solution& margin = (*all)[3].answer;
  // Max CAC: min(1120 / 3 = 373.33, 12 × 39.2 = 470.4): LTV:CAC binds.
  REQUIRE(cac.binding == cltv::check_rule::ltv_cac);
  REQUIRE_THAT(cac.value, WithinRel(1120.0 / 3, 1e-12));
  REQUIRE_THAT(*cac.payback_value, WithinRel(470.4, 1e-12));
  // Churn does not move the payback 600 / 39.2 = 15.3 > 12: unreachable,
  // the payback rule named, LTV:CAC alone would allow 39.2 / 1800.
  REQUIRE_FALSE(churn.reachable);
  REQUIRE(churn.binding == cltv::check_rule::payback);
  REQUIRE_THAT(*churn.ltv_cac_value, WithinRel(39.2 / 1800, 1e-9));
  // Min ARPU: max(3 × 600 × 0.035 / 0.8 = 78.75, 600 / 12 / 0.8 = 62.5).
  REQUIRE(arpu.binding == cltv::check_rule::ltv_cac);
  REQUIRE_THAT(arpu.value, WithinRel(78.75, 1e-12));
  REQUIRE_THAT(*arpu.payback_value, WithinRel(62.5, 1e-12));
  REQUIRE_FALSE(margin.reachable);
  SECTION("a tighter limit binds instead") {
    in.max_payback = 6;  // 6 × 39.2 = 235.2 < 373.33; ARPU 600 / 6 / 0.8 = 125 > 78.75
    auto tight = cltv::solve_limits(in);
    REQUIRE(tight);
    REQUIRE((*tight)[0].answer.binding == cltv::check_rule::payback);
    REQUIRE_THAT((*tight)[0].answer.value, WithinRel(235.2, 1e-12));
    REQUIRE((*tight)[2].answer.binding == cltv::check_rule::payback);
    REQUIRE_THAT((*tight)[2].answer.value, WithinRel(125.0, 1e-12));
  }
}

TEST_CASE("solve with max_payback: the stricter of the two rules binds", "[solve][payback]") {
  // arpu 49, churn 3.5 %, gross margin 80 %: margin 39.2, LTV 39.2 / 0.035 = 1120.
  scenario_input in = make(49.0, 0.035, std::nullopt);
  in.gross_margin = 0.8;
  SECTION("max CAC = min(LTV / 3, N × margin)") {
    in.max_payback = 12.0;  // 12 × 39.2 = 470.4 > 1120 / 3 = 373.33: LTV:CAC binds
    auto s = solved(in, solve_field::cac);
    CHECK(s.binding == cltv::check_rule::ltv_cac);
    CHECK_THAT(s.value, WithinRel(1120.0 / 3, 1e-12));
    CHECK_THAT(*s.payback_value, WithinRel(470.4, 1e-12));
    CHECK_THAT(*s.ltv_cac_value, WithinRel(1120.0 / 3, 1e-12));
    CHECK(s.input.max_payback == 12.0);
    in.max_payback = 6.0;  // 6 × 39.2 = 235.2 < 373.33: the payback binds
    s = solved(in, solve_field::cac);
    CHECK(s.binding == cltv::check_rule::payback);
    CHECK_THAT(s.value, WithinRel(235.2, 1e-12));
    CHECK_THAT(*s.check.cac_payback, WithinRel(6.0, 1e-12));
    CHECK(s.check.meets_payback == true);
    CHECK_THAT(*s.check.ltv_cac_ratio, WithinRel(1120.0 / 235.2, 1e-12));  // 4.76 ≥ 3
    // rounded for a reader: 235.20 still meets both rules
    CHECK(cltv::rounded(s, 2, 4).value == 235.2);
  }
  SECTION("min ARPU = max(LTV rule, (CAC / N + cost to serve) / gross margin)") {
    in.arpu.reset();
    in.cac = 300.0;
    in.cost_to_serve = 3.0;
    in.max_payback =
        6.0;  // (300 / 6 + 3) / 0.8 = 66.25; LTV rule: (900 × 0.035 + 3) / 0.8 = 43.125
    const auto s = solved(in, solve_field::arpu);
    CHECK(s.binding == cltv::check_rule::payback);
    CHECK_THAT(s.value, WithinRel(66.25, 1e-12));
    CHECK_THAT(*s.ltv_cac_value, WithinRel(43.125, 1e-9));
  }
  SECTION("max cost to serve = value × gross margin − CAC / N") {
    in.cac = 300.0;
    in.max_payback = 9.0;  // 39.2 − 300 / 9 = 5.8667; LTV rule: 39.2 − 900 × 0.035 = 7.7
    const auto s = solved(in, solve_field::cost_to_serve);
    CHECK(s.binding == cltv::check_rule::payback);
    CHECK_THAT(s.value, WithinRel(39.2 - 300.0 / 9, 1e-12));
  }
  SECTION("min gross margin above 100 % is unreachable by the payback rule") {
    in.gross_margin.reset();
    in.cac = 300.0;
    in.max_payback = 5.0;  // needs a margin of 300 / 5 = 60 > arpu 49
    const auto s = solved(in, solve_field::gross_margin);
    CHECK_FALSE(s.reachable);
    CHECK(s.binding == cltv::check_rule::payback);
    CHECK_THAT(s.reason, Contains("needs a margin per month of 60 (CAC 300 / 5)"));
  }
  SECTION("churn does not move the payback: met whatever the churn, or never") {
    in.churn.reset();
    in.cac = 300.0;
    in.max_payback = 9.0;  // 300 / 39.2 = 7.65 ≤ 9: the LTV:CAC answer stands
    auto s = solved(in, solve_field::churn);
    CHECK(s.binding == cltv::check_rule::ltv_cac);
    CHECK_THAT(s.value, WithinRel(39.2 / 900, 1e-12));  // LTV 39.2 / c = 900
    CHECK_FALSE(s.payback_value.has_value());
    in.max_payback = 7.0;  // 7.65 > 7
    s = solved(in, solve_field::churn);
    CHECK_FALSE(s.reachable);
    CHECK(s.binding == cltv::check_rule::payback);
    CHECK_THAT(s.reason, Contains("but it is 39.2 whatever the churn"));
  }
  SECTION("a limit not > 0 is refused") {
    in.max_payback = -1.0;
    CHECK(refused(in, solve_field::cac).message == "max_payback must be > 0, got -1");
  }
}
