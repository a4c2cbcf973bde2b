// Model choice (cltv/models/model_choice.hpp), and what every fit reports for
// it: the covariance of the estimates and the penalty (cltv/models/fit.hpp).

#include "cltv/models/model_choice.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "cltv/models/bgnbd.hpp"
#include "cltv/models/gamma_gamma.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "test_support.hpp"

using cltv::models::bgnbd_params;
using cltv::models::fit_penalty;
using cltv::models::fit_report;
using cltv::models::model_kind;
using cltv::models::rfm_tuple;
using cltv_test::simulate;
using cltv_test::value_of;

namespace {

constexpr bgnbd_params truth{0.25, 4.0, 0.8, 2.5};

// Checks that the covariance is the inverse of the log-parameter Hessian
// carried to the natural scale: diag(1/θ) · Cov · diag(1/θ) · H = I.
void check_covariance(const fit_report& report, const std::vector<double>& theta,
                      const std::vector<double>& standard_errors) {
  const std::size_t n = theta.size();
  REQUIRE(report.covariance.size() == n * n);
  REQUIRE(report.log_hessian.size() == n * n);
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      double product = 0;
      for (std::size_t k = 0; k < n; ++k)
        product +=
            report.covariance[i * n + k] / (theta[i] * theta[k]) * report.log_hessian[k * n + j];
      CHECK(product == Approx(i == j ? 1.0 : 0.0).margin(1e-9));
      CHECK(report.covariance[i * n + j] == Approx(report.covariance[j * n + i]).epsilon(1e-12));
    }
    CHECK(std::sqrt(report.covariance[i * n + i]) == Approx(standard_errors[i]).epsilon(1e-12));
  }
}

double squared_norm(const std::vector<double>& scaled) {
  double sum = 0;
  for (const double v : scaled) sum += v * v;
  return sum;
}

}  // namespace

TEST_CASE("the covariance is the inverse Hessian by the delta method", "[model-choice]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 3000, 20, 60, 5);
  SECTION("BG/NBD") {
    const auto fit = value_of(cltv::models::fit_bgnbd(rows));
    check_covariance(fit.report, {fit.params.r, fit.params.alpha, fit.params.a, fit.params.b},
                     {fit.r.standard_error, fit.alpha.standard_error, fit.a.standard_error,
                      fit.b.standard_error});
  }
  SECTION("Pareto/NBD") {
    const auto fit = value_of(cltv::models::fit_pareto_nbd(rows));
    check_covariance(fit.report, {fit.params.r, fit.params.alpha, fit.params.s, fit.params.beta},
                     {fit.r.standard_error, fit.alpha.standard_error, fit.s.standard_error,
                      fit.beta.standard_error});
  }
  SECTION("Gamma-Gamma") {
    // Mean spends that vary between and within customers.
    const std::vector<double> frequency{1, 2, 3, 1, 5, 2, 4, 1, 2, 6, 3, 1};
    const std::vector<double> spend{5, 80, 12, 150, 20, 9, 300, 55, 7, 40, 26, 110};
    const auto fit = value_of(cltv::models::fit_gamma_gamma(frequency, spend));
    check_covariance(fit.report, {fit.params.p, fit.params.q, fit.params.gamma},
                     {fit.p.standard_error, fit.q.standard_error, fit.gamma.standard_error});
  }
}

TEST_CASE("AIC and BIC by hand", "[model-choice]") {
  // LL −964.78 with 4 parameters on 200 customers: AIC 2·4 + 1929.56 = 1937.56,
  // BIC 4 ln 200 + 1929.56 = 21.193… + 1929.56.
  CHECK(cltv::models::akaike_information_criterion(-964.78, 4) == Approx(1937.56).epsilon(1e-14));
  CHECK(cltv::models::bayesian_information_criterion(-964.78, 4, 200) ==
        Approx(4 * std::log(200.0) + 1929.56).epsilon(1e-14));
}

