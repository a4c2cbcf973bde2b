// Tests of cltv/models/pareto_nbd.hpp (tag [pareto]). Reference numbers: the
// Pareto/NBD estimates on the CDNOW summary that BTYD reports and
// pymc-marketing's test suite uses as its truth (r 0.5534, α 10.5802,
// s 0.6061, β 11.6562); the CDNOW case reads ../shared and is skipped, with a
// warning, when it is absent (tag [cdnow]).

#include "cltv/models/pareto_nbd.hpp"

#include "cltv/models/clv.hpp"

#include <catch2/catch.hpp>

#include "cdnow_summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>
#include "test_support.hpp"

#include "models/optimize.hpp"
#include "models/pareto_nbd_kernel.hpp"

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::pareto_nbd_params;
using cltv::models::rfm_tuple;
using cltv_test::value_of;

namespace {

using cltv_test::read_cdnow_summary;
using cltv_test::shared_dir;

constexpr pareto_nbd_params btyd{0.5534, 10.5802, 0.6061, 11.6562};

// The likelihood from its definition, without 2F1 (Fader & Hardie 2005,
// eq. 3 integrated over the dropout time): alive through T, or gone at some
// τ in (t_x, T]:
//   L = Γ(r+x)/Γ(r) α^r β^s [ (α+T)^−(r+x) (β+T)^−s
//                              + s ∫_{t_x}^{T} (α+τ)^−(r+x) (β+τ)^−(s+1) dτ ],
// the integral by composite Simpson's rule on 20,000 intervals.
double log_likelihood_by_integral(const pareto_nbd_params& p, const rfm_tuple& c) {
  const auto integrand = [&](double tau) {
    return std::pow(p.alpha + tau, -(p.r + c.x)) * std::pow(p.beta + tau, -(p.s + 1));
  };
  double integral = 0;
  if (c.T > c.t_x) {
    const int n = 20'000;
    const double h = (c.T - c.t_x) / n;
    integral = integrand(c.t_x) + integrand(c.T);
    for (int i = 1; i < n; ++i) integral += (i % 2 == 1 ? 4 : 2) * integrand(c.t_x + i * h);
    integral *= h / 3;
  }
  const double bracket =
      std::pow(p.alpha + c.T, -(p.r + c.x)) * std::pow(p.beta + c.T, -p.s) + p.s * integral;
  return std::lgamma(p.r + c.x) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
         p.s * std::log(p.beta) + std::log(bracket);
}

// Pareto/NBD simulator: λ ~ Gamma(r, α), μ ~ Gamma(s, β), lifetime ~
// Exp(μ); Poisson purchases at rate λ while alive, observed for T whole weeks
// ~ U{20, …, 80}; recency rounded to the nearest whole week (≤ T), so that
// customers share tuples (rounding down would bias the dropout rate up).
// With common_mu > 0, every customer has that dropout rate instead (the limit
// s, β → ∞ with s/β = common_mu).
std::vector<rfm_tuple> simulate(const pareto_nbd_params& p, std::size_t n, std::uint64_t seed,
                                double common_mu = 0) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> rate(p.r, 1 / p.alpha), death(p.s, 1 / p.beta);
  std::uniform_int_distribution<int> weeks(20, 80);
  std::vector<rfm_tuple> rows;
  for (std::size_t i = 0; i < n; ++i) {
    const double lambda = rate(rng), mu = common_mu > 0 ? common_mu : death(rng);
    const double T = weeks(rng);
    const double end = std::min(T, std::exponential_distribution<double>(mu)(rng));
    double t = 0, t_x = 0, x = 0;
    for (;;) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > end) break;
      x += 1;
      t_x = t;
    }
    rows.push_back({x, x > 0 ? std::round(t_x) : 0, T, 1});
  }
  return rows;
}

}  // namespace

