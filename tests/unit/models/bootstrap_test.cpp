// models/bootstrap.hpp: the resampling, the percentiles, the refits, that
// the result does not depend on the threads, and (slow) that the intervals
// cover the truth about as often as their level says. Built as its own
// executable so that the tsan preset runs it under ThreadSanitizer.

#include "cltv/models/bootstrap.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "cltv/models/delta_method.hpp"
#include "test_support.hpp"

using namespace cltv::models;
using cltv_test::simulate;
using cltv_test::value_of;

namespace {

constexpr bgnbd_params truth{0.5, 6.0, 0.7, 2.5};

clv_options one_year_in_weeks() {
  clv_options o;
  o.months = 12;
  o.periods_per_month = 365.25 / 12 / 7;
  return o;
}

std::vector<double> monetary_of(const std::vector<rfm_tuple>& rows) {
  // Gamma-Gamma spend (Fader, Hardie & Lee 2005b): ν ~ Gamma(q, γ) per
  // customer, each purchase ~ Gamma(p, ν); m̄ is the mean of x of them.
  constexpr double p = 6, q = 4, gamma = 15;
  std::mt19937_64 rng(99);
  std::vector<double> m(rows.size(), 0.0);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (rows[i].x == 0) continue;
    const double nu = std::gamma_distribution<double>(q, 1 / gamma)(rng);
    m[i] = std::gamma_distribution<double>(p * rows[i].x, 1 / nu)(rng) / rows[i].x;
  }
  return m;
}

}  // namespace

TEST_CASE("bootstrap draws: as many customers as there are, reproducibly", "[bootstrap]") {
  const std::vector<double> single(1000, 1.0);
  const std::vector<double> a = bootstrap_draw_counts(single, 42, 0);
  CHECK(std::accumulate(a.begin(), a.end(), 0.0) == 1000);
  CHECK(bootstrap_draw_counts(single, 42, 0) == a);  // the same stream for (seed, index)
  CHECK(bootstrap_draw_counts(single, 42, 1) != a);  // another replicate, another resample
  CHECK(bootstrap_draw_counts(single, 43, 0) != a);  // another seed too
  // With replacement: about 1 − 1/e ≈ 63.2% of customers are drawn at least
  // once (sd of the share ≈ 0.015 for n = 1000).
  const auto drawn = std::count_if(a.begin(), a.end(), [](double d) { return d > 0; });
  CHECK(drawn > 580);
  CHECK(drawn < 690);
}

TEST_CASE("bootstrap draws: a row with count c is c customers", "[bootstrap]") {
  const std::vector<double> counts{1, 3, 6};  // 10 customers
  std::vector<double> total(3, 0.0);
  constexpr int replicates = 4000;
  for (int k = 0; k < replicates; ++k) {
    const std::vector<double> d = bootstrap_draw_counts(counts, 7, static_cast<std::uint64_t>(k));
    CHECK(d[0] + d[1] + d[2] == 10);
    for (std::size_t i = 0; i < 3; ++i) total[i] += d[i];
  }
  // Each row is drawn on average `count` times; 40,000 draws in all, so the
  // means sit within a few hundredths (binomial sd of row 3's mean ≈ 0.024).
  CHECK(total[0] / replicates == Approx(1).margin(0.05));
  CHECK(total[1] / replicates == Approx(3).margin(0.1));
  CHECK(total[2] / replicates == Approx(6).margin(0.1));
}

TEST_CASE("percentile bounds: R's type 7 quantiles", "[bootstrap]") {
  std::vector<double> five{5, 3, 1, 4, 2};
  const interval_bounds half = percentile_bounds(five, 0.5);
  CHECK(half.lower == 2);  // h = 4 · 0.25 = 1: the 2nd smallest
  CHECK(half.upper == 4);
  // quantile(c(1, 2, 3, 4), c(0.05, 0.95)) in R: 1.15 and 3.85 (h = 3 · 0.05 = 0.15).
  std::vector<double> four{4, 1, 3, 2};
  const interval_bounds ninety = percentile_bounds(four, 0.9);
  CHECK(ninety.lower == Approx(1.15).epsilon(1e-14));
  CHECK(ninety.upper == Approx(3.85).epsilon(1e-14));
  std::vector<double> same{7, 7};
  CHECK(percentile_bounds(same, 0.9).lower == 7);
}

