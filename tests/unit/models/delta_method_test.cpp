// models/delta_method.hpp: hand-worked intervals on both scales, the
// numerical gradient, the refusals, and BG/NBD's intervals on CDNOW-like data
// against the fit's own covariance.

#include "cltv/models/delta_method.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "test_support.hpp"

using namespace cltv::models;
using cltv_test::value_of;

TEST_CASE("delta method: hand-worked intervals", "[delta-method]") {
  const std::vector<double> one{1};
  const std::vector<double> variance{0.01};
  // Log scale: sd(ln q) = sd(q) / q = 0.1 / 2 = 0.05; z(95%) = 1.959964;
  // 2 · e^(∓0.0979982) = 1.813302 and 2.205920.
  const interval_bounds log =
      value_of(delta_method_interval(2, one, variance, interval_scale::log, 0.95));
  CHECK(log.lower == Approx(1.813302).epsilon(1e-6));
  CHECK(log.upper == Approx(2.205920).epsilon(1e-6));
  // Logit scale: q = 0.5, sd(logit q) = 0.1 / (0.5 · 0.5) = 0.4; logit 0.5 = 0;
  // 1 / (1 + e^(±0.7839856)) = 0.313462 and 0.686538.
  const interval_bounds logit =
      value_of(delta_method_interval(0.5, one, variance, interval_scale::logit, 0.95));
  CHECK(logit.lower == Approx(0.313462).epsilon(1e-5));
  CHECK(logit.upper == Approx(0.686538).epsilon(1e-5));
  // A probability that is 1 for any parameters (BG/NBD's P(alive) at x = 0).
  const interval_bounds certain =
      value_of(delta_method_interval(1, one, variance, interval_scale::logit, 0.9));
  CHECK(certain.lower == 1);
  CHECK(certain.upper == 1);
  // Two parameters: var = gᵀ Σ g = 1·0.04 + 2·(1·0.01·2) + 4·0.09 = 0.44 (g = (1, 2)).
  const std::vector<double> g{1, 2};
  const std::vector<double> sigma{0.04, 0.01, 0.01, 0.09};
  const interval_bounds two =
      value_of(delta_method_interval(10, g, sigma, interval_scale::log, 0.9));
  const double spread = 1.6448536269514722 * std::sqrt(0.44) / 10;
  CHECK(two.lower == Approx(10 * std::exp(-spread)).epsilon(1e-12));
  CHECK(two.upper == Approx(10 * std::exp(spread)).epsilon(1e-12));
}

TEST_CASE("delta method: the gradient by central differences", "[delta-method]") {
  // q = θ₀² θ₁ at (2, 3): ∂q/∂θ₀ = 2 θ₀ θ₁ = 12, ∂q/∂θ₁ = θ₀² = 4.
  const std::vector<double> theta{2, 3};
  const std::vector<double> g = value_of(parameter_gradient(
      theta, [](std::span<const double> t) -> cltv::result<double> { return t[0] * t[0] * t[1]; }));
  CHECK(g[0] == Approx(12).epsilon(1e-9));
  CHECK(g[1] == Approx(4).epsilon(1e-9));
}

TEST_CASE("delta method: refusals", "[delta-method]") {
  const std::vector<double> one{1};
  const std::vector<double> none{std::numeric_limits<double>::quiet_NaN()};
  CHECK(delta_method_interval(2, one, none, interval_scale::log, 0.9).error().field ==
        "covariance");
  const std::vector<double> wrong_size{1, 0, 0, 1};
  CHECK(delta_method_interval(2, one, wrong_size, interval_scale::log, 0.9).error().field ==
        "covariance");
  const std::vector<double> variance{0.01};
  CHECK(delta_method_interval(2, one, variance, interval_scale::log, 1.5).error().field ==
        "confidence");
}

TEST_CASE("delta method: BG/NBD intervals from the fit's covariance", "[delta-method]") {
  const std::vector<rfm_tuple> rows = cltv_test::simulate({0.5, 6.0, 0.7, 2.5}, 2000, 30, 60, 21);
  const purchase_model_fit fit =
      value_of(fit_purchase_model(model_kind::bgnbd, value_of(compress_rfm(rows))));
  const rfm_tuple customer{3, 25, 40};
  const purchase_delta_intervals d = value_of(
      purchase_prediction_delta_intervals(fit.model, fit.report.covariance, customer, 52, 0.9));
  const double e = value_of(conditional_expected_purchases(fit.model, customer, 52));
  const double a = value_of(probability_alive(fit.model, customer));
  CHECK(d.expected_purchases.lower < e);
  CHECK(e < d.expected_purchases.upper);
  CHECK(d.probability_alive.lower < a);
  CHECK(a < d.probability_alive.upper);
  CHECK(d.probability_alive.upper < 1);
  // 2,000 customers: the expectation is known to within tens of percent, not less than 1%.
  CHECK(d.expected_purchases.upper / d.expected_purchases.lower > 1.01);
  CHECK(d.expected_purchases.upper / d.expected_purchases.lower < 2);
  CHECK(d.expected_purchases_gradient.size() == 4);
}