TEST_CASE("Pareto/NBD fit on CDNOW reproduces BTYD", "[pareto][cdnow]") {
  const std::vector<rfm_tuple> rows = read_cdnow_summary();
  if (rows.empty()) {
    WARN("skipped: " << (shared_dir() / "data/cdnow_customers_summary.csv").string()
                     << " not found (set CLTV_SHARED_DIR to the shared data directory)");
    return;
  }
  auto fit = cltv::models::fit_pareto_nbd(rows);
  if (!fit) FAIL(fit.error().message);
  CHECK(fit->report.converged);
  CHECK(fit->report.degenerate.empty());
  CHECK_THAT(fit->params.r, WithinRel(btyd.r, 1e-3));
  CHECK_THAT(fit->params.alpha, WithinRel(btyd.alpha, 1e-3));
  CHECK_THAT(fit->params.s, WithinRel(btyd.s, 1e-3));
  // β is the least determined (standard error ~6): within 0.2 %.
  CHECK_THAT(fit->params.beta, WithinRel(btyd.beta, 2e-3));
  // At least as high as at BTYD's rounded estimates, and within 1e-6 of it.
  const double at_btyd = value_of(cltv::models::log_likelihood(btyd, rows));
  CHECK(fit->report.log_likelihood >= at_btyd - 1e-9);
  CHECK_THAT(fit->report.log_likelihood, WithinRel(at_btyd, 1e-6));
  CHECK(fit->beta.standard_error > 0);
}

TEST_CASE("Pareto/NBD likelihood agrees with its integral form", "[pareto]") {
  // Both branches of the 2F1 form (α ≥ β and α < β), customers with and
  // without repeats, with and without silence after the last purchase.
  const std::vector<rfm_tuple> customers{{0, 0, 38.86, 1},    {2, 30.43, 38.86, 1},
                                         {1, 1.71, 38.86, 1}, {7, 29.43, 38.86, 1},
                                         {5, 10, 10, 1},      {30, 5, 78, 1}};
  for (const pareto_nbd_params& p :
       {btyd, pareto_nbd_params{0.5534, 5, 0.6061, 40}, pareto_nbd_params{2, 1, 3, 2}}) {
    for (const rfm_tuple& c : customers) {
      INFO("alpha " << p.alpha << ", beta " << p.beta << "; x " << c.x << ", t_x " << c.t_x
                    << ", T " << c.T);
      const std::vector<rfm_tuple> one{c};
      CHECK_THAT(value_of(cltv::models::log_likelihood(p, one)),
                 WithinRel(log_likelihood_by_integral(p, c), 1e-9));
    }
  }
}

TEST_CASE("Pareto/NBD predictions: properties", "[pareto]") {
  // No silence (t_x = T): alive for sure. A new customer's expectation is the
  // conditional one at x = t_x = T = 0. P(alive) falls with silence; the
  // expectations grow with t.
  CHECK_THAT(value_of(cltv::models::probability_alive(btyd, {3, 20, 20, 1})),
             WithinAbs(1.0, 1e-12));
  for (double t : {1.0, 10.0, 52.0})
    CHECK_THAT(
        value_of(cltv::models::expected_purchases(btyd, t)),
        WithinRel(value_of(cltv::models::conditional_expected_purchases(btyd, {0, 0, 0, 1}, t)),
                  1e-12));
  double previous_alive = 2;
  for (double T : {31.0, 40.0, 60.0, 100.0}) {
    const double a = value_of(cltv::models::probability_alive(btyd, {2, 30.43, T, 1}));
    CHECK(a >= 0);
    CHECK(a < previous_alive);
    previous_alive = a;
  }
  double previous = 0;
  for (double t : {1.0, 5.0, 39.0, 200.0}) {
    const double e =
        value_of(cltv::models::conditional_expected_purchases(btyd, {2, 30.43, 38.86, 1}, t));
    CHECK(e > previous);
    previous = e;
  }
  // s = 1 exactly: the limit ln(1 + t/(β+T)) of the bracket, continuous.
  const double at1 =
      value_of(cltv::models::expected_purchases(pareto_nbd_params{0.5, 10, 1.0, 12}, 20));
  const double near1 =
      value_of(cltv::models::expected_purchases(pareto_nbd_params{0.5, 10, 1.0 + 1e-7, 12}, 20));
  CHECK_THAT(at1, WithinRel(near1, 1e-6));
  CHECK_THAT(at1, WithinRel(0.5 * 12 / 10 * std::log1p(20.0 / 12), 1e-12));
}

