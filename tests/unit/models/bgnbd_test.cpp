// Tests of the internal optimiser (src/models/optimize.hpp, tag [optimize])
// and of cltv/models/bgnbd.hpp (tag [bgnbd]).
// Reference numbers: ../shared/reference/models.md (FHL 2005 on CDNOW); the
// CDNOW cases read ../shared/data/cdnow_customers_summary.csv at test time and
// are skipped, with a warning, when it is absent (tag [cdnow]).

#include "cltv/models/bgnbd.hpp"

#include <catch2/catch.hpp>

#include "cdnow_summary.hpp"
#include "test_support.hpp"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <boost/math/quadrature/tanh_sinh.hpp>
#include <boost/math/special_functions/beta.hpp>

#include "models/bgnbd_kernel.hpp"
#include "models/bgnbd_likelihood.hpp"
#include "models/optimize.hpp"

using Catch::Matchers::Contains;
using Catch::Matchers::Equals;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::bgnbd_params;
using cltv::models::bgnbd_variant;
using cltv::models::rfm_tuple;
namespace detail = cltv::models::detail;

namespace {

// ---------------------------------------------------------------------------
// Optimiser test problems.

// Rosenbrock: f = (1 − x)² + 100 (y − x²)², minimum 0 at (1, 1).
double rosenbrock(std::span<const double> v, std::span<double> g) {
  const double x = v[0], y = v[1];
  if (!g.empty()) {
    g[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g[1] = 200 * (y - x * x);
  }
  return (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x);
}

// f = ½ (v − m)ᵀ A (v − m) with A = [[4, 1], [1, 3]], m = (1, −2).
double quadratic(std::span<const double> v, std::span<double> g) {
  const double d0 = v[0] - 1, d1 = v[1] + 2;
  if (!g.empty()) {
    g[0] = 4 * d0 + d1;
    g[1] = d0 + 3 * d1;
  }
  return 0.5 * (4 * d0 * d0 + 2 * d0 * d1 + 3 * d1 * d1);
}

// ---------------------------------------------------------------------------
// CDNOW data.

using cltv_test::read_cdnow_summary;
using cltv_test::shared_dir;

// The published MLE, rounded (FHL 2005; models.md).
constexpr bgnbd_params published{0.243, 4.414, 0.793, 2.426};

using cltv_test::simulate;

template <typename T>
T value_of(const cltv::result<T>& r) {
  REQUIRE(r.has_value());
  return *r;
}

// Σ_n P(X(t) = n) = 1 and Σ_n n P(X(t) = n) = E[X(t)]: the incomplete-beta
// form (eq. 8) against the 2F1 form (eq. 7), independent formulas. Returns
// E[X(t)].
double check_purchase_distribution(const bgnbd_params& p, double t) {
  double total = 0, mean = 0;
  for (int n = 0; n < 3000; ++n) {
    const double pn = value_of(cltv::models::probability_of_purchases(p, t, n));
    total += pn;
    mean += n * pn;
  }
  INFO("r = " << p.r << ", alpha = " << p.alpha << ", a = " << p.a << ", b = " << p.b
              << ", t = " << t);
  CHECK_THAT(total, WithinAbs(1.0, 1e-10));
  const double expected = value_of(cltv::models::expected_purchases(p, t));
  CHECK_THAT(mean, WithinRel(expected, 1e-9));
  return expected;
}

}  // namespace

// ===========================================================================
// The optimiser.

TEST_CASE("minimize finds the Rosenbrock minimum with the exact gradient", "[optimize]") {
  auto m = detail::minimize(rosenbrock, {-1.2, 1.0});
  REQUIRE(m.has_value());
  CHECK(m->converged);
  CHECK_THAT(m->x[0], WithinAbs(1.0, 1e-6));  // the minimum is (1, 1), f = 0
  CHECK_THAT(m->x[1], WithinAbs(1.0, 1e-6));
  CHECK_THAT(m->value, WithinAbs(0.0, 1e-12));
  CHECK(m->evaluations > 0);
  CHECK_THAT(m->status, Contains("converged"));
}

TEST_CASE("a quadratic: its minimum, Hessian and standard errors", "[optimize]") {
  auto m = detail::minimize(quadratic, {0.0, 0.0});
  REQUIRE(m.has_value());
  CHECK(m->converged);
  CHECK_THAT(m->x[0], WithinAbs(1.0, 1e-7));
  CHECK_THAT(m->x[1], WithinAbs(-2.0, 1e-7));

  const std::vector<double> h = detail::hessian(quadratic, m->x);
  REQUIRE(h.size() == 4);
  // Central differences are exact on a quadratic up to rounding: A = [[4, 1], [1, 3]].
  CHECK_THAT(h[0], WithinAbs(4.0, 1e-8));
  CHECK_THAT(h[1], WithinAbs(1.0, 1e-8));
  CHECK_THAT(h[2], WithinAbs(1.0, 1e-8));
  CHECK_THAT(h[3], WithinAbs(3.0, 1e-8));

  auto se = detail::standard_errors(h, 2);
  REQUIRE(se.has_value());
  // A⁻¹ = [[3, −1], [−1, 4]] / 11 (det 4·3 − 1·1 = 11): se = √(3/11), √(4/11).
  CHECK_THAT((*se)[0], WithinRel(std::sqrt(3.0 / 11.0), 1e-8));
  CHECK_THAT((*se)[1], WithinRel(std::sqrt(4.0 / 11.0), 1e-8));
}

TEST_CASE("standard_errors refuses a Hessian that is not positive definite", "[optimize]") {
  const std::vector<double> saddle{1, 2, 2, 1};  // eigenvalues 3 and −1
  auto se = detail::standard_errors(saddle, 2);
  REQUIRE_FALSE(se.has_value());
  CHECK_THAT(se.error().message, Contains("not negative definite"));
  auto wrong_size = detail::standard_errors(saddle, 3);
  REQUIRE_FALSE(wrong_size.has_value());
  CHECK_THAT(wrong_size.error().message, Equals("the Hessian has 4 entries, expected 9"));
}

TEST_CASE("minimize_near: BFGS from a rough inverse Hessian, near the minimum", "[optimize]") {
  // The quadratic's inverse Hessian is [[3, −1], [−1, 4]] / 11; start from a
  // rough guess of it (the identity over 4) a little way off the minimum.
  auto m = detail::minimize_near(quadratic, {1.3, -2.4}, {0.25, 0, 0, 0.25});
  REQUIRE(m.has_value());
  CHECK(m->converged);
  CHECK_THAT(m->x[0], WithinAbs(1.0, 1e-6));
  CHECK_THAT(m->x[1], WithinAbs(-2.0, 1e-6));
  CHECK(m->evaluations < 12);
  CHECK_THAT(m->status, Contains("BFGS"));
  REQUIRE(m->gradient.size() == 2);  // kept, for the forward-difference Hessian
  CHECK_THAT(m->gradient[0], WithinAbs(0.0, 1e-5));

  // Rosenbrock from near its minimum, with its inverse Hessian there:
  // H(1, 1) = [[802, −400], [−400, 200]], H⁻¹ = [[0.5, 1], [1, 2.005]].
  auto r = detail::minimize_near(rosenbrock, {1.02, 1.03}, {0.5, 1, 1, 2.005}, {});
  REQUIRE(r.has_value());
  CHECK(r->converged);
  CHECK_THAT(r->x[0], WithinAbs(1.0, 1e-5));
  CHECK_THAT(r->x[1], WithinAbs(1.0, 1e-5));

  // An estimate 30 times too large: its steps overshoot and are halved, and
  // a halved step's small fall is not taken for convergence.
  auto overshooting = detail::minimize_near(quadratic, {1.3, -2.4}, {10, 0, 0, 10});
  REQUIRE(overshooting.has_value());
  CHECK(overshooting->converged);
  CHECK_THAT(overshooting->x[0], WithinAbs(1.0, 1e-6));
  CHECK_THAT(overshooting->x[1], WithinAbs(-2.0, 1e-6));

  // An estimate that is not positive definite: no step, and it says so.
  auto bad = detail::minimize_near(quadratic, {1.3, -2.4}, {-1, 0, 0, -1}, {});
  REQUIRE(bad.has_value());
  CHECK_FALSE(bad->converged);
  CHECK_THAT(bad->status, Contains("not positive definite"));
  // A budget too small to converge: unconverged, for minimize() to go on from.
  auto short_budget =
      detail::minimize_near(rosenbrock, {-1.2, 1.0}, {1, 0, 0, 1}, {.max_evaluations = 3});
  REQUIRE(short_budget.has_value());
  CHECK_FALSE(short_budget->converged);
  CHECK(short_budget->evaluations <= 3);
  CHECK_FALSE(detail::minimize_near(quadratic, {1.0, 2.0}, {1}, {}).has_value());  // not 2×2
}

TEST_CASE("the forward-difference Hessian from a known gradient", "[optimize]") {
  const std::vector<double> x{0.7, -1.1};
  std::vector<double> g(2);
  (void)quadratic(x, g);
  const std::vector<double> h = detail::hessian(quadratic, x, g);
  REQUIRE(h.size() == 4);
  // Exact on a quadratic but for rounding: A = [[4, 1], [1, 3]].
  CHECK_THAT(h[0], WithinAbs(4.0, 1e-6));
  CHECK_THAT(h[1], WithinAbs(1.0, 1e-6));
  CHECK_THAT(h[2], WithinAbs(1.0, 1e-6));
  CHECK_THAT(h[3], WithinAbs(3.0, 1e-6));
  // On Rosenbrock, against the central differences: O(√ε) apart.
  const std::vector<double> y{0.9, 0.8};
  (void)rosenbrock(y, g);
  const std::vector<double> forward = detail::hessian(rosenbrock, y, g);
  const std::vector<double> central = detail::hessian(rosenbrock, y);
  for (std::size_t i = 0; i < 4; ++i) CHECK_THAT(forward[i], WithinRel(central[i], 1e-6));
}

TEST_CASE("estimates_from_hessian gives every estimate, with standard errors when it can",
          "[optimize]") {
  const std::vector<double> x{0.0, std::log(2.0)};  // θ = (1, 2)
  SECTION("a positive definite Hessian: errors and intervals") {
    cltv::models::fit_report report;
    const std::vector<double> h{4, 1, 1, 3};
    const auto e = detail::estimates_from_hessian(x, h, report);
    REQUIRE(e.size() == 2);
    CHECK(report.standard_errors_missing.empty());
    // se(ln θ) = √(3/11), √(4/11) (the inverse above); se(θ) = θ · se(ln θ).
    CHECK_THAT(e[0].value, WithinRel(1.0, 1e-15));
    CHECK_THAT(e[0].standard_error, WithinRel(std::sqrt(3.0 / 11.0), 1e-12));
    CHECK_THAT(e[1].value, WithinRel(2.0, 1e-15));
    CHECK_THAT(e[1].standard_error, WithinRel(2 * std::sqrt(4.0 / 11.0), 1e-12));
    // exp(ln 2 ± 1.959964 · √(4/11)) = 2 · e^±1.181886 = 0.6134, 6.5210.
    CHECK_THAT(e[1].lower_95,
               WithinRel(2 * std::exp(-1.959963984540054 * std::sqrt(4.0 / 11.0)), 1e-12));
  }
  SECTION("a saddle: the estimates without errors, and why") {
    cltv::models::fit_report report;
    const std::vector<double> saddle{1, 2, 2, 1};  // eigenvalues 3 and −1
    const auto e = detail::estimates_from_hessian(x, saddle, report);
    REQUIRE(e.size() == 2);
    CHECK_THAT(e[0].value, WithinRel(1.0, 1e-15));
    CHECK_THAT(e[1].value, WithinRel(2.0, 1e-15));
    for (const auto& estimate : e) {
      CHECK(std::isnan(estimate.standard_error));
      CHECK(std::isnan(estimate.lower_95));
      CHECK(std::isnan(estimate.upper_95));
    }
    CHECK_THAT(report.standard_errors_missing,
               Equals("the log-likelihood is flat or saddle-shaped at the estimate (its Hessian is "
                      "not negative definite: Cholesky pivot 1 is not positive)"));
  }
}

TEST_CASE("minimize reports a NaN objective as an error, not a result", "[optimize]") {
  const detail::objective bad = [](std::span<const double> v, std::span<double> g) {
    for (double& gi : g) gi = 1;
    return v[0] < -0.5 ? std::nan("") : v[0];  // NaN after the first step down
  };
  auto m = detail::minimize(bad, {0.0});
  REQUIRE_FALSE(m.has_value());
  CHECK_THAT(m.error().message, Contains("not finite"));
}

TEST_CASE("stopping at max_evaluations is a result with converged = false", "[optimize]") {
  detail::minimize_options options;
  options.max_evaluations = 5;
  auto m = detail::minimize(rosenbrock, {-1.2, 1.0}, options);
  REQUIRE(m.has_value());
  CHECK_FALSE(m->converged);
  // NLopt's L-BFGS checks the limit between iterations: the line search in
  // progress may run a few evaluations past it.
  CHECK(m->evaluations < 5 + 10);
  CHECK_THAT(m->status, Contains("not converged"));
}

// ===========================================================================
// BG/NBD on CDNOW (FHL 2005; models.md).

TEST_CASE("BG/NBD fit on CDNOW reproduces the published MLE", "[bgnbd][cdnow]") {
  const std::vector<rfm_tuple> rows = read_cdnow_summary();
  if (rows.empty()) {
    WARN("skipped: " << (shared_dir() / "data/cdnow_customers_summary.csv").string()
                     << " not found (set CLTV_SHARED_DIR to the shared data directory)");
    return;
  }
  REQUIRE(rows.size() == 2357);  // models.md: 2,357 customers

  const auto start = std::chrono::steady_clock::now();
  auto fit = cltv::models::fit_bgnbd(rows);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!fit) FAIL(fit.error().message);
  INFO("fit took " << seconds << " s, " << fit->report.evaluations << " evaluations, "
                   << fit->report.unique_tuples << " unique tuples; " << fit->report.status);

