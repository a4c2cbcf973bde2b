// Tests of cltv/survival_curve.hpp: the survival and retention curve of a
// scenario's lifetime, and the observed counts beside it.

#include "cltv/survival_curve.hpp"

#include <catch2/catch.hpp>

#include <vector>

using Catch::Matchers::WithinRel;

TEST_CASE("survival curve of constant churn", "[survival_curve]") {
  cltv::scenario_input in;
  in.churn = 0.04;
  const auto c = cltv::make_survival_curve(in, {}, std::nullopt);
  REQUIRE(c);
  CHECK_THAT(c->points[3].survival, WithinRel(0.884736, 1e-12));  // 0.96³
  CHECK_FALSE(c->points[0].retention);
  CHECK_THAT(*c->points[5].retention, WithinRel(0.96, 1e-12));
  CHECK_THAT(*c->expected_lifetime, WithinRel(25.0, 1e-12));  // 1 / 0.04
  // Drawn until S ≤ 10 %: 0.96^t ≤ 0.1 from t = 57 (ln 0.1 / ln 0.96 = 56.4).
  CHECK(c->points.back().period == 57);
  CHECK(c->cohorts == 0);
  CHECK_FALSE(c->points[1].observed_survival);
}

TEST_CASE("survival curve of an sBG model with its counts", "[survival_curve]") {
  // Fader & Hardie (2007), the high-end segment and its fitted α, β.
  const std::vector<std::vector<double>> high_end{{1000, 869, 743, 653, 593, 551, 517, 491}};
  cltv::scenario_input in;
  in.sbg_alpha = 0.668;
  in.sbg_beta = 3.806;
  in.period = cltv::period::year;
  const auto c = cltv::make_survival_curve(in, high_end, std::nullopt);
  REQUIRE(c);
  CHECK_THAT(c->points[1].survival, WithinRel(3.806 / 4.474, 1e-12));    // β / (α + β)
  CHECK_THAT(*c->points[2].retention, WithinRel(4.806 / 5.474, 1e-12));  // (β+1) / (α+β+1)
  CHECK_FALSE(c->expected_lifetime);  // α ≤ 1: unbounded, and no horizon is needed to draw it
  CHECK_THAT(*c->points[3].observed_survival, WithinRel(0.653, 1e-12));
  CHECK_THAT(*c->points[3].observed_retention, WithinRel(653.0 / 743, 1e-12));
  CHECK_FALSE(c->points[8].observed_survival);  // the counts end at period 7
  CHECK(c->points.back().period == 14);         // twice the observed 7 periods
  CHECK(c->cohorts == 1);
}

TEST_CASE("survival curve: pooled cohorts, periods and errors", "[survival_curve]") {
  cltv::scenario_input in;
  in.churn = 0.2;
  SECTION("cohorts pool their retention where they are observed") {
    const std::vector<std::vector<double>> cohorts{{100, 80, 60}, {200, 150}};
    const auto c = cltv::make_survival_curve(in, cohorts, 4);
    REQUIRE(c);
    CHECK_THAT(*c->points[1].observed_retention, WithinRel(230.0 / 300, 1e-12));
    CHECK_THAT(*c->points[2].observed_retention, WithinRel(0.75, 1e-12));  // 60 / 80
    CHECK_THAT(*c->points[2].observed_survival, WithinRel(230.0 / 300 * 0.75, 1e-12));
    CHECK(c->points.size() == 5);
  }
  SECTION("a horizon sets the periods drawn") {
    in.horizon = 6;
    CHECK(cltv::make_survival_curve(in, {}, std::nullopt)->points.back().period == 6);
  }
  SECTION("a fixed lifetime has no curve; a missing lifetime is named") {
    cltv::scenario_input fixed;
    fixed.lifetime = 24;
    CHECK(cltv::make_survival_curve(fixed, {}, std::nullopt).error().field == "lifetime");
    CHECK(cltv::make_survival_curve(cltv::scenario_input{}, {}, std::nullopt).error().field ==
          "churn");
  }
  SECTION("counts that increase or start at 0 are refused") {
    const std::vector<std::vector<double>> rising{{100, 120}};
    CHECK(cltv::make_survival_curve(in, rising, std::nullopt).error().field == "active");
    const std::vector<std::vector<double>> empty_start{{0, 0}};
    CHECK(cltv::make_survival_curve(in, empty_start, std::nullopt).error().field == "active");
  }
  SECTION("an invalid churn is refused as resolve() refuses it") {
    in.churn = 1.5;
    CHECK(cltv::make_survival_curve(in, {}, std::nullopt).error().field == "churn");
  }
}
