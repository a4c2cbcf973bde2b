// models/ggomnbd.hpp: the gradient against differences, the fixed rule
// against adaptive quadrature, the Pareto/NBD limit, CDNOW's published fit
// (tag [cdnow]: skipped with a warning without ../shared) and parameter
// recovery where b is clearly positive.

#include "cltv/models/ggomnbd.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "cdnow_summary.hpp"
#include "cltv/models/pareto_nbd.hpp"
#include "test_support.hpp"

using namespace cltv::models;
using cltv_test::value_of;

namespace {

const std::vector<rfm_tuple> few{{0, 0, 38, 3},  {1, 10, 38, 2}, {4, 30, 38, 1},   {2, 5, 20, 2},
                                 {7, 18, 20, 1}, {0, 0, 5, 4},   {12, 37.5, 38, 1}};

}  // namespace

TEST_CASE("GGompertz/NBD: the gradient is the likelihood's", "[ggomnbd]") {
  const ggomnbd_params p{0.6, 9, 0.03, 0.7, 0.4};
  double g[5];
  value_of(ggomnbd_log_likelihood(p, few, g));
  for (int k = 0; k < 5; ++k) {
    ggomnbd_params up = p, down = p;
    double* u[5] = {&up.r, &up.alpha, &up.b, &up.s, &up.beta};
    double* d[5] = {&down.r, &down.alpha, &down.b, &down.s, &down.beta};
    const double h = 1e-6 * *u[k];
    *u[k] += h;
    *d[k] -= h;
    const double numeric =
        (value_of(ggomnbd_log_likelihood(up, few)) - value_of(ggomnbd_log_likelihood(down, few))) /
        (2 * h);
    CHECK(g[k] == Approx(numeric).epsilon(1e-6));
  }
}

TEST_CASE("GGompertz/NBD: the fixed rule is adaptive Gauss-Kronrod's integral", "[ggomnbd]") {
  for (const ggomnbd_params& p :
       {ggomnbd_params{0.6, 9, 0.03, 0.7, 0.4}, ggomnbd_params{0.55, 10.6, 1e-6, 0.6, 1.2e-5},
        ggomnbd_params{2, 3, 0.2, 3, 50}}) {
    CHECK(value_of(ggomnbd_log_likelihood(p, few)) ==
          Approx(value_of(ggomnbd_log_likelihood_adaptive(p, few))).epsilon(1e-11));
  }
}

TEST_CASE("GGompertz/NBD: b -> 0 with beta/b fixed is Pareto/NBD", "[ggomnbd]") {
  // Pareto/NBD with β_P = β/b: the survival (β/(β + e^{bτ} − 1))^s tends to (β_P/(β_P + τ))^s.
  const pareto_nbd_params pareto{0.55, 10.6, 0.6, 11.7};
  const double b = 1e-9;
  const ggomnbd_params limit{0.55, 10.6, b, 0.6, 11.7 * b};
  // The densities agree too: s b β^s e^{bτ}/(β + e^{bτ} − 1)^{s+1} → s β_P^s/(β_P + τ)^{s+1}.
  for (const rfm_tuple& c : few) {
    CHECK(value_of(probability_alive(limit, c)) ==
          Approx(value_of(probability_alive(pareto, c))).epsilon(1e-6));
    CHECK(value_of(conditional_expected_purchases(limit, c, 39)) ==
          Approx(value_of(conditional_expected_purchases(pareto, c, 39))).epsilon(1e-6));
  }
  CHECK(value_of(expected_purchases(limit, 39)) ==
        Approx(value_of(expected_purchases(pareto, 39))).epsilon(1e-6));
  CHECK(value_of(ggomnbd_log_likelihood(limit, few)) ==
        Approx(value_of(log_likelihood(pareto, few))).epsilon(1e-7));
}