TEST_CASE("a penalty shrinks the parameters, and 0 is no penalty", "[model-choice]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 2000, 20, 60, 9);
  const double T_max = cltv::models::longest_age(rows);
  const auto plain = value_of(cltv::models::fit_bgnbd(rows));
  const auto zero =
      value_of(cltv::models::fit_bgnbd(rows, cltv::models::bgnbd_variant::bgnbd, fit_penalty{0}));
  CHECK(zero.params.r == plain.params.r);
  CHECK(zero.report.log_likelihood == plain.report.log_likelihood);

  double last_norm = INFINITY;
  double last_ll = INFINITY;
  for (const double c : {0.0, 0.001, 0.01, 0.1, 1.0}) {
    const auto fit =
        value_of(cltv::models::fit_bgnbd(rows, cltv::models::bgnbd_variant::bgnbd, fit_penalty{c}));
    const double norm =
        squared_norm({fit.params.r, fit.params.alpha / T_max, fit.params.a, fit.params.b});
    CHECK(norm <= last_norm);
    // The likelihood without the penalty can only fall as the penalty grows.
    CHECK(fit.report.log_likelihood <= last_ll + 1e-9 * std::abs(last_ll));
    CHECK(fit.report.penalty == c);
    last_norm = norm;
    last_ll = fit.report.log_likelihood;
  }
}

TEST_CASE("make_fit_penalty takes a number >= 0", "[model-choice]") {
  CHECK(value_of(cltv::models::make_fit_penalty(0.5)).coefficient == 0.5);
  CHECK(value_of(cltv::models::make_fit_penalty(0)).coefficient == 0);
  CHECK_FALSE(cltv::models::make_fit_penalty(-1));
  CHECK_FALSE(cltv::models::make_fit_penalty(NAN));
  CHECK_FALSE(cltv::models::make_fit_penalty(INFINITY));
}

TEST_CASE("compare prefers the lowest BIC, or with a holdout the lowest error", "[model-choice]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 2000, 20, 60, 13);
  const std::vector<model_kind> kinds{model_kind::bgnbd, model_kind::mbgnbd,
                                      model_kind::pareto_nbd};
  const auto without = value_of(cltv::models::compare_purchase_models(kinds, rows, {}));
  REQUIRE(without.candidates.size() == 3);
  CHECK(without.rule == cltv::models::preference_rule::bic);
  CHECK(without.customers == 2000);
  REQUIRE(without.preferred);
  for (const auto& c : without.candidates) {
    REQUIRE(c.fit);
    CHECK(c.parameters == 4);
    CHECK(c.aic == Approx(8 - 2 * c.fit->report.log_likelihood).epsilon(1e-14));
    CHECK(without.candidates[*without.preferred].bic <= c.bic);
    CHECK_FALSE(c.holdout);
  }

  // A holdout of each customer's purchases in 10 more time units, from a
  // second draw of the same process: whatever the model, the one with the
  // smallest mean absolute error is preferred.
  const std::vector<rfm_tuple> later = simulate(truth, 2000, 20, 60, 14);
  std::vector<cltv::models::holdout_customer> holdout;
  for (std::size_t i = 0; i < rows.size(); ++i)
    holdout.push_back({rows[i], std::min(later[i].x, 3.0), 10});
  const auto with = value_of(cltv::models::compare_purchase_models(kinds, rows, holdout));
  CHECK(with.rule == cltv::models::preference_rule::holdout_mean_absolute_error);
  REQUIRE(with.preferred);
  for (const auto& c : with.candidates) {
    REQUIRE(c.holdout);
    CHECK(with.candidates[*with.preferred].holdout->mean_absolute_error <=
          c.holdout->mean_absolute_error);
  }
}

TEST_CASE("compare refuses no models, a model twice and a spend model", "[model-choice]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 200, 20, 60, 3);
  CHECK_FALSE(cltv::models::compare_purchase_models({}, rows, {}));
  const std::vector<model_kind> twice{model_kind::bgnbd, model_kind::bgnbd};
  CHECK_FALSE(cltv::models::compare_purchase_models(twice, rows, {}));
  const std::vector<model_kind> spend{model_kind::bgnbd, model_kind::gamma_gamma};
  CHECK_FALSE(cltv::models::compare_purchase_models(spend, rows, {}));
}

TEST_CASE("a model that cannot be fitted stays in the comparison with the reason",
          "[model-choice]") {
  // No repeat purchases: no purchase model can be fitted; none is preferred.
  const std::vector<rfm_tuple> rows{{0, 0, 10, 1}, {0, 0, 20, 1}, {0, 0, 30, 1}};
  const std::vector<model_kind> kinds{model_kind::bgnbd, model_kind::pareto_nbd};
  const auto c = value_of(cltv::models::compare_purchase_models(kinds, rows, {}));
  REQUIRE(c.candidates.size() == 2);
  CHECK_FALSE(c.candidates[0].fit);
  CHECK(c.candidates[0].failure.find("repeat purchase") != std::string::npos);
  CHECK_FALSE(c.preferred);
}
