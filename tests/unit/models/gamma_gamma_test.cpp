// Tests of cltv/models/gamma_gamma.hpp: the Gamma-Gamma model of spend.
// Reference values: ../shared/reference/models.md, "Gamma-Gamma" (Fader,
// Hardie & Lee 2005, JMR; Fader & Hardie 2013, note 025), fitted on
// ../shared/data/cdnow_customers_summary_with_transactions.csv. The CDNOW
// tests are skipped, with a warning, when ../shared is absent.

#include "cltv/models/gamma_gamma.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

using Catch::Matchers::Contains;
using Catch::Matchers::WithinAbs;
using Catch::Matchers::WithinRel;
using cltv::models::gamma_gamma_params;

namespace {

struct spend_columns {
  std::vector<double> frequency;       // x
  std::vector<double> monetary_value;  // zbar
};

// The shared data live next to the project: tests/unit/models/ → ../../../../shared.
std::filesystem::path cdnow_path() {
  return std::filesystem::path(__FILE__).parent_path() / "../../../../shared/data" /
         "cdnow_customers_summary_with_transactions.csv";
}

double parse(const std::string& field) {
  double value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  REQUIRE(ec == std::errc());
  REQUIRE(end == field.data() + field.size());
  return value;
}

// Columns ID,x,t_x,T,zbar; CRLF line ends, no final newline. nullopt when the
// file is absent.
std::optional<spend_columns> read_cdnow() {
  std::ifstream in(cdnow_path());
  if (!in) return std::nullopt;
  spend_columns columns;
  std::string line;
  REQUIRE(std::getline(in, line));  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    for (std::size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1)
      fields.push_back(line.substr(start, comma - start));
    fields.push_back(line.substr(start));
    REQUIRE(fields.size() == 5);
    columns.frequency.push_back(parse(fields[1]));
    columns.monetary_value.push_back(parse(fields[4]));
  }
  return columns;
}

// `customers` repeat customers drawn from the model's generative process
// (note 025): ν ~ Gamma(shape q, rate γ); each of a customer's x transactions
// is Gamma(shape p, rate ν), so their mean m̄ is Gamma(shape px, rate νx).
// x = 1 + Poisson(2). Fixed seed: the same data on every run (with one
// standard library).
spend_columns simulate(const gamma_gamma_params& truth, int customers) {
  std::mt19937_64 rng(20050601);
  std::gamma_distribution<double> nu_dist(truth.q, 1 / truth.gamma);
  std::poisson_distribution<int> extra(2);
  spend_columns data;
  for (int i = 0; i < customers; ++i) {
    const double nu = nu_dist(rng);
    const auto x = static_cast<double>(1 + extra(rng));
    std::gamma_distribution<double> mean_spend(truth.p * x, 1 / (nu * x));
    data.frequency.push_back(x);
    data.monetary_value.push_back(mean_spend(rng));
  }
  return data;
}

}  // namespace