TEST_CASE("GGompertz/NBD on CDNOW reproduces the published fit", "[ggomnbd][cdnow]") {
  const std::vector<rfm_tuple> rows = cltv_test::read_cdnow_summary();
  if (rows.empty()) {
    WARN("skipped: " << cltv_test::cdnow_summary_path().string() << " is not there");
    return;
  }
  const ggomnbd_fit fit = value_of(fit_ggomnbd(rows));
  // Bemmaor & Glady (2012), Table 2: r 0.553, α 10.578, s 0.603, LL −9594.98; CLVTools' own
  // fit: r 0.55313, α 10.5758, s 0.60682, LL −9594.9762 (b 1.1e-6, β 1.3e-5).
  CHECK(fit.params.r == Approx(0.553).margin(0.002));
  CHECK(fit.params.alpha == Approx(10.578).margin(0.05));
  CHECK(fit.params.s == Approx(0.606).margin(0.005));
  CHECK(fit.report.log_likelihood == Approx(-9594.976).margin(0.01));
  // β/b near Pareto/NBD's β (11.67), loosely: the ridge is flat.
  CHECK(fit.params.beta / fit.params.b == Approx(11.67).epsilon(0.1));
  CHECK_FALSE(fit.report.degenerate.empty());
  CHECK(fit.report.integration_error < 1e-6);
}

// Parameter recovery where b is clearly positive (the hazard grows e^{b T} ≈ 20-fold over the
// longest observation): 20,000 customers drawn from the model, first purchase at 0, observed
// 30 to 60 weeks, times rounded to 0.1 week; each estimate within 4 standard errors.
namespace {

// n customers drawn from the model (η given: every customer's frailty is
// that; else η ~ Gamma(s, β)), first seen 30 to 60 weeks before the end,
// times to a tenth of a week.
std::vector<rfm_tuple> simulate(const ggomnbd_params& truth, int n, std::uint64_t seed,
                                double common_eta = 0) {
  std::mt19937_64 rng(seed);
  std::gamma_distribution<double> rate(truth.r, 1 / truth.alpha), frailty(truth.s, 1 / truth.beta);
  std::exponential_distribution<double> unit(1);
  std::uniform_int_distribution<int> age(300, 600);  // tenths of a week
  std::vector<rfm_tuple> rows;
  for (int i = 0; i < n; ++i) {
    const double lambda = rate(rng), eta = common_eta > 0 ? common_eta : frailty(rng);
    const double death = std::log1p(unit(rng) / eta) / truth.b;
    const double T = age(rng) / 10.0;
    const double end = std::min(death, T);
    double t = 0, x = 0, last = 0;
    while (lambda > 0) {
      t += std::exponential_distribution<double>(lambda)(rng);
      if (t > end) break;
      ++x;
      last = t;
    }
    rows.push_back({x, std::min(std::round(last * 10) / 10, T), T, 1});
  }
  return rows;
}

}  // namespace

TEST_CASE("GGompertz/NBD: parameter recovery on simulated data", "[ggomnbd]") {
  const ggomnbd_params truth{0.8, 8, 0.05, 1.2, 3};
  const std::vector<rfm_tuple> rows = simulate(truth, 20000, 20120501);
  const ggomnbd_fit fit = value_of(fit_ggomnbd(rows));
  REQUIRE(fit.report.standard_errors_missing.empty());
  CHECK(fit.report.degenerate.empty());
  const double want[5] = {truth.r, truth.alpha, truth.b, truth.s, truth.beta};
  for (std::size_t k = 0; k < 5; ++k) {
    INFO("parameter " << k << ": " << fit.estimates[k].value << " +- "
                      << fit.estimates[k].standard_error << ", truth " << want[k]);
    CHECK(std::abs(fit.estimates[k].value - want[k]) < 4 * fit.estimates[k].standard_error);
  }
  CHECK(fit.report.integration_error < 1e-6);
}

TEST_CASE("GGompertz/NBD: one frailty for everyone is said, with its value", "[ggomnbd]") {
  // Every customer with η = 0.5: s and β run off together (the fit must not
  // spin) and the output says that only η = s/β is identified.
  const std::vector<rfm_tuple> rows = simulate({0.8, 8, 0.05, 1, 1}, 20000, 77, 0.5);
  const ggomnbd_fit fit = value_of(fit_ggomnbd(rows));
  INFO(fit.report.degenerate << "; b " << fit.params.b << ", s/beta "
                             << fit.params.s / fit.params.beta);
  CHECK(fit.params.s > 1000);
  CHECK(fit.report.degenerate.find("every customer has the same eta = s/beta = ") !=
        std::string::npos);
  CHECK(fit.params.s / fit.params.beta == Approx(0.5).epsilon(0.15));
  CHECK(fit.params.b == Approx(0.05).epsilon(0.15));
}