TEST_CASE("bootstrap settings are checked, naming the setting", "[bootstrap]") {
  bootstrap_settings s;
  s.replicates = 1;
  CHECK(check_bootstrap_settings(s).error().field == "bootstrap");
  s.replicates = 10;
  s.confidence = 1;
  CHECK(check_bootstrap_settings(s).error().field == "confidence");
  s.confidence = 0.9;
  s.threads = 0;
  CHECK(check_bootstrap_settings(s).error().field == "threads");
  s.threads = 2;
  CHECK(check_bootstrap_settings(s).has_value());
  bootstrap_models gg_only;
  gg_only.purchase = model_kind::gamma_gamma;
  const std::vector<rfm_tuple> rows{{1, 1, 2}, {0, 0, 2}};
  CHECK(!refit_bootstrap_replicates(rows, {}, gg_only, s));
}

TEST_CASE("bootstrap: identical for any number of threads", "[bootstrap][threads]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 400, 30, 60, 11);
  const std::vector<double> monetary = monetary_of(rows);
  bootstrap_models models;
  models.spend = gamma_gamma_options{};
  bootstrap_settings settings;
  settings.replicates = 24;
  settings.seed = 5;
  std::vector<clv_bootstrap> results;
  for (const int threads : {1, 2, 3}) {
    settings.threads = threads;
    const auto replicates = value_of(refit_bootstrap_replicates(rows, monetary, models, settings));
    results.push_back(value_of(
        bootstrap_clv(rows, monetary, replicates, std::nullopt, one_year_in_weeks(), settings)));
  }
  for (std::size_t k = 1; k < results.size(); ++k) {
    CHECK(results[k].used == results[0].used);
    CHECK(results[k].total_clv.lower == results[0].total_clv.lower);  // bit for bit
    CHECK(results[k].total_clv.upper == results[0].total_clv.upper);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      CHECK(results[k].customers[i].clv.lower == results[0].customers[i].clv.lower);
      CHECK(results[k].customers[i].probability_alive.upper ==
            results[0].customers[i].probability_alive.upper);
    }
  }
  const clv_bootstrap& b = results[0];
  INFO(b.first_failure);
  CHECK(b.used == 24);
  CHECK(b.total_clv.lower < b.total_clv.upper);
  CHECK(b.total_expected_purchases.lower < b.total_expected_purchases.upper);
  for (const customer_clv_intervals& c : b.customers) {
    CHECK(c.probability_alive.lower >= 0);
    CHECK(c.probability_alive.upper <= 1);
    CHECK(c.clv.lower <= c.clv.upper);
  }
}

TEST_CASE("bootstrap: the intervals bracket the fit's own values", "[bootstrap][threads]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 600, 30, 60, 3);
  const purchase_model fitted =
      value_of(fit_purchase_model(model_kind::bgnbd, value_of(compress_rfm(rows)))).model;
  const purchase_spend one = value_of(purchase_spend::fixed(1));
  bootstrap_settings settings;
  settings.replicates = 100;
  settings.threads = 2;
  const auto replicates = value_of(refit_bootstrap_replicates(rows, {}, {}, settings));
  const clv_bootstrap b =
      value_of(bootstrap_clv(rows, {}, replicates, one, one_year_in_weeks(), settings));
  clv_valuer valuer = value_of(clv_valuer::make(fitted, one_year_in_weeks()));
  double total = 0;
  for (const rfm_tuple& c : rows) total += value_of(valuer.value(c, 1)).clv;
  CHECK(b.total_clv.lower < total);
  CHECK(total < b.total_clv.upper);
  // Spend fixed at 1 a purchase and no discount: CLV = expected purchases.
  CHECK(b.total_clv.lower == Approx(b.total_expected_purchases.lower).epsilon(1e-12));
  for (const customer_clv_intervals& c : b.customers) CHECK(c.expected_spend.lower == 1);
}