TEST_CASE("Gamma-Gamma on CDNOW reproduces Fader, Hardie & Lee (2005)", "[gamma_gamma][cdnow]") {
  const auto cdnow = read_cdnow();
  if (!cdnow) {
    WARN("skipped: " << cdnow_path().string()
                     << " not found (the shared reference data live outside the project)");
    return;
  }
  REQUIRE(cdnow->frequency.size() == 2357);  // ../shared/data/SOURCES.md: 2,357 rows

  auto fit = cltv::models::fit_gamma_gamma(cdnow->frequency, cdnow->monetary_value);
  REQUIRE(fit.has_value());

  SECTION("the published estimates p 6.25, q 3.74, gamma 15.44") {
    // p and q to the rounding of the published two decimals; γ: models.md says
    // a correct fit gives 15.448 (rounding to 15.45), so ±0.015 around 15.44.
    CHECK_THAT(fit->params.p, WithinAbs(6.25, 0.005));
    CHECK_THAT(fit->params.q, WithinAbs(3.74, 0.005));
    CHECK_THAT(fit->params.gamma, WithinAbs(15.44, 0.015));
    // Cross-check: SciPy's derivative-free Nelder-Mead on the same LL (in
    // log-parameters, xatol = fatol = 1e-12) stops at p 6.2488031,
    // q 3.7445884, γ 15.4477463, LL −4055.9232435.
    CHECK_THAT(fit->params.p, WithinRel(6.2488031, 1e-5));
    CHECK_THAT(fit->params.q, WithinRel(3.7445884, 1e-5));
    CHECK_THAT(fit->params.gamma, WithinRel(15.4477463, 1e-5));
    CHECK_THAT(fit->report.log_likelihood, WithinAbs(-4055.9232435, 1e-6));
  }

  SECTION("who was fitted: the 946 repeat customers") {
    // SOURCES.md: 946 customers have x > 0 (the other 1,411 are skipped);
    // 753 distinct (x, zbar) pairs (counted with NumPy's unique).
    CHECK(fit->report.customers == 946);
    CHECK(fit->without_repeats == 2357 - 946);
    CHECK(fit->dropped == 0);
    CHECK(fit->report.unique_tuples == 753);
    CHECK(fit->report.converged);
    for (const auto& e : {fit->p, fit->q, fit->gamma}) {
      CHECK(e.lower_95 < e.value);
      CHECK(e.value < e.upper_95);
      CHECK(e.standard_error > 0);
    }
  }

  SECTION("conditional expected average spend of the first 10 customers") {
    // Hardie's spreadsheet as tested by lifetimes (models.md, ±0.1). Rows 3,
    // 4, 5, 8 and 10 have x = 0: the population mean pγ/(q − 1) = 35.17.
    const double expected[] = {24.65, 18.91, 35.17, 35.17, 35.17,
                               71.46, 18.91, 35.17, 27.28, 35.17};
    for (std::size_t i = 0; i < 10; ++i) {
      INFO("customer " << i + 1);
      auto spend = cltv::models::gamma_gamma_conditional_expected_spend(
          fit->params, cdnow->frequency[i], cdnow->monetary_value[i]);
      REQUIRE(spend.has_value());
      CHECK_THAT(*spend, WithinAbs(expected[i], 0.1));
    }
    CHECK_THAT(*cltv::models::gamma_gamma_mean_spend(fit->params), WithinAbs(35.17, 0.1));
  }

  SECTION("frequency and spend are nearly uncorrelated") {
    // NumPy corrcoef over the 946 (x, zbar) pairs: 0.11388391048600499, below
    // the 0.3 the CLI warns at: the model's independence assumption holds.
    REQUIRE(fit->frequency_spend_correlation.has_value());
    CHECK_THAT(*fit->frequency_spend_correlation, WithinRel(0.11388391048600499, 1e-12));
    CHECK(cltv::models::frequency_spend_correlation(cdnow->frequency, cdnow->monetary_value) ==
          fit->frequency_spend_correlation);
  }
}