  SECTION("parameters and log-likelihood") {
    // Published MLE r = 0.243, α = 4.414, a = 0.793, b = 2.426 (±0.001), LL = −9582.4.
    CHECK_THAT(fit->params.r, WithinAbs(0.243, 0.001));
    CHECK_THAT(fit->params.alpha, WithinAbs(4.414, 0.001));
    CHECK_THAT(fit->params.a, WithinAbs(0.793, 0.001));
    CHECK_THAT(fit->params.b, WithinAbs(2.426, 0.001));
    CHECK_THAT(fit->report.log_likelihood, WithinAbs(-9582.4, 0.05));
    CHECK(fit->report.converged);
    CHECK(fit->report.customers == 2357);
    CHECK(fit->report.unique_tuples < 2357);
    // The estimates carry positive standard errors and intervals around them.
    for (const auto* e : {&fit->r, &fit->alpha, &fit->a, &fit->b}) {
      CHECK(e->standard_error > 0);
      CHECK(e->lower_95 < e->value);
      CHECK(e->value < e->upper_95);
    }
    CHECK(fit->r.value == fit->params.r);
    // log_likelihood() agrees with the fit's own report.
    CHECK_THAT(value_of(cltv::models::log_likelihood(fit->params, rows)),
               WithinRel(fit->report.log_likelihood, 1e-12));
  }

