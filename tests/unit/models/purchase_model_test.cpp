// Tests of cltv/models/purchase_model.hpp: one type for BG/NBD, MBG/NBD and
// Pareto/NBD. Reference numbers: FHL 2005 (the CDNOW worked example, through
// models.md) and closed forms worked by hand below.

#include "cltv/models/purchase_model.hpp"

#include <catch2/catch.hpp>

#include <vector>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::bgnbd_variant;
using cltv::models::model_kind;
using cltv::models::pareto_nbd_params;
using cltv::models::purchase_model;
using cltv::models::rfm_tuple;

namespace {
// CDNOW's MLE (models.md, FHL 2005).
const bgnbd_params cdnow{0.242592907311523, 4.413531562534638, 0.7928861432016427,
                         2.425753423914082};
const bgnbd_params rounded{0.243, 4.414, 0.793, 2.426};
const bgnbd_params rounded_modified{0.243, 4.414, 0.793, 2.426, bgnbd_variant::mbgnbd};
// r = 1, α = 2, s = 2, β = 3: small enough to work E[X(t)] by hand.
const pareto_nbd_params simple_pareto{1, 2, 2, 3};

double value_of(const cltv::result<double>& r) {
  REQUIRE(r);
  return *r;
}
}  // namespace

TEST_CASE("purchase_model: the kind and parameters travel together", "[purchase_model]") {
  CHECK(purchase_model{rounded}.kind() == model_kind::bgnbd);
  CHECK(purchase_model{rounded_modified}.kind() == model_kind::mbgnbd);
  CHECK(purchase_model{simple_pareto}.kind() == model_kind::pareto_nbd);
  const auto p = purchase_model{simple_pareto}.parameters();
  CHECK(p.kind == model_kind::pareto_nbd);
  CHECK(p.values == std::vector<double>{1, 2, 2, 3});  // r, α, s, β

  SECTION("made from named values") {
    auto m = cltv::models::make_purchase_model({model_kind::mbgnbd, {0.243, 4.414, 0.793, 2.426}});
    REQUIRE(m);
    CHECK(m->kind() == model_kind::mbgnbd);
    CHECK(std::get<bgnbd_params>(m->params()).b == 2.426);
    auto gg = cltv::models::make_purchase_model({model_kind::gamma_gamma, {6, 4, 15}});
    REQUIRE_FALSE(gg);
    CHECK(gg.error().message ==
          "the gamma-gamma model is not a purchase model (bgnbd, mbgnbd, pareto-nbd, bgbb or "
          "ggomnbd)");
    auto bgbb = cltv::models::make_purchase_model({model_kind::bgbb, {1.2, 0.75, 0.66, 2.8}});
    REQUIRE(bgbb);
    CHECK(bgbb->kind() == model_kind::bgbb);
    CHECK(std::get<cltv::models::bgbb_params>(bgbb->params()).delta == 2.8);
    auto negative = cltv::models::make_purchase_model({model_kind::bgnbd, {1, -2, 1, 1}});
    REQUIRE_FALSE(negative);
    CHECK(negative.error().message == "parameter \"alpha\" must be positive, got -2");
    CHECK_FALSE(cltv::models::make_purchase_model({model_kind::bgnbd, {1, 2, 3}}));
  }
}

TEST_CASE("purchase_model: P(alive) of each model", "[purchase_model]") {
  // BG/NBD: a customer without repeat purchases is alive for sure; one who
  // bought just now (t_x = T, x = 2) has dead-odds a / (b + x − 1) =
  // 0.793 / 3.426 (FHL 2005 appendix), so P = 1 / (1 + 0.793 / 3.426).
  CHECK(value_of(probability_alive(purchase_model{rounded}, {0, 0, 38.86})) == 1);
  CHECK_THAT(value_of(probability_alive(purchase_model{rounded}, {2, 38.86, 38.86})),
             WithinAbs(1 / (1 + 0.793 / 3.426), 1e-12));
  // MBG/NBD at x = 0, T = 0: 1 / (1 + a/b · (α/α)^r) = b / (a + b) = 2.426 / 3.219.
  CHECK_THAT(value_of(probability_alive(purchase_model{rounded_modified}, {0, 0, 0})),
             WithinRel(2.426 / 3.219, 1e-12));
  // Pareto/NBD without silence (t_x = T): alive for sure.
  CHECK_THAT(value_of(probability_alive(purchase_model{simple_pareto}, {3, 20, 20})),
             WithinAbs(1.0, 1e-12));
}