TEST_CASE("Gamma-Gamma log-likelihood and its gradient", "[gamma_gamma]") {
  SECTION("hand-computed single customers") {
    // p 1, q 2, γ 1, x 1, m̄ 1: lnΓ(3) − lnΓ(1) − lnΓ(2) + 2 ln 1 + 0 · ln 1
    // + 1 · ln 1 − 3 ln(1 + 1) = ln 2 − 3 ln 2 = −2 ln 2.
    const std::vector<double> x1{1}, m1{1};
    CHECK_THAT(*cltv::models::gamma_gamma_log_likelihood({1, 2, 1}, x1, m1),
               WithinRel(-2 * std::log(2.0), 1e-14));
    // p 2, q 3, γ 4, x 2, m̄ 5: px = 4, lnΓ(7) − lnΓ(4) − lnΓ(3) + 3 ln 4
    // + 3 ln 5 + 4 ln 2 − 7 ln 14 = ln(720/(6 · 2)) + ln(64 · 125 · 16) − 7 ln 14.
    const std::vector<double> x2{2}, m2{5};
    CHECK_THAT(*cltv::models::gamma_gamma_log_likelihood({2, 3, 4}, x2, m2),
               WithinRel(std::log(60.0) + std::log(128000.0) - 7 * std::log(14.0), 1e-13));
  }

  SECTION("customers without repeats add nothing; duplicates add up") {
    const std::vector<double> x{2, 0, 2, 3}, m{5, 0, 5, 7.5};
    const std::vector<double> x_single{2, 3}, m_single{5, 7.5};
    const std::vector<double> x_once{2}, m_once{5};
    const gamma_gamma_params at{2, 3, 4};
    CHECK_THAT(*cltv::models::gamma_gamma_log_likelihood(at, x, m),
               WithinRel(*cltv::models::gamma_gamma_log_likelihood(at, x_single, m_single) +
                             *cltv::models::gamma_gamma_log_likelihood(at, x_once, m_once),
                         1e-14));
  }

  SECTION("the analytic gradient matches central differences") {
    const std::vector<double> x{1, 1, 2, 3, 5, 8, 13, 2, 1};
    const std::vector<double> m{10, 25, 17.5, 30, 12, 40.25, 22, 17.5, 3};
    for (const gamma_gamma_params at :
         {gamma_gamma_params{6.25, 3.74, 15.44}, gamma_gamma_params{0.3, 1.5, 200},
          gamma_gamma_params{40, 0.8, 0.5}}) {
      INFO("p " << at.p << ", q " << at.q << ", gamma " << at.gamma);
      double gradient[3];
      REQUIRE(cltv::models::gamma_gamma_log_likelihood(at, x, m, gradient).has_value());
      auto ll = [&](gamma_gamma_params p) {
        return *cltv::models::gamma_gamma_log_likelihood(p, x, m);
      };
      double gamma_gamma_params::*members[] = {&gamma_gamma_params::p, &gamma_gamma_params::q,
                                               &gamma_gamma_params::gamma};
      for (std::size_t i = 0; i < 3; ++i) {
        gamma_gamma_params up = at, down = at;
        const double h = 1e-6 * at.*members[i];
        up.*members[i] += h;
        down.*members[i] -= h;
        const double fd = (ll(up) - ll(down)) / (2 * h);
        // LL ~ 1e2 with h ~ 1e-6 relative: rounding error ~ 1e-16·1e2/1e-6 ~ 1e-8.
        CHECK_THAT(gradient[i], WithinAbs(fd, 1e-5 * std::max(1.0, std::abs(fd))));
      }
    }
  }
}