  SECTION("the worked example: x = 2, t_x = 30.43, T = 38.86 expects 1.226 in 39 weeks") {
    const double e = value_of(
        cltv::models::conditional_expected_purchases(fit->params, {2, 30.43, 38.86, 1}, 39));
    CHECK_THAT(e, WithinAbs(1.226, 0.001));  // FHL 2005, models.md
  }

  SECTION("unconditional E[X(t)] at the full-precision MLE") {
    // Hardie's spreadsheet, as tested by lifetimes (models.md), ±0.001.
    const std::vector<std::pair<double, double>> expected{
        {0.1429, 0.0078}, {1, 0.0532}, {3, 0.1506}, {31.8571, 1.0405}, {32, 1.0437}, {78, 1.8576}};
    for (const auto& [t, e] : expected) {
      INFO("t = " << t);
      CHECK_THAT(value_of(cltv::models::expected_purchases(fit->params, t)), WithinAbs(e, 0.001));
    }
  }
}

TEST_CASE("BG/NBD log-likelihood at the published CDNOW parameters", "[bgnbd][cdnow]") {
  const std::vector<rfm_tuple> rows = read_cdnow_summary();
  if (rows.empty()) {
    WARN("skipped: " << (shared_dir() / "data/cdnow_customers_summary.csv").string()
                     << " not found (set CLTV_SHARED_DIR to the shared data directory)");
    return;
  }
  // At the rounded MLE the LL is within rounding of the published −9582.4.
  CHECK_THAT(value_of(cltv::models::log_likelihood(published, rows)), WithinAbs(-9582.4, 0.1));
}

// ===========================================================================
// Predictions without data.

TEST_CASE("P(X(t) = n) at the rounded CDNOW parameters", "[bgnbd]") {
  // BTYD's values, as tested by lifetimes (models.md), at exactly (0.243, 4.414, 0.793, 2.426).
  CHECK_THAT(value_of(cltv::models::probability_of_purchases(published, 39, 0)),
             WithinAbs(0.5737864, 1e-7));
  CHECK_THAT(value_of(cltv::models::probability_of_purchases(published, 2, 10)),
             WithinRel(1.07869e-07, 1e-5));
  CHECK(value_of(cltv::models::probability_of_purchases(published, 0, 0)) == 1);
  CHECK(value_of(cltv::models::probability_of_purchases(published, 0, 3)) == 0);
  CHECK_FALSE(cltv::models::probability_of_purchases(published, 1, -1).has_value());
}

TEST_CASE("P(X(t) = n) sums to 1 and its mean is E[X(t)]", "[bgnbd]") {
  for (const bgnbd_params& p :
       {published, bgnbd_params{2.0, 3.0, 1.7, 0.4}, bgnbd_params{0.5, 10.0, 0.3, 0.5}})
    for (double t : {1.0, 10.0, 39.0}) (void)check_purchase_distribution(p, t);
}

TEST_CASE("P(alive) of a frequent buyer long silent is 0, without overflow", "[bgnbd]") {
  // lifetimes' robustness case (models.md): x = 1000, t_x = 10, T = 100.
  const double p = value_of(cltv::models::probability_alive(published, {1000, 10, 100, 1}));
  CHECK(p == 0);
  CHECK(value_of(cltv::models::probability_alive(published, {0, 0, 100, 1})) ==
        1);  // no repeat: alive
  // Bought just now: the dead-odds a/(b+x−1) = 0.793/3.426 give 1/(1 + 0.2315) = 0.8120.
  CHECK_THAT(value_of(cltv::models::probability_alive(published, {2, 50, 50, 1})),
             WithinAbs(1 / (1 + 0.793 / 3.426), 1e-12));
}

TEST_CASE("predictions are continuous across a = 1 and the 2F1 branch at a + b = 1.5", "[bgnbd]") {
  // a = 1 is a removable 0/0 of eq. 7; a + b − 1 = 0.5 switches the series.
  for (double t : {0.5, 5.0, 80.0}) {
    INFO("t = " << t);
    const double at1 = value_of(cltv::models::expected_purchases({0.3, 4.0, 1.0, 2.0}, t));
    const double near1 = value_of(cltv::models::expected_purchases({0.3, 4.0, 1.0 + 1e-4, 2.0}, t));
    const double far1 = value_of(cltv::models::expected_purchases({0.3, 4.0, 1.0 + 1e-3, 2.0}, t));
    CHECK_THAT(at1, WithinRel(near1, 1e-4));
    CHECK_THAT(near1, WithinRel(far1, 1e-3));
    const double below = value_of(cltv::models::expected_purchases({0.3, 4.0, 0.7, 0.8 - 1e-9}, t));
    const double above = value_of(cltv::models::expected_purchases({0.3, 4.0, 0.7, 0.8 + 1e-9}, t));
    CHECK_THAT(below, WithinRel(above, 1e-7));
  }
  // a + b < 1: C = a + b − 1 < 0, still finite and positive.
  const double e = value_of(cltv::models::expected_purchases({0.3, 4.0, 0.3, 0.2}, 10));
  CHECK(std::isfinite(e));
  CHECK(e > 0);
}

TEST_CASE("extreme rows give finite likelihoods, gradients and predictions", "[bgnbd]") {
  // x = 300, T = 10,000, recency 0 and recency = T.
  const std::vector<rfm_tuple> rows{{300, 9000, 10000, 1}, {300, 10000, 10000, 1}, {5, 0, 10000, 1},
                                    {1, 10000, 10000, 1},  {0, 0, 10000, 1},       {0, 0, 1e-6, 1},
                                    {1000, 10, 100, 1},    {1, 1e-9, 1e-9, 1}};
  for (const bgnbd_params& p :
       {published, bgnbd_params{1e-3, 1e-3, 1e-3, 1e-3}, bgnbd_params{1e3, 1e3, 1e3, 1e3},
        bgnbd_params{50, 0.01, 0.1, 80}}) {
    auto g = detail::bgnbd_log_likelihood_gradient(p, rows);
    REQUIRE(g.has_value());
    for (double v : *g) CHECK(std::isfinite(v));
    for (const rfm_tuple& c : rows) {
      INFO("x = " << c.x << ", t_x = " << c.t_x << ", T = " << c.T << "; r = " << p.r);
      const double alive = value_of(cltv::models::probability_alive(p, c));
      CHECK(alive >= 0);
      CHECK(alive <= 1);
      const double e = value_of(cltv::models::conditional_expected_purchases(p, c, 52));
      CHECK(std::isfinite(e));
      CHECK(e >= 0);
    }
  }
  // Fitting rows that include them works too.
  std::vector<rfm_tuple> sample = simulate(published, 2000, 30, 60, 7);
  sample.insert(sample.end(), rows.begin(), rows.end());
  auto fit = cltv::models::fit_bgnbd(sample);
  if (!fit) FAIL(fit.error().message);
  CHECK(std::isfinite(fit->report.log_likelihood));
}