TEST_CASE("purchase_model: expected purchases of each model", "[purchase_model]") {
  // FHL 2005's worked example: x = 2, t_x = 30.43, T = 38.86 expects 1.226
  // purchases in the next 39 weeks (1.2259 at the full-precision MLE).
  CHECK_THAT(value_of(conditional_expected_purchases(purchase_model{cdnow}, {2, 30.43, 38.86}, 39)),
             WithinRel(1.2259, 1e-4));
  // Pareto/NBD, a new customer (x = t_x = T = 0): E[X(t)] =
  // rβ / (α(s − 1)) · (1 − (β / (β + t))^(s − 1)); t = 3: 3/2 · (1 − 3/6) = 0.75,
  // t = 6: 3/2 · (1 − 3/9) = 1.
  const purchase_model pareto{simple_pareto};
  CHECK_THAT(value_of(conditional_expected_purchases(pareto, {0, 0, 0}, 3)),
             WithinRel(0.75, 1e-12));
  auto by_period = expected_purchases_by_period(pareto, {0, 0, 0}, 2, 3);
  REQUIRE(by_period);
  REQUIRE(by_period->size() == 2);
  CHECK_THAT((*by_period)[0], WithinRel(0.75, 1e-12));
  CHECK_THAT((*by_period)[1], WithinRel(1 - 0.75, 1e-12));  // E[X(6)] − E[X(3)]
}

TEST_CASE("purchase_model: fit by kind is the model's own fit", "[purchase_model]") {
  // A small pre-aggregated summary (weeks); each kind's fit must be exactly
  // the fit of its own function, with the estimates in the canonical order.
  const std::vector<rfm_tuple> rows{{0, 0, 40, 60},  {1, 10, 40, 20}, {2, 30, 40, 15},
                                    {3, 20, 40, 10}, {5, 38, 40, 5},  {1, 35, 40, 10},
                                    {0, 0, 30, 40},  {2, 5, 30, 10},  {4, 28, 30, 6}};
  SECTION("BG/NBD and MBG/NBD") {
    for (const bgnbd_variant variant : {bgnbd_variant::bgnbd, bgnbd_variant::mbgnbd}) {
      const model_kind kind =
          variant == bgnbd_variant::bgnbd ? model_kind::bgnbd : model_kind::mbgnbd;
      auto direct = cltv::models::fit_bgnbd(rows, variant);
      REQUIRE(direct);
      auto fit = cltv::models::fit_purchase_model(kind, rows);
      REQUIRE(fit);
      CHECK(fit->model.kind() == kind);
      CHECK(fit->model.parameters().values ==
            std::vector<double>{direct->params.r, direct->params.alpha, direct->params.a,
                                direct->params.b});
      REQUIRE(fit->estimates.size() == 4);
      CHECK(fit->estimates[2].standard_error == direct->a.standard_error);
      CHECK(fit->report.log_likelihood == direct->report.log_likelihood);
    }
  }
  SECTION("Pareto/NBD") {
    auto direct = cltv::models::fit_pareto_nbd(rows);
    REQUIRE(direct);
    auto fit = cltv::models::fit_purchase_model(model_kind::pareto_nbd, rows);
    REQUIRE(fit);
    CHECK(fit->model.kind() == model_kind::pareto_nbd);
    CHECK(fit->model.parameters().values ==
          std::vector<double>{direct->params.r, direct->params.alpha, direct->params.s,
                              direct->params.beta});
    CHECK(fit->estimates[3].upper_95 == direct->beta.upper_95);
  }
  SECTION("BG/BB, with T as the opportunities n") {
    const std::vector<rfm_tuple> histories{{0, 0, 6, 40}, {1, 1, 6, 12}, {2, 5, 6, 9},
                                           {3, 6, 6, 8},  {4, 4, 6, 5},  {6, 6, 6, 11},
                                           {1, 3, 4, 7},  {0, 0, 4, 20}, {4, 4, 4, 6}};
    std::vector<cltv::models::bgbb_tuple> own;
    for (const rfm_tuple& r : histories) own.push_back({r.x, r.t_x, r.T, r.count});
    auto direct = cltv::models::fit_bgbb(own);
    REQUIRE(direct);
    auto fit = cltv::models::fit_purchase_model(model_kind::bgbb, histories);
    REQUIRE(fit);
    CHECK(fit->model.kind() == model_kind::bgbb);
    CHECK(fit->model.parameters().values ==
          std::vector<double>{direct->params.alpha, direct->params.beta, direct->params.gamma,
                              direct->params.delta});
    CHECK(fit->report.log_likelihood == direct->report.log_likelihood);
    CHECK_FALSE(cltv::models::fit_purchase_model(model_kind::bgbb, histories,
                                                 *cltv::models::make_fit_penalty(0.1)));
  }
  SECTION("not a purchase model") {
    auto fit = cltv::models::fit_purchase_model(model_kind::sbg, rows);
    REQUIRE_FALSE(fit);
    CHECK(fit.error().field == "model");
  }
}

TEST_CASE("a prediction horizon is a number >= 0", "[purchase_model]") {
  CHECK(value_of(cltv::models::check_prediction_horizon(0)) == 0);
  CHECK(value_of(cltv::models::check_prediction_horizon(39)) == 39);
  auto negative = cltv::models::check_prediction_horizon(-1);
  REQUIRE_FALSE(negative);
  CHECK(negative.error().message == "horizon must be >= 0, got -1");
}