TEST_CASE("Gamma-Gamma predictions", "[gamma_gamma]") {
  const gamma_gamma_params params{6.25, 3.74, 15.44};

  SECTION("population mean p·gamma/(q − 1)") {
    // 6.25 × 15.44 / 2.74 = 96.5 / 2.74.
    CHECK_THAT(*cltv::models::gamma_gamma_mean_spend(params), WithinRel(96.5 / 2.74, 1e-15));
  }

  SECTION("conditional spend: a weighted mean of the population mean and m̄") {
    // x 2, m̄ 22.35: p(γ + x m̄)/(px + q − 1) = 6.25 × (15.44 + 44.7)/(12.5 + 2.74)
    //   = 375.875 / 15.24.
    CHECK_THAT(*cltv::models::gamma_gamma_conditional_expected_spend(params, 2, 22.35),
               WithinRel(375.875 / 15.24, 1e-14));
    // x = 0: the population mean, whatever m̄ says.
    CHECK(*cltv::models::gamma_gamma_conditional_expected_spend(params, 0, 999) ==
          *cltv::models::gamma_gamma_mean_spend(params));
    // The more transactions, the closer to the customer's own average.
    const double m = 100;
    double previous = *cltv::models::gamma_gamma_mean_spend(params);
    for (double x : {1.0, 2.0, 5.0, 20.0, 1000.0}) {
      const double spend = *cltv::models::gamma_gamma_conditional_expected_spend(params, x, m);
      CHECK(spend > previous);
      CHECK(spend < m);
      previous = spend;
    }
  }

  SECTION("q ≤ 1: no finite mean") {
    auto mean = cltv::models::gamma_gamma_mean_spend({6.25, 1, 15.44});
    REQUIRE_FALSE(mean.has_value());
    CHECK(mean.error().field == "q");
    CHECK(mean.error().message == "the mean spend is infinite when q ≤ 1 (q 1)");
    CHECK_FALSE(cltv::models::gamma_gamma_conditional_expected_spend({6.25, 0.5, 15.44}, 2, 20));
  }

  SECTION("bad inputs are named") {
    CHECK(cltv::models::gamma_gamma_conditional_expected_spend(params, 1.5, 20).error().field ==
          "frequency");
    CHECK(cltv::models::gamma_gamma_conditional_expected_spend(params, 2, -1).error().field ==
          "monetary_value");
    auto bad = cltv::models::make_gamma_gamma_params(1, 2, 0);
    REQUIRE_FALSE(bad.has_value());
    CHECK(bad.error().message == "gamma must be a positive number, got 0");
  }
}

TEST_CASE("Gamma-Gamma input checks", "[gamma_gamma]") {
  SECTION("a repeat customer with spend ≤ 0 is an error naming the row") {
    const std::vector<double> x{2, 0, 3, 1}, m{20, 0, -5, 10};
    auto fit = cltv::models::fit_gamma_gamma(x, m);
    REQUIRE_FALSE(fit.has_value());
    CHECK(fit.error().field == "monetary_value");
    // Element 2 is row 3 (rows count from 1, as check_rfm_tuple counts them).
    CHECK(fit.error().message ==
          "monetary_value of row 3 must be positive for a customer with repeat purchases "
          "(frequency 3), got -5");
  }

  SECTION("…unless dropping is asked for; then they are counted") {
    spend_columns data = simulate({6, 4, 15}, 2000);
    const spend_columns clean = data;
    // Two refunds-only repeat customers and one without repeats.
    data.frequency.insert(data.frequency.end(), {3, 1, 0});
    data.monetary_value.insert(data.monetary_value.end(), {-5, 0, 0});
    cltv::models::gamma_gamma_options options;
    options.drop_nonpositive_spend = true;
    auto fit = cltv::models::fit_gamma_gamma(data.frequency, data.monetary_value, options);
    REQUIRE(fit.has_value());
    CHECK(fit->dropped == 2);
    CHECK(fit->without_repeats == 1);
    CHECK(fit->report.customers == 2000);
    // The same fit as without those rows.
    auto same = cltv::models::fit_gamma_gamma(clean.frequency, clean.monetary_value);
    REQUIRE(same.has_value());
    CHECK(fit->params.p == same->params.p);
    CHECK(fit->params.q == same->params.q);
    CHECK(fit->params.gamma == same->params.gamma);
  }

  SECTION("frequencies are whole numbers ≥ 0; spends finite; columns of one length") {
    const std::vector<double> x{2, 1.5}, m{20, 10};
    CHECK(cltv::models::fit_gamma_gamma(x, m).error().message ==
          "frequency of row 2 must be a whole number ≥ 0, got 1.5");
    const std::vector<double> x2{2, 1}, m2{20, std::nan("")};
    CHECK(cltv::models::fit_gamma_gamma(x2, m2).error().message ==
          "monetary_value of row 2 must be a finite number, got nan");
    const std::vector<double> m3{20};
    CHECK(cltv::models::fit_gamma_gamma(x2, m3).error().message ==
          "monetary_value has 1 rows but frequency has 2");
  }

  SECTION("nobody to fit") {
    const std::vector<double> x{0, 0, 3}, m{0, 0, 12};
    auto fit = cltv::models::fit_gamma_gamma(x, m);
    REQUIRE_FALSE(fit.has_value());
    CHECK(fit.error().message ==
          "the Gamma-Gamma model needs at least 2 customers with repeat purchases and a "
          "positive monetary_value, got 1");
  }
}