TEST_CASE("the analytic gradient matches finite differences", "[bgnbd]") {
  const std::vector<rfm_tuple> rows = simulate(published, 3000, 20, 60, 11);
  for (const bgnbd_params& p : {published, bgnbd_params{1.5, 0.7, 2.5, 0.6}}) {
    auto g = detail::bgnbd_log_likelihood_gradient(p, rows);
    REQUIRE(g.has_value());
    for (int i = 0; i < 4; ++i) {
      // Central difference in ln θ_i, step 1e-5: truncation error ~1e-10 relative.
      auto at = [&](double step) {
        bgnbd_params q = p;
        double* field[] = {&q.r, &q.alpha, &q.a, &q.b};
        *field[i] *= std::exp(step);
        return value_of(cltv::models::log_likelihood(q, rows));
      };
      const double numeric = (at(1e-5) - at(-1e-5)) / 2e-5;
      INFO("parameter " << i);
      CHECK_THAT((*g)[static_cast<std::size_t>(i) + 1],
                 WithinAbs(numeric, 1e-5 * std::abs(numeric) + 1e-4));
    }
  }
}

TEST_CASE("the log-likelihood agrees with the per-row formula for every kind of times", "[bgnbd]") {
  // The likelihood takes ln(α+T) and ln(α+t_x) from tables indexed by the
  // time itself (whole periods), from sorted tables (few distinct times) or
  // computes them per tuple (continuous times); each must give the total of
  // the textbook per-customer formula (FHL 2005 eq. 6, as lifetimes writes it):
  //   lnΓ(r+x) − lnΓ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
  //   + ln( (α+T)^−(r+x) + δ_{x>0} a/(b+x−1) (α+t_x)^−(r+x) ).
  const auto per_row = [](const bgnbd_params& p, const std::vector<rfm_tuple>& rows) {
    double total = 0;
    for (const rfm_tuple& c : rows) {
      const double s = p.r + c.x;
      const double c1 = -s * std::log(p.alpha + c.T);
      double tail = c1;
      if (c.x > 0) {
        const double c2 = std::log(p.a / (p.b + c.x - 1)) - s * std::log(p.alpha + c.t_x);
        const double m = std::max(c1, c2);
        tail = m + std::log(std::exp(c1 - m) + std::exp(c2 - m));
      }
      total += std::lgamma(s) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
               std::lgamma(p.a + p.b) + std::lgamma(p.b + c.x) - std::lgamma(p.b) -
               std::lgamma(p.a + p.b + c.x) + tail;
    }
    return total;
  };
  std::vector<rfm_tuple> continuous = simulate(published, 30'000, 20, 60, 17);
  std::vector<rfm_tuple> whole = continuous, halves = continuous;
  for (rfm_tuple& c : whole) c.T = std::ceil(c.T), c.t_x = std::floor(c.t_x);
  for (rfm_tuple& c : halves) c.T = std::ceil(2 * c.T) / 2, c.t_x = std::floor(2 * c.t_x) / 2;
  for (const auto* rows : {&continuous, &whole, &halves}) {
    const double expected = per_row(published, *rows);
    CHECK_THAT(value_of(cltv::models::log_likelihood(published, *rows)),
               WithinRel(expected, 1e-12));
  }
}

TEST_CASE("the analytic Hessian matches finite differences of the gradient", "[bgnbd]") {
  // Central differences of the exact gradient in ln θ_j, step 1e-5: truncation
  // error ~1e-10 relative, rounding ~1e-16 · |g| / 1e-5. Continuous times (no
  // tables) and whole periods (tables) take different paths in the gradient.
  std::vector<rfm_tuple> weeks = simulate(published, 3000, 20, 60, 13);
  for (rfm_tuple& c : weeks) c.T = std::ceil(c.T), c.t_x = std::floor(c.t_x);
  std::vector<rfm_tuple> halves = simulate(published, 3000, 20, 60, 13);
  for (rfm_tuple& c : halves) c.T = std::ceil(2 * c.T) / 2, c.t_x = std::floor(2 * c.t_x) / 2;
  for (const std::vector<rfm_tuple>& rows :
       {simulate(published, 3000, 20, 60, 11), weeks, halves}) {
    for (const bgnbd_params& p : {published, bgnbd_params{1.5, 0.7, 2.5, 0.6}}) {
      auto h = detail::bgnbd_log_likelihood_hessian(p, rows);
      REQUIRE(h.has_value());
      for (std::size_t j = 0; j < 4; ++j) {
        auto gradient_at = [&](double step) {
          bgnbd_params q = p;
          double* field[] = {&q.r, &q.alpha, &q.a, &q.b};
          *field[j] *= std::exp(step);
          return value_of(detail::bgnbd_log_likelihood_gradient(q, rows));
        };
        const auto up = gradient_at(1e-5), down = gradient_at(-1e-5);
        for (std::size_t i = 0; i < 4; ++i) {
          const double numeric = (up[i + 1] - down[i + 1]) / 2e-5;
          INFO("entry (" << i << ", " << j << "), r = " << p.r);
          CHECK_THAT((*h)[i * 4 + j], WithinAbs(numeric, 1e-6 * std::abs(numeric) + 1e-4));
        }
      }
    }
  }
}

TEST_CASE("BG/NBD predictions: properties", "[bgnbd]") {
  std::mt19937_64 rng(2005);
  std::uniform_real_distribution<double> log_param(std::log(0.05), std::log(20.0));
  std::uniform_real_distribution<double> age(0.5, 200), unit(0, 1);
  std::uniform_int_distribution<int> count(0, 60);
  for (int i = 0; i < 300; ++i) {
    const bgnbd_params p{std::exp(log_param(rng)), std::exp(log_param(rng)),
                         std::exp(log_param(rng)), std::exp(log_param(rng))};
    const double T = age(rng);
    const double x = count(rng);
    const rfm_tuple c{x, x > 0 ? T * unit(rng) : 0, T, 1};
    INFO("r = " << p.r << ", alpha = " << p.alpha << ", a = " << p.a << ", b = " << p.b
                << "; x = " << c.x << ", t_x = " << c.t_x << ", T = " << c.T);
    const double alive = value_of(cltv::models::probability_alive(p, c));
    CHECK(alive >= 0);
    CHECK(alive <= 1);
    double previous = 0, previous_new = 0;
    for (double t : {0.0, 1.0, 5.0, 26.0, 52.0, 260.0}) {
      const double e = value_of(cltv::models::conditional_expected_purchases(p, c, t));
      const double e_new = value_of(cltv::models::expected_purchases(p, t));
      // Non-decreasing, up to rounding: near its limit E grows by less than
      // an ulp, and times up to α + T and beyond are summed differently.
      CHECK(e >= previous * (1 - 1e-14));
      CHECK(e_new >= previous_new * (1 - 1e-14));
      previous = e;
      previous_new = e_new;
    }
    auto by_period = cltv::models::expected_purchases_by_period(p, c, 12, 4.0);
    REQUIRE(by_period.has_value());
    double sum = 0;
    for (double v : *by_period) {
      CHECK(v >= 0);
      sum += v;
    }
    // The periods add up to the expectation over the whole horizon, 12 × 4 = 48.
    CHECK_THAT(sum,
               WithinRel(value_of(cltv::models::conditional_expected_purchases(p, c, 48)), 1e-9));
  }
}

TEST_CASE("BG/NBD rejects bad parameters and times", "[bgnbd]") {
  auto e = cltv::models::expected_purchases({0.2, -1, 1, 1}, 3);
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().field == "alpha");
  CHECK_THAT(e.error().message, Equals("alpha must be a positive number, got -1"));
  auto t = cltv::models::expected_purchases(published, -1);
  REQUIRE_FALSE(t.has_value());
  CHECK_THAT(t.error().message, Equals("t must be a non-negative number, got -1"));
  CHECK_FALSE(cltv::models::probability_alive(published, {1, 5, 2, 1}).has_value());
  CHECK_FALSE(
      cltv::models::expected_purchases_by_period(published, {1, 1, 2, 1}, 3, 0).has_value());
}

