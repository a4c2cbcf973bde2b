// Tests of cltv/models/covariates.hpp (tag [covariates]): the terms, a
// customer's own parameters, the likelihood (equal to the model's without
// covariates when every coefficient is 0; its gradient against finite
// differences), parameter recovery on simulated data with known
// coefficients, the likelihood-ratio test and regularisation.

#include "cltv/models/covariates.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "models/covariate_likelihood.hpp"
#include "test_support.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::covariate_effects;
using cltv::models::covariate_process;
using cltv::models::covariate_term;
using cltv::models::model_kind;
using cltv::models::pareto_nbd_params;
using cltv::models::purchase_model;
using cltv::models::rfm_tuple;
using cltv_test::value_of;

namespace {

// Customers with two covariates: a 0/1 dummy (Gender-like, half the
// customers) and a three-level one (0, 1, 2) — six distinct rows.
struct simulated {
  std::vector<rfm_tuple> customers;
  std::vector<double> values;  // row-major, two per customer
};

// Simulates customers of `base` shifted by `effects` (terms over the two
// covariates "g" and "c"), observed for T ~ U(20, 80) after their first
// purchase. Pareto/NBD: exponential lifetime at rate μ ~ Gamma(s, β_i);
// BG/NBD: dropout with probability p ~ Beta(a_i, b_i) after each repeat
// purchase.
simulated simulate(const purchase_model& base, const covariate_effects& effects, std::size_t n,
                   std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0), age(20.0, 80.0);
  simulated out;
  for (std::size_t i = 0; i < n; ++i) {
    const double g = unit(rng) < 0.5 ? 1 : 0;
    const double c = std::floor(3 * unit(rng));
    const std::vector<double> z{g, c};
    const purchase_model m = value_of(cltv::models::customer_model(base, effects, z));
    const std::vector<double> v = m.parameters().values;
    const double lambda = std::gamma_distribution<double>(v[0], 1 / v[1])(rng);
    const double T = age(rng);
    double t = 0, t_x = 0, x = 0;
    if (base.kind() == model_kind::pareto_nbd) {
      const double mu = std::gamma_distribution<double>(v[2], 1 / v[3])(rng);
      const double end = std::min(T, std::exponential_distribution<double>(mu)(rng));
      while (true) {
        t += std::exponential_distribution<double>(lambda)(rng);
        if (t > end) break;
        x += 1;
        t_x = t;
      }
    } else {
      const double u = std::gamma_distribution<double>(v[2], 1.0)(rng);
      const double w = std::gamma_distribution<double>(v[3], 1.0)(rng);
      const double p = u / (u + w);
      while (true) {
        t += std::exponential_distribution<double>(lambda)(rng);
        if (t > T) break;
        x += 1;
        t_x = t;
        if (unit(rng) < p) break;
      }
    }
    out.customers.push_back({x, t_x, T, 1});
    out.values.insert(out.values.end(), z.begin(), z.end());
  }
  return out;
}

const std::vector<covariate_term> both_terms{{"g", covariate_process::purchase},
                                             {"c", covariate_process::purchase},
                                             {"g", covariate_process::dropout},
                                             {"c", covariate_process::dropout}};

std::vector<double> log_parameters(const purchase_model& m, std::span<const double> gamma) {
  std::vector<double> x;
  for (double v : m.parameters().values) x.push_back(std::log(v));
  x.insert(x.end(), gamma.begin(), gamma.end());
  return x;
}

}  // namespace

TEST_CASE("covariate terms per process, with constraints", "[covariates]") {
  const auto terms = value_of(
      cltv::models::covariate_terms({"Gender", "Channel"}, {"Gender", "Channel"}, {"Gender"}));
  REQUIRE(terms.size() == 3);
  CHECK(terms[0].covariate == "Channel");
  CHECK(terms[0].process == covariate_process::purchase);
  CHECK(terms[1].covariate == "Channel");
  CHECK(terms[1].process == covariate_process::dropout);
  CHECK(terms[2].covariate == "Gender");
  CHECK(terms[2].process == covariate_process::both);
  CHECK(cltv::models::covariate_columns(terms) == std::vector<std::string>{"Channel", "Gender"});

  const auto only_purchase = value_of(cltv::models::covariate_terms({"Gender"}, {}));
  REQUIRE(only_purchase.size() == 1);
  CHECK(only_purchase[0].process == covariate_process::purchase);

  const auto twice = cltv::models::covariate_terms({"Gender", "Gender"}, {});
  REQUIRE_FALSE(twice);
  CHECK(twice.error().message ==
        "covariate \"Gender\" is listed twice among the purchase covariates");
  const auto half = cltv::models::covariate_terms({"Gender"}, {"Channel"}, {"Gender"});
  REQUIRE_FALSE(half);
  CHECK(half.error().message ==
        "covariate \"Gender\" is constrained equal in both processes but is not a covariate of "
        "both");
  REQUIRE_FALSE(cltv::models::covariate_terms({""}, {}));
}