TEST_CASE("frequency–spend correlation", "[gamma_gamma]") {
  // Only rows with x > 0 and m̄ > 0 count: (1, 10), (2, 20), (3, 30) lie on a
  // line (r = 1); the x = 0 and m̄ ≤ 0 rows would break it if counted.
  const std::vector<double> x{1, 2, 0, 3, 4}, m{10, 20, 500, 30, -1};
  CHECK_THAT(*cltv::models::frequency_spend_correlation(x, m), WithinAbs(1.0, 1e-15));
  // (1, 30), (2, 10), (3, 20): x̄ 2, m̄ 20, Σdx·dm = −10 + 0 + 0 = −10,
  // Σdx² = 2, Σdm² = 200: r = −10/√400 = −0.5.
  const std::vector<double> x2{1, 2, 3}, m2{30, 10, 20};
  CHECK_THAT(*cltv::models::frequency_spend_correlation(x2, m2), WithinRel(-0.5, 1e-15));
  // A constant column has no correlation.
  const std::vector<double> x3{2, 2, 2}, m3{30, 10, 20};
  CHECK_FALSE(cltv::models::frequency_spend_correlation(x3, m3).has_value());
}

TEST_CASE("Gamma-Gamma recovers its parameters from simulated customers", "[gamma_gamma]") {
  // 50,000 customers from the generative process (simulate, above).
  // Tolerance: 4 standard errors of the fit itself (a two-sided 4σ miss has
  // probability 6e−5 per parameter; the seed is fixed, so the test is
  // deterministic, and the bound says the fit is consistent, not lucky).
  const gamma_gamma_params truth{6, 4, 15};
  const spend_columns data = simulate(truth, 50000);
  auto fit = cltv::models::fit_gamma_gamma(data.frequency, data.monetary_value);
  REQUIRE(fit.has_value());
  CHECK(fit->report.converged);
  CHECK_THAT(fit->params.p, WithinAbs(truth.p, 4 * fit->p.standard_error));
  CHECK_THAT(fit->params.q, WithinAbs(truth.q, 4 * fit->q.standard_error));
  CHECK_THAT(fit->params.gamma, WithinAbs(truth.gamma, 4 * fit->gamma.standard_error));
  // Informative at this size: relative SE below 5 %.
  CHECK(fit->p.standard_error < 0.05 * truth.p);
  CHECK(fit->q.standard_error < 0.05 * truth.q);
  CHECK(fit->gamma.standard_error < 0.05 * truth.gamma);
  // Independent by construction: the correlation is near 0 (its sampling SD
  // is about 1/√50,000 ≈ 0.0045).
  REQUIRE(fit->frequency_spend_correlation.has_value());
  CHECK(std::abs(*fit->frequency_spend_correlation) < 0.02);
}