TEST_CASE("a fit with no repeat purchases is an error", "[bgnbd]") {
  const std::vector<rfm_tuple> rows{{0, 0, 10, 5}, {0, 0, 20, 3}};
  auto fit = cltv::models::fit_bgnbd(rows);
  REQUIRE_FALSE(fit.has_value());
  CHECK(fit.error().field == "frequency");
  CHECK_THAT(fit.error().message, Contains("no customer has a repeat purchase"));
}

TEST_CASE("a fit whose Hessian fails still gives its estimates, without standard errors",
          "[bgnbd]") {
  // The donations of Fader, Hardie & Shang (2010) as lifetimes ships them
  // (datasets/donations.csv: x, t_x, n = 6 years, donors; tests/data/fit-donations.csv):
  // as a BG/NBD summary the likelihood runs flat along a → 0 (no dropout to
  // see), and its Hessian there is not negative definite.
  const std::vector<rfm_tuple> rows{
      {0, 0, 6, 3464}, {1, 1, 6, 1091}, {1, 2, 6, 277}, {1, 3, 6, 129}, {1, 4, 6, 78},
      {1, 5, 6, 119},  {1, 6, 6, 129},  {2, 2, 6, 613}, {2, 3, 6, 255}, {2, 4, 6, 155},
      {2, 5, 6, 173},  {2, 6, 6, 234},  {3, 3, 6, 322}, {3, 4, 6, 181}, {3, 5, 6, 225},
      {3, 6, 6, 357},  {4, 4, 6, 240},  {4, 5, 6, 284}, {4, 6, 6, 512}, {5, 5, 6, 335},
      {5, 6, 6, 728},  {6, 6, 6, 1203}};
  auto fit = cltv::models::fit_bgnbd(rows);
  REQUIRE(fit.has_value());
  CHECK(fit->report.converged);
  CHECK(fit->report.customers == 11104);  // Σ donors
  CHECK_THAT(fit->report.standard_errors_missing, Contains("flat or saddle-shaped"));
  for (const auto* e : {&fit->r, &fit->alpha, &fit->a, &fit->b}) {
    CHECK(e->value > 0);
    CHECK(std::isnan(e->standard_error));
  }
  // The estimates are the parameters the fit returns.
  CHECK(fit->params.r == fit->r.value);
  CHECK(fit->params.b == fit->b.value);
}