TEST_CASE("a customer's own parameters: CLVTools' static-covariate forms", "[covariates]") {
  const covariate_effects effects{both_terms, {0.5, -0.2, 0.3, 0.1}};
  const std::vector<double> z{1, 2};
  // Pareto/NBD: α e^{−(0.5·1 − 0.2·2)}, β e^{−(0.3·1 + 0.1·2)}.
  const purchase_model pareto{pareto_nbd_params{0.55, 10.6, 0.61, 11.7}};
  const auto p = value_of(cltv::models::customer_model(pareto, effects, z)).parameters().values;
  CHECK_THAT(p[0], WithinRel(0.55, 1e-15));
  CHECK_THAT(p[1], WithinRel(10.6 * std::exp(-0.1), 1e-15));
  CHECK_THAT(p[2], WithinRel(0.61, 1e-15));
  CHECK_THAT(p[3], WithinRel(11.7 * std::exp(-0.5), 1e-15));
  // BG/NBD: α as above, a and b times e^{+0.5}.
  const purchase_model bg{bgnbd_params{0.243, 4.414, 0.793, 2.426}};
  const auto b = value_of(cltv::models::customer_model(bg, effects, z)).parameters().values;
  CHECK_THAT(b[1], WithinRel(4.414 * std::exp(-0.1), 1e-15));
  CHECK_THAT(b[2], WithinRel(0.793 * std::exp(0.5), 1e-15));
  CHECK_THAT(b[3], WithinRel(2.426 * std::exp(0.5), 1e-15));
  // All zero: the baseline.
  const auto zero = value_of(cltv::models::customer_model(bg, effects, std::vector<double>{0, 0}));
  CHECK(zero.parameters().values == bg.parameters().values);

  const auto wrong_size = cltv::models::customer_model(bg, effects, std::vector<double>{1});
  REQUIRE_FALSE(wrong_size);
  CHECK(wrong_size.error().message == "a customer has 1 covariate values, the model 2");
  const purchase_model gg{cltv::models::ggomnbd_params{0.55, 10.6, 0.6, 0.01, 1}};
  const auto refused = cltv::models::customer_model(gg, effects, z);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "the ggomnbd model takes no covariates (bgnbd, mbgnbd or pareto-nbd do)");
}

TEST_CASE("with every coefficient 0 the likelihood is the model's without covariates",
          "[covariates]") {
  for (const purchase_model& m :
       {purchase_model{pareto_nbd_params{0.55, 10.6, 0.61, 11.7}},
        purchase_model{bgnbd_params{0.243, 4.414, 0.793, 2.426}},
        purchase_model{bgnbd_params{0.5, 6, 0.9, 3, cltv::models::bgnbd_variant::mbgnbd}}}) {
    const covariate_effects zero{both_terms, {0, 0, 0, 0}};
    const simulated data =
        simulate(m, covariate_effects{both_terms, {0.4, -0.3, 0.5, 0.2}}, 3000, 7);
    const double with =
        value_of(cltv::models::log_likelihood(m, zero, data.customers, data.values));
    double without = 0;
    if (m.kind() == model_kind::pareto_nbd)
      without = value_of(
          cltv::models::log_likelihood(std::get<pareto_nbd_params>(m.params()), data.customers));
    else
      without = value_of(
          cltv::models::log_likelihood(std::get<bgnbd_params>(m.params()), data.customers));
    CHECK_THAT(with, WithinRel(without, 1e-12));
  }
}

TEST_CASE("the covariate likelihood's gradient agrees with finite differences", "[covariates]") {
  for (const purchase_model& m : {purchase_model{pareto_nbd_params{0.55, 10.6, 0.61, 11.7}},
                                  purchase_model{bgnbd_params{0.243, 4.414, 0.793, 2.426}}}) {
    const simulated data =
        simulate(m, covariate_effects{both_terms, {0.4, -0.3, 0.5, 0.2}}, 500, 3);
    auto made = cltv::models::detail::covariate_likelihood::make(m.kind(), data.customers,
                                                                 data.values, both_terms);
    REQUIRE(made);
    auto& likelihood = *made;
    const std::vector<double> gamma{0.3, -0.2, 0.4, 0.25};
    std::vector<double> x = log_parameters(m, gamma);
    std::vector<double> g(x.size());
    REQUIRE(std::isfinite(likelihood.log_likelihood(x, g)));
    for (std::size_t i = 0; i < x.size(); ++i) {
      const double h = 1e-5;
      std::vector<double> up = x, down = x;
      up[i] += h;
      down[i] -= h;
      const double fd =
          (likelihood.log_likelihood(up, {}) - likelihood.log_likelihood(down, {})) / (2 * h);
      INFO("model " << static_cast<int>(m.kind()) << ", unknown " << i);
      CHECK_THAT(g[i], WithinAbs(fd, 1e-6 * (1 + std::abs(fd))));
    }
  }
}