TEST_CASE("Gamma-Gamma on weighted rows", "[gamma_gamma]") {
  using cltv::models::spend_row;

  SECTION("a row with count c counts as c customers in the log-likelihood") {
    // p 1, q 2, γ 1, x 1, m̄ 1: −2 ln 2 a customer (above); three of them: −6 ln 2.
    const std::vector<spend_row> rows{{1, 1, 3}};
    CHECK_THAT(*cltv::models::gamma_gamma_log_likelihood({1, 2, 1}, rows),
               WithinRel(-6 * std::log(2.0), 1e-14));
    // A count of 0.5 halves it: −ln 2.
    const std::vector<spend_row> half{{1, 1, 0.5}};
    CHECK_THAT(*cltv::models::gamma_gamma_log_likelihood({1, 2, 1}, half),
               WithinRel(-std::log(2.0), 1e-14));
  }

  SECTION("grouped rows fit as the same rows written out one customer a line") {
    // Spends rounded to whole units so that customers share (x, m̄) pairs;
    // then each distinct pair becomes one row with its count.
    spend_columns data = simulate({6, 4, 15}, 3000);
    for (double& m : data.monetary_value) m = std::max(1.0, std::round(m));
    // Customers without repeats (their spend not read) and two refunds.
    data.frequency.insert(data.frequency.end(), {0, 0, 0, 2, 2});
    data.monetary_value.insert(data.monetary_value.end(), {0, 7, 0, -3, -3});
    std::map<std::pair<double, double>, double> counts;
    for (std::size_t i = 0; i < data.frequency.size(); ++i)
      counts[{data.frequency[i], data.monetary_value[i]}] += 1;
    std::vector<spend_row> grouped;
    for (const auto& [pair, count] : counts) grouped.push_back({pair.first, pair.second, count});
    REQUIRE(grouped.size() < data.frequency.size() / 2);  // many customers a row

    cltv::models::gamma_gamma_options options;
    options.drop_nonpositive_spend = true;
    auto expanded = cltv::models::fit_gamma_gamma(data.frequency, data.monetary_value, options);
    auto weighted = cltv::models::fit_gamma_gamma(grouped, options);
    REQUIRE(expanded.has_value());
    REQUIRE(weighted.has_value());
    // The same data in the likelihood; only the order of the sums of the
    // starting point differs (rounding, far below 1e-8).
    CHECK_THAT(weighted->params.p, WithinRel(expanded->params.p, 1e-8));
    CHECK_THAT(weighted->params.q, WithinRel(expanded->params.q, 1e-8));
    CHECK_THAT(weighted->params.gamma, WithinRel(expanded->params.gamma, 1e-8));
    CHECK_THAT(weighted->p.standard_error, WithinRel(expanded->p.standard_error, 1e-6));
    CHECK_THAT(weighted->q.standard_error, WithinRel(expanded->q.standard_error, 1e-6));
    CHECK_THAT(weighted->gamma.standard_error, WithinRel(expanded->gamma.standard_error, 1e-6));
    CHECK_THAT(weighted->report.log_likelihood, WithinRel(expanded->report.log_likelihood, 1e-12));
    // 3,000 simulated repeat customers fitted; 3 without repeats, 2 dropped.
    CHECK(weighted->report.customers == 3000);
    CHECK(expanded->report.customers == 3000);
    CHECK(weighted->report.unique_tuples == expanded->report.unique_tuples);
    CHECK(weighted->without_repeats == 3);
    CHECK(weighted->dropped == 2);
    REQUIRE(weighted->frequency_spend_correlation.has_value());
    CHECK_THAT(*weighted->frequency_spend_correlation,
               WithinRel(*expanded->frequency_spend_correlation, 1e-12));
  }

  SECTION("the correlation counts a row c times") {
    // (1, 10) twice, (2, 20), (3, 60): x̄ 7/4, m̄ 100/4 = 25;
    // dx −0.75, −0.75, 0.25, 1.25; dm −15, −15, −5, 35;
    // Σdx·dm = 11.25 + 11.25 − 1.25 + 43.75 = 65, Σdx² = 2.75, Σdm² = 1700.
    const std::vector<spend_row> rows{{1, 10, 2}, {2, 20, 1}, {3, 60, 1}, {0, 99, 5}};
    CHECK_THAT(*cltv::models::frequency_spend_correlation(rows),
               WithinRel(65 / std::sqrt(2.75 * 1700), 1e-14));
  }

  SECTION("rows are checked, named by their number when given") {
    using cltv::models::check_spend_row;
    CHECK(check_spend_row({2, 0}).error().message ==
          "monetary_value must be positive for a customer with repeat purchases (frequency 2), "
          "got 0");
    CHECK(check_spend_row({2, 0}, 7).error().message ==
          "monetary_value of row 7 must be positive for a customer with repeat purchases "
          "(frequency 2), got 0");
    cltv::models::gamma_gamma_options drop;
    drop.drop_nonpositive_spend = true;
    CHECK(check_spend_row({2, 0}, 0, drop).has_value());    // left out by the fit, counted
    CHECK(check_spend_row({0, std::nan("")}).has_value());  // x = 0: spend not read
    CHECK(check_spend_row({2.5, 10}).error().message ==
          "frequency must be a whole number ≥ 0, got 2.5");
    CHECK(check_spend_row({2, 10, 0}, 3).error().message ==
          "count of row 3 must be a positive number, got 0");
    CHECK(check_spend_row({2, 10, 0}).error().field == "count");
    CHECK(check_spend_row({1, std::numeric_limits<double>::infinity()}).error().field ==
          "monetary_value");
  }

  SECTION("the independence rule of thumb: |r| above 0.3") {
    cltv::models::gamma_gamma_fit fit;
    CHECK_FALSE(cltv::models::spend_correlated_with_frequency(fit));  // no correlation
    for (const double r : {0.31, -0.31, 0.9}) {
      fit.frequency_spend_correlation = r;
      CHECK(cltv::models::spend_correlated_with_frequency(fit));
    }
    for (const double r : {0.3, -0.3, 0.0, 0.11}) {
      fit.frequency_spend_correlation = r;
      CHECK_FALSE(cltv::models::spend_correlated_with_frequency(fit));
    }
  }
}