TEST_CASE("Pareto/NBD rejects bad parameters and a fit without repeats", "[pareto]") {
  CHECK_FALSE(
      cltv::models::probability_alive(pareto_nbd_params{0.5, -1, 1, 1}, rfm_tuple{1, 1, 2, 1})
          .has_value());
  CHECK_FALSE(cltv::models::expected_purchases(btyd, -1).has_value());
  CHECK_FALSE(cltv::models::conditional_expected_purchases(btyd, {1, 3, 2, 1}, 1).has_value());
  const std::vector<rfm_tuple> none{{0, 0, 10, 1}, {0, 0, 12, 1}};
  auto fit = cltv::models::fit_pareto_nbd(none);
  REQUIRE_FALSE(fit.has_value());
  CHECK(fit.error().field == "frequency");
}

TEST_CASE("Pareto/NBD recovers the parameters of simulated data", "[pareto]") {
  const pareto_nbd_params truth{0.55, 10.5, 0.6, 11.5};
  const std::vector<rfm_tuple> rows = simulate(truth, 50'000, 7);
  auto fit = cltv::models::fit_pareto_nbd(rows);
  if (!fit) FAIL(fit.error().message);
  // Each estimate within 4 standard errors of the truth.
  const std::pair<const cltv::models::parameter_estimate*, double> checks[] = {
      {&fit->r, truth.r}, {&fit->alpha, truth.alpha}, {&fit->s, truth.s}, {&fit->beta, truth.beta}};
  for (const auto& [estimate, true_value] : checks) {
    INFO("estimate " << estimate->value << " ± " << estimate->standard_error << ", truth "
                     << true_value);
    CHECK(std::abs(estimate->value - true_value) < 4 * estimate->standard_error);
  }
}

TEST_CASE("Pareto/NBD fit from a sketch reaches the plain fit's optimum", "[pareto]") {
  // 40,000 customers over up to 2,000 days, whole days: about 30,000
  // distinct tuples, so the fit starts from the sketch's optimum (a sample of
  // 10,000 on a coarse grid) and finishes with BFGS and a forward-difference
  // Hessian. The plain path here: L-BFGS on the mean negative log-likelihood
  // from r = s = 1, α = β = 1 / the purchase rate, and central differences.
  std::vector<rfm_tuple> rows =
      cltv_test::simulate(cltv::models::bgnbd_params{0.5, 60, 0.7, 3}, 40'000, 30, 2000, 11);
  double total_x = 0, total_T = 0;
  for (rfm_tuple& c : rows) {
    c.t_x = std::round(c.t_x);
    c.T = std::max(c.t_x, std::round(c.T));
    total_x += c.x;
    total_T += c.T;
  }
  const auto tuples = value_of(cltv::models::compress_rfm(rows));
  REQUIRE(tuples.size() > 20'000);
  const auto fit = value_of(cltv::models::fit_pareto_nbd(rows));
  CHECK(fit.report.converged);
  CHECK_THAT(fit.report.status, Catch::Matchers::Contains("BFGS"));  // the sketch's path ran

  const cltv::models::detail::pareto_nbd_data data(tuples);
  const double n = data.customers();
  const cltv::models::detail::objective mean_nll = [&](std::span<const double> v,
                                                       std::span<double> gradient) {
    const pareto_nbd_params p{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])};
    std::array<double, 4> g{};
    const double ll = data.log_likelihood(p, gradient.empty() ? std::span<double>{} : g);
    for (std::size_t i = 0; i < gradient.size(); ++i) gradient[i] = -g[i] / n;
    return std::isfinite(ll) ? -ll / n : 1e300;
  };
  const double scale = std::log(total_T / total_x);
  const auto plain = value_of(cltv::models::detail::minimize(mean_nll, {0, scale, 0, scale}));
  REQUIRE(plain.converged);
  CHECK_THAT(fit.report.log_likelihood, WithinRel(data.log_likelihood(fit.params, {}), 1e-13));
  // Both stop at a relative change in f of 1e-12, which does not bound the
  // distance to the optimum as tightly: 1e-10 apart.
  CHECK_THAT(-fit.report.log_likelihood, WithinRel(plain.value * n, 1e-10));
  std::vector<double> h = cltv::models::detail::hessian(mean_nll, plain.x);
  for (double& e : h) e *= n;
  const auto se = value_of(cltv::models::detail::standard_errors(h, 4));
  const std::array<const cltv::models::parameter_estimate*, 4> estimates{&fit.r, &fit.alpha, &fit.s,
                                                                         &fit.beta};
  for (std::size_t i = 0; i < 4; ++i) {
    INFO("parameter " << i << ": " << estimates[i]->value << " against " << std::exp(plain.x[i]));
    // Within a hundredth of a standard error of each other (both stop at a
    // relative change in f of 1e-12; along the flat s-β ridge that allows this).
    CHECK(std::abs(std::log(estimates[i]->value) - plain.x[i]) < 1e-2 * se[i]);
    // Standard errors of ln θ from the two Hessians, to 1e-3.
    CHECK_THAT(estimates[i]->standard_error / estimates[i]->value, WithinRel(se[i], 1e-3));
  }
}

TEST_CASE("Pareto/NBD fit says when it degenerates to one dropout rate", "[pareto]") {
  // Every customer drops out at μ = 0.02 a week: s and β run off together. In
  // about half of such samples the maximum is on that boundary (in the rest a
  // finite s fits a little better by chance); seed 2 is one on the boundary.
  const double mu = 0.02;
  const pareto_nbd_params truth{0.55, 10.5, 1, 1};  // s, β unused
  const std::vector<rfm_tuple> rows = simulate(truth, 20'000, 2, mu);
  auto fit = cltv::models::fit_pareto_nbd(rows);
  if (!fit) FAIL(fit.error().message);
  INFO(fit->report.degenerate);
  CHECK_THAT(fit->report.degenerate, Catch::Matchers::Contains("same dropout rate mu = s/beta"));
  CHECK(fit->params.s == 1e12);
  CHECK(std::isnan(fit->s.standard_error));
  CHECK(std::isnan(fit->beta.standard_error));
  CHECK_THAT(fit->params.s / fit->params.beta, WithinRel(mu, 0.15));
  for (const auto& [estimate, true_value] :
       {std::pair{fit->r, truth.r}, std::pair{fit->alpha, truth.alpha}}) {
    INFO("estimate " << estimate.value << " ± " << estimate.standard_error << ", truth "
                     << true_value);
    CHECK(std::abs(estimate.value - true_value) < 4 * estimate.standard_error);
  }
  // The limit's likelihood is the model's there: predictions work with it.
  CHECK_THAT(value_of(cltv::models::log_likelihood(fit->params, rows)),
             WithinRel(fit->report.log_likelihood, 1e-12));
  CHECK(value_of(cltv::models::probability_alive(fit->params, rfm_tuple{2, 10, 60, 1})) < 0.5);
}

TEST_CASE("Pareto/NBD per-period purchases add up, and value a customer", "[pareto]") {
  const rfm_tuple customer{2, 30.43, 38.86, 1};
  const auto periods = value_of(cltv::models::expected_purchases_by_period(btyd, customer, 12, 4));
  REQUIRE(periods.size() == 12);
  double sum = 0;
  for (double p : periods) {
    CHECK(p >= 0);
    sum += p;
  }
  CHECK_THAT(
      sum,
      WithinRel(value_of(cltv::models::conditional_expected_purchases(btyd, customer, 48)), 1e-12));
  // CLV at no discount and full margin: spend × the purchases of the horizon;
  // a discount lowers it, a longer horizon raises it.
  cltv::models::clv_options options;
  options.months = 12;
  options.periods_per_month = 4;
  const auto v = value_of(cltv::models::customer_lifetime_value(btyd, customer, 25.0, options));
  CHECK_THAT(v.clv, WithinRel(25.0 * sum, 1e-12));
  CHECK_THAT(v.probability_alive,
             WithinRel(value_of(cltv::models::probability_alive(btyd, customer)), 1e-15));
  options.discount_rate = 0.01;
  CHECK(value_of(cltv::models::customer_lifetime_value(btyd, customer, 25.0, options)).clv < v.clv);
  options.discount_rate = 0;
  options.months = 24;
  CHECK(value_of(cltv::models::customer_lifetime_value(btyd, customer, 25.0, options)).clv > v.clv);
}

namespace {

// Σ_n P(n) = 1 and Σ_n n P(n) = `mean` over a PMF long enough for its tail.
void check_distribution(const std::vector<double>& pmf, double mean) {
  double total = 0, first_moment = 0;
  for (std::size_t n = 0; n < pmf.size(); ++n) {
    CHECK(pmf[n] >= 0);
    CHECK(pmf[n] <= 1);
    total += pmf[n];
    first_moment += static_cast<double>(n) * pmf[n];
  }
  CHECK_THAT(total, WithinAbs(1.0, 1e-10));
  CHECK_THAT(first_moment, WithinRel(mean, 1e-8));
}

}  // namespace

TEST_CASE("Pareto/NBD P(X(t) = n) sums to 1 and its mean is E[X(t)]", "[pareto]") {
  for (const pareto_nbd_params& p :
       {btyd, pareto_nbd_params{2.0, 3.0, 1.7, 0.4}, pareto_nbd_params{0.5, 10.0, 3.0, 20.0}})
    for (double t : {0.5, 39.0, 150.0}) {
      INFO("r " << p.r << " alpha " << p.alpha << " s " << p.s << " beta " << p.beta << " t " << t);
      const auto pmf = value_of(cltv::models::probabilities_of_purchases(p, t, 6000));
      check_distribution(pmf, value_of(cltv::models::expected_purchases(p, t)));
      // The panels settle on all of 0..n_max at once: equal to the settling tolerance.
      CHECK_THAT(value_of(cltv::models::probability_of_purchases(p, t, 7)),
                 WithinRel(pmf[7], 1e-11));
    }
  CHECK(value_of(cltv::models::probability_of_purchases(btyd, 0, 0)) == 1);
  CHECK(value_of(cltv::models::probability_of_purchases(btyd, 0, 2)) == 0);
  CHECK_FALSE(cltv::models::probability_of_purchases(btyd, 1, -1).has_value());
  CHECK_FALSE(cltv::models::probability_of_purchases(btyd, -1, 0).has_value());
}

TEST_CASE("Pareto/NBD P(X(t) = n) agrees with a simulation of the model", "[pareto]") {
  // Independent of the quadrature: draw λ, μ, the lifetime and the Poisson
  // count up to min(lifetime, t); 400,000 new customers at CDNOW's estimates.
  const double t = 39;
  std::mt19937_64 rng(1987);
  std::gamma_distribution<double> rate(btyd.r, 1 / btyd.alpha);
  std::gamma_distribution<double> dropout(btyd.s, 1 / btyd.beta);
  constexpr int draws = 400000;
  std::vector<int> counts(4, 0);
  for (int i = 0; i < draws; ++i) {
    const double lambda = rate(rng);
    const double lifetime = std::exponential_distribution<double>(dropout(rng))(rng);
    const auto n = std::poisson_distribution<long>(lambda * std::min(lifetime, t))(rng);
    if (n < 4) ++counts[static_cast<std::size_t>(n)];
  }
  const auto pmf = value_of(cltv::models::probabilities_of_purchases(btyd, t, 3));
  for (std::size_t n = 0; n < 4; ++n) {
    const double share = counts[n] / static_cast<double>(draws);
    const double sigma = std::sqrt(pmf[n] * (1 - pmf[n]) / draws);
    INFO("n = " << n << ": simulated " << share << ", model " << pmf[n]);
    CHECK(std::abs(share - pmf[n]) < 5 * sigma);
  }
}

TEST_CASE("Pareto/NBD P(Y(t) = n | history) sums to 1 with the conditional mean", "[pareto]") {
  for (const rfm_tuple& c : {rfm_tuple{2, 30.43, 38.86, 1}, rfm_tuple{0, 0, 38.86, 1},
                             rfm_tuple{30, 10, 60, 1}, rfm_tuple{7, 35, 36, 1}})
    for (double t : {1.0, 39.0, 100.0}) {
      INFO("x " << c.x << " t_x " << c.t_x << " T " << c.T << " t " << t);
      const auto pmf =
          value_of(cltv::models::conditional_probabilities_of_purchases(btyd, c, t, 6000));
      check_distribution(pmf, value_of(cltv::models::conditional_expected_purchases(btyd, c, t)));
      // A dead customer buys nothing: P(0) is at least P(dead).
      CHECK(pmf[0] >= 1 - value_of(cltv::models::probability_alive(btyd, c)));
      CHECK_THAT(value_of(cltv::models::conditional_probability_of_purchases(btyd, c, t, 3)),
                 WithinRel(pmf[3], 1e-11));
    }
  CHECK_FALSE(
      cltv::models::conditional_probabilities_of_purchases(btyd, {2, 40, 38, 1}, 1, 3).has_value());
}
