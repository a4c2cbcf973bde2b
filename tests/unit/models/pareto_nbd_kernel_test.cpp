// Tests of src/models/pareto_nbd_kernel.hpp (tag [pareto]): the quadrature
// likelihood against Fader & Hardie's closed form with 2F1 ("A note on
// deriving the Pareto/NBD model and related expressions", 2005, eqs. 22–23),
// summed here by its own power series in long double; the exact gradient
// against differences; and the common-dropout limit against Simpson's rule.

#include "models/pareto_nbd_kernel.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::pareto_nbd_params;
using cltv::models::rfm_tuple;
using cltv::models::detail::pareto_nbd_customer_log_likelihood;
using cltv::models::detail::pareto_nbd_data;
using cltv::models::detail::pareto_nbd_log_dead_odds;

namespace {

// ln 2F1(a, b; c; z), 0 ≤ z < 1, by its series in long double.
long double log_hyp2f1_series(long double a, long double b, long double c, long double z) {
  long double term = 1, sum = 1;
  for (int k = 0; k < 100000; ++k) {
    term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
    sum += term;
    if (term < 1e-22L * sum) break;
  }
  return std::log(sum);
}

// One customer's log-likelihood by Fader & Hardie (2005), eq. 22 with A₀ of
// eq. 23: the branch with the larger of α, β in the 2F1 argument.
double reference_log_likelihood(const pareto_nbd_params& p, const rfm_tuple& c) {
  const long double r = p.r, alpha = p.alpha, s = p.s, beta = p.beta, x = c.x;
  const long double rho = r + s + x;
  const bool alpha_larger = alpha >= beta;
  const long double larger = alpha_larger ? alpha : beta;
  const long double b2 = alpha_larger ? s + 1 : r + x;
  const auto log_f = [&](long double t) {
    return log_hyp2f1_series(rho, b2, rho + 1, std::fabs(alpha - beta) / (larger + t)) -
           rho * std::log(larger + t);
  };
  const long double first = -(r + x) * std::log(alpha + c.T) - s * std::log(beta + c.T);
  long double bracket = std::exp(first);
  if (c.T > c.t_x) {
    const long double upper = log_f(c.t_x), lower = log_f(c.T);
    bracket += s / rho * std::exp(upper) * -std::expm1(lower - upper);
  }
  return static_cast<double>(std::lgamma(r + x) - std::lgamma(r) + r * std::log(alpha) +
                             s * std::log(beta) + std::log(bracket));
}

const std::vector<pareto_nbd_params> parameter_sets{
    {0.5534, 10.5802, 0.6061, 11.6562},  // BTYD's CDNOW estimates (weeks)
    {0.5, 70, 0.6, 200},                 // days, α < β
    {2, 1, 3, 2},
    {0.3, 5, 4, 1},  // β the smaller, s large
    {0.8, 3, 0.2, 9}};

const std::vector<rfm_tuple> customers{{0, 0, 39, 1},     {2, 30.43, 38.86, 1}, {1, 0.5, 40, 1},
                                       {10, 20, 39, 1},   {3, 1, 1.5, 1},       {7, 35, 36, 1},
                                       {25, 300, 900, 1}, {120, 1500, 2000, 1}, {4, 12, 12, 1}};

}  // namespace

TEST_CASE("Pareto/NBD quadrature equals the 2F1 closed form", "[pareto]") {
  for (const pareto_nbd_params& p : parameter_sets) {
    for (const rfm_tuple& c : customers) {
      CAPTURE(p.r, p.alpha, p.s, p.beta, c.x, c.t_x, c.T);
      const double expected = reference_log_likelihood(p, c);
      CHECK_THAT(pareto_nbd_customer_log_likelihood(p, c), WithinRel(expected, 1e-12));
    }
  }
}

TEST_CASE("Pareto/NBD grouped likelihood is the sum of its customers'", "[pareto]") {
  // Several customers per frequency and shared times: the suffix sums over
  // the gaps between a group's times must give each customer's integral.
  std::vector<rfm_tuple> rows;
  for (double x : {0.0, 1.0, 2.0, 7.0})
    for (double T : {10.0, 38.0, 39.0, 120.0})
      for (double t_x : {0.0, 0.5, 9.0, 10.0, 37.0, 100.0})
        if (t_x <= T && (x > 0 || t_x == 0)) rows.push_back({x, t_x, T, 1 + x});
  // Also with whole times only (their slots come from a table, not a sort),
  // and with the rows not in frequency order (they are grouped first).
  std::vector<rfm_tuple> whole;
  for (const rfm_tuple& c : rows)
    if (c.t_x != 0.5) whole.push_back(c);
  std::vector<rfm_tuple> shuffled(rows.rbegin(), rows.rend());
  std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
  for (const auto* set : {&rows, &whole, &shuffled})
    for (const pareto_nbd_params& p : parameter_sets) {
      double expected = 0;
      for (const rfm_tuple& c : *set) expected += c.count * reference_log_likelihood(p, c);
      CAPTURE(set->size(), p.r, p.alpha, p.s, p.beta);
      CHECK_THAT(pareto_nbd_data(*set).log_likelihood(p, {}), WithinRel(expected, 1e-12));
    }
}