TEST_CASE("fits recover known coefficients from 50,000 simulated customers", "[covariates][slow]") {
  struct truth_case {
    purchase_model model;
    std::vector<double> gamma;
  };
  for (const truth_case& truth :
       {truth_case{pareto_nbd_params{0.8, 12, 0.7, 14}, {0.4, -0.3, 0.6, 0.25}},
        truth_case{bgnbd_params{0.8, 6, 0.6, 2.5}, {0.4, -0.3, 0.5, 0.3}}}) {
    const covariate_effects effects{both_terms, truth.gamma};
    const simulated data = simulate(truth.model, effects, 50000, 2026);
    const auto fit = value_of(cltv::models::fit_with_covariates(truth.model.kind(), data.customers,
                                                                data.values, both_terms));
    INFO("model " << static_cast<int>(truth.model.kind()));
    CHECK(fit.report.customers == 50000);
    const std::vector<double> true_values = truth.model.parameters().values;
    for (std::size_t i = 0; i < 4; ++i) {
      INFO("parameter " << i << ": " << fit.estimates[i].value << " ± "
                        << fit.estimates[i].standard_error << ", truth " << true_values[i]);
      CHECK(std::abs(fit.estimates[i].value - true_values[i]) <
            4 * fit.estimates[i].standard_error);
    }
    for (std::size_t j = 0; j < 4; ++j) {
      INFO("coefficient " << j << ": " << fit.coefficients[j].value << " ± "
                          << fit.coefficients[j].standard_error << ", truth " << truth.gamma[j]);
      CHECK(std::abs(fit.coefficients[j].value - truth.gamma[j]) <
            4 * fit.coefficients[j].standard_error);
    }
    // Real effects: the model without covariates is rejected.
    CHECK(fit.against_no_covariates.degrees_of_freedom == 4);
    CHECK(fit.against_no_covariates.p_value < 1e-6);
    CHECK(fit.report.log_likelihood > fit.against_no_covariates.restricted_log_likelihood);
  }
}

TEST_CASE("covariates without effect are not significant", "[covariates]") {
  const purchase_model m{pareto_nbd_params{0.8, 12, 0.7, 14}};
  const simulated data = simulate(m, covariate_effects{both_terms, {0, 0, 0, 0}}, 4000, 11);
  const auto fit = value_of(cltv::models::fit_with_covariates(
      model_kind::pareto_nbd, data.customers, data.values, both_terms));
  for (const auto& c : fit.coefficients) {
    CHECK(std::isfinite(c.standard_error));
    CHECK(c.lower_95 < c.upper_95);
  }
  CHECK(fit.against_no_covariates.p_value > 0.001);
  // The covariance: 8×8, its diagonal the standard errors squared.
  REQUIRE(fit.report.covariance.size() == 64);
  CHECK_THAT(std::sqrt(fit.report.covariance[5 * 8 + 5]),
             WithinRel(fit.coefficients[1].standard_error, 1e-12));
  CHECK_THAT(std::sqrt(fit.report.covariance[1 * 8 + 1]),
             WithinRel(fit.estimates[1].standard_error, 1e-12));
}

TEST_CASE("a constraint fits one coefficient for both processes", "[covariates]") {
  const purchase_model m{bgnbd_params{0.8, 6, 0.6, 2.5}};
  const simulated data = simulate(m, covariate_effects{both_terms, {0.4, -0.3, 0.5, 0.3}}, 6000, 5);
  const auto terms = value_of(cltv::models::covariate_terms({"g", "c"}, {"g", "c"}, {"g"}));
  const auto constrained = value_of(
      cltv::models::fit_with_covariates(model_kind::bgnbd, data.customers, data.values, terms));
  const auto free = value_of(cltv::models::fit_with_covariates(model_kind::bgnbd, data.customers,
                                                               data.values, both_terms));
  CHECK(constrained.coefficients.size() == 3);
  CHECK(constrained.against_no_covariates.degrees_of_freedom == 3);
  // Nested: the free model fits at least as well.
  CHECK(free.report.log_likelihood >= constrained.report.log_likelihood - 1e-6);
  // The fit tests its constraint against the free model, which it fits itself.
  REQUIRE(constrained.against_unconstrained);
  const auto& test = *constrained.against_unconstrained;
  CHECK(test.degrees_of_freedom == 1);
  CHECK_THAT(test.full_log_likelihood, WithinRel(free.report.log_likelihood, 1e-9));
  CHECK_THAT(test.restricted_log_likelihood, WithinRel(constrained.report.log_likelihood, 1e-15));
  CHECK(test.p_value >= 0);
  CHECK(test.p_value <= 1);
  CHECK_FALSE(free.against_unconstrained);
}