TEST_CASE("BG/NBD recovers the parameters of simulated data", "[bgnbd]") {
  // 50,000 customers observed 20 to 80 weeks; truth near the CDNOW fit.
  const bgnbd_params truth{0.5, 6.0, 0.8, 2.5};
  const std::vector<rfm_tuple> rows = simulate(truth, 50'000, 20, 80, 42);
  auto fit = cltv::models::fit_bgnbd(rows);
  if (!fit) FAIL(fit.error().message);
  CHECK(fit->report.converged);
  CHECK(fit->report.customers == 50'000);
  // Each estimate within 4 standard errors of the truth: a miss by chance
  // has probability ~6e-5 per parameter, and the seed is fixed anyway.
  const std::pair<const cltv::models::parameter_estimate*, double> checks[] = {
      {&fit->r, truth.r}, {&fit->alpha, truth.alpha}, {&fit->a, truth.a}, {&fit->b, truth.b}};
  for (const auto& [estimate, true_value] : checks) {
    INFO("estimate " << estimate->value << " ± " << estimate->standard_error << ", truth "
                     << true_value);
    CHECK(std::abs(estimate->value - true_value) < 4 * estimate->standard_error);
    CHECK(estimate->lower_95 < estimate->upper_95);
  }
}

TEST_CASE("BG/NBD and MBG/NBD fits from a sketch reach the plain fit's optimum", "[bgnbd]") {
  // 40,000 customers over up to 2,000 days, whole days: about 30,000
  // distinct tuples, so the fit starts from the sketch's optimum and ends by
  // BFGS. The plain path here: L-BFGS on the mean negative log-likelihood
  // from r = a = b = 1, α = 1 / the purchase rate.
  std::vector<rfm_tuple> rows = simulate(bgnbd_params{0.5, 60, 0.7, 3}, 40'000, 30, 2000, 11);
  for (rfm_tuple& c : rows) {
    c.t_x = std::round(c.t_x);
    c.T = std::max(c.t_x, std::round(c.T));
  }
  const auto tuples = value_of(cltv::models::compress_rfm(rows));
  REQUIRE(tuples.size() > 20'000);
  for (const bgnbd_variant variant : {bgnbd_variant::bgnbd, bgnbd_variant::mbgnbd}) {
    const auto fit = value_of(cltv::models::fit_bgnbd(rows, variant));
    CHECK_THAT(fit.report.status, Contains("BFGS"));  // the sketch's path ran
    detail::bgnbd_tuple_likelihood likelihood(tuples, variant);
    const double n = likelihood.customers();
    const detail::objective mean_nll = [&](std::span<const double> v, std::span<double> gradient) {
      const bgnbd_params p{std::exp(v[0]), std::exp(v[1]), std::exp(v[2]), std::exp(v[3]), variant};
      std::array<double, 4> g{};
      const double ll = likelihood.log_likelihood(p, gradient.empty() ? std::span<double>{} : g);
      for (std::size_t i = 0; i < gradient.size(); ++i) gradient[i] = -g[i] / n;
      return std::isfinite(ll) ? -ll / n : 1e300;
    };
    double purchases = 0, age = 0;
    for (const rfm_tuple& c : tuples) {
      purchases += c.count * c.x;
      age += c.count * c.T;
    }
    const auto plain = value_of(detail::minimize(mean_nll, {0, std::log(age / purchases), 0, 0}));
    REQUIRE(plain.converged);
    // Both stop at a relative change in f of 1e-12, which does not bound the
    // distance to the optimum as tightly: 1e-10 apart.
    CHECK_THAT(-fit.report.log_likelihood, WithinRel(plain.value * n, 1e-10));
    const std::array<const cltv::models::parameter_estimate*, 4> estimates{&fit.r, &fit.alpha,
                                                                           &fit.a, &fit.b};
    for (std::size_t i = 0; i < 4; ++i) {
      INFO("parameter " << i << ": " << estimates[i]->value << " against " << std::exp(plain.x[i]));
      // Within a hundredth of a standard error of ln θ.
      CHECK(std::abs(std::log(estimates[i]->value) - plain.x[i]) <
            1e-2 * estimates[i]->standard_error / estimates[i]->value);
    }
  }
}

TEST_CASE("a customer first seen at the end of observation (T = 0) adds nothing", "[bgnbd]") {
  // Weekly summaries hold such rows (first purchase in the last week). The
  // x = 0 term is ln (α / (α + T))^r = 0 at T = 0: the likelihood, its
  // gradient and the fit are those of the other rows; predictions are a new
  // customer's.
  const cltv::models::bgnbd_params p{0.243, 4.414, 0.793, 2.426};
  const std::vector<rfm_tuple> rows{{2, 30.43, 38.86, 1}, {0, 0, 38.86, 3}, {1, 1.71, 38.86, 1}};
  std::vector<rfm_tuple> with_new = rows;
  with_new.push_back({0, 0, 0, 5});
  auto ll = cltv::models::log_likelihood(p, rows);
  auto ll_new = cltv::models::log_likelihood(p, with_new);
  REQUIRE(ll);
  REQUIRE(ll_new);
  CHECK_THAT(*ll_new, WithinRel(*ll, 1e-14));
  auto g = cltv::models::detail::bgnbd_log_likelihood_gradient(p, rows);
  auto g_new = cltv::models::detail::bgnbd_log_likelihood_gradient(p, with_new);
  REQUIRE(g);
  REQUIRE(g_new);
  for (std::size_t i = 0; i < 5; ++i) CHECK_THAT((*g_new)[i], WithinAbs((*g)[i], 1e-12));
  auto e = cltv::models::conditional_expected_purchases(p, {0, 0, 0, 1}, 39);
  auto e0 = cltv::models::expected_purchases(p, 39);
  REQUIRE(e);
  REQUIRE(e0);
  CHECK_THAT(*e, WithinRel(*e0, 1e-12));
  CHECK(*cltv::models::probability_alive(p, {0, 0, 0, 1}) == 1);
}

TEST_CASE("the vector likelihood kernel agrees with the portable one", "[bgnbd][avx2]") {
  // On CPUs with AVX2 and FMA the repeat buyers' terms are summed four at a
  // time with a vector exp; elsewhere (and here, when turned off) portably.
  // Both must give the same log-likelihood and gradient to rounding, for
  // counts of 1, small whole counts (products), and other counts (logs).
  // Its own ctest entry (unit/bgnbd-vector-kernel) runs it only where the
  // vector kernel exists and reports Skipped elsewhere.
  REQUIRE(detail::bgnbd_vector_kernel());
  std::vector<rfm_tuple> rows = simulate(published, 5000, 30, 60, 23);
  for (std::size_t i = 0; i < rows.size(); i += 7) rows[i].count = 3;
  for (std::size_t i = 3; i < rows.size(); i += 11) rows[i].count = 2.5;
  for (std::size_t i = 5; i < rows.size(); i += 13) rows[i].count = 64;
  rows.push_back({300, 9999, 10000, 1});  // e underflows: d far from 0
  rows.push_back({1, 0, 10000, 1});
  std::vector<rfm_tuple> whole = rows;  // whole periods: the table lookups
  for (rfm_tuple& r : whole) r.T = std::ceil(r.T), r.t_x = std::floor(r.t_x);
  bgnbd_params published_mbg = published;  // MBG/NBD: customers without repeats in the kernel too
  published_mbg.variant = cltv::models::bgnbd_variant::mbgnbd;
  for (const auto& [p, sample] :
       {std::pair{published, rows}, std::pair{published, whole},
        std::pair{bgnbd_params{1.5, 0.7, 2.5, 0.6}, rows}, std::pair{published_mbg, whole}}) {
    auto vector = detail::bgnbd_log_likelihood_gradient(p, sample);
    REQUIRE(detail::use_bgnbd_vector_kernel(false));
    auto portable = detail::bgnbd_log_likelihood_gradient(p, sample);
    detail::use_bgnbd_vector_kernel(true);
    REQUIRE(vector.has_value());
    REQUIRE(portable.has_value());
    for (std::size_t i = 0; i < 5; ++i) {
      INFO("entry " << i);
      CHECK_THAT((*vector)[i], WithinRel((*portable)[i], 1e-12));
    }
  }
}

// ===========================================================================
// MBG/NBD (Batislam, Denizel & Filiztekin 2007): the same functions with
// bgnbd_params::variant = mbgnbd.

namespace {

constexpr auto mbgnbd = cltv::models::bgnbd_variant::mbgnbd;

bgnbd_params modified(bgnbd_params p) {
  p.variant = mbgnbd;
  return p;
}

}  // namespace

TEST_CASE("MBG/NBD fit on CDNOW reproduces BTYDplus", "[bgnbd][cdnow]") {
  const std::vector<rfm_tuple> rows = read_cdnow_summary();
  if (rows.empty()) {
    WARN("skipped: " << (shared_dir() / "data/cdnow_customers_summary.csv").string()
                     << " not found (set CLTV_SHARED_DIR to the shared data directory)");
    return;
  }
  // BTYDplus's mbgnbd estimates on the CDNOW summary, as lifetimes' test
  // suite quotes them (test_params_out_is_close_to_BTYDplus, 3 decimals):
  // r 0.525, alpha 6.183, a 0.891, b 1.614.
  auto fit = cltv::models::fit_bgnbd(rows, mbgnbd);
  if (!fit) FAIL(fit.error().message);
  CHECK(fit->params.variant == mbgnbd);
  CHECK_THAT(fit->params.r, WithinAbs(0.525, 0.0005));
  CHECK_THAT(fit->params.alpha, WithinAbs(6.183, 0.0005));
  CHECK_THAT(fit->params.a, WithinAbs(0.891, 0.0005));
  CHECK_THAT(fit->params.b, WithinAbs(1.614, 0.0005));
  // The optimum beats the published BG/NBD estimates read as MBG/NBD ones.
  const bgnbd_params bg_at_mbg = modified(published);
  CHECK(fit->report.log_likelihood > value_of(cltv::models::log_likelihood(bg_at_mbg, rows)));
  // lifetimes' conditional-expectation check for FHL's customer (x = 2,
  // t_x = 30.43, T = 38.86, t = 39): 1.226 within 0.05.
  CHECK_THAT(
      value_of(cltv::models::conditional_expected_purchases(fit->params, {2, 30.43, 38.86, 1}, 39)),
      WithinAbs(1.226, 0.05));
}

TEST_CASE("MBG/NBD log-likelihood agrees with the per-row formula", "[bgnbd]") {
  // Batislam et al. (2007), as lifetimes writes it:
  //   lnΓ(r+x) − lnΓ(r) + r ln α + lnΓ(a+b) + lnΓ(b+x+1) − lnΓ(b) − lnΓ(a+b+x+1)
  //   + ln( (α+T)^−(r+x) + a/(b+x) (α+t_x)^−(r+x) )   (for every x, 0 too).
  const bgnbd_params p = modified({0.525, 6.183, 0.891, 1.614});
  const auto per_row = [&p](const std::vector<rfm_tuple>& rows) {
    double total = 0;
    for (const rfm_tuple& c : rows) {
      const double s = p.r + c.x;
      const double c1 = -s * std::log(p.alpha + c.T);
      const double c2 = std::log(p.a / (p.b + c.x)) - s * std::log(p.alpha + c.t_x);
      const double m = std::max(c1, c2);
      total += std::lgamma(s) - std::lgamma(p.r) + p.r * std::log(p.alpha) +
               std::lgamma(p.a + p.b) + std::lgamma(p.b + c.x + 1) - std::lgamma(p.b) -
               std::lgamma(p.a + p.b + c.x + 1) + m + std::log(std::exp(c1 - m) + std::exp(c2 - m));
    }
    return total;
  };
  std::vector<rfm_tuple> continuous = simulate(p, 20'000, 20, 60, 31);
  std::vector<rfm_tuple> whole = continuous;
  for (rfm_tuple& c : whole) c.T = std::ceil(c.T), c.t_x = std::floor(c.t_x);
  for (const auto* rows : {&continuous, &whole})
    CHECK_THAT(value_of(cltv::models::log_likelihood(p, *rows)), WithinRel(per_row(*rows), 1e-12));
}

TEST_CASE("MBG/NBD gradient and Hessian match finite differences", "[bgnbd]") {
  std::vector<rfm_tuple> weeks = simulate(modified(published), 3000, 20, 60, 37);
  for (rfm_tuple& c : weeks) c.T = std::ceil(c.T), c.t_x = std::floor(c.t_x);
  for (const std::vector<rfm_tuple>& rows :
       {simulate(modified(published), 3000, 20, 60, 41), weeks}) {
    for (const bgnbd_params& p : {modified(published), modified({1.5, 0.7, 2.5, 0.6})}) {
      const auto shifted = [&](std::size_t j, double step) {
        bgnbd_params q = p;
        double* field[] = {&q.r, &q.alpha, &q.a, &q.b};
        *field[j] *= std::exp(step);
        return q;
      };
      auto g = detail::bgnbd_log_likelihood_gradient(p, rows);
      auto h = detail::bgnbd_log_likelihood_hessian(p, rows);
      REQUIRE(g.has_value());
      REQUIRE(h.has_value());
      for (std::size_t j = 0; j < 4; ++j) {
        const double numeric = (value_of(cltv::models::log_likelihood(shifted(j, 1e-5), rows)) -
                                value_of(cltv::models::log_likelihood(shifted(j, -1e-5), rows))) /
                               2e-5;
        INFO("parameter " << j << ", r = " << p.r);
        CHECK_THAT((*g)[j + 1], WithinAbs(numeric, 1e-5 * std::abs(numeric) + 1e-4));
        const auto up = value_of(detail::bgnbd_log_likelihood_gradient(shifted(j, 1e-5), rows));
        const auto down = value_of(detail::bgnbd_log_likelihood_gradient(shifted(j, -1e-5), rows));
        for (std::size_t i = 0; i < 4; ++i) {
          const double second = (up[i + 1] - down[i + 1]) / 2e-5;
          CHECK_THAT((*h)[i * 4 + j], WithinAbs(second, 1e-6 * std::abs(second) + 1e-4));
        }
      }
    }
  }
}

TEST_CASE("MBG/NBD predictions: P(X(t) = n), E[X(t)], P(alive)", "[bgnbd]") {
  for (const bgnbd_params& p : {modified(published), modified({2.0, 3.0, 1.7, 0.4}),
                                modified({0.525, 6.183, 0.891, 1.614})}) {
    for (double t : {1.0, 10.0, 39.0}) {
      const double expected = check_purchase_distribution(p, t);
      // Fewer purchases than BG/NBD at the same parameters: some customers
      // leave right after the first purchase.
      bgnbd_params bg = p;
      bg.variant = cltv::models::bgnbd_variant::bgnbd;
      CHECK(expected < value_of(cltv::models::expected_purchases(bg, t)));
    }
    // P(alive) of a customer without repeats is below 1 (BG/NBD: exactly 1):
    // 1 / (1 + a/b · ((α+T)/α)^r); a new one (T = 0): b / (a + b).
    const double alive = value_of(cltv::models::probability_alive(p, {0, 0, 20, 1}));
    CHECK_THAT(alive,
               WithinRel(1 / (1 + p.a / p.b * std::pow((p.alpha + 20) / p.alpha, p.r)), 1e-12));
    CHECK_THAT(value_of(cltv::models::probability_alive(p, {0, 0, 0, 1})),
               WithinRel(p.b / (p.a + p.b), 1e-12));
    for (double x : {0.0, 1.0, 5.0, 50.0})
      for (double t_x : {0.0, 10.0, 30.0}) {
        if (x == 0 && t_x > 0) continue;
        const double a = value_of(cltv::models::probability_alive(p, {x, t_x, 30, 1}));
        CHECK(a >= 0);
        CHECK(a <= 1);
        CHECK(value_of(cltv::models::conditional_expected_purchases(p, {x, t_x, 30, 1}, 10)) >= 0);
      }
  }
}

TEST_CASE("MBG/NBD recovers the parameters of simulated data", "[bgnbd]") {
  const bgnbd_params truth = modified({0.5, 6.0, 0.8, 2.5});
  const std::vector<rfm_tuple> rows = simulate(truth, 50'000, 20, 80, 43);
  auto fit = cltv::models::fit_bgnbd(rows, mbgnbd);
  if (!fit) FAIL(fit.error().message);
  const std::pair<const cltv::models::parameter_estimate*, double> checks[] = {
      {&fit->r, truth.r}, {&fit->alpha, truth.alpha}, {&fit->a, truth.a}, {&fit->b, truth.b}};
  for (const auto& [estimate, true_value] : checks) {
    INFO("estimate " << estimate->value << " ± " << estimate->standard_error << ", truth "
                     << true_value);
    CHECK(std::abs(estimate->value - true_value) < 4 * estimate->standard_error);
  }
}

TEST_CASE("BG/NBD expectations over long horizons equal the integral over p", "[bgnbd]") {
  // E[Y(t) | x, t_x, T] = P(alive) E_p[(1 − (1 + t p/(α+T))^−(r+x)) / p], p ~ Beta(a, b+x)
  // (MBG/NBD: b+x+1): the dropout probability's posterior averaged by tanh-sinh
  // quadrature, independent of the 2F1 series and of the Taylor steps cltv takes
  // beyond t = α + T.
  // In long double, split where the integrand turns (q ~ 1/u) for large u.
  boost::math::quadrature::tanh_sinh<long double> quadrature;
  for (const auto variant :
       {cltv::models::bgnbd_variant::bgnbd, cltv::models::bgnbd_variant::mbgnbd}) {
    for (bgnbd_params p : {bgnbd_params{0.243, 4.414, 0.793, 2.426}, bgnbd_params{2, 1, 3, 2},
                           bgnbd_params{0.5, 10, 1.5, 0.3}, bgnbd_params{0.5, 5, 1, 2},
                           bgnbd_params{50, 0.01, 0.1, 80}}) {
      p.variant = variant;
      for (const rfm_tuple& c : {rfm_tuple{0, 0, 39, 1}, rfm_tuple{2, 30.43, 38.86, 1},
                                 rfm_tuple{10, 35, 39, 1}, rfm_tuple{0, 0, 0, 1}}) {
        const double s = p.r + c.x, beta = p.alpha + c.T;
        const double bp = p.b + c.x + (variant == cltv::models::bgnbd_variant::mbgnbd ? 1 : 0);
        const double alive = value_of(cltv::models::probability_alive(p, c));
        for (double t : {0.5 * beta, 3.0, 50.0, 200.0, 1000.0, 5200.0, 1e5}) {
          const double u = t / beta;
          // On [lo, hi], qc is the distance to the nearer end (tanh-sinh's second
          // argument): 1 − q is exact near q = 1 even when b' < 1.
          const auto on = [&](long double lo, long double hi) {
            return [&, lo, hi](long double q, long double qc) {
              const long double one_minus_q = hi == 1 && q > (lo + hi) / 2 ? qc : 1 - q;
              return std::pow(q, static_cast<long double>(p.a) - 1) *
                     std::pow(one_minus_q, static_cast<long double>(bp) - 1) *
                     -std::expm1(-s * std::log1p(static_cast<long double>(u) * q)) / q;
            };
          };
          const long double turn = u > 2 ? 1 / static_cast<long double>(u) : 0.5L;
          const long double integral = quadrature.integrate(on(0, turn), 0.0L, turn, 1e-18L) +
                                       quadrature.integrate(on(turn, 1), turn, 1.0L, 1e-18L);
          const double expected =
              alive *
              static_cast<double>(integral / boost::math::beta(static_cast<long double>(p.a),
                                                               static_cast<long double>(bp)));
          INFO("r " << p.r << " alpha " << p.alpha << " a " << p.a << " b " << p.b << " mbg "
                    << (variant == cltv::models::bgnbd_variant::mbgnbd) << "; x " << c.x << " T "
                    << c.T << "; t " << t);
          // At a = 1 the closed form is 0/0 and the library interpolates across it
          // (documented to ~1e-9 relative).
          const double tolerance = p.a == 1 ? 1e-8 : 1e-10;
          CHECK_THAT(value_of(cltv::models::conditional_expected_purchases(p, c, t)),
                     WithinRel(expected, tolerance));
        }
      }
    }
  }
}

TEST_CASE("BG/NBD 1,200 monthly periods add up to the cumulative expectation", "[bgnbd]") {
  const bgnbd_params p{0.243, 4.414, 0.793, 2.426};
  const rfm_tuple c{2, 30.43, 38.86, 1};
  const double month = 30.4375 / 7;  // weeks
  const auto periods = value_of(cltv::models::expected_purchases_by_period(p, c, 1200, month));
  REQUIRE(periods.size() == 1200);
  double sum = 0;
  for (double v : periods) {
    CHECK(v >= 0);
    sum += v;
  }
  CHECK_THAT(
      sum,
      WithinRel(value_of(cltv::models::conditional_expected_purchases(p, c, 1200 * month)), 1e-12));
  // Later months expect fewer purchases than earlier ones (the rate falls as customers drop out).
  CHECK(periods[1199] < periods[100]);
  CHECK(periods[100] < periods[10]);
}

TEST_CASE("BG/NBD long horizons at a huge b agree with the 2F1 series", "[bgnbd]") {
  // A fit to a hostile log (a purchase in 9999): a = 1.1e-4, b = 49346, where p's
  // posterior is a spike near 0 that quadrature cannot resolve. The reference is
  // FHL 2005 eq. 10 summed as its 2F1 series in long double (up to 10^7 terms):
  // (a+b'−1)/(a−1) [1 − (1+u)^−s 2F1(s, b'; a+b'−1; u/(1+u))], u = t/(α+T).
  const bgnbd_params p{1.25, 140.6, 1.1e-4, 49346};
  for (const rfm_tuple& c : {rfm_tuple{0, 0, 39, 1}, rfm_tuple{3, 30, 100, 1}}) {
    for (double t : {100.0, 1000.0, 30000.0}) {
      const long double s = p.r + c.x, bp = p.b + c.x, a = p.a, C = a + bp - 1;
      const long double u = t / (p.alpha + c.T), z = u / (1 + u);
      long double term = 1, sum = 1;
      for (long k = 0; k < 10'000'000 && term > 1e-22L * sum; ++k) {
        term *= (s + k) * (bp + k) / ((C + k) * (k + 1)) * z;
        sum += term;
      }
      const long double bracket = 1 - std::exp(-s * std::log1p(u)) * sum;
      const double alive = value_of(cltv::models::probability_alive(p, c));
      const double expected = alive * static_cast<double>(C / (a - 1) * bracket);
      INFO("x " << c.x << "; t " << t);
      CHECK_THAT(value_of(cltv::models::conditional_expected_purchases(p, c, t)),
                 WithinRel(expected, 1e-10));
    }
  }
}

TEST_CASE("BG/NBD P(Y(t) = n | history) sums to 1 with the conditional mean", "[bgnbd]") {
  // The mean is FHL 2005's eq. 10, an independent formula.
  for (const bgnbd_variant variant : {bgnbd_variant::bgnbd, bgnbd_variant::mbgnbd}) {
    bgnbd_params p = published;
    p.variant = variant;
    for (const rfm_tuple& c :
         {rfm_tuple{2, 30.43, 38.86, 1}, rfm_tuple{0, 0, 38.86, 1}, rfm_tuple{12, 30, 38, 1}})
      for (double t : {1.0, 39.0}) {
        INFO("variant " << static_cast<int>(variant) << " x " << c.x << " t " << t);
        double total = 0, mean = 0;
        for (int n = 0; n < 3000; ++n) {
          const double pn =
              value_of(cltv::models::conditional_probability_of_purchases(p, c, t, n));
          CHECK(pn >= 0);
          CHECK(pn <= 1);
          total += pn;
          mean += n * pn;
        }
        CHECK_THAT(total, WithinAbs(1.0, 1e-10));
        CHECK_THAT(
            mean, WithinRel(value_of(cltv::models::conditional_expected_purchases(p, c, t)), 1e-9));
      }
  }
  // No time, no purchase; a bad n or history is refused.
  CHECK(value_of(cltv::models::conditional_probability_of_purchases(published, {2, 30, 38, 1}, 0,
                                                                    0)) == 1);
  CHECK_FALSE(cltv::models::conditional_probability_of_purchases(published, {2, 30, 38, 1}, 1, -1));
  CHECK_FALSE(cltv::models::conditional_probability_of_purchases(published, {2, 40, 38, 1}, 1, 0));
}