TEST_CASE("Pareto/NBD gradient equals differences of the likelihood", "[pareto]") {
  const std::vector<rfm_tuple> rows{{0, 0, 39, 800},       {1, 2, 39, 120}, {1, 30, 38, 60},
                                    {2, 30.43, 38.86, 40}, {5, 20, 39, 10}, {5, 38, 39, 7},
                                    {12, 35, 37, 2}};
  const pareto_nbd_data data(rows);
  for (const pareto_nbd_params& p : parameter_sets) {
    std::array<double, 4> gradient{};
    (void)data.log_likelihood(p, gradient);
    const std::array<double, 4> log_p{std::log(p.r), std::log(p.alpha), std::log(p.s),
                                      std::log(p.beta)};
    for (std::size_t i = 0; i < 4; ++i) {
      constexpr double h = 1e-5;
      auto up = log_p, down = log_p;
      up[i] += h;
      down[i] -= h;
      const auto at = [&](const std::array<double, 4>& v) {
        return data.log_likelihood({std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3])},
                                   {});
      };
      const double difference = (at(up) - at(down)) / (2 * h);
      CAPTURE(p.r, p.alpha, p.s, p.beta, i);
      CHECK_THAT(gradient[i], WithinAbs(difference, 1e-6 * (1 + std::abs(difference))));
    }
  }
}

TEST_CASE("Pareto/NBD at a huge s is the common-dropout model", "[pareto]") {
  // s = 1e12, β = s/μ: every customer drops out at rate μ. The likelihood is
  // then Γ(r+x)/Γ(r) α^r [ (α+T)^−(r+x) e^{−μT} + μ ∫ (α+τ)^−(r+x) e^{−μτ} dτ ],
  // here by Simpson's rule in long double.
  const double r = 0.5, alpha = 70, mu = 0.003;
  const pareto_nbd_params p{r, alpha, 1e12, 1e12 / mu};
  for (const rfm_tuple& c : {rfm_tuple{0, 0, 800, 1}, rfm_tuple{3, 400, 1500, 1},
                             rfm_tuple{30, 1200, 1990, 1}, rfm_tuple{1, 5, 6, 1}}) {
    const long double rx = r + c.x;
    const auto f = [&](long double tau) {
      return std::pow(alpha + tau, -rx) * std::exp(-static_cast<long double>(mu) * tau);
    };
    const int n = 200000;
    const long double h = (c.T - c.t_x) / n;
    long double integral = f(c.t_x) + f(c.T);
    for (int i = 1; i < n; ++i) integral += (i % 2 == 1 ? 4 : 2) * f(c.t_x + i * h);
    integral *= h / 3;
    const long double bracket = std::pow(alpha + c.T, -rx) * std::exp(-mu * c.T) + mu * integral;
    const long double lr = r, lalpha = alpha;
    const double expected = static_cast<double>(std::lgamma(rx) - std::lgamma(lr) +
                                                lr * std::log(lalpha) + std::log(bracket));
    CAPTURE(c.x, c.t_x, c.T);
    CHECK_THAT(pareto_nbd_customer_log_likelihood(p, c), WithinRel(expected, 1e-10));
    CHECK_THAT(pareto_nbd_data({&c, 1}).log_likelihood(p, {}), WithinRel(expected, 1e-10));
  }
}

TEST_CASE("Pareto/NBD dead odds: none without silence, finite far out", "[pareto]") {
  const pareto_nbd_params p{0.5534, 10.5802, 0.6061, 11.6562};
  CHECK(std::isinf(pareto_nbd_log_dead_odds(p, {4, 12, 12, 1})));
  // Long silences of heavy buyers: the integrand vanishes within the first
  // pieces; the odds stay finite and large (dead).
  const double odds = pareto_nbd_log_dead_odds(p, {300, 1, 5000, 1});
  CHECK(std::isfinite(odds));
  CHECK(odds > 100);
  // Where α and β are 10^9 apart (the old 2F1 series needed ~10^10 terms).
  CHECK(std::isfinite(pareto_nbd_customer_log_likelihood({0.5, 1e-4, 0.6, 1e5}, {2, 30, 39, 1})));
}