TEST_CASE("Gamma-Gamma: the mean spend a prediction needs", "[gamma_gamma]") {
  // pγ / (q − 1) = 2 · 10 / (3 − 1) = 10.
  CHECK_THAT(*cltv::models::predictable_mean_spend({2, 3, 10}), WithinRel(10.0, 1e-15));
  auto infinite = cltv::models::predictable_mean_spend({6.25, 0.9, 15.44});
  REQUIRE_FALSE(infinite);
  CHECK(infinite.error().field == "q");
  CHECK(infinite.error().message ==
        "the gamma-gamma model has q = 0.9 <= 1: its mean spend is infinite, so spend cannot be "
        "predicted");
  CHECK(cltv::models::predictable_mean_spend({-1, 3, 10}).error().field == "p");
}

TEST_CASE("Gamma-Gamma says what spends too uniform lack", "[gamma_gamma]") {
  SECTION("one price: no variation at all") {
    const std::vector<double> frequency{1, 2, 3, 0, 5};
    const std::vector<double> spend{9.99, 9.99, 9.99, 0, 9.99};
    auto fit = cltv::models::fit_gamma_gamma(frequency, spend);
    REQUIRE_FALSE(fit);
    CHECK(fit.error().field == "spend");
    CHECK(fit.error().message ==
          "every repeat customer's mean spend is 9.99: spend varies neither between nor within "
          "customers, so the Gamma-Gamma model (p, q, gamma) is not identified");
  }
  SECTION("customers alike: no variation between them") {
    // Every customer's purchases are Gamma(50, rate 5) (mean 10, CV 14 %): one
    // ν for all, the q → ∞ limit, so q runs past 10⁴.
    std::mt19937_64 rng(7);
    std::gamma_distribution<double> purchase(50, 1.0 / 5);
    std::vector<double> frequency, spend;
    for (int i = 0; i < 400; ++i) {
      const int x = 1 + i % 6;
      double sum = 0;
      for (int k = 0; k < x; ++k) sum += purchase(rng);
      frequency.push_back(x);
      spend.push_back(sum / x);
    }
    auto fit = cltv::models::fit_gamma_gamma(frequency, spend);
    REQUIRE_FALSE(fit);
    CHECK(fit.error().field == "spend");
    CHECK_THAT(fit.error().message, Contains("spend varies too little between customers"));
    CHECK_THAT(fit.error().message, Contains("q runs past 10000"));
  }
}