// Coverage: draw 120 data sets of 500 customers from known BG/NBD
// parameters; for each, 100 bootstrap replicates give a 90% interval of the
// customers' total expected purchases in the next year. The truth is that
// total under the true parameters (for the same histories). A 90% interval
// should cover it in about 90% of the data sets; with 120 sets the share's sd
// is 2.7 points, so the test accepts 80% … 97% (−3.7 … +2.6 sd): a broken
// interval (too narrow, or centred on the wrong value) fails, chance does not.
TEST_CASE("bootstrap: 90% intervals cover the truth about 90% of the time", "[bootstrap][slow]") {
  constexpr int data_sets = 120;
  const purchase_spend one = value_of(purchase_spend::fixed(1));
  clv_valuer true_valuer = value_of(clv_valuer::make(truth, one_year_in_weeks()));
  int covered = 0;
  for (int d = 0; d < data_sets; ++d) {
    const std::vector<rfm_tuple> rows =
        simulate(truth, 500, 30, 60, 1000 + static_cast<std::uint64_t>(d));
    double true_total = 0;
    for (const rfm_tuple& c : rows) true_total += value_of(true_valuer.value(c, 1)).clv;
    bootstrap_settings settings;
    settings.replicates = 100;
    settings.seed = static_cast<std::uint64_t>(d);
    settings.threads = 2;
    const auto replicates = value_of(refit_bootstrap_replicates(rows, {}, {}, settings));
    const clv_bootstrap b =
        value_of(bootstrap_clv(rows, {}, replicates, one, one_year_in_weeks(), settings));
    if (b.total_expected_purchases.lower <= true_total &&
        true_total <= b.total_expected_purchases.upper)
      ++covered;
  }
  const double share = static_cast<double>(covered) / data_sets;
  INFO("covered in " << covered << " of " << data_sets << " data sets");
  CHECK(share >= 0.80);
  CHECK(share <= 0.97);
}

// Two routes to the same uncertainty: with 2,000 customers the estimates are
// close to normal, so the bootstrap's percentile intervals and the delta
// method's (models/delta_method.hpp, from the fit's covariance) should have
// about the same width. 200 replicates put ~10% of Monte Carlo noise on a
// 90% interval's width; the test accepts a ratio from 0.75 to 1.33.
TEST_CASE("bootstrap and delta-method intervals agree on a large sample", "[bootstrap][threads]") {
  const std::vector<rfm_tuple> rows = simulate(truth, 2000, 30, 60, 8);
  const purchase_model_fit fit =
      value_of(fit_purchase_model(model_kind::bgnbd, value_of(compress_rfm(rows))));
  bootstrap_settings settings;
  settings.replicates = 200;
  settings.threads = 2;
  const auto replicates = value_of(refit_bootstrap_replicates(rows, {}, {}, settings));
  const clv_bootstrap b = value_of(bootstrap_clv(
      rows, {}, replicates, value_of(purchase_spend::fixed(1)), one_year_in_weeks(), settings));
  const double year = 12 * one_year_in_weeks().periods_per_month;
  for (const std::size_t i : {0U, 1U, 2U, 3U, 5U, 8U, 13U, 21U}) {
    const purchase_delta_intervals d = value_of(
        purchase_prediction_delta_intervals(fit.model, fit.report.covariance, rows[i], year, 0.9));
    const double boot =
        b.customers[i].expected_purchases.upper - b.customers[i].expected_purchases.lower;
    const double delta = d.expected_purchases.upper - d.expected_purchases.lower;
    INFO("customer " << i << ": bootstrap width " << boot << ", delta-method width " << delta);
    CHECK(boot / delta > 0.75);
    CHECK(boot / delta < 1.33);
  }
}