TEST_CASE("regularisation pulls the coefficients towards 0", "[covariates]") {
  const purchase_model m{pareto_nbd_params{0.8, 12, 0.7, 14}};
  const simulated data =
      simulate(m, covariate_effects{both_terms, {0.4, -0.3, 0.6, 0.25}}, 4000, 9);
  const auto plain = value_of(cltv::models::fit_with_covariates(
      model_kind::pareto_nbd, data.customers, data.values, both_terms));
  const auto held = value_of(cltv::models::fit_with_covariates(
      model_kind::pareto_nbd, data.customers, data.values, both_terms, {1, 0}));
  const auto strong = value_of(cltv::models::fit_with_covariates(
      model_kind::pareto_nbd, data.customers, data.values, both_terms, {1e6, 1e6}));
  // λ_purchase shrinks the purchase coefficients (0, 1) only.
  CHECK(std::abs(held.coefficients[0].value) < std::abs(plain.coefficients[0].value));
  CHECK(std::abs(held.coefficients[1].value) < std::abs(plain.coefficients[1].value));
  CHECK(std::abs(held.coefficients[2].value) > 0.1);
  for (const auto& c : strong.coefficients) CHECK(std::abs(c.value) < 1e-4);
  CHECK_THAT(strong.report.log_likelihood,
             WithinRel(strong.against_no_covariates.restricted_log_likelihood, 1e-6));
  const auto bad = cltv::models::fit_with_covariates(model_kind::pareto_nbd, data.customers,
                                                     data.values, both_terms, {-1, 0});
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message == "reg-trans must be a number >= 0, got -1");
}

TEST_CASE("the likelihood-ratio test's p-value is the χ² tail", "[covariates]") {
  // χ²₁ at 3.841458820694124 is the 95% point; χ²₂ tail at s is e^{−s/2}.
  const auto one =
      value_of(cltv::models::test_likelihood_ratio(-100, -100 + 3.841458820694124 / 2, 1));
  CHECK_THAT(one.p_value, WithinRel(0.05, 1e-12));
  const auto two = value_of(cltv::models::test_likelihood_ratio(-50, -47, 2));
  CHECK_THAT(two.statistic, WithinRel(6.0, 1e-15));
  CHECK_THAT(two.p_value, WithinRel(std::exp(-3.0), 1e-12));
  CHECK(value_of(cltv::models::test_likelihood_ratio(-50, -50.000001, 2)).statistic == 0);
  REQUIRE_FALSE(cltv::models::test_likelihood_ratio(-50, -47, 0));
}

TEST_CASE("bad covariate input is refused naming the row and covariate", "[covariates]") {
  const std::vector<rfm_tuple> customers{{1, 5, 10, 1}, {0, 0, 12, 1}, {3, 9, 11, 1}};
  const std::vector<covariate_term> terms{{"g", covariate_process::both}};
  const auto nan = cltv::models::fit_with_covariates(model_kind::bgnbd, customers,
                                                     std::vector<double>{0, NAN, 1}, terms);
  REQUIRE_FALSE(nan);
  CHECK(nan.error().message == "covariate g of row 2 must be a finite number, got nan");
  const auto constant = cltv::models::fit_with_covariates(model_kind::bgnbd, customers,
                                                          std::vector<double>{1, 1, 1}, terms);
  REQUIRE_FALSE(constant);
  CHECK(constant.error().message ==
        "covariate g is 1 for every customer: its effect cannot be told apart from the baseline");
  const auto short_values = cltv::models::fit_with_covariates(model_kind::bgnbd, customers,
                                                              std::vector<double>{1, 0}, terms);
  REQUIRE_FALSE(short_values);
  CHECK(short_values.error().message == "2 covariate values for 3 customers of 1 covariates");
  const auto bad_row = cltv::models::fit_with_covariates(
      model_kind::bgnbd, std::vector<rfm_tuple>{{1, 5, 10, 1}, {1, 12, 10, 1}},
      std::vector<double>{0, 1}, terms);
  REQUIRE_FALSE(bad_row);
  CHECK(bad_row.error().field == "recency");
  const auto no_terms =
      cltv::models::fit_with_covariates(model_kind::bgnbd, customers, std::vector<double>{}, {});
  REQUIRE_FALSE(no_terms);
  CHECK(no_terms.error().message == "no covariates were given");
  const auto bgbb = cltv::models::fit_with_covariates(model_kind::bgbb, customers,
                                                      std::vector<double>{0, 1, 1}, terms);
  REQUIRE_FALSE(bgbb);
}
